/*
 * kern.h: smaller kernel services: kernel threads, callouts, sleeping,
 * time, random numbers, the sysctl tree, the console and shutdown.
 */
#ifndef _KERN_KERN_H_
#define _KERN_KERN_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <abi/time.h>
#include <lib/queue.h>

struct lwp;

/* Kernel threads run in proc 0 on their own lwp holding a CPU. */
#define KTHREAD_MUSTJOIN	0x01
int	kthread_create(void (*)(void *), void *, const char *, int,
	    struct lwp **);
void	kthread_exit(void) __noreturn;
int	kthread_join(struct lwp *);

/* Callouts: run fn(arg) from the clock thread after a delay. */
struct callout {
	void		(*c_func)(void *);
	void		*c_arg;
	uint64_t	 c_when;	/* monotonic ns; callout_lock */
	int		 c_flags;	/* callout_lock */
	TAILQ_ENTRY(callout) c_link;	/* callout_lock */
};
void	callout_init(struct callout *, void (*)(void *), void *);
void	callout_schedule_ns(struct callout *, uint64_t);
/* Cancel; true if it was pending.  callout_halt also waits for a running
 * invocation to finish (never call it from the callout itself). */
bool	callout_stop(struct callout *);
bool	callout_halt(struct callout *);
bool	callout_pending(struct callout *);
void	callout_destroy(struct callout *);
/* Boot: set up the callout queue.  Halt: stop and join the clock
 * thread (started by the first callout_schedule_ns). */
void	callout_init_subsys(void);
void	callout_shutdown(void);

/* Sleep on a channel; interlock released while asleep and re-taken.
 * timo_ns 0 = forever.  0 or ETIMEDOUT. */
int	mtsleep(const void *chan, uint64_t timo_ns, kmutex_t *interlock);
void	wakeup(const void *chan);
void	wakeup_one(const void *chan);
/* Boot: set up the sleep queues. */
void	sleep_init_subsys(void);
/* Sleep for a while without a channel. */
void	kpause_ns(uint64_t);

/* Time. */
uint64_t getnanouptime(void);			/* monotonic ns */
void	getnanotime(struct timespec *);		/* wall clock */

/* Random bytes from the host. */
void	cprng_fast(void *, size_t);
uint32_t cprng_fast32(void);

/* sysctl: a tree of named values, e.g. "kern.hostname".  The types and
 * flags are rump_syscalls.h's RUMP_CTL*. */
#define CTLTYPE_NODE	0	/* interior node: sysctl_create describes it */
#define CTLTYPE_INT	1
#define CTLTYPE_STRING	2
#define CTLTYPE_QUAD	3
#define CTLTYPE_BOOL	4	/* a bool */
#define CTLFLAG_READONLY	0x00
#define CTLFLAG_READWRITE	0x01
#define CTLFLAG_ROOTONLY	0x02	/* writes need euid 0 (default) */
#define CTLFLAG_ANYWRITE	0x04	/* anyone may write */
int	sysctl_create(const char *name, int type, int flags, void *data,
	    size_t len, const char *descr);
/* Read (oldp/oldlenp) and/or write (newp/newlen) a node, or for the
 * names RUMP_SYSCTL_NEXT and RUMP_SYSCTL_INFO list the tree.  The
 * buffers are kernel memory; 0 or errno. */
int	sysctl_lookup(const char *name, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);
/* The current host name (kern.hostname). */
const char *hostname_get(void);
/* Boot, after kmem and locks: the tree and the standard nodes (kern.*,
 * hw.*); 0 or ENOMEM. */
int	sysctl_init_subsys(void);

/* poll: anything whose poll state changed calls selnotify() so that
 * pollers look again. */
void	selnotify(void);

/* Boot: register system calls (uname, sethostname, rump_sysctl,
 * clock_gettime, nanosleep / pipe, pipe2 / poll, ppoll). */
void	kern_syscalls_misc_init(void);
void	kern_syscalls_pipe_init(void);
void	kern_syscalls_poll_init(void);

/* Set by the boot code */
extern char hostname[];
extern const char ostype[], osrelease[], machine[];
extern const char osversion[];		/* kern.version, uname -v */

#endif /* _KERN_KERN_H_ */
