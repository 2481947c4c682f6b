/*
 * proc_kill.c: killing a process, and the interruptible sleeps that a
 * kill ends.  There are no signals in the kernel; the one event that
 * interrupts a sleep is the death of its process (a remote client that
 * went away), after which its system calls should finish quickly
 * instead of waiting for data that will never come.
 *
 * An interruptible sleeper registers (struct sigwaiter, on its stack)
 * the condvar and mutex it waits with on its process's p_sigwaiters,
 * checks p_killed and only then waits.  proc_kill() sets p_killed and
 * broadcasts every registered condvar while holding its mutex, so a
 * sleeper is either already waiting (and woken) or has yet to check the
 * flag.  The sleeper holds its mutex when it takes p_lock, so the
 * killer, holding p_lock, only tries the mutexes and retries later.
 *
 * Lock order: the sleeper's mutex, then p_lock; pause_lock is a leaf.
 */
#include <kern/types.h>
#include <kern/kern.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>

#define KILL_RETRY_NS	1000000ULL	/* a sleeper held its mutex */

struct sigwaiter {
	kcondvar_t		*sw_cv;		/* constant */
	kmutex_t		*sw_mtx;	/* constant */
	bool			 sw_kicked;	/* p_lock: woken by a kill */
	LIST_ENTRY(sigwaiter)	 sw_list;	/* p_lock */
};

static kmutex_t pause_lock;
static kcondvar_t pause_cv;	/* only kills broadcast it */

void
proc_kill_init(void)
{

	mutex_init(&pause_lock, MUTEX_DEFAULT);
	cv_init(&pause_cv);
}

bool
proc_killed(struct proc *p)
{

	return __atomic_load_n(&p->p_killed, __ATOMIC_ACQUIRE);
}

/* Wake the sleepers not yet woken; p_lock held.  false: some sleeper
 * held its mutex, try again. */
static bool
proc_kick(struct proc *p)
{
	struct sigwaiter *sw;
	bool done = true;

	LIST_FOREACH(sw, &p->p_sigwaiters, sw_list) {
		if (sw->sw_kicked)
			continue;
		if (!mutex_tryenter(sw->sw_mtx)) {
			done = false;
			continue;
		}
		cv_broadcast(sw->sw_cv);
		mutex_exit(sw->sw_mtx);
		sw->sw_kicked = true;
	}
	return done;
}

void
proc_kill(struct proc *p)
{
	bool done;

	mutex_enter(&p->p_lock);
	__atomic_store_n(&p->p_killed, true, __ATOMIC_RELEASE);
	while (!(done = proc_kick(p))) {
		mutex_exit(&p->p_lock);
		kpause_ns(KILL_RETRY_NS);
		mutex_enter(&p->p_lock);
	}
	mutex_exit(&p->p_lock);
}

/* Register a sleep on cv with mtx (held); EINTR if already killed. */
static int
sigwait_enter(struct proc *p, struct sigwaiter *sw, kcondvar_t *cv,
    kmutex_t *mtx)
{

	sw->sw_cv = cv;
	sw->sw_mtx = mtx;
	sw->sw_kicked = false;
	mutex_enter(&p->p_lock);
	LIST_INSERT_HEAD(&p->p_sigwaiters, sw, sw_list);
	mutex_exit(&p->p_lock);
	return proc_killed(p) ? EINTR : 0;
}

static void
sigwait_exit(struct proc *p, struct sigwaiter *sw)
{

	mutex_enter(&p->p_lock);
	LIST_REMOVE(sw, sw_list);
	mutex_exit(&p->p_lock);
}

int
cv_wait_sig(kcondvar_t *cv, kmutex_t *mtx)
{
	struct proc *p = curproc;
	struct sigwaiter sw;
	int error;

	if ((error = sigwait_enter(p, &sw, cv, mtx)) == 0) {
		cv_wait(cv, mtx);
		if (proc_killed(p))
			error = EINTR;
	}
	sigwait_exit(p, &sw);
	return error;
}

int
cv_timedwait_sig_ns(kcondvar_t *cv, kmutex_t *mtx, uint64_t ns)
{
	struct proc *p = curproc;
	struct sigwaiter sw;
	int error;

	if ((error = sigwait_enter(p, &sw, cv, mtx)) == 0) {
		error = cv_timedwait_ns(cv, mtx, ns);
		if (proc_killed(p))
			error = EINTR;
	}
	sigwait_exit(p, &sw);
	return error;
}

int
kpause_sig_ns(uint64_t ns, uint64_t *leftp)
{
	uint64_t now, deadline;
	int error = 0;

	now = getnanouptime();
	deadline = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
	mutex_enter(&pause_lock);
	while (now < deadline) {
		error = cv_timedwait_sig_ns(&pause_cv, &pause_lock,
		    deadline - now);
		now = getnanouptime();
		if (error == EINTR)
			break;
		error = 0;
	}
	mutex_exit(&pause_lock);
	*leftp = now < deadline ? deadline - now : 0;
	return error;
}
