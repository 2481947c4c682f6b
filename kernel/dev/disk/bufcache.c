/*
 * bufcache.c: the buffer cache itself (component librumpdev_disk):
 * buffers hashed by (device, offset), locking them for one user at a
 * time, the clean LRU list, the per-device dirty lists and the memory
 * cap.  Transfers are bufio.c's, write-back bufwb.c's; the shared
 * structures and the locking rules are in bufcache.h.
 *
 * Memory: at most bc_max bytes of block data are cached: RUMP_BUFCACHE
 * (bytes, k/m/g suffixes), else a quarter of RUMP_MEMLIMIT, else 64 MiB.
 * A new buffer first reclaims clean idle buffers, oldest first; when
 * there are none it waits for requests in flight to finish, or writes
 * back dirty buffers itself.  When every buffer is locked by a user, no
 * waiting would help, and the new buffer is allowed past the cap.
 * Dirty data is held to half the cap: bdwrite() past that writes back
 * all idle dirty buffers before returning.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/component.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>
#include <dev/buf.h>
#include "bufcache.h"

#define BUFCACHE_DEFAULT	(64ULL * 1024 * 1024)
#define BUFCACHE_MIN		(256ULL * 1024)
#define BUFCACHE_HASHMIN	64
#define BUFCACHE_HASHMAX	(1U << 18)

struct bufcache bufcache;

/* ---- lookup ---------------------------------------------------------- */

static size_t
buf_hash(const struct bdev *bd, uint64_t off)
{
	uint64_t h;

	h = ((uint64_t)(uintptr_t)bd >> 4) ^ (off >> 9);
	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & bufcache.bc_hashmask;
}

struct bufx *
buf_lookup(const struct bdev *bd, uint64_t off)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bufcache.bc_lock));
	LIST_FOREACH(bp, &bufcache.bc_hash[buf_hash(bd, off)], b_hash)
		if (bp->b_dev == bd && bp->b_offset == off)
			return BX(bp);
	return NULL;
}

struct bufdev *
bufdev_find(const struct bdev *bd)
{
	struct bufdev *bdv;

	LIST_FOREACH(bdv, &bufcache.bc_devs, bdv_list)
		if (bdv->bdv_dev == bd)
			return bdv;
	return NULL;
}

int
buf_check(const struct bdev *bd, uint64_t off, size_t size)
{

	if (size == 0 || size > BUF_MAXSIZE || size % bd->bd_secsize != 0 ||
	    off % bd->bd_secsize != 0)
		return EINVAL;
	if (off > bd->bd_size || size > bd->bd_size - off)
		return EIO;
	return 0;
}

/* ---- buffers --------------------------------------------------------- */

static struct bufdev *
bufdev_get(struct bdev *bd)
{
	struct bufdev *bdv;

	if ((bdv = bufdev_find(bd)) != NULL)
		return bdv;
	if ((bdv = kmem_zalloc(sizeof(*bdv))) == NULL)
		return NULL;
	bdv->bdv_dev = bd;
	TAILQ_INIT(&bdv->bdv_dirty);
	LIST_INSERT_HEAD(&bufcache.bc_devs, bdv, bdv_list);
	return bdv;
}

/* Free an idle buffer, or one the caller holds busy. */
static void
buf_destroy(struct bufx *bx)
{
	struct buf *bp = &bx->bx_buf;
	struct bufdev *bdv = bx->bx_bdv;

	KASSERT((bp->b_flags & B_IO) == 0);
	if ((bp->b_flags & (B_BUSY | B_DIRTY)) == 0)
		TAILQ_REMOVE(&bufcache.bc_lru, bp, b_lru);
	buf_setclean(bx);
	if (bp->b_flags & B_WANTED)
		cv_broadcast(&bufcache.bc_cv);
	LIST_REMOVE(bp, b_hash);
	bufcache.bc_cached -= bp->b_size;
	if (--bdv->bdv_nbufs == 0) {
		KASSERT(TAILQ_EMPTY(&bdv->bdv_dirty) && bdv->bdv_nio == 0);
		LIST_REMOVE(bdv, bdv_list);
		kmem_free(bdv, sizeof(*bdv));
	}
	kmem_free(bp->b_data, bp->b_size);
	kmem_free(bx, sizeof(*bx));
}

/* Reclaim the oldest clean idle buffer; false if there is none. */
static bool
buf_reclaim(void)
{
	struct buf *bp;

	if ((bp = TAILQ_FIRST(&bufcache.bc_lru)) == NULL)
		return false;
	buf_destroy(BX(bp));
	return true;
}

static void *
buf_allocdata(size_t size)
{
	void *data;

	while ((data = kmem_alloc(size)) == NULL)
		if (!buf_reclaim())
			return NULL;
	return data;
}

/* A new busy, invalid buffer; NULL on ENOMEM. */
static struct bufx *
buf_new(struct bdev *bd, uint64_t off, size_t size)
{
	struct bufdev *bdv;
	struct bufx *bx;
	void *data;

	if ((bx = kmem_zalloc(sizeof(*bx))) == NULL)
		return NULL;
	if ((data = buf_allocdata(size)) == NULL ||
	    (bdv = bufdev_get(bd)) == NULL) {
		if (data != NULL)
			kmem_free(data, size);
		kmem_free(bx, sizeof(*bx));
		return NULL;
	}
	bx->bx_bdv = bdv;
	bx->bx_buf = (struct buf){
		.b_dev = bd, .b_offset = off, .b_size = size, .b_data = data,
		.b_flags = B_BUSY,
	};
	LIST_INSERT_HEAD(&bufcache.bc_hash[buf_hash(bd, off)], &bx->bx_buf,
	    b_hash);
	bdv->bdv_nbufs++;
	bufcache.bc_cached += size;
	return bx;
}

/*
 * Make room for size more bytes of data: 0 to go ahead (past the cap
 * if every buffer is locked by a user), EAGAIN after sleeping or
 * dropping the lock (look the block up again), EWOULDBLOCK if there is
 * no room and the caller cannot wait.
 */
static int
buf_makeroom(size_t size, bool canwait)
{
	struct bufx *list;

	while (bufcache.bc_cached + size > bufcache.bc_max) {
		if (buf_reclaim())
			continue;
		if (!canwait)
			return EWOULDBLOCK;
		if (bufcache.bc_nio > 0) {
			cv_wait(&bufcache.bc_cv, &bufcache.bc_lock);
			return EAGAIN;
		}
		if ((list = bufwb_take(NULL)) == NULL)
			return 0;
		mutex_exit(&bufcache.bc_lock);
		bufwb_write(list);
		mutex_enter(&bufcache.bc_lock);
		return EAGAIN;
	}
	return 0;
}

struct bufx *
buf_tryalloc(struct bdev *bd, uint64_t off, size_t size)
{

	KASSERT(mutex_owned(&bufcache.bc_lock));
	if (buf_makeroom(size, false) != 0)
		return NULL;
	return buf_new(bd, off, size);
}

/* An idle buffer of another size is in the way; false if it is dirty. */
static bool
buf_resize(struct bufx *bx, size_t size)
{
	struct buf *bp = &bx->bx_buf;

	if (bp->b_flags & B_DIRTY) {
		printf("bufcache: %s: block at %llu cached dirty as %zu "
		    "bytes, wanted as %zu\n", bp->b_dev->bd_name,
		    (unsigned long long)bp->b_offset, bp->b_size, size);
		return false;
	}
	buf_destroy(bx);
	return true;
}

struct buf *
getblk(struct bdev *bd, uint64_t off, size_t size)
{
	struct bufx *bx;
	struct buf *bp;

	if (buf_check(bd, off, size) != 0)
		return NULL;
	mutex_enter(&bufcache.bc_lock);
	bufrun_reap();
	for (;;) {
		if ((bx = buf_lookup(bd, off)) == NULL) {
			if (buf_makeroom(size, true) == EAGAIN)
				continue;
			bx = buf_new(bd, off, size);
			break;
		}
		bp = &bx->bx_buf;
		if (bp->b_flags & B_BUSY) {
			bp->b_flags |= B_WANTED;
			cv_wait(&bufcache.bc_cv, &bufcache.bc_lock);
			continue;
		}
		if (bp->b_size != size) {
			if (buf_resize(bx, size))
				continue;
			bx = NULL;
			break;
		}
		if ((bp->b_flags & B_DIRTY) == 0)
			TAILQ_REMOVE(&bufcache.bc_lru, bp, b_lru);
		bp->b_flags |= B_BUSY;
		break;
	}
	mutex_exit(&bufcache.bc_lock);
	return bx != NULL ? &bx->bx_buf : NULL;
}

/* ---- state changes (bc_lock held) ------------------------------------ */

/* Unlock: a clean buffer goes on the LRU, at its end if valid, at its
 * start (first to go) if not. */
void
buf_unbusy(struct bufx *bx)
{
	struct buf *bp = &bx->bx_buf;

	KASSERT((bp->b_flags & (B_BUSY | B_IO)) == B_BUSY);
	if ((bp->b_flags & B_DIRTY) == 0) {
		if (bp->b_flags & B_VALID)
			TAILQ_INSERT_TAIL(&bufcache.bc_lru, bp, b_lru);
		else
			TAILQ_INSERT_HEAD(&bufcache.bc_lru, bp, b_lru);
	}
	if (bp->b_flags & B_WANTED)
		cv_broadcast(&bufcache.bc_cv);
	bp->b_flags &= ~(B_BUSY | B_WANTED);
}

void
buf_setdirty(struct bufx *bx)
{
	struct buf *bp = &bx->bx_buf;

	bp->b_flags |= B_VALID;
	if (bp->b_flags & B_DIRTY)
		return;
	bp->b_flags |= B_DIRTY;
	TAILQ_INSERT_TAIL(&bx->bx_bdv->bdv_dirty, bp, b_dirty);
	bufcache.bc_dirty += bp->b_size;
}

void
buf_setclean(struct bufx *bx)
{
	struct buf *bp = &bx->bx_buf;

	if ((bp->b_flags & B_DIRTY) == 0)
		return;
	bp->b_flags &= ~B_DIRTY;
	TAILQ_REMOVE(&bx->bx_bdv->bdv_dirty, bp, b_dirty);
	bufcache.bc_dirty -= bp->b_size;
}

/* ---- the rest of buf.h ----------------------------------------------- */

void
brelse(struct buf *bp)
{

	mutex_enter(&bufcache.bc_lock);
	buf_unbusy(BX(bp));
	mutex_exit(&bufcache.bc_lock);
}

void
bdwrite(struct buf *bp)
{
	struct bufx *list = NULL;

	mutex_enter(&bufcache.bc_lock);
	buf_setdirty(BX(bp));
	buf_unbusy(BX(bp));
	if (bufcache.bc_dirty > bufcache.bc_max / 2)
		list = bufwb_take(NULL);
	mutex_exit(&bufcache.bc_lock);
	if (list != NULL)
		bufwb_write(list);
}

void
binval(struct buf *bp)
{

	mutex_enter(&bufcache.bc_lock);
	KASSERT((bp->b_flags & (B_BUSY | B_IO)) == B_BUSY);
	buf_destroy(BX(bp));
	mutex_exit(&bufcache.bc_lock);
}

void
bpurge(struct bdev *bd)
{
	struct buf *bp, *next;
	struct bufdev *bdv;
	unsigned int dropped = 0;

	mutex_enter(&bufcache.bc_lock);
	bufrun_reap();
	TAILQ_FOREACH_SAFE(bp, &bufcache.bc_lru, b_lru, next)
		if (bp->b_dev == bd)
			buf_destroy(BX(bp));
	if ((bdv = bufdev_find(bd)) != NULL) {
		TAILQ_FOREACH_SAFE(bp, &bdv->bdv_dirty, b_dirty, next) {
			if ((bp->b_flags & B_BUSY) == 0) {
				buf_destroy(BX(bp));
				dropped++;
			}
		}
	}
	if (dropped != 0)
		printf("bufcache: %s: dropped %u unwritten blocks\n",
		    bd->bd_name, dropped);
	if ((bdv = bufdev_find(bd)) != NULL)
		printf("bufcache: %s: %u buffers still in use\n",
		    bd->bd_name, bdv->bdv_nbufs);
	mutex_exit(&bufcache.bc_lock);
}

void
bufcache_stats(uint64_t *cached, uint64_t *dirty, uint64_t *max)
{

	mutex_enter(&bufcache.bc_lock);
	*cached = bufcache.bc_cached;
	*dirty = bufcache.bc_dirty;
	*max = bufcache.bc_max;
	mutex_exit(&bufcache.bc_lock);
}

/* ---- boot ------------------------------------------------------------ */

static int
bufcache_cap(uint64_t *capp)
{
	char buf[32];
	uint64_t v;
	int error;

	error = rumpuser_getparam("RUMP_BUFCACHE", buf, sizeof(buf));
	if (error == 0) {
		if (strtou64(buf, &v, true) != 0) {
			printf("bufcache: bad value for RUMP_BUFCACHE\n");
			return EINVAL;
		}
	} else if (error != ENOENT) {
		return error;
	} else if (kmem_limit() != 0) {
		v = kmem_limit() / 4;
	} else {
		v = BUFCACHE_DEFAULT;
	}
	*capp = MAX(v, BUFCACHE_MIN);
	return 0;
}

static int
bufcache_sysctl(void)
{
	static const struct {
		const char	*name;
		uint64_t	*var;
		const char	*descr;
	} nodes[] = {
		{ "vfs.bufcache.max", &bufcache.bc_max, "cap (bytes)" },
		{ "vfs.bufcache.cached", &bufcache.bc_cached, "bytes cached" },
		{ "vfs.bufcache.dirty", &bufcache.bc_dirty, "bytes unwritten" },
	};
	size_t i;
	int error;

	for (i = 0; i < __arraycount(nodes); i++)
		if ((error = sysctl_create(nodes[i].name, CTLTYPE_QUAD,
		    CTLFLAG_READONLY, nodes[i].var, sizeof(uint64_t),
		    nodes[i].descr)) != 0)
			return error;
	return 0;
}

static int
bufcache_init(void)
{
	size_t n;
	int error;

	if ((error = bufcache_cap(&bufcache.bc_max)) != 0)
		return error;
	for (n = BUFCACHE_HASHMIN; n < BUFCACHE_HASHMAX &&
	    n < bufcache.bc_max / 8192; n *= 2)
		continue;
	bufcache.bc_hash = kmem_zalloc(n * sizeof(*bufcache.bc_hash));
	if (bufcache.bc_hash == NULL)
		return ENOMEM;
	bufcache.bc_hashmask = n - 1;
	mutex_init(&bufcache.bc_lock, MUTEX_DEFAULT);
	cv_init(&bufcache.bc_cv);
	TAILQ_INIT(&bufcache.bc_lru);
	LIST_INIT(&bufcache.bc_devs);
	return bufcache_sysctl();
}

RUMP_COMPONENT(RUMP_COMPONENT_DEV, bufcache, bufcache_init, NULL)
