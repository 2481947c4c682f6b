/*
 * uio.h: scatter/gather I/O descriptions.  A uio describes a transfer
 * between the kernel and either the caller's memory (UIO_USERSPACE, moved
 * with copyin/copyout so it also works for remote clients) or kernel
 * memory (UIO_SYSSPACE).  The iovec array itself is in kernel memory.
 */
#ifndef _KERN_UIO_H_
#define _KERN_UIO_H_

#include <kern/types.h>
#include <abi/misc.h>

enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };

struct uio {
	struct iovec	*uio_iov;
	int		 uio_iovcnt;
	off_t		 uio_offset;
	size_t		 uio_resid;
	enum uio_rw	 uio_rw;
	enum uio_seg	 uio_segflg;
};

/* Move up to n bytes between buf and the uio, advancing it; 0 or EFAULT.
 * For UIO_READ data flows from buf to the uio. */
int	uiomove(void *buf, size_t n, struct uio *);
/* Set up a single-segment uio. */
void	uio_setup1(struct uio *, struct iovec *, void *, size_t, off_t,
	    enum uio_rw, enum uio_seg);

/* Copy between the calling process's memory and the kernel: 0/EFAULT. */
int	copyin(const void *uaddr, void *kaddr, size_t);
int	copyout(const void *kaddr, void *uaddr, size_t);
/* Copy a string of at most len bytes including the NUL: 0, EFAULT or
 * ENAMETOOLONG; *done (may be NULL) gets the length including the NUL. */
int	copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);

#endif /* _KERN_UIO_H_ */
