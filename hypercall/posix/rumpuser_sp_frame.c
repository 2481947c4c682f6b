/*
 * rumpuser_sp_frame.c: frame I/O on a sysproxy connection.
 *
 * Owns reading (with timeouts, so a client that stops half-way through
 * a frame loses its connection instead of a thread) through the
 * connection's receive buffer (one recv usually brings a whole frame or
 * several), checking frame headers, and sending whole frames with one
 * sendmsg under the connection's send lock (a client that stops
 * reading makes the send time out, not hang).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rumpuser_sp_int.h"

/* Wait up to ms (-1: forever) for events on fd: 0, ETIMEDOUT, errno. */
static int
sp_wait(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, ms);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno;
	return n == 0 ? ETIMEDOUT : 0;
}

/* Receive up to len bytes into buf, waiting at most ms (-1: blocking
 * recv, no limit); the count, or 0 and an error. */
static size_t
sp_recv(int fd, void *buf, size_t len, int ms, int *errorp)
{
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, len, ms < 0 ? 0 : MSG_DONTWAIT);
		if (n > 0)
			return (size_t)n;
		if (n == 0)
			*errorp = ECONNRESET;
		else if (errno == EINTR)
			continue;
		else if (errno == EAGAIN)
			*errorp = sp_wait(fd, POLLIN, ms);
		else
			*errorp = errno;
		if (*errorp != 0)
			return 0;
	}
}

int
sp_read(struct sp_conn *c, void *buf, size_t len, int wait1)
{
	char *p = buf;
	size_t n;
	int error = 0, ms = wait1;

	while (len > 0) {
		if (c->c_rhead == c->c_rtail) {
			c->c_rhead = c->c_rtail = 0;
			if (len >= sizeof(c->c_rbuf)) {
				n = sp_recv(c->c_fd, p, len, ms, &error);
				p += n;
				len -= n;
			} else
				c->c_rtail = sp_recv(c->c_fd, c->c_rbuf,
				    sizeof(c->c_rbuf), ms, &error);
			if (error != 0)
				return error;
			ms = sp_timeout();
			continue;
		}
		n = c->c_rtail - c->c_rhead;
		n = n < len ? n : len;
		memcpy(p, c->c_rbuf + c->c_rhead, n);
		c->c_rhead += n;
		p += n;
		len -= n;
	}
	return 0;
}

int
sp_readhdr(struct sp_conn *c, struct sp_hdr *h, int wait1)
{
	unsigned char raw[SP_HDRLEN];
	int error;

	if ((error = sp_read(c, raw, sizeof(raw), wait1)) != 0)
		return error;
	sp_hdr_get(raw, h);
	if (h->flags != 0 || h->len > SP_MAXPAYLOAD || h->type == 0 ||
	    h->type >= SP__MAX)
		return EPROTO;
	return 0;
}

/* Send all of msg; a peer that does not read for sp_timeout() fails. */
static int
sp_sendmsg(int fd, struct msghdr *msg)
{
	ssize_t n;
	int error;

	while (msg->msg_iovlen > 0) {
		n = sendmsg(fd, msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EAGAIN) {
			if ((error = sp_wait(fd, POLLOUT, sp_timeout())) != 0)
				return error;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno;
		while (msg->msg_iovlen > 0 &&
		    (size_t)n >= msg->msg_iov->iov_len) {
			n -= (ssize_t)msg->msg_iov->iov_len;
			msg->msg_iov++;
			msg->msg_iovlen--;
		}
		if (msg->msg_iovlen > 0) {
			msg->msg_iov->iov_base =
			    (char *)msg->msg_iov->iov_base + n;
			msg->msg_iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int
sp_send(struct sp_conn *c, int type, uint64_t reqno, const void *p1,
    size_t l1, const void *p2, size_t l2)
{
	unsigned char hdr[SP_HDRLEN];
	struct iovec iov[3];
	struct msghdr msg;
	int error;

	if (l1 + l2 > SP_MAXPAYLOAD)
		return EMSGSIZE;
	sp_hdr_put(hdr, (uint32_t)(l1 + l2), (uint16_t)type, reqno);
	iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ (void *)(uintptr_t)p1, l1 };
	iov[2] = (struct iovec){ (void *)(uintptr_t)p2, l2 };
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 3;
	pthread_mutex_lock(&c->c_sendlock);
	error = sp_sendmsg(c->c_fd, &msg);
	pthread_mutex_unlock(&c->c_sendlock);
	if (error != 0)
		sp_conn_kill(c);
	return error;
}

int
sp_send_result(struct sp_conn *c, int type, uint64_t reqno, int error,
    const uint64_t *value)
{
	unsigned char buf[16];

	sp_put32(buf, (uint32_t)error);
	sp_put32(buf + 4, 0);
	if (value != NULL)
		sp_put64(buf + 8, *value);
	return sp_send(c, type, reqno, buf, value != NULL ? 16 : 8, NULL, 0);
}
