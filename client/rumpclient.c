/*
 * rumpclient.c: connecting to a rump_server.
 *
 * Owns rumpclient_init() (RUMP_SERVER, or the connection a rumpclient
 * program handed over across exec), the connection setup shared with
 * fork and reconnection (socket, banner check, handshake), and the
 * reconnection policy (rumpclient_setconnretry()).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"

static int
rc_socket_unix(const char *path, int *fdp)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, error;

	if (*path == '\0' || strlen(path) >= sizeof(sun.sun_path))
		return EINVAL;
	strcpy(sun.sun_path, path);
	if ((fd = rc_hsocket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return errno;
	if (rc_hconnect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		error = errno;
		rc_hclose(fd);
		return error;
	}
	*fdp = fd;
	return 0;
}

static int
rc_socket_tcp(const char *hp, int *fdp)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char buf[256], *host = buf, *port;
	int fd, error, one = 1;

	if (strlen(hp) >= sizeof(buf))
		return EINVAL;
	strcpy(buf, hp);
	if (*buf == '[' && (port = strstr(buf, "]:")) != NULL) {
		host++;
		*port++ = '\0';
	} else if ((port = strrchr(buf, ':')) == NULL)
		return EINVAL;
	*port++ = '\0';
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return EINVAL;
	fd = rc_hsocket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || rc_hconnect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		error = errno;
		if (fd != -1)
			rc_hclose(fd);
		freeaddrinfo(ai);
		return error;
	}
	freeaddrinfo(ai);
	rc_hsetsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*fdp = fd;
	return 0;
}

/* Read one whole frame of type (at most max bytes) during setup. */
static int
rc_expect(int fd, int type, void *buf, size_t max, size_t *lenp)
{
	unsigned char raw[SP_HDRLEN];
	struct sp_hdr h;
	int error;

	if ((error = rc_read(fd, raw, sizeof(raw))) != 0)
		return error;
	sp_hdr_get(raw, &h);
	if (h.type != type || h.flags != 0 || h.len > max)
		return EPROTO;
	*lenp = h.len;
	return rc_read(fd, buf, h.len);
}

static int
rc_banner(int fd)
{
	unsigned char buf[12 + SP_BANNERMAX];
	size_t len;
	int error;

	if ((error = rc_expect(fd, SP_BANNER, buf, sizeof(buf), &len)) != 0)
		return error;
	if (len < 13 || memcmp(buf, SP_MAGIC, 8) != 0 ||
	    sp_get32(buf + 8) != SP_VERSION || buf[len - 1] != '\0')
		return EPROTO;
	return 0;
}

/* Send a handshake and read its answer; 0 or the server's error. */
static int
rc_handshake(int fd, int kind, const uint64_t *cookie)
{
	unsigned char buf[8 + 16];
	char comm[SP_COMMLEN];
	size_t len;
	int error;

	sp_put32(buf, (uint32_t)kind);
	sp_put32(buf + 4, (uint32_t)rc_hgetpid());
	if (kind == SP_HS_FORK) {
		sp_put64(buf + 8, cookie[0]);
		sp_put64(buf + 16, cookie[1]);
		error = rc_send(fd, SP_HANDSHAKE, 0, buf, 24, NULL, 0);
	} else {
		snprintf(comm, sizeof(comm), "%s",
		    program_invocation_short_name);
		error = rc_send(fd, SP_HANDSHAKE, 0, buf, 8, comm,
		    strlen(comm) + 1);
	}
	if (error == 0)
		error = rc_expect(fd, SP_HANDSHAKE_RESP, buf, 8, &len);
	if (error == 0 && len != 8)
		error = EPROTO;
	return error != 0 ? error : (int)sp_get32(buf);
}

int
rc_connect(const char *url, int kind, const uint64_t *cookie)
{
	int fd, error;

	if (strlen(url) >= sizeof(rc.url))
		return EINVAL;
	if (strncmp(url, "unix://", 7) == 0)
		error = rc_socket_unix(url + 7, &fd);
	else if (strncmp(url, "tcp://", 6) == 0)
		error = rc_socket_tcp(url + 6, &fd);
	else
		error = EINVAL;
	if (error != 0)
		return error;
	if ((error = rc_banner(fd)) != 0 ||
	    (error = rc_handshake(fd, kind, cookie)) != 0) {
		rc_hclose(fd);
		return error;
	}
	fd = rc_fdplace(fd);
	pthread_mutex_lock(&rc.sendlock);
	if (rc.fd != -1)
		rc_hclose(rc.fd);
	__atomic_store_n(&rc.fd, fd, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rc.sendlock);
	rc.rhead = rc.rtail = 0;
	if (url != rc.url)
		strcpy(rc.url, url);
	rc.dead = false;
	return 0;
}

static int64_t
rc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

int
rc_reconnect(void)
{
	int64_t until = rc_now() + rc.retry;

	if (rc.retry == RUMPCLIENT_RETRYCONN_DIE) {
		fprintf(stderr, "rumpclient: lost connection to %s\n",
		    rc.url);
		exit(1);
	}
	if (rc.retry == RUMPCLIENT_RETRYCONN_NONE)
		return ENOTCONN;
	for (;;) {
		if (rc_connect(rc.url, SP_HS_NEW, NULL) == 0)
			return 0;
		if (rc.retry == RUMPCLIENT_RETRYCONN_ONCE ||
		    (rc.retry > 0 && rc_now() >= until))
			return ENOTCONN;
		rc_hsleep_ms(100);
	}
}

int
rumpclient_setconnretry(long timeout)
{
	if (timeout < RUMPCLIENT_RETRYCONN_DIE) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&rc.lock);
	rc.retry = timeout;
	pthread_mutex_unlock(&rc.lock);
	return 0;
}

/* Continue the connection an exec'ing rumpclient program left us. */
static int
rc_continue(const char *env)
{
	char *end;
	long fd;
	int error;

	fd = strtol(env, &end, 10);
	if (end == env || *end != ':' || fd < 0 || fd > 1 << 20 ||
	    strlen(end + 1) >= sizeof(rc.url))
		return EINVAL;
	if (rc_hfcntl((int)fd, F_SETFD, FD_CLOEXEC) == -1)
		return errno;
	if ((error = rc_handshake((int)fd, SP_HS_EXEC, NULL)) != 0) {
		rc_hclose((int)fd);
		return error;
	}
	strcpy(rc.url, end + 1);
	rc.dead = false;
	rc.rhead = rc.rtail = 0;
	__atomic_store_n(&rc.fd, rc_fdplace((int)fd), __ATOMIC_RELEASE);
	return 0;
}

int
rumpclient_init(void)
{
	const char *env;
	int error;

	pthread_mutex_lock(&rc.lock);
	if (rc.fd != -1)
		error = 0;
	else if ((env = getenv(RC_EXECENV)) != NULL) {
		error = rc_continue(env);
		unsetenv(RC_EXECENV);
	} else if ((env = getenv("RUMP_SERVER")) == NULL)
		error = EINVAL;
	else
		error = rc_connect(env, SP_HS_NEW, NULL);
	pthread_mutex_unlock(&rc.lock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}
