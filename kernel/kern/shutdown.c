/*
 * shutdown.c: halting the kernel through reboot(2).  Halting closes every
 * process's descriptors, lets the components shut down in reverse order
 * (the vfs syncs and unmounts all file systems), stops the clock, and
 * marks the kernel stopped: later system calls fail with ENXIO.
 * LINUX_REBOOT_CMD_HALT then returns to the caller, POWER_OFF exits the
 * host process with status 0.  Restarting a rump kernel is not
 * supported.
 */
#include <kern/types.h>
#include <kern/component.h>
#include <kern/file.h>
#include <kern/kern.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <rump/rumpuser.h>

static kmutex_t halt_lock;

static void
closeall_procs(void)
{
	struct filedesc *fdp;
	struct proc *p;
	pid_t pid;

	for (pid = 0; ; pid++) {
		mutex_enter(&proc_lock);
		p = proc_next(pid);
		if (p != NULL) {
			pid = p->p_pid;
			fdp = p->p_fd;
			fd_hold(fdp);
		}
		mutex_exit(&proc_lock);
		if (p == NULL)
			return;
		fd_closeall(fdp);
		fd_release(fdp);
	}
}

static int
rump_halt(void)
{

	mutex_enter(&halt_lock);
	if (!rump_running) {
		mutex_exit(&halt_lock);
		return ENXIO;
	}
	rump_running = false;
	mutex_exit(&halt_lock);
	aprint_verbose("rumpk: halting\n");
	closeall_procs();
	component_shutdown_all();
	callout_shutdown();
	return 0;
}

static int
sys_reboot(struct lwp *l, const register_t *args, register_t *retval)
{
	unsigned int cmd = SYSARG(unsigned int, 2);
	int error;

	if (l->l_cred->cr_euid != 0)
		return EPERM;
	if (SYSARG(unsigned int, 0) != LINUX_REBOOT_MAGIC1 ||
	    SYSARG(unsigned int, 1) != LINUX_REBOOT_MAGIC2)
		return EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_HALT:
		return rump_halt();
	case LINUX_REBOOT_CMD_POWER_OFF:
		error = rump_halt();
		if (error == 0)
			rumpuser_exit(0);
		return error;
	case LINUX_REBOOT_CMD_RESTART:
		printf("rumpk: reboot: restarting is not supported\n");
		return EOPNOTSUPP;
	default:
		return EINVAL;
	}
}

void
kern_syscalls_reboot_init(void)
{

	mutex_init(&halt_lock, MUTEX_DEFAULT);
	syscall_register(SYS_reboot, sys_reboot, "reboot");
}
