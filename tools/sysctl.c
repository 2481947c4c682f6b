/*
 * rump.sysctl: read and set sysctl values of the rump kernel named by
 * $RUMP_SERVER.  See rump.sysctl(1).
 *
 * The kernel's sysctl interface gives values without their type, so a
 * value is shown as a string when it is one NUL-terminated run of
 * printable characters, and otherwise as a number of its size (4 or 8
 * bytes).  -w converts the new value to the type of the current one.
 */
#include <ctype.h>
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

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.sysctl [-n] name ...\n"
	    "       rump.sysctl [-n] -w name=value ...\n"
	    "Reads (or with -w sets) sysctl values of the rump kernel at "
	    "$RUMP_SERVER.\n"
	    "  -n  print values only\n");
	exit(status);
}

static bool
is_string(const unsigned char *v, size_t len)
{
	size_t i;

	if (len == 0 || v[len - 1] != '\0')
		return false;
	for (i = 0; i + 1 < len; i++) {
		if (!isprint(v[i]))
			return false;
	}
	return true;
}

static void
print_value(const char *name, const unsigned char *v, size_t len,
    bool valueonly)
{
	int32_t i32;
	int64_t i64;

	if (!valueonly)
		printf("%s = ", name);
	if (is_string(v, len)) {
		printf("%s\n", (const char *)v);
	} else if (len == sizeof(i32)) {
		memcpy(&i32, v, sizeof(i32));
		printf("%" PRId32 "\n", i32);
	} else if (len == sizeof(i64)) {
		memcpy(&i64, v, sizeof(i64));
		printf("%" PRId64 "\n", i64);
	} else
		printf("(%zu bytes)\n", len);
}

static int
fail(const char *name, int error)
{
	fprintf(stderr, "rump.sysctl: %s: %s\n", name, strerror(error));
	return 1;
}

static int
get(const char *name, unsigned char *v, size_t *lenp)
{
	*lenp = VALMAX;
	memset(v, 0, VALMAX);
	return rump_sys_sysctl(name, v, lenp, NULL, 0) == -1 ? errno : 0;
}

/* The new value as the type of the current one: 0 or an errno. */
static int
convert(const char *s, const unsigned char *cur, size_t curlen,
    unsigned char *nv, size_t *nlenp)
{
	long long n;
	int32_t i32;
	int64_t i64;
	char *end;

	if (is_string(cur, curlen)) {
		*nlenp = strlen(s) + 1;
		if (*nlenp > VALMAX)
			return EINVAL;
		memcpy(nv, s, *nlenp);
		return 0;
	}
	errno = 0;
	n = strtoll(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno != 0)
		return EINVAL;
	if (curlen == sizeof(i32)) {
		if (n < INT32_MIN || n > INT32_MAX)
			return ERANGE;
		i32 = (int32_t)n;
		memcpy(nv, &i32, sizeof(i32));
	} else if (curlen == sizeof(i64)) {
		i64 = n;
		memcpy(nv, &i64, sizeof(i64));
	} else
		return EINVAL;
	*nlenp = curlen;
	return 0;
}

static int
set(char *arg, bool valueonly)
{
	unsigned char cur[VALMAX], nv[VALMAX];
	size_t curlen, nlen;
	char *eq = strchr(arg, '=');
	int error;

	if (eq == NULL) {
		fprintf(stderr, "rump.sysctl: -w needs name=value\n");
		return 1;
	}
	*eq = '\0';
	if ((error = get(arg, cur, &curlen)) != 0)
		return fail(arg, error);
	if ((error = convert(eq + 1, cur, curlen, nv, &nlen)) != 0)
		return fail(eq + 1, error);
	if (rump_sys_sysctl(arg, NULL, NULL, nv, nlen) == -1)
		return fail(arg, errno);
	if ((error = get(arg, cur, &curlen)) != 0)
		return fail(arg, error);
	print_value(arg, cur, curlen, valueonly);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned char v[VALMAX];
	const char *url = getenv("RUMP_SERVER");
	bool write = false, valueonly = false;
	size_t len;
	int ch, i, error, status = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	while ((ch = getopt(argc, argv, "nw")) != -1) {
		switch (ch) {
		case 'n':
			valueonly = true;
			break;
		case 'w':
			write = true;
			break;
		default:
			usage(1);
		}
	}
	if (optind == argc)
		usage(1);
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.sysctl: cannot connect to %s: %s\n",
		    url != NULL ? url : "(RUMP_SERVER not set)",
		    strerror(errno));
		return 1;
	}
	for (i = optind; i < argc; i++) {
		if (write) {
			status |= set(argv[i], valueonly);
			continue;
		}
		if ((error = get(argv[i], v, &len)) != 0)
			status |= fail(argv[i], error);
		else
			print_value(argv[i], v, len, valueonly);
	}
	return status;
}
