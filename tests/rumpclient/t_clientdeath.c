/*
 * t_clientdeath.c: a client killed while its system call sleeps in the
 * kernel (read of an empty pipe, poll without timeout, nanosleep).  The
 * server must end that call and release the client's kernel process:
 * the oracle is a pipe the dead client held open, whose last reader
 * is then gone, so a write by the surviving parent fails with EPIPE.
 */
#include <poll.h>
#include <time.h>

#include "h_rc.h"

enum how { HOW_READ, HOW_POLL, HOW_SLEEP };

/* In the child: tell the parent, then sleep in the kernel for good. */
static void __attribute__((__noreturn__))
block_in_kernel(enum how how, int rfd, int ready)
{
	struct timespec ts = { 3600, 0 };
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	char c;

	if (write(ready, "r", 1) != 1)
		_exit(2);
	switch (how) {
	case HOW_READ:
		rump_sys_read(rfd, &c, 1);
		break;
	case HOW_POLL:
		rump_sys_poll(&pfd, 1, -1);
		break;
	case HOW_SLEEP:
		rump_sys_nanosleep(&ts, NULL);
		break;
	}
	_exit(1);
}

/* Writes to wfd fail with EPIPE within a few seconds. */
static void
readers_go_away(int wfd)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (rump_sys_write(wfd, "x", 1) == -1) {
			ATF_REQUIRE_EQ(errno, EPIPE);
			return;
		}
		usleep(10 * 1000);
	}
	ATF_REQUIRE_MSG(false, "the dead client's process kept the pipe");
}

/*
 * A forked client blocks as told on a pipe nobody writes to and is
 * killed with SIGKILL.  It also holds the read end of a second pipe,
 * the witness: once its kernel process is gone, the witness has no
 * reader left.
 */
static void
kill_blocked_client(enum how how)
{
	int block[2], witness[2], ready[2];
	pid_t child;
	char c;

	ATF_REQUIRE_EQ(rump_sys_pipe(block), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe(witness), 0);
	ATF_REQUIRE_EQ(pipe(ready), 0);
	child = rumpclient_fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		rump_sys_close(block[1]);
		rump_sys_close(witness[1]);
		block_in_kernel(how, block[0], ready[1]);
	}
	ATF_REQUIRE_EQ(read(ready[0], &c, 1), 1);
	close(ready[0]);
	close(ready[1]);
	usleep(30 * 1000);	/* let the call reach the kernel */
	ATF_REQUIRE_EQ(kill(child, SIGKILL), 0);
	ATF_REQUIRE_EQ(waitpid(child, NULL, 0), child);
	ATF_REQUIRE_EQ(rump_sys_close(witness[0]), 0);
	readers_go_away(witness[1]);
	ATF_REQUIRE_EQ(rump_sys_close(witness[1]), 0);
	ATF_REQUIRE_EQ(rump_sys_close(block[0]), 0);
	ATF_REQUIRE_EQ(rump_sys_close(block[1]), 0);
}

ATF_TC_WITHOUT_HEAD(killed_in_pipe_read);
ATF_TC_BODY(killed_in_pipe_read, tc)
{
	pid_t srv;

	srv = server_start(NULL);
	client_tmpfs();
	kill_blocked_client(HOW_READ);
	server_stop(srv);
}

ATF_TC_WITHOUT_HEAD(killed_in_poll);
ATF_TC_BODY(killed_in_poll, tc)
{
	pid_t srv;

	srv = server_start(NULL);
	client_tmpfs();
	kill_blocked_client(HOW_POLL);
	server_stop(srv);
}

ATF_TC_WITHOUT_HEAD(killed_in_nanosleep);
ATF_TC_BODY(killed_in_nanosleep, tc)
{
	pid_t srv;

	srv = server_start(NULL);
	client_tmpfs();
	kill_blocked_client(HOW_SLEEP);
	server_stop(srv);
}

/* The same again and again: no worker stays behind, the server and
 * other clients carry on. */
ATF_TC_WITHOUT_HEAD(many_kills_leave_server_healthy);
ATF_TC_BODY(many_kills_leave_server_healthy, tc)
{
	char tool[PATH_MAX];
	pid_t srv, child;
	int i;

	srv = server_start(NULL);
	client_tmpfs();
	for (i = 0; i < 64; i++)
		kill_blocked_client((enum how)(i % 3));
	/* a new client (rump.sysctl) is served */
	buildpath(tool, sizeof(tool), "bin/rump.sysctl");
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		execl(tool, "rump.sysctl", "-w", "kern.hostname=alive",
		    (char *)NULL);
		_exit(127);
	}
	child_ok(child);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	server_stop(srv);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, killed_in_pipe_read);
	ATF_TP_ADD_TC(tp, killed_in_poll);
	ATF_TP_ADD_TC(tp, killed_in_nanosleep);
	ATF_TP_ADD_TC(tp, many_kills_leave_server_healthy);
	return atf_no_error();
}
