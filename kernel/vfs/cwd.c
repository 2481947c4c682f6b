/*
 * cwd.c: per-process working directories (struct cwdinfo, vfs.h).
 *
 * Every process has its own cwdinfo holding a reference to its working
 * directory: the fork hook gives a child a copy of its parent's (cwd is
 * never shared, whatever the rfork flags), the exit hook releases it,
 * cwd_init gives the processes that exist before the vfs starts the root
 * directory, and cwd_shutdown takes the directories away (leaving the
 * cwdinfos to the exit hook) so that the file systems can be unmounted.
 * chdir and fchdir are system calls built on cwd_get/cwd_set.
 *
 * Locks: cwdi_lock protects cwdi_cdir.  p_cwdi is set by the fork hook
 * (or cwd_init, under proc_lock) before the process runs, and cleared by
 * the exit hook after its last lwp is gone.  Lock order: proc_lock,
 * cwdi_lock.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>

/* A cwdinfo holding vp (whose reference it takes over), or NULL. */
static struct cwdinfo *
cwdinfo_alloc(struct vnode *vp)
{
	struct cwdinfo *cwdi;

	cwdi = kmem_zalloc(sizeof(*cwdi));
	if (cwdi == NULL)
		return NULL;
	mutex_init(&cwdi->cwdi_lock, MUTEX_DEFAULT);
	cwdi->cwdi_cdir = vp;
	return cwdi;
}

static void
cwdinfo_free(struct cwdinfo *cwdi)
{

	if (cwdi->cwdi_cdir != NULL)
		vrele(cwdi->cwdi_cdir);
	mutex_destroy(&cwdi->cwdi_lock);
	kmem_free(cwdi, sizeof(*cwdi));
}

/* The directory of a cwdinfo, referenced: the root without a cwdinfo,
 * NULL after cwd_shutdown. */
static struct vnode *
cwdinfo_dir(struct cwdinfo *cwdi)
{
	struct vnode *vp;

	if (cwdi == NULL)
		return vfs_getroot();
	mutex_enter(&cwdi->cwdi_lock);
	vp = cwdi->cwdi_cdir;
	if (vp != NULL)
		vref(vp);
	mutex_exit(&cwdi->cwdi_lock);
	return vp;
}

/* Take the directory (and its reference) out of a cwdinfo. */
static struct vnode *
cwdinfo_take(struct cwdinfo *cwdi)
{
	struct vnode *vp;

	if (cwdi == NULL)
		return NULL;
	mutex_enter(&cwdi->cwdi_lock);
	vp = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = NULL;
	mutex_exit(&cwdi->cwdi_lock);
	return vp;
}

static int
cwd_fork(struct proc *parent, struct proc *child, int flags)
{
	struct cwdinfo *cwdi;
	struct vnode *vp;

	vp = cwdinfo_dir(parent->p_cwdi);
	if (vp == NULL)
		return ENOENT;
	cwdi = cwdinfo_alloc(vp);
	if (cwdi == NULL) {
		vrele(vp);
		return ENOMEM;
	}
	child->p_cwdi = cwdi;
	return 0;
}

static void
cwd_exit(struct proc *p)
{
	struct cwdinfo *cwdi = p->p_cwdi;

	p->p_cwdi = NULL;
	if (cwdi != NULL)
		cwdinfo_free(cwdi);
}

static const struct prochooks cwd_hooks = {
	.ph_fork = cwd_fork,
	.ph_exit = cwd_exit,
};

struct vnode *
cwd_get(void)
{

	return cwdinfo_dir(curproc->p_cwdi);
}

void
cwd_set(struct vnode *vp)
{
	struct cwdinfo *cwdi = curproc->p_cwdi;
	struct vnode *old;

	KASSERT(cwdi != NULL);
	mutex_enter(&cwdi->cwdi_lock);
	old = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = vp;
	mutex_exit(&cwdi->cwdi_lock);
	if (old != NULL)
		vrele(old);
}

int
cwd_init(void)
{
	struct vnode *root;
	struct proc *p;
	pid_t pid;
	int error = 0;

	mutex_enter(&proc_lock);
	for (pid = 0; error == 0 && (p = proc_next(pid)) != NULL;
	    pid = p->p_pid + 1) {
		if (p->p_cwdi != NULL)
			continue;
		root = vfs_getroot();
		if (root == NULL)
			error = ENOENT;
		else if ((p->p_cwdi = cwdinfo_alloc(root)) == NULL) {
			vrele(root);
			error = ENOMEM;
		}
	}
	mutex_exit(&proc_lock);
	if (error == 0)
		proc_sethooks(&cwd_hooks);
	return error;
}

void
cwd_shutdown(void)
{
	struct vnode *vp;
	struct proc *p;
	pid_t pid = 0;

	do {
		vp = NULL;
		mutex_enter(&proc_lock);
		p = proc_next(pid);
		if (p != NULL) {
			pid = p->p_pid + 1;
			vp = cwdinfo_take(p->p_cwdi);
		}
		mutex_exit(&proc_lock);
		if (vp != NULL)
			vrele(vp);
	} while (p != NULL);
}
