/*
 * t_rumpclient.c: librumpclient against a rump_server: system calls with
 * their buffers copied through the sysproxy protocol, one kernel process
 * per connection with its own descriptors and the peer's credentials,
 * fork and exec, many clients and threads at once, and clear errors when
 * the server is absent or dies.  Bulk data goes both ways: directly into
 * a local client of the server's uid, by copy requests for another uid.
 */
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "h_rc.h"

ATF_TC_WITHOUT_HEAD(file_calls_on_remote_tmpfs);
ATF_TC_BODY(file_calls_on_remote_tmpfs, tc)
{
	char buf[16] = "";
	struct stat st;
	pid_t srv;
	int fd;

	srv = server_start(NULL);
	client_tmpfs();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/m/d", 0755), 0);
	fd = rump_sys_open("/m/d/f", O_RDWR | O_CREAT, 0640);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "remote", 6), 6);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 6);
	ATF_REQUIRE_STREQ(buf, "remote");
	ATF_REQUIRE_EQ(rump_sys_stat("/m/d/f", &st), 0);
	ATF_REQUIRE_EQ(st.st_size, 6);
	ATF_REQUIRE_EQ(st.st_mode, S_IFREG | 0640);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_stat("/m/d/nothing", &st), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	server_stop(srv);
}

/* statx and getdents64 fill structures in the client's memory. */
ATF_TC_WITHOUT_HEAD(struct_calls_copy_out);
ATF_TC_BODY(struct_calls_copy_out, tc)
{
	char buf[4096];
	struct statx stx;
	struct dirent64 *de;
	ssize_t n, off;
	pid_t srv;
	int fd, found = 0;

	srv = server_start(NULL);
	client_tmpfs();
	fd = rump_sys_open("/m/file1", O_WRONLY | O_CREAT, 0600);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "12345", 5), 5);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	memset(&stx, 0xa5, sizeof(stx));
	ATF_REQUIRE_EQ(rump_sys_statx(AT_FDCWD, "/m/file1", 0,
	    STATX_BASIC_STATS, &stx), 0);
	ATF_REQUIRE_EQ(stx.stx_size, 5);
	ATF_REQUIRE_EQ(stx.stx_mode, S_IFREG | 0600);
	fd = rump_sys_open("/m", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	n = rump_sys_getdents64(fd, buf, sizeof(buf));
	ATF_REQUIRE(n > 0);
	for (off = 0; off < n; off += de->d_reclen) {
		de = (struct dirent64 *)(buf + off);
		found += strcmp(de->d_name, "file1") == 0;
	}
	ATF_REQUIRE_EQ(found, 1);
	/* an unmapped client address the kernel cannot rule out itself */
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	ATF_REQUIRE_EQ(rump_sys_getdents64(fd, (void *)4096, 4096), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	ATF_REQUIRE_EQ(rump_sys_stat((const char *)4096, (void *)buf), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	server_stop(srv);
}

#define BULK_LEN	(3 * 1024 * 1024 + 123)	/* > SP_MAXCOPY, odd */

/*
 * Write BULK_LEN patterned bytes to path in one call, read them back in
 * one call, open a name that ends at the end of a mapping, and read into
 * read-only memory: 0, or the number of the step that failed.
 */
static int
bulk_roundtrip(const char *path)
{
	unsigned char *out, *in, *ro;
	char *page, *name;
	size_t i;
	int fd, rv = 0;

	out = malloc(BULK_LEN);
	in = calloc(1, BULK_LEN);
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (out == NULL || in == NULL || page == MAP_FAILED ||
	    munmap(page + 4096, 4096) != 0)
		return 1;
	for (i = 0; i < BULK_LEN; i++)
		out[i] = (unsigned char)(i * 7 + i / 4096);
	if ((fd = rump_sys_open(path, O_RDWR | O_CREAT, 0600)) < 0)
		return 2;
	if (rump_sys_write(fd, out, BULK_LEN) != BULK_LEN)
		rv = 3;
	else if (rump_sys_pread(fd, in, BULK_LEN, 0) != BULK_LEN)
		rv = 4;
	else if (memcmp(in, out, BULK_LEN) != 0)
		rv = 5;
	rump_sys_close(fd);
	name = page + 4096 - (strlen(path) + 1);
	memcpy(name, path, strlen(path) + 1);
	if (rv == 0 && (fd = rump_sys_open(name, O_RDONLY)) < 0)
		rv = 6;
	ro = (unsigned char *)page;
	if (rv == 0 && (mprotect(page, 4096, PROT_READ) != 0 ||
	    rump_sys_read(fd, ro, 16) != -1 || errno != EFAULT || ro[0] != 0))
		rv = 7;
	rump_sys_close(fd);
	munmap(page, 4096);
	free(in);
	free(out);
	return rv;
}

/* A client of the server's own uid: its memory is copied directly. */
ATF_TC_WITHOUT_HEAD(bulk_data_same_uid);
ATF_TC_BODY(bulk_data_same_uid, tc)
{
	pid_t srv;

	srv = server_start(NULL);
	client_tmpfs();
	ATF_REQUIRE_EQ(bulk_roundtrip("/m/bulk"), 0);
	server_stop(srv);
}

/*
 * A server whose socket uid 1000 can reach: in the new directory dir
 * (searchable), mode 0666.  The caller runs in dir and removes it.
 */
static pid_t
server_for_others(char *dir)
{
	pid_t srv;

	ATF_REQUIRE(mkdtemp(dir) != NULL);
	ATF_REQUIRE_EQ(chmod(dir, 0755), 0);
	ATF_REQUIRE_EQ(chdir(dir), 0);
	srv = server_start(NULL);
	ATF_REQUIRE_EQ(chmod(SOCKNAME, 0666), 0);
	return srv;
}

/* In a forked child: wait for go's write end to close, then connect as
 * uid/gid 1000.  0, or -1 if any step fails. */
static int
connect_as_uid1000(int go[2])
{
	char c;

	close(go[1]);
	if (read(go[0], &c, 1) != 0 || setgid(1000) != 0 ||
	    setuid(1000) != 0 || rumpclient_init() != 0)
		return -1;
	return 0;
}

/* Another uid's memory is not the server's to read: copy requests. */
ATF_TC(bulk_data_other_uid);
ATF_TC_HEAD(bulk_data_other_uid, tc)
{
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(bulk_data_other_uid, tc)
{
	char dir[] = "/tmp/t_rumpclient.XXXXXX";
	pid_t srv, child;
	int go[2];

	srv = server_for_others(dir);
	ATF_REQUIRE_EQ(pipe(go), 0);
	/* fork before connecting: the child makes its own connection */
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (connect_as_uid1000(go) != 0)
			_exit(100);
		if (rump_sys_getuid() != 1000)
			_exit(101);
		_exit(bulk_roundtrip("/m/bulk"));
	}
	close(go[0]);
	client_tmpfs();
	close(go[1]);
	child_ok(child);
	server_stop(srv);
	ATF_REQUIRE_EQ(rmdir(dir), 0);
}

/* Two connections: two processes, two descriptor tables. */
ATF_TC_WITHOUT_HEAD(connections_are_separate_processes);
ATF_TC_BODY(connections_are_separate_processes, tc)
{
	int p2c[2], c2p[2], fd;
	pid_t srv, child, mypid, theirpid;
	struct stat st;

	srv = server_start(NULL);
	ATF_REQUIRE_EQ(pipe(p2c), 0);
	ATF_REQUIRE_EQ(pipe(c2p), 0);
	/* host fork before either connects: two separate connections */
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (rumpclient_init() != 0)
			_exit(1);
		mypid = rump_sys_getpid();
		if (write(c2p[1], &mypid, sizeof(mypid)) != sizeof(mypid) ||
		    read(p2c[0], &fd, sizeof(fd)) != sizeof(fd))
			_exit(2);
		/* the parent's descriptor does not exist here */
		_exit(rump_sys_fstat(fd, &st) == -1 && errno == EBADF ? 0 : 3);
	}
	client_tmpfs();
	fd = rump_sys_open("/m/mine", O_RDWR | O_CREAT, 0600);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(read(c2p[0], &theirpid, sizeof(theirpid)),
	    sizeof(theirpid));
	ATF_REQUIRE(theirpid != rump_sys_getpid());
	ATF_REQUIRE_EQ(write(p2c[1], &fd, sizeof(fd)), sizeof(fd));
	child_ok(child);
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	server_stop(srv);
}

/* A unix client's uid/gid come from SO_PEERCRED. */
ATF_TC(peer_credentials_apply);
ATF_TC_HEAD(peer_credentials_apply, tc)
{
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(peer_credentials_apply, tc)
{
	char dir[] = "/tmp/t_rumpclient.XXXXXX";
	pid_t srv, child;
	int fd, go[2];

	srv = server_for_others(dir);
	ATF_REQUIRE_EQ(pipe(go), 0);
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (connect_as_uid1000(go) != 0)
			_exit(1);
		if (rump_sys_getuid() != 1000 || rump_sys_getgid() != 1000)
			_exit(2);
		if (rump_sys_open("/m/secret", O_RDONLY) != -1 ||
		    errno != EACCES)
			_exit(3);
		_exit(0);
	}
	close(go[0]);
	client_tmpfs();
	ATF_REQUIRE_EQ(rump_sys_getuid(), 0);
	fd = rump_sys_open("/m/secret", O_WRONLY | O_CREAT, 0600);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	close(go[1]);
	child_ok(child);
	server_stop(srv);
	ATF_REQUIRE_EQ(rmdir(dir), 0);
}

/* rumpclient_fork: the child is a new process with a copy of the fds. */
ATF_TC_WITHOUT_HEAD(fork_copies_descriptors);
ATF_TC_BODY(fork_copies_descriptors, tc)
{
	char buf[8] = "";
	pid_t srv, child, ppid;
	int fd;

	srv = server_start(NULL);
	client_tmpfs();
	fd = rump_sys_open("/m/f", O_RDWR | O_CREAT, 0600);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "forked", 6), 6);
	ppid = rump_sys_getpid();
	child = rumpclient_fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (rump_sys_getpid() == ppid || rump_sys_getppid() != ppid)
			_exit(1);
		if (rump_sys_pread(fd, buf, 6, 0) != 6 ||
		    strcmp(buf, "forked") != 0)
			_exit(2);
		_exit(rump_sys_close(fd) == 0 ? 0 : 3);
	}
	child_ok(child);
	ATF_REQUIRE_EQ(rump_sys_getpid(), ppid);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 6, 0), 6);
	server_stop(srv);
}

/* rumpclient_exec: same kernel process and fds; close-on-exec honoured. */
ATF_TC_WITHOUT_HEAD(exec_keeps_process);
ATF_TC_BODY(exec_keeps_process, tc)
{
	char helper[PATH_MAX], a1[16], a2[16], a3[16];
	pid_t srv, child;
	int fd, cfd;

	srv = server_start(NULL);
	buildpath(helper, sizeof(helper), "tests/rumpclient/h_exec");
	client_tmpfs();
	child = rumpclient_fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		fd = rump_sys_open("/m/kept", O_RDWR | O_CREAT, 0600);
		cfd = rump_sys_open("/m/closed", O_RDWR | O_CREAT | O_CLOEXEC,
		    0600);
		if (fd < 0 || cfd < 0 || rump_sys_write(fd, "exec", 4) != 4)
			_exit(101);
		snprintf(a1, sizeof(a1), "%d", rump_sys_getpid());
		snprintf(a2, sizeof(a2), "%d", fd);
		snprintf(a3, sizeof(a3), "%d", cfd);
		rumpclient_exec(helper, (char *[]){ "h_exec", a1, a2, a3,
		    NULL }, environ);
		_exit(102);
	}
	child_ok(child);
	server_stop(srv);
}

#define NCLIENTS	64

/* Client i, once the parent has closed the go pipe. */
static int
one_client(int i, int go)
{
	char name[32], buf[32], want[32];
	int fd, n;

	if (read(go, buf, 1) != 0 || rumpclient_init() != 0)
		return 1;
	snprintf(name, sizeof(name), "/m/c%d", i);
	n = snprintf(want, sizeof(want), "client %d", i);
	fd = rump_sys_open(name, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return 2;
	if (rump_sys_write(fd, want, (size_t)n) != n)
		return 3;
	memset(buf, 0, sizeof(buf));
	if (rump_sys_pread(fd, buf, sizeof(buf), 0) != n ||
	    memcmp(buf, want, (size_t)n) != 0)
		return 4;
	return rump_sys_close(fd) == 0 ? 0 : 5;
}

static int
count_entries(const char *dir)
{
	char buf[8192];
	struct dirent64 *de;
	ssize_t n, off;
	int fd, count = 0;

	fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += de->d_reclen) {
			de = (struct dirent64 *)(buf + off);
			count += de->d_name[0] != '.';
		}
	}
	ATF_REQUIRE_EQ(n, 0);
	rump_sys_close(fd);
	return count;
}

ATF_TC_WITHOUT_HEAD(many_clients_at_once);
ATF_TC_BODY(many_clients_at_once, tc)
{
	pid_t srv, kids[NCLIENTS];
	int i, go[2];

	srv = server_start(NULL);
	ATF_REQUIRE_EQ(pipe(go), 0);
	for (i = 0; i < NCLIENTS; i++) {
		kids[i] = fork();
		ATF_REQUIRE(kids[i] != -1);
		if (kids[i] == 0) {
			close(go[1]);
			_exit(one_client(i, go[0]));
		}
	}
	close(go[0]);
	client_tmpfs();
	close(go[1]);
	for (i = 0; i < NCLIENTS; i++)
		child_ok(kids[i]);
	ATF_REQUIRE_EQ(count_entries("/m"), NCLIENTS);
	server_stop(srv);
}

#define NTHREADS	8
#define NCALLS		200

static void *
thread_calls(void *arg)
{
	char name[32], buf[16];
	intptr_t i = (intptr_t)arg, bad = 0;
	int fd, k;

	snprintf(name, sizeof(name), "/m/t%d", (int)i);
	fd = rump_sys_open(name, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return (void *)1;
	for (k = 0; k < NCALLS; k++) {
		snprintf(buf, sizeof(buf), "%d.%d", (int)i, k);
		if (rump_sys_pwrite(fd, buf, sizeof(buf), 0) != sizeof(buf))
			bad++;
		memset(buf, 0, sizeof(buf));
		if (rump_sys_pread(fd, buf, sizeof(buf), 0) != sizeof(buf) ||
		    atoi(buf) != i)
			bad++;
	}
	rump_sys_close(fd);
	return (void *)bad;
}

/* Threads of one client share its connection; replies find their way. */
ATF_TC_WITHOUT_HEAD(threads_share_a_connection);
ATF_TC_BODY(threads_share_a_connection, tc)
{
	pthread_t t[NTHREADS];
	void *rv;
	pid_t srv;
	intptr_t i;

	srv = server_start(NULL);
	client_tmpfs();
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, thread_calls,
		    (void *)i), 0);
	for (i = 0; i < NTHREADS; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], &rv), 0);
		ATF_REQUIRE_EQ((intptr_t)rv, 0);
	}
	server_stop(srv);
}

static void *
pipe_reader(void *arg)
{
	int *fds = arg;
	char buf[8] = "";

	if (rump_sys_read(fds[0], buf, sizeof(buf) - 1) != 5 ||
	    strcmp(buf, "hello") != 0)
		return (void *)1;
	return NULL;
}

/* A call that sleeps in the kernel (the server runs a lone call on the
 * thread that read it) leaves the connection open for the others: the
 * write that wakes it comes over the same connection. */
ATF_TC_WITHOUT_HEAD(blocked_call_does_not_stall_connection);
ATF_TC_BODY(blocked_call_does_not_stall_connection, tc)
{
	pthread_t t;
	void *rv;
	pid_t srv;
	int fds[2];

	srv = server_start(NULL);
	client_tmpfs();
	ATF_REQUIRE_EQ(rump_sys_pipe(fds), 0);
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, pipe_reader, fds), 0);
	usleep(50 * 1000);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/m/d", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_write(fds[1], "hello", 5), 5);
	ATF_REQUIRE_EQ(pthread_join(t, &rv), 0);
	ATF_REQUIRE_EQ(rv, NULL);
	server_stop(srv);
}

/* Forks and execs' frames arrive while another thread's calls copy
 * data: each frame still finds its way. */
ATF_TC_WITHOUT_HEAD(fork_while_another_thread_copies);
ATF_TC_BODY(fork_while_another_thread_copies, tc)
{
	pthread_t t;
	void *rv;
	pid_t srv, child;
	int i;

	srv = server_start(NULL);
	client_tmpfs();
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, thread_calls, (void *)1), 0);
	for (i = 0; i < 20; i++) {
		child = rumpclient_fork();
		ATF_REQUIRE(child != -1);
		if (child == 0)
			_exit(rump_sys_getpid() > 1 ? 0 : 1);
		child_ok(child);
	}
	ATF_REQUIRE_EQ(pthread_join(t, &rv), 0);
	ATF_REQUIRE_EQ((intptr_t)rv, 0);
	server_stop(srv);
}

ATF_TC_WITHOUT_HEAD(no_server_enoent_or_econnrefused);
ATF_TC_BODY(no_server_enoent_or_econnrefused, tc)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	ATF_REQUIRE_EQ(setenv("RUMP_SERVER", "unix://nosuch", 1), 0);
	ATF_REQUIRE_EQ(rumpclient_init(), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	/* a socket nobody listens on */
	strcpy(sun.sun_path, "deaf");
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ATF_REQUIRE_EQ(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ATF_REQUIRE_EQ(setenv("RUMP_SERVER", "unix://deaf", 1), 0);
	ATF_REQUIRE_EQ(rumpclient_init(), -1);
	ATF_REQUIRE_EQ(errno, ECONNREFUSED);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
}

/* The server dies while a call blocks in it: ENOTCONN, not a hang. */
ATF_TC_WITHOUT_HEAD(server_killed_mid_call_enotconn);
ATF_TC_BODY(server_killed_mid_call_enotconn, tc)
{
	pid_t srv, killer;
	char c;
	int fds[2];

	srv = server_start(NULL);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe(fds), 0);
	killer = fork();
	ATF_REQUIRE(killer != -1);
	if (killer == 0) {
		usleep(200 * 1000);
		_exit(kill(srv, SIGKILL) == 0 ? 0 : 1);
	}
	ATF_REQUIRE_EQ(rump_sys_read(fds[0], &c, 1), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	child_ok(killer);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	waitpid(srv, NULL, 0);
}

/* A client's reboot(HALT) stops the server cleanly. */
ATF_TC_WITHOUT_HEAD(client_halt_stops_server);
ATF_TC_BODY(client_halt_stops_server, tc)
{
	struct stat st;
	pid_t srv;
	int status;

	srv = server_start(NULL);
	client_tmpfs();
	/* the reply may lose the race with the server's exit */
	ATF_REQUIRE(rump_sys_reboot((int)0xfee1dead, 672274793, 0xcdef0123,
	    NULL) == 0 || errno == ENOTCONN);
	ATF_REQUIRE_EQ(waitpid(srv, &status, 0), srv);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ATF_REQUIRE_EQ(stat(SOCKNAME, &st), -1);
}

/* Connect to url, retrying while the server starts. */
static void
connect_retry(const char *url)
{
	int i;

	ATF_REQUIRE_EQ(setenv("RUMP_SERVER", url, 1), 0);
	for (i = 0; i < 500 && rumpclient_init() != 0; i++)
		usleep(10 * 1000);
	ATF_REQUIRE_EQ_MSG(rumpclient_init(), 0, "%s: %s", url,
	    strerror(errno));
}

/* TCP clients run as 65534 (no peer credentials to trust). */
ATF_TC_WITHOUT_HEAD(tcp_clients_are_nobody);
ATF_TC_BODY(tcp_clients_are_nobody, tc)
{
	char url[64];
	pid_t srv;

	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d",
	    20000 + (int)(getpid() % 20000));
	srv = server_spawn(url);
	connect_retry(url);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 65534);
	ATF_REQUIRE_EQ(rump_sys_getgid(), 65534);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/nope", 0755), -1);
	ATF_REQUIRE_EQ(errno, EACCES);
	server_stop(srv);
}

ATF_TC_WITHOUT_HEAD(tcp_ipv6_address);
ATF_TC_BODY(tcp_ipv6_address, tc)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
	    .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	char url[64];
	pid_t srv;
	int fd;

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) != 0)
		atf_tc_skip("no IPv6 loopback here");
	close(fd);
	snprintf(url, sizeof(url), "tcp://[::1]:%d",
	    20000 + (int)((getpid() + 7) % 20000));
	srv = server_spawn(url);
	connect_retry(url);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	server_stop(srv);
}

/* With a retry policy, the call after a lost connection reconnects. */
ATF_TC_WITHOUT_HEAD(reconnect_after_restart);
ATF_TC_BODY(reconnect_after_restart, tc)
{
	pid_t srv;

	srv = server_start(NULL);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/old", 0755), 0);
	server_stop(srv);
	srv = server_start(NULL);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_EQ(rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	/* a new kernel: the old one's state is gone */
	ATF_REQUIRE_EQ(rump_sys_rmdir("/old"), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	server_stop(srv);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, file_calls_on_remote_tmpfs);
	ATF_TP_ADD_TC(tp, struct_calls_copy_out);
	ATF_TP_ADD_TC(tp, bulk_data_same_uid);
	ATF_TP_ADD_TC(tp, bulk_data_other_uid);
	ATF_TP_ADD_TC(tp, connections_are_separate_processes);
	ATF_TP_ADD_TC(tp, peer_credentials_apply);
	ATF_TP_ADD_TC(tp, fork_copies_descriptors);
	ATF_TP_ADD_TC(tp, exec_keeps_process);
	ATF_TP_ADD_TC(tp, many_clients_at_once);
	ATF_TP_ADD_TC(tp, threads_share_a_connection);
	ATF_TP_ADD_TC(tp, blocked_call_does_not_stall_connection);
	ATF_TP_ADD_TC(tp, fork_while_another_thread_copies);
	ATF_TP_ADD_TC(tp, no_server_enoent_or_econnrefused);
	ATF_TP_ADD_TC(tp, server_killed_mid_call_enotconn);
	ATF_TP_ADD_TC(tp, client_halt_stops_server);
	ATF_TP_ADD_TC(tp, tcp_clients_are_nobody);
	ATF_TP_ADD_TC(tp, tcp_ipv6_address);
	ATF_TP_ADD_TC(tp, reconnect_after_restart);
	return atf_no_error();
}
