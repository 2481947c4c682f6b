/*
 * buf.h: the buffer cache shared by the disk file systems
 * (component librumpdev_disk).
 *
 * A buffer caches one block of a block device: (bdev, byte offset,
 * size).  A file system uses one block size per device, so buffers of one
 * device never overlap.  Buffers are returned locked (B_BUSY) to one user
 * at a time; brelse/bdwrite/bwrite/bawrite unlock them.
 *
 * Memory: the cache holds at most bufcache_max bytes of block data (a
 * share of RUMP_MEMLIMIT, else RUMP_BUFCACHE or 64 MiB); clean unlocked
 * buffers are reused least recently used first; when dirty data passes
 * half of the cap, writers wait while it is written back.  Reading
 * sequentially triggers read-ahead; write-back sorts dirty buffers by
 * offset and sends runs of adjacent ones to the device as one request.
 * bflush() writes every dirty buffer of a device, then issues BIO_FLUSH
 * so the data is durable before the caller writes metadata that points
 * to it.
 *
 * Locking: bufcache_lock protects the hash, the lists, b_flags and the
 * counters; b_data belongs to whoever holds the buffer busy.
 */
#ifndef _DEV_BUF_H_
#define _DEV_BUF_H_

#include <kern/types.h>
#include <lib/queue.h>

struct bdev;

struct buf {
	struct bdev		*b_dev;		/* constant while cached */
	uint64_t		 b_offset;	/* bytes */
	size_t			 b_size;	/* bytes */
	void			*b_data;	/* b_size bytes */
	unsigned int		 b_flags;	/* B_*, bufcache_lock */
	int			 b_error;	/* of the last I/O */
	LIST_ENTRY(buf)		 b_hash;	/* bufcache_lock */
	TAILQ_ENTRY(buf)	 b_lru;		/* bufcache_lock: clean, idle */
	TAILQ_ENTRY(buf)	 b_dirty;	/* bufcache_lock: per device */
};

#define B_BUSY		0x01	/* locked by a user */
#define B_VALID		0x02	/* b_data holds the block's contents */
#define B_DIRTY		0x04	/* b_data must be written back */
#define B_IO		0x08	/* I/O in progress */
#define B_WANTED	0x10	/* someone waits for B_BUSY or B_IO */

/* Read a block: a busy buffer with valid data, or an errno (EIO...).
 * ra > 0 hints that the next ra blocks will be read soon. */
int	bread(struct bdev *, uint64_t offset, size_t size, int ra,
	    struct buf **);
/* A busy buffer for a block the caller will overwrite entirely (its data
 * is valid only if it was cached); NULL only on ENOMEM. */
struct buf *getblk(struct bdev *, uint64_t offset, size_t size);
void	brelse(struct buf *);		/* unlock, keep contents */
void	bdwrite(struct buf *);		/* mark dirty, unlock */
int	bwrite(struct buf *);		/* write now, wait, unlock */
void	bawrite(struct buf *);		/* start writing, unlock */
/* Forget a buffer's contents (a freed block); unlocks it. */
void	binval(struct buf *);
/* Write all dirty buffers of the device, then flush it: 0 or the first
 * error. */
int	bflush(struct bdev *);
/* Drop every cached buffer of the device (unmount); they must be idle
 * and clean (bflush first). */
void	bpurge(struct bdev *);
/* Cache statistics for tests and sysctl: bytes cached and dirty. */
void	bufcache_stats(uint64_t *cached, uint64_t *dirty, uint64_t *max);

#endif /* _DEV_BUF_H_ */
