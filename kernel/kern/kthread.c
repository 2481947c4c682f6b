/*
 * kthread.c: kernel threads.  Each runs on a host thread created with
 * rumpuser_thread_create(), on its own LW_SYSTEM lwp in proc 0, holding
 * a virtual CPU while it runs kernel code.
 *
 * The lwp is created by kthread_create() (so that running out of memory
 * is reported to the caller) and carries a struct kthread in l_private.
 * A thread that is not joinable destroys its lwp when it ends; a
 * KTHREAD_MUSTJOIN thread only leaves it and kthread_join() destroys it
 * after the join, so the lwp pointer stays valid until then.
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <kern/sched.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>

struct kthread {
	void	(*kt_func)(void *);	/* constant */
	void	*kt_arg;		/* constant */
	int	 kt_flags;		/* KTHREAD_*, constant */
	void	*kt_cookie;		/* join cookie (MUSTJOIN only) */
};

/* Leave kernel context and end the calling host thread. */
static __noreturn void
kthread_finish(struct lwp *l)
{
	struct kthread *kt = l->l_private;

	if (kt->kt_flags & KTHREAD_MUSTJOIN) {
		sched_release(l);
		lwp_setcurrent(NULL);
	} else {
		l->l_private = NULL;
		kmem_free(kt, sizeof(*kt));
		lwp_destroy(l);
	}
	rumpuser_thread_exit();
}

/*
 * Destroy the lwp of a joined thread.  lwp_destroy() works on the
 * calling thread's own lwp, so step off ours and onto l meanwhile.
 */
static void
kthread_reap(struct lwp *l)
{
	struct lwp *self = curlwp;

	sched_release(self);
	lwp_setcurrent(NULL);
	lwp_setcurrent(l);
	sched_acquire(l);
	lwp_destroy(l);
	lwp_setcurrent(self);
	sched_acquire(self);
}

static void *
kthread_trampoline(void *arg)
{
	struct lwp *l = arg;
	struct kthread *kt = l->l_private;

	lwp_setcurrent(l);
	sched_acquire(l);
	kt->kt_func(kt->kt_arg);
	kthread_finish(l);
}

int
kthread_create(void (*func)(void *), void *arg, const char *name, int flags,
    struct lwp **lp)
{
	struct kthread *kt;
	struct lwp *l;
	int error;

	KASSERT((flags & KTHREAD_MUSTJOIN) == 0 || lp != NULL);
	if ((kt = kmem_zalloc(sizeof(*kt))) == NULL)
		return ENOMEM;
	kt->kt_func = func;
	kt->kt_arg = arg;
	kt->kt_flags = flags;
	if ((l = lwp_create(proc0)) == NULL) {
		error = ENOMEM;
		goto fail_kt;
	}
	l->l_flags |= LW_SYSTEM;
	l->l_private = kt;
	error = rumpuser_thread_create(kthread_trampoline, l, name,
	    (flags & KTHREAD_MUSTJOIN) != 0, -1, -1, &kt->kt_cookie);
	if (error != 0)
		goto fail_lwp;
	if (lp != NULL)
		*lp = l;
	return 0;

fail_lwp:
	kthread_reap(l);
fail_kt:
	kmem_free(kt, sizeof(*kt));
	return error;
}

void
kthread_exit(void)
{
	struct lwp *l = curlwp;

	KASSERT(l != NULL && (l->l_flags & LW_SYSTEM) != 0);
	kthread_finish(l);
}

int
kthread_join(struct lwp *l)
{
	struct kthread *kt = l->l_private;
	int error;

	KASSERT(kt != NULL && (kt->kt_flags & KTHREAD_MUSTJOIN) != 0);
	KASSERT(l != curlwp);
	if ((error = rumpuser_thread_join(kt->kt_cookie)) != 0)
		return error;
	l->l_private = NULL;
	kmem_free(kt, sizeof(*kt));
	kthread_reap(l);
	return 0;
}
