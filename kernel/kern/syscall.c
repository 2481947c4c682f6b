/*
 * syscall.c: the system call table and the way into it.  Local callers
 * come through rump_syscall_local() (the rump_sys_* wrappers); remote
 * callers through the hyp_syscall upcall.  Both run the handler on the
 * calling thread's lwp while it holds a virtual CPU.
 */
#include <kern/types.h>
#include <kern/syscall.h>
#include <kern/sched.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>
#include <rump/rump_syscalls.h>

/* Set while the kernel runs: between boot and halt. */
bool rump_running;

static struct sysent sysent[SYS_MAXSYSCALL];	/* filled at boot */

void
syscall_register(int num, sy_call_t call, const char *name)
{

	KASSERT(num >= 0 && num < SYS_MAXSYSCALL);
	KASSERTMSG(sysent[num].sy_call == NULL,
	    "syscall %d (%s) registered twice", num, name);
	sysent[num].sy_call = call;
	sysent[num].sy_name = name;
}

int
syscall_dispatch(int num, const register_t *args, register_t *retval)
{
	struct lwp *l = curlwp;

	if (__predict_false((unsigned int)num >= SYS_MAXSYSCALL ||
	    sysent[num].sy_call == NULL)) {
		aprint_verbose("rumpk: no system call %d in this kernel\n",
		    num);
		return ENOSYS;
	}
	lwp_refresh_cred(l);
	return sysent[num].sy_call(l, args, retval);
}

long
rump_syscall_local(int num, const register_t *args)
{
	struct lwp *l;
	register_t rv = 0;
	int error;

	if (__predict_false(!rump_running)) {
		rumpuser_seterrno(ENXIO);
		return -1;
	}
	l = lwp_current();
	sched_acquire(l);
	error = syscall_dispatch(num, args, &rv);
	sched_release(l);
	if (__predict_false(error != 0)) {
		rumpuser_seterrno(error);
		return -1;
	}
	return rv;
}

long
rump_syscall(int num, const long *args)
{

	return rump_syscall_local(num, args);
}
