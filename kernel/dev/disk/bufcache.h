/*
 * bufcache.h: the buffer cache's private interfaces, shared by
 * bufcache.c (the cache: lookup, memory, locking buffers), bufio.c
 * (requests: reads, read-ahead, writes) and bufwb.c (write-back and
 * bflush).  Users see only dev/buf.h.
 *
 * Every transfer is a run: one request for one or more adjacent buffers
 * of a device, all busy and in I/O, linked through bx_next from the
 * first, which carries the request.  A run of several buffers moves
 * through a bounce buffer.  The completion (possibly on a host thread
 * without a CPU) finishes the run itself under bufcache_lock, touching
 * only lists, flags and counters; bounce buffers go on a list that the
 * next caller frees (bufcache_reap), since freeing memory needs a CPU.
 *
 * Locking: bufcache_lock (bc_lock) protects everything here that is
 * not marked otherwise; bc_cv is broadcast when a buffer is unlocked
 * with B_WANTED set and whenever a request completes.  Buffer data
 * belongs to whoever holds the buffer busy (a user, or a run in I/O).
 */
#ifndef _DEV_DISK_BUFCACHE_H_
#define _DEV_DISK_BUFCACHE_H_

#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/lock.h>
#include <lib/queue.h>
#include <dev/buf.h>

#define BUF_MAXSIZE	65536		/* largest block */
#define BUF_MAXRUN	(1024 * 1024)	/* largest request of a run */

/* What the cache knows about one device that has buffers. */
struct bufdev {
	struct bdev		*bdv_dev;	/* constant */
	TAILQ_HEAD(, buf)	 bdv_dirty;	/* bc_lock: dirty buffers */
	unsigned int		 bdv_nbufs;	/* bc_lock: buffers cached */
	unsigned int		 bdv_nio;	/* bc_lock: buffers in I/O */
	LIST_ENTRY(bufdev)	 bdv_list;	/* bc_lock */
};

struct bufwait;

/* A buffer and the cache's private state for it. */
struct bufx {
	struct buf	 bx_buf;
	struct bufdev	*bx_bdv;	/* constant */
	/* Owned by the holder of B_BUSY: */
	struct bufx	*bx_next;	/* next buffer in a list or run */
	/* Owned by the run this buffer starts, while B_IO: */
	struct bdevio	 bx_io;		/* the request; bio_arg unused */
	char		*bx_bounce;	/* NULL: bx_buf.b_data */
	struct bufwait	*bx_wait;	/* NULL: nobody waits */
};

/* Someone waiting for runs: bw_pending counts the unfinished ones. */
struct bufwait {
	int		 bw_pending;	/* bc_lock */
	int		 bw_error;	/* bc_lock: first error */
	bool		 bw_keepbusy;	/* constant: do not unlock buffers */
};

#define BX(bp)	container_of((bp), struct bufx, bx_buf)

struct bufcache {
	kmutex_t		 bc_lock;
	kcondvar_t		 bc_cv;
	LIST_HEAD(, buf)	*bc_hash;	/* by (bdev, offset) */
	size_t			 bc_hashmask;	/* constant */
	TAILQ_HEAD(, buf)	 bc_lru;	/* clean idle, oldest first */
	LIST_HEAD(, bufdev)	 bc_devs;
	void			*bc_reap;	/* bounce buffers to free */
	unsigned int		 bc_nio;	/* buffers in I/O */
	uint64_t		 bc_max;	/* bytes of data, constant */
	uint64_t		 bc_cached;	/* bytes of data cached */
	uint64_t		 bc_dirty;	/* bytes of dirty data */
};

extern struct bufcache bufcache;

/* bufcache.c; bc_lock held for all. */
/* 0, or the errno for a block that is not whole sectors inside the
 * device (EINVAL misaligned or too big, EIO outside). */
int	buf_check(const struct bdev *, uint64_t, size_t);
struct bufx *buf_lookup(const struct bdev *, uint64_t);
struct bufdev *bufdev_find(const struct bdev *);
/* A new busy buffer for a block that is not cached, if there is room
 * without waiting; NULL otherwise. */
struct bufx *buf_tryalloc(struct bdev *, uint64_t, size_t);
void	buf_unbusy(struct bufx *);
void	buf_setdirty(struct bufx *);
void	buf_setclean(struct bufx *);

/* bufio.c */
/* Start the run of buffers listed from bx (busy, adjacent, linked by
 * bx_next, at most BUF_MAXRUN bytes); w (may be NULL) is told when it
 * finishes.  bc_lock not held. */
void	bufrun_start(struct bufx *, int op, struct bufwait *);
/* Wait until no run of w is pending; bc_lock held. */
void	bufwait_wait(struct bufwait *);
/* Free the bounce buffers of finished runs; bc_lock held. */
void	bufrun_reap(void);

/* bufwb.c */
/* Take the idle dirty buffers of bdv (NULL: of every device) for
 * writing: busy, sorted by device and offset, linked by bx_next.
 * bc_lock held. */
struct bufx *bufwb_take(struct bufdev *);
/* Write them in runs and wait: 0 or the first error.  bc_lock not
 * held. */
int	bufwb_write(struct bufx *);

#endif /* _DEV_DISK_BUFCACHE_H_ */
