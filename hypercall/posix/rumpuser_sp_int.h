/*
 * rumpuser_sp_int.h: private to the sysproxy server (rumpuser_sp*.c).
 *
 * A connection (struct sp_conn) is one client process in the kernel.
 * One thread at a time holds its receive role and reads frames: first
 * the connection's own thread, later any worker of the shared pool.
 * Each SP_SYSCALL becomes a struct sp_req.  When no other request of
 * the connection is in flight, the role holder runs it itself (no
 * thread switch: the fast path); should that call block in the kernel
 * (any hypercall that gives up the virtual CPU, a copy request to the
 * client included), the holder first hands the role to a pool thread
 * (sp_rx_handoff), so the connection's other frames are still read.
 * Otherwise the request is run by a pool worker.  While a call runs,
 * the kernel's copy requests are sent from its thread, tagged with the
 * request's reqno, and the role holder hands the matching reply back;
 * a call run by the role holder reads its copy replies itself
 * (sp_conn_rx_nested), and passes the role on only when a frame needs
 * the connection's own thread context (fork, exec) or the connection
 * ends (c_rxpend tells the next holder).
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
#define SP_SYS_EXIT_GROUP	231

#define SP_NOBODY		65534	/* uid and gid of TCP clients */

/* Nothing here is part of the library's interface. */
#pragma GCC visibility push(hidden)

struct sp_conn;

/* One system call in flight, or the receive role being handed over
 * (r_rx; then only r_conn and r_runq are used). */
struct sp_req {
	struct sp_conn	*r_conn;		/* constant */
	bool		 r_rx;			/* constant */
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

#define SP_RBUFSIZE	65536		/* receive buffer */
#define SP_RXPEND_HDR	1		/* c_rxhdr read, not handled */
#define SP_RXPEND_END	2		/* the connection has ended */

struct sp_conn {
	int		 c_fd;		/* constant; -1 for a prepared fork */
	struct sp_req	 c_rxtask;	/* the receive role, for the pool */
	unsigned char	 c_rbuf[SP_RBUFSIZE];	/* receive role: bytes */
	size_t		 c_rhead;	/* receive role: next unread */
	size_t		 c_rtail;	/* receive role: end of data */
	int		 c_rxpend;	/* receive role: SP_RXPEND_* */
	struct sp_hdr	 c_rxhdr;	/* receive role: SP_RXPEND_HDR's */
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
	pid_t		 c_vmpid;	/* constant after the handshake: the
					   local client's host pid */
	int		 c_vmfd;	/* the same: its pidfd, -1: none */
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

/* rumpuser_sp_frame.c; reading is for the receive role's holder. */
/* Read exactly len bytes; the first byte may take wait1 ms (-1: no
 * limit), the rest sp_timeout().  0, ECONNRESET (EOF), ETIMEDOUT or
 * the host errno. */
int	sp_read(struct sp_conn *, void *buf, size_t len, int wait1);
/* Read and check a header. 0, EPROTO or as sp_read. */
int	sp_readhdr(struct sp_conn *, struct sp_hdr *, int wait1);
/* Send one frame made of two pieces; 0 or an errno. */
int	sp_send(struct sp_conn *, int type, uint64_t reqno,
	    const void *, size_t, const void *, size_t);
/* Reply with an error word and an optional i64 value. */
int	sp_send_result(struct sp_conn *, int type, uint64_t reqno,
	    int error, const uint64_t *value);

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
void	*sp_conn_main(void *);		/* a connection's first thread */
/* Serve c's receive role until the connection ends (then tear it down)
 * or the role passes to another thread. */
void	sp_conn_serve(struct sp_conn *);
/* The role holder's own call req waits for a copy reply: read frames
 * until it is in (0); EAGAIN or an error: pass the role on. */
int	sp_conn_rx_nested(struct sp_conn *, struct sp_req *);
/* A worker finished with req: take it off the connection, free it. */
void	sp_req_done(struct sp_req *);

/* rumpuser_sp_fork.c */
/* SP_PREFORK: prepare the child process, reply with its cookie. */
int	sp_rx_prefork(struct sp_conn *, const struct sp_hdr *);
/* The prepared child with this cookie, taken off the list; or NULL. */
struct sp_conn *sp_fork_claim(const uint64_t cookie[2]);

/* rumpuser_sp_vm.c: a local client's memory without a round trip;
 * false: not done, use the copy requests. */
void	sp_vm_attach(struct sp_conn *);	/* after the handshake */
void	sp_vm_detach(struct sp_conn *);
bool	sp_vm_read(struct sp_conn *, uint64_t raddr, void *, size_t);
bool	sp_vm_write(struct sp_conn *, const void *, uint64_t raddr, size_t);
bool	sp_vm_readstr(struct sp_conn *, uint64_t raddr, char *, size_t *);

/* rumpuser_sp_worker.c */
int	sp_pool_submit(struct sp_req *);
/* Run req on this thread, holding c's receive role: true if the role is
 * still ours afterwards (req and c must not be touched if not). */
bool	sp_run_inline(struct sp_req *);
/* Does this thread hold c's role, running a call inline?  Then the
 * hand-over before blocking is off until sp_rx_unnest(): keep the role
 * (true) or pass it on. */
bool	sp_rx_nest(struct sp_conn *);
void	sp_rx_unnest(bool keep);
/* The request the calling worker thread is serving, or NULL. */
struct sp_req *sp_curreq(void);
/* Mark the calling thread as making the server's own system calls:
 * copies then use the server's memory. */
void	sp_setlocal(bool);
bool	sp_islocal(void);

#pragma GCC visibility pop

#endif /* _RUMPUSER_SP_INT_H_ */
