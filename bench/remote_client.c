/*
 * remote_client: the client half of rumpk-bench's remote rows
 * (bench_remote.c), linked with librumpclient.  Against the kernel at
 * $RUMP_SERVER (which has tmpfs) it times a null system call and a
 * 4 KiB pread, and, as their peers, a 1-byte and a 4 KiB request/reply
 * over a unix socketpair to a forked echo process.  Prints the four
 * times in ns, best round of each.  Usage: remote_client calls rounds.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

#define BLOCK	4096

static double
remote_getpid(long n)
{
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (rump_sys_getpid() == -1)
			die("remote getpid failed");
	}
	return (double)(now_ns() - t0) / (double)n;
}

static double
remote_pread(int fd, long n)
{
	static char buf[BLOCK];
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (rump_sys_pread(fd, buf, BLOCK, 0) != BLOCK)
			die("remote pread failed");
	}
	return (double)(now_ns() - t0) / (double)n;
}

/* Echo child: answer each 1-byte request with reply bytes. */
static void __attribute__((__noreturn__))
echo(int fd, size_t reply)
{
	static char buf[BLOCK];
	size_t done;
	ssize_t k;

	while (read(fd, buf, 1) == 1) {
		for (done = 0; done < reply; done += (size_t)k) {
			if ((k = write(fd, buf + done, reply - done)) <= 0)
				_exit(1);
		}
	}
	_exit(0);
}

/* Request/reply round trips over a socketpair, reply bytes back. */
static double
pingpong(long n, size_t reply)
{
	static char buf[BLOCK];
	uint64_t t0;
	size_t done;
	ssize_t k;
	pid_t pid;
	long i;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		die("socketpair");
	if ((pid = fork()) == 0) {
		close(sv[0]);
		echo(sv[1], reply);
	}
	close(sv[1]);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (write(sv[0], buf, 1) != 1)
			die("ping");
		for (done = 0; done < reply; done += (size_t)k) {
			if ((k = read(sv[0], buf, reply - done)) <= 0)
				die("pong");
		}
	}
	t0 = now_ns() - t0;
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return (double)t0 / (double)n;
}

static double
best(double a, double b)
{
	return a < b || b == 0 ? a : b;
}

int
main(int argc, char **argv)
{
	static char block[BLOCK];
	double t[4] = { 0, 0, 0, 0 };
	long n;
	int r, rounds, fd;

	if (argc != 3 || (n = atol(argv[1])) <= 0 ||
	    (rounds = atoi(argv[2])) <= 0)
		die("usage: remote_client calls rounds");
	if (rumpclient_init() == -1)
		die("cannot connect to the server");
	if (rump_sys_mkdir("/m", 0755) == -1 ||
	    rump_sys_mount("tmpfs", "/m", "tmpfs", 0, NULL) == -1 ||
	    (fd = rump_sys_open("/m/f", O_RDWR | O_CREAT, 0600)) == -1 ||
	    rump_sys_write(fd, block, BLOCK) != BLOCK)
		die("cannot set up the remote file");
	for (r = 0; r < rounds; r++) {
		t[0] = best(remote_getpid(n), t[0]);
		t[1] = best(pingpong(n, 1), t[1]);
		t[2] = best(remote_pread(fd, n), t[2]);
		t[3] = best(pingpong(n, BLOCK), t[3]);
	}
	printf("%.0f %.0f %.0f %.0f\n", t[0], t[1], t[2], t[3]);
	return 0;
}
