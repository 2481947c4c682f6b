/*
 * sleep.c: sleeping on a channel (any address) with mtsleep() until
 * wakeup()/wakeup_one() on the same channel, or a timeout.
 *
 * Channels hash onto a fixed table of sleep queues.  A sleeper puts
 * itself on its queue before releasing the caller's interlock, so a
 * wakeup issued by someone who took the interlock after us cannot be
 * lost.  All sleepers of a queue share its condvar; a wakeup marks the
 * sleepers it picks and broadcasts, and the others go back to sleep.
 *
 * Lock order: the caller's interlock, then sq_lock.
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>

#define SLEEPQ_HASHSIZE	64

struct sleeper {
	const void		*s_chan;	/* constant */
	bool			 s_woken;	/* sq_lock */
	TAILQ_ENTRY(sleeper)	 s_link;	/* sq_lock */
};

struct sleepq {
	kmutex_t		 sq_lock;
	kcondvar_t		 sq_cv;
	TAILQ_HEAD(, sleeper)	 sq_sleepers;	/* sq_lock */
};

static struct sleepq sleepqs[SLEEPQ_HASHSIZE];

void
sleep_init_subsys(void)
{
	size_t i;

	for (i = 0; i < SLEEPQ_HASHSIZE; i++) {
		mutex_init(&sleepqs[i].sq_lock, MUTEX_DEFAULT);
		cv_init(&sleepqs[i].sq_cv);
		TAILQ_INIT(&sleepqs[i].sq_sleepers);
	}
}

static struct sleepq *
sleepq_lookup(const void *chan)
{
	uintptr_t h = (uintptr_t)chan;

	h ^= h >> 6;
	h ^= h >> 12;
	return &sleepqs[h % SLEEPQ_HASHSIZE];
}

/* Wait on sq until woken or the monotonic deadline passes. */
static int
sleepq_wait(struct sleepq *sq, struct sleeper *s, uint64_t deadline)
{
	uint64_t now;

	while (!s->s_woken) {
		if (deadline == 0) {
			cv_wait(&sq->sq_cv, &sq->sq_lock);
			continue;
		}
		if ((now = getnanouptime()) >= deadline)
			return ETIMEDOUT;
		cv_timedwait_ns(&sq->sq_cv, &sq->sq_lock, deadline - now);
	}
	return 0;
}

int
mtsleep(const void *chan, uint64_t timo_ns, kmutex_t *interlock)
{
	struct sleepq *sq = sleepq_lookup(chan);
	struct sleeper s = { .s_chan = chan, .s_woken = false };
	uint64_t deadline = 0;
	int error;

	if (timo_ns != 0) {
		deadline = getnanouptime();
		deadline = timo_ns > UINT64_MAX - deadline ?
		    UINT64_MAX : deadline + timo_ns;
	}
	mutex_enter(&sq->sq_lock);
	TAILQ_INSERT_TAIL(&sq->sq_sleepers, &s, s_link);
	if (interlock != NULL)
		mutex_exit(interlock);
	if ((error = sleepq_wait(sq, &s, deadline)) != 0)
		TAILQ_REMOVE(&sq->sq_sleepers, &s, s_link);
	mutex_exit(&sq->sq_lock);
	if (interlock != NULL)
		mutex_enter(interlock);
	return error;
}

/* Wake the sleepers on chan, all of them or only the first. */
static void
sleepq_wake(const void *chan, bool all)
{
	struct sleepq *sq = sleepq_lookup(chan);
	struct sleeper *s, *next;
	bool woke = false;

	mutex_enter(&sq->sq_lock);
	TAILQ_FOREACH_SAFE(s, &sq->sq_sleepers, s_link, next) {
		if (s->s_chan != chan)
			continue;
		TAILQ_REMOVE(&sq->sq_sleepers, s, s_link);
		s->s_woken = true;
		woke = true;
		if (!all)
			break;
	}
	if (woke)
		cv_broadcast(&sq->sq_cv);
	mutex_exit(&sq->sq_lock);
}

void
wakeup(const void *chan)
{

	sleepq_wake(chan, true);
}

void
wakeup_one(const void *chan)
{

	sleepq_wake(chan, false);
}
