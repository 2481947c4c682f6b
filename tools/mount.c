/*
 * rump.mount: mount a file system in the rump kernel at $RUMP_SERVER.
 * The generic options (ro, rw, remount, nosuid, nodev, noexec, sync,
 * noatime, relatime and their opposites) become mount flags; the rest
 * is passed to the file system as its option string.  See rump.mount(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

static const struct flagopt {
	const char	*name;
	unsigned long	 set;
	unsigned long	 clear;
} flagopts[] = {
	{ "ro", MS_RDONLY, 0 },
	{ "rw", 0, MS_RDONLY },
	{ "remount", MS_REMOUNT, 0 },
	{ "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },
	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },
	{ "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },
	{ "async", 0, MS_SYNCHRONOUS },
	{ "noatime", MS_NOATIME, 0 },
	{ "atime", 0, MS_NOATIME },
	{ "relatime", MS_RELATIME, 0 },
	{ "norelatime", 0, MS_RELATIME },
	{ "defaults", 0, 0 },
};

/* tried in turn when no -t is given */
static const char *const autotypes[] = { "ext2", "msdos" };

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.mount [-r] [-t type] [-o option[,option]...] "
	    "special dir\n"
	    "Mounts special (a device such as /dev/sd0, or e.g. \"tmpfs\") on "
	    "the kernel\ndirectory dir in the rump kernel at $RUMP_SERVER.\n"
	    "  -t type  file system: ext2, msdos, tmpfs (default: try ext2, "
	    "then msdos)\n"
	    "  -o opts  ro, rw, remount, nosuid, nodev, noexec, sync, noatime,"
	    " relatime;\n"
	    "           others (size=, uid=, mode=, ...) go to the file "
	    "system\n"
	    "  -r       read-only, as -o ro\n");
	exit(status);
}

/* Append opt to the file system's option string *datap. */
static void
adddata(char **datap, const char *opt)
{
	size_t olen = *datap == NULL ? 0 : strlen(*datap);
	char *d = rt_malloc(olen + strlen(opt) + 2);

	if (olen > 0) {
		memcpy(d, *datap, olen);
		d[olen++] = ',';
	}
	strcpy(d + olen, opt);
	free(*datap);
	*datap = d;
}

/* Split a -o list into flags and the file system's options. */
static void
parseopts(char *list, unsigned long *flagsp, char **datap)
{
	char *opt, *save = NULL;
	size_t i;

	for (opt = strtok_r(list, ",", &save); opt != NULL;
	    opt = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(flagopts) / sizeof(flagopts[0]); i++) {
			if (strcmp(opt, flagopts[i].name) == 0)
				break;
		}
		if (i == sizeof(flagopts) / sizeof(flagopts[0])) {
			adddata(datap, opt);
			continue;
		}
		*flagsp &= ~flagopts[i].clear;
		*flagsp |= flagopts[i].set;
	}
}

static int
domount(const char *special, const char *dir, const char *type,
    unsigned long flags, const char *data)
{
	size_t i;
	int error = ENODEV;

	if (type != NULL) {
		if (rump_sys_mount(special, dir, type, flags, data) == 0)
			return 0;
		return rt_warnx("%s on %s (%s): %s", special, dir, type,
		    strerror(errno));
	}
	for (i = 0; i < sizeof(autotypes) / sizeof(autotypes[0]); i++) {
		if (rump_sys_mount(special, dir, autotypes[i], flags,
		    data) == 0)
			return 0;
		if (error == ENODEV)
			error = errno;
	}
	return rt_warnx("%s on %s: %s (no -t type given; tried ext2, msdos)",
	    special, dir, strerror(error));
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long flags = 0;
	const char *type = NULL;
	char *data = NULL;
	int ch, status;

	rt_setprog("rump.mount");
	while ((ch = getopt_long(argc, argv, "o:rt:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'o':
			parseopts(optarg, &flags, &data);
			break;
		case 'r':
			flags |= MS_RDONLY;
			break;
		case 't':
			type = optarg;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (argc - optind != 2)
		usage(1);
	rt_connect();
	status = domount(argv[optind], argv[optind + 1], type, flags, data);
	free(data);
	return status;
}
