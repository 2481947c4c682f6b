/*
 * lwproc.c: the public process/lwp interface (rump_pub_lwproc_*) and the
 * hypercall layer's upcalls into the kernel (struct rumpuser_hyperup).
 * A host thread's lwp is what rumpuser_curlwp() returns; these functions
 * create, switch and release it.  They are entered without a CPU.
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/lwp.h>
#include <kern/sched.h>
#include <kern/syscall.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <rump/rumpuser.h>
#include <rump/rump.h>

static int
lwproc_rfork(void *vmspace, int flags, const char *comm)
{
	struct lwp *parent, *l;
	int error;

	if (flags & ~(RFFDG | RFCFDG) || (flags & (RFFDG | RFCFDG)) ==
	    (RFFDG | RFCFDG))
		return EINVAL;
	parent = lwp_current();
	sched_acquire(parent);
	error = proc_create(parent->l_proc, flags, comm, &l);
	sched_release(parent);
	if (error != 0)
		return error;
	l->l_proc->p_vmspace = vmspace;
	lwp_leave();
	lwp_setcurrent(l);
	return 0;
}

int
rump_pub_lwproc_rfork(int flags)
{

	return lwproc_rfork(NULL, flags, "rumpproc");
}

int
rump_pub_lwproc_newlwp(pid_t pid)
{
	struct proc *p;
	struct lwp *l;

	(void)lwp_current();
	mutex_enter(&proc_lock);
	p = proc_find(pid);
	mutex_exit(&proc_lock);
	if (p == NULL || p == proc0)
		return ESRCH;
	l = lwp_create(p);
	if (l == NULL)
		return ENOMEM;
	lwp_leave();
	lwp_setcurrent(l);
	return 0;
}

void
rump_pub_lwproc_switch(struct lwp *l)
{

	lwp_leave();
	if (l != NULL)
		lwp_setcurrent(l);
}

void
rump_pub_lwproc_releaselwp(void)
{
	struct lwp *l = curlwp;

	if (l != NULL)
		lwp_destroy(l);
}

struct lwp *
rump_pub_lwproc_curlwp(void)
{

	return curlwp;
}

/* The hypercall layer releases and retakes the CPU around blocking. */
static void
hyp_backend_unschedule(int nlocks, int *countp, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	*countp = 0;
	if (l != NULL && l->l_cpu != NULL) {
		sched_release(l);
		*countp = 1;
	}
}

static void
hyp_backend_schedule(int count, void *interlock)
{

	if (count != 0)
		sched_acquire(rumpuser_curlwp());
}

static int
hyp_lwproc_newlwp(pid_t pid)
{

	return rump_pub_lwproc_newlwp(pid);
}

static int
hyp_syscall(int num, void *args, long *retval)
{
	struct lwp *l = lwp_current();
	register_t rv = 0;
	int error;

	if (!rump_running)
		return ENXIO;
	sched_acquire(l);
	error = syscall_dispatch(num, args, &rv);
	sched_release(l);
	*retval = rv;
	return error;
}

/* A host thread exits: free its implicit lwp. */
static void
hyp_lwpexit(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l != NULL && (l->l_flags & LW_IMPLICIT))
		lwp_destroy(l);
	else if (l != NULL)
		lwp_setcurrent(NULL);
}

/* exec: close the descriptors marked close-on-exec; CPU held. */
static void
fd_closeexec(struct filedesc *fdp)
{
	int fd, n, flags;

	mutex_enter(&fdp->fd_lock);
	n = fdp->fd_nfiles;
	mutex_exit(&fdp->fd_lock);
	for (fd = 0; fd < n; fd++) {
		if (fd_getflags(fd, &flags) == 0 && (flags & FD_CLOEXEC))
			(void)fd_close(fd);
	}
}

/* A remote client exec'd: new name, close-on-exec descriptors go. */
static void
hyp_execnotify(const char *comm)
{
	struct lwp *l = lwp_current();

	strlcpy(l->l_proc->p_comm, comm, sizeof(l->l_proc->p_comm));
	sched_acquire(l);
	fd_closeexec(l->l_proc->p_fd);
	sched_release(l);
}

static pid_t
hyp_getpid(void)
{

	return lwp_current()->l_proc->p_pid;
}

const struct rumpuser_hyperup rump_hyperup = {
	.hyp_schedule = rump_schedule,
	.hyp_unschedule = rump_unschedule,
	.hyp_backend_unschedule = hyp_backend_unschedule,
	.hyp_backend_schedule = hyp_backend_schedule,
	.hyp_lwproc_switch = rump_pub_lwproc_switch,
	.hyp_lwproc_release = rump_pub_lwproc_releaselwp,
	.hyp_lwproc_rfork = lwproc_rfork,
	.hyp_lwproc_newlwp = hyp_lwproc_newlwp,
	.hyp_lwproc_curlwp = rump_pub_lwproc_curlwp,
	.hyp_syscall = hyp_syscall,
	.hyp_lwpexit = hyp_lwpexit,
	.hyp_execnotify = hyp_execnotify,
	.hyp_getpid = hyp_getpid,
};
