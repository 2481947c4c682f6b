/*
 * syscall.h: the system call table.  Numbers are Linux x86-64's, so local,
 * remote (sysproxy) and hijacked calls all use the same table.  A handler
 * gets the raw argument words and returns 0 or an errno, with its result
 * in retval[0].  Components install their handlers at init time.
 */
#ifndef _KERN_SYSCALL_H_
#define _KERN_SYSCALL_H_

#include <kern/types.h>
#include <abi/sysnum.h>

struct lwp;
typedef int (*sy_call_t)(struct lwp *, const register_t *, register_t *);

struct sysent {
	sy_call_t	 sy_call;
	const char	*sy_name;
};

#define SYS_MAXSYSCALL	512

void	syscall_register(int, sy_call_t, const char *);
/* Run syscall `num` on the current (scheduled) lwp: 0 or errno. */
int	syscall_dispatch(int num, const register_t *args, register_t *retval);
/* Enter the kernel from a local caller: schedule, dispatch, unschedule,
 * and turn errors into -1 + errno for the rump_sys_* wrappers. */
long	rump_syscall_local(int num, const register_t *args);

/* The kernel base's system call groups, installed at boot. */
void	kern_syscalls_descrip_init(void);
void	kern_syscalls_generic_init(void);
void	kern_syscalls_proc_init(void);
void	kern_syscalls_reboot_init(void);

/* False before boot and after halt: calls fail with ENXIO. */
extern bool rump_running;

#define SYSARG(type, i)	((type)args[i])

#endif /* _KERN_SYSCALL_H_ */
