/*
 * rump.ln: make hard or symbolic links in the rump kernel at
 * $RUMP_SERVER.  See rump.ln(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.ln [-fs] target [name]\n"
	    "Makes the kernel link name (or, when name is a directory or "
	    "missing,\nname/basename of target) to target.\n"
	    "  -f  remove an existing name first\n"
	    "  -s  make a symbolic link (target is stored as given)\n");
	exit(status);
}

static int
makelink(const char *target, const char *name, bool sym)
{
	return sym ? rump_sys_symlink(target, name) :
	    rump_sys_link(target, name);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	bool force = false, sym = false;
	const char *target, *dir;
	char *base, *name;
	int ch, status = 0;

	rt_setprog("rump.ln");
	while ((ch = getopt_long(argc, argv, "fs", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			force = true;
			break;
		case 's':
			sym = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		usage(1);
	rt_connect();
	target = argv[optind];
	dir = argc - optind == 2 ? argv[optind + 1] : ".";
	base = rt_basename(target);
	if (argc - optind == 1 || rt_isdir(&rt_kern, dir))
		name = rt_join(dir, base);
	else
		name = rt_strdup(dir);
	if (force && rump_sys_unlink(name) == -1 && errno != ENOENT)
		status = rt_warn(name, errno);
	else if (makelink(target, name, sym) == -1)
		status = rt_warnx("%s -> %s: %s", name, target,
		    strerror(errno));
	free(name);
	free(base);
	return status;
}
