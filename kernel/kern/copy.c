/*
 * copy.c: moving data between the kernel and the calling process.
 *
 * Local clients share the kernel's address space, so a copy is a memcpy
 * after checking that the range is not obviously invalid (the first page
 * and wrap-around give EFAULT rather than a crash).  A remote client's
 * process (p_vmspace set: the sysproxy connection) is served by the
 * rumpuser_sp_* hypercalls, which ask the client for the data.
 */
#include <kern/types.h>
#include <kern/lwp.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>

#define USER_MINADDR	4096

static bool
uaddr_ok(const void *uaddr, size_t len)
{
	uintptr_t a = (uintptr_t)uaddr;

	return a >= USER_MINADDR && a + len >= a;
}

/* The remote client's cookie, or NULL for a local caller. */
static inline void *
remote(void)
{

	return curproc->p_vmspace;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (!uaddr_ok(uaddr, len))
		return EFAULT;
	if (__predict_false(remote() != NULL))
		return rumpuser_sp_copyin(remote(), uaddr, kaddr, len);
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (!uaddr_ok(uaddr, len))
		return EFAULT;
	if (__predict_false(remote() != NULL))
		return rumpuser_sp_copyout(remote(), kaddr, uaddr, len);
	memcpy(uaddr, kaddr, len);
	return 0;
}

static int
copyinstr_remote(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	size_t n = len;
	int error;

	error = rumpuser_sp_copyinstr(remote(), uaddr, kaddr, &n);
	if (error == 0 && done != NULL)
		*done = n;
	return error;
}

int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	size_t n;

	if (!uaddr_ok(uaddr, 1))
		return EFAULT;
	if (__predict_false(remote() != NULL))
		return copyinstr_remote(uaddr, kaddr, len, done);
	n = strnlen(uaddr, len);
	if (n == len)
		return ENAMETOOLONG;
	memcpy(kaddr, uaddr, n + 1);
	if (done != NULL)
		*done = n + 1;
	return 0;
}

int
uiomove(void *buf, size_t n, struct uio *uio)
{
	struct iovec *iov;
	size_t cnt;
	int error;

	while (n > 0 && uio->uio_resid > 0) {
		KASSERT(uio->uio_iovcnt > 0);
		iov = uio->uio_iov;
		cnt = MIN(iov->iov_len, n);
		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_segflg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, buf, cnt);
			else
				memcpy(buf, iov->iov_base, cnt);
		} else {
			error = uio->uio_rw == UIO_READ ?
			    copyout(buf, iov->iov_base, cnt) :
			    copyin(iov->iov_base, buf, cnt);
			if (error != 0)
				return error;
		}
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		buf = (char *)buf + cnt;
		n -= cnt;
	}
	return 0;
}

void
uio_setup1(struct uio *uio, struct iovec *iov, void *base, size_t len,
    off_t off, enum uio_rw rw, enum uio_seg seg)
{

	iov->iov_base = base;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = off;
	uio->uio_resid = len;
	uio->uio_rw = rw;
	uio->uio_segflg = seg;
}
