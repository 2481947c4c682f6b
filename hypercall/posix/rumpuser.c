/*
 * rumpuser.c: initialisation and the process-wide services.
 *
 * Owns the upcall table and the small hypercalls that act on the host
 * process as a whole: parameters (the environment), exit, the console
 * (stderr), signals to ourselves, randomness and errno.  Threads, locks,
 * files, clocks, memory and daemonizing live in their own files.
 */
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "rumpuser_int.h"

struct rumpuser_hyperup rumpuser__hyp;

/* Console line being assembled by this thread; flushed at '\n'. */
static __thread char	conbuf[256];
static __thread size_t	conlen;

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{
	if (version != RUMPUSER_VERSION) {
		fprintf(stderr, "rumpuser: kernel wants hypercall version %d, "
		    "this library is version %d\n", version, RUMPUSER_VERSION);
		return errtokern(EINVAL);
	}
	rumpuser__hyp = *hyp;
	return 0;
}

/* RUMP_NCPU as given (the kernel validates it), else one CPU. */
static const char *
param_ncpu(void)
{
	const char *s = getenv("RUMP_NCPU");

	return s != NULL ? s : "1";
}

static const char *
param_hostname(char *buf, size_t len)
{
	const char *s = getenv("RUMP_HOSTNAME");

	if (s != NULL)
		return s;
	snprintf(buf, len, "rumpk-%ld", (long)getpid());
	return buf;
}

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	char tmp[32];
	const char *value;
	size_t len;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0)
		value = param_ncpu();
	else if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0)
		value = param_hostname(tmp, sizeof(tmp));
	else if ((value = getenv(name)) == NULL)
		return errtokern(ENOENT);
	len = strlen(value) + 1;
	if (len > buflen)
		return errtokern(ERANGE);
	memcpy(buf, value, len);
	return 0;
}

static void
console_flush(void)
{
	fwrite(conbuf, 1, conlen, stderr);
	conlen = 0;
}

void
rumpuser_exit(int value)
{
	console_flush();
	if (value == RUMPUSER_PANIC)
		abort();
	exit(value);
}

void
rumpuser_putchar(int c)
{
	conbuf[conlen++] = (char)c;
	if (c == '\n' || conlen == sizeof(conbuf))
		console_flush();
}

void
rumpuser_dprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* The kernel may only signal its own host process. */
int
rumpuser_kill(int64_t pid, int sig)
{
	if (pid != -1 && pid != getpid())
		return errtokern(EPERM);
	if (raise(sig) != 0)
		return errtokern(errno);
	return 0;
}

/* Fill buf[*donep..len) from getrandom(2); 0 or the host errno. */
static int
random_fill(char *buf, size_t len, unsigned int flags, size_t *donep)
{
	ssize_t n;

	while (*donep < len) {
		n = getrandom(buf + *donep, len - *donep, flags);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno;
		*donep += (size_t)n;
	}
	return 0;
}

/* HARD is ignored: the host's urandom pool is good once it is seeded. */
int
rumpuser_getrandom(void *buf, size_t len, int flags, size_t *retp)
{
	size_t done = 0;
	int error, nlocks;

	error = random_fill(buf, len, GRND_NONBLOCK, &done);
	if (error == EAGAIN && (flags & RUMPUSER_RANDOM_NOWAIT) == 0) {
		cpu_release(&nlocks, NULL);
		error = random_fill(buf, len, 0, &done);
		cpu_retake(nlocks, NULL);
	}
	*retp = done;
	if (error != 0 && done == 0)
		return errtokern(error);
	return 0;
}

void
rumpuser_seterrno(int error)
{
	errno = error;
}
