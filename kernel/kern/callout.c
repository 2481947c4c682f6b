/*
 * callout.c: callouts, functions run once from the clock thread after a
 * delay.  Pending callouts sit on one queue sorted by deadline; a single
 * kernel thread, started by the first callout_schedule_ns(), sleeps
 * until the earliest deadline and runs expired callouts with the lock
 * dropped.  callout_shutdown() stops and joins it at halt.
 *
 * Locking: callout_lock protects the queue, c_when, c_flags and the
 * clock thread's state below.  Callout functions run without it, so they
 * may take any lock and reschedule or stop themselves.
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <lib/queue.h>

#define CALLOUT_PENDING	0x01	/* on callout_queue */

static kmutex_t callout_lock;
static kcondvar_t callout_cv;		/* clock thread: work or exit */
static kcondvar_t callout_done_cv;	/* callout_halt: a run ended */
static TAILQ_HEAD(, callout) callout_queue;	/* callout_lock, by c_when */
static struct callout *callout_running;	/* callout_lock */
static struct lwp *callout_lwp;		/* clock thread; callout_lock */
static bool callout_starting;		/* being created; callout_lock */
static bool callout_exiting;		/* callout_lock */

void
callout_init_subsys(void)
{

	mutex_init(&callout_lock, MUTEX_DEFAULT);
	cv_init(&callout_cv);
	cv_init(&callout_done_cv);
	TAILQ_INIT(&callout_queue);
}

/* Run c, due now; called and returns with callout_lock held. */
static void
callout_run(struct callout *c)
{
	void (*func)(void *) = c->c_func;
	void *arg = c->c_arg;

	TAILQ_REMOVE(&callout_queue, c, c_link);
	c->c_flags &= ~CALLOUT_PENDING;
	callout_running = c;
	mutex_exit(&callout_lock);
	func(arg);
	mutex_enter(&callout_lock);
	callout_running = NULL;
	cv_broadcast(&callout_done_cv);
}

static void
callout_thread(void *arg)
{
	struct callout *c;
	uint64_t now;

	mutex_enter(&callout_lock);
	while (!callout_exiting) {
		if ((c = TAILQ_FIRST(&callout_queue)) == NULL) {
			cv_wait(&callout_cv, &callout_lock);
			continue;
		}
		now = getnanouptime();
		if (c->c_when > now) {
			cv_timedwait_ns(&callout_cv, &callout_lock,
			    c->c_when - now);
			continue;
		}
		callout_run(c);
	}
	mutex_exit(&callout_lock);
}

/* Start the clock thread if nobody has; called with callout_lock held. */
static void
callout_start_thread(void)
{
	struct lwp *l;
	int error;

	if (callout_lwp != NULL || callout_starting || callout_exiting)
		return;
	callout_starting = true;
	mutex_exit(&callout_lock);
	error = kthread_create(callout_thread, NULL, "callout",
	    KTHREAD_MUSTJOIN, &l);
	mutex_enter(&callout_lock);
	callout_starting = false;
	if (error != 0) {
		printf("callout: cannot start the clock thread: error %d\n",
		    error);
		return;
	}
	callout_lwp = l;
}

void
callout_init(struct callout *c, void (*func)(void *), void *arg)
{

	c->c_func = func;
	c->c_arg = arg;
	c->c_when = 0;
	c->c_flags = 0;
}

void
callout_schedule_ns(struct callout *c, uint64_t ns)
{
	struct callout *it;
	uint64_t now = getnanouptime();

	mutex_enter(&callout_lock);
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&callout_queue, c, c_link);
	c->c_when = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
	c->c_flags |= CALLOUT_PENDING;
	TAILQ_FOREACH(it, &callout_queue, c_link) {
		if (it->c_when > c->c_when)
			break;
	}
	if (it != NULL)
		TAILQ_INSERT_BEFORE(it, c, c_link);
	else
		TAILQ_INSERT_TAIL(&callout_queue, c, c_link);
	if (TAILQ_FIRST(&callout_queue) == c)
		cv_signal(&callout_cv);
	callout_start_thread();
	mutex_exit(&callout_lock);
}

/* Take c off the queue; callout_lock held.  True if it was pending. */
static bool
callout_unqueue(struct callout *c)
{

	if ((c->c_flags & CALLOUT_PENDING) == 0)
		return false;
	TAILQ_REMOVE(&callout_queue, c, c_link);
	c->c_flags &= ~CALLOUT_PENDING;
	return true;
}

bool
callout_stop(struct callout *c)
{
	bool pending;

	mutex_enter(&callout_lock);
	pending = callout_unqueue(c);
	mutex_exit(&callout_lock);
	return pending;
}

bool
callout_halt(struct callout *c)
{
	bool pending;

	mutex_enter(&callout_lock);
	KASSERTMSG(callout_running != c || curlwp != callout_lwp,
	    "callout_halt: called from the callout itself");
	pending = callout_unqueue(c);
	while (callout_running == c)
		cv_wait(&callout_done_cv, &callout_lock);
	mutex_exit(&callout_lock);
	return pending;
}

bool
callout_pending(struct callout *c)
{
	bool pending;

	mutex_enter(&callout_lock);
	pending = (c->c_flags & CALLOUT_PENDING) != 0;
	mutex_exit(&callout_lock);
	return pending;
}

/* The callout must not be running; a pending one is cancelled. */
void
callout_destroy(struct callout *c)
{

	mutex_enter(&callout_lock);
	KASSERTMSG(callout_running != c, "callout_destroy: callout running");
	callout_unqueue(c);
	mutex_exit(&callout_lock);
}

void
callout_shutdown(void)
{
	struct lwp *l;
	int error;

	mutex_enter(&callout_lock);
	callout_exiting = true;
	cv_broadcast(&callout_cv);
	l = callout_lwp;
	callout_lwp = NULL;
	mutex_exit(&callout_lock);
	if (l != NULL && (error = kthread_join(l)) != 0)
		printf("callout: joining the clock thread failed: %d\n", error);
}
