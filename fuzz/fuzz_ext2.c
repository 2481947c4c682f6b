/*
 * fuzz_ext2.c: libFuzzer target for the ext2 driver.  Each input is a
 * small ext2 image.  The kernel boots once per process; per input the
 * image is written over the RAM disk /dev/md0 (zero-padded), mounted
 * (read-write, else read-only), walked (getdents64, lstat, readlink,
 * read: all bounded), changed when writable (new files and directories,
 * and the first files and directories the walk met are rewritten,
 * truncated, renamed and removed), walked again and unmounted.
 * Errors from the kernel are expected; crashes, hangs, sanitizer
 * reports and a failed unmount are findings.  Built by `make fuzz`.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MDPATH		"/dev/md0"
#define MNT		"/mnt"
#define MDSIZE		(128 * 1024)	/* larger inputs are cut */
#define MAXDEPTH	8
#define MAXENTRIES	512		/* per directory */
#define MAXVISITS	4096		/* per walk: loops make trees huge */
#define NVICTIMS	4		/* existing files (dirs) to change */
#define MAXREADS	16		/* reads per file */

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static uint8_t disk[MDSIZE];
static int visits;		/* entries visited by this walk */
/* What the first walk met, to change: [0] files, [1] directories. */
static char victim[2][NVICTIMS][PATH_MAX];
static int nvictims[2];

static _Noreturn void
fail(const char *what, int error)
{

	fprintf(stderr, "fuzz_ext2: %s: %s\n", what, strerror(error));
	abort();
}

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int error;

	if ((error = rump_init()) != 0)
		fail("rump_init", error);
	if ((error = rump_pub_md_create(MDPATH, MDSIZE)) != 0)
		fail("md_create", error);
	if (rump_sys_mkdir(MNT, 0755) == -1)
		fail("mkdir " MNT, errno);
	return 0;
}

/* Put the image on the disk, padded with zeros. */
static void
load(const uint8_t *data, size_t size)
{
	int fd;

	if (size > sizeof(disk))
		size = sizeof(disk);
	memcpy(disk, data, size);
	memset(disk + size, 0, sizeof(disk) - size);
	if ((fd = rump_sys_open(MDPATH, O_RDWR)) == -1)
		fail("open " MDPATH, errno);
	if (rump_sys_pwrite(fd, disk, sizeof(disk), 0) != sizeof(disk))
		fail("write " MDPATH, errno);
	if (rump_sys_close(fd) == -1)
		fail("close " MDPATH, errno);
}

static void
read_file(const char *path)
{
	static char buf[65536];
	int fd, n;

	if ((fd = rump_sys_open(path, O_RDONLY)) == -1)
		return;
	for (n = 0; n < MAXREADS; n++)
		if (rump_sys_read(fd, buf, sizeof(buf)) <= 0)
			break;
	(void)rump_sys_pread(fd, buf, 512, 3 * 4096);
	if (rump_sys_close(fd) == -1)
		fail("close", errno);
}

static void walk(const char *, int);

/* Keep the first few files and directories for change_victims(). */
static void
remember(const char *path, const struct stat *st)
{
	int dir = S_ISDIR(st->st_mode);

	if ((dir || S_ISREG(st->st_mode)) && nvictims[dir] < NVICTIMS)
		snprintf(victim[dir][nvictims[dir]++], PATH_MAX, "%s", path);
}

/* Visit the entry name of directory path. */
static void
visit(const char *path, const char *name, int depth)
{
	char sub[PATH_MAX], link[PATH_MAX];
	struct stat st;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    ++visits > MAXVISITS)
		return;
	if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, name) >=
	    sizeof(sub))
		return;
	if (rump_sys_lstat(sub, &st) == -1)
		return;
	remember(sub, &st);
	if (S_ISDIR(st.st_mode))
		walk(sub, depth + 1);
	else if (S_ISLNK(st.st_mode)) {
		(void)rump_sys_readlink(sub, link, sizeof(link));
		(void)rump_sys_stat(sub, &st);
	} else if (S_ISREG(st.st_mode))
		read_file(sub);
}

/* Everything under path, to a bounded depth and width. */
static void
walk(const char *path, int depth)
{
	char buf[4096];
	const struct linux_dirent64 *d;
	ssize_t len, pos;
	int fd, n = 0;

	if (depth > MAXDEPTH ||
	    (fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY)) == -1)
		return;
	while (n < MAXENTRIES &&
	    (len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < len && n < MAXENTRIES; n++) {
			d = (const struct linux_dirent64 *)(buf + pos);
			if (d->d_reclen == 0 || pos + d->d_reclen > len)
				fail("getdents64: bad record", EINVAL);
			visit(path, d->d_name, depth);
			pos += d->d_reclen;
		}
	}
	if (rump_sys_close(fd) == -1)
		fail("close", errno);
}

/* Rewrite, truncate, rename and remove what the walk met. */
static void
change_victims(void)
{
	static char data[8192];
	char to[PATH_MAX];
	int fd, i;

	memset(data, 'v', sizeof(data));
	for (i = 0; i < nvictims[0]; i++) {
		if ((fd = rump_sys_open(victim[0][i], O_RDWR)) != -1) {
			(void)rump_sys_pwrite(fd, data, sizeof(data), 5000);
			(void)rump_sys_pwrite(fd, data, 100, 300000);
			(void)rump_sys_ftruncate(fd, 1000);
			if (rump_sys_close(fd) == -1)
				fail("close", errno);
		}
		if (i % 2 == 0)
			(void)rump_sys_unlink(victim[0][i]);
	}
	for (i = nvictims[1] - 1; i >= 0; i--) {
		snprintf(to, sizeof(to), MNT "/fzmoved%d", i);
		if (i % 2 == 0)
			(void)rump_sys_rename(victim[1][i], to);
		else
			(void)rump_sys_rmdir(victim[1][i]);
	}
}

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
			fail("close", errno);
	}
	(void)rump_sys_mkdir(MNT "/fzdir", 0755);
	(void)rump_sys_symlink("fz", MNT "/fzdir/ln");
	(void)rump_sys_rename(MNT "/fz", MNT "/fzdir/fz2");
	(void)rump_sys_link(MNT "/fzdir/fz2", MNT "/fz3");
	(void)rump_sys_unlink(MNT "/fzdir/fz2");
	(void)rump_sys_unlink(MNT "/fz3");
	(void)rump_sys_unlink(MNT "/fzdir/ln");
	(void)rump_sys_rmdir(MNT "/fzdir");
	change_victims();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rdonly = 0;

	load(data, size);
	if (rump_sys_mount(MDPATH, MNT, "ext2", 0, NULL) == -1) {
		if (rump_sys_mount(MDPATH, MNT, "ext2", MS_RDONLY,
		    NULL) == -1)
			return 0;
		rdonly = 1;
	}
	visits = 0;
	nvictims[0] = nvictims[1] = 0;
	walk(MNT, 0);
	if (!rdonly) {
		scribble();
		visits = 0;
		walk(MNT, 0);
	}
	if (rump_sys_umount2(MNT, 0) == -1)
		fail("umount", errno);
	return 0;
}
