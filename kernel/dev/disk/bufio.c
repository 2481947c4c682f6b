/*
 * bufio.c: the buffer cache's transfers: runs (one request for adjacent
 * buffers, see bufcache.h), bread() with read-ahead, bwrite() and
 * bawrite().
 *
 * bread() starts the read of the wanted block, then read-ahead: up to
 * ra following blocks that are not cached get buffers (only if there is
 * room without waiting) and are read asynchronously in runs, so that a
 * sequential reader finds them ready; then it waits for its own block.
 * Failed reads leave no valid buffer behind and return EIO.  A failed
 * write leaves the buffer dirty, for the next write-back to try again.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include "bufcache.h"

#define BUF_MAXRA	256		/* read-ahead blocks at most */

/* A bounce buffer waiting to be freed; overlays its first bytes. */
struct bounce {
	struct bounce	*bo_next;
	size_t		 bo_size;
};

/* ---- runs ------------------------------------------------------------ */

void
bufrun_reap(void)
{
	struct bounce *bo;

	KASSERT(mutex_owned(&bufcache.bc_lock));
	while ((bo = bufcache.bc_reap) != NULL) {
		bufcache.bc_reap = bo->bo_next;
		kmem_free(bo, bo->bo_size);
	}
}

void
bufwait_wait(struct bufwait *w)
{

	KASSERT(mutex_owned(&bufcache.bc_lock));
	while (w->bw_pending > 0)
		cv_wait(&bufcache.bc_cv, &bufcache.bc_lock);
}

static void
bufrun_copy(struct bufx *bx, char *bounce, bool out)
{
	struct buf *bp;

	for (; bx != NULL; bx = bx->bx_next) {
		bp = &bx->bx_buf;
		if (out)
			memcpy(bp->b_data, bounce, bp->b_size);
		else
			memcpy(bounce, bp->b_data, bp->b_size);
		bounce += bp->b_size;
	}
}

/* One buffer of a finished run; bc_lock held. */
static void
bufrun_finish(struct bufx *bx, int op, int error, bool unbusy)
{
	struct buf *bp = &bx->bx_buf;

	bp->b_error = error;
	if (error == 0 && op == BIO_READ)
		bp->b_flags |= B_VALID;
	else if (error == 0)
		buf_setclean(bx);
	bp->b_flags &= ~B_IO;
	bx->bx_bdv->bdv_nio--;
	bufcache.bc_nio--;
	if (unbusy)
		buf_unbusy(bx);
}

/*
 * A run finished.  This may run on a host thread without a CPU: it only
 * copies data, takes bc_lock, changes flags and lists and broadcasts.
 */
static void
bufrun_done(struct bdevio *bio, size_t done, int error)
{
	struct bufx *bx = container_of(bio, struct bufx, bx_io), *next;
	struct bufwait *w = bx->bx_wait;
	struct bounce *bo = (struct bounce *)bx->bx_bounce;
	size_t len = bio->bio_len;
	int op = bio->bio_op;
	bool unbusy = w == NULL || !w->bw_keepbusy;

	if (error == 0 && done != len)
		error = EIO;
	if (error == 0 && op == BIO_READ && bo != NULL)
		bufrun_copy(bx, (char *)bo, true);
	mutex_enter(&bufcache.bc_lock);
	for (; bx != NULL; bx = next) {
		next = bx->bx_next;
		bufrun_finish(bx, op, error, unbusy);
	}
	if (bo != NULL) {
		bo->bo_next = bufcache.bc_reap;
		bo->bo_size = len;
		bufcache.bc_reap = bo;
	}
	if (w != NULL) {
		w->bw_pending--;
		if (w->bw_error == 0)
			w->bw_error = error;
	}
	cv_broadcast(&bufcache.bc_cv);
	mutex_exit(&bufcache.bc_lock);
}

/* Start every buffer of a run as a run of its own (no bounce memory). */
static void
bufrun_split(struct bufx *bx, int op, struct bufwait *w)
{
	struct bufx *next;

	for (; bx != NULL; bx = next) {
		next = bx->bx_next;
		bx->bx_next = NULL;
		bufrun_start(bx, op, w);
	}
}

void
bufrun_start(struct bufx *first, int op, struct bufwait *w)
{
	struct bdev *bd = first->bx_buf.b_dev;
	struct bufx *bx;
	size_t n = 0, len = 0;
	char *bounce = NULL;

	for (bx = first; bx != NULL; bx = bx->bx_next) {
		n++;
		len += bx->bx_buf.b_size;
	}
	KASSERT(len <= BUF_MAXRUN);
	if (n > 1 && (bounce = kmem_alloc(len)) == NULL) {
		bufrun_split(first, op, w);
		return;
	}
	if (bounce != NULL && op == BIO_WRITE)
		bufrun_copy(first, bounce, false);
	mutex_enter(&bufcache.bc_lock);
	for (bx = first; bx != NULL; bx = bx->bx_next) {
		KASSERT(bx->bx_buf.b_flags & B_BUSY);
		bx->bx_buf.b_flags |= B_IO;
		bx->bx_bdv->bdv_nio++;
		bufcache.bc_nio++;
	}
	if (w != NULL)
		w->bw_pending++;
	mutex_exit(&bufcache.bc_lock);
	first->bx_bounce = bounce;
	first->bx_wait = w;
	first->bx_io = (struct bdevio){
		.bio_op = op,
		.bio_offset = first->bx_buf.b_offset,
		.bio_data = bounce != NULL ? bounce : first->bx_buf.b_data,
		.bio_len = len,
		.bio_done = bufrun_done,
	};
	bdev_strategy(bd, &first->bx_io);
}

/* ---- reading --------------------------------------------------------- */

/*
 * Read-ahead after reading the block at off: once the reader has used
 * up half of the window (the block ra / 2 ahead is not cached), give
 * the ra blocks after off that are not cached buffers and start reading
 * them, adjacent ones together.  So a sequential reader finds its blocks
 * ready and the requests are about ra / 2 blocks long.  bc_lock held;
 * dropped while starting runs.
 */
static void
buf_readahead(struct bdev *bd, uint64_t off, size_t size, int ra)
{
	struct bufx *run = NULL, *last = NULL, *bx;
	size_t len = 0;
	int i;

	ra = MIN(ra, BUF_MAXRA);
	if (buf_lookup(bd, off + size * (uint64_t)MAX(ra / 2, 1)) != NULL)
		return;
	for (i = 0, off += size; i < ra; i++, off += size) {
		if (off > bd->bd_size || size > bd->bd_size - off)
			break;
		bx = NULL;
		if (buf_lookup(bd, off) == NULL &&
		    (bx = buf_tryalloc(bd, off, size)) == NULL)
			break;
		if (run != NULL && (bx == NULL || len + size > BUF_MAXRUN)) {
			mutex_exit(&bufcache.bc_lock);
			bufrun_start(run, BIO_READ, NULL);
			mutex_enter(&bufcache.bc_lock);
			run = NULL;
		}
		if (bx == NULL)
			continue;
		bx->bx_next = NULL;
		if (run == NULL) {
			run = bx;
			len = 0;
		} else {
			last->bx_next = bx;
		}
		last = bx;
		len += size;
	}
	if (run != NULL) {
		mutex_exit(&bufcache.bc_lock);
		bufrun_start(run, BIO_READ, NULL);
		mutex_enter(&bufcache.bc_lock);
	}
}

int
bread(struct bdev *bd, uint64_t off, size_t size, int ra, struct buf **bpp)
{
	struct bufwait w = { .bw_keepbusy = true };
	struct buf *bp;
	bool valid;
	int error;

	if ((error = buf_check(bd, off, size)) != 0)
		return error;
	if ((bp = getblk(bd, off, size)) == NULL)
		return ENOMEM;
	mutex_enter(&bufcache.bc_lock);
	valid = (bp->b_flags & B_VALID) != 0;
	mutex_exit(&bufcache.bc_lock);
	if (!valid) {
		BX(bp)->bx_next = NULL;
		bufrun_start(BX(bp), BIO_READ, &w);
	}
	mutex_enter(&bufcache.bc_lock);
	if (ra > 0)
		buf_readahead(bd, off, size, ra);
	bufwait_wait(&w);
	mutex_exit(&bufcache.bc_lock);
	if (w.bw_error != 0) {
		printf("bufcache: %s: read error %d at %llu\n", bd->bd_name,
		    w.bw_error, (unsigned long long)off);
		binval(bp);
		return EIO;
	}
	*bpp = bp;
	return 0;
}

/* ---- writing --------------------------------------------------------- */

int
bwrite(struct buf *bp)
{
	struct bufwait w = { .bw_keepbusy = true };
	struct bdev *bd = bp->b_dev;
	uint64_t off = bp->b_offset;

	mutex_enter(&bufcache.bc_lock);
	buf_setdirty(BX(bp));
	mutex_exit(&bufcache.bc_lock);
	BX(bp)->bx_next = NULL;
	bufrun_start(BX(bp), BIO_WRITE, &w);
	mutex_enter(&bufcache.bc_lock);
	bufwait_wait(&w);
	buf_unbusy(BX(bp));
	mutex_exit(&bufcache.bc_lock);
	if (w.bw_error != 0)
		printf("bufcache: %s: write error %d at %llu\n", bd->bd_name,
		    w.bw_error, (unsigned long long)off);
	return w.bw_error;
}

void
bawrite(struct buf *bp)
{

	mutex_enter(&bufcache.bc_lock);
	buf_setdirty(BX(bp));
	mutex_exit(&bufcache.bc_lock);
	BX(bp)->bx_next = NULL;
	bufrun_start(BX(bp), BIO_WRITE, NULL);
}
