/*
 * md.c: RAM disks (component librumpdev_md).  rump_pub_md_create() makes
 * a disk of a given size, registers it as a block device (major
 * BDEV_MAJOR_MD, name mdN after its minor, 512-byte sectors) and
 * publishes a block device node for it.
 *
 * The disk's memory is allocated lazily in 64 KiB chunks, found through
 * a two-level table (a top table of leaves, each leaf mapping 32 MiB), so
 * that a large disk costs only what has been written to it.  A chunk that
 * was never written reads as zeros; a write that cannot get memory fails
 * with ENOMEM.  Requests complete synchronously, before the strategy
 * routine returns.  Disks live until the kernel ends.
 *
 * Locks: md_lock (per disk) protects the table (leaves and chunk
 * pointers are set once, under it); the data in the chunks is not
 * locked, like the medium of a real disk.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/component.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/sched.h>
#include <kern/syscall.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <rump/rump.h>
#include <vfs/vfs.h>

#define MD_SECSIZE	512
#define MD_CHUNK	65536			/* bytes per chunk */
#define MD_LEAFN	512			/* chunks per leaf */
#define MD_LEAFSPAN	((uint64_t)MD_CHUNK * MD_LEAFN)
#define MD_MAXSIZE	((uint64_t)1 << 40)	/* 1 TiB */

struct md {
	struct bdev	 md_bdev;	/* registered; bd_data is the md */
	kmutex_t	 md_lock;
	char		***md_top;	/* md_lock: leaves, NULL = zeros */
	size_t		 md_ntop;	/* constant */
};

static void
md_free(struct md *md)
{
	size_t i, j;

	for (i = 0; i < md->md_ntop; i++) {
		if (md->md_top[i] == NULL)
			continue;
		for (j = 0; j < MD_LEAFN; j++)
			if (md->md_top[i][j] != NULL)
				kmem_free(md->md_top[i][j], MD_CHUNK);
		kmem_free(md->md_top[i], MD_LEAFN * sizeof(char *));
	}
	kmem_free(md->md_top, md->md_ntop * sizeof(char **));
	mutex_destroy(&md->md_lock);
	kmem_free(md, sizeof(*md));
}

/*
 * The chunk holding byte off; NULL if it was never written (reads) or,
 * when alloc, if there is no memory for it.
 */
static char *
md_chunk(struct md *md, uint64_t off, bool alloc)
{
	size_t top = (size_t)(off / MD_LEAFSPAN);
	size_t idx = (size_t)(off / MD_CHUNK % MD_LEAFN);
	char **leaf, *chunk = NULL;

	mutex_enter(&md->md_lock);
	if ((leaf = md->md_top[top]) == NULL && alloc &&
	    (leaf = kmem_zalloc(MD_LEAFN * sizeof(char *))) != NULL)
		md->md_top[top] = leaf;
	if (leaf != NULL && (chunk = leaf[idx]) == NULL && alloc &&
	    (chunk = kmem_zalloc(MD_CHUNK)) != NULL)
		leaf[idx] = chunk;
	mutex_exit(&md->md_lock);
	return chunk;
}

static void
md_strategy(struct bdev *bd, struct bdevio *bio)
{
	struct md *md = bd->bd_data;
	bool write = bio->bio_op == BIO_WRITE;
	char *data = bio->bio_data, *chunk;
	uint64_t off;
	size_t n, skip, done = 0;
	int error = 0;

	if (bio->bio_op == BIO_FLUSH) {
		bio->bio_done(bio, 0, 0);
		return;
	}
	while (done < bio->bio_len) {
		off = bio->bio_offset + done;
		skip = (size_t)(off % MD_CHUNK);
		n = MIN(bio->bio_len - done, MD_CHUNK - skip);
		chunk = md_chunk(md, off, write);
		if (write && chunk == NULL) {
			printf("%s: out of memory for the disk's data\n",
			    bd->bd_name);
			error = ENOMEM;
			break;
		}
		if (write)
			memcpy(chunk + skip, data + done, n);
		else if (chunk == NULL)
			memset(data + done, 0, n);
		else
			memcpy(data + done, chunk + skip, n);
		done += n;
	}
	bio->bio_done(bio, done, error);
}

static void
md_detach(struct bdev *bd)
{

	md_free(bd->bd_data);
}

static const struct bdevops md_bdevops = {
	.bd_strategy = md_strategy,
	.bd_detach = md_detach,
};

static int
md_alloc(uint64_t size, struct md **mdp)
{
	struct md *md;

	if ((md = kmem_zalloc(sizeof(*md))) == NULL)
		return ENOMEM;
	md->md_ntop = (size_t)howmany(size, MD_LEAFSPAN);
	if ((md->md_top = kmem_zalloc(md->md_ntop * sizeof(char **))) ==
	    NULL) {
		kmem_free(md, sizeof(*md));
		return ENOMEM;
	}
	mutex_init(&md->md_lock, MUTEX_DEFAULT);
	md->md_bdev = (struct bdev){
		.bd_ops = &md_bdevops,
		.bd_data = md,
		.bd_size = size,
		.bd_secsize = MD_SECSIZE,
	};
	*mdp = md;
	return 0;
}

static int
md_create(const char *path, uint64_t size)
{
	struct md *md;
	int error;

	if (path == NULL || path[0] != '/')
		return EINVAL;
	if (strnlen(path, PATH_MAX) == PATH_MAX)
		return ENAMETOOLONG;
	size -= size % MD_SECSIZE;
	if (size == 0)
		return EINVAL;
	if (size > MD_MAXSIZE)
		return EFBIG;
	if ((error = md_alloc(size, &md)) != 0)
		return error;
	if ((error = bdev_register(&md->md_bdev, BDEV_MAJOR_MD)) != 0) {
		md_free(md);
		return error;
	}
	snprintf(md->md_bdev.bd_name, sizeof(md->md_bdev.bd_name), "md%u",
	    minor(md->md_bdev.bd_dev));
	error = vfs_mknod_path(path, S_IFBLK | 0600, md->md_bdev.bd_dev);
	if (error != 0 && bdev_unregister(&md->md_bdev) != 0)
		printf("%s: no node, but in use: the disk stays\n",
		    md->md_bdev.bd_name);
	return error;
}

int
rump_pub_md_create(const char *path, uint64_t size)
{
	int error;

	if (!rump_running)
		return ENXIO;
	rump_schedule();
	error = md_create(path, size);
	rump_unschedule();
	return error;
}

/* Nothing to set up: disks are made on demand by rump_pub_md_create(). */
static int
md_init(void)
{

	return 0;
}

RUMP_COMPONENT(RUMP_COMPONENT_DEV, md, md_init, NULL)
