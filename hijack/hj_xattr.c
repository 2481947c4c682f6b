/*
 * hj_xattr.c: extended attributes.  The kernel has no xattr calls, so
 * on a kernel file every xattr call fails with ENOTSUP (after the file
 * is found, so a missing one still gives ENOENT), which is what ls, cp
 * and friends expect from a file system without them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_DECLREAL(getxattr);
HJ_DECLREAL(lgetxattr);
HJ_DECLREAL(fgetxattr);
HJ_DECLREAL(listxattr);
HJ_DECLREAL(llistxattr);
HJ_DECLREAL(flistxattr);
HJ_DECLREAL(setxattr);
HJ_DECLREAL(lsetxattr);
HJ_DECLREAL(fsetxattr);
HJ_DECLREAL(removexattr);
HJ_DECLREAL(lremovexattr);
HJ_DECLREAL(fremovexattr);

/* 1: a kernel path (errno set, fail); 0: pass the call to libc. */
static int
hj_kx(const char **pathp, int flags)
{
	struct stat st;
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, pathp, kp, &kd)) == HJ_HOST)
		return 0;
	if (w != -1 && HJ_K(rump_sys_fstatat(kd, kp, &st, flags)) == 0)
		errno = ENOTSUP;
	return 1;
}

static int
hj_kfx(int fd)
{
	if (hj_inside || hj_kfd(fd) == -1)
		return 0;
	errno = ENOTSUP;
	return 1;
}

ssize_t
getxattr(const char *path, const char *name, void *v, size_t len)
{
	if (hj_kx(&path, 0))
		return -1;
	return HJ_REAL(getxattr)(path, name, v, len);
}

ssize_t
lgetxattr(const char *path, const char *name, void *v, size_t len)
{
	if (hj_kx(&path, AT_SYMLINK_NOFOLLOW))
		return -1;
	return HJ_REAL(lgetxattr)(path, name, v, len);
}

ssize_t
fgetxattr(int fd, const char *name, void *v, size_t len)
{
	if (hj_kfx(fd))
		return -1;
	return HJ_REAL(fgetxattr)(fd, name, v, len);
}

ssize_t
listxattr(const char *path, char *list, size_t len)
{
	if (hj_kx(&path, 0))
		return -1;
	return HJ_REAL(listxattr)(path, list, len);
}

ssize_t
llistxattr(const char *path, char *list, size_t len)
{
	if (hj_kx(&path, AT_SYMLINK_NOFOLLOW))
		return -1;
	return HJ_REAL(llistxattr)(path, list, len);
}

ssize_t
flistxattr(int fd, char *list, size_t len)
{
	if (hj_kfx(fd))
		return -1;
	return HJ_REAL(flistxattr)(fd, list, len);
}

int
setxattr(const char *path, const char *name, const void *v, size_t len,
    int flags)
{
	if (hj_kx(&path, 0))
		return -1;
	return HJ_REAL(setxattr)(path, name, v, len, flags);
}

int
lsetxattr(const char *path, const char *name, const void *v, size_t len,
    int flags)
{
	if (hj_kx(&path, AT_SYMLINK_NOFOLLOW))
		return -1;
	return HJ_REAL(lsetxattr)(path, name, v, len, flags);
}

int
fsetxattr(int fd, const char *name, const void *v, size_t len, int flags)
{
	if (hj_kfx(fd))
		return -1;
	return HJ_REAL(fsetxattr)(fd, name, v, len, flags);
}

int
removexattr(const char *path, const char *name)
{
	if (hj_kx(&path, 0))
		return -1;
	return HJ_REAL(removexattr)(path, name);
}

int
lremovexattr(const char *path, const char *name)
{
	if (hj_kx(&path, AT_SYMLINK_NOFOLLOW))
		return -1;
	return HJ_REAL(lremovexattr)(path, name);
}

int
fremovexattr(int fd, const char *name)
{
	if (hj_kfx(fd))
		return -1;
	return HJ_REAL(fremovexattr)(fd, name);
}
