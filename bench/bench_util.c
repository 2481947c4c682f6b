/*
 * bench_util.c: the clock, medians, error exit and measurements in a
 * forked child (each child boots its own kernel, so the parent stays a
 * plain process that spawns the boot programs cleanly).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
median(double *v, size_t n)
{

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("rumpk-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Read exactly len bytes; false at a premature end. */
static int
read_all(int fd, void *buf, size_t len)
{
	size_t done;
	ssize_t n;

	for (done = 0; done < len; done += (size_t)n) {
		n = read(fd, (char *)buf + done, len - done);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return 0;
	}
	return 1;
}

static _Noreturn void
child_run(int fd, const char *ncpu, void (*fn)(void *, double *, size_t),
    void *arg, double *out, size_t n)
{
	size_t len = n * sizeof(*out);

	if (setenv("RUMP_NCPU", ncpu, 1) == -1)
		die("setenv: %s", strerror(errno));
	fn(arg, out, n);
	if (write(fd, out, len) != (ssize_t)len)
		die("child: write: %s", strerror(errno));
	exit(0);
}

void
in_child(const char *ncpu, void (*fn)(void *, double *, size_t), void *arg,
    double *out, size_t n)
{
	int fds[2], ok, status;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) == -1)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == -1)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		child_run(fds[1], ncpu, fn, arg, out, n);
	}
	close(fds[1]);
	ok = read_all(fds[0], out, n * sizeof(*out));
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid: %s", strerror(errno));
	if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("measurement child (RUMP_NCPU=%s) failed, status %#x",
		    ncpu, status);
}
