/*
 * bufwb.c: write-back.  The dirty buffers that nobody holds are taken
 * (locked), sorted by device and offset, and cut into runs of adjacent
 * blocks of up to BUF_MAXRUN bytes, each written with one request; at
 * most BUFWB_INFLIGHT runs are in flight at a time, which bounds the
 * bounce memory.  Used by bflush(), and by writers and allocators when
 * the cache holds too much dirty data (bufcache.c).
 *
 * bflush() first waits for the requests already in flight on the
 * device (a failed asynchronous write leaves its buffer dirty, so it is
 * written again here), writes every dirty buffer not locked by a user,
 * and then flushes the device, so that the data is durable before the
 * caller writes metadata that points to it.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <dev/buf.h>
#include "bufcache.h"

#define BUFWB_INFLIGHT	8

static bool
bufwb_before(const struct bufx *a, const struct bufx *b)
{
	uintptr_t da = (uintptr_t)a->bx_buf.b_dev;
	uintptr_t db = (uintptr_t)b->bx_buf.b_dev;

	if (da != db)
		return da < db;
	return a->bx_buf.b_offset < b->bx_buf.b_offset;
}

static struct bufx *
bufwb_merge(struct bufx *a, struct bufx *b)
{
	struct bufx *head = NULL, **tailp = &head;

	while (a != NULL && b != NULL) {
		if (bufwb_before(b, a)) {
			*tailp = b;
			b = b->bx_next;
		} else {
			*tailp = a;
			a = a->bx_next;
		}
		tailp = &(*tailp)->bx_next;
	}
	*tailp = a != NULL ? a : b;
	return head;
}

/* Merge sort of a list linked by bx_next. */
static struct bufx *
bufwb_sort(struct bufx *list)
{
	struct bufx *slow = list, *fast, *half;

	if (list == NULL || list->bx_next == NULL)
		return list;
	for (fast = list->bx_next; fast != NULL && fast->bx_next != NULL;
	    fast = fast->bx_next->bx_next)
		slow = slow->bx_next;
	half = slow->bx_next;
	slow->bx_next = NULL;
	return bufwb_merge(bufwb_sort(list), bufwb_sort(half));
}

struct bufx *
bufwb_take(struct bufdev *only)
{
	struct bufx *list = NULL;
	struct bufdev *bdv;
	struct buf *bp;

	KASSERT(mutex_owned(&bufcache.bc_lock));
	LIST_FOREACH(bdv, &bufcache.bc_devs, bdv_list) {
		if (only != NULL && bdv != only)
			continue;
		TAILQ_FOREACH(bp, &bdv->bdv_dirty, b_dirty) {
			if (bp->b_flags & B_BUSY)
				continue;
			bp->b_flags |= B_BUSY;
			BX(bp)->bx_next = list;
			list = BX(bp);
		}
	}
	return bufwb_sort(list);
}

/* Cut the run that starts the list; the rest of the list. */
static struct bufx *
bufwb_cut(struct bufx *run)
{
	struct bufx *bx = run, *next;
	size_t len = bx->bx_buf.b_size;

	while ((next = bx->bx_next) != NULL &&
	    next->bx_buf.b_dev == bx->bx_buf.b_dev &&
	    next->bx_buf.b_offset == bx->bx_buf.b_offset + bx->bx_buf.b_size &&
	    len + next->bx_buf.b_size <= BUF_MAXRUN) {
		len += next->bx_buf.b_size;
		bx = next;
	}
	bx->bx_next = NULL;
	return next;
}

int
bufwb_write(struct bufx *list)
{
	struct bufwait w = { .bw_keepbusy = false };
	struct bufx *run;

	while (list != NULL) {
		run = list;
		list = bufwb_cut(run);
		bufrun_start(run, BIO_WRITE, &w);
		mutex_enter(&bufcache.bc_lock);
		while (w.bw_pending >= BUFWB_INFLIGHT)
			cv_wait(&bufcache.bc_cv, &bufcache.bc_lock);
		bufrun_reap();
		mutex_exit(&bufcache.bc_lock);
	}
	mutex_enter(&bufcache.bc_lock);
	bufwait_wait(&w);
	bufrun_reap();
	mutex_exit(&bufcache.bc_lock);
	return w.bw_error;
}

int
bflush(struct bdev *bd)
{
	struct bufdev *bdv;
	struct bufx *list = NULL;
	int error;

	mutex_enter(&bufcache.bc_lock);
	while ((bdv = bufdev_find(bd)) != NULL && bdv->bdv_nio > 0)
		cv_wait(&bufcache.bc_cv, &bufcache.bc_lock);
	if (bdv != NULL)
		list = bufwb_take(bdv);
	mutex_exit(&bufcache.bc_lock);
	if ((error = bufwb_write(list)) != 0) {
		printf("bufcache: %s: write-back failed: error %d\n",
		    bd->bd_name, error);
		return error;
	}
	if ((error = bdev_rw(bd, BIO_FLUSH, NULL, 0, 0)) != 0)
		printf("bufcache: %s: flush failed: error %d\n", bd->bd_name,
		    error);
	return error;
}
