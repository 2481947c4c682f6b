/*
 * spec.c: device nodes as open files.  A VBLK or VCHR vnode of any file
 * system stands for the block device registered under its v_rdev
 * (kern/bdev.h): opening it checks that a driver is there (ENXIO) and
 * that it may be written (EROFS), and reads, writes, lseek(SEEK_END),
 * fsync and the size ioctls go to the device, never to the file system
 * holding the node.  The device is looked up again for every operation
 * and held (bdev_acquire) only while that operation runs, so a driver
 * can go away under an open node: later operations fail with ENXIO.
 *
 * Transfers move through a kernel bounce buffer, SPEC_BUFSIZE at a
 * time, at any offset and length (bdev_rw_unaligned).  Reads stop at
 * the end of the device; a write that would pass it writes what fits,
 * then fails with ENOSPC.  O_APPEND means nothing to a device; O_SYNC
 * and O_DSYNC writes flush the device before returning.
 *
 * No locks of its own: the caller's f_lock keeps the file offset
 * atomic, and the vnode lock is not needed (the node's attributes are
 * not touched).
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kmem.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/statfs.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/vfs_syscalls.h>

#define SPEC_BUFSIZE	65536

/* Linux block device ioctls. */
#define BLKGETSIZE64	0x80081272	/* uint64_t: size in bytes */
#define BLKSSZGET	0x1268		/* int: sector size */

bool
spec_isdev(const struct vnode *vp)
{

	return vp->v_type == VBLK || vp->v_type == VCHR;
}

int
spec_open(struct vnode *vp, int flags)
{
	struct bdev *bd;
	int error = 0;

	if (vp->v_mount->mnt_flag & MS_NODEV)
		return EACCES;
	if ((bd = bdev_acquire(vp->v_rdev)) == NULL)
		return ENXIO;
	if ((flags & O_ACCMODE) != O_RDONLY && bd->bd_rdonly)
		error = EROFS;
	bdev_release(bd);
	return error;
}

/* Take the bytes of one chunk of a write from the uio; on a fault none
 * count as taken. */
static int
spec_take(char *buf, size_t len, struct uio *uio)
{
	size_t resid = uio->uio_resid;
	int error;

	if ((error = uiomove(buf, len, uio)) != 0) {
		uio->uio_offset -= (off_t)(resid - uio->uio_resid);
		uio->uio_resid = resid;
	}
	return error;
}

static int
spec_read(struct bdev *bd, char *buf, size_t bufsize, struct uio *uio)
{
	size_t len, done;
	int error = 0;

	while (uio->uio_resid > 0 && error == 0) {
		len = MIN(bufsize, uio->uio_resid);
		error = bdev_rw_unaligned(bd, BIO_READ, buf, len,
		    (uint64_t)uio->uio_offset, &done);
		if (error == 0 && done > 0)
			error = uiomove(buf, done, uio);
		if (done < len)
			break;
	}
	return error;
}

static int
spec_write(struct bdev *bd, char *buf, size_t bufsize, struct uio *uio)
{
	size_t len, done;
	int error = 0;

	while (uio->uio_resid > 0 && error == 0) {
		len = MIN(bufsize, uio->uio_resid);
		if ((error = spec_take(buf, len, uio)) != 0)
			break;
		error = bdev_rw_unaligned(bd, BIO_WRITE, buf, len,
		    (uint64_t)uio->uio_offset - len, &done);
		uio->uio_resid += len - done;
		uio->uio_offset -= (off_t)(len - done);
	}
	return error;
}

int
spec_rdwr(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct bdev *bd;
	size_t bufsize;
	char *buf;
	int error;

	if (uio->uio_resid == 0)
		return 0;
	if ((bd = bdev_acquire(vp->v_rdev)) == NULL)
		return ENXIO;
	bufsize = MIN(uio->uio_resid, SPEC_BUFSIZE);
	if ((buf = kmem_alloc(bufsize)) == NULL) {
		bdev_release(bd);
		return ENOMEM;
	}
	if (uio->uio_rw == UIO_READ)
		error = spec_read(bd, buf, bufsize, uio);
	else
		error = spec_write(bd, buf, bufsize, uio);
	if (error == 0 && uio->uio_rw == UIO_WRITE &&
	    (ioflag & (IO_SYNC | IO_DSYNC)))
		error = bdev_rw(bd, BIO_FLUSH, NULL, 0, 0);
	kmem_free(buf, bufsize);
	bdev_release(bd);
	return error;
}

int
spec_size(struct vnode *vp, off_t *sizep)
{
	struct bdev *bd;

	if ((bd = bdev_acquire(vp->v_rdev)) == NULL)
		return ENXIO;
	*sizep = (off_t)bd->bd_size;
	bdev_release(bd);
	return 0;
}

int
spec_fsync(struct vnode *vp)
{
	struct bdev *bd;
	int error;

	if ((bd = bdev_acquire(vp->v_rdev)) == NULL)
		return ENXIO;
	error = bdev_rw(bd, BIO_FLUSH, NULL, 0, 0);
	bdev_release(bd);
	return error;
}

/* udata is the caller's pointer. */
int
spec_ioctl(struct vnode *vp, unsigned long cmd, void *udata)
{
	struct bdev *bd;
	uint64_t size;
	int secsize, error;

	if ((bd = bdev_acquire(vp->v_rdev)) == NULL)
		return ENXIO;
	switch (cmd) {
	case BLKGETSIZE64:
		size = bd->bd_size;
		error = copyout(&size, udata, sizeof(size));
		break;
	case BLKSSZGET:
		secsize = (int)bd->bd_secsize;
		error = copyout(&secsize, udata, sizeof(secsize));
		break;
	default:
		error = ENOTTY;
		break;
	}
	bdev_release(bd);
	return error;
}
