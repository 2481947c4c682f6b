/*
 * rump.cp: copy files and trees between the host and the rump kernel at
 * $RUMP_SERVER, or within the kernel.  A plain path is a kernel path,
 * "host:PATH" a host path.  Data moves in RT_BUFSIZE pieces; a copy
 * that takes longer than a second shows a progress line when stderr is
 * a terminal.  See rump.cp(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rumptool.h"

struct opts {
	bool	force;		/* -f */
	bool	preserve;	/* -p */
	bool	recurse;	/* -r, -R */
	bool	verbose;	/* -v */
};

/* One end of a copy. */
struct end {
	const struct rt_fs	*fs;
	const char		*path;
};

/* The first directory made for an operand: never copied into itself. */
struct made {
	const struct rt_fs	*fs;		/* NULL: none yet */
	dev_t			 dev;
	ino_t			 ino;
};

static struct opts	o;
static struct made	topdir;

static int	copyany(const struct end *src, const struct end *dst);

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.cp [-fprRv] source target\n"
	    "       rump.cp [-fprRv] source ... directory\n"
	    "Copies files between the host and the rump kernel at "
	    "$RUMP_SERVER, or\nwithin the kernel.  A plain path is a kernel "
	    "path; \"host:PATH\" is a host\npath (rump.cp -r host:./photos "
	    "/mnt/photos, rump.cp /mnt/a host:/tmp/a).\n"
	    "  -f      remove a target that cannot be opened, then retry\n"
	    "  -p      preserve mode, times (and owner when permitted)\n"
	    "  -r, -R  copy directories recursively (files, directories, "
	    "symbolic links)\n"
	    "  -v      name each file as it is copied\n");
	exit(status);
}

static const char *
prefix(const struct end *e)
{
	return e->fs == &rt_host ? RT_HOSTPFX : "";
}

static int
endwarn(const struct end *e, int error)
{
	fprintf(stderr, "%s: %s%s: %s\n", rt_prog(), prefix(e), e->path,
	    strerror(error));
	return 1;
}

static void
verbose(const struct end *src, const struct end *dst)
{
	if (o.verbose)
		printf("%s%s -> %s%s\n", prefix(src), src->path, prefix(dst),
		    dst->path);
}

/* Mode, owner (where permitted) and times of st onto dst. */
static int
preserve(const struct end *dst, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	const struct rt_fs *fs = dst->fs;

	if (fs->lchown(dst->path, st->st_uid, st->st_gid) == -1 &&
	    errno != EPERM)
		return endwarn(dst, errno);
	if (!S_ISLNK(st->st_mode) &&
	    fs->chmod(dst->path, st->st_mode & 07777) == -1)
		return endwarn(dst, errno);
	if (fs->utimensat(AT_FDCWD, dst->path, ts, AT_SYMLINK_NOFOLLOW) == -1 &&
	    !S_ISLNK(st->st_mode))
		return endwarn(dst, errno);
	return 0;
}

static int
opendst(const struct end *dst, mode_t mode)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC, fd;

	fd = dst->fs->open(dst->path, flags, mode);
	if (fd == -1 && o.force && errno != ENOENT &&
	    dst->fs->unlink(dst->path) == 0)
		fd = dst->fs->open(dst->path, flags, mode);
	return fd;
}

static bool
samefile(const struct end *src, const struct stat *sst,
    const struct end *dst)
{
	struct stat dst_st;

	return src->fs == dst->fs && dst->fs->stat(dst->path, &dst_st) == 0 &&
	    dst_st.st_dev == sst->st_dev && dst_st.st_ino == sst->st_ino;
}

static int
copyfile(const struct end *src, const struct stat *st, const struct end *dst)
{
	struct rt_progress p;
	int sfd, dfd, error;
	bool wrerr;

	if (samefile(src, st, dst))
		return rt_warnx("%s%s and %s%s are the same file", prefix(src),
		    src->path, prefix(dst), dst->path);
	sfd = src->fs->open(src->path, O_RDONLY, 0);
	if (sfd == -1)
		return endwarn(src, errno);
	dfd = opendst(dst, st->st_mode & 0777);
	if (dfd == -1) {
		error = errno;
		src->fs->close(sfd);
		return endwarn(dst, error);
	}
	verbose(src, dst);
	rt_progress_init(&p, dst->path, (uint64_t)st->st_size, false);
	error = rt_copyfd(src->fs, sfd, dst->fs, dfd, &p, &wrerr);
	rt_progress_end(&p);
	src->fs->close(sfd);
	if (dst->fs->close(dfd) == -1 && error == 0) {
		error = errno;
		wrerr = true;
	}
	if (error != 0)
		return endwarn(wrerr ? dst : src, error);
	return o.preserve ? preserve(dst, st) : 0;
}

static int
copylink(const struct end *src, const struct stat *st, const struct end *dst)
{
	char target[PATH_MAX];
	ssize_t len;

	len = src->fs->readlink(src->path, target, sizeof(target) - 1);
	if (len == -1)
		return endwarn(src, errno);
	target[len] = '\0';
	if (dst->fs->symlink(target, dst->path) == -1) {
		if (errno != EEXIST || !o.force ||
		    dst->fs->unlink(dst->path) == -1 ||
		    dst->fs->symlink(target, dst->path) == -1)
			return endwarn(dst, errno);
	}
	verbose(src, dst);
	return o.preserve ? preserve(dst, st) : 0;
}

/* Copy every entry of directory src into directory dst. */
static int
copyentries(const struct end *src, const struct end *dst)
{
	struct rt_dirent *ents;
	struct end s, d;
	size_t i, n;
	int error, status = 0;

	error = rt_readdir(src->fs, src->path, &ents, &n);
	if (error != 0)
		return endwarn(src, error);
	s.fs = src->fs;
	d.fs = dst->fs;
	for (i = 0; i < n; i++) {
		if (strcmp(ents[i].name, ".") == 0 ||
		    strcmp(ents[i].name, "..") == 0)
			continue;
		s.path = rt_join(src->path, ents[i].name);
		d.path = rt_join(dst->path, ents[i].name);
		status |= copyany(&s, &d);
		free((char *)s.path);
		free((char *)d.path);
	}
	rt_freedir(ents, n);
	return status;
}

static void
remember(const struct end *dir)
{
	struct stat st;

	if (topdir.fs != NULL || dir->fs->lstat(dir->path, &st) == -1)
		return;
	topdir.fs = dir->fs;
	topdir.dev = st.st_dev;
	topdir.ino = st.st_ino;
}

static bool
istopdir(const struct end *e, const struct stat *st)
{
	return topdir.fs == e->fs && topdir.dev == st->st_dev &&
	    topdir.ino == st->st_ino;
}

static int
copydir(const struct end *src, const struct stat *st, const struct end *dst)
{
	mode_t mode = st->st_mode & 07777;
	bool made = false;
	int status;

	if (!rt_isdir(dst->fs, dst->path)) {
		if (dst->fs->mkdir(dst->path, mode | S_IRWXU) == -1)
			return endwarn(dst, errno);
		made = true;
		verbose(src, dst);
		remember(dst);
	}
	status = copyentries(src, dst);
	if (o.preserve)
		return status | preserve(dst, st);
	if (made && (mode & S_IRWXU) != S_IRWXU &&
	    dst->fs->chmod(dst->path, mode) == -1)
		return endwarn(dst, errno);
	return status;
}

static int
copyany(const struct end *src, const struct end *dst)
{
	struct stat st;
	int r;

	r = o.recurse ? src->fs->lstat(src->path, &st) :
	    src->fs->stat(src->path, &st);
	if (r == -1)
		return endwarn(src, errno);
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		return copyfile(src, &st, dst);
	case S_IFLNK:
		return copylink(src, &st, dst);
	case S_IFDIR:
		if (!o.recurse)
			return rt_warnx("%s%s: is a directory (not copied "
			    "without -r)", prefix(src), src->path);
		if (istopdir(src, &st))
			return rt_warnx("%s%s: is the copy being made (a "
			    "directory copied into itself)", prefix(src),
			    src->path);
		return copydir(src, &st, dst);
	default:
		return rt_warnx("%s%s: not a regular file, directory or "
		    "symbolic link (not copied)", prefix(src), src->path);
	}
}

/* Parse a path argument; exits on an empty one. */
static void
parseend(const char *arg, struct end *e)
{
	e->path = rt_path(arg, &e->fs);
	if (e->path == NULL) {
		rt_warnx("%s: empty path", arg);
		exit(1);
	}
}

static int
copyinto(const char *arg, const struct end *dir)
{
	struct end src, dst;
	char *base;
	int status;

	parseend(arg, &src);
	topdir.fs = NULL;
	base = rt_basename(src.path);
	dst.fs = dir->fs;
	dst.path = rt_join(dir->path, base);
	status = copyany(&src, &dst);
	free((char *)dst.path);
	free(base);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct end src, dst;
	int ch, i, status = 0;

	rt_setprog("rump.cp");
	while ((ch = getopt_long(argc, argv, "fprRv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			o.force = true;
			break;
		case 'p':
			o.preserve = true;
			break;
		case 'r':
		case 'R':
			o.recurse = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (argc - optind < 2)
		usage(1);
	rt_connect();
	parseend(argv[argc - 1], &dst);
	if (rt_isdir(dst.fs, dst.path)) {
		for (i = optind; i < argc - 1; i++)
			status |= copyinto(argv[i], &dst);
		return status;
	}
	if (argc - optind > 2)
		return endwarn(&dst, ENOTDIR);
	parseend(argv[optind], &src);
	return copyany(&src, &dst);
}
