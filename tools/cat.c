/*
 * rump.cat: copy kernel files of the rump kernel at $RUMP_SERVER to
 * standard output.  Standard input is a host file, not a kernel file,
 * so "-" is refused.  See rump.cat(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/rumptool.h"

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.cat file ...\n"
	    "Writes the kernel files to standard output (kernel files only: "
	    "to read\nstandard input, use e.g. rump.dd of=FILE).\n");
	exit(status);
}

static int
catfile(const char *path)
{
	bool wrerr;
	int fd, error;

	if (strcmp(path, "-") == 0)
		return rt_warnx("-: standard input is not a kernel file");
	fd = rt_kern.open(path, O_RDONLY, 0);
	if (fd == -1)
		return rt_warn(path, errno);
	error = rt_copyfd(&rt_kern, fd, &rt_host, STDOUT_FILENO, NULL,
	    &wrerr);
	rt_kern.close(fd);
	if (error != 0)
		return rt_warn(wrerr ? "standard output" : path, error);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	int ch, i, status = 0;

	rt_setprog("rump.cat");
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == RT_HELP)
			usage(0);
		usage(1);
	}
	if (optind == argc)
		usage(1);
	rt_connect();
	for (i = optind; i < argc; i++)
		status |= catfile(argv[i]);
	return status;
}
