/*
 * rump.halt: halt the rump kernel named by $RUMP_SERVER: its file
 * systems are synced and unmounted and its rump_server exits.  See
 * rump.halt(1).
 */
#include <errno.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.halt\n"
	    "Halts the rump kernel at $RUMP_SERVER (file systems are synced "
	    "and unmounted).\n");
	exit(status);
}

int
main(int argc, char **argv)
{
	const char *url = getenv("RUMP_SERVER");

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	if (argc != 1)
		usage(1);
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.halt: cannot connect to %s: %s\n",
		    url != NULL ? url : "(RUMP_SERVER not set)",
		    strerror(errno));
		return 1;
	}
	/* the server may exit before its answer reaches us */
	if (rump_sys_reboot((int)LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1 && errno != ENOTCONN) {
		fprintf(stderr, "rump.halt: %s: %s\n", url, strerror(errno));
		return 1;
	}
	return 0;
}
