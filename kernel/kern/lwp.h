/*
 * lwp.h: lightweight processes (kernel thread contexts), processes and
 * credentials.
 *
 * Every host thread that runs kernel code does so on an lwp, and every lwp
 * belongs to a proc holding the pid, credentials, descriptor table, working
 * directory and umask.  Proc 0 owns kernel threads; proc 1 owns the
 * implicit lwps that host threads without an explicit one get on their
 * first system call (kept per thread, so later calls allocate nothing).
 *
 * Locking: proc_lock (global) protects the process list, pid allocation,
 * p_lwps and p_nlwps; p_lock protects p_cred replacement, p_killed and
 * p_sigwaiters (taken after a sleeper's mutex: proc_kill.c).  A cred is
 * immutable once published and reference counted (cred_hold/cred_free).
 */
#ifndef _KERN_LWP_H_
#define _KERN_LWP_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <lib/queue.h>
#include <rump/rumpuser.h>

#define CRED_NGROUPS	64

struct cred {
	int	cr_refcnt;		/* atomic */
	uid_t	cr_uid, cr_euid, cr_suid, cr_fsuid;
	gid_t	cr_gid, cr_egid, cr_sgid, cr_fsgid;
	int	cr_ngroups;
	gid_t	cr_groups[CRED_NGROUPS];
};

struct cpu;
struct filedesc;
struct cwdinfo;
struct sigwaiter;

struct lwp {
	struct proc	*l_proc;	/* owning process (constant) */
	struct cpu	*l_cpu;		/* CPU held now, NULL if none */
	struct cpu	*l_lastcpu;	/* CPU to try first */
	int		 l_flags;	/* LW_* (owner thread only) */
	int		 l_lid;		/* lwp id within the process */
	struct cred	*l_cred;	/* proc's cred cached at syscall entry */
	LIST_ENTRY(lwp)	 l_sibling;	/* proc_lock */
	void		*l_private;	/* kernel thread argument */
};

#define LW_IMPLICIT	0x01	/* created on demand for a bare host thread */
#define LW_SYSTEM	0x02	/* kernel thread */
#define LW_WEXIT	0x04	/* release when switched away from */
#define LW_RUNNING	0x08	/* current lwp of some host thread */

struct proc {
	pid_t		 p_pid;		/* constant */
	struct proc	*p_pptr;	/* parent, proc_lock */
	kmutex_t	 p_lock;
	struct cred	*p_cred;	/* p_lock */
	struct filedesc	*p_fd;		/* descriptor table (kern/file.h) */
	struct cwdinfo	*p_cwdi;	/* owned by vfs (proc hooks) */
	mode_t		 p_umask;	/* atomic */
	int		 p_nlwps;	/* proc_lock */
	int		 p_nextlid;	/* proc_lock */
	LIST_HEAD(, lwp) p_lwps;	/* proc_lock */
	LIST_ENTRY(proc) p_list;	/* proc_lock */
	void		*p_vmspace;	/* remote client cookie, NULL = local */
	char		 p_comm[16];
	bool		 p_killed;	/* p_lock to set, atomic loads */
	LIST_HEAD(, sigwaiter) p_sigwaiters; /* p_lock: interruptible
					   sleeps of its lwps (proc_kill.c) */
};

extern struct proc *proc0, *proc1;
extern kmutex_t proc_lock;

#define curlwp		(rumpuser_curlwp())
#define curproc		(curlwp->l_proc)
/* Credentials of the running lwp, stable for the duration of a syscall. */
#define curcred		(curlwp->l_cred)

/* Hooks run when processes are created and destroyed (vfs uses them for
 * the working directory).  fork returns 0 or an errno. */
struct prochooks {
	int	(*ph_fork)(struct proc *parent, struct proc *child, int flags);
	void	(*ph_exit)(struct proc *);
};
void	proc_sethooks(const struct prochooks *);

/* rfork flags (NetBSD values, as in rump.h) */
#define RFFDG	0x0004	/* copy the descriptor table */
#define RFCFDG	0x1000	/* start with an empty descriptor table */

/* Create a process, child of `parent`, with one lwp; 0 or errno. */
int	proc_create(struct proc *parent, int flags, const char *comm,
	    struct lwp **);
struct proc *proc_find(pid_t);	/* proc_lock held */
/* The process with the lowest pid >= pid, or NULL; proc_lock held. */
struct proc *proc_next(pid_t);
/* The upcalls given to rumpuser_init(). */
extern const struct rumpuser_hyperup rump_hyperup;
/* A process without lwps that has left the process list: release it. */
void	proc_exit(struct proc *);
int	proc_init(void);
struct lwp *lwp_create(struct proc *);	/* NULL on ENOMEM */
/* Destroy the calling thread's own lwp (its process exits with its last
 * lwp); returns with no lwp and no CPU. */
void	lwp_destroy(struct lwp *);
/* Leave the calling thread's lwp: implicit or exiting ones are destroyed,
 * explicit ones kept for a later switch back. */
void	lwp_leave(void);
/* The calling thread's lwp, creating the implicit one if needed. */
struct lwp *lwp_current(void);
/* Make l the calling thread's lwp (NULL: none). */
void	lwp_setcurrent(struct lwp *);

struct cred *cred_alloc(void);	/* zeroed, refcnt 1; NULL on ENOMEM */
struct cred *cred_dup(const struct cred *);
void	cred_hold(struct cred *);
void	cred_free(struct cred *);
bool	cred_groupmember(const struct cred *, gid_t);
/* Replace curproc's credentials (takes over the new cred's reference). */
void	proc_setcred(struct proc *, struct cred *);
/*
 * Killing a process (proc_kill.c): its interruptible sleeps (pipe
 * read and write, poll, nanosleep; not lock waits) end with EINTR, now
 * and from then on.  The sysproxy server kills a client's process when
 * the client disconnects (exit_group on one of its lwps).
 */
void	proc_kill(struct proc *);
bool	proc_killed(struct proc *);
/* cv_wait and cv_timedwait_ns that also end (EINTR) when curproc is
 * killed. */
int	cv_wait_sig(kcondvar_t *, kmutex_t *);
int	cv_timedwait_sig_ns(kcondvar_t *, kmutex_t *, uint64_t);
/* kpause_ns that ends early (EINTR) when curproc is killed; *leftp
 * gets the time not slept. */
int	kpause_sig_ns(uint64_t, uint64_t *leftp);
void	proc_kill_init(void);

/* Refresh curlwp->l_cred from the proc; done at each syscall entry. */
void	lwp_refresh_cred(struct lwp *);


#endif /* _KERN_LWP_H_ */
