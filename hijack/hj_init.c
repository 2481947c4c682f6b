/*
 * hj_init.c: librumphijack's start-up and configuration.
 *
 * Owns the lookup of real libc functions, the RUMPHIJACK parser
 * (path=, blanket=, socket=, fdoff=), the lazy connection to the server
 * and the constructor that takes over the state an exec'ing parent left
 * in the environment.  hj_cfglock protects the configuration while it
 * is parsed; after that it is read-only.  hj_connlock protects the
 * connection state.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "hijack.h"

#define HJ_MAXBLANKET	16
#define HJ_DEFAULT	"path=/rump,socket=all:nolocal"

__thread int hj_inside;

static pthread_mutex_t hj_cfglock = PTHREAD_MUTEX_INITIALIZER;
static bool hj_parsed;				/* hj_cfglock */
/* Written under hj_cfglock while parsing, read-only after. */
static char hj_pfx[PATH_MAX];
static char hj_blanketbuf[PATH_MAX];
static const char *hj_blankets[HJ_MAXBLANKET];
static size_t hj_nblankets;
static char hj_socket[64];	/* kept for when sockets are routed */
static int hj_off = HJ_FDOFF;

static pthread_mutex_t hj_connlock = PTHREAD_MUTEX_INITIALIZER;
static bool hj_conn;				/* hj_connlock */
static bool hj_connnoted;			/* atomic: said why not */

void *
hj_dlnext(const char *name)
{
	void *p;

	hj_inside++;
	p = dlsym(RTLD_NEXT, name);
	hj_inside--;
	if (p == NULL) {
		hj_note("no libc function %s", name);
		abort();
	}
	return p;
}

void
hj_note(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	hj_inside++;
	if (write(STDERR_FILENO, "rumphijack: ", 12) == 12)
		(void)!write(STDERR_FILENO, buf, (size_t)n);
	hj_inside--;
}

static void
hj_badconfig(const char *why, const char *item)
{
	hj_note("bad RUMPHIJACK: %s: \"%s\"", why, item);
	_exit(1);
}

/* An absolute path without a trailing "/" (except "/" itself). */
static void
hj_setprefix(char *dst, size_t len, const char *val)
{
	size_t n = strlen(val);

	if (val[0] != '/' || n >= len)
		hj_badconfig("path must be absolute", val);
	while (n > 1 && val[n - 1] == '/')
		n--;
	memcpy(dst, val, n);
	dst[n] = '\0';
}

static void
hj_setblanket(const char *val)
{
	char *p, *save = NULL;

	if (strlen(val) >= sizeof(hj_blanketbuf))
		hj_badconfig("blanket too long", val);
	strcpy(hj_blanketbuf, val);
	for (p = strtok_r(hj_blanketbuf, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save)) {
		if (hj_nblankets == HJ_MAXBLANKET)
			hj_badconfig("too many blanket prefixes", val);
		if (p[0] != '/' || strcmp(p, "/") == 0)
			hj_badconfig("blanket prefix must be absolute, not /",
			    p);
		hj_blankets[hj_nblankets++] = p;
	}
}

static void
hj_setfdoff(const char *val)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(val, &end, 10);
	if (errno != 0 || *end != '\0' || end == val || v < 3 ||
	    v > HJ_MAXFD / 2)
		hj_badconfig("fdoff must be a number from 3 to 2048", val);
	hj_off = (int)v;
}

/* socket=: families, each optionally "no"-prefixed, ":"-separated. */
static void
hj_setsocket(const char *val)
{
	static const char *const fam[] = { "all", "local", "unix", "inet",
	    "inet6", "route", "none" };
	char buf[sizeof(hj_socket)], *p, *save = NULL;
	size_t i;

	if (strlen(val) >= sizeof(hj_socket) || val[0] == '\0')
		hj_badconfig("bad socket list", val);
	strcpy(buf, val);
	for (p = strtok_r(buf, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save)) {
		if (strncmp(p, "no", 2) == 0 && strcmp(p, "none") != 0)
			p += 2;
		for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
			if (strcmp(p, fam[i]) == 0)
				break;
		if (i == sizeof(fam) / sizeof(fam[0]))
			hj_badconfig("unknown socket family", p);
	}
	strcpy(hj_socket, val);
}

static void
hj_parseitem(char *item)
{
	char *val = strchr(item, '=');

	if (val == NULL)
		hj_badconfig("expected key=value", item);
	*val++ = '\0';
	if (strcmp(item, "path") == 0)
		hj_setprefix(hj_pfx, sizeof(hj_pfx), val);
	else if (strcmp(item, "blanket") == 0)
		hj_setblanket(val);
	else if (strcmp(item, "socket") == 0)
		hj_setsocket(val);
	else if (strcmp(item, "fdoff") == 0)
		hj_setfdoff(val);
	else
		hj_badconfig("unknown key", item);
}

static void
hj_parse(const char *spec)
{
	char buf[2 * PATH_MAX], *p, *save = NULL;

	if (strlen(spec) >= sizeof(buf))
		hj_badconfig("too long", spec);
	strcpy(buf, spec);
	hj_pfx[0] = '\0';
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save))
		hj_parseitem(p);
}

void
hj_config(void)
{
	const char *spec;

	if (__atomic_load_n(&hj_parsed, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&hj_cfglock);
	if (!hj_parsed) {
		spec = getenv("RUMPHIJACK");
		hj_parse(spec != NULL ? spec : HJ_DEFAULT);
		__atomic_store_n(&hj_parsed, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&hj_cfglock);
}

int
hj_fdoff(void)
{
	hj_config();
	return hj_off;
}

const char *
hj_prefix(void)
{
	hj_config();
	return hj_pfx;
}

size_t
hj_nblanket(void)
{
	hj_config();
	return hj_nblankets;
}

const char *
hj_blanket(size_t i)
{
	return hj_blankets[i];
}

/* 0, or -1 with errno: the server cannot be reached (said once). */
int
hj_connect(void)
{
	int error = 0;

	if (__atomic_load_n(&hj_conn, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&hj_connlock);
	if (!hj_conn) {
		if (HJ_K(rumpclient_init()) == 0)
			__atomic_store_n(&hj_conn, true, __ATOMIC_RELEASE);
		else
			error = errno;
	}
	pthread_mutex_unlock(&hj_connlock);
	if (error != 0) {
		if (!__atomic_exchange_n(&hj_connnoted, true, __ATOMIC_RELAXED))
			hj_note("cannot reach the rump kernel "
			    "(RUMP_SERVER=%s): %s", getenv("RUMP_SERVER") ?
			    getenv("RUMP_SERVER") : "unset", strerror(error));
		errno = error;
		return -1;
	}
	return 0;
}

bool
hj_connected(void)
{
	return __atomic_load_n(&hj_conn, __ATOMIC_ACQUIRE);
}

/*
 * After an exec from a hijacked parent: continue its connection, take
 * over its descriptor map and cwd, and drop the variables so the
 * program's environment looks as it was given.
 */
__attribute__((constructor)) static void
hj_start(void)
{
	const char *fds = getenv(HJ_ENVFDS);
	const char *kcwd = getenv(HJ_ENVKCWD);

	if (fds == NULL && kcwd == NULL)
		return;
	hj_config();
	if (hj_connect() == -1)
		_exit(1);
	if (fds != NULL)
		hj_fdimport(fds);
	if (kcwd != NULL)
		hj_cwd_restore(strcmp(kcwd, "2") == 0 ? HJ_KBLANKET : HJ_KERN);
	unsetenv(HJ_ENVFDS);
	unsetenv(HJ_ENVKCWD);
}
