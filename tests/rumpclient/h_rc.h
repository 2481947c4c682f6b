/*
 * h_rc.h: helpers for the remote-client tests: start a rump_server (with
 * tmpfs) on a unix socket in the test's work directory, point
 * RUMP_SERVER at it, and find the programs built beside the tests.
 * The server dies with the test process (PR_SET_PDEATHSIG).
 */
#ifndef _H_RC_H_
#define _H_RC_H_

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#define SOCKNAME	"sock"

/* build/tests/rumpclient/<prog> -> build/<rel> */
static inline void
buildpath(char *buf, size_t len, const char *rel)
{
	char self[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ATF_REQUIRE(n > 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	ATF_REQUIRE((size_t)snprintf(buf, len, "%s/../../%s", self, rel) <
	    len);
}

/* Can a client connect to the socket yet? */
static inline int
server_ready(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, rv;

	strcpy(sun.sun_path, SOCKNAME);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	rv = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return rv == 0;
}

/* Start rump_server -s -l rumpfs_tmpfs url; no waiting. */
static inline pid_t
server_spawn(const char *url)
{
	char server[PATH_MAX];
	pid_t pid;

	buildpath(server, sizeof(server), "bin/rump_server");
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(server, "rump_server", "-s", "-l", "rumpfs_tmpfs", url,
		    (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Start rump_server -s -l rumpfs_tmpfs [extra] unix://<cwd>/sock. */
static inline pid_t
server_start(const char *extra)
{
	char server[PATH_MAX], url[PATH_MAX + 16], cwd[PATH_MAX];
	char path[PATH_MAX + 8];
	pid_t pid;
	int i;

	buildpath(server, sizeof(server), "bin/rump_server");
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(path, sizeof(path), "%s/%s", cwd, SOCKNAME);
	snprintf(url, sizeof(url), "unix://%s", path);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (extra != NULL)
			execl(server, "rump_server", "-s", "-l", "rumpfs_tmpfs",
			    extra, url, (char *)NULL);
		else
			execl(server, "rump_server", "-s", "-l", "rumpfs_tmpfs",
			    url, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && !server_ready(); i++)
		usleep(10 * 1000);
	ATF_REQUIRE_MSG(server_ready(), "server did not come up");
	ATF_REQUIRE_EQ(setenv("RUMP_SERVER", url, 1), 0);
	return pid;
}

/* SIGTERM the server and check that it exits 0. */
static inline void
server_stop(pid_t pid)
{
	int status;

	ATF_REQUIRE_EQ(kill(pid, SIGTERM), 0);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 0);
}

/* Connect and mount a tmpfs at /m (the first client of a server). */
static inline void
client_tmpfs(void)
{
	ATF_REQUIRE_EQ_MSG(rumpclient_init(), 0, "init: %s", strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_mkdir("/m", 0777), 0);
	ATF_REQUIRE_EQ(rump_sys_mount("tmpfs", "/m", "tmpfs", 0, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_chmod("/m", 0777), 0);
}

/* Wait for a host child and require exit status 0. */
static inline void
child_ok(pid_t pid)
{
	int status;

	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child failed (status %#x)", status);
}

#endif /* _H_RC_H_ */
