/*
 * bdev.c: the block device registry and synchronous block I/O.
 *
 * Owns the list of registered devices (struct bdev, declared in bdev.h),
 * minor number allocation per major, exclusive opens, and the helpers
 * that turn the drivers' asynchronous strategy routines into synchronous
 * calls: bdev_rw for whole sectors and bdev_rw_unaligned for any byte
 * range (partial sectors by read-modify-write through a one-sector
 * bounce buffer).  It does not cache anything: that is the buffer cache
 * (kernel/dev/disk).
 *
 * A synchronous request sleeps on one of a few mutex/condvar pairs
 * chosen by the address of its wait record; the completion may run on a
 * host thread with no CPU or lwp, so it only takes that mutex, sets the
 * result and broadcasts.
 *
 * Locks: bdev_lock protects the registry, bd_opens and bd_refs (bdev_cv:
 * a bd_refs dropped to 0); bdev_rmwlock serialises read-modify-write of
 * partial sectors, so that two writers of different bytes of one sector
 * do not undo each other; a wait queue's bw_lock protects the wait
 * records hashed to it.  Order: bdev_rmwlock, then a wait queue lock;
 * bdev_lock is never held with another of these.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>
#include <abi/stat.h>

#define BDEV_MINORS	(1U << 20)	/* Linux minors are 20 bits */
#define BDEV_SECMIN	512
#define BDEV_SECMAX	65536
#define BDEV_NWAITQ	8		/* a power of two */

static kmutex_t bdev_lock;
static kcondvar_t bdev_cv;
static LIST_HEAD(, bdev) bdev_list;	/* bdev_lock */
static kmutex_t bdev_rmwlock;

static struct bdev_waitq {
	kmutex_t	bw_lock;
	kcondvar_t	bw_cv;		/* bw_lock: a request finished */
} bdev_waitq[BDEV_NWAITQ];

/* One synchronous request; on the waiter's stack. */
struct bdev_wait {
	struct bdev_waitq *w_q;		/* constant */
	bool		 w_finished;	/* w_q->bw_lock */
	size_t		 w_done;	/* w_q->bw_lock */
	int		 w_error;	/* w_q->bw_lock */
};

void
bdev_init(void)
{
	size_t i;

	mutex_init(&bdev_lock, MUTEX_DEFAULT);
	cv_init(&bdev_cv);
	mutex_init(&bdev_rmwlock, MUTEX_DEFAULT);
	LIST_INIT(&bdev_list);
	for (i = 0; i < BDEV_NWAITQ; i++) {
		mutex_init(&bdev_waitq[i].bw_lock, MUTEX_DEFAULT);
		cv_init(&bdev_waitq[i].bw_cv);
	}
}

/* ---- registry -------------------------------------------------------- */

static struct bdev *
bdev_find(dev_t dev)
{
	struct bdev *bd;

	KASSERT(mutex_owned(&bdev_lock));
	LIST_FOREACH(bd, &bdev_list, bd_list)
		if (bd->bd_dev == dev)
			return bd;
	return NULL;
}

static bool
bdev_valid(const struct bdev *bd)
{
	uint32_t ss = bd->bd_secsize;

	return bd->bd_ops != NULL && bd->bd_ops->bd_strategy != NULL &&
	    ss >= BDEV_SECMIN && ss <= BDEV_SECMAX && (ss & (ss - 1)) == 0 &&
	    bd->bd_size % ss == 0;
}

int
bdev_register(struct bdev *bd, uint32_t major)
{
	uint32_t minor;
	int error = ENOSPC;

	if (!bdev_valid(bd) || major == 0 || major > 0xfff)
		return EINVAL;
	mutex_enter(&bdev_lock);
	for (minor = 0; minor < BDEV_MINORS; minor++) {
		if (bdev_find(makedev(major, minor)) == NULL) {
			bd->bd_dev = makedev(major, minor);
			bd->bd_opens = 0;
			bd->bd_refs = 0;
			LIST_INSERT_HEAD(&bdev_list, bd, bd_list);
			error = 0;
			break;
		}
	}
	mutex_exit(&bdev_lock);
	return error;
}

int
bdev_unregister(struct bdev *bd)
{

	mutex_enter(&bdev_lock);
	if (bd->bd_opens != 0) {
		mutex_exit(&bdev_lock);
		return EBUSY;
	}
	LIST_REMOVE(bd, bd_list);
	while (bd->bd_refs > 0)
		cv_wait(&bdev_cv, &bdev_lock);
	mutex_exit(&bdev_lock);
	if (bd->bd_ops->bd_detach != NULL)
		bd->bd_ops->bd_detach(bd);
	return 0;
}

struct bdev *
bdev_lookup(dev_t dev)
{
	struct bdev *bd;

	mutex_enter(&bdev_lock);
	bd = bdev_find(dev);
	mutex_exit(&bdev_lock);
	return bd;
}

struct bdev *
bdev_acquire(dev_t dev)
{
	struct bdev *bd;

	mutex_enter(&bdev_lock);
	if ((bd = bdev_find(dev)) != NULL)
		bd->bd_refs++;
	mutex_exit(&bdev_lock);
	return bd;
}

void
bdev_release(struct bdev *bd)
{

	mutex_enter(&bdev_lock);
	KASSERT(bd->bd_refs > 0);
	if (--bd->bd_refs == 0)
		cv_broadcast(&bdev_cv);
	mutex_exit(&bdev_lock);
}

int
bdev_open(dev_t dev, bool write, struct bdev **bdp)
{
	struct bdev *bd;
	int error = 0;

	mutex_enter(&bdev_lock);
	if ((bd = bdev_find(dev)) == NULL)
		error = ENXIO;
	else if (write && bd->bd_rdonly)
		error = EROFS;
	else if (bd->bd_opens != 0)
		error = EBUSY;
	else
		bd->bd_opens = 1;
	mutex_exit(&bdev_lock);
	if (error == 0)
		*bdp = bd;
	return error;
}

void
bdev_close(struct bdev *bd)
{

	mutex_enter(&bdev_lock);
	KASSERT(bd->bd_opens == 1);
	bd->bd_opens = 0;
	mutex_exit(&bdev_lock);
}

/* ---- requests -------------------------------------------------------- */

/* 0 if the request may go to the driver, else the errno to fail it. */
static int
bdev_checkio(const struct bdev *bd, const struct bdevio *bio)
{

	switch (bio->bio_op) {
	case BIO_FLUSH:
		return 0;
	case BIO_READ:
		break;
	case BIO_WRITE:
		if (bd->bd_rdonly)
			return EROFS;
		break;
	default:
		return EINVAL;
	}
	if (bio->bio_offset % bd->bd_secsize != 0 ||
	    bio->bio_len % bd->bd_secsize != 0)
		return EINVAL;
	if (bio->bio_offset > bd->bd_size ||
	    bio->bio_len > bd->bd_size - bio->bio_offset)
		return EIO;
	return 0;
}

void
bdev_strategy(struct bdev *bd, struct bdevio *bio)
{
	int error;

	if ((error = bdev_checkio(bd, bio)) != 0) {
		bio->bio_done(bio, 0, error);
		return;
	}
	if (bio->bio_len == 0 && bio->bio_op != BIO_FLUSH) {
		bio->bio_done(bio, 0, 0);
		return;
	}
	bd->bd_ops->bd_strategy(bd, bio);
}

/* May run on a host thread without a CPU: lock, note, wake only. */
static void
bdev_wakeup(struct bdevio *bio, size_t done, int error)
{
	struct bdev_wait *w = bio->bio_arg;
	struct bdev_waitq *q = w->w_q;

	mutex_enter(&q->bw_lock);
	w->w_done = done;
	w->w_error = error;
	w->w_finished = true;
	cv_broadcast(&q->bw_cv);
	mutex_exit(&q->bw_lock);
}

int
bdev_rw(struct bdev *bd, int op, void *data, size_t len, uint64_t off)
{
	struct bdev_wait w;
	struct bdevio bio = {
		.bio_op = op, .bio_offset = off, .bio_data = data,
		.bio_len = len, .bio_done = bdev_wakeup, .bio_arg = &w,
	};

	w = (struct bdev_wait){
		.w_q = &bdev_waitq[((uintptr_t)&w >> 6) & (BDEV_NWAITQ - 1)],
	};
	bdev_strategy(bd, &bio);
	mutex_enter(&w.w_q->bw_lock);
	while (!w.w_finished)
		cv_wait(&w.w_q->bw_cv, &w.w_q->bw_lock);
	mutex_exit(&w.w_q->bw_lock);
	if (w.w_error != 0)
		return w.w_error;
	return op == BIO_FLUSH || w.w_done == len ? 0 : EIO;
}

/* ---- any byte range -------------------------------------------------- */

/*
 * Move len bytes (less than one sector, not crossing a sector boundary)
 * at off through the bounce sector sec.
 */
static int
bdev_rw_partial(struct bdev *bd, int op, char *data, size_t len,
    uint64_t off, char *sec)
{
	uint64_t soff = off - off % bd->bd_secsize;
	size_t skip = (size_t)(off - soff);
	int error;

	if (op == BIO_READ) {
		if ((error = bdev_rw(bd, BIO_READ, sec, bd->bd_secsize,
		    soff)) == 0)
			memcpy(data, sec + skip, len);
		return error;
	}
	mutex_enter(&bdev_rmwlock);
	if ((error = bdev_rw(bd, BIO_READ, sec, bd->bd_secsize, soff)) == 0) {
		memcpy(sec + skip, data, len);
		error = bdev_rw(bd, BIO_WRITE, sec, bd->bd_secsize, soff);
	}
	mutex_exit(&bdev_rmwlock);
	return error;
}

/* The next piece of a transfer at off: a partial sector or whole ones. */
static size_t
bdev_piece(const struct bdev *bd, size_t len, uint64_t off)
{
	size_t ss = bd->bd_secsize, skip = (size_t)(off % ss);

	if (skip != 0)
		return MIN(len, ss - skip);
	if (len < ss)
		return len;
	return len - len % ss;
}

int
bdev_rw_unaligned(struct bdev *bd, int op, void *data, size_t len,
    uint64_t off, size_t *donep)
{
	char *p = data, *sec = NULL;
	size_t n, done = 0;
	bool clipped = false;
	int error = 0;

	*donep = 0;
	if (op != BIO_READ && op != BIO_WRITE)
		return EINVAL;
	if (off >= bd->bd_size)
		return op == BIO_READ || len == 0 ? 0 : ENOSPC;
	if (len > bd->bd_size - off) {
		len = (size_t)(bd->bd_size - off);
		clipped = true;
	}
	while (done < len) {
		n = bdev_piece(bd, len - done, off + done);
		if (n % bd->bd_secsize == 0) {
			if ((error = bdev_rw(bd, op, p + done, n,
			    off + done)) != 0)
				break;
		} else {
			if (sec == NULL &&
			    (sec = kmem_alloc(bd->bd_secsize)) == NULL) {
				error = ENOMEM;
				break;
			}
			if ((error = bdev_rw_partial(bd, op, p + done, n,
			    off + done, sec)) != 0)
				break;
		}
		done += n;
	}
	if (sec != NULL)
		kmem_free(sec, bd->bd_secsize);
	*donep = done;
	if (error == 0 && clipped && op == BIO_WRITE)
		error = ENOSPC;
	return error;
}
