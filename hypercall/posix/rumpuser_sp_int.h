/*
 * rumpuser_sp_int.h: private to the sysproxy server (rumpuser_sp*.c).
 *
 * A connection (struct sp_conn) is one client process in the kernel.
 * Its receiver thread reads frames; each SP_SYSCALL becomes a struct
 * sp_req run by a worker thread from a shared pool; while it runs, the
 * kernel's copy requests are sent from the worker, tagged with the
 * request's reqno, and the receiver hands the matching reply back to it.
 *
 * Locks: sp_lock (rumpuser_sp.c), fork_lock (rumpuser_sp_fork.c),
 * pool_lock (rumpuser_sp_worker.c), c_lock and c_sendlock.  No two are
 * ever held together, and none is held across a call into the kernel.
 */
#ifndef _RUMPUSER_SP_INT_H_
#define _RUMPUSER_SP_INT_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "sp_wire.h"

/* Kernel system call numbers (kernel/abi/sysnum.h, Linux x86-64). */
#define SP_SYS_SETGROUPS	116
#define SP_SYS_SETRESUID	117
#define SP_SYS_SETRESGID	119

#define SP_NOBODY		65534	/* uid and gid of TCP clients */

/* Nothing here is part of the library's interface. */
#pragma GCC visibility push(hidden)

struct sp_conn;

/* One system call in flight. */
struct sp_req {
	struct sp_conn	*r_conn;		/* constant */
	uint64_t	 r_reqno;		/* constant */
	int		 r_num;			/* constant */
	long		 r_args[SP_MAXARGS];	/* constant */
	TAILQ_ENTRY(sp_req) r_connq;		/* c_lock: c_reqs */
	TAILQ_ENTRY(sp_req) r_runq;		/* pool_lock: run queue */
	pthread_cond_t	 r_cv;			/* reply to a copy request */
	/* The copy request waiting for a reply, all under c_lock. */
	int		 r_wtype;	/* *_RESP awaited, 0 when none */
	bool		 r_wfilling;	/* receiver is reading into r_wbuf */
	bool		 r_wdone;	/* reply arrived */
	void		*r_wbuf;	/* reply data goes here */
	size_t		 r_wlen;	/* its room, then the reply's length */
	int		 r_werror;	/* the reply's error */
	uint64_t	 r_waddr;	/* SP_ANONMMAP_RESP address */
};

struct sp_conn {
	int		 c_fd;		/* constant; -1 for a prepared fork */
	pthread_mutex_t	 c_lock;
	pthread_mutex_t	 c_sendlock;	/* one frame at a time on c_fd */
	pthread_cond_t	 c_cv;		/* c_nreqs decreased */
	TAILQ_HEAD(, sp_req) c_reqs;	/* c_lock: system calls in flight */
	int		 c_nreqs;	/* c_lock */
	bool		 c_dead;	/* c_lock: connection is going away */
	struct lwp	*c_lwp;		/* receiver's lwp in the process */
	struct lwp	*c_idle[SP_MAXOUTSTANDING]; /* c_lock: lwps of the
					   process kept for later requests */
	int		 c_nidle;	/* c_lock */
	pid_t		 c_pid;		/* kernel pid, constant once set */
	bool		 c_unix;	/* constant: a unix-domain peer */
	char		 c_comm[SP_COMMLEN];	/* receiver thread only */
	uint64_t	 c_cookie[2];	/* prepared fork: the claim ticket */
	int64_t		 c_expire;	/* prepared fork: claim by (ms) */
	LIST_ENTRY(sp_conn) c_list;	/* fork_lock: prepared forks */
};

/* rumpuser_sp.c */
extern bool	sp_maproot;		/* constant after sp_init */
extern char	sp_banner[SP_BANNERMAX];	/* constant after sp_init */
int	sp_timeout(void);		/* milliseconds */
int64_t	sp_now(void);			/* monotonic milliseconds */
/* Count a new connection in (0 or EAGAIN at the limit) and out. */
int	sp_conn_admit(void);
void	sp_conn_gone(void);

/* rumpuser_sp_frame.c */
/* Read exactly len bytes; the first byte may take wait1 ms (-1: no
 * limit), the rest sp_timeout().  0, ECONNRESET (EOF), ETIMEDOUT or
 * the host errno. */
int	sp_read(int fd, void *buf, size_t len, int wait1);
/* Read and check a header. 0, EPROTO or as sp_read. */
int	sp_readhdr(int fd, struct sp_hdr *, int wait1);
/* Send one frame made of two pieces; 0 or an errno. */
int	sp_send(struct sp_conn *, int type, uint64_t reqno,
	    const void *, size_t, const void *, size_t);
/* Reply with an error word and an optional i64 value. */
int	sp_send_result(struct sp_conn *, int type, uint64_t reqno,
	    int error, const uint64_t *value);
/* Throw away len bytes of payload. */
int	sp_skip(int fd, size_t len);

/* rumpuser_sp_conn.c */
struct sp_conn *sp_conn_alloc(int fd, bool isunix);
void	sp_conn_free(struct sp_conn *);
/* Stop a connection: later sends fail and the receiver wakes up. */
void	sp_conn_kill(struct sp_conn *);
/* Release a connection's kernel process (switching to its lwps). */
void	sp_conn_release_proc(struct sp_conn *);
/* An idle lwp of the connection's process (NULL: none), and back. */
struct lwp *sp_conn_getlwp(struct sp_conn *);
void	sp_conn_putlwp(struct sp_conn *, struct lwp *);
void	*sp_conn_main(void *);		/* receiver thread */
/* A worker finished with req: take it off the connection, free it. */
void	sp_req_done(struct sp_req *);

/* rumpuser_sp_fork.c */
/* SP_PREFORK: prepare the child process, reply with its cookie. */
int	sp_rx_prefork(struct sp_conn *, const struct sp_hdr *);
/* The prepared child with this cookie, taken off the list; or NULL. */
struct sp_conn *sp_fork_claim(const uint64_t cookie[2]);

/* rumpuser_sp_worker.c */
int	sp_pool_submit(struct sp_req *);
/* The request the calling worker thread is serving, or NULL. */
struct sp_req *sp_curreq(void);
/* Mark the calling thread as making the server's own system calls:
 * copies then use the server's memory. */
void	sp_setlocal(bool);
bool	sp_islocal(void);

#pragma GCC visibility pop

#endif /* _RUMPUSER_SP_INT_H_ */
