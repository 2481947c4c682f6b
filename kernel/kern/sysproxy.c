/*
 * sysproxy.c: serving remote clients.  rump_init_server() boots the
 * kernel if needed and asks the hypercall layer to listen for clients at
 * a URL; each client then runs as a process of its own, whose copyin and
 * copyout go to the client (copy.c).  Halting the kernel stops the
 * listener (the component's shutdown), before the file systems go.
 */
#include <kern/types.h>
#include <kern/component.h>
#include <kern/kern.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>
#include <rump/rump.h>

static bool serving;		/* set once, by rump_init_server() */

int
rump_init_server(const char *url)
{
	int error;

	if (url == NULL)
		return EINVAL;
	if ((error = rump_init()) != 0)
		return error;
	error = rumpuser_sp_init(url, ostype, osrelease, machine);
	if (error != 0) {
		printf("rumpk: cannot serve clients at %s: error %d\n", url,
		    error);
		return error;
	}
	serving = true;
	aprint_verbose("rumpk: serving clients at %s\n", url);
	return 0;
}

static int
sysproxy_init(void)
{

	return 0;
}

static void
sysproxy_shutdown(void)
{

	if (serving)
		rumpuser_sp_fini(NULL);
}

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL, sysproxy, sysproxy_init,
    sysproxy_shutdown)
