/*
 * lwp.c: lightweight processes.  An lwp is the kernel context of a host
 * thread; rumpuser_curlwp() finds the calling thread's.  A thread that
 * enters the kernel without one gets an implicit lwp in proc 1, which it
 * keeps until it exits (the hypercall layer's lwpexit upcall) or switches
 * to an explicit lwp, so only its first call allocates.
 *
 * lwps are allocated from the host directly rather than from kmem: the
 * implicit lwp must be obtainable even when the kernel's memory limit is
 * exhausted, so that the thread can still make the call that frees memory.
 */
#include <kern/types.h>
#include <kern/lwp.h>
#include <kern/sched.h>
#include <kern/file.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>

struct lwp *
lwp_create(struct proc *p)
{
	struct lwp *l;
	void *mem;

	if (rumpuser_malloc(sizeof(*l), 0, &mem) != 0)
		return NULL;
	l = mem;
	memset(l, 0, sizeof(*l));
	l->l_proc = p;
	mutex_enter(&p->p_lock);
	l->l_cred = p->p_cred;
	cred_hold(l->l_cred);
	mutex_exit(&p->p_lock);
	mutex_enter(&proc_lock);
	l->l_lid = ++p->p_nextlid;
	p->p_nlwps++;
	LIST_INSERT_HEAD(&p->p_lwps, l, l_sibling);
	mutex_exit(&proc_lock);
	l->l_lastcpu = &cpus[(unsigned int)l->l_lid % (unsigned int)ncpu];
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	return l;
}

/*
 * Destroy the calling thread's own lwp l.  When it is the last lwp of its
 * process the process exits, which needs a CPU: take one as l if l does
 * not hold one.  Returns with the thread having no lwp and no CPU.
 */
void
lwp_destroy(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last;

	KASSERT(l == curlwp);
	mutex_enter(&proc_lock);
	LIST_REMOVE(l, l_sibling);
	last = --p->p_nlwps == 0 && p != proc0 && p != proc1;
	if (last)
		LIST_REMOVE(p, p_list);
	mutex_exit(&proc_lock);
	if (last) {
		if (l->l_cpu == NULL)
			sched_acquire(l);
		proc_exit(p);
	}
	if (l->l_cpu != NULL)
		sched_release(l);
	lwp_setcurrent(NULL);
	cred_free(l->l_cred);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
	rumpuser_free(l, sizeof(*l));
}

void
lwp_setcurrent(struct lwp *l)
{

	if (l != NULL) {
		KASSERT((l->l_flags & LW_RUNNING) == 0);
		l->l_flags |= LW_RUNNING;
		rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	} else {
		l = rumpuser_curlwp();
		if (l != NULL)
			l->l_flags &= ~LW_RUNNING;
		rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, NULL);
	}
}

/*
 * Leave the calling thread's lwp: implicit and exiting lwps are
 * destroyed, explicit ones stay for a later switch back.
 */
void
lwp_leave(void)
{
	struct lwp *l = curlwp;

	if (l == NULL)
		return;
	if (l->l_flags & (LW_IMPLICIT | LW_WEXIT))
		lwp_destroy(l);
	else
		lwp_setcurrent(NULL);
}

struct lwp *
lwp_current(void)
{
	struct lwp *l;

	l = rumpuser_curlwp();
	if (__predict_true(l != NULL))
		return l;
	l = lwp_create(proc1);
	if (l == NULL)
		panic("host out of memory creating an implicit lwp");
	l->l_flags |= LW_IMPLICIT;
	lwp_setcurrent(l);
	return l;
}

void
lwp_refresh_cred(struct lwp *l)
{
	struct proc *p = l->l_proc;
	struct cred *old;

	if (__predict_true(l->l_cred ==
	    __atomic_load_n(&p->p_cred, __ATOMIC_RELAXED)))
		return;
	old = l->l_cred;
	mutex_enter(&p->p_lock);
	l->l_cred = p->p_cred;
	cred_hold(l->l_cred);
	mutex_exit(&p->p_lock);
	cred_free(old);
}
