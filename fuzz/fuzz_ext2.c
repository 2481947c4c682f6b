/*
 * fuzz_ext2.c: libFuzzer target for the ext2 driver.  Each input is a
 * small ext2 image (fuzz/mkcorpus.sh makes the seeds), run through
 * fuzz_walk.c: written over the RAM disk /dev/md0 (zero-padded), mounted
 * (read-write, else read-only), walked, changed when writable (here: a
 * file, a directory, a symlink and a hard link, renamed and removed; then
 * what the walk met), walked again and unmounted.  Errors from the kernel
 * are expected; crashes, hangs, sanitizer reports and a failed unmount
 * are findings.  Built by `make fuzz`.
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
	.name = "fuzz_ext2",
	.fstype = "ext2",
	.mdsize = 128 * 1024,
	.maxinput = 128 * 1024,
	.readlen = 512,
	.readoff = 3 * 4096,
	.rewrite = { 5000, 300000 },
	.moveto = MNT "/fzmoved",
	.scribble = scribble,
};

/* A few changes of each kind; any of them may fail. */
static void
scribble(void)
{
	static char data[8192];
	int fd;

	memset(data, 'f', sizeof(data));
	if ((fd = rump_sys_open(MNT "/fz", O_CREAT | O_RDWR, 0644)) != -1) {
		(void)rump_sys_write(fd, data, sizeof(data));
		(void)rump_sys_ftruncate(fd, 100);
		(void)rump_sys_fsync(fd);
		if (rump_sys_close(fd) == -1)
			fuzz_fail("close", errno);
	}
	(void)rump_sys_mkdir(MNT "/fzdir", 0755);
	(void)rump_sys_symlink("fz", MNT "/fzdir/ln");
	(void)rump_sys_rename(MNT "/fz", MNT "/fzdir/fz2");
	(void)rump_sys_link(MNT "/fzdir/fz2", MNT "/fz3");
	(void)rump_sys_unlink(MNT "/fzdir/fz2");
	(void)rump_sys_unlink(MNT "/fz3");
	(void)rump_sys_unlink(MNT "/fzdir/ln");
	(void)rump_sys_rmdir(MNT "/fzdir");
}
