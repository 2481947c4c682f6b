/*
 * rump.mkdir: make kernel directories in the rump kernel at
 * $RUMP_SERVER.  See rump.mkdir(1).
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
	    "usage: rump.mkdir [-p] [-m mode] dir ...\n"
	    "Makes kernel directories.\n"
	    "  -m mode  octal mode of the new directories (no umask)\n"
	    "  -p       make missing parents; no error if dir exists\n");
	exit(status);
}

/* Make every missing parent of path; 0 or an errno. */
static int
mkparents(const char *path)
{
	char *p = rt_strdup(path), *s;
	int error = 0;

	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (rump_sys_mkdir(p, 0777) == -1 && errno != EEXIST) {
			error = errno;
			break;
		}
		*s = '/';
	}
	if (error != 0)
		rt_warn(p, error);
	free(p);
	return error;
}

static int
makedir(const char *path, bool parents, bool setmode, mode_t mode)
{
	if (parents && mkparents(path) != 0)
		return 1;
	if (rump_sys_mkdir(path, setmode ? mode : 0777) == -1) {
		if (parents && errno == EEXIST && rt_isdir(&rt_kern, path))
			return 0;
		return rt_warn(path, errno);
	}
	if (setmode && rump_sys_chmod(path, mode) == -1)
		return rt_warn(path, errno);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	bool parents = false, setmode = false;
	mode_t mode = 0;
	int ch, i, status = 0;

	rt_setprog("rump.mkdir");
	while ((ch = getopt_long(argc, argv, "m:p", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (rt_parsemode(optarg, &mode) != 0)
				return rt_warnx("invalid mode: %s (octal "
				    "only)", optarg);
			setmode = true;
			break;
		case 'p':
			parents = true;
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
	for (i = optind; i < argc; i++)
		status |= makedir(argv[i], parents, setmode, mode);
	return status;
}
