/*
 * fuzz_sp.c: libFuzzer target for the sysproxy server's frame parser.
 *
 * LLVMFuzzerInitialize() boots a kernel serving on a loopback TCP port
 * (TCP, so the server never copies this process's memory directly and
 * every client is the unprivileged uid 65534).  Each input is the byte
 * stream of one client connection: it is sent whole, the write side is
 * shut down, and everything the server answers is read until it closes
 * the connection.  A server that neither answers nor closes within
 * CLOSE_MS counts as a hang (abort).  The server listens below the
 * ephemeral port range, and each connection comes from another address
 * of 127.0.0.0/8: thousands of connections a second would otherwise run
 * out of ports held in TIME_WAIT.  Seeds: fuzz/mkcorpus_sp.sh.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>

#define CLOSE_MS	8000	/* the server must close by then */

static struct sockaddr_in server;

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static _Noreturn void
fail(const char *what, int error)
{

	fprintf(stderr, "fuzz_sp: %s: %s\n", what, strerror(error));
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char url[64];
	int error, port;

	port = 10000 + (int)(getpid() % 20000);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", port);
	if ((error = rump_init()) != 0)
		fail("rump_init", error);
	if ((error = rump_init_server(url)) != 0)
		fail(url, error);
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)port);
	server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0;
}

/* Read what the server sends until it closes the connection. */
static void
drain(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[65536];
	ssize_t n;
	int r;

	for (;;) {
		r = poll(&pfd, 1, CLOSE_MS);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			fail("poll", errno);
		if (r == 0)
			fail("server neither answers nor closes", ETIMEDOUT);
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			return;
		if (n == -1 && errno != EINTR)
			fail("recv", errno);
	}
}

/* A socket bound to the next source address 127.1.x.y (y in 1..254). */
static int
client_socket(void)
{
	static uint32_t next;
	struct sockaddr_in src = { .sin_family = AF_INET };
	uint32_t n = next++ % (256 * 254);
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fail("socket", errno);
	src.sin_addr.s_addr = htonl(0x7f010000u | (n / 254) << 8 |
	    (n % 254 + 1));
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1)
		fail("bind", errno);
	return fd;
}

/* connect(2), finishing in the background after a signal (EINTR). */
static void
client_connect(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int error;

	if (connect(fd, (struct sockaddr *)&server, sizeof(server)) == 0)
		return;
	if (errno != EINTR)
		fail("connect", errno);
	while (poll(&pfd, 1, -1) == -1)
		if (errno != EINTR)
			fail("poll", errno);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
		fail("getsockopt", errno);
	if (error != 0)
		fail("connect", error);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t done;
	ssize_t n;
	int fd;

	fd = client_socket();
	client_connect(fd);
	for (done = 0; done < size; done += (size_t)n) {
		n = send(fd, data + done, size - done, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			n = 0;
		else if (n == -1)
			break;		/* the server dropped us: fine */
	}
	shutdown(fd, SHUT_WR);
	drain(fd);
	close(fd);
	return 0;
}
