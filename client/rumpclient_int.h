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
 * Replies are read through rc.rbuf, so one read usually brings a whole
 * frame.
 */
#ifndef _RUMPCLIENT_INT_H_
#define _RUMPCLIENT_INT_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "../hypercall/posix/sp_wire.h"

#define RC_EXECENV	"RUMPCLIENT__EXECFD"	/* "fd:url" across exec */
#define RC_RESPMAX	24			/* largest reply we await */
#define RC_FDBASE	512			/* where our descriptors live */
#define RC_CONNFD	(-2)			/* rc_read/rc_send: rc.fd */
#define RC_RBUFSIZE	65536			/* receive buffer */

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
	int		 fd;		/* lock and sendlock to change,
					   atomic loads; -1: never
					   connected */
	bool		 dead;		/* lock: connection lost */
	bool		 reading;	/* lock: some thread reads replies */
	int		 nout;		/* lock: requests outstanding */
	uint64_t	 nextreqno;	/* lock */
	long		 retry;		/* lock: rumpclient_setconnretry() */
	char		 url[256];	/* lock: where we connected */
	LIST_HEAD(, rc_wait) waits;	/* lock */
	/* Received bytes not yet parsed: the thread reading replies
	 * (reading set) owns them; emptied when a connection starts. */
	unsigned char	 rbuf[RC_RBUFSIZE];
	size_t		 rhead;		/* next unread byte */
	size_t		 rtail;		/* end of the data */
};

extern struct rc_conn rc;

/* rumpclient_host.c: raw host system calls (see there), -1 and errno. */
int	rc_hsocket(int, int, int);
int	rc_hconnect(int, const struct sockaddr *, socklen_t);
int	rc_hsetsockopt(int, int, int, const void *, socklen_t);
int	rc_hshutdown(int, int);
ssize_t	rc_hread(int, void *, size_t);
ssize_t	rc_hsendmsg(int, const struct msghdr *, int);
int	rc_hclose(int);
int	rc_hfcntl(int, int, long);
pid_t	rc_hgetpid(void);
int	rc_hexecve(const char *, char *const [], char *const []);
int	rc_hsleep_ms(int);
/* process_vm_readv/writev of len bytes at our own address remote. */
ssize_t	rc_hvmxfer(void *local, uint64_t remote, size_t len, bool write);
void	*rc_hmmap_anon(size_t);		/* MAP_FAILED and errno */
int	rc_hraise(int);
pid_t	rc_hfork(void);

/* rumpclient_fd.c */
/* Move a fresh connection descriptor up to RC_FDBASE or above
 * (close-on-exec); returns the descriptor to use. */
int	rc_fdplace(int fd);
/* The connection's descriptor now (RC_CONNFD resolved). */
int	rc_fd(int fd);

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
/* Whole frames on fd (RC_CONNFD: the connection's descriptor, looked
 * up at each system call because rumpclient__closenotify() may move
 * it, read through rc.rbuf). */
int	rc_send(int fd, int type, uint64_t reqno, const void *, size_t,
	    const void *, size_t);
int	rc_read(int fd, void *, size_t);

/* rumpclient_serve.c */
/* Serve a request from the server (copy, mmap, raise) with its header
 * read; 0 or an errno that ends the connection. */
int	rc_serve(int fd, const struct sp_hdr *);

#pragma GCC visibility pop

#endif /* _RUMPCLIENT_INT_H_ */
