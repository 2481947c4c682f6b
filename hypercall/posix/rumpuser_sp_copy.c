/*
 * rumpuser_sp_copy.c: the kernel's accesses to a remote client's memory.
 *
 * Owns rumpuser_sp_copyin/copyinstr/copyout/copyoutstr/anonmmap/raise.
 * Each is a request to the client tagged with the reqno of the system
 * call the calling worker serves; the worker gives up its virtual CPU,
 * sends, and waits (at most the sysproxy timeout) for the receiver to
 * hand it the reply (or, holding the connection's receive role, reads
 * it itself).  A dead or silent client gives EFAULT, and a silent one
 * loses its connection.  Copies larger than SP_MAXCOPY are split.
 * A local client's memory is first tried directly (rumpuser_sp_vm.c).
 * The server's own calls (sp_setlocal) copy within the server.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "rumpuser_int.h"
#include "rumpuser_sp_int.h"

struct sp_reply {
	void		*buf;		/* where reply data goes */
	size_t		 len;		/* its room, then the data's length */
	uint64_t	 addr;		/* SP_ANONMMAP_RESP */
};

static struct timespec
sp_deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += sp_timeout() / 1000;
	ts.tv_nsec += (long)(sp_timeout() % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

/* Wait for the reply to req's copy request; c_lock held. */
static int
sp_await(struct sp_conn *c, struct sp_req *req, struct sp_reply *rp)
{
	struct timespec dl = sp_deadline();
	int error;

	while (!req->r_wdone && !c->c_dead) {
		if (pthread_cond_timedwait(&req->r_cv, &c->c_lock, &dl) ==
		    ETIMEDOUT) {
			pthread_mutex_unlock(&c->c_lock);
			sp_conn_kill(c);
			pthread_mutex_lock(&c->c_lock);
		}
	}
	while (req->r_wfilling)
		pthread_cond_wait(&req->r_cv, &c->c_lock);
	error = req->r_wdone ? req->r_werror : EFAULT;
	rp->len = req->r_wlen;
	rp->addr = req->r_waddr;
	req->r_wtype = 0;
	req->r_wdone = false;
	return error;
}

/* Send a request (head, data) of type to the client, wait for reply. */
static int
sp_request(void *client, int type, const void *head, size_t hlen,
    const void *data, size_t dlen, struct sp_reply *rp)
{
	struct sp_req *req = sp_curreq();
	struct sp_conn *c;
	int error, nlocks;
	bool nested;

	if (req == NULL || req->r_conn != client)
		return EFAULT;
	c = req->r_conn;
	pthread_mutex_lock(&c->c_lock);
	if (c->c_dead) {
		pthread_mutex_unlock(&c->c_lock);
		return EFAULT;
	}
	req->r_wtype = type + 1;	/* a reply type follows its request */
	req->r_wbuf = rp->buf;
	req->r_wlen = rp->len;
	req->r_werror = 0;
	pthread_mutex_unlock(&c->c_lock);
	nested = sp_rx_nest(c);
	cpu_release(&nlocks, NULL);
	error = sp_send(c, type, req->r_reqno, head, hlen, data, dlen);
	if (nested)
		sp_rx_unnest(sp_conn_rx_nested(c, req) == 0);
	pthread_mutex_lock(&c->c_lock);
	if (error == 0)
		error = sp_await(c, req, rp);
	else
		error = EFAULT;
	req->r_wtype = 0;
	pthread_mutex_unlock(&c->c_lock);
	cpu_retake(nlocks, NULL);
	return error;
}

/* client, if it is the connection of the calling worker's call. */
static struct sp_conn *
sp_vmconn(void *client)
{
	struct sp_req *req = sp_curreq();

	return req != NULL && req->r_conn == client ? client : NULL;
}

static int
sp_copyin1(void *client, uint64_t raddr, void *laddr, size_t len)
{
	unsigned char head[16];
	struct sp_reply r = { .buf = laddr, .len = len };

	sp_put64(head, raddr);
	sp_put64(head + 8, len);
	return sp_request(client, SP_COPYIN, head, sizeof(head), NULL, 0, &r);
}

int
rumpuser_sp_copyin(void *client, const void *raddr, void *laddr, size_t len)
{
	uint64_t a = (uint64_t)(uintptr_t)raddr;
	struct sp_conn *c;
	size_t n;
	int error;

	if (sp_islocal()) {
		memcpy(laddr, raddr, len);
		return 0;
	}
	if ((c = sp_vmconn(client)) != NULL && sp_vm_read(c, a, laddr, len))
		return 0;
	for (; len > 0; len -= n, a += n, laddr = (char *)laddr + n) {
		n = len < SP_MAXCOPY ? len : SP_MAXCOPY;
		if ((error = sp_copyin1(client, a, laddr, n)) != 0)
			return errtokern(error);
	}
	return 0;
}

int
rumpuser_sp_copyinstr(void *client, const void *raddr, void *laddr,
    size_t *lenp)
{
	unsigned char head[16];
	struct sp_reply r = { .buf = laddr, .len = *lenp };
	struct sp_conn *c;
	size_t n;
	int error;

	if (sp_islocal()) {
		n = strnlen(raddr, *lenp);
		if (n == *lenp)
			return errtokern(ENAMETOOLONG);
		memcpy(laddr, raddr, n + 1);
		*lenp = n + 1;
		return 0;
	}
	if (r.len > SP_MAXCOPY)
		r.len = SP_MAXCOPY;
	if (r.len == 0)
		return errtokern(ENAMETOOLONG);
	if ((c = sp_vmconn(client)) != NULL &&
	    sp_vm_readstr(c, (uint64_t)(uintptr_t)raddr, laddr, &r.len)) {
		*lenp = r.len;
		return 0;
	}
	sp_put64(head, (uint64_t)(uintptr_t)raddr);
	sp_put64(head + 8, r.len);
	error = sp_request(client, SP_COPYINSTR, head, sizeof(head), NULL, 0,
	    &r);
	if (error == 0)
		*lenp = r.len;
	return errtokern(error);
}

static int
sp_copyout1(void *client, int type, const void *laddr, uint64_t raddr,
    size_t len)
{
	unsigned char head[8];
	struct sp_reply r = { .buf = NULL, .len = 0 };

	sp_put64(head, raddr);
	return sp_request(client, type, head, sizeof(head), laddr, len, &r);
}

int
rumpuser_sp_copyout(void *client, const void *laddr, void *raddr, size_t len)
{
	uint64_t a = (uint64_t)(uintptr_t)raddr;
	struct sp_conn *c;
	size_t n;
	int error;

	if (sp_islocal()) {
		memcpy(raddr, laddr, len);
		return 0;
	}
	if ((c = sp_vmconn(client)) != NULL && sp_vm_write(c, laddr, a, len))
		return 0;
	for (; len > 0; len -= n, a += n, laddr = (const char *)laddr + n) {
		n = len < SP_MAXCOPY ? len : SP_MAXCOPY;
		error = sp_copyout1(client, SP_COPYOUT, laddr, a, n);
		if (error != 0)
			return errtokern(error);
	}
	return 0;
}

int
rumpuser_sp_copyoutstr(void *client, const void *laddr, void *raddr,
    size_t *lenp)
{
	size_t n = strnlen(laddr, *lenp);
	struct sp_conn *c;
	int error;

	if (n == *lenp || n + 1 > SP_MAXCOPY)
		return errtokern(ENAMETOOLONG);
	if (sp_islocal()) {
		memcpy(raddr, laddr, n + 1);
		*lenp = n + 1;
		return 0;
	}
	if ((c = sp_vmconn(client)) != NULL &&
	    sp_vm_write(c, laddr, (uint64_t)(uintptr_t)raddr, n + 1)) {
		*lenp = n + 1;
		return 0;
	}
	error = sp_copyout1(client, SP_COPYOUTSTR, laddr,
	    (uint64_t)(uintptr_t)raddr, n + 1);
	if (error == 0)
		*lenp = n + 1;
	return errtokern(error);
}

int
rumpuser_sp_anonmmap(void *client, size_t len, void **addrp)
{
	unsigned char head[8];
	struct sp_reply r = { .buf = NULL, .len = 0 };
	int error;

	sp_put64(head, len);
	error = sp_request(client, SP_ANONMMAP, head, sizeof(head), NULL, 0,
	    &r);
	if (error == 0)
		*addrp = (void *)(uintptr_t)r.addr;
	return errtokern(error);
}

/* Ask the client to raise signo in itself; no reply is awaited. */
int
rumpuser_sp_raise(void *client, int signo)
{
	unsigned char head[8];
	struct sp_req *req = sp_curreq();

	sp_put32(head, (uint32_t)signo);
	sp_put32(head + 4, 0);
	return errtokern(sp_send(client, SP_RAISE,
	    req != NULL && req->r_conn == client ? req->r_reqno : 0,
	    head, sizeof(head), NULL, 0));
}
