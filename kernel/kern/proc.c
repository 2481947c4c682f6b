/*
 * proc.c: processes.  Proc 0 holds the kernel threads and proc 1 the
 * implicit lwps; rfork creates children of the calling process with a
 * copied, fresh or shared descriptor table.  A process exits with its
 * last lwp (proc 0 and 1 never exit).
 *
 * Locking: proc_lock protects allproc, pid allocation, p_pptr and the
 * lwp lists.
 */
#include <kern/types.h>
#include <kern/lwp.h>
#include <kern/file.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/errno.h>

#define PID_MAX		32768

struct proc *proc0, *proc1;
kmutex_t proc_lock;

static LIST_HEAD(, proc) allproc = { NULL };	/* proc_lock */
static pid_t nextpid = 2;			/* proc_lock */
static const struct prochooks *prochooks;	/* set once at boot */

void
proc_sethooks(const struct prochooks *h)
{

	prochooks = h;
}

struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

struct proc *
proc_next(pid_t pid)
{
	struct proc *p, *best = NULL;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid >= pid && (best == NULL || p->p_pid < best->p_pid))
			best = p;
	return best;
}

static int
pid_alloc(pid_t *pidp)
{
	int tries;

	for (tries = 0; tries < PID_MAX; tries++) {
		if (nextpid >= PID_MAX)
			nextpid = 2;
		if (proc_find(nextpid) == NULL) {
			*pidp = nextpid++;
			return 0;
		}
		nextpid++;
	}
	return EAGAIN;
}

static struct filedesc *
proc_fdtable(struct proc *parent, int flags)
{

	if (parent == NULL || (flags & RFCFDG))
		return fd_alloc();
	if (flags & RFFDG)
		return fd_copy(parent->p_fd);
	fd_hold(parent->p_fd);
	return parent->p_fd;
}

static void
proc_free(struct proc *p)
{

	if (p->p_fd != NULL)
		fd_release(p->p_fd);
	if (p->p_cred != NULL)
		cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

static struct proc *
proc_alloc(struct proc *parent, int flags, const char *comm, int *errorp)
{
	struct proc *p;

	*errorp = ENOMEM;
	p = kmem_zalloc(sizeof(*p));
	if (p == NULL)
		return NULL;
	mutex_init(&p->p_lock, MUTEX_DEFAULT);
	LIST_INIT(&p->p_lwps);
	LIST_INIT(&p->p_sigwaiters);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	p->p_pptr = parent;
	p->p_umask = parent != NULL ? parent->p_umask : 022;
	if (parent != NULL) {
		mutex_enter(&parent->p_lock);
		p->p_cred = parent->p_cred;
		cred_hold(p->p_cred);
		mutex_exit(&parent->p_lock);
	} else
		p->p_cred = cred_alloc();
	p->p_fd = proc_fdtable(parent, flags);
	if (p->p_cred == NULL || p->p_fd == NULL)
		goto fail;
	*errorp = 0;
	if (parent != NULL && prochooks != NULL)
		*errorp = prochooks->ph_fork(parent, p, flags);
	if (*errorp == 0)
		return p;
fail:
	proc_free(p);
	return NULL;
}

/* Enter p into allproc; proc_lock held (at boot, before any lwp exists,
 * the owner cannot be asserted). */
static void
proc_publish(struct proc *p, pid_t pid)
{

	p->p_pid = pid;
	LIST_INSERT_HEAD(&allproc, p, p_list);
}

int
proc_create(struct proc *parent, int flags, const char *comm,
    struct lwp **lp)
{
	struct proc *p;
	struct lwp *l;
	pid_t pid;
	int error;

	p = proc_alloc(parent, flags, comm, &error);
	if (p == NULL)
		return error;
	mutex_enter(&proc_lock);
	error = pid_alloc(&pid);
	if (error == 0)
		proc_publish(p, pid);
	mutex_exit(&proc_lock);
	if (error != 0) {
		proc_exit(p);
		return error;
	}
	l = lwp_create(p);
	if (l == NULL) {
		mutex_enter(&proc_lock);
		LIST_REMOVE(p, p_list);
		mutex_exit(&proc_lock);
		proc_exit(p);
		return ENOMEM;
	}
	*lp = l;
	return 0;
}

/* The process has lost its last lwp and left allproc: release it. */
void
proc_exit(struct proc *p)
{
	struct proc *c;

	if (prochooks != NULL && p->p_cwdi != NULL)
		prochooks->ph_exit(p);
	mutex_enter(&proc_lock);
	LIST_FOREACH(c, &allproc, p_list)
		if (c->p_pptr == p)
			c->p_pptr = proc1;
	mutex_exit(&proc_lock);
	proc_free(p);
}

/* Boot: proc 0 (kernel) and proc 1 (implicit lwps), both root. */
int
proc_init(void)
{
	int error;

	mutex_init(&proc_lock, MUTEX_DEFAULT);
	proc0 = proc_alloc(NULL, 0, "kernel", &error);
	if (proc0 == NULL)
		return error;
	proc1 = proc_alloc(proc0, RFCFDG, "init", &error);
	if (proc1 == NULL)
		return error;
	mutex_enter(&proc_lock);
	proc_publish(proc0, 0);
	proc_publish(proc1, 1);
	mutex_exit(&proc_lock);
	return 0;
}
