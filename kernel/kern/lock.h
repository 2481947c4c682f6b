/*
 * lock.h: kernel mutexes, reader/writer locks and condition variables,
 * built on the rumpuser synchronisation hypercalls (which release the
 * virtual CPU while blocking).  Each object holds a pointer to its
 * hypercall-layer object, created by *_init and freed by *_destroy.
 */
#ifndef _KERN_LOCK_H_
#define _KERN_LOCK_H_

#include <kern/types.h>

struct rumpuser_mtx;
struct rumpuser_rw;
struct rumpuser_cv;

typedef struct kmutex {
	struct rumpuser_mtx *mtx;
} kmutex_t;

typedef struct krwlock {
	struct rumpuser_rw *rw;
} krwlock_t;

typedef struct kcondvar {
	struct rumpuser_cv *cv;
} kcondvar_t;

typedef enum { RW_READER = 0, RW_WRITER = 1 } krw_t;

/* MUTEX_DEFAULT may sleep; MUTEX_SPIN never releases the CPU. */
#define MUTEX_DEFAULT	0
#define MUTEX_SPIN	1

void	mutex_init(kmutex_t *, int);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
int	mutex_tryenter(kmutex_t *);	/* 1 when acquired */
void	mutex_exit(kmutex_t *);
bool	mutex_owned(kmutex_t *);

void	rw_init(krwlock_t *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, krw_t);
int	rw_tryenter(krwlock_t *, krw_t);	/* 1 when acquired */
int	rw_tryupgrade(krwlock_t *);		/* 1 when upgraded */
void	rw_downgrade(krwlock_t *);
void	rw_exit(krwlock_t *);
bool	rw_write_held(krwlock_t *);	/* by the current lwp */
bool	rw_lock_held(krwlock_t *);	/* by anyone, in any mode */

void	cv_init(kcondvar_t *);
void	cv_destroy(kcondvar_t *);
void	cv_wait(kcondvar_t *, kmutex_t *);
/* Wait at most the given nanoseconds; 0 or ETIMEDOUT. */
int	cv_timedwait_ns(kcondvar_t *, kmutex_t *, uint64_t);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);
bool	cv_has_waiters(kcondvar_t *);

#endif /* _KERN_LOCK_H_ */
