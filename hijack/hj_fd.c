/*
 * hj_fd.c: the program's descriptor numbers that are kernel descriptors.
 *
 * Owns hj_fdk (number -> kernel fd + 1; 0: a host descriptor), the host
 * placeholder descriptor that reserves each such number (an open of
 * /dev/null whose FD_CLOEXEC mirrors the kernel's), and the map's
 * passage across exec (RUMPHIJACK__FDS="fd:kfd,...").  Lookups are
 * lock-free; changes take hj_fdlock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

static pthread_mutex_t hj_fdlock = PTHREAD_MUTEX_INITIALIZER;
static int hj_fdk[HJ_MAXFD];		/* hj_fdlock (writes) */

HJ_DECLREAL(open);
HJ_DECLREAL(close);
HJ_DECLREAL(fcntl);
HJ_DECLREAL(dup3);

/* The kernel descriptor behind number fd, or -1: a host descriptor. */
int
hj_kfd(int fd)
{
	if (fd < 0 || fd >= HJ_MAXFD)
		return -1;
	return __atomic_load_n(&hj_fdk[fd], __ATOMIC_RELAXED) - 1;
}

static void
hj_fdset(int fd, int k)
{
	__atomic_store_n(&hj_fdk[fd], k + 1, __ATOMIC_RELAXED);
}

/* A new placeholder at the lowest free number >= min, or -1. */
static int
hj_placeholder(int min, bool cloexec)
{
	int tmp, fd;

	tmp = HJ_REAL(open)("/dev/null", O_RDWR | O_CLOEXEC);
	if (tmp == -1)
		return -1;
	fd = HJ_REAL(fcntl)(tmp, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, min);
	if (fd == -1 && errno == EINVAL)
		fd = HJ_REAL(fcntl)(tmp, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD,
		    3);
	HJ_REAL(close)(tmp);
	if (fd >= HJ_MAXFD) {
		HJ_REAL(close)(fd);
		errno = EMFILE;
		return -1;
	}
	return fd;
}

/*
 * Give kernel descriptor k a number at or above max(min, k + fdoff);
 * returns it, or -1 with errno (k is closed then).
 */
int
hj_fdinstall(int k, int min, bool cloexec)
{
	int fd, error;

	if (min < k + hj_fdoff())
		min = k + hj_fdoff();
	pthread_mutex_lock(&hj_fdlock);
	if ((fd = hj_placeholder(min, cloexec)) != -1)
		hj_fdset(fd, k);
	pthread_mutex_unlock(&hj_fdlock);
	if (fd == -1) {
		error = errno;
		HJ_K(rump_sys_close(k));
		errno = error;
	}
	return fd;
}

/*
 * Make number fd (closing what it was) kernel descriptor k, as
 * dup2/dup3 do; 0 or -1 with errno (k is closed then).
 */
int
hj_fdinstall_at(int fd, int k, bool cloexec)
{
	int tmp, old, error = 0;

	if (fd < 0 || fd >= HJ_MAXFD) {
		HJ_K(rump_sys_close(k));
		errno = EBADF;
		return -1;
	}
	if (fd <= 2)
		hj_stdswap(fd, false);
	pthread_mutex_lock(&hj_fdlock);
	old = hj_kfd(fd);
	if ((tmp = hj_placeholder(0, true)) == -1 ||
	    HJ_REAL(dup3)(tmp, fd, cloexec ? O_CLOEXEC : 0) == -1)
		error = errno;
	else
		hj_fdset(fd, k);
	if (tmp != -1)
		HJ_REAL(close)(tmp);
	pthread_mutex_unlock(&hj_fdlock);
	if (error != 0) {
		HJ_K(rump_sys_close(k));
		errno = error;
		return -1;
	}
	if (old != -1)
		HJ_K(rump_sys_close(old));
	if (fd <= 2)
		hj_stdswap(fd, true);
	return 0;
}

/* Number fd became a host descriptor: drop its kernel descriptor. */
void
hj_fdforget(int fd)
{
	int k;

	if (fd <= 2 && hj_kfd(fd) != -1)
		hj_stdswap(fd, false);
	pthread_mutex_lock(&hj_fdlock);
	k = hj_kfd(fd);
	if (k != -1)
		hj_fdset(fd, -1);
	pthread_mutex_unlock(&hj_fdlock);
	if (k != -1)
		HJ_K(rump_sys_close(k));
}

/* close(2) of a kernel descriptor number. */
int
hj_fdclose(int fd)
{
	int k;

	if (fd <= 2)
		hj_stdswap(fd, false);
	pthread_mutex_lock(&hj_fdlock);
	k = hj_kfd(fd);
	hj_fdset(fd, -1);
	HJ_REAL(close)(fd);
	pthread_mutex_unlock(&hj_fdlock);
	if (k == -1) {
		errno = EBADF;
		return -1;
	}
	return HJ_K(rump_sys_close(k));
}

/* F_SETFD on number fd (kernel descriptor k): both sides. */
int
hj_fdsetfd(int fd, int k, int flags)
{
	if (HJ_K(rump_sys_fcntl(k, F_SETFD, flags)) == -1)
		return -1;
	return HJ_REAL(fcntl)(fd, F_SETFD, flags);
}

/* Forget every mapped number in [lo, hi] (close_range, closefrom). */
void
hj_fdclose_range(unsigned int lo, unsigned int hi)
{
	unsigned int fd;

	for (fd = lo; fd <= hi && fd < HJ_MAXFD; fd++)
		if (hj_kfd((int)fd) != -1)
			hj_fdclose((int)fd);
}

/* "fd:kfd,..." for the numbers an exec keeps; malloc'ed, or NULL. */
char *
hj_fdexport(void)
{
	size_t len = 1, o = 0;
	char *s;
	int fd, k, n;

	for (fd = 0; fd < HJ_MAXFD; fd++)
		if (hj_kfd(fd) != -1)
			len += 24;
	if (len == 1 || (s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (fd = 0; fd < HJ_MAXFD; fd++) {
		if ((k = hj_kfd(fd)) == -1 ||
		    (HJ_REAL(fcntl)(fd, F_GETFD) & FD_CLOEXEC) != 0)
			continue;
		n = snprintf(s + o, len - o, "%s%d:%d", o ? "," : "", fd, k);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
	return s;
}

/* Take over the map an exec'ing parent left (numbers that exist). */
void
hj_fdimport(const char *s)
{
	char *end;
	long fd, k;

	while (*s != '\0') {
		fd = strtol(s, &end, 10);
		if (*end != ':')
			return;
		k = strtol(end + 1, &end, 10);
		if ((*end != ',' && *end != '\0') || fd < 0 ||
		    fd >= HJ_MAXFD || k < 0 || k > INT_MAX - 1)
			return;
		if (HJ_REAL(fcntl)((int)fd, F_GETFD) != -1) {
			hj_fdset((int)fd, (int)k);
			if (fd <= 2)
				hj_stdswap((int)fd, true);
		}
		s = *end == ',' ? end + 1 : end;
	}
}
