/*
 * rump.chmod: change the mode of kernel files of the rump kernel at
 * $RUMP_SERVER; -R walks directory trees (symbolic links met there are
 * left alone).  Octal modes only.  See rump.chmod(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.chmod [-R] mode file ...\n"
	    "Sets the mode (octal, e.g. 0644) of kernel files.\n"
	    "  -R  change directories and everything below them\n");
	exit(status);
}

static int
chvisit(const char *path, const struct stat *st, enum rt_visit visit,
    void *arg)
{
	const mode_t *modep = arg;

	if (visit != RT_PRE || S_ISLNK(st->st_mode))
		return 0;
	if (rump_sys_chmod(path, *modep) == -1)
		return rt_warn(path, errno);
	return 0;
}

static int
chpath(const char *path, mode_t mode, bool recurse)
{
	if (rump_sys_chmod(path, mode) == -1)
		return rt_warn(path, errno);
	if (recurse && rt_isdir(&rt_kern, path))
		return rt_walk(&rt_kern, path, chvisit, &mode);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	bool recurse = false;
	mode_t mode;
	int ch, i, status = 0;

	rt_setprog("rump.chmod");
	while ((ch = getopt_long(argc, argv, "R", longopts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			recurse = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (argc - optind < 2)
		usage(1);
	if (rt_parsemode(argv[optind], &mode) != 0)
		return rt_warnx("invalid mode: %s (octal only)", argv[optind]);
	rt_connect();
	for (i = optind + 1; i < argc; i++)
		status |= chpath(argv[i], mode, recurse);
	return status;
}
