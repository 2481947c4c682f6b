/*
 * init.c: booting the kernel.  rump_init() connects to the hypercall
 * layer, reads the boot parameters, brings up memory, CPUs, processes and
 * the kernel services, installs the base system calls and initialises
 * every registered component in class order.  The booting thread runs on
 * a temporary lwp in proc 0 and leaves the kernel with no lwp.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/component.h>
#include <kern/file.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <kern/sched.h>
#include <kern/syscall.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>
#include <rump/rump.h>

#define NCPU_MAX	64

static bool booted;
/* A boot that failed after the kernel base came up cannot be retried in
 * this process (half the kernel is initialised): its error, or 0. */
static int boot_failed;

/* A numeric boot parameter: 0 (dflt when unset) or EINVAL. */
static int
param_u64(const char *name, uint64_t dflt, bool suffix, uint64_t *vp)
{
	char buf[32];
	int error;

	*vp = dflt;
	error = rumpuser_getparam(name, buf, sizeof(buf));
	if (error == ENOENT)
		return 0;
	if (error == 0)
		error = strtou64(buf, vp, suffix);
	if (error != 0)
		printf("rumpk: bad value for %s\n", name);
	return error != 0 ? EINVAL : 0;
}

static int
boot_params(int *ncpup)
{
	uint64_t verbose, limit, n;
	int error;

	error = param_u64("RUMP_VERBOSE", 0, false, &verbose);
	if (error == 0)
		error = param_u64("RUMP_MEMLIMIT", 0, true, &limit);
	if (error == 0)
		error = param_u64(RUMPUSER_PARAM_NCPU, 1, false, &n);
	if (error != 0)
		return error;
	if (n == 0 || n > NCPU_MAX) {
		printf("rumpk: RUMP_NCPU must be 1..%d\n", NCPU_MAX);
		return EINVAL;
	}
	rump_verbose = verbose != 0;
	kmem_init(limit);
	*ncpup = (int)n;
	return 0;
}

static int
boot_base(void)
{
	int error, n;

	error = boot_params(&n);
	if (error == 0)
		error = sched_init(n);
	if (error == 0)
		error = proc_init();
	if (error != 0)
		return error;
	file_init();
	bdev_init();
	sleep_init_subsys();
	proc_kill_init();
	callout_init_subsys();
	return sysctl_init_subsys();
}

static void
boot_syscalls(void)
{

	kern_syscalls_descrip_init();
	kern_syscalls_generic_init();
	kern_syscalls_proc_init();
	kern_syscalls_misc_init();
	kern_syscalls_pipe_init();
	kern_syscalls_poll_init();
	kern_syscalls_reboot_init();
}

int
rump_init(void)
{
	struct lwp *l;
	int error;

	if (booted)
		return 0;
	if (boot_failed != 0)
		return boot_failed;
	error = rumpuser_init(RUMPUSER_VERSION, &rump_hyperup);
	if (error == 0)
		error = boot_base();
	if (error != 0)
		return error;
	l = lwp_create(proc0);
	if (l == NULL)
		return boot_failed = ENOMEM;
	l->l_flags |= LW_SYSTEM | LW_WEXIT;
	lwp_setcurrent(l);
	sched_acquire(l);
	boot_syscalls();
	error = component_init_all();
	if (error != 0)
		boot_failed = error;
	else {
		booted = true;
		rump_running = true;
		aprint_verbose("rumpk %s booted, %d cpu%s\n", osrelease, ncpu,
		    ncpu == 1 ? "" : "s");
	}
	lwp_destroy(l);
	return error;
}

int
rump_getversion(void)
{

	return RUMPK_VERSION;
}
