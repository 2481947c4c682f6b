/*
 * rump.chown: change the owner and group of kernel files of the rump
 * kernel at $RUMP_SERVER.  Numeric ids only: they are the kernel's, not
 * the host's.  -R walks directory trees; symbolic links met there are
 * changed themselves with -h and left alone without.  See rump.chmod(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

struct owner {
	uid_t	uid;		/* (uid_t)-1: unchanged */
	gid_t	gid;		/* (gid_t)-1: unchanged */
	bool	nofollow;	/* -h */
};

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.chown [-hR] uid[:gid] file ...\n"
	    "       rump.chown [-hR] :gid file ...\n"
	    "Sets the owner and/or group (numeric kernel ids) of kernel "
	    "files.\n"
	    "  -h  change symbolic links themselves, not what they point to\n"
	    "  -R  change directories and everything below them\n");
	exit(status);
}

/* A decimal id (below 2^32 - 1); 0 or EINVAL. */
static int
parseid(const char *s, size_t len, unsigned int *idp)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v >= 0xffffffffUL)
		return EINVAL;
	*idp = (unsigned int)v;
	return 0;
}

/* "uid", "uid:gid", "uid:" or ":gid"; 0 or EINVAL. */
static int
parseowner(const char *s, struct owner *ow)
{
	const char *colon = strchr(s, ':');
	size_t ulen = colon != NULL ? (size_t)(colon - s) : strlen(s);
	unsigned int id;

	ow->uid = (uid_t)-1;
	ow->gid = (gid_t)-1;
	if (ulen > 0) {
		if (parseid(s, ulen, &id) != 0)
			return EINVAL;
		ow->uid = id;
	}
	if (colon != NULL && colon[1] != '\0') {
		if (parseid(colon + 1, strlen(colon + 1), &id) != 0)
			return EINVAL;
		ow->gid = id;
	}
	if (ow->uid == (uid_t)-1 && ow->gid == (gid_t)-1)
		return EINVAL;
	return 0;
}

static int
chvisit(const char *path, const struct stat *st, enum rt_visit visit,
    void *arg)
{
	const struct owner *ow = arg;

	if (visit != RT_PRE || (S_ISLNK(st->st_mode) && !ow->nofollow))
		return 0;
	if (rump_sys_lchown(path, ow->uid, ow->gid) == -1)
		return rt_warn(path, errno);
	return 0;
}

static int
chpath(const char *path, struct owner *ow, bool recurse)
{
	int r;

	if (ow->nofollow)
		r = rump_sys_lchown(path, ow->uid, ow->gid);
	else
		r = rump_sys_chown(path, ow->uid, ow->gid);
	if (r == -1)
		return rt_warn(path, errno);
	if (recurse && rt_isdir(&rt_kern, path))
		return rt_walk(&rt_kern, path, chvisit, ow);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	struct owner ow;
	bool nofollow = false, recurse = false;
	int ch, i, status = 0;

	rt_setprog("rump.chown");
	while ((ch = getopt_long(argc, argv, "hR", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			nofollow = true;
			break;
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
	if (parseowner(argv[optind], &ow) != 0)
		return rt_warnx("invalid owner: %s (numeric uid[:gid])",
		    argv[optind]);
	ow.nofollow = nofollow;
	rt_connect();
	for (i = optind + 1; i < argc; i++)
		status |= chpath(argv[i], &ow, recurse);
	return status;
}
