/*
 * sched.h: virtual CPUs.  Kernel code runs only while its lwp holds one
 * of the ncpu virtual CPUs; rump_schedule() takes one for the calling
 * thread (creating its implicit lwp if needed) and rump_unschedule()
 * gives it back.  Every blocking hypercall releases the CPU through the
 * backend upcalls.  With ncpu == 1 only one thread runs kernel code at a
 * time.
 */
#ifndef _KERN_SCHED_H_
#define _KERN_SCHED_H_

#include <kern/types.h>

struct lwp;

struct cpu {
	struct lwp	*ci_curlwp;	/* holder, atomic; NULL = free */
	int		 ci_index;
} __attribute__((__aligned__(64)));

extern int ncpu;
extern struct cpu *cpus;

#define curcpu()	(curlwp->l_cpu)

void	rump_schedule(void);
void	rump_unschedule(void);
/* Take/give a CPU for a specific lwp (the backend upcalls use these). */
void	sched_acquire(struct lwp *);
void	sched_release(struct lwp *);
int	sched_init(int ncpus);

#endif /* _KERN_SCHED_H_ */
