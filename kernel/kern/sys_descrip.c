/*
 * sys_descrip.c: descriptor system calls: close, dup, dup2, dup3, fcntl,
 * fstat.
 */
#include <kern/types.h>
#include <kern/syscall.h>
#include <kern/file.h>
#include <kern/lwp.h>
#include <kern/uio.h>
#include <abi/stat.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>

/* Status flags F_SETFL may change. */
#define FSETFL_MASK	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

static int
sys_close(struct lwp *l, const register_t *args, register_t *retval)
{

	return fd_close(SYSARG(int, 0));
}

static int
dupto(int fd, int minfd, int fdflags, register_t *retval)
{
	struct file *fp;
	int error, nfd;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	error = fd_install(fp, minfd, fdflags, &nfd);
	fd_putfile(fp);
	if (error == 0)
		*retval = nfd;
	return error;
}

static int
sys_dup(struct lwp *l, const register_t *args, register_t *retval)
{

	return dupto(SYSARG(int, 0), 0, 0, retval);
}

static int
dup2to(int oldfd, int newfd, int fdflags, register_t *retval)
{
	struct file *fp;
	int error;

	fp = fd_getfile(oldfd);
	if (fp == NULL)
		return EBADF;
	error = fd_replace(newfd, fp, fdflags);
	fd_putfile(fp);
	if (error == 0)
		*retval = newfd;
	return error;
}

static int
sys_dup2(struct lwp *l, const register_t *args, register_t *retval)
{
	int oldfd = SYSARG(int, 0), newfd = SYSARG(int, 1);
	struct file *fp;

	if (oldfd == newfd) {
		fp = fd_getfile(oldfd);
		if (fp == NULL)
			return EBADF;
		fd_putfile(fp);
		*retval = newfd;
		return 0;
	}
	return dup2to(oldfd, newfd, 0, retval);
}

static int
sys_dup3(struct lwp *l, const register_t *args, register_t *retval)
{
	int oldfd = SYSARG(int, 0), newfd = SYSARG(int, 1);
	int flags = SYSARG(int, 2);

	if (oldfd == newfd || (flags & ~O_CLOEXEC) != 0)
		return EINVAL;
	return dup2to(oldfd, newfd, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0,
	    retval);
}

static int
fcntl_setfl(int fd, unsigned int flags)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	mutex_enter(&fp->f_lock);
	fp->f_flag = (fp->f_flag & ~FSETFL_MASK) | (flags & FSETFL_MASK);
	mutex_exit(&fp->f_lock);
	fd_putfile(fp);
	return 0;
}

static int
fcntl_getfl(int fd, register_t *retval)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	*retval = (register_t)(fp->f_flag | O_LARGEFILE);
	fd_putfile(fp);
	return 0;
}

static int
fcntl_lock(int fd)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	fd_putfile(fp);
	printf("rumpk: fcntl record locks are not supported\n");
	return ENOLCK;
}

static int
sys_fcntl(struct lwp *l, const register_t *args, register_t *retval)
{
	int fd = SYSARG(int, 0), cmd = SYSARG(int, 1);
	long arg = SYSARG(long, 2);
	int flags, error;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= FD_DEFAULT_MAX)
			return EINVAL;
		return dupto(fd, (int)arg, cmd == F_DUPFD_CLOEXEC ?
		    FD_CLOEXEC : 0, retval);
	case F_GETFD:
		error = fd_getflags(fd, &flags);
		if (error == 0)
			*retval = flags;
		return error;
	case F_SETFD:
		return fd_setflags(fd, (int)arg);
	case F_GETFL:
		return fcntl_getfl(fd, retval);
	case F_SETFL:
		return fcntl_setfl(fd, (unsigned int)arg);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return fcntl_lock(fd);
	default:
		return EINVAL;
	}
}

static int
sys_fstat(struct lwp *l, const register_t *args, register_t *retval)
{
	struct file *fp;
	struct stat st;
	int error;

	fp = fd_getfile(SYSARG(int, 0));
	if (fp == NULL)
		return EBADF;
	error = fp->f_ops->fo_stat(fp, &st);
	fd_putfile(fp);
	if (error != 0)
		return error;
	return copyout(&st, SYSARG(void *, 1), sizeof(st));
}

void
kern_syscalls_descrip_init(void)
{

	syscall_register(SYS_close, sys_close, "close");
	syscall_register(SYS_dup, sys_dup, "dup");
	syscall_register(SYS_dup2, sys_dup2, "dup2");
	syscall_register(SYS_dup3, sys_dup3, "dup3");
	syscall_register(SYS_fcntl, sys_fcntl, "fcntl");
	syscall_register(SYS_fstat, sys_fstat, "fstat");
}
