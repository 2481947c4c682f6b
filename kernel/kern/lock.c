/*
 * lock.c: kernel mutexes, rwlocks and condition variables on top of the
 * rumpuser synchronisation hypercalls.  Blocking is the hypercall
 * layer's business: it gives the virtual CPU back while it waits.
 */
#include <kern/types.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>

void
mutex_init(kmutex_t *m, int type)
{
	int flags = RUMPUSER_MTX_KMUTEX;

	if (type == MUTEX_SPIN)
		flags |= RUMPUSER_MTX_SPIN;
	rumpuser_mutex_init(&m->mtx, flags);
}

void
mutex_destroy(kmutex_t *m)
{

	rumpuser_mutex_destroy(m->mtx);
}

void
mutex_enter(kmutex_t *m)
{

	rumpuser_mutex_enter(m->mtx);
}

int
mutex_tryenter(kmutex_t *m)
{

	return rumpuser_mutex_tryenter(m->mtx) == 0;
}

void
mutex_exit(kmutex_t *m)
{

	rumpuser_mutex_exit(m->mtx);
}

bool
mutex_owned(kmutex_t *m)
{
	struct lwp *owner;

	rumpuser_mutex_owner(m->mtx, &owner);
	return owner != NULL && owner == curlwp;
}

void
rw_init(krwlock_t *rw)
{

	rumpuser_rw_init(&rw->rw);
}

void
rw_destroy(krwlock_t *rw)
{

	rumpuser_rw_destroy(rw->rw);
}

void
rw_enter(krwlock_t *rw, krw_t op)
{

	rumpuser_rw_enter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{

	return rumpuser_rw_tryenter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw) == 0;
}

int
rw_tryupgrade(krwlock_t *rw)
{

	return rumpuser_rw_tryupgrade(rw->rw) == 0;
}

void
rw_downgrade(krwlock_t *rw)
{

	rumpuser_rw_downgrade(rw->rw);
}

void
rw_exit(krwlock_t *rw)
{

	rumpuser_rw_exit(rw->rw);
}

bool
rw_write_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw->rw, &held);
	return held != 0;
}

bool
rw_lock_held(krwlock_t *rw)
{
	int held;

	if (rw_write_held(rw))
		return true;
	rumpuser_rw_held(RUMPUSER_RW_READER, rw->rw, &held);
	return held != 0;
}

void
cv_init(kcondvar_t *cv)
{

	rumpuser_cv_init(&cv->cv);
}

void
cv_destroy(kcondvar_t *cv)
{

	rumpuser_cv_destroy(cv->cv);
}

void
cv_wait(kcondvar_t *cv, kmutex_t *m)
{

	rumpuser_cv_wait(cv->cv, m->mtx);
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *m, uint64_t ns)
{
	int error;

	error = rumpuser_cv_timedwait(cv->cv, m->mtx,
	    (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000));
	return error == ETIMEDOUT ? ETIMEDOUT : 0;
}

void
cv_signal(kcondvar_t *cv)
{

	rumpuser_cv_signal(cv->cv);
}

void
cv_broadcast(kcondvar_t *cv)
{

	rumpuser_cv_broadcast(cv->cv);
}

bool
cv_has_waiters(kcondvar_t *cv)
{
	int n;

	rumpuser_cv_has_waiters(cv->cv, &n);
	return n != 0;
}
