/*
 * rumpclient_fd.c: the host descriptors librumpclient owns.
 *
 * Today that is one, the connection's socket (rc.fd).  It is kept at
 * RC_FDBASE or above, out of the way of a program's own descriptors,
 * and a library that interposes close/dup2/closefrom (librumphijack)
 * asks first with rumpclient__closenotify(), which moves it out of
 * the way; rumpclient__fds() names it.
 *
 * Moving takes rc.lock and rc.sendlock, so no frame is being sent
 * meanwhile; the thread reading replies looks rc.fd up again before
 * each read, and a read already blocked in the host kernel continues
 * on the same socket under its new number.
 */
#include <errno.h>
#include <fcntl.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"

int
rc_fdplace(int fd)
{
	int nfd;

	if (fd >= RC_FDBASE)
		return fd;
	if ((nfd = rc_hfcntl(fd, F_DUPFD_CLOEXEC, RC_FDBASE)) == -1)
		return fd;
	rc_hclose(fd);
	return nfd;
}

int
rc_fd(int fd)
{
	return fd == RC_CONNFD ? __atomic_load_n(&rc.fd, __ATOMIC_ACQUIRE) :
	    fd;
}

/* Move the connection to another descriptor: >= RC_FDBASE if it can
 * (below < 0), or the lowest free one if that is below below; both
 * locks held.  0 or an errno. */
static int
rc_fdmove(int below)
{
	int nfd = -1;

	if (below < 0)
		nfd = rc_hfcntl(rc.fd, F_DUPFD_CLOEXEC, RC_FDBASE);
	if (nfd == -1)
		nfd = rc_hfcntl(rc.fd, F_DUPFD_CLOEXEC, 0);
	if (nfd == -1)
		return errno;
	if (below >= 0 && nfd >= below) {
		rc_hclose(nfd);
		return EBUSY;
	}
	rc_hclose(rc.fd);
	__atomic_store_n(&rc.fd, nfd, __ATOMIC_RELEASE);
	return 0;
}

int
rumpclient__closenotify(int *fdp, int variant)
{
	int error = 0;

	if (fdp == NULL || *fdp < 0 || variant < RUMPCLIENT_CLOSE_CLOSE ||
	    variant > RUMPCLIENT_CLOSE_FCLOSEM) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&rc.lock);
	pthread_mutex_lock(&rc.sendlock);
	if (rc.fd < 0)
		error = 0;
	else if (variant == RUMPCLIENT_CLOSE_FCLOSEM) {
		if (rc.fd >= *fdp)
			error = rc_fdmove(*fdp);
	} else if (rc.fd == *fdp)
		error = rc_fdmove(-1);
	pthread_mutex_unlock(&rc.sendlock);
	pthread_mutex_unlock(&rc.lock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
rumpclient__fds(int *fds, int n)
{
	int nfd;

	if (n < 0 || (n > 0 && fds == NULL)) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&rc.lock);
	nfd = rc.fd >= 0 ? 1 : 0;
	if (nfd > 0 && n > 0)
		fds[0] = rc.fd;
	pthread_mutex_unlock(&rc.lock);
	return nfd;
}
