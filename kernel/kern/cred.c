/*
 * cred.c: credentials.  A cred is immutable once a process uses it;
 * changing identity allocates a new cred (cred_dup) and publishes it with
 * proc_setcred().  Each lwp caches its process's cred for the length of a
 * system call (lwp_refresh_cred at entry).
 */
#include <kern/types.h>
#include <kern/lwp.h>
#include <kern/kmem.h>
#include <lib/lib.h>

struct cred *
cred_alloc(void)
{
	struct cred *cr;

	cr = kmem_zalloc(sizeof(*cr));
	if (cr != NULL)
		cr->cr_refcnt = 1;
	return cr;
}

struct cred *
cred_dup(const struct cred *src)
{
	struct cred *cr;

	cr = kmem_alloc(sizeof(*cr));
	if (cr != NULL) {
		memcpy(cr, src, sizeof(*cr));
		cr->cr_refcnt = 1;
	}
	return cr;
}

void
cred_hold(struct cred *cr)
{

	__atomic_add_fetch(&cr->cr_refcnt, 1, __ATOMIC_RELAXED);
}

void
cred_free(struct cred *cr)
{

	if (__atomic_sub_fetch(&cr->cr_refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		kmem_free(cr, sizeof(*cr));
}

bool
cred_groupmember(const struct cred *cr, gid_t gid)
{
	int i;

	if (cr->cr_fsgid == gid)
		return true;
	for (i = 0; i < cr->cr_ngroups; i++)
		if (cr->cr_groups[i] == gid)
			return true;
	return false;
}

void
proc_setcred(struct proc *p, struct cred *cr)
{
	struct cred *old;

	mutex_enter(&p->p_lock);
	old = p->p_cred;
	__atomic_store_n(&p->p_cred, cr, __ATOMIC_RELEASE);
	mutex_exit(&p->p_lock);
	cred_free(old);
}
