/*
 * msdosfs_rdwr.c: the contents of regular files.
 *
 * Owns mapping a file's cluster numbers to disk clusters (following the
 * chain from the last mapped pair cached in the node, so sequential I/O
 * costs one FAT lookup per cluster; a chain longer than the count of
 * clusters is a loop: EIO), moving data between the caller and
 * cluster-sized buffers of the buffer cache (read-ahead and clustered
 * write-back come from the cache), growing files (new clusters appended
 * right after the last one when free, filled with zeros: FAT has no
 * holes), and truncation.  Bytes past the end of a file in its last
 * cluster are kept zero, so a file that grows shows zeros.  A file is at
 * most 4 GiB - 1 bytes: EFBIG beyond.
 *
 * Sequential reads read ahead up to 1 MiB.
 *
 * Lock: the node's vnode lock (exclusive to write); readers share it,
 * so the cached mapping and the end of the last read are atomics.
 */
#include <kern/types.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <vfs/vnode.h>
#include <fs/msdos/msdosfs.h>

/*
 * Read-ahead, in clusters: a read that continues where the last one of
 * the file ended reads up to MSDOS_SEQRA bytes ahead, to the end of the
 * file; any other one up to MSDOS_MAXRA clusters of its own request.
 */
#define MSDOS_MAXRA	32
#define MSDOS_SEQRA	(1024 * 1024)

/* Clusters allocated at once for a write, at most. */
#define MSDOS_MAXRUN	256

/* The cached (file cluster, disk cluster) pair: readers share the vnode
 * lock, so it is one atomic word. */
static void
bmc_get(struct msdos_node *dn, uint32_t *lcnp, uint32_t *pcnp)
{
	uint64_t v = __atomic_load_n(&dn->dn_bmap, __ATOMIC_RELAXED);

	*lcnp = (uint32_t)(v >> 32);
	*pcnp = (uint32_t)v;
}

static void
bmc_set(struct msdos_node *dn, uint32_t lcn, uint32_t pcn)
{

	__atomic_store_n(&dn->dn_bmap, (uint64_t)lcn << 32 | pcn,
	    __ATOMIC_RELAXED);
}

/* The disk cluster of file cluster lcn: 0 or ENOENT past the chain. */
static int
msdos_bmap(struct msdos_node *dn, uint32_t lcn, uint32_t *pcnp)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t clcn, cur, next;
	int error;

	if (dn->dn_start == 0)
		return ENOENT;
	bmc_get(dn, &clcn, &cur);
	if (cur == 0 || clcn > lcn) {
		clcn = 0;
		cur = dn->dn_start;
	}
	while (clcn < lcn) {
		if (clcn >= md->md_nclusters)
			return msdos_corrupt(md, "cluster chain at %u loops",
			    dn->dn_start);
		if ((error = msdos_fat_next(md, cur, &next)) != 0)
			return error;
		if (next == 0)
			break;
		cur = next;
		clcn++;
	}
	bmc_set(dn, clcn, cur);
	if (clcn < lcn)
		return ENOENT;
	*pcnp = cur;
	return 0;
}

/* Map lcn, appending clusters up to it and up to count - 1 more (in
 * runs of adjacent clusters; running out of room past lcn is not an
 * error); new clusters before lcn are zeroed, and the others too if
 * `zero'. */
static int
bmap_alloc(struct msdos_node *dn, uint32_t lcn, uint32_t count, bool zero,
    uint32_t *pcnp)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t l, prev = 0, cl, n, k, last = lcn + count - 1;
	int error;

	error = msdos_bmap(dn, lcn, pcnp);
	if (error != ENOENT)
		return error;
	l = 0;
	if (dn->dn_start != 0) {
		bmc_get(dn, &l, &prev);
		l++;
	}
	while (l <= last) {
		error = msdos_clalloc_run(md, prev, last - l + 1, &cl, &n);
		if (error != 0)
			return l > lcn ? 0 : error;
		if (dn->dn_start == 0)
			dn->dn_start = cl;
		for (k = 0; k < n; k++, l++) {
			if ((l < lcn || zero) &&
			    (error = msdos_clzero(md, cl + k)) != 0)
				return error;
			if (l == lcn) {
				*pcnp = cl + k;
				bmc_set(dn, l, cl + k);
			}
		}
		prev = cl + n - 1;
		if (l <= lcn)
			bmc_set(dn, l - 1, prev);
	}
	return 0;
}

/* Free every cluster from file cluster n on. */
static int
trunc_chain(struct msdos_node *dn, uint32_t n)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t pcn, next, start = dn->dn_start;
	int error;

	if (start == 0)
		return 0;
	if (n == 0) {
		dn->dn_start = 0;
		bmc_set(dn, 0, 0);
		return msdos_freechain(md, start);
	}
	error = msdos_bmap(dn, n - 1, &pcn);
	if (error == ENOENT)
		return 0;
	if (error != 0)
		return error;
	if ((error = msdos_fat_cut(md, pcn, &next)) != 0 || next == 0)
		return error;
	return msdos_freechain(md, next);
}

/* The read-ahead hint for the cluster after off. */
static int
read_ahead(const struct msdos_mount *md, uint64_t off, uint64_t left,
    uint64_t size, bool seq)
{
	uint64_t cls = (seq ? size - off : left) >> md->md_cshift;

	return (int)MIN(cls, (uint64_t)(seq ? MSDOS_SEQRA >> md->md_cshift :
	    MSDOS_MAXRA));
}

int
msdos_read(struct msdos_node *dn, struct uio *uio)
{
	struct msdos_mount *md = dn->dn_mount;
	uint64_t size = dn->dn_size, off, left;
	uint32_t pcn, coff;
	struct buf *bp;
	size_t n;
	bool seq;
	int error = 0;

	seq = (uint64_t)uio->uio_offset ==
	    __atomic_load_n(&dn->dn_rdnext, __ATOMIC_RELAXED);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		coff = (uint32_t)(off & (md->md_csize - 1));
		left = MIN(uio->uio_resid, size - off);
		n = (size_t)MIN(md->md_csize - coff, left);
		error = msdos_bmap(dn, (uint32_t)(off >> md->md_cshift), &pcn);
		if (error == ENOENT)
			error = msdos_corrupt(md, "file at cluster %u: size "
			    "%llu beyond its clusters", dn->dn_start,
			    (unsigned long long)size);
		if (error != 0)
			break;
		error = bread(md->md_dev, msdos_cloff(md, pcn), md->md_csize,
		    read_ahead(md, off + n, left - n, size, seq), &bp);
		if (error != 0)
			break;
		error = uiomove((char *)bp->b_data + coff, n, uio);
		brelse(bp);
		if (error != 0)
			break;
	}
	__atomic_store_n(&dn->dn_rdnext, (uint64_t)uio->uio_offset,
	    __ATOMIC_RELAXED);
	return error;
}

/* Zero the part of the last cluster past size. */
static int
zero_tail(struct msdos_node *dn, uint64_t size)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t pcn, coff = (uint32_t)(size & (md->md_csize - 1));
	struct buf *bp;
	int error;

	if (coff == 0)
		return 0;
	error = msdos_bmap(dn, (uint32_t)(size >> md->md_cshift), &pcn);
	if (error == ENOENT)
		return 0;
	if (error != 0)
		return error;
	error = bread(md->md_dev, msdos_cloff(md, pcn), md->md_csize, 0, &bp);
	if (error != 0)
		return error;
	memset((char *)bp->b_data + coff, 0, md->md_csize - coff);
	bdwrite(bp);
	return 0;
}

/* The buffer for writing n bytes into file cluster lcn, mapping (and
 * allocating) count clusters from lcn on.  *newp: lcn lies wholly past
 * the end of the file, so what it held does not matter. */
static int
write_getbuf(struct msdos_node *dn, uint32_t lcn, uint32_t count, size_t n,
    struct buf **bpp, bool *newp)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t pcn;
	int error;

	if ((error = bmap_alloc(dn, lcn, count, false, &pcn)) != 0)
		return error;
	*newp = ((uint64_t)lcn << md->md_cshift) >= dn->dn_size;
	if (!*newp)
		return bread(md->md_dev, msdos_cloff(md, pcn), md->md_csize, 0,
		    bpp);
	if ((*bpp = getblk(md->md_dev, msdos_cloff(md, pcn), md->md_csize)) ==
	    NULL)
		return ENOMEM;
	if (n < md->md_csize)
		memset((*bpp)->b_data, 0, md->md_csize);
	return 0;
}

static int
write_loop(struct msdos_node *dn, struct uio *uio)
{
	struct msdos_mount *md = dn->dn_mount;
	uint64_t off;
	uint32_t coff;
	struct buf *bp;
	size_t n, done;
	bool isnew;
	int error;

	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		if (off >= MSDOS_MAXFILESIZE)
			return EFBIG;
		coff = (uint32_t)(off & (md->md_csize - 1));
		n = (size_t)MIN(MIN(md->md_csize - coff, uio->uio_resid),
		    MSDOS_MAXFILESIZE - off);
		error = write_getbuf(dn, (uint32_t)(off >> md->md_cshift),
		    (uint32_t)MIN(howmany(coff + uio->uio_resid, md->md_csize),
		    MSDOS_MAXRUN), n, &bp, &isnew);
		if (error != 0)
			return error;
		done = uio->uio_resid;
		error = uiomove((char *)bp->b_data + coff, n, uio);
		done -= uio->uio_resid;
		if (error != 0 && isnew)
			memset((char *)bp->b_data + coff + done, 0,
			    md->md_csize - coff - done);
		bdwrite(bp);
		if ((uint64_t)uio->uio_offset > dn->dn_size)
			dn->dn_size = (uint32_t)uio->uio_offset;
		if (error != 0)
			return error;
	}
	return 0;
}

int
msdos_write(struct msdos_node *dn, struct uio *uio, int ioflag)
{
	struct msdos_mount *md = dn->dn_mount;
	size_t resid = uio->uio_resid;
	int error, uerror;

	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)dn->dn_size;
	if (resid == 0)
		return 0;
	if (uio->uio_offset < 0 ||
	    (uint64_t)uio->uio_offset >= MSDOS_MAXFILESIZE)
		return EFBIG;
	if ((uint64_t)uio->uio_offset > dn->dn_size &&
	    (error = zero_tail(dn, dn->dn_size)) != 0)
		return error;
	error = write_loop(dn, uio);
	if (error != 0)
		(void)trunc_chain(dn, (uint32_t)howmany((uint64_t)dn->dn_size,
		    md->md_csize));
	if (uio->uio_resid != resid)
		msdos_node_touch(dn);
	uerror = msdos_node_update(dn);
	if (error == 0)
		error = uerror;
	if (error == 0 && (ioflag & (IO_SYNC | IO_DSYNC)))
		error = msdos_sync_meta(md);
	return error;
}

int
msdos_truncate(struct msdos_node *dn, uint64_t size)
{
	struct msdos_mount *md = dn->dn_mount;
	uint64_t old = dn->dn_size;
	uint32_t pcn;
	int error;

	if (size > MSDOS_MAXFILESIZE)
		return EFBIG;
	if (size == old)
		return 0;
	if ((error = zero_tail(dn, MIN(size, old))) != 0)
		return error;
	if (size > old) {
		error = bmap_alloc(dn, (uint32_t)((size - 1) >> md->md_cshift),
		    1, true, &pcn);
		if (error != 0) {
			(void)trunc_chain(dn, (uint32_t)howmany(old,
			    md->md_csize));
			return error;
		}
	} else if ((error = trunc_chain(dn, (uint32_t)howmany(size,
	    md->md_csize))) != 0)
		return error;
	dn->dn_size = (uint32_t)size;
	return 0;
}
