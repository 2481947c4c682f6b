/*
 * rumptool.c: the tools' program name, connecting to $RUMP_SERVER,
 * error messages in the form "rump.NAME: path: reason", memory that
 * cannot fail (a tool that runs out exits with a message), path
 * strings and the "host:" path convention.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpclient.h>

#include "rumptool.h"

static const char *progname = "rump.tool";

void
rt_setprog(const char *name)
{
	progname = name;
}

const char *
rt_prog(void)
{
	return progname;
}

/* Connect to the kernel or exit 1 naming its URL. */
void
rt_connect(void)
{
	const char *url = getenv("RUMP_SERVER");

	if (url == NULL || *url == '\0') {
		fprintf(stderr, "%s: RUMP_SERVER is not set (e.g. "
		    "RUMP_SERVER=unix:///tmp/rumpk)\n", progname);
		exit(1);
	}
	if (rumpclient_init() == -1) {
		fprintf(stderr, "%s: cannot connect to %s: %s\n", progname,
		    url, strerror(errno));
		exit(1);
	}
}

/* Report error on path; returns the exit status 1. */
int
rt_warn(const char *path, int error)
{
	fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(error));
	return 1;
}

int
rt_warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

void *
rt_malloc(size_t len)
{
	void *p = malloc(len);

	if (p == NULL) {
		rt_warnx("out of memory");
		exit(1);
	}
	return p;
}

char *
rt_strdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(rt_malloc(len), s, len);
}

/* dir/name, without doubling a trailing slash of dir. */
char *
rt_join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	char *p;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	p = rt_malloc(dlen + nlen + 2);
	memcpy(p, dir, dlen);
	if (dlen == 0 || dir[dlen - 1] != '/')
		p[dlen++] = '/';
	memcpy(p + dlen, name, nlen + 1);
	return p;
}

/* The last component of path without trailing slashes, allocated. */
char *
rt_basename(const char *path)
{
	size_t end = strlen(path), start;
	char *p;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	p = rt_malloc(end - start + 1);
	memcpy(p, path + start, end - start);
	p[end - start] = '\0';
	return p;
}

/*
 * The path named by a tool argument and the side it is on: "host:PATH"
 * is a host path, anything else a kernel path.  NULL for an empty path.
 */
const char *
rt_path(const char *arg, const struct rt_fs **fsp)
{
	size_t plen = strlen(RT_HOSTPFX);

	if (strncmp(arg, RT_HOSTPFX, plen) == 0) {
		*fsp = &rt_host;
		arg += plen;
	} else
		*fsp = &rt_kern;
	return *arg == '\0' ? NULL : arg;
}
