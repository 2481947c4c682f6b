/*
 * rumpclient_call.c: requests to the server and their replies.
 *
 * Owns rumpclient_syscall() and rc_call(): a request gets a reqno and a
 * wait slot, is sent under the send lock, and then its thread either
 * reads frames (when no other thread does) or sleeps until the reader
 * hands it its reply.  A lost connection fails every waiter with
 * ENOTCONN; nothing waits forever on a dead server.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"

struct rc_conn rc = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.sendlock = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
	.nextreqno = 1,
};

/* Read once, at most len bytes; the count, or 0 and an error. */
static size_t
rc_read1(int fd, void *buf, size_t len, int *errorp)
{
	ssize_t n;

	do
		n = rc_hread(rc_fd(fd), buf, len);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		*errorp = n == 0 ? ENOTCONN : errno;
	return n > 0 ? (size_t)n : 0;
}

int
rc_read(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t n;
	int error = 0;

	while (len > 0 && error == 0) {
		if (fd != RC_CONNFD || (rc.rhead == rc.rtail &&
		    len >= sizeof(rc.rbuf))) {
			n = rc_read1(fd, p, len, &error);
		} else if (rc.rhead == rc.rtail) {
			rc.rhead = 0;
			rc.rtail = rc_read1(fd, rc.rbuf, sizeof(rc.rbuf),
			    &error);
			continue;
		} else {
			n = rc.rtail - rc.rhead < len ? rc.rtail - rc.rhead :
			    len;
			memcpy(p, rc.rbuf + rc.rhead, n);
			rc.rhead += n;
		}
		p += n;
		len -= n;
	}
	return error;
}

int
rc_send(int fd, int type, uint64_t reqno, const void *p1, size_t l1,
    const void *p2, size_t l2)
{
	unsigned char hdr[SP_HDRLEN];
	struct iovec iov[3], *v = iov;
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };
	ssize_t n;
	int error = 0;

	sp_hdr_put(hdr, (uint32_t)(l1 + l2), (uint16_t)type, reqno);
	iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ (void *)(uintptr_t)p1, l1 };
	iov[2] = (struct iovec){ (void *)(uintptr_t)p2, l2 };
	pthread_mutex_lock(&rc.sendlock);
	while (msg.msg_iovlen > 0) {
		n = rc_hsendmsg(rc_fd(fd), &msg, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			error = errno;
			break;
		}
		for (; msg.msg_iovlen > 0 && (size_t)n >= v->iov_len;
		    msg.msg_iovlen--, msg.msg_iov = ++v)
			n -= (ssize_t)v->iov_len;
		if (msg.msg_iovlen > 0) {
			v->iov_base = (char *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		}
	}
	pthread_mutex_unlock(&rc.sendlock);
	return error;
}

void
rc_kill(void)
{
	if (!rc.dead && rc.fd != -1)
		rc_hshutdown(rc.fd, SHUT_RDWR);
	rc.dead = true;
	pthread_cond_broadcast(&rc.cv);
}

static struct rc_wait *
rc_findwait(uint64_t reqno)
{
	struct rc_wait *w;

	LIST_FOREACH(w, &rc.waits, w_list) {
		if (w->w_reqno == reqno && !w->w_done)
			return w;
	}
	return NULL;
}

/* A reply for some waiting thread: hand it over. */
static int
rc_deliver(int fd, const struct sp_hdr *h)
{
	unsigned char buf[RC_RESPMAX];
	struct rc_wait *w;
	int error;

	if (h->len < 8 || h->len > sizeof(buf))
		return EPROTO;
	if ((error = rc_read(fd, buf, h->len)) != 0)
		return error;
	pthread_mutex_lock(&rc.lock);
	if ((w = rc_findwait(h->reqno)) != NULL) {
		memcpy(w->w_resp, buf, h->len);
		w->w_resplen = h->len;
		w->w_done = true;
		pthread_cond_broadcast(&rc.cv);
	}
	pthread_mutex_unlock(&rc.lock);
	return w != NULL ? 0 : EPROTO;
}

/* Read and handle one frame. */
static int
rc_read_one(int fd)
{
	unsigned char raw[SP_HDRLEN];
	struct sp_hdr h;
	int error;

	if ((error = rc_read(fd, raw, sizeof(raw))) != 0)
		return error;
	sp_hdr_get(raw, &h);
	if (h.flags != 0 || h.len > SP_MAXPAYLOAD)
		return EPROTO;
	switch (h.type) {
	case SP_SYSCALL_RESP:
	case SP_PREFORK_RESP:
	case SP_HANDSHAKE_RESP:
		return rc_deliver(fd, &h);
	default:
		return rc_serve(fd, &h);
	}
}

/* Wait for w's reply, reading frames when nobody else does; rc.lock. */
static int
rc_wait_reply(struct rc_wait *w)
{
	int error;

	while (!w->w_done && !rc.dead) {
		if (rc.reading) {
			pthread_cond_wait(&rc.cv, &rc.lock);
			continue;
		}
		rc.reading = true;
		pthread_mutex_unlock(&rc.lock);
		error = rc_read_one(RC_CONNFD);
		pthread_mutex_lock(&rc.lock);
		rc.reading = false;
		if (error != 0)
			rc_kill();
		pthread_cond_broadcast(&rc.cv);
	}
	return w->w_done ? 0 : ENOTCONN;
}

/* A request slot on a live connection; rc.lock held. */
static int
rc_slot(void)
{
	int error;

	for (;;) {
		if (rc.fd == -1)
			return ENOTCONN;
		if (rc.dead) {
			if (rc.nout > 0 || rc.reading) {
				pthread_cond_wait(&rc.cv, &rc.lock);
				continue;
			}
			if ((error = rc_reconnect()) != 0)
				return error;
			continue;
		}
		if (rc.nout < SP_MAXOUTSTANDING)
			return 0;
		pthread_cond_wait(&rc.cv, &rc.lock);
	}
}

int
rc_call(int type, const void *payload, size_t len, void *resp,
    size_t *resplen)
{
	struct rc_wait w;
	int error;

	memset(&w, 0, sizeof(w));
	pthread_mutex_lock(&rc.lock);
	if ((error = rc_slot()) != 0) {
		pthread_mutex_unlock(&rc.lock);
		return error;
	}
	w.w_reqno = rc.nextreqno++;
	LIST_INSERT_HEAD(&rc.waits, &w, w_list);
	rc.nout++;
	pthread_mutex_unlock(&rc.lock);
	error = rc_send(RC_CONNFD, type, w.w_reqno, payload, len, NULL, 0);
	pthread_mutex_lock(&rc.lock);
	if (error != 0)
		rc_kill();
	error = rc_wait_reply(&w);
	LIST_REMOVE(&w, w_list);
	rc.nout--;
	pthread_cond_broadcast(&rc.cv);
	pthread_mutex_unlock(&rc.lock);
	if (error == 0) {
		memcpy(resp, w.w_resp, w.w_resplen);
		*resplen = w.w_resplen;
	}
	return error;
}

int
rumpclient_syscall(int num, const long *args, size_t nargs, long *retval)
{
	unsigned char req[8 + 8 * SP_MAXARGS], resp[RC_RESPMAX];
	size_t i, len;
	int error;

	if (nargs > SP_MAXARGS)
		return EINVAL;
	sp_put32(req, (uint32_t)num);
	sp_put32(req + 4, (uint32_t)nargs);
	for (i = 0; i < nargs; i++)
		sp_put64(req + 8 + 8 * i, (uint64_t)args[i]);
	error = rc_call(SP_SYSCALL, req, 8 + 8 * nargs, resp, &len);
	if (error != 0)
		return error;
	if (len != 16)
		return EPROTO;
	*retval = (long)sp_get64(resp + 8);
	return (int)sp_get32(resp);
}

long
rumpclient_sys(int num, const long *args, size_t nargs)
{
	long rv = 0;
	int error;

	error = rumpclient_syscall(num, args, nargs, &rv);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return rv;
}
