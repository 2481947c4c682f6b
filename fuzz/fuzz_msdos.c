/*
 * fuzz_msdos.c: libFuzzer target for the FAT driver.  Each input is the
 * start of a FAT image (fuzz/mkcorpus_msdos.sh makes the seeds), run
 * through fuzz_walk.c: the RAM disk /dev/md0 is overwritten with the
 * input followed by zeros, mounted as vfat (read-write, else read-only),
 * walked, changed when writable (here: a long-named file with 8 KiB of
 * data, a directory, a rename into it, truncates, an unlink; then what
 * the walk met), walked again and unmounted.  Errors from the kernel are
 * expected; crashes, hangs, sanitizer reports and a failed unmount are
 * findings.  Built by `make fuzz`.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fuzz_walk.h"

#define MNT		FUZZ_MNT

static void scribble(void);

const struct fuzz_fs fuzz_target = {
	.name = "fuzz_msdos",
	.fstype = "vfat",
	.mdsize = 4 * 1024 * 1024,	/* FAT16 seeds need 2.5 MiB */
	.maxinput = 128 * 1024,
	.readlen = 700,
	.readoff = 5000,
	.rewrite = { 3000, 40000 },
	.moveto = MNT "/Moved Directory ",
	.scribble = scribble,
};

/* A few changes of each kind; any of them may fail. */
static void
scribble(void)
{
	static char data[8192];
	int fd;

	memset(data, 'f', sizeof(data));
	fd = rump_sys_open(MNT "/A Fuzzed Long File Name.txt",
	    O_CREAT | O_RDWR, 0644);
	if (fd != -1) {
		(void)rump_sys_write(fd, data, sizeof(data));
		(void)rump_sys_ftruncate(fd, 100);
		(void)rump_sys_ftruncate(fd, 20000);
		(void)rump_sys_fsync(fd);
		if (rump_sys_close(fd) == -1)
			fuzz_fail("close", errno);
	}
	(void)rump_sys_mkdir(MNT "/FZDIR", 0755);
	(void)rump_sys_chmod(MNT "/FZDIR", 0555);
	(void)rump_sys_rename(MNT "/A Fuzzed Long File Name.txt",
	    MNT "/FZDIR/renamed.TXT");
	(void)rump_sys_truncate(MNT "/FZDIR/renamed.TXT", 5);
	(void)rump_sys_unlink(MNT "/FZDIR/renamed.TXT");
	(void)rump_sys_rmdir(MNT "/FZDIR");
}
