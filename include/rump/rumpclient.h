/*
 * rumpclient.h: librumpclient, a program's connection to a rump kernel
 * in another process (rump_server).  Linked with -lrumpclient instead of
 * -lrump, the same rump_sys_* calls (<rump/rump_syscalls.h>) run in the
 * remote kernel, in a process of their own there.  Functions return 0
 * or -1 with errno set, like libc, unless noted.  See rumpclient(3).
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#ifdef _KERNEL
#include <kern/types.h>
#else
#include <stddef.h>
#include <sys/types.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Connect to the kernel named by $RUMP_SERVER (unix:///abs/path,
 * unix://rel/path, tcp://addr:port).  ENOENT or ECONNREFUSED: no server
 * there; EINVAL: RUMP_SERVER unset or malformed; EPROTO: not a rumpk
 * server. */
int	rumpclient_init(void);

/* System call num with nargs (<= 6) raw argument words; the result
 * goes to *retval.  Returns 0 or an errno value (no -1/errno). */
int	rumpclient_syscall(int num, const long *args, size_t nargs,
	    long *retval);
/* The same, returning the result or -1 with errno (rump_sys_* use it). */
long	rumpclient_sys(int num, const long *args, size_t nargs);

/* fork(2) whose child is a new kernel process with a copy of the
 * caller's descriptor table; returns as fork(2).  rumpclient_vfork() is
 * the same call (the child may do anything a fork child may). */
pid_t	rumpclient_fork(void);
pid_t	rumpclient_vfork(void);
/* execve(2) that keeps the kernel process and its descriptors (those
 * with close-on-exec are closed); the new program's rumpclient_init()
 * continues the connection.  Returns only on failure. */
int	rumpclient_exec(const char *path, char *const argv[],
	    char *const envp[]);

/*
 * What a call does when the connection has been lost (the call that
 * saw it go gets ENOTCONN).  timeout > 0: reconnect (to a new kernel
 * process: descriptors are lost) for up to timeout seconds at the next
 * call; RUMPCLIENT_RETRYCONN_NONE (the default): fail with ENOTCONN;
 * _ONCE: try once; _INFTIME: try until it works; _DIE: exit(1).
 */
#define RUMPCLIENT_RETRYCONN_NONE	0
#define RUMPCLIENT_RETRYCONN_INFTIME	(-1)
#define RUMPCLIENT_RETRYCONN_ONCE	(-2)
#define RUMPCLIENT_RETRYCONN_DIE	(-3)
int	rumpclient_setconnretry(long timeout);

/*
 * For a library that interposes libc (librumphijack).  librumpclient
 * makes its own host system calls directly, never through an
 * interposable libc symbol (fork excepted: the real libc fork is
 * used), and keeps its host descriptors at 512 or above when it can.
 * Before the program closes *fdp (RUMPCLIENT_CLOSE_CLOSE), dup2()s
 * onto *fdp (_DUP2) or closes every descriptor >= *fdp (_FCLOSEM) on
 * the host, call rumpclient__closenotify(): a descriptor of
 * librumpclient's in the way is moved (for _FCLOSEM below *fdp; -1 and
 * EBUSY when no descriptor below *fdp is free).  Returns 0 or -1 with
 * errno.  rumpclient__fds() stores up to n of librumpclient's host
 * descriptors in fds and returns how many it has (which may be more
 * than n; 0 before rumpclient_init()).
 */
#define RUMPCLIENT_CLOSE_CLOSE		1
#define RUMPCLIENT_CLOSE_DUP2		2
#define RUMPCLIENT_CLOSE_FCLOSEM	3
int	rumpclient__closenotify(int *fdp, int variant);
int	rumpclient__fds(int *fds, int n);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPCLIENT_H_ */
