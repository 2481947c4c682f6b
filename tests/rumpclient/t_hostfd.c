/*
 * t_hostfd.c: librumpclient beside a library that interposes libc: its
 * host descriptor stays out of the program's way (rumpclient__fds(),
 * rumpclient__closenotify() before close, dup2 and closefrom), and it
 * never calls an interposable libc function (h_interpose).
 */
#include <sys/stat.h>

#include "h_rc.h"

/* The connection's host descriptor (librumpclient has exactly one). */
static int
conn_fd(void)
{
	int fds[4];

	ATF_REQUIRE_EQ(rumpclient__fds(fds, 4), 1);
	return fds[0];
}

/* The connection still carries calls, and fd is no longer open. */
static void
moved_away_from(int fd)
{
	ATF_REQUIRE(conn_fd() != fd);
	ATF_REQUIRE_EQ(fcntl(fd, F_GETFD), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	ATF_REQUIRE(rump_sys_getpid() > 1);
}

ATF_TC_WITHOUT_HEAD(fds_empty_before_init);
ATF_TC_BODY(fds_empty_before_init, tc)
{
	int fd = -1;

	ATF_REQUIRE_EQ(rumpclient__fds(NULL, 0), 0);
	ATF_REQUIRE_EQ(rumpclient__closenotify(&fd, RUMPCLIENT_CLOSE_CLOSE),
	    -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	fd = 3;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&fd, 4), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rumpclient__closenotify(&fd, RUMPCLIENT_CLOSE_CLOSE),
	    0);
}

/* The socket lives at 512 or above, close-on-exec, and is a socket. */
ATF_TC_WITHOUT_HEAD(socket_kept_high);
ATF_TC_BODY(socket_kept_high, tc)
{
	struct stat st;
	pid_t srv;
	int fd;

	srv = server_start(NULL);
	client_tmpfs();
	fd = conn_fd();
	ATF_REQUIRE(fd >= 512);
	ATF_REQUIRE_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	ATF_REQUIRE_EQ(fstat(fd, &st), 0);
	ATF_REQUIRE(S_ISSOCK(st.st_mode));
	server_stop(srv);
}

ATF_TC_WITHOUT_HEAD(closenotify_close_moves_socket);
ATF_TC_BODY(closenotify_close_moves_socket, tc)
{
	pid_t srv;
	int fd, old, other;

	srv = server_start(NULL);
	client_tmpfs();
	old = fd = conn_fd();
	other = 3;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&other,
	    RUMPCLIENT_CLOSE_CLOSE), 0);
	ATF_REQUIRE_EQ(conn_fd(), old);
	ATF_REQUIRE_EQ(rumpclient__closenotify(&fd, RUMPCLIENT_CLOSE_CLOSE),
	    0);
	moved_away_from(old);
	ATF_REQUIRE(conn_fd() >= 512);
	server_stop(srv);
}

ATF_TC_WITHOUT_HEAD(closenotify_dup2_moves_socket);
ATF_TC_BODY(closenotify_dup2_moves_socket, tc)
{
	pid_t srv;
	int fd, old, nul;

	srv = server_start(NULL);
	client_tmpfs();
	old = fd = conn_fd();
	ATF_REQUIRE_EQ(rumpclient__closenotify(&fd, RUMPCLIENT_CLOSE_DUP2),
	    0);
	moved_away_from(old);
	ATF_REQUIRE((nul = open("/dev/null", O_RDONLY)) != -1);
	ATF_REQUIRE_EQ(dup2(nul, old), old);
	ATF_REQUIRE(rump_sys_mkdir("/m/after", 0755) == 0);
	server_stop(srv);
}

/* closefrom(n): the socket goes below n, and a fork child follows. */
ATF_TC_WITHOUT_HEAD(closenotify_fclosem_moves_below);
ATF_TC_BODY(closenotify_fclosem_moves_below, tc)
{
	pid_t srv, child;
	int from = 100, fd;

	srv = server_start(NULL);
	client_tmpfs();
	ATF_REQUIRE_EQ(rumpclient__closenotify(&from,
	    RUMPCLIENT_CLOSE_FCLOSEM), 0);
	fd = conn_fd();
	ATF_REQUIRE(fd < 100);
	ATF_REQUIRE_EQ(close_range(100, ~0U, 0), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	child = rumpclient_fork();
	ATF_REQUIRE(child != -1);
	if (child == 0)
		_exit(rump_sys_getpid() > 1 ? 0 : 1);
	child_ok(child);
	server_stop(srv);
}

/* No free descriptor below n: EBUSY, and the socket is untouched. */
ATF_TC_WITHOUT_HEAD(closenotify_fclosem_ebusy);
ATF_TC_BODY(closenotify_fclosem_ebusy, tc)
{
	pid_t srv;
	int from, fd, low;

	srv = server_start(NULL);
	client_tmpfs();
	fd = conn_fd();
	from = 0;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&from,
	    RUMPCLIENT_CLOSE_FCLOSEM), -1);
	ATF_REQUIRE_EQ(errno, EBUSY);
	/* the lowest free descriptor, taken: all below low + 1 are busy */
	ATF_REQUIRE((low = open("/dev/null", O_RDONLY)) != -1);
	from = low + 1;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&from,
	    RUMPCLIENT_CLOSE_FCLOSEM), -1);
	ATF_REQUIRE_EQ(errno, EBUSY);
	ATF_REQUIRE_EQ(conn_fd(), fd);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	server_stop(srv);
}

/* A program whose read, close, socket, fork... trap: none is called. */
ATF_TC_WITHOUT_HEAD(no_interposable_libc_calls);
ATF_TC_BODY(no_interposable_libc_calls, tc)
{
	char helper[PATH_MAX];
	pid_t srv, child;

#ifdef RUMPK_SANITIZE
	atf_tc_skip("the sanitizer runtime calls the trapped functions");
#endif
	srv = server_start(NULL);
	buildpath(helper, sizeof(helper), "tests/rumpclient/h_interpose");
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		execl(helper, "h_interpose", (char *)NULL);
		_exit(127);
	}
	child_ok(child);
	server_stop(srv);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, fds_empty_before_init);
	ATF_TP_ADD_TC(tp, socket_kept_high);
	ATF_TP_ADD_TC(tp, closenotify_close_moves_socket);
	ATF_TP_ADD_TC(tp, closenotify_dup2_moves_socket);
	ATF_TP_ADD_TC(tp, closenotify_fclosem_moves_below);
	ATF_TP_ADD_TC(tp, closenotify_fclosem_ebusy);
	ATF_TP_ADD_TC(tp, no_interposable_libc_calls);
	return atf_no_error();
}
