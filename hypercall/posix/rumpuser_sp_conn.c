/*
 * rumpuser_sp_conn.c: the life of one sysproxy connection.
 *
 * Owns a connection's receiver thread: the banner, the handshake that
 * makes (or, for a forked client, adopts) the client's kernel process
 * and sets its credentials, the receive loop that hands system calls to
 * the worker pool and replies to the waiting workers, and the teardown
 * that kills the process (exit_group: its system calls sleeping in the
 * kernel end with EINTR), waits for the connection's workers and
 * releases the process.
 * Any protocol violation or timeout ends only this connection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser_int.h"
#include "rumpuser_sp_int.h"

#define RFCFDG	0x1000		/* the kernel's rfork: empty fd table */

struct sp_conn *
sp_conn_alloc(int fd, bool isunix)
{
	struct sp_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->c_fd = fd;
	c->c_unix = isunix;
	c->c_vmfd = -1;
	c->c_rxtask.r_conn = c;
	c->c_rxtask.r_rx = true;
	pthread_mutex_init(&c->c_lock, NULL);
	pthread_mutex_init(&c->c_sendlock, NULL);
	pthread_cond_init(&c->c_cv, NULL);
	TAILQ_INIT(&c->c_reqs);
	return c;
}

void
sp_conn_free(struct sp_conn *c)
{
	if (c->c_fd != -1)
		close(c->c_fd);
	sp_vm_detach(c);
	pthread_cond_destroy(&c->c_cv);
	pthread_mutex_destroy(&c->c_sendlock);
	pthread_mutex_destroy(&c->c_lock);
	free(c);
}

void
sp_conn_kill(struct sp_conn *c)
{
	struct sp_req *req;

	pthread_mutex_lock(&c->c_lock);
	if (!c->c_dead) {
		c->c_dead = true;
		if (c->c_fd != -1)
			shutdown(c->c_fd, SHUT_RDWR);
		TAILQ_FOREACH(req, &c->c_reqs, r_connq)
			pthread_cond_broadcast(&req->r_cv);
	}
	pthread_mutex_unlock(&c->c_lock);
}

struct lwp *
sp_conn_getlwp(struct sp_conn *c)
{
	struct lwp *l = NULL;

	pthread_mutex_lock(&c->c_lock);
	if (c->c_nidle > 0)
		l = c->c_idle[--c->c_nidle];
	pthread_mutex_unlock(&c->c_lock);
	return l;
}

/* At most one lwp per request in flight, so there is always room. */
void
sp_conn_putlwp(struct sp_conn *c, struct lwp *l)
{
	pthread_mutex_lock(&c->c_lock);
	c->c_idle[c->c_nidle++] = l;
	pthread_mutex_unlock(&c->c_lock);
}

static void
sp_release_lwp(struct lwp *l)
{
	rumpuser__hyp.hyp_lwproc_switch(l);
	rumpuser__hyp.hyp_lwproc_release();
}

/* No request is in flight. */
void
sp_conn_release_proc(struct sp_conn *c)
{
	while (c->c_nidle > 0)
		sp_release_lwp(c->c_idle[--c->c_nidle]);
	if (c->c_lwp != NULL)
		sp_release_lwp(c->c_lwp);
	c->c_lwp = NULL;
}

/* ---- handshake ------------------------------------------------------- */

static int
sp_send_banner(struct sp_conn *c)
{
	unsigned char head[12];

	memcpy(head, SP_MAGIC, 8);
	sp_put32(head + 8, SP_VERSION);
	return sp_send(c, SP_BANNER, 0, head, sizeof(head), sp_banner,
	    strlen(sp_banner) + 1);
}

/* A server-side system call in the current process, args local. */
static int
sp_localcall(int num, long a0, long a1, long a2)
{
	long args[3] = { a0, a1, a2 }, rv;
	int error;

	sp_setlocal(true);
	error = rumpuser__hyp.hyp_syscall(num, args, &rv);
	sp_setlocal(false);
	return error;
}

/* Credentials of a new process: the unix peer's, nobody's for TCP. */
static int
sp_setcreds(struct sp_conn *c)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	gid_t gid;
	int error;

	if (sp_maproot)
		return 0;
	uc.uid = SP_NOBODY;
	uc.gid = SP_NOBODY;
	if (c->c_unix &&
	    getsockopt(c->c_fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return errno;
	gid = uc.gid;
	error = sp_localcall(SP_SYS_SETGROUPS, 1, (long)&gid, 0);
	if (error == 0)
		error = sp_localcall(SP_SYS_SETRESGID, uc.gid, uc.gid, uc.gid);
	if (error == 0)
		error = sp_localcall(SP_SYS_SETRESUID, uc.uid, uc.uid, uc.uid);
	return error;
}

static int
sp_newproc(struct sp_conn *c, const char *comm)
{
	const struct rumpuser_hyperup *hyp = &rumpuser__hyp;
	int error;

	if ((error = hyp->hyp_lwproc_rfork(c, RFCFDG, comm)) != 0)
		return error;
	c->c_lwp = hyp->hyp_lwproc_curlwp();
	c->c_pid = hyp->hyp_getpid();
	error = sp_setcreds(c);
	hyp->hyp_lwproc_switch(NULL);
	if (error != 0)
		sp_conn_release_proc(c);
	return error;
}

/* comm from a handshake payload: NUL-terminated, at most SP_COMMLEN. */
static int
sp_getcomm(const unsigned char *p, size_t len, char *comm)
{
	if (len == 0 || len > SP_COMMLEN || p[len - 1] != '\0')
		return EPROTO;
	memcpy(comm, p, len);
	return 0;
}

/*
 * Read the client's handshake and make its process.  Returns the
 * connection to serve: c, or for SP_HS_FORK the prepared child that
 * takes over c's socket (c is then freed).  NULL: c is gone.
 */
static struct sp_conn *
sp_handshake(struct sp_conn *c)
{
	unsigned char buf[8 + SP_COMMLEN + 16];
	struct sp_conn *nc = c;
	struct sp_hdr h;
	uint32_t kind;
	int error;

	if ((error = sp_send_banner(c)) != 0 ||
	    (error = sp_readhdr(c, &h, sp_timeout())) != 0)
		goto fail;
	if (h.type != SP_HANDSHAKE || h.len < 8 || h.len > sizeof(buf) ||
	    (error = sp_read(c, buf, h.len, sp_timeout())) != 0) {
		error = error != 0 ? error : EPROTO;
		goto fail;
	}
	kind = sp_get32(buf);
	if (kind == SP_HS_NEW) {
		error = sp_getcomm(buf + 8, h.len - 8, c->c_comm);
		if (error == 0)
			error = sp_newproc(c, c->c_comm);
	} else if (kind == SP_HS_FORK && h.len == 8 + 16) {
		nc = sp_fork_claim((const uint64_t[2]){ sp_get64(buf + 8),
		    sp_get64(buf + 16) });
		error = nc == NULL ? ESRCH : 0;
	} else
		error = EPROTO;
	if (error == 0 && nc != c) {
		nc->c_fd = c->c_fd;
		c->c_fd = -1;
		nc->c_rtail = c->c_rtail - c->c_rhead;
		memcpy(nc->c_rbuf, c->c_rbuf + c->c_rhead, nc->c_rtail);
		sp_conn_free(c);
	}
	if (error == 0)
		sp_vm_attach(nc);
	sp_send_result(nc != NULL ? nc : c, SP_HANDSHAKE_RESP, h.reqno, error,
	    NULL);
	if (error == 0)
		return nc;
 fail:
	sp_conn_free(c);
	return NULL;
}

/* ---- receive loop ---------------------------------------------------- */

static struct sp_req *
sp_findreq(struct sp_conn *c, uint64_t reqno)
{
	struct sp_req *req;

	TAILQ_FOREACH(req, &c->c_reqs, r_connq) {
		if (req->r_reqno == reqno)
			return req;
	}
	return NULL;
}

static struct sp_req *
sp_req_alloc(struct sp_conn *c, uint64_t reqno, const unsigned char *p,
    uint32_t nargs)
{
	pthread_condattr_t ca;
	struct sp_req *req;
	uint32_t i;

	if ((req = calloc(1, sizeof(*req))) == NULL)
		return NULL;
	req->r_conn = c;
	req->r_reqno = reqno;
	req->r_num = (int)sp_get32(p);
	for (i = 0; i < nargs; i++)
		req->r_args[i] = (long)sp_get64(p + 8 + 8 * i);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&req->r_cv, &ca);
	pthread_condattr_destroy(&ca);
	return req;
}

void
sp_req_done(struct sp_req *req)
{
	struct sp_conn *c = req->r_conn;

	pthread_mutex_lock(&c->c_lock);
	TAILQ_REMOVE(&c->c_reqs, req, r_connq);
	c->c_nreqs--;
	pthread_cond_signal(&c->c_cv);
	pthread_mutex_unlock(&c->c_lock);
	pthread_cond_destroy(&req->r_cv);
	free(req);
}

/*
 * Start an SP_SYSCALL: 0, or an error that ends the connection.  When
 * no other request of c is in flight, *inlinep is set to the request
 * for the caller to run itself; otherwise a worker runs it.
 */
static int
sp_rx_syscall(struct sp_conn *c, const struct sp_hdr *h,
    struct sp_req **inlinep)
{
	unsigned char buf[8 + 8 * SP_MAXARGS];
	uint64_t zero = 0;
	struct sp_req *req;
	uint32_t nargs;
	int error;

	if (h->len < 8 || h->len > sizeof(buf))
		return EPROTO;
	if ((error = sp_read(c, buf, h->len, sp_timeout())) != 0)
		return error;
	nargs = sp_get32(buf + 4);
	if (nargs > SP_MAXARGS || h->len != 8 + 8 * nargs)
		return EPROTO;
	pthread_mutex_lock(&c->c_lock);
	if (c->c_dead || sp_findreq(c, h->reqno) != NULL) {
		error = c->c_dead ? ENOTCONN : EPROTO;
		pthread_mutex_unlock(&c->c_lock);
		return error;
	}
	if (c->c_nreqs >= SP_MAXOUTSTANDING ||
	    (req = sp_req_alloc(c, h->reqno, buf, nargs)) == NULL) {
		error = c->c_nreqs >= SP_MAXOUTSTANDING ? EAGAIN : ENOMEM;
		pthread_mutex_unlock(&c->c_lock);
		sp_send_result(c, SP_SYSCALL_RESP, h->reqno, error, &zero);
		return 0;
	}
	TAILQ_INSERT_TAIL(&c->c_reqs, req, r_connq);
	if (c->c_nreqs++ == 0) {
		pthread_mutex_unlock(&c->c_lock);
		*inlinep = req;
		return 0;
	}
	pthread_mutex_unlock(&c->c_lock);
	if ((error = sp_pool_submit(req)) != 0) {
		sp_req_done(req);
		sp_send_result(c, SP_SYSCALL_RESP, h->reqno, error, &zero);
	}
	return 0;
}

/* Is rest (payload after the error word) right for this reply? */
static bool
sp_reply_fits(const struct sp_req *req, int type, size_t rest)
{
	switch (type) {
	case SP_COPYIN_RESP:
		return rest == req->r_wlen;
	case SP_COPYINSTR_RESP:
		return rest >= 1 && rest <= req->r_wlen;
	case SP_ANONMMAP_RESP:
		return rest == 8;
	default:
		return rest == 0;
	}
}

/* Read a reply's data into the waiting worker's buffer; c_lock held. */
static int
sp_reply_fill(struct sp_conn *c, struct sp_req *req, int type, size_t rest)
{
	unsigned char addr[8];
	char *buf = req->r_wbuf;
	int error;

	req->r_wfilling = true;
	pthread_mutex_unlock(&c->c_lock);
	if (type == SP_ANONMMAP_RESP)
		buf = (char *)addr;
	error = sp_read(c, buf, rest, sp_timeout());
	pthread_mutex_lock(&c->c_lock);
	req->r_wfilling = false;
	if (error == 0 && type == SP_COPYINSTR_RESP &&
	    memchr(buf, '\0', rest) != buf + rest - 1)
		error = EPROTO;
	if (type == SP_ANONMMAP_RESP)
		req->r_waddr = sp_get64(addr);
	req->r_wlen = rest;
	return error;
}

/* A client's reply to a copy request: hand it to the waiting worker. */
static int
sp_rx_reply(struct sp_conn *c, const struct sp_hdr *h)
{
	unsigned char head[8];
	struct sp_req *req;
	size_t rest;
	int error, rerror;

	if (h->len < 8)
		return EPROTO;
	if ((error = sp_read(c, head, 8, sp_timeout())) != 0)
		return error;
	rerror = (int)sp_get32(head);
	rest = h->len - 8;
	pthread_mutex_lock(&c->c_lock);
	req = sp_findreq(c, h->reqno);
	if (req == NULL || req->r_wtype != h->type || req->r_wdone ||
	    rerror < 0 || rerror > 4095 || (rerror != 0 && rest != 0) ||
	    (rerror == 0 && !sp_reply_fits(req, h->type, rest))) {
		pthread_mutex_unlock(&c->c_lock);
		return EPROTO;
	}
	if (rerror == 0 && rest > 0)
		error = sp_reply_fill(c, req, h->type, rest);
	req->r_werror = rerror;
	req->r_wdone = error == 0;
	pthread_cond_broadcast(&req->r_cv);
	pthread_mutex_unlock(&c->c_lock);
	return error;
}

/* SP_HS_EXEC on a live connection: the process gets a new name. */
static int
sp_rx_exec(struct sp_conn *c, const struct sp_hdr *h)
{
	const struct rumpuser_hyperup *hyp = &rumpuser__hyp;
	unsigned char buf[8 + SP_COMMLEN];
	int error;

	if (h->len < 8 || h->len > sizeof(buf))
		return EPROTO;
	if ((error = sp_read(c, buf, h->len, sp_timeout())) != 0)
		return error;
	if (sp_get32(buf) != SP_HS_EXEC ||
	    sp_getcomm(buf + 8, h->len - 8, c->c_comm) != 0)
		return EPROTO;
	hyp->hyp_lwproc_switch(c->c_lwp);
	hyp->hyp_execnotify(c->c_comm);
	hyp->hyp_lwproc_switch(NULL);
	return sp_send_result(c, SP_HANDSHAKE_RESP, h->reqno, 0, NULL);
}

static int
sp_dispatch(struct sp_conn *c, const struct sp_hdr *h)
{
	switch (h->type) {
	case SP_COPYIN_RESP:
	case SP_COPYINSTR_RESP:
	case SP_COPYOUT_RESP:
	case SP_COPYOUTSTR_RESP:
	case SP_ANONMMAP_RESP:
		return sp_rx_reply(c, h);
	case SP_PREFORK:
		return sp_rx_prefork(c, h);
	case SP_HANDSHAKE:
		return sp_rx_exec(c, h);
	default:
		return EPROTO;
	}
}

/* The client is gone: so is its process (see sp_teardown). */
static void
sp_conn_exit(struct sp_conn *c)
{
	if (c->c_lwp == NULL)
		return;
	rumpuser__hyp.hyp_lwproc_switch(c->c_lwp);
	(void)sp_localcall(SP_SYS_EXIT_GROUP, 0, 0, 0);
	rumpuser__hyp.hyp_lwproc_switch(NULL);
}

static void
sp_teardown(struct sp_conn *c)
{
	sp_conn_kill(c);
	sp_conn_exit(c);
	pthread_mutex_lock(&c->c_lock);
	while (c->c_nreqs > 0)
		pthread_cond_wait(&c->c_cv, &c->c_lock);
	pthread_mutex_unlock(&c->c_lock);
	sp_conn_release_proc(c);
	sp_conn_free(c);
}

int
sp_conn_rx_nested(struct sp_conn *c, struct sp_req *req)
{
	struct sp_req *none;
	struct sp_hdr h;
	bool done;
	int error;

	for (;;) {
		pthread_mutex_lock(&c->c_lock);
		done = req->r_wdone || c->c_dead;
		pthread_mutex_unlock(&c->c_lock);
		if (done)
			return 0;
		if ((error = sp_readhdr(c, &h, sp_timeout())) != 0)
			break;
		if (h.type == SP_SYSCALL)
			error = sp_rx_syscall(c, &h, &none);
		else if (h.type == SP_PREFORK || h.type == SP_HANDSHAKE) {
			c->c_rxhdr = h;
			c->c_rxpend = SP_RXPEND_HDR;
			return EAGAIN;
		} else
			error = sp_dispatch(c, &h);
		if (error != 0)
			break;
	}
	c->c_rxpend = SP_RXPEND_END;
	sp_conn_kill(c);
	return error;
}

/* The next frame's header for the role holder: 0 or an error. */
static int
sp_rx_next(struct sp_conn *c, struct sp_hdr *h)
{
	int pend = c->c_rxpend;

	c->c_rxpend = 0;
	if (pend == SP_RXPEND_END)
		return ECONNRESET;
	if (pend == SP_RXPEND_HDR) {
		*h = c->c_rxhdr;
		return 0;
	}
	return sp_readhdr(c, h, -1);
}

/* Read and handle frames while holding the receive role: true when
 * the connection has ended, false when the role has passed on. */
static bool
sp_conn_rx(struct sp_conn *c)
{
	struct sp_req *req;
	struct sp_hdr h;
	int error;

	while (sp_rx_next(c, &h) == 0) {
		if (h.type != SP_SYSCALL) {
			error = sp_dispatch(c, &h);
		} else {
			req = NULL;
			error = sp_rx_syscall(c, &h, &req);
			if (error == 0 && req != NULL && !sp_run_inline(req))
				return false;
		}
		if (error != 0)
			break;
	}
	return true;
}

void
sp_conn_serve(struct sp_conn *c)
{
	if (sp_conn_rx(c)) {
		sp_teardown(c);
		sp_conn_gone();
	}
}

void *
sp_conn_main(void *arg)
{
	struct sp_conn *c;

	if ((c = sp_handshake(arg)) != NULL)
		sp_conn_serve(c);
	else
		sp_conn_gone();
	return NULL;
}
