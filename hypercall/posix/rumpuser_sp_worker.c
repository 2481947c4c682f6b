/*
 * rumpuser_sp_worker.c: the worker threads that run clients' system
 * calls.
 *
 * One pool serves every connection.  It starts a thread when a request
 * finds no idle one (up to SP_MAXWORKERS; beyond that requests wait
 * their turn) and keeps threads for later requests.  A connection's
 * receive role handed over by a thread about to block goes first in
 * the queue and gets a thread even beyond SP_MAXWORKERS (there is at
 * most one per connection): the frames it reads are what the other
 * workers may be waiting for.  A worker runs each
 * request on an lwp of the client's process: one the connection keeps
 * from an earlier request, or a new one that it then keeps (at most one
 * per request in flight, released with the process).  The request is
 * the thread's current one for the copy hypercalls.
 *
 * The fast path: the receive role's holder runs a request itself
 * (sp_run_inline) with rumpuser__sp_onblock armed; if the call is
 * about to block, sp_onblock queues the role for another thread first.
 *
 * pool_lock protects the run queue and the counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "rumpuser_int.h"
#include "rumpuser_sp_int.h"

#define SP_MAXWORKERS	256

static pthread_mutex_t	pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	pool_cv = PTHREAD_COND_INITIALIZER;
static TAILQ_HEAD(, sp_req) pool_runq = TAILQ_HEAD_INITIALIZER(pool_runq);
static int		pool_nqueued;	/* pool_lock: requests on the queue */
static int		pool_nidle;	/* pool_lock: workers waiting */
static int		pool_nthreads;	/* pool_lock: workers */

static __thread struct sp_req	*sp_cur;	/* request being served */
static __thread bool		 sp_local;	/* server's own calls */
/* The connection whose receive role this thread holds while it runs a
 * request inline; NULL once the role has been handed over. */
static __thread struct sp_conn	*sp_rxconn;
__thread void			(*rumpuser__sp_onblock)(void);

struct sp_req *
sp_curreq(void)
{
	return sp_cur;
}

void
sp_setlocal(bool on)
{
	sp_local = on;
}

bool
sp_islocal(void)
{
	return sp_local;
}

static void
sp_run(struct sp_req *req)
{
	const struct rumpuser_hyperup *hyp = &rumpuser__hyp;
	struct sp_conn *c = req->r_conn;
	struct lwp *l;
	uint64_t value;
	long rv = 0;
	int error;

	sp_cur = req;
	error = 0;
	if ((l = sp_conn_getlwp(c)) != NULL)
		hyp->hyp_lwproc_switch(l);
	else if ((error = hyp->hyp_lwproc_newlwp(c->c_pid)) == 0)
		l = hyp->hyp_lwproc_curlwp();
	if (error == 0) {
		error = hyp->hyp_syscall(req->r_num, req->r_args, &rv);
		hyp->hyp_lwproc_switch(NULL);
		sp_conn_putlwp(c, l);
	}
	sp_cur = NULL;
	value = (uint64_t)rv;
	sp_send_result(c, SP_SYSCALL_RESP, req->r_reqno, error, &value);
	sp_req_done(req);
}

static void *
sp_worker_main(void *arg)
{
	struct sp_req *req;

	pthread_mutex_lock(&pool_lock);
	for (;;) {
		while (TAILQ_EMPTY(&pool_runq)) {
			pool_nidle++;
			pthread_cond_wait(&pool_cv, &pool_lock);
			pool_nidle--;
		}
		req = TAILQ_FIRST(&pool_runq);
		TAILQ_REMOVE(&pool_runq, req, r_runq);
		pool_nqueued--;
		pthread_mutex_unlock(&pool_lock);
		if (req->r_rx)
			sp_conn_serve(req->r_conn);
		else
			sp_run(req);
		pthread_mutex_lock(&pool_lock);
	}
	return NULL;
}

/* Start a worker; pool_lock held.  0 or an errno. */
static int
sp_worker_start(void)
{
	pthread_t pt;
	int error;

	if ((error = pthread_create(&pt, NULL, sp_worker_main, NULL)) != 0)
		return error;
	pthread_detach(pt);
	pool_nthreads++;
	return 0;
}

/* Queue c's receive role first, with a thread for it. */
static void
sp_rx_handoff(struct sp_conn *c)
{
	pthread_mutex_lock(&pool_lock);
	if (pool_nidle <= pool_nqueued && sp_worker_start() != 0 &&
	    pool_nthreads == 0)
		fprintf(stderr, "rumpuser_sp: no thread for a connection\n");
	TAILQ_INSERT_HEAD(&pool_runq, &c->c_rxtask, r_runq);
	pool_nqueued++;
	pthread_cond_signal(&pool_cv);
	pthread_mutex_unlock(&pool_lock);
}

static void
sp_onblock(void)
{
	struct sp_conn *c = sp_rxconn;

	rumpuser__sp_onblock = NULL;
	sp_rxconn = NULL;
	sp_rx_handoff(c);
}

bool
sp_rx_nest(struct sp_conn *c)
{
	if (sp_rxconn != c)
		return false;
	rumpuser__sp_onblock = NULL;
	return true;
}

void
sp_rx_unnest(bool keep)
{
	if (keep)
		rumpuser__sp_onblock = sp_onblock;
	else
		sp_onblock();
}

bool
sp_run_inline(struct sp_req *req)
{
	bool kept;

	sp_rxconn = req->r_conn;
	rumpuser__sp_onblock = sp_onblock;
	sp_run(req);
	kept = sp_rxconn != NULL;
	rumpuser__sp_onblock = NULL;
	sp_rxconn = NULL;
	return kept;
}

/* Queue req for a worker: 0, or EAGAIN when no worker can run it. */
int
sp_pool_submit(struct sp_req *req)
{
	int error = 0;

	pthread_mutex_lock(&pool_lock);
	if (pool_nidle > pool_nqueued)
		pthread_cond_signal(&pool_cv);
	else if (pool_nthreads < SP_MAXWORKERS)
		error = sp_worker_start();
	if (error != 0 && pool_nthreads > 0)
		error = 0;
	if (error == 0) {
		TAILQ_INSERT_TAIL(&pool_runq, req, r_runq);
		pool_nqueued++;
	}
	pthread_mutex_unlock(&pool_lock);
	return error != 0 ? EAGAIN : 0;
}
