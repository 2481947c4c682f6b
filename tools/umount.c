/*
 * rump.umount: unmount a file system of the rump kernel at
 * $RUMP_SERVER.  See rump.mount(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.umount [-f] [-l] dir ...\n"
	    "Unmounts the file systems mounted on the kernel directories "
	    "dir.\n"
	    "  -f  force (MNT_FORCE)\n"
	    "  -l  lazy (MNT_DETACH)\n");
	exit(status);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	int ch, i, flags = 0, status = 0;

	rt_setprog("rump.umount");
	while ((ch = getopt_long(argc, argv, "fl", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			flags |= MNT_FORCE;
			break;
		case 'l':
			flags |= MNT_DETACH;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (optind == argc)
		usage(1);
	rt_connect();
	for (i = optind; i < argc; i++) {
		if (rump_sys_umount2(argv[i], flags) == -1)
			status = rt_warn(argv[i], errno);
	}
	return status;
}
