/*
 * rumpclient_int.h: private to librumpclient.
 *
 * The process has one connection (struct rc_conn, the global rc).  Any
 * thread may have a request outstanding (struct rc_wait, by reqno).
 * Replies are read by whichever waiting thread finds no reader (leader/
 * follower): it serves the server's copy requests itself (the memory is
 * the whole process's) and hands other threads their replies.
 *
 * Locks: rc.lock protects the state below it; rc.sendlock serialises
 * frames on rc.fd.  rc.lock is never held while sending or reading.
 */
#ifndef _RUMPCLIENT_INT_H_
#define _RUMPCLIENT_INT_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "../hypercall/posix/sp_wire.h"

#define RC_EXECENV	"RUMPCLIENT__EXECFD"	/* "fd:url" across exec */
#define RC_RESPMAX	24			/* largest reply we await */

/* One outstanding request of a thread. */
/* Nothing here is part of the library's interface. */
#pragma GCC visibility push(hidden)

struct rc_wait {
	uint64_t	 w_reqno;		/* constant */
	bool		 w_done;		/* rc.lock */
	unsigned char	 w_resp[RC_RESPMAX];	/* reply payload, rc.lock */
	size_t		 w_resplen;		/* rc.lock */
	LIST_ENTRY(rc_wait) w_list;		/* rc.lock */
};

struct rc_conn {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cv;		/* a reply arrived, reader left,
					   or a request slot freed */
	pthread_mutex_t	 sendlock;
	int		 fd;		/* lock; -1: never connected */
	bool		 dead;		/* lock: connection lost */
	bool		 reading;	/* lock: some thread reads replies */
	int		 nout;		/* lock: requests outstanding */
	uint64_t	 nextreqno;	/* lock */
	long		 retry;		/* lock: rumpclient_setconnretry() */
	char		 url[256];	/* lock: where we connected */
	LIST_HEAD(, rc_wait) waits;	/* lock */
};

extern struct rc_conn rc;

/* rumpclient.c */
/* Connect to url and do the handshake of kind (cookie for SP_HS_FORK);
 * 0 or an errno.  Sets rc.fd. */
int	rc_connect(const char *url, int kind, const uint64_t *cookie);
/* Called with rc.lock held when the connection is dead: reconnect
 * following the retry policy; 0 or ENOTCONN. */
int	rc_reconnect(void);

/* rumpclient_call.c */
/* Send a request of type and wait for its reply (at most RC_RESPMAX
 * bytes into resp); 0 or an errno (ENOTCONN: connection lost). */
int	rc_call(int type, const void *payload, size_t len, void *resp,
	    size_t *resplen);
/* Mark the connection lost and wake every waiter; rc.lock held. */
void	rc_kill(void);
/* Whole frames on fd. */
int	rc_send(int fd, int type, uint64_t reqno, const void *, size_t,
	    const void *, size_t);
int	rc_read(int fd, void *, size_t);

/* rumpclient_serve.c */
/* Serve a request from the server (copy, mmap, raise) with its header
 * read; 0 or an errno that ends the connection. */
int	rc_serve(int fd, const struct sp_hdr *);

#pragma GCC visibility pop

#endif /* _RUMPCLIENT_INT_H_ */
