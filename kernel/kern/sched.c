/*
 * sched.c: virtual CPUs.
 *
 * A CPU is free when ci_curlwp is NULL; an lwp takes it with one
 * compare-and-swap (trying the CPU it ran on last first) and gives it
 * back with one exchange.  When every CPU is busy the lwp sleeps on
 * sched_cv; a releasing lwp wakes a sleeper only if sched_waiters says
 * there is one, so the uncontended path never touches a lock.
 *
 * Locking: sched_mtx (a hypercall mutex used without CPU wrapping, since
 * its holder has no CPU) protects sleeping on sched_cv; sched_waiters is
 * atomic and updated under sched_mtx.
 */
#include <kern/types.h>
#include <kern/sched.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>

int ncpu;
struct cpu *cpus;

static struct rumpuser_mtx *sched_mtx;
static struct rumpuser_cv *sched_cv;
static int sched_waiters;	/* atomic */

static bool
cpu_tryget(struct cpu *ci, struct lwp *l)
{
	struct lwp *none = NULL;

	return __atomic_compare_exchange_n(&ci->ci_curlwp, &none, l, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static struct cpu *
cpu_tryany(struct lwp *l)
{
	int i;

	for (i = 0; i < ncpu; i++)
		if (cpu_tryget(&cpus[i], l))
			return &cpus[i];
	return NULL;
}

static struct cpu *
sched_wait(struct lwp *l)
{
	struct cpu *ci;

	rumpuser_mutex_enter_nowrap(sched_mtx);
	__atomic_add_fetch(&sched_waiters, 1, __ATOMIC_SEQ_CST);
	while ((ci = cpu_tryany(l)) == NULL)
		rumpuser_cv_wait_nowrap(sched_cv, sched_mtx);
	__atomic_sub_fetch(&sched_waiters, 1, __ATOMIC_SEQ_CST);
	rumpuser_mutex_exit(sched_mtx);
	return ci;
}

void
sched_acquire(struct lwp *l)
{
	struct cpu *ci;

	KASSERT(l->l_cpu == NULL);
	ci = l->l_lastcpu;
	if (__predict_false(!cpu_tryget(ci, l))) {
		ci = cpu_tryany(l);
		if (ci == NULL)
			ci = sched_wait(l);
		l->l_lastcpu = ci;
	}
	l->l_cpu = ci;
}

void
sched_release(struct lwp *l)
{
	struct cpu *ci = l->l_cpu;

	KASSERT(ci != NULL && ci->ci_curlwp == l);
	l->l_cpu = NULL;
	(void)__atomic_exchange_n(&ci->ci_curlwp, NULL, __ATOMIC_SEQ_CST);
	if (__predict_false(__atomic_load_n(&sched_waiters,
	    __ATOMIC_SEQ_CST) != 0)) {
		rumpuser_mutex_enter_nowrap(sched_mtx);
		rumpuser_cv_signal(sched_cv);
		rumpuser_mutex_exit(sched_mtx);
	}
}

void
rump_schedule(void)
{

	sched_acquire(lwp_current());
}

void
rump_unschedule(void)
{

	sched_release(curlwp);
}

int
sched_init(int n)
{
	void *mem;
	int i;

	if (rumpuser_malloc(sizeof(*cpus) * (size_t)n, sizeof(*cpus), &mem))
		return ENOMEM;
	cpus = mem;
	memset(cpus, 0, sizeof(*cpus) * (size_t)n);
	for (i = 0; i < n; i++)
		cpus[i].ci_index = i;
	ncpu = n;
	rumpuser_mutex_init(&sched_mtx, RUMPUSER_MTX_SPIN);
	rumpuser_cv_init(&sched_cv);
	return 0;
}
