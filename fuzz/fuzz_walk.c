/*
 * fuzz_walk.c: the libFuzzer entry points of the targets, for the file
 * system the target's fuzz_target describes.  LLVMFuzzerInitialize()
 * boots the kernel and makes the RAM disk /dev/md0.  Per input,
 * LLVMFuzzerTestOneInput() overwrites the disk with the input followed
 * by zeros, mounts it (read-write, else read-only), walks it (getdents64,
 * lstat, readlink, read: all bounded), changes it when writable (the
 * target's own new files, then the first files and directories the walk
 * met are rewritten, truncated, renamed and removed), walks it again and
 * unmounts it.  Errors from the kernel are expected; a failed close or
 * unmount aborts.
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

#include "fuzz_walk.h"

#define MDPATH		"/dev/md0"
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

static const struct fuzz_fs *const fs = &fuzz_target;
static uint8_t *disk;			/* fs->mdsize bytes */
static int visits;		/* entries visited by this walk */
/* What the first walk met, to change: [0] files, [1] directories. */
static char victim[2][NVICTIMS][PATH_MAX];
static int nvictims[2];

_Noreturn void
fuzz_fail(const char *what, int error)
{

	fprintf(stderr, "%s: %s: %s\n", fs->name, what, strerror(error));
	abort();
}

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int error;

	if ((disk = malloc(fs->mdsize)) == NULL)
		fuzz_fail("malloc", ENOMEM);
	if ((error = rump_init()) != 0)
		fuzz_fail("rump_init", error);
	if ((error = rump_pub_md_create(MDPATH, fs->mdsize)) != 0)
		fuzz_fail("md_create", error);
	if (rump_sys_mkdir(FUZZ_MNT, 0755) == -1)
		fuzz_fail("mkdir " FUZZ_MNT, errno);
	return 0;
}

/* The whole disk: the input, then zeros (the last run wrote anywhere). */
static void
load(const uint8_t *data, size_t size)
{
	int fd;

	if (size > fs->maxinput)
		size = fs->maxinput;
	memcpy(disk, data, size);
	memset(disk + size, 0, fs->mdsize - size);
	if ((fd = rump_sys_open(MDPATH, O_RDWR)) == -1)
		fuzz_fail("open " MDPATH, errno);
	if (rump_sys_pwrite(fd, disk, fs->mdsize, 0) != (ssize_t)fs->mdsize)
		fuzz_fail("write " MDPATH, errno);
	if (rump_sys_close(fd) == -1)
		fuzz_fail("close " MDPATH, errno);
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
	(void)rump_sys_pread(fd, buf, fs->readlen, fs->readoff);
	if (rump_sys_close(fd) == -1)
		fuzz_fail("close", errno);
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
				fuzz_fail("getdents64: bad record", EINVAL);
			visit(path, d->d_name, depth);
			pos += d->d_reclen;
		}
	}
	if (rump_sys_close(fd) == -1)
		fuzz_fail("close", errno);
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
			(void)rump_sys_pwrite(fd, data, sizeof(data),
			    fs->rewrite[0]);
			(void)rump_sys_pwrite(fd, data, 100, fs->rewrite[1]);
			(void)rump_sys_ftruncate(fd, 1000);
			if (rump_sys_close(fd) == -1)
				fuzz_fail("close", errno);
		}
		if (i % 2 == 0)
			(void)rump_sys_unlink(victim[0][i]);
	}
	for (i = nvictims[1] - 1; i >= 0; i--) {
		snprintf(to, sizeof(to), "%s%d", fs->moveto, i);
		if (i % 2 == 0)
			(void)rump_sys_rename(victim[1][i], to);
		else
			(void)rump_sys_rmdir(victim[1][i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rdonly = 0;

	load(data, size);
	if (rump_sys_mount(MDPATH, FUZZ_MNT, fs->fstype, 0, NULL) == -1) {
		if (rump_sys_mount(MDPATH, FUZZ_MNT, fs->fstype, MS_RDONLY,
		    NULL) == -1)
			return 0;
		rdonly = 1;
	}
	visits = 0;
	nvictims[0] = nvictims[1] = 0;
	walk(FUZZ_MNT, 0);
	if (!rdonly) {
		fs->scribble();
		change_victims();
		visits = 0;
		walk(FUZZ_MNT, 0);
	}
	if (rump_sys_umount2(FUZZ_MNT, 0) == -1)
		fuzz_fail("umount", errno);
	return 0;
}
