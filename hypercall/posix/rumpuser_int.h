/*
 * rumpuser_int.h: private to the POSIX hypercall library.
 *
 * Owns the three things every file needs: the kernel's upcall table
 * (stored by rumpuser_init), the translation of host errno values into
 * the kernel's numbering, and the release/retake of the virtual CPU
 * around a hypercall that is about to block.
 */
#ifndef _RUMPUSER_INT_H_
#define _RUMPUSER_INT_H_

#include <errno.h>
#include <rump/rumpuser.h>

/*
 * The kernel numbers errors as Linux does.  Errno values in this library
 * are the host's, and every one that is returned to the kernel goes
 * through errtokern().  On a Linux host they pass through unchanged;
 * another host would need a table here.
 */
#ifndef __linux__
#error "hypercall/posix assumes a Linux host: host errno == kernel errno"
#endif

static inline int
errtokern(int error)
{
	return error;
}

/* Copy of the table given to rumpuser_init(). */
extern struct rumpuser_hyperup rumpuser__hyp
    __attribute__((__visibility__("hidden")));

/* Set on a thread that runs a sysproxy system call while holding its
 * connection's receive role: called (once) before that thread blocks,
 * to pass the role on (rumpuser_sp_worker.c). */
extern __thread void (*rumpuser__sp_onblock)(void)
    __attribute__((__visibility__("hidden"),
    __tls_model__("initial-exec")));

/*
 * Give the virtual CPU back before blocking; "interlock" is the mutex
 * the caller will wait on, if any.  Both preserve errno so that callers
 * can report the host error after retaking the CPU.
 */
static inline void
cpu_release(int *nlocks, void *interlock)
{
	int error = errno;

	if (__builtin_expect(rumpuser__sp_onblock != NULL, 0))
		rumpuser__sp_onblock();
	rumpuser__hyp.hyp_backend_unschedule(0, nlocks, interlock);
	errno = error;
}

static inline void
cpu_retake(int nlocks, void *interlock)
{
	int error = errno;

	rumpuser__hyp.hyp_backend_schedule(nlocks, interlock);
	errno = error;
}

#endif /* _RUMPUSER_INT_H_ */
