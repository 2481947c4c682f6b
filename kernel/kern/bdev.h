/*
 * bdev.h: block devices.  A driver (etfs host disks, md RAM disks)
 * registers a struct bdev under a device number; file systems and device
 * vnodes find it by number and submit I/O requests to its strategy
 * routine, which completes them asynchronously through bio_done (possibly
 * on a host thread without a CPU: the completion may only use mutexes and
 * condition variables).
 *
 * Locking: bdev_lock (in bdev.c) protects the registry, bd_opens and
 * bd_refs; the rest of a bdev is constant while it is registered.
 */
#ifndef _KERN_BDEV_H_
#define _KERN_BDEV_H_

#include <kern/types.h>
#include <lib/queue.h>

struct bdev;

#define BIO_READ	1
#define BIO_WRITE	2
#define BIO_FLUSH	3	/* make completed writes durable */

struct bdevio {
	int		 bio_op;	/* BIO_* */
	uint64_t	 bio_offset;	/* bytes, multiple of bd_secsize */
	void		*bio_data;
	size_t		 bio_len;	/* multiple of bd_secsize */
	/* Called once with the bytes transferred and 0 or an errno. */
	void		(*bio_done)(struct bdevio *, size_t, int);
	void		*bio_arg;	/* for the submitter */
};

struct bdevops {
	void	(*bd_strategy)(struct bdev *, struct bdevio *);
	/* The driver is being unregistered: release its resources. */
	void	(*bd_detach)(struct bdev *);
};

struct bdev {
	const struct bdevops	*bd_ops;	/* constant */
	void			*bd_data;	/* driver's */
	dev_t			 bd_dev;	/* set by bdev_register */
	uint64_t		 bd_size;	/* bytes */
	uint32_t		 bd_secsize;	/* bytes, a power of two */
	bool			 bd_rdonly;
	char			 bd_name[32];	/* e.g. "md0" */
	int			 bd_opens;	/* bdev_lock: exclusive users */
	int			 bd_refs;	/* bdev_lock: bdev_acquire */
	LIST_ENTRY(bdev)	 bd_list;	/* bdev_lock */
};

/* Major numbers of the drivers. */
#define BDEV_MAJOR_ETFS	254
#define BDEV_MAJOR_MD	253

/* Register bd under (major, the lowest free minor); sets bd_dev. */
int	bdev_register(struct bdev *, uint32_t major);
/* Unregister: EBUSY while opened exclusively; else waits for the
 * bdev_acquire holders to let go, then calls bd_detach. */
int	bdev_unregister(struct bdev *);
/* Find a registered device; NULL if none. */
struct bdev *bdev_lookup(dev_t);
/* Find a registered device and keep it registered until bdev_release
 * (device nodes hold it for one operation); NULL if none. */
struct bdev *bdev_acquire(dev_t);
void	bdev_release(struct bdev *);
/* Claim a device for exclusive use (a mount): 0, ENXIO, EBUSY; EROFS
 * asking for write access to a read-only device. */
int	bdev_open(dev_t, bool write, struct bdev **);
void	bdev_close(struct bdev *);
/* Start a request asynchronously: bio_done is called exactly once, maybe
 * before this returns.  A request that is not whole sectors inside the
 * device completes with EINVAL (misaligned) or EIO (outside), a write to
 * a read-only device with EROFS.  BIO_FLUSH takes no data. */
void	bdev_strategy(struct bdev *, struct bdevio *);
/* Synchronous I/O of whole sectors: 0 or errno (EIO for a short
 * transfer). */
int	bdev_rw(struct bdev *, int op, void *, size_t, uint64_t);
/* Synchronous I/O at any offset and length (read-modify-write of the
 * partial sectors at either end); *done gets the bytes moved.  Reads
 * stop at the end of the device (0, *done short); writes past it fail
 * with ENOSPC once what fits is written. */
int	bdev_rw_unaligned(struct bdev *, int op, void *, size_t, uint64_t,
	    size_t *done);
void	bdev_init(void);

#endif /* _KERN_BDEV_H_ */
