/*
 * opts.c: the -o options of rump-fuse.  Each comma-separated option is
 * rump-fuse's own (ro, rw, uid=, gid=, the cache timeouts), one for
 * libfuse and the host mount (allow_other, fsname=, nosuid, ...), or
 * else passed to the kernel driver as mount data (size=, fmask=, ...).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rump_fuse.h"

struct rf_opts rf_opts = {
	.ro_attr_timeout = 1.0,
	.ro_entry_timeout = 1.0,
	.ro_negative_timeout = 0.0,
};

/* Options for libfuse; a trailing '=' takes a value. */
static const char *const fuse_optnames[] = {
	"allow_other", "allow_root", "auto_unmount", "default_permissions",
	"fsname=", "subtype=", "max_read=", "dev", "nodev", "suid", "nosuid",
	"exec", "noexec", "atime", "noatime", "sync", "async", "dirsync",
	NULL,
};

static bool
is_fuse_opt(const char *opt)
{
	const char *const *n;
	size_t l;

	for (n = fuse_optnames; *n != NULL; n++) {
		l = strlen(*n);
		if ((*n)[l - 1] == '=' ? strncmp(opt, *n, l) == 0 :
		    strcmp(opt, *n) == 0)
			return true;
	}
	return false;
}

static int
append(char *list, const char *opt)
{
	size_t l = strlen(list);

	if (l + 1 + strlen(opt) + 1 > RF_OPTLEN)
		return E2BIG;
	if (l > 0)
		list[l++] = ',';
	strcpy(list + l, opt);
	return 0;
}

static int
parse_id(const char *s, unsigned *idp)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v >= UINT_MAX)
		return EINVAL;
	*idp = (unsigned)v;
	return 0;
}

static int
parse_seconds(const char *s, double *tp)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= 0))
		return EINVAL;
	*tp = v;
	return 0;
}

/* One option of rump-fuse's own; ENOENT when it is not one. */
static int
own_opt(const char *opt)
{
	unsigned id;
	int error;

	if (strcmp(opt, "ro") == 0 || strcmp(opt, "rw") == 0) {
		rf_opts.ro_readonly = opt[0] == 'r' && opt[1] == 'o';
		return 0;
	}
	if (strncmp(opt, "uid=", 4) == 0) {
		if ((error = parse_id(opt + 4, &id)) == 0) {
			rf_opts.ro_has_uid = true;
			rf_opts.ro_uid = id;
		}
		return error;
	}
	if (strncmp(opt, "gid=", 4) == 0) {
		if ((error = parse_id(opt + 4, &id)) == 0) {
			rf_opts.ro_has_gid = true;
			rf_opts.ro_gid = id;
		}
		return error;
	}
	if (strncmp(opt, "attr_timeout=", 13) == 0)
		return parse_seconds(opt + 13, &rf_opts.ro_attr_timeout);
	if (strncmp(opt, "entry_timeout=", 14) == 0)
		return parse_seconds(opt + 14, &rf_opts.ro_entry_timeout);
	if (strncmp(opt, "negative_timeout=", 17) == 0)
		return parse_seconds(opt + 17, &rf_opts.ro_negative_timeout);
	return ENOENT;
}

/* Sort the options of one -o argument; a bad one is named on stderr. */
int
rf_parse_opts(struct rf_args *a, const char *optstring)
{
	char *copy, *opt, *next;
	int error = 0;

	copy = strdup(optstring);
	if (copy == NULL)
		return ENOMEM;
	for (opt = copy; opt != NULL && error == 0; opt = next) {
		next = strchr(opt, ',');
		if (next != NULL)
			*next++ = '\0';
		if (*opt == '\0')
			continue;
		error = own_opt(opt);
		if (error == ENOENT)
			error = append(is_fuse_opt(opt) ? a->ra_fuseopts :
			    a->ra_kdata, opt);
		if (error != 0)
			fprintf(stderr, "rump-fuse: -o %s: %s\n", opt,
			    strerror(error));
	}
	free(copy);
	return error;
}
