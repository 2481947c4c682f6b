/*
 * rumpuser_daemon.c: turning the host process into a daemon.
 *
 * rumpuser_daemonize_begin() forks; the parent stays in the foreground
 * until the child reports through a pipe, with
 * rumpuser_daemonize_done(error), whether the kernel came up, and then
 * exits with that verdict.  This lets "rump_server && next-command" see
 * a server that is ready or an error, never a half-started one.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser_int.h"

/* Write end of the status pipe, held by the child between begin and done. */
static int daemon_fd = -1;

/* Parent: wait for the child's status and exit with it. */
static void __attribute__((__noreturn__))
daemon_parent(int fd)
{
	ssize_t n;
	int error;

	do
		n = read(fd, &error, sizeof(error));
	while (n == -1 && errno == EINTR);
	if (n != sizeof(error)) {
		fprintf(stderr, "rumpuser: daemon exited before ready\n");
		_exit(1);
	}
	if (error != 0) {
		fprintf(stderr, "rumpuser: daemon failed to start: %s\n",
		    strerror(error));
		_exit(1);
	}
	_exit(0);
}

int
rumpuser_daemonize_begin(void)
{
	int fds[2], error;

	if (daemon_fd != -1)
		return errtokern(EBUSY);
	if (pipe2(fds, O_CLOEXEC) == -1)
		return errtokern(errno);
	switch (fork()) {
	case -1:
		error = errno;
		close(fds[0]);
		close(fds[1]);
		return errtokern(error);
	case 0:
		close(fds[0]);
		setsid();
		daemon_fd = fds[1];
		return 0;
	default:
		close(fds[1]);
		daemon_parent(fds[0]);
	}
}

static int
stdio_to_null(void)
{
	int fd, i, error = 0;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return errno;
	for (i = STDIN_FILENO; i <= STDERR_FILENO && error == 0; i++) {
		if (dup2(fd, i) == -1)
			error = errno;
	}
	if (fd > STDERR_FILENO)
		close(fd);
	return error;
}

/* Report "error" to the parent; 0, or why the report failed. */
int
rumpuser_daemonize_done(int error)
{
	ssize_t n;
	int rv = 0;

	if (daemon_fd == -1)
		return errtokern(EINVAL);
	if (error == 0)
		error = rv = errtokern(stdio_to_null());
	do
		n = write(daemon_fd, &error, sizeof(error));
	while (n == -1 && errno == EINTR);
	if (n == -1)
		rv = errtokern(errno);
	close(daemon_fd);
	daemon_fd = -1;
	return rv;
}
