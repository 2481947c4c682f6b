/*
 * sys_generic.c: I/O system calls on any descriptor: read, write, readv,
 * writev, pread64, pwrite64, lseek, ioctl.  They build a uio over the
 * caller's buffers and hand it to the file's operations.
 */
#include <kern/types.h>
#include <kern/syscall.h>
#include <kern/file.h>
#include <kern/uio.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>

/* Linux's MAX_RW_COUNT: one transfer moves at most this much. */
#define MAX_RW_COUNT	0x7ffff000UL
#define UIO_SMALLIOV	8

#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIONBIO		0x5421

static int
dofileio(int fd, struct uio *uio, bool positioned, register_t *retval)
{
	struct file *fp;
	size_t cnt;
	int error;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if (uio->uio_rw == UIO_READ ? !FREAD(fp) : !FWRITE(fp)) {
		error = EBADF;
		goto out;
	}
	if (positioned && fp->f_ops->fo_seek == NULL) {
		error = ESPIPE;
		goto out;
	}
	cnt = uio->uio_resid;
	if (uio->uio_rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, uio,
		    positioned ? 0 : FOF_UPDATE_OFFSET);
	else
		error = fp->f_ops->fo_write(fp, uio,
		    positioned ? 0 : FOF_UPDATE_OFFSET);
	if (uio->uio_resid != cnt && (error == EINTR || error == EAGAIN ||
	    error == ENOSPC || error == EFBIG || error == EPIPE ||
	    error == ENOMEM))
		error = 0;
	if (error == 0)
		*retval = (register_t)(cnt - uio->uio_resid);
out:
	fd_putfile(fp);
	return error;
}

static int
rw1(const register_t *args, enum uio_rw rw, bool positioned,
    register_t *retval)
{
	struct iovec iov;
	struct uio uio;
	size_t len = SYSARG(size_t, 2);
	off_t off = positioned ? SYSARG(off_t, 3) : 0;

	if (positioned && off < 0)
		return EINVAL;
	uio_setup1(&uio, &iov, SYSARG(void *, 1), MIN(len, MAX_RW_COUNT),
	    off, rw, UIO_USERSPACE);
	return dofileio(SYSARG(int, 0), &uio, positioned, retval);
}

static int
sys_read(struct lwp *l, const register_t *args, register_t *retval)
{

	return rw1(args, UIO_READ, false, retval);
}

static int
sys_write(struct lwp *l, const register_t *args, register_t *retval)
{

	return rw1(args, UIO_WRITE, false, retval);
}

static int
sys_pread64(struct lwp *l, const register_t *args, register_t *retval)
{

	return rw1(args, UIO_READ, true, retval);
}

static int
sys_pwrite64(struct lwp *l, const register_t *args, register_t *retval)
{

	return rw1(args, UIO_WRITE, true, retval);
}

static int
rwv(const register_t *args, enum uio_rw rw, register_t *retval)
{
	struct iovec small[UIO_SMALLIOV], *iov = small;
	struct uio uio;
	int iovcnt = SYSARG(int, 2);
	size_t total = 0, bytes;
	int i, error;

	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return EINVAL;
	bytes = sizeof(*iov) * (size_t)iovcnt;
	if (iovcnt > UIO_SMALLIOV && (iov = kmem_alloc(bytes)) == NULL)
		return ENOMEM;
	error = copyin(SYSARG(const void *, 1), iov, bytes);
	for (i = 0; error == 0 && i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total)
			error = EINVAL;
		else if (total + iov[i].iov_len > MAX_RW_COUNT)
			iov[i].iov_len = MAX_RW_COUNT - total;
		total += iov[i].iov_len;
	}
	if (error == 0) {
		uio.uio_iov = iov;
		uio.uio_iovcnt = iovcnt;
		uio.uio_offset = 0;
		uio.uio_resid = total;
		uio.uio_rw = rw;
		uio.uio_segflg = UIO_USERSPACE;
		error = dofileio(SYSARG(int, 0), &uio, false, retval);
	}
	if (iov != small)
		kmem_free(iov, bytes);
	return error;
}

static int
sys_readv(struct lwp *l, const register_t *args, register_t *retval)
{

	return rwv(args, UIO_READ, retval);
}

static int
sys_writev(struct lwp *l, const register_t *args, register_t *retval)
{

	return rwv(args, UIO_WRITE, retval);
}

static int
sys_lseek(struct lwp *l, const register_t *args, register_t *retval)
{
	struct file *fp;
	off_t newoff;
	int whence = SYSARG(int, 2);
	int error;

	fp = fd_getfile(SYSARG(int, 0));
	if (fp == NULL)
		return EBADF;
	if (fp->f_ops->fo_seek == NULL)
		error = ESPIPE;
	else if (whence < SEEK_SET || whence > SEEK_HOLE)
		error = EINVAL;
	else
		error = fp->f_ops->fo_seek(fp, SYSARG(off_t, 1), whence,
		    &newoff);
	if (error == 0)
		*retval = newoff;
	fd_putfile(fp);
	return error;
}

static int
ioctl_generic(struct file *fp, int fd, unsigned long cmd, void *data)
{
	int on, error;

	switch (cmd) {
	case FIOCLEX:
		return fd_setflags(fd, FD_CLOEXEC);
	case FIONCLEX:
		return fd_setflags(fd, 0);
	case FIONBIO:
		error = copyin(data, &on, sizeof(on));
		if (error != 0)
			return error;
		mutex_enter(&fp->f_lock);
		if (on)
			fp->f_flag |= O_NONBLOCK;
		else
			fp->f_flag &= ~(unsigned int)O_NONBLOCK;
		mutex_exit(&fp->f_lock);
		return 0;
	default:
		if (fp->f_ops->fo_ioctl == NULL)
			return ENOTTY;
		return fp->f_ops->fo_ioctl(fp, cmd, data);
	}
}

static int
sys_ioctl(struct lwp *l, const register_t *args, register_t *retval)
{
	struct file *fp;
	int error;

	fp = fd_getfile(SYSARG(int, 0));
	if (fp == NULL)
		return EBADF;
	error = ioctl_generic(fp, SYSARG(int, 0), SYSARG(unsigned long, 1),
	    SYSARG(void *, 2));
	fd_putfile(fp);
	return error;
}

void
kern_syscalls_generic_init(void)
{

	syscall_register(SYS_read, sys_read, "read");
	syscall_register(SYS_write, sys_write, "write");
	syscall_register(SYS_pread64, sys_pread64, "pread64");
	syscall_register(SYS_pwrite64, sys_pwrite64, "pwrite64");
	syscall_register(SYS_readv, sys_readv, "readv");
	syscall_register(SYS_writev, sys_writev, "writev");
	syscall_register(SYS_lseek, sys_lseek, "lseek");
	syscall_register(SYS_ioctl, sys_ioctl, "ioctl");
}
