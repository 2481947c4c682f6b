/*
 * hj_open.c: opening files: open, openat, creat and their 64-bit and
 * fortified (__open_2) variants.  A kernel path is opened in the kernel
 * and its descriptor given a number by hj_fd.c; anything else goes to
 * libc unchanged.  The kernel has no O_PATH: such opens are read-only
 * opens (they need read permission, which O_PATH does not).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_DECLREAL(open);
HJ_DECLREAL(open64);
HJ_DECLREAL(openat);
HJ_DECLREAL(openat64);
HJ_DECLREAL(__open_2);
HJ_DECLREAL(__open64_2);
HJ_DECLREAL(__openat_2);
HJ_DECLREAL(__openat64_2);
HJ_DECLREAL(creat);
HJ_DECLREAL(creat64);

/*
 * Open (dirfd, path) in the kernel if it is a kernel path: true with the
 * result in *rv; false: the caller passes the call to libc.
 */
static bool
hj_openk(int dirfd, const char **pathp, int flags, mode_t mode, int *rv)
{
	char kp[PATH_MAX];
	int kd, k, w;

	if ((w = hj_kpath(dirfd, pathp, kp, &kd)) == HJ_HOST)
		return false;
	*rv = -1;
	if (w == -1)
		return true;
	if ((flags & O_PATH) != 0)
		flags = O_RDONLY |
		    (flags & (O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if ((k = HJ_K(rump_sys_openat(kd, kp, flags, mode))) == -1)
		return true;
	*rv = hj_fdinstall(k, 0, (flags & O_CLOEXEC) != 0);
	return true;
}

static mode_t
hj_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int rv;

	va_start(ap, flags);
	mode = hj_mode(flags, ap);
	va_end(ap);
	if (hj_openk(AT_FDCWD, &path, flags, mode, &rv))
		return rv;
	return HJ_REAL(open)(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int rv;

	va_start(ap, flags);
	mode = hj_mode(flags, ap);
	va_end(ap);
	if (hj_openk(AT_FDCWD, &path, flags, mode, &rv))
		return rv;
	return HJ_REAL(open64)(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int rv;

	va_start(ap, flags);
	mode = hj_mode(flags, ap);
	va_end(ap);
	if (hj_openk(dirfd, &path, flags, mode, &rv))
		return rv;
	return HJ_REAL(openat)(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int rv;

	va_start(ap, flags);
	mode = hj_mode(flags, ap);
	va_end(ap);
	if (hj_openk(dirfd, &path, flags, mode, &rv))
		return rv;
	return HJ_REAL(openat64)(dirfd, path, flags, mode);
}

int
__open_2(const char *path, int flags)
{
	int rv;

	if (hj_openk(AT_FDCWD, &path, flags, 0, &rv))
		return rv;
	return HJ_REAL(__open_2)(path, flags);
}

int
__open64_2(const char *path, int flags)
{
	int rv;

	if (hj_openk(AT_FDCWD, &path, flags, 0, &rv))
		return rv;
	return HJ_REAL(__open64_2)(path, flags);
}

int
__openat_2(int dirfd, const char *path, int flags)
{
	int rv;

	if (hj_openk(dirfd, &path, flags, 0, &rv))
		return rv;
	return HJ_REAL(__openat_2)(dirfd, path, flags);
}

int
__openat64_2(int dirfd, const char *path, int flags)
{
	int rv;

	if (hj_openk(dirfd, &path, flags, 0, &rv))
		return rv;
	return HJ_REAL(__openat64_2)(dirfd, path, flags);
}

int
creat(const char *path, mode_t mode)
{
	int rv;

	if (hj_openk(AT_FDCWD, &path, O_CREAT | O_WRONLY | O_TRUNC, mode, &rv))
		return rv;
	return HJ_REAL(creat)(path, mode);
}

int
creat64(const char *path, mode_t mode)
{
	int rv;

	if (hj_openk(AT_FDCWD, &path, O_CREAT | O_WRONLY | O_TRUNC, mode, &rv))
		return rv;
	return HJ_REAL(creat64)(path, mode);
}
