/*
 * hj_poll.c: waiting for descriptors: poll, ppoll, select, pselect, and
 * epoll_ctl, which cannot watch kernel files.  Only kernel descriptors:
 * one poll in the kernel.  A mix: the kernel set is polled without
 * waiting and the host set for at most HJ_SLICE ms, in turns, until
 * something is ready or the time is up (correct, not fast).  ppoll's and
 * pselect's signal mask is set around the wait, not atomically.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define HJ_SLICE	10	/* ms of host wait per turn in a mix */

HJ_DECLREAL(poll);
HJ_DECLREAL(ppoll);
HJ_DECLREAL(select);
HJ_DECLREAL(pselect);
HJ_DECLREAL(epoll_ctl);

static long long
hj_nowms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
hj_anyk(const struct pollfd *fds, nfds_t n)
{
	nfds_t i;

	if (hj_inside)
		return false;
	for (i = 0; i < n; i++)
		if (hj_kfd(fds[i].fd) != -1)
			return true;
	return false;
}

/*
 * One turn: kernel entries of fds (kernel: true) or host ones, waiting
 * up to ms; returns the number ready or -1.  Entries of the other side
 * are left with revents 0.
 */
static int
hj_pollside(struct pollfd *fds, nfds_t n, bool kernel, int ms)
{
	struct pollfd *sub;
	nfds_t i, m = 0;
	int k, rv;

	if ((sub = calloc(n > 0 ? n : 1, sizeof(*sub))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		k = hj_kfd(fds[i].fd);
		sub[i] = fds[i];
		sub[i].revents = 0;
		if ((k != -1) != kernel || fds[i].fd < 0)
			sub[i].fd = -1;
		else if (kernel)
			sub[i].fd = k;
		m += sub[i].fd >= 0;
	}
	if (m == 0 && kernel)
		rv = 0;
	else if (kernel)
		rv = HJ_K(rump_sys_poll(sub, n, ms));
	else
		rv = HJ_REAL(poll)(sub, n, ms);
	for (i = 0; rv >= 0 && i < n; i++)
		if (sub[i].fd >= 0)
			fds[i].revents = sub[i].revents;
	free(sub);
	return rv;
}

/* poll over a mix of host and kernel descriptors (ms < 0: forever). */
static int
hj_pollmix(struct pollfd *fds, nfds_t n, int ms)
{
	long long end = ms < 0 ? 0 : hj_nowms() + ms, left;
	int rk, rh;
	nfds_t i;

	for (i = 0; i < n; i++)
		fds[i].revents = 0;
	for (;;) {
		if ((rk = hj_pollside(fds, n, true, 0)) == -1)
			return -1;
		left = ms < 0 ? HJ_SLICE : end - hj_nowms();
		if (left < 0)
			left = 0;
		if ((rh = hj_pollside(fds, n, false, rk > 0 ? 0 :
		    (int)(left < HJ_SLICE ? left : HJ_SLICE))) == -1)
			return -1;
		if (rk + rh > 0 || (ms >= 0 && hj_nowms() >= end))
			return rk + rh;
	}
}

static int
hj_kpoll(struct pollfd *fds, nfds_t n, int ms)
{
	nfds_t i;

	for (i = 0; i < n; i++)
		if (fds[i].fd >= 0 && hj_kfd(fds[i].fd) == -1)
			return hj_pollmix(fds, n, ms);
	return hj_pollside(fds, n, true, ms);
}

int
poll(struct pollfd *fds, nfds_t n, int ms)
{
	if (!hj_anyk(fds, n))
		return HJ_REAL(poll)(fds, n, ms);
	return hj_kpoll(fds, n, ms);
}

static int
hj_tsms(const struct timespec *ts)
{
	long long ms;

	if (ts == NULL)
		return -1;
	ms = (long long)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

int
ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts,
    const sigset_t *mask)
{
	sigset_t old;
	int rv, error;

	if (!hj_anyk(fds, n))
		return HJ_REAL(ppoll)(fds, n, ts, mask);
	if (ts != NULL && (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    ts->tv_nsec >= 1000000000)) {
		errno = EINVAL;
		return -1;
	}
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	rv = hj_kpoll(fds, n, hj_tsms(ts));
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return rv;
}

/* Does any set name a kernel descriptor? */
static bool
hj_anykset(int nfds, fd_set *r, fd_set *w, fd_set *e)
{
	int fd;

	if (hj_inside)
		return false;
	for (fd = 0; fd < nfds && fd < FD_SETSIZE; fd++)
		if (hj_kfd(fd) != -1 && ((r && FD_ISSET(fd, r)) ||
		    (w && FD_ISSET(fd, w)) || (e && FD_ISSET(fd, e))))
			return true;
	return false;
}

/* select through hj_kpoll. */
static int
hj_kselect(int nfds, fd_set *r, fd_set *w, fd_set *e, int ms)
{
	struct pollfd *fds;
	int fd, n = 0, i, rv;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if ((fds = calloc((size_t)nfds + 1, sizeof(*fds))) == NULL)
		return -1;
	for (fd = 0; fd < nfds; fd++) {
		short ev = (r && FD_ISSET(fd, r) ? POLLIN : 0) |
		    (w && FD_ISSET(fd, w) ? POLLOUT : 0) |
		    (e && FD_ISSET(fd, e) ? POLLPRI : 0);
		if (ev != 0) {
			fds[n].fd = fd;
			fds[n++].events = ev;
		}
	}
	if ((rv = hj_kpoll(fds, (nfds_t)n, ms)) >= 0) {
		rv = 0;
		for (i = 0; i < n; i++)
			if (fds[i].revents & POLLNVAL) {
				free(fds);
				errno = EBADF;
				return -1;
			}
		for (i = 0; i < n; i++) {
			fd = fds[i].fd;
			if (r && FD_ISSET(fd, r) && !(fds[i].revents &
			    (POLLIN | POLLHUP | POLLERR)))
				FD_CLR(fd, r);
			if (w && FD_ISSET(fd, w) && !(fds[i].revents &
			    (POLLOUT | POLLERR)))
				FD_CLR(fd, w);
			if (e && FD_ISSET(fd, e) && !(fds[i].revents &
			    POLLPRI))
				FD_CLR(fd, e);
			rv += (r && FD_ISSET(fd, r)) + (w && FD_ISSET(fd, w)) +
			    (e && FD_ISSET(fd, e));
		}
	}
	free(fds);
	return rv;
}

int
select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	long long ms;

	if (!hj_anykset(nfds, r, w, e))
		return HJ_REAL(select)(nfds, r, w, e, tv);
	if (tv != NULL && (tv->tv_sec < 0 || tv->tv_usec < 0)) {
		errno = EINVAL;
		return -1;
	}
	ms = tv == NULL ? -1 :
	    (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
	return hj_kselect(nfds, r, w, e, ms > INT_MAX ? INT_MAX : (int)ms);
}

int
pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
    const sigset_t *mask)
{
	sigset_t old;
	int rv, error;

	if (!hj_anykset(nfds, r, w, e))
		return HJ_REAL(pselect)(nfds, r, w, e, ts, mask);
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	rv = hj_kselect(nfds, r, w, e, hj_tsms(ts));
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return rv;
}

/* A kernel file cannot be watched by a host epoll: EPERM, as Linux
 * answers for regular files. */
int
epoll_ctl(int ep, int op, int fd, struct epoll_event *ev)
{
	if (hj_inside || hj_kfd(fd) == -1)
		return HJ_REAL(epoll_ctl)(ep, op, fd, ev);
	errno = EPERM;
	return -1;
}
