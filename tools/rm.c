/*
 * rump.rm: remove kernel files (and with -r directory trees) of the
 * rump kernel at $RUMP_SERVER.  See rump.rm(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

struct opts {
	bool	dirs;		/* -d */
	bool	force;		/* -f */
	bool	recurse;	/* -r */
};

static struct opts	o;

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.rm [-dfr] file ...\n"
	    "Removes kernel files.\n"
	    "  -d  remove empty directories too\n"
	    "  -f  ignore missing files, never fail for them\n"
	    "  -r  remove directories and everything below them (also -R)\n");
	exit(status);
}

static int
removed(const char *path, int r)
{
	if (r == 0 || (o.force && errno == ENOENT))
		return 0;
	return rt_warn(path, errno);
}

static int
rmvisit(const char *path, const struct stat *st, enum rt_visit visit,
    void *arg)
{
	if (!S_ISDIR(st->st_mode))
		return removed(path, rump_sys_unlink(path));
	if (visit == RT_POST)
		return removed(path, rump_sys_rmdir(path));
	return 0;
}

static int
rmpath(const char *path)
{
	struct stat st;

	if (rump_sys_lstat(path, &st) == -1)
		return removed(path, -1);
	if (!S_ISDIR(st.st_mode))
		return removed(path, rump_sys_unlink(path));
	if (o.recurse)
		return rt_walk(&rt_kern, path, rmvisit, NULL);
	if (o.dirs)
		return removed(path, rump_sys_rmdir(path));
	return rt_warn(path, EISDIR);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	int ch, i, status = 0;

	rt_setprog("rump.rm");
	while ((ch = getopt_long(argc, argv, "dfrR", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			o.dirs = true;
			break;
		case 'f':
			o.force = true;
			break;
		case 'r':
		case 'R':
			o.recurse = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (optind == argc) {
		if (o.force)
			return 0;
		usage(1);
	}
	rt_connect();
	for (i = optind; i < argc; i++)
		status |= rmpath(argv[i]);
	return status;
}
