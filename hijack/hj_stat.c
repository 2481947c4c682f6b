/*
 * hj_stat.c: every way to ask about a file without opening it: stat,
 * lstat, fstat, fstatat (and their 64-bit names and the legacy __xstat
 * family older binaries call), statx, access, faccessat, euidaccess,
 * statfs and statvfs.  struct stat and statx are the host's layouts,
 * which the kernel fills directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_DECLREAL(stat);
HJ_DECLREAL(lstat);
HJ_DECLREAL(fstat);
HJ_DECLREAL(fstatat);
HJ_DECLREAL(stat64);
HJ_DECLREAL(lstat64);
HJ_DECLREAL(fstat64);
HJ_DECLREAL(fstatat64);
HJ_DECLREAL(__xstat);
HJ_DECLREAL(__lxstat);
HJ_DECLREAL(__fxstat);
HJ_DECLREAL(__fxstatat);
HJ_DECLREAL(__xstat64);
HJ_DECLREAL(__lxstat64);
HJ_DECLREAL(__fxstat64);
HJ_DECLREAL(__fxstatat64);
HJ_DECLREAL(statx);
HJ_DECLREAL(access);
HJ_DECLREAL(faccessat);
HJ_DECLREAL(euidaccess);
HJ_DECLREAL(eaccess);
HJ_DECLREAL(statfs);
HJ_DECLREAL(fstatfs);
HJ_DECLREAL(statfs64);
HJ_DECLREAL(fstatfs64);
HJ_DECLREAL(statvfs);
HJ_DECLREAL(fstatvfs);
HJ_DECLREAL(statvfs64);
HJ_DECLREAL(fstatvfs64);

/*
 * fstatat in the kernel if (dirfd, path) is a kernel path: true with the
 * result in *rv; false: pass the call to libc.
 */
static bool
hj_kstat(int dirfd, const char **pathp, void *st, int flags, int *rv)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, pathp, kp, &kd)) == HJ_HOST)
		return false;
	*rv = w == -1 ? -1 :
	    HJ_K(rump_sys_fstatat(kd, kp, (struct stat *)st, flags));
	return true;
}

/* fstat in the kernel if fd is a kernel descriptor. */
static bool
hj_kfstat(int fd, void *st, int *rv)
{
	int k = hj_inside ? -1 : hj_kfd(fd);

	if (k == -1)
		return false;
	*rv = HJ_K(rump_sys_fstat(k, (struct stat *)st));
	return true;
}

int
stat(const char *path, struct stat *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, 0, &rv))
		return rv;
	return HJ_REAL(stat)(path, st);
}

int
lstat(const char *path, struct stat *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, AT_SYMLINK_NOFOLLOW, &rv))
		return rv;
	return HJ_REAL(lstat)(path, st);
}

int
fstat(int fd, struct stat *st)
{
	int rv;

	if (hj_kfstat(fd, st, &rv))
		return rv;
	return HJ_REAL(fstat)(fd, st);
}

int
fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	int rv;

	if (hj_kstat(dirfd, &path, st, flags, &rv))
		return rv;
	return HJ_REAL(fstatat)(dirfd, path, st, flags);
}

int
stat64(const char *path, struct stat64 *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, 0, &rv))
		return rv;
	return HJ_REAL(stat64)(path, st);
}

int
lstat64(const char *path, struct stat64 *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, AT_SYMLINK_NOFOLLOW, &rv))
		return rv;
	return HJ_REAL(lstat64)(path, st);
}

int
fstat64(int fd, struct stat64 *st)
{
	int rv;

	if (hj_kfstat(fd, st, &rv))
		return rv;
	return HJ_REAL(fstat64)(fd, st);
}

int
fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	int rv;

	if (hj_kstat(dirfd, &path, st, flags, &rv))
		return rv;
	return HJ_REAL(fstatat64)(dirfd, path, st, flags);
}

int
__xstat(int ver, const char *path, struct stat *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, 0, &rv))
		return rv;
	return HJ_REAL(__xstat)(ver, path, st);
}

int
__lxstat(int ver, const char *path, struct stat *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, AT_SYMLINK_NOFOLLOW, &rv))
		return rv;
	return HJ_REAL(__lxstat)(ver, path, st);
}

int
__fxstat(int ver, int fd, struct stat *st)
{
	int rv;

	if (hj_kfstat(fd, st, &rv))
		return rv;
	return HJ_REAL(__fxstat)(ver, fd, st);
}

int
__fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	int rv;

	if (hj_kstat(dirfd, &path, st, flags, &rv))
		return rv;
	return HJ_REAL(__fxstatat)(ver, dirfd, path, st, flags);
}

int
__xstat64(int ver, const char *path, struct stat64 *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, 0, &rv))
		return rv;
	return HJ_REAL(__xstat64)(ver, path, st);
}

int
__lxstat64(int ver, const char *path, struct stat64 *st)
{
	int rv;

	if (hj_kstat(AT_FDCWD, &path, st, AT_SYMLINK_NOFOLLOW, &rv))
		return rv;
	return HJ_REAL(__lxstat64)(ver, path, st);
}

int
__fxstat64(int ver, int fd, struct stat64 *st)
{
	int rv;

	if (hj_kfstat(fd, st, &rv))
		return rv;
	return HJ_REAL(__fxstat64)(ver, fd, st);
}

int
__fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
    int flags)
{
	int rv;

	if (hj_kstat(dirfd, &path, st, flags, &rv))
		return rv;
	return HJ_REAL(__fxstatat64)(ver, dirfd, path, st, flags);
}

int
statx(int dirfd, const char *path, int flags, unsigned int mask,
    struct statx *stx)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(statx)(dirfd, path, flags, mask, stx);
	if (w == -1)
		return -1;
	return HJ_K(rump_sys_statx(kd, kp, flags, mask, stx));
}

int
faccessat(int dirfd, const char *path, int mode, int flags)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(faccessat)(dirfd, path, mode, flags);
	if (w == -1)
		return -1;
	return HJ_K(rump_sys_faccessat(kd, kp, mode, flags));
}

int
access(const char *path, int mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(access)(path, mode);
	if (w == -1)
		return -1;
	return HJ_K(rump_sys_faccessat(kd, kp, mode, 0));
}

int
euidaccess(const char *path, int mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(euidaccess)(path, mode);
	if (w == -1)
		return -1;
	return HJ_K(rump_sys_faccessat(kd, kp, mode, AT_EACCESS));
}

int
eaccess(const char *path, int mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(eaccess)(path, mode);
	if (w == -1)
		return -1;
	return HJ_K(rump_sys_faccessat(kd, kp, mode, AT_EACCESS));
}

/* statfs of a kernel path: true with the result in *rv. */
static bool
hj_kstatfs(const char **pathp, struct statfs *sf, int *rv)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, pathp, kp, &kd)) == HJ_HOST)
		return false;
	*rv = w == -1 ? -1 : HJ_K(rump_sys_statfs(kp, sf));
	return true;
}

static bool
hj_kfstatfs(int fd, struct statfs *sf, int *rv)
{
	int k = hj_inside ? -1 : hj_kfd(fd);

	if (k == -1)
		return false;
	*rv = HJ_K(rump_sys_fstatfs(k, sf));
	return true;
}

int
statfs(const char *path, struct statfs *sf)
{
	int rv;

	if (hj_kstatfs(&path, sf, &rv))
		return rv;
	return HJ_REAL(statfs)(path, sf);
}

int
fstatfs(int fd, struct statfs *sf)
{
	int rv;

	if (hj_kfstatfs(fd, sf, &rv))
		return rv;
	return HJ_REAL(fstatfs)(fd, sf);
}

int
statfs64(const char *path, struct statfs64 *sf)
{
	int rv;

	if (hj_kstatfs(&path, (struct statfs *)sf, &rv))
		return rv;
	return HJ_REAL(statfs64)(path, sf);
}

int
fstatfs64(int fd, struct statfs64 *sf)
{
	int rv;

	if (hj_kfstatfs(fd, (struct statfs *)sf, &rv))
		return rv;
	return HJ_REAL(fstatfs64)(fd, sf);
}

/* struct statvfs from the kernel's struct statfs, as glibc makes it. */
static int
hj_tovfs(int rv, const struct statfs *sf, struct statvfs *sv)
{
	if (rv == -1)
		return -1;
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = (unsigned long)sf->f_bsize;
	sv->f_frsize = (unsigned long)(sf->f_frsize != 0 ? sf->f_frsize :
	    sf->f_bsize);
	sv->f_blocks = sf->f_blocks;
	sv->f_bfree = sf->f_bfree;
	sv->f_bavail = sf->f_bavail;
	sv->f_files = sf->f_files;
	sv->f_ffree = sf->f_ffree;
	sv->f_favail = sf->f_ffree;
	memcpy(&sv->f_fsid, &sf->f_fsid,
	    sizeof(sv->f_fsid) < sizeof(sf->f_fsid) ?
	    sizeof(sv->f_fsid) : sizeof(sf->f_fsid));
	sv->f_flag = (unsigned long)sf->f_flags & ~(unsigned long)0x20;
	sv->f_namemax = (unsigned long)sf->f_namelen;
	return 0;
}

int
statvfs(const char *path, struct statvfs *sv)
{
	struct statfs sf;
	int rv;

	if (hj_kstatfs(&path, &sf, &rv))
		return hj_tovfs(rv, &sf, sv);
	return HJ_REAL(statvfs)(path, sv);
}

int
fstatvfs(int fd, struct statvfs *sv)
{
	struct statfs sf;
	int rv;

	if (hj_kfstatfs(fd, &sf, &rv))
		return hj_tovfs(rv, &sf, sv);
	return HJ_REAL(fstatvfs)(fd, sv);
}

int
statvfs64(const char *path, struct statvfs64 *sv)
{
	struct statfs sf;
	int rv;

	if (hj_kstatfs(&path, &sf, &rv))
		return hj_tovfs(rv, &sf, (struct statvfs *)sv);
	return HJ_REAL(statvfs64)(path, sv);
}

int
fstatvfs64(int fd, struct statvfs64 *sv)
{
	struct statfs sf;
	int rv;

	if (hj_kfstatfs(fd, &sf, &rv))
		return hj_tovfs(rv, &sf, (struct statvfs *)sv);
	return HJ_REAL(fstatvfs64)(fd, sv);
}
