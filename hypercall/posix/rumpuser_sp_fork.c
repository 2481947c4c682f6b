/*
 * rumpuser_sp_fork.c: prepared child processes for forking clients.
 *
 * SP_PREFORK makes the child process in the kernel at once (a copy of
 * the client's process, fd table included) as a connection without a
 * socket, and answers with a random 128-bit cookie.  The forked client
 * connects again and names the cookie in its SP_HS_FORK handshake to
 * take the prepared connection over.  Unclaimed children are released
 * after the sysproxy timeout, at the next prefork or claim.
 *
 * fork_lock protects the list of prepared children.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "rumpuser_int.h"
#include "rumpuser_sp_int.h"

#define RFFDG		0x0004	/* the kernel's rfork: copy the fd table */
#define SP_MAXFORKS	128	/* prepared children at once */

static pthread_mutex_t fork_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(, sp_conn) fork_list = LIST_HEAD_INITIALIZER(fork_list);
static int fork_n;		/* fork_lock: entries on fork_list */

/* Release the prepared children whose time is up. */
static void
sp_fork_reap(void)
{
	LIST_HEAD(, sp_conn) dead = LIST_HEAD_INITIALIZER(dead);
	struct sp_conn *c, *next;
	int64_t now = sp_now();

	pthread_mutex_lock(&fork_lock);
	for (c = LIST_FIRST(&fork_list); c != NULL; c = next) {
		next = LIST_NEXT(c, c_list);
		if (c->c_expire <= now) {
			LIST_REMOVE(c, c_list);
			fork_n--;
			LIST_INSERT_HEAD(&dead, c, c_list);
		}
	}
	pthread_mutex_unlock(&fork_lock);
	while ((c = LIST_FIRST(&dead)) != NULL) {
		LIST_REMOVE(c, c_list);
		sp_conn_release_proc(c);
		sp_conn_free(c);
	}
}

static int
sp_fork_add(struct sp_conn *c)
{
	size_t n;

	if (getrandom(c->c_cookie, sizeof(c->c_cookie), 0) !=
	    (ssize_t)sizeof(c->c_cookie))
		return EAGAIN;
	c->c_expire = sp_now() + sp_timeout();
	pthread_mutex_lock(&fork_lock);
	n = (size_t)fork_n;
	if (n < SP_MAXFORKS) {
		LIST_INSERT_HEAD(&fork_list, c, c_list);
		fork_n++;
	}
	pthread_mutex_unlock(&fork_lock);
	return n < SP_MAXFORKS ? 0 : EAGAIN;
}

struct sp_conn *
sp_fork_claim(const uint64_t cookie[2])
{
	struct sp_conn *c;

	sp_fork_reap();
	pthread_mutex_lock(&fork_lock);
	LIST_FOREACH(c, &fork_list, c_list) {
		if (c->c_cookie[0] == cookie[0] &&
		    c->c_cookie[1] == cookie[1]) {
			LIST_REMOVE(c, c_list);
			fork_n--;
			break;
		}
	}
	pthread_mutex_unlock(&fork_lock);
	return c;
}

/* Make the child process of c's process, as connection nc. */
static int
sp_fork_proc(struct sp_conn *c, struct sp_conn *nc)
{
	const struct rumpuser_hyperup *hyp = &rumpuser__hyp;
	int error;

	hyp->hyp_lwproc_switch(c->c_lwp);
	error = hyp->hyp_lwproc_rfork(nc, RFFDG, c->c_comm);
	if (error == 0) {
		nc->c_lwp = hyp->hyp_lwproc_curlwp();
		nc->c_pid = hyp->hyp_getpid();
	}
	hyp->hyp_lwproc_switch(NULL);
	return error;
}

int
sp_rx_prefork(struct sp_conn *c, const struct sp_hdr *h)
{
	unsigned char buf[24];
	struct sp_conn *nc;
	int error;

	if (h->len != 0)
		return EPROTO;
	sp_fork_reap();
	if ((nc = sp_conn_alloc(-1, c->c_unix)) == NULL)
		return sp_send_result(c, SP_PREFORK_RESP, h->reqno, ENOMEM,
		    NULL);
	memcpy(nc->c_comm, c->c_comm, sizeof(nc->c_comm));
	error = sp_fork_proc(c, nc);
	if (error == 0 && (error = sp_fork_add(nc)) != 0)
		sp_conn_release_proc(nc);
	if (error != 0) {
		sp_conn_free(nc);
		return sp_send_result(c, SP_PREFORK_RESP, h->reqno, error,
		    NULL);
	}
	sp_put32(buf, 0);
	sp_put32(buf + 4, 0);
	sp_put64(buf + 8, nc->c_cookie[0]);
	sp_put64(buf + 16, nc->c_cookie[1]);
	return sp_send(c, SP_PREFORK_RESP, h->reqno, buf, sizeof(buf), NULL,
	    0);
}
