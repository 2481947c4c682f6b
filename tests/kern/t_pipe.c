/*
 * t_pipe.c: the kernel services seen from the system call interface:
 * pipes, poll, sysctl, uname/sethostname and the clocks.  Expected
 * values follow Linux.
 */
#include <sys/param.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define PIPE_SIZE	65536
#define PIPE_BUFSZ	4096

static uint64_t
host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
boot_pipe(int fds[2], int flags)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe2(fds, flags), 0);
}

/* ---- pipes ----------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(pipe_data_roundtrip);
ATF_TC_BODY(pipe_data_roundtrip, tc)
{
	char buf[16];
	int fds[2];

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe(fds), 0);
	ATF_REQUIRE(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "hello", 5), 5);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], " world", 6), 6);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], buf, 3), 3);
	ATF_REQUIRE_EQ(memcmp(buf, "hel", 3), 0);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], buf, sizeof(buf)), 8);
	ATF_REQUIRE_EQ(memcmp(buf, "lo world", 8), 0);
}

ATF_TC_WITHOUT_HEAD(pipe_wrong_end_ebadf);
ATF_TC_BODY(pipe_wrong_end_ebadf, tc)
{
	char c = 'x';
	int fds[2];

	boot_pipe(fds, 0);
	ATF_REQUIRE_EQ(rump_sys_write(fds[0], &c, 1), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	ATF_REQUIRE_EQ(rump_sys_read(fds[1], &c, 1), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
}

ATF_TC_WITHOUT_HEAD(pipe_eof_after_writer_closes);
ATF_TC_BODY(pipe_eof_after_writer_closes, tc)
{
	char buf[8];
	int fds[2];

	boot_pipe(fds, 0);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "ab", 2), 2);
	ATF_REQUIRE_EQ(rump_sys_close(fds[1]), 0);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], buf, sizeof(buf)), 2);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], buf, sizeof(buf)), 0);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], buf, sizeof(buf)), 0);
}

ATF_TC_WITHOUT_HEAD(pipe_write_without_reader_epipe);
ATF_TC_BODY(pipe_write_without_reader_epipe, tc)
{
	int fds[2];

	boot_pipe(fds, 0);
	ATF_REQUIRE_EQ(rump_sys_close(fds[0]), 0);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "x", 1), -1);
	ATF_REQUIRE_EQ(errno, EPIPE);
}

ATF_TC_WITHOUT_HEAD(pipe_nonblock_read_empty_eagain);
ATF_TC_BODY(pipe_nonblock_read_empty_eagain, tc)
{
	char c;
	int fds[2];

	boot_pipe(fds, O_NONBLOCK);
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], &c, 1), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
}

ATF_TC_WITHOUT_HEAD(pipe_nonblock_write_full_eagain);
ATF_TC_BODY(pipe_nonblock_write_full_eagain, tc)
{
	static char buf[PIPE_SIZE + 1000];
	char small[PIPE_BUFSZ];
	int fds[2];

	boot_pipe(fds, O_NONBLOCK);
	/* A big write fills the buffer and reports the part that fit. */
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], buf, sizeof(buf)), PIPE_SIZE);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "x", 1), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	/* With less than PIPE_BUF free, an atomic write does not fit. */
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], small, 100), 100);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], small, sizeof(small)), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
}

ATF_TC_WITHOUT_HEAD(pipe2_cloexec_sets_fd_flag);
ATF_TC_BODY(pipe2_cloexec_sets_fd_flag, tc)
{
	int fds[2];

	boot_pipe(fds, O_CLOEXEC);
	ATF_REQUIRE_EQ(rump_sys_fcntl(fds[0], F_GETFD), FD_CLOEXEC);
	ATF_REQUIRE_EQ(rump_sys_fcntl(fds[1], F_GETFD), FD_CLOEXEC);
	ATF_REQUIRE_EQ(rump_sys_fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
}

ATF_TC_WITHOUT_HEAD(pipe2_bad_flags_einval);
ATF_TC_BODY(pipe2_bad_flags_einval, tc)
{
	int fds[2];

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe2(fds, O_APPEND), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

ATF_TC_WITHOUT_HEAD(pipe_bad_pointer_efault_leaks_no_fd);
ATF_TC_BODY(pipe_bad_pointer_efault_leaks_no_fd, tc)
{
	int fds[2];

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe((int *)8), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	ATF_REQUIRE_EQ(rump_sys_pipe(fds), 0);
	ATF_REQUIRE_EQ(fds[0], 0);
	ATF_REQUIRE_EQ(fds[1], 1);
}

/* Linux: a pipe is a FIFO of size 0 whatever it holds; FIONREAD counts. */
ATF_TC_WITHOUT_HEAD(pipe_fstat_fifo_size);
ATF_TC_BODY(pipe_fstat_fifo_size, tc)
{
	struct stat st;
	int fds[2], n;

	boot_pipe(fds, 0);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "abcde", 5), 5);
	ATF_REQUIRE_EQ(rump_sys_fstat(fds[0], &st), 0);
	ATF_REQUIRE(S_ISFIFO(st.st_mode));
	ATF_REQUIRE_EQ(st.st_size, 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(fds[0], FIONREAD, &n), 0);
	ATF_REQUIRE_EQ(n, 5);
	ATF_REQUIRE_EQ(rump_sys_lseek(fds[0], 0, SEEK_SET), -1);
	ATF_REQUIRE_EQ(errno, ESPIPE);
}

#define NBLOCKS	64

struct writer {
	int	fd;
	char	c;
};

static void *
atomic_writer(void *arg)
{
	struct writer *w = arg;
	char block[PIPE_BUFSZ];
	int i;

	memset(block, w->c, sizeof(block));
	for (i = 0; i < NBLOCKS; i++)
		if (rump_sys_write(w->fd, block, sizeof(block)) !=
		    (ssize_t)sizeof(block))
			return (void *)1;
	return NULL;
}

ATF_TC_WITHOUT_HEAD(pipe_buf_writes_are_atomic);
ATF_TC_BODY(pipe_buf_writes_are_atomic, tc)
{
	static char stream[2 * NBLOCKS * PIPE_BUFSZ];
	struct writer w[2];
	pthread_t t[2];
	size_t got = 0, i, j;
	ssize_t n;
	void *rv;
	int fds[2];

	setenv("RUMP_NCPU", "2", 1);
	boot_pipe(fds, 0);
	for (i = 0; i < 2; i++) {
		w[i].fd = fds[1];
		w[i].c = (char)('a' + i);
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, atomic_writer,
		    &w[i]), 0);
	}
	while (got < sizeof(stream)) {
		n = rump_sys_read(fds[0], stream + got,
		    MIN(1000, sizeof(stream) - got));
		ATF_REQUIRE(n > 0);
		got += (size_t)n;
	}
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], &rv), 0);
		ATF_REQUIRE(rv == NULL);
	}
	for (i = 0; i < sizeof(stream); i += PIPE_BUFSZ)
		for (j = 1; j < PIPE_BUFSZ; j++)
			ATF_REQUIRE_MSG(stream[i + j] == stream[i],
			    "block at %zu is mixed", i);
}

/* ---- poll ------------------------------------------------------------ */

ATF_TC_WITHOUT_HEAD(poll_timeout_waits_at_least_timeout);
ATF_TC_BODY(poll_timeout_waits_at_least_timeout, tc)
{
	struct pollfd pfd;
	uint64_t start;
	int fds[2];

	boot_pipe(fds, 0);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	start = host_now_ns();
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1, 100), 0);
	ATF_REQUIRE(host_now_ns() - start >= 100 * 1000000ULL);
	ATF_REQUIRE_EQ(pfd.revents, 0);
}

ATF_TC_WITHOUT_HEAD(poll_reports_ready_ends);
ATF_TC_BODY(poll_reports_ready_ends, tc)
{
	struct pollfd pfd[4];
	int fds[2];

	boot_pipe(fds, 0);
	pfd[0].fd = fds[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = fds[1];
	pfd[1].events = POLLOUT;
	pfd[2].fd = -1;
	pfd[2].events = POLLIN;
	pfd[3].fd = 100;
	pfd[3].events = POLLIN;
	ATF_REQUIRE_EQ(rump_sys_poll(pfd, 4, 0), 2);
	ATF_REQUIRE_EQ(pfd[0].revents, 0);
	ATF_REQUIRE_EQ(pfd[1].revents, POLLOUT);
	ATF_REQUIRE_EQ(pfd[2].revents, 0);
	ATF_REQUIRE_EQ(pfd[3].revents, POLLNVAL);
	ATF_REQUIRE_EQ(rump_sys_close(fds[1]), 0);
	ATF_REQUIRE_EQ(rump_sys_poll(pfd, 1, 0), 1);
	ATF_REQUIRE_EQ(pfd[0].revents, POLLHUP);
}

ATF_TC_WITHOUT_HEAD(poll_too_many_fds_einval);
ATF_TC_BODY(poll_too_many_fds_einval, tc)
{
	struct pollfd pfd;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1025, 0), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

static void *
delayed_writer(void *arg)
{
	int fd = *(int *)arg;

	usleep(50 * 1000);
	return (void *)(intptr_t)rump_sys_write(fd, "z", 1);
}

ATF_TC_WITHOUT_HEAD(poll_wakes_when_another_thread_writes);
ATF_TC_BODY(poll_wakes_when_another_thread_writes, tc)
{
	struct pollfd pfd;
	pthread_t t;
	void *rv;
	int fds[2];

	boot_pipe(fds, 0);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, delayed_writer, &fds[1]), 0);
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	ATF_REQUIRE_EQ(pfd.revents, POLLIN);
	ATF_REQUIRE_EQ(pthread_join(t, &rv), 0);
	ATF_REQUIRE_EQ((intptr_t)rv, 1);
}

/* ---- sysctl ---------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(sysctl_unknown_enoent);
ATF_TC_BODY(sysctl_unknown_enoent, tc)
{
	int v;
	size_t len = sizeof(v);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.nosuchthing", &v, &len, NULL, 0),
	    -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE_EQ(rump_sys_sysctl("", &v, &len, NULL, 0), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
}

ATF_TC_WITHOUT_HEAD(sysctl_interior_node_eisdir);
ATF_TC_BODY(sysctl_interior_node_eisdir, tc)
{
	int v;
	size_t len = sizeof(v);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern", &v, &len, NULL, 0), -1);
	ATF_REQUIRE_EQ(errno, EISDIR);
}

ATF_TC_WITHOUT_HEAD(sysctl_short_buffer_enomem_sets_len);
ATF_TC_BODY(sysctl_short_buffer_enomem_sets_len, tc)
{
	char buf[3];
	size_t len = sizeof(buf);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.ostype", buf, &len, NULL, 0), -1);
	ATF_REQUIRE_EQ(errno, ENOMEM);
	ATF_REQUIRE_EQ(len, sizeof("rumpk"));
	len = 0;
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.ostype", NULL, &len, NULL, 0), 0);
	ATF_REQUIRE_EQ(len, sizeof("rumpk"));
}

ATF_TC_WITHOUT_HEAD(sysctl_reads_standard_nodes);
ATF_TC_BODY(sysctl_reads_standard_nodes, tc)
{
	char buf[64];
	int v;
	size_t len;

	setenv("RUMP_NCPU", "2", 1);
	ATF_REQUIRE_EQ(rump_init(), 0);
	len = sizeof(buf);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.ostype", buf, &len, NULL, 0), 0);
	ATF_REQUIRE_STREQ(buf, "rumpk");
	ATF_REQUIRE_EQ(len, sizeof("rumpk"));
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_sysctl("hw.ncpu", &v, &len, NULL, 0), 0);
	ATF_REQUIRE_EQ(v, 2);
	ATF_REQUIRE_EQ(len, sizeof(v));
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_sysctl("hw.pagesize", &v, &len, NULL, 0), 0);
	ATF_REQUIRE_EQ(v, 4096);
}

ATF_TC_WITHOUT_HEAD(sysctl_readonly_write_eperm);
ATF_TC_BODY(sysctl_readonly_write_eperm, tc)
{
	int v = 7;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("hw.ncpu", NULL, NULL, &v, sizeof(v)),
	    -1);
	ATF_REQUIRE_EQ(errno, EPERM);
}

ATF_TC_WITHOUT_HEAD(sysctl_hostname_write_and_limits);
ATF_TC_BODY(sysctl_hostname_write_and_limits, tc)
{
	char buf[100];
	size_t len = sizeof(buf);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.hostname", NULL, NULL, "box",
	    4), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.hostname", buf, &len, NULL, 0),
	    0);
	ATF_REQUIRE_STREQ(buf, "box");
	memset(buf, 'h', sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.hostname", NULL, NULL, buf,
	    sizeof(buf)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

ATF_TC_WITHOUT_HEAD(sysctl_nonroot_write_eperm);
ATF_TC_BODY(sysctl_nonroot_write_eperm, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.hostname", NULL, NULL, "x", 2),
	    -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	ATF_REQUIRE_EQ(rump_sys_sethostname("x", 1), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
}

/* ---- uname, sethostname, clocks -------------------------------------- */

ATF_TC_WITHOUT_HEAD(uname_fields);
ATF_TC_BODY(uname_fields, tc)
{
	struct utsname u, host;
	char name[80];
	size_t len = sizeof(name);

	ATF_REQUIRE_EQ(uname(&host), 0);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_uname(&u), 0);
	ATF_REQUIRE_STREQ(u.sysname, "rumpk");
	ATF_REQUIRE_STREQ(u.release, "0.1.0");
	ATF_REQUIRE_STREQ(u.machine, host.machine);
	ATF_REQUIRE_STREQ(u.domainname, "(none)");
	ATF_REQUIRE(strstr(u.version, "rumpk") != NULL);
	ATF_REQUIRE_EQ(rump_sys_sysctl("kern.hostname", name, &len, NULL, 0),
	    0);
	ATF_REQUIRE_STREQ(u.nodename, name);
}

ATF_TC_WITHOUT_HEAD(sethostname_shows_in_uname);
ATF_TC_BODY(sethostname_shows_in_uname, tc)
{
	char longname[66];
	struct utsname u;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_sethostname("testhostXXX", 8), 0);
	ATF_REQUIRE_EQ(rump_sys_uname(&u), 0);
	ATF_REQUIRE_STREQ(u.nodename, "testhost");
	memset(longname, 'a', sizeof(longname));
	ATF_REQUIRE_EQ(rump_sys_sethostname(longname, 64), 0);
	ATF_REQUIRE_EQ(rump_sys_sethostname(longname, 65), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_uname(&u), 0);
	ATF_REQUIRE_EQ(strlen(u.nodename), 64);
}

ATF_TC_WITHOUT_HEAD(clock_gettime_clocks);
ATF_TC_BODY(clock_gettime_clocks, tc)
{
	struct timespec a, b, host;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, &a), 0);
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, &b), 0);
	ATF_REQUIRE(b.tv_sec > a.tv_sec ||
	    (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_REALTIME, &a), 0);
	clock_gettime(CLOCK_REALTIME, &host);
	ATF_REQUIRE(host.tv_sec - a.tv_sec <= 1 && host.tv_sec >= a.tv_sec);
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(12345, &a), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

ATF_TC_WITHOUT_HEAD(nanosleep_sleeps_and_checks_args);
ATF_TC_BODY(nanosleep_sleeps_and_checks_args, tc)
{
	struct timespec ts = { 0, 20 * 1000000L };
	uint64_t start;

	ATF_REQUIRE_EQ(rump_init(), 0);
	start = host_now_ns();
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&ts, NULL), 0);
	ATF_REQUIRE(host_now_ns() - start >= 20 * 1000000ULL);
	ts.tv_nsec = 1000000000L;
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&ts, NULL), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&ts, NULL), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, pipe_data_roundtrip);
	ATF_TP_ADD_TC(tp, pipe_wrong_end_ebadf);
	ATF_TP_ADD_TC(tp, pipe_eof_after_writer_closes);
	ATF_TP_ADD_TC(tp, pipe_write_without_reader_epipe);
	ATF_TP_ADD_TC(tp, pipe_nonblock_read_empty_eagain);
	ATF_TP_ADD_TC(tp, pipe_nonblock_write_full_eagain);
	ATF_TP_ADD_TC(tp, pipe2_cloexec_sets_fd_flag);
	ATF_TP_ADD_TC(tp, pipe2_bad_flags_einval);
	ATF_TP_ADD_TC(tp, pipe_bad_pointer_efault_leaks_no_fd);
	ATF_TP_ADD_TC(tp, pipe_fstat_fifo_size);
	ATF_TP_ADD_TC(tp, pipe_buf_writes_are_atomic);
	ATF_TP_ADD_TC(tp, poll_timeout_waits_at_least_timeout);
	ATF_TP_ADD_TC(tp, poll_reports_ready_ends);
	ATF_TP_ADD_TC(tp, poll_too_many_fds_einval);
	ATF_TP_ADD_TC(tp, poll_wakes_when_another_thread_writes);
	ATF_TP_ADD_TC(tp, sysctl_unknown_enoent);
	ATF_TP_ADD_TC(tp, sysctl_interior_node_eisdir);
	ATF_TP_ADD_TC(tp, sysctl_short_buffer_enomem_sets_len);
	ATF_TP_ADD_TC(tp, sysctl_reads_standard_nodes);
	ATF_TP_ADD_TC(tp, sysctl_readonly_write_eperm);
	ATF_TP_ADD_TC(tp, sysctl_hostname_write_and_limits);
	ATF_TP_ADD_TC(tp, sysctl_nonroot_write_eperm);
	ATF_TP_ADD_TC(tp, uname_fields);
	ATF_TP_ADD_TC(tp, sethostname_shows_in_uname);
	ATF_TP_ADD_TC(tp, clock_gettime_clocks);
	ATF_TP_ADD_TC(tp, nanosleep_sleeps_and_checks_args);
	return atf_no_error();
}
