/*
 * rumpuser_sync.c: mutexes, reader/writer locks and condition variables
 * for the kernel's locking primitives.
 *
 * Every entry point that may block first tries without blocking, and
 * only when that fails gives up the virtual CPU (rumpuser_int.h), waits,
 * and takes a CPU again.  SPIN mutexes and the _nowrap calls never give
 * up the CPU.  The rwlock is built here from a mutex and two condvars
 * because pthread rwlocks cannot be upgraded.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rumpuser_int.h"

struct rumpuser_mtx {
	pthread_mutex_t		 pthmtx;
	_Atomic(struct lwp *)	 owner;	/* KMUTEX holder; set under pthmtx */
	int			 flags;	/* RUMPUSER_MTX_* */
};

struct rumpuser_rw {
	pthread_mutex_t		 lock;		/* protects the fields below */
	pthread_cond_t		 readcv;	/* readers wait here */
	pthread_cond_t		 writecv;	/* writers wait here */
	unsigned int		 readers;	/* read holds */
	int			 writing;	/* held for writing */
	struct lwp		*writer;	/* lwp holding it for writing */
	unsigned int		 wantwrite;	/* waiting writers */
	unsigned int		 wantread;	/* waiting readers */
};

struct rumpuser_cv {
	pthread_cond_t		 pthcv;
	int			 nwaiters;	/* under the waiters' mutex */
};

/* Zeroed memory; the init calls return void, so running out is fatal. */
static void *
sync_alloc(size_t len)
{
	void *p;

	if ((p = calloc(1, len)) == NULL) {
		fprintf(stderr, "rumpuser: out of memory for a lock\n");
		abort();
	}
	return p;
}

/* ---- mutex ---------------------------------------------------------- */

void
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx = sync_alloc(sizeof(*mtx));

	pthread_mutex_init(&mtx->pthmtx, NULL);
	mtx->flags = flags;
	*mtxp = mtx;
}

/*
 * The owner is only a hint to other threads (mutex_owned() asks about
 * the caller itself), so relaxed accesses are enough.
 */
static void
mtx_setowner(struct rumpuser_mtx *mtx, struct lwp *l)
{
	atomic_store_explicit(&mtx->owner, l, memory_order_relaxed);
}

/* Called with pthmtx just acquired. */
static void
mtx_owned(struct rumpuser_mtx *mtx)
{
	if (mtx->flags & RUMPUSER_MTX_KMUTEX)
		mtx_setowner(mtx, rumpuser_curlwp());
}

void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{
	pthread_mutex_lock(&mtx->pthmtx);
	mtx_owned(mtx);
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	int nlocks;

	if (mtx->flags & RUMPUSER_MTX_SPIN) {
		rumpuser_mutex_enter_nowrap(mtx);
		return;
	}
	if (pthread_mutex_trylock(&mtx->pthmtx) != 0) {
		cpu_release(&nlocks, NULL);
		pthread_mutex_lock(&mtx->pthmtx);
		cpu_retake(nlocks, NULL);
	}
	mtx_owned(mtx);
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	if (pthread_mutex_trylock(&mtx->pthmtx) != 0)
		return errtokern(EBUSY);
	mtx_owned(mtx);
	return 0;
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{
	mtx_setowner(mtx, NULL);
	pthread_mutex_unlock(&mtx->pthmtx);
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	pthread_mutex_destroy(&mtx->pthmtx);
	free(mtx);
}

void
rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp)
{
	*lp = atomic_load_explicit(&mtx->owner, memory_order_relaxed);
}

/* ---- rwlock --------------------------------------------------------- */

void
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw = sync_alloc(sizeof(*rw));

	pthread_mutex_init(&rw->lock, NULL);
	pthread_cond_init(&rw->readcv, NULL);
	pthread_cond_init(&rw->writecv, NULL);
	*rwp = rw;
}

/* Take the lock if it is free for "op"; rw->lock held. */
static int
rw_take(struct rumpuser_rw *rw, int op)
{
	if (op == RUMPUSER_RW_WRITER) {
		if (rw->writing || rw->readers > 0)
			return EBUSY;
		rw->writing = 1;
		rw->writer = rumpuser_curlwp();
	} else {
		if (rw->writing || rw->wantwrite > 0)
			return EBUSY;
		rw->readers++;
	}
	return 0;
}

/* After a release: a waiting writer goes first, else all readers. */
static void
rw_wakeup(struct rumpuser_rw *rw)
{
	if (rw->wantwrite > 0) {
		if (!rw->writing && rw->readers == 0)
			pthread_cond_signal(&rw->writecv);
	} else if (rw->wantread > 0)
		pthread_cond_broadcast(&rw->readcv);
}

static void
rw_wait(struct rumpuser_rw *rw, int op)
{
	pthread_mutex_lock(&rw->lock);
	if (op == RUMPUSER_RW_WRITER) {
		rw->wantwrite++;
		while (rw_take(rw, op) != 0)
			pthread_cond_wait(&rw->writecv, &rw->lock);
		rw->wantwrite--;
	} else {
		rw->wantread++;
		while (rw_take(rw, op) != 0)
			pthread_cond_wait(&rw->readcv, &rw->lock);
		rw->wantread--;
	}
	pthread_mutex_unlock(&rw->lock);
}

int
rumpuser_rw_tryenter(int op, struct rumpuser_rw *rw)
{
	int error;

	pthread_mutex_lock(&rw->lock);
	error = rw_take(rw, op);
	pthread_mutex_unlock(&rw->lock);
	return errtokern(error);
}

void
rumpuser_rw_enter(int op, struct rumpuser_rw *rw)
{
	int nlocks;

	if (rumpuser_rw_tryenter(op, rw) == 0)
		return;
	cpu_release(&nlocks, NULL);
	rw_wait(rw, op);
	cpu_retake(nlocks, NULL);
}

/* Succeeds only for the sole reader. */
int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	int error = EBUSY;

	pthread_mutex_lock(&rw->lock);
	if (!rw->writing && rw->readers == 1) {
		rw->readers = 0;
		rw->writing = 1;
		rw->writer = rumpuser_curlwp();
		error = 0;
	}
	pthread_mutex_unlock(&rw->lock);
	return errtokern(error);
}

void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->lock);
	rw->writing = 0;
	rw->writer = NULL;
	rw->readers = 1;
	rw_wakeup(rw);
	pthread_mutex_unlock(&rw->lock);
}

/* Writers exclude readers, so a held write lock is the caller's. */
void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	pthread_mutex_lock(&rw->lock);
	if (rw->writing) {
		rw->writing = 0;
		rw->writer = NULL;
	} else
		rw->readers--;
	rw_wakeup(rw);
	pthread_mutex_unlock(&rw->lock);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	pthread_cond_destroy(&rw->writecv);
	pthread_cond_destroy(&rw->readcv);
	pthread_mutex_destroy(&rw->lock);
	free(rw);
}

/* WRITER: held by this lwp; READER: held by anyone (readers are anonymous). */
void
rumpuser_rw_held(int op, struct rumpuser_rw *rw, int *heldp)
{
	pthread_mutex_lock(&rw->lock);
	if (op == RUMPUSER_RW_WRITER)
		*heldp = rw->writing && rw->writer == rumpuser_curlwp();
	else
		*heldp = rw->readers > 0;
	pthread_mutex_unlock(&rw->lock);
}

/* ---- condvar -------------------------------------------------------- */

void
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv = sync_alloc(sizeof(*cv));
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cv->pthcv, &attr);
	pthread_condattr_destroy(&attr);
	*cvp = cv;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	pthread_cond_destroy(&cv->pthcv);
	free(cv);
}

/*
 * Wait on cv, without a CPU, until woken or until *deadline (monotonic;
 * NULL for none).  On wakeup mtx is released before a CPU is taken and
 * entered again afterwards, so that this thread never holds mtx while it
 * waits for a CPU.
 */
static int
cv_block(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    const struct timespec *deadline)
{
	int error, nlocks;

	cv->nwaiters++;
	mtx_setowner(mtx, NULL);
	cpu_release(&nlocks, mtx);
	if (deadline == NULL)
		error = pthread_cond_wait(&cv->pthcv, &mtx->pthmtx);
	else
		error = pthread_cond_timedwait(&cv->pthcv, &mtx->pthmtx,
		    deadline);
	cv->nwaiters--;
	pthread_mutex_unlock(&mtx->pthmtx);
	cpu_retake(nlocks, mtx);
	rumpuser_mutex_enter(mtx);
	return error;
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	cv_block(cv, mtx, NULL);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	cv->nwaiters++;
	mtx_setowner(mtx, NULL);
	pthread_cond_wait(&cv->pthcv, &mtx->pthmtx);
	cv->nwaiters--;
	mtx_owned(mtx);
}

/* The timeout is relative; returns 0 or ETIMEDOUT. */
int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec)
{
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += sec + nsec / 1000000000;
	deadline.tv_nsec += nsec % 1000000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	if (cv_block(cv, mtx, &deadline) == ETIMEDOUT)
		return errtokern(ETIMEDOUT);
	return 0;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	pthread_cond_signal(&cv->pthcv);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	pthread_cond_broadcast(&cv->pthcv);
}

void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *nwaitersp)
{
	*nwaitersp = cv->nwaiters;
}
