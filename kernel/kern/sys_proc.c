/*
 * sys_proc.c: process identity system calls with Linux semantics:
 * getpid/getppid, the uid/gid getters and setters, and the supplementary
 * groups.  "Privileged" means effective uid 0 (the kernel has no finer
 * capabilities).  Every change publishes a new cred for the process.
 */
#include <kern/types.h>
#include <kern/syscall.h>
#include <kern/lwp.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>

#define NOID	((unsigned int)-1)

static int
sys_getpid(struct lwp *l, const register_t *args, register_t *retval)
{

	*retval = l->l_proc->p_pid;
	return 0;
}

/*
 * exit_group(status): the process is going away (a remote client's
 * server calls it when the client disconnects).  Here that kills it:
 * its interruptible sleeps end with EINTR; it is released with its
 * last lwp.  Processes 0 and 1 (the kernel's and the local host
 * threads') are not killed: EPERM.
 */
static int
sys_exit_group(struct lwp *l, const register_t *args, register_t *retval)
{
	struct proc *p = l->l_proc;

	if (p == proc0 || p == proc1)
		return EPERM;
	proc_kill(p);
	return 0;
}

static int
sys_getppid(struct lwp *l, const register_t *args, register_t *retval)
{
	struct proc *pp;

	mutex_enter(&proc_lock);
	pp = l->l_proc->p_pptr;
	*retval = pp != NULL ? pp->p_pid : 0;
	mutex_exit(&proc_lock);
	return 0;
}

static int
sys_getuid(struct lwp *l, const register_t *args, register_t *retval)
{

	*retval = l->l_cred->cr_uid;
	return 0;
}

static int
sys_geteuid(struct lwp *l, const register_t *args, register_t *retval)
{

	*retval = l->l_cred->cr_euid;
	return 0;
}

static int
sys_getgid(struct lwp *l, const register_t *args, register_t *retval)
{

	*retval = l->l_cred->cr_gid;
	return 0;
}

static int
sys_getegid(struct lwp *l, const register_t *args, register_t *retval)
{

	*retval = l->l_cred->cr_egid;
	return 0;
}

/*
 * The common rule of setres[ug]id: an unprivileged process may set each
 * id only to one of its current real, effective or saved ids.
 */
static bool
id_allowed(unsigned int id, unsigned int r, unsigned int e, unsigned int s)
{

	return id == NOID || id == r || id == e || id == s;
}

static void
id_apply(unsigned int *r, unsigned int *e, unsigned int *s, unsigned int *fs,
    unsigned int nr, unsigned int ne, unsigned int ns)
{

	if (nr != NOID)
		*r = nr;
	if (ne != NOID)
		*e = ne;
	if (ns != NOID)
		*s = ns;
	*fs = *e;
}

static int
setresuid1(struct lwp *l, unsigned int r, unsigned int e, unsigned int s)
{
	const struct cred *oc = l->l_cred;
	struct cred *nc;

	if (oc->cr_euid != 0 &&
	    (!id_allowed(r, oc->cr_uid, oc->cr_euid, oc->cr_suid) ||
	    !id_allowed(e, oc->cr_uid, oc->cr_euid, oc->cr_suid) ||
	    !id_allowed(s, oc->cr_uid, oc->cr_euid, oc->cr_suid)))
		return EPERM;
	nc = cred_dup(oc);
	if (nc == NULL)
		return ENOMEM;
	id_apply(&nc->cr_uid, &nc->cr_euid, &nc->cr_suid, &nc->cr_fsuid,
	    r, e, s);
	proc_setcred(l->l_proc, nc);
	lwp_refresh_cred(l);
	return 0;
}

static int
setresgid1(struct lwp *l, unsigned int r, unsigned int e, unsigned int s)
{
	const struct cred *oc = l->l_cred;
	struct cred *nc;

	if (oc->cr_euid != 0 &&
	    (!id_allowed(r, oc->cr_gid, oc->cr_egid, oc->cr_sgid) ||
	    !id_allowed(e, oc->cr_gid, oc->cr_egid, oc->cr_sgid) ||
	    !id_allowed(s, oc->cr_gid, oc->cr_egid, oc->cr_sgid)))
		return EPERM;
	nc = cred_dup(oc);
	if (nc == NULL)
		return ENOMEM;
	id_apply(&nc->cr_gid, &nc->cr_egid, &nc->cr_sgid, &nc->cr_fsgid,
	    r, e, s);
	proc_setcred(l->l_proc, nc);
	lwp_refresh_cred(l);
	return 0;
}

/* setuid: privileged sets all three; otherwise only the effective id,
 * and only to the real or saved id. */
static int
sys_setuid(struct lwp *l, const register_t *args, register_t *retval)
{
	unsigned int uid = SYSARG(unsigned int, 0);
	const struct cred *oc = l->l_cred;

	if (uid == NOID)
		return EINVAL;
	if (oc->cr_euid == 0)
		return setresuid1(l, uid, uid, uid);
	if (uid != oc->cr_uid && uid != oc->cr_suid)
		return EPERM;
	return setresuid1(l, NOID, uid, NOID);
}

static int
sys_setgid(struct lwp *l, const register_t *args, register_t *retval)
{
	unsigned int gid = SYSARG(unsigned int, 0);
	const struct cred *oc = l->l_cred;

	if (gid == NOID)
		return EINVAL;
	if (oc->cr_euid == 0)
		return setresgid1(l, gid, gid, gid);
	if (gid != oc->cr_gid && gid != oc->cr_sgid)
		return EPERM;
	return setresgid1(l, NOID, gid, NOID);
}

/* setreuid: the saved id follows the effective one when the real id is
 * set or the effective id differs from the old real id. */
static int
sys_setreuid(struct lwp *l, const register_t *args, register_t *retval)
{
	unsigned int r = SYSARG(unsigned int, 0), e = SYSARG(unsigned int, 1);
	const struct cred *oc = l->l_cred;
	unsigned int s = NOID;

	if (oc->cr_euid != 0 && r != NOID && r != oc->cr_uid &&
	    r != oc->cr_euid)
		return EPERM;
	if (r != NOID || (e != NOID && e != oc->cr_uid))
		s = e != NOID ? e : oc->cr_euid;
	return setresuid1(l, r, e, s);
}

static int
sys_setregid(struct lwp *l, const register_t *args, register_t *retval)
{
	unsigned int r = SYSARG(unsigned int, 0), e = SYSARG(unsigned int, 1);
	const struct cred *oc = l->l_cred;
	unsigned int s = NOID;

	if (oc->cr_euid != 0 && r != NOID && r != oc->cr_gid &&
	    r != oc->cr_egid)
		return EPERM;
	if (r != NOID || (e != NOID && e != oc->cr_gid))
		s = e != NOID ? e : oc->cr_egid;
	return setresgid1(l, r, e, s);
}

static int
sys_setresuid(struct lwp *l, const register_t *args, register_t *retval)
{

	return setresuid1(l, SYSARG(unsigned int, 0),
	    SYSARG(unsigned int, 1), SYSARG(unsigned int, 2));
}

static int
sys_setresgid(struct lwp *l, const register_t *args, register_t *retval)
{

	return setresgid1(l, SYSARG(unsigned int, 0),
	    SYSARG(unsigned int, 1), SYSARG(unsigned int, 2));
}

static int
getres(unsigned int r, unsigned int e, unsigned int s, const register_t *args)
{
	int error;

	error = copyout(&r, SYSARG(void *, 0), sizeof(r));
	if (error == 0)
		error = copyout(&e, SYSARG(void *, 1), sizeof(e));
	if (error == 0)
		error = copyout(&s, SYSARG(void *, 2), sizeof(s));
	return error;
}

static int
sys_getresuid(struct lwp *l, const register_t *args, register_t *retval)
{
	const struct cred *c = l->l_cred;

	return getres(c->cr_uid, c->cr_euid, c->cr_suid, args);
}

static int
sys_getresgid(struct lwp *l, const register_t *args, register_t *retval)
{
	const struct cred *c = l->l_cred;

	return getres(c->cr_gid, c->cr_egid, c->cr_sgid, args);
}

static int
sys_getgroups(struct lwp *l, const register_t *args, register_t *retval)
{
	const struct cred *c = l->l_cred;
	int size = SYSARG(int, 0);
	int error;

	if (size < 0)
		return EINVAL;
	if (size != 0) {
		if (size < c->cr_ngroups)
			return EINVAL;
		error = copyout(c->cr_groups, SYSARG(void *, 1),
		    sizeof(gid_t) * (size_t)c->cr_ngroups);
		if (error != 0)
			return error;
	}
	*retval = c->cr_ngroups;
	return 0;
}

static int
sys_setgroups(struct lwp *l, const register_t *args, register_t *retval)
{
	size_t n = SYSARG(size_t, 0);
	struct cred *nc;
	int error;

	if (l->l_cred->cr_euid != 0)
		return EPERM;
	if (n > NGROUPS_MAX)
		return EINVAL;
	if (n > CRED_NGROUPS) {
		printf("rumpk: setgroups: at most %d groups are supported\n",
		    CRED_NGROUPS);
		return EINVAL;
	}
	nc = cred_dup(l->l_cred);
	if (nc == NULL)
		return ENOMEM;
	error = copyin(SYSARG(const void *, 1), nc->cr_groups,
	    sizeof(gid_t) * n);
	if (error != 0) {
		cred_free(nc);
		return error;
	}
	nc->cr_ngroups = (int)n;
	proc_setcred(l->l_proc, nc);
	lwp_refresh_cred(l);
	return 0;
}

void
kern_syscalls_proc_init(void)
{

	syscall_register(SYS_getpid, sys_getpid, "getpid");
	syscall_register(SYS_getppid, sys_getppid, "getppid");
	syscall_register(SYS_exit_group, sys_exit_group, "exit_group");
	syscall_register(SYS_getuid, sys_getuid, "getuid");
	syscall_register(SYS_geteuid, sys_geteuid, "geteuid");
	syscall_register(SYS_getgid, sys_getgid, "getgid");
	syscall_register(SYS_getegid, sys_getegid, "getegid");
	syscall_register(SYS_setuid, sys_setuid, "setuid");
	syscall_register(SYS_setgid, sys_setgid, "setgid");
	syscall_register(SYS_setreuid, sys_setreuid, "setreuid");
	syscall_register(SYS_setregid, sys_setregid, "setregid");
	syscall_register(SYS_setresuid, sys_setresuid, "setresuid");
	syscall_register(SYS_setresgid, sys_setresgid, "setresgid");
	syscall_register(SYS_getresuid, sys_getresuid, "getresuid");
	syscall_register(SYS_getresgid, sys_getresgid, "getresgid");
	syscall_register(SYS_getgroups, sys_getgroups, "getgroups");
	syscall_register(SYS_setgroups, sys_setgroups, "setgroups");
}
