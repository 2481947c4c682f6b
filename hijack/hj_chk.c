/*
 * hj_chk.c: the fortified entry points (_FORTIFY_SOURCE) that Debian's
 * programs call instead of read, realpath, poll and friends.  glibc's
 * versions reach the plain calls internally, where LD_PRELOAD cannot
 * see them.  When the buffer is too small the real one is called, so
 * the overflow is reported exactly as glibc reports it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "hijack.h"

HJ_DECLREAL(__read_chk);
HJ_DECLREAL(__pread_chk);
HJ_DECLREAL(__pread64_chk);
HJ_DECLREAL(__readlink_chk);
HJ_DECLREAL(__readlinkat_chk);
HJ_DECLREAL(__getcwd_chk);
HJ_DECLREAL(__realpath_chk);
HJ_DECLREAL(__poll_chk);
HJ_DECLREAL(__ppoll_chk);

ssize_t
__read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		return HJ_REAL(__read_chk)(fd, buf, len, buflen);
	return read(fd, buf, len);
}

ssize_t
__pread_chk(int fd, void *buf, size_t len, off_t off, size_t buflen)
{
	if (len > buflen)
		return HJ_REAL(__pread_chk)(fd, buf, len, off, buflen);
	return pread(fd, buf, len, off);
}

ssize_t
__pread64_chk(int fd, void *buf, size_t len, off64_t off, size_t buflen)
{
	if (len > buflen)
		return HJ_REAL(__pread64_chk)(fd, buf, len, off, buflen);
	return pread64(fd, buf, len, off);
}

ssize_t
__readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		return HJ_REAL(__readlink_chk)(path, buf, len, buflen);
	return readlink(path, buf, len);
}

ssize_t
__readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
    size_t buflen)
{
	if (len > buflen)
		return HJ_REAL(__readlinkat_chk)(dirfd, path, buf, len,
		    buflen);
	return readlinkat(dirfd, path, buf, len);
}

char *
__getcwd_chk(char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		return HJ_REAL(__getcwd_chk)(buf, len, buflen);
	return getcwd(buf, len);
}

char *
__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolved != NULL && resolvedlen < PATH_MAX)
		return HJ_REAL(__realpath_chk)(path, resolved, resolvedlen);
	return realpath(path, resolved);
}

int
__poll_chk(struct pollfd *fds, nfds_t n, int ms, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < n)
		return HJ_REAL(__poll_chk)(fds, n, ms, fdslen);
	return poll(fds, n, ms);
}

int
__ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *ts,
    const __sigset_t *mask, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < n)
		return HJ_REAL(__ppoll_chk)(fds, n, ts, mask, fdslen);
	return ppoll(fds, n, ts, mask);
}
