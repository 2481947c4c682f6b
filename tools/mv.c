/*
 * rump.mv: rename kernel files of the rump kernel at $RUMP_SERVER, into
 * a directory when the destination is one.  Only renames: a move across
 * file systems fails with EXDEV.  See rump.mv(1).
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
	    "usage: rump.mv source target\n"
	    "       rump.mv source ... directory\n"
	    "Renames kernel files (within one file system), or moves them "
	    "into directory.\n");
	exit(status);
}

static int
move(const char *src, const char *dst, bool intodir)
{
	char *base, *target;
	int status = 0;

	if (!intodir) {
		if (rump_sys_rename(src, dst) == -1)
			return rt_warnx("%s -> %s: %s", src, dst,
			    strerror(errno));
		return 0;
	}
	base = rt_basename(src);
	target = rt_join(dst, base);
	if (rump_sys_rename(src, target) == -1)
		status = rt_warnx("%s -> %s: %s", src, target,
		    strerror(errno));
	free(target);
	free(base);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	const char *dst;
	bool intodir;
	int ch, i, status = 0;

	rt_setprog("rump.mv");
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == RT_HELP)
			usage(0);
		usage(1);
	}
	if (argc - optind < 2)
		usage(1);
	rt_connect();
	dst = argv[argc - 1];
	intodir = rt_isdir(&rt_kern, dst);
	if (argc - optind > 2 && !intodir)
		return rt_warn(dst, ENOTDIR);
	for (i = optind; i < argc - 1; i++)
		status |= move(argv[i], dst, intodir);
	return status;
}
