/*
 * bench_remote.c: system calls into a kernel in another process
 * (rump_server, librumpclient) against the raw cost of the transport:
 * a request/reply over a unix socketpair between two processes.
 *
 *  - remote null system call (getpid) against a 1-byte ping-pong;
 *  - remote 4 KiB pread from tmpfs against a ping-pong with a 4 KiB
 *    reply.
 *
 * The server is started here on a socket in a temporary directory; the
 * client program remote-client (remote_client.c) measures both sides
 * in the same run and prints the results.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define REMOTE_CALLS	"20000"
#define REMOTE_ROUNDS	"5"
#define TARGET_RATIO	1.2	/* issue 5: remote null call <= 1.2x raw */

static int
ready(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, rv;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	rv = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return rv == 0;
}

static pid_t
server_start(const char *dir, const char *sock)
{
	char server[PATH_MAX], url[PATH_MAX + 8];
	pid_t pid;
	int i;

	snprintf(server, sizeof(server), "%s/../bin/rump_server", dir);
	snprintf(url, sizeof(url), "unix://%s", sock);
	if ((pid = fork()) == -1)
		die("fork: cannot start rump_server");
	if (pid == 0) {
		execl(server, "rump_server", "-s", "-l", "rumpfs_tmpfs", url,
		    (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && !ready(sock); i++)
		usleep(10 * 1000);
	if (!ready(sock))
		die("%s did not come up", server);
	return pid;
}

/* Run remote-client against url; its four times into t. */
static void
client_run(const char *dir, const char *url, double t[4])
{
	char cmd[2 * PATH_MAX];
	FILE *f;
	int n;

	snprintf(cmd, sizeof(cmd), "RUMP_SERVER='%s' '%s/remote-client' %s %s",
	    url, dir, REMOTE_CALLS, REMOTE_ROUNDS);
	if ((f = popen(cmd, "r")) == NULL)
		die("cannot run remote-client");
	n = fscanf(f, "%lf %lf %lf %lf", &t[0], &t[1], &t[2], &t[3]);
	if (pclose(f) != 0 || n != 4)
		die("remote-client failed");
}

void
bench_remote(const struct bench_opts *o)
{
	char tmpl[] = "/tmp/rumpk-bench.XXXXXX";
	char sock[PATH_MAX], url[PATH_MAX + 8];
	double t[4];
	pid_t srv;

	if (mkdtemp(tmpl) == NULL)
		die("mkdtemp");
	snprintf(sock, sizeof(sock), "%s/sock", tmpl);
	snprintf(url, sizeof(url), "unix://%s", sock);
	srv = server_start(o->bo_dir, sock);
	client_run(o->bo_dir, url, t);
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	rmdir(tmpl);
	row_add("remote null syscall (getpid)", t[0], t[1],
	    "unix ping-pong 1 B", t[1] * TARGET_RATIO,
	    "NetBSD rump_server ~3x raw");
	row_add("remote pread 4 KiB (tmpfs)", t[2], t[3],
	    "unix ping-pong 4 KiB", 0, NULL);
}
