/*
 * sys_poll.c: the poll and ppoll system calls, and selnotify(), which
 * wakes them.
 *
 * A poller scans its descriptors with fo_poll; if nothing is ready it
 * sleeps until anyone calls selnotify() or its time runs out, and then
 * scans again.  selnotify() bumps a global generation number; a poller
 * notes the generation before scanning and sleeps only while it has not
 * moved, so a change between the scan and the sleep is never missed.
 * Every change wakes every poller: simple and correct, if not frugal.
 *
 * Locking: sel_lock protects sel_gen and is a leaf lock; fo_poll runs
 * without it and selnotify() callers hold no lock of the polled file.
 */

#include <kern/types.h>
#include <kern/file.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/time.h>

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define POLL_FOREVER	UINT64_MAX	/* deadline of a wait without end */

static kmutex_t sel_lock;
static kcondvar_t sel_cv;	/* pollers wait for sel_gen to move */
static uint64_t sel_gen;	/* sel_lock */

void
selnotify(void)
{

	mutex_enter(&sel_lock);
	sel_gen++;
	cv_broadcast(&sel_cv);
	mutex_exit(&sel_lock);
}

static uint64_t
sel_generation(void)
{
	uint64_t gen;

	mutex_enter(&sel_lock);
	gen = sel_gen;
	mutex_exit(&sel_lock);
	return gen;
}

/* Sleep until sel_gen moves from gen or the deadline passes (ETIMEDOUT),
 * or the process is killed (EINTR). */
static int
sel_wait(uint64_t gen, uint64_t deadline)
{
	uint64_t now;
	int error = 0;

	mutex_enter(&sel_lock);
	while (sel_gen == gen && error == 0) {
		if (deadline == POLL_FOREVER) {
			error = cv_wait_sig(&sel_cv, &sel_lock);
			continue;
		}
		if ((now = getnanouptime()) >= deadline) {
			error = ETIMEDOUT;
			break;
		}
		if (cv_timedwait_sig_ns(&sel_cv, &sel_lock, deadline - now) ==
		    EINTR)
			error = EINTR;
	}
	mutex_exit(&sel_lock);
	return error;
}

static int
poll_one(const struct pollfd *pfd)
{
	struct file *fp;
	int events = (pfd->events & 0xffff) | POLLERR | POLLHUP;
	int revents;

	if (pfd->fd < 0)
		return 0;
	if ((fp = fd_getfile(pfd->fd)) == NULL)
		return POLLNVAL;
	if (fp->f_ops->fo_poll != NULL)
		revents = fp->f_ops->fo_poll(fp, events);
	else
		revents = events & (POLLIN | POLLOUT | POLLRDNORM |
		    POLLWRNORM);
	fd_putfile(fp);
	return revents;
}

/* Fill in every revents; the number of descriptors with events. */
static int
poll_scan(struct pollfd *fds, size_t nfds)
{
	size_t i;
	int n = 0;

	for (i = 0; i < nfds; i++) {
		fds[i].revents = (short)poll_one(&fds[i]);
		if (fds[i].revents != 0)
			n++;
	}
	return n;
}

/* Poll until something is ready or the deadline (monotonic ns) passes;
 * a deadline of 0 scans once. */
static int
dopoll(struct pollfd *ufds, unsigned long nfds, uint64_t deadline,
    register_t *retval)
{
	struct pollfd *fds = NULL;
	size_t bytes = nfds * sizeof(*fds);
	bool expired = deadline == 0;
	uint64_t gen;
	int n, error;

	if (nfds > FD_DEFAULT_MAX)
		return EINVAL;
	if (nfds > 0 && (fds = kmem_alloc(bytes)) == NULL)
		return ENOMEM;
	if ((error = copyin(ufds, fds, bytes)) != 0)
		goto out;
	for (;;) {
		gen = sel_generation();
		if ((n = poll_scan(fds, nfds)) > 0 || expired)
			break;
		if ((error = sel_wait(gen, deadline)) == EINTR)
			goto out;
		expired = error == ETIMEDOUT;
	}
	if ((error = copyout(fds, ufds, bytes)) == 0)
		retval[0] = n;
out:
	if (fds != NULL)
		kmem_free(fds, bytes);
	return error;
}

/* Absolute deadline for a timeout of ns from now, saturating. */
static uint64_t
poll_deadline(uint64_t ns)
{
	uint64_t now = getnanouptime();

	return ns >= POLL_FOREVER - now ? POLL_FOREVER - 1 : now + ns;
}

static int
sys_poll(struct lwp *l, const register_t *args, register_t *retval)
{
	int timeout = SYSARG(int, 2);
	uint64_t deadline;

	if (timeout < 0)
		deadline = POLL_FOREVER;
	else if (timeout == 0)
		deadline = 0;
	else
		deadline = poll_deadline((uint64_t)timeout * NSEC_PER_MSEC);
	return dopoll(SYSARG(struct pollfd *, 0), SYSARG(unsigned long, 1),
	    deadline, retval);
}

/* Write the time left back to ppoll's timespec, as Linux does; like
 * Linux, a failure to do so does not fail the call. */
static void
ppoll_timeleft(struct timespec *uts, uint64_t deadline)
{
	struct timespec ts;
	uint64_t now = getnanouptime(), left;

	left = deadline > now ? deadline - now : 0;
	ts.tv_sec = (int64_t)(left / NSEC_PER_SEC);
	ts.tv_nsec = (long)(left % NSEC_PER_SEC);
	(void)copyout(&ts, uts, sizeof(ts));
}

/*
 * ppoll(fds, nfds, timeout, sigmask, sigsetsize).  The kernel has no
 * signals, so the signal mask and its size are ignored.
 */
static int
sys_ppoll(struct lwp *l, const register_t *args, register_t *retval)
{
	struct timespec *uts = SYSARG(struct timespec *, 2);
	struct timespec ts;
	uint64_t deadline = POLL_FOREVER;
	int error;

	if (uts != NULL) {
		if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
			return error;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
			return EINVAL;
		if (ts.tv_sec == 0 && ts.tv_nsec == 0)
			deadline = 0;
		else if ((uint64_t)ts.tv_sec < POLL_FOREVER / NSEC_PER_SEC - 1)
			deadline = poll_deadline((uint64_t)ts.tv_sec *
			    NSEC_PER_SEC + (uint64_t)ts.tv_nsec);
	}
	error = dopoll(SYSARG(struct pollfd *, 0), SYSARG(unsigned long, 1),
	    deadline, retval);
	if (error == 0 && uts != NULL && deadline != POLL_FOREVER)
		ppoll_timeleft(uts, deadline);
	return error;
}

/* Also sets up selnotify(), so it runs before anything can call that. */
void
kern_syscalls_poll_init(void)
{

	mutex_init(&sel_lock, MUTEX_DEFAULT);
	cv_init(&sel_cv);
	syscall_register(SYS_poll, sys_poll, "poll");
	syscall_register(SYS_ppoll, sys_ppoll, "ppoll");
}
