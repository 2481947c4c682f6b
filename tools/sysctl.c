/*
 * rump.sysctl: list, read and set sysctl values of the rump kernel
 * named by $RUMP_SERVER.  See rump.sysctl(1).
 *
 * The kernel gives each node's type, flags and description
 * (RUMP_SYSCTL_INFO) and walks its tree (RUMP_SYSCTL_NEXT); values are
 * printed and new ones parsed by their type.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#define VALMAX	1024
#define NAMEMAX	128

struct opts {
	bool	valueonly;	/* -n */
	bool	descr;		/* -d */
};

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.sysctl [-dn] name ...\n"
	    "       rump.sysctl [-dn] -a\n"
	    "       rump.sysctl [-n] -w name=value ...\n"
	    "Lists, reads or (-w) sets sysctl values of the rump kernel "
	    "at $RUMP_SERVER;\n"
	    "a node name lists everything below it.\n"
	    "  -a  list every value\n"
	    "  -d  print descriptions instead of values\n"
	    "  -n  print values (or descriptions) only, without names\n");
	exit(status);
}

static int
fail(const char *what, int error)
{
	fprintf(stderr, "rump.sysctl: %s: %s\n", what, strerror(error));
	return 1;
}

static int
info(const char *name, struct rump_sysctlinfo *si)
{
	size_t len = sizeof(*si);

	if (rump_sys_sysctl(RUMP_SYSCTL_INFO, si, &len, name,
	    strlen(name) + 1) == -1)
		return errno;
	si->si_descr[sizeof(si->si_descr) - 1] = '\0';
	return 0;
}

/* The node after name in the kernel's walk; ENOENT at the end. */
static int
next(const char *name, char *buf)
{
	size_t len = NAMEMAX;

	if (rump_sys_sysctl(RUMP_SYSCTL_NEXT, buf, &len, name,
	    strlen(name) + 1) == -1)
		return errno;
	buf[NAMEMAX - 1] = '\0';
	return 0;
}

static int
get(const char *name, unsigned char *v, size_t *lenp)
{
	*lenp = VALMAX - 1;
	memset(v, 0, VALMAX);
	return rump_sys_sysctl(name, v, lenp, NULL, 0) == -1 ? errno : 0;
}

static void
print_value(int type, const unsigned char *v, size_t len)
{
	int32_t i32;
	int64_t i64;

	switch (type) {
	case RUMP_CTLTYPE_INT:
		memcpy(&i32, v, sizeof(i32));
		printf("%" PRId32 "\n", i32);
		break;
	case RUMP_CTLTYPE_QUAD:
		memcpy(&i64, v, sizeof(i64));
		printf("%" PRId64 "\n", i64);
		break;
	case RUMP_CTLTYPE_BOOL:
		printf("%d\n", v[0] != 0);
		break;
	case RUMP_CTLTYPE_STRING:
		printf("%s\n", (const char *)v);
		break;
	default:
		printf("(%zu bytes of type %d)\n", len, type);
		break;
	}
}

/* Print one leaf (or, with -d, any node): 0, or 1 after a message. */
static int
show(const char *name, const struct rump_sysctlinfo *si,
    const struct opts *o)
{
	unsigned char v[VALMAX];
	size_t len;
	int error;

	if (!o->valueonly)
		printf(o->descr ? "%s: " : "%s = ", name);
	if (o->descr) {
		printf("%s\n", si->si_descr);
		return 0;
	}
	if ((error = get(name, v, &len)) != 0) {
		printf("\n");
		return fail(name, error);
	}
	print_value(si->si_type, v, len);
	return 0;
}

/* Every leaf below node top ("" for all), in the kernel's order. */
static int
list(const char *top, const struct opts *o)
{
	struct rump_sysctlinfo si;
	char cur[NAMEMAX], nxt[NAMEMAX];
	size_t toplen = strlen(top);
	int error, status = 0;

	snprintf(cur, sizeof(cur), "%s", top);
	while ((error = next(cur, nxt)) == 0) {
		if (toplen > 0 && (strncmp(nxt, top, toplen) != 0 ||
		    nxt[toplen] != '.'))
			return status;
		memcpy(cur, nxt, sizeof(cur));
		if ((error = info(cur, &si)) != 0)
			status |= fail(cur, error);
		else if (si.si_type != RUMP_CTLTYPE_NODE)
			status |= show(cur, &si, o);
	}
	return error == ENOENT ? status : fail(cur, error);
}

static int
read_one(const char *name, const struct opts *o)
{
	struct rump_sysctlinfo si;
	int error;

	if ((error = info(name, &si)) != 0)
		return fail(name, error);
	if (si.si_type == RUMP_CTLTYPE_NODE)
		return o->descr ? show(name, &si, o) | list(name, o) :
		    list(name, o);
	return show(name, &si, o);
}

/* s as a number in [min, max]: 0, EINVAL or ERANGE. */
static int
number(const char *s, long long min, long long max, long long *np)
{
	char *end;

	errno = 0;
	*np = strtoll(s, &end, 0);
	if (*s == '\0' || *end != '\0')
		return EINVAL;
	if (errno == ERANGE || *np < min || *np > max)
		return ERANGE;
	return 0;
}

/* The new value s as a value of the type: 0 or an errno. */
static int
convert(int type, const char *s, unsigned char *nv, size_t *nlenp)
{
	long long n;
	int32_t i32;
	int64_t i64;
	int error = 0;

	switch (type) {
	case RUMP_CTLTYPE_STRING:
		if ((*nlenp = strlen(s) + 1) > VALMAX)
			return ENAMETOOLONG;
		memcpy(nv, s, *nlenp);
		return 0;
	case RUMP_CTLTYPE_BOOL:
		if (strcmp(s, "true") == 0)
			n = 1;
		else if (strcmp(s, "false") == 0)
			n = 0;
		else
			error = number(s, 0, 1, &n);
		nv[0] = (unsigned char)n;
		*nlenp = 1;
		return error;
	case RUMP_CTLTYPE_INT:
		if ((error = number(s, INT32_MIN, INT32_MAX, &n)) != 0)
			return error;
		i32 = (int32_t)n;
		memcpy(nv, &i32, sizeof(i32));
		*nlenp = sizeof(i32);
		return 0;
	case RUMP_CTLTYPE_QUAD:
		if ((error = number(s, INT64_MIN, INT64_MAX, &n)) != 0)
			return error;
		i64 = n;
		memcpy(nv, &i64, sizeof(i64));
		*nlenp = sizeof(i64);
		return 0;
	default:
		return EISDIR;
	}
}

static int
set(char *arg, const struct opts *o)
{
	struct rump_sysctlinfo si;
	unsigned char nv[VALMAX];
	char *eq = strchr(arg, '=');
	size_t nlen;
	int error;

	if (eq == NULL) {
		fprintf(stderr, "rump.sysctl: -w needs name=value\n");
		return 1;
	}
	*eq = '\0';
	if ((error = info(arg, &si)) != 0)
		return fail(arg, error);
	if ((error = convert(si.si_type, eq + 1, nv, &nlen)) != 0) {
		fprintf(stderr, "rump.sysctl: %s: bad value '%s': %s\n", arg,
		    eq + 1, strerror(error));
		return 1;
	}
	if (rump_sys_sysctl(arg, NULL, NULL, nv, nlen) == -1)
		return fail(arg, errno);
	return show(arg, &si, o);
}

int
main(int argc, char **argv)
{
	const char *url = getenv("RUMP_SERVER");
	struct opts o = { false, false };
	bool write = false, all = false;
	int ch, i, status = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	while ((ch = getopt(argc, argv, "adnw")) != -1) {
		switch (ch) {
		case 'a':
			all = true;
			break;
		case 'd':
			o.descr = true;
			break;
		case 'n':
			o.valueonly = true;
			break;
		case 'w':
			write = true;
			break;
		default:
			usage(1);
		}
	}
	if ((optind == argc) != all || (all && write) ||
	    (write && o.descr))
		usage(1);
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.sysctl: cannot connect to %s: %s\n",
		    url != NULL ? url : "(RUMP_SERVER not set)",
		    strerror(errno));
		return 1;
	}
	if (all)
		return list("", &o);
	for (i = optind; i < argc; i++)
		status |= write ? set(argv[i], &o) : read_one(argv[i], &o);
	return status;
}
