/*
 * ext2_rdwr.c: the contents of regular files and symlinks.
 *
 * Owns moving file data between the buffer cache and the caller (holes
 * read as zeros; writes allocate blocks through ext2_bmap.c), changing a
 * file's size (the bytes past the end of the last block are kept zero,
 * so a file that grows shows zeros), and symlink targets: up to 59 bytes
 * in i_block ("fast"), longer ones in one data block.
 *
 * Lock: the node's vnode lock (exclusive to write).
 */
#include <kern/types.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

/*
 * Read-ahead, in blocks: a read that continues where the last one of
 * the file ended reads up to EXT2_SEQRA bytes ahead, to the end of the
 * file; any other one up to EXT2_MAXRA blocks of its own request.
 */
#define EXT2_MAXRA	32
#define EXT2_SEQRA	(1024 * 1024)

static const char zeroes[EXT2_MAXBSIZE];

/* The read-ahead hint for the block at off. */
static int
read_ahead(const struct ext2_node *en, uint64_t off, uint64_t left,
    uint64_t size, bool seq)
{
	const struct ext2_mount *em = en->en_mount;
	uint64_t blocks = seq ? (size - off) >> em->em_bshift :
	    left >> em->em_bshift;

	return (int)MIN(blocks, (uint64_t)(seq ?
	    EXT2_SEQRA >> em->em_bshift : EXT2_MAXRA));
}

int
ext2_read(struct ext2_node *en, struct uio *uio)
{
	struct ext2_mount *em = en->en_mount;
	uint64_t size = ext2_n_size(en), off, left;
	uint32_t pbn, boff;
	struct buf *bp;
	size_t n;
	bool seq;
	int error = 0;

	seq = (uint64_t)uio->uio_offset ==
	    __atomic_load_n(&en->en_rdnext, __ATOMIC_RELAXED);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		boff = (uint32_t)(off & (em->em_bsize - 1));
		left = MIN(uio->uio_resid, size - off);
		n = (size_t)MIN(em->em_bsize - boff, left);
		if ((error = ext2_bmap(en, off >> em->em_bshift, &pbn)) != 0)
			break;
		if (pbn == 0) {
			error = uiomove((void *)(uintptr_t)zeroes, n, uio);
		} else {
			error = bread(em->em_dev, ext2_boff(em, pbn),
			    em->em_bsize, read_ahead(en, off + n, left - n,
			    size, seq), &bp);
			if (error != 0)
				break;
			error = uiomove((char *)bp->b_data + boff, n, uio);
			brelse(bp);
		}
		if (error != 0)
			break;
	}
	__atomic_store_n(&en->en_rdnext, (uint64_t)uio->uio_offset,
	    __ATOMIC_RELAXED);
	return error;
}

/* Zero the part of the last block past the old end of the file. */
static int
zero_tail(struct ext2_node *en, uint64_t size)
{
	struct ext2_mount *em = en->en_mount;
	uint32_t pbn, boff = (uint32_t)(size & (em->em_bsize - 1));
	struct buf *bp;
	int error;

	if (boff == 0)
		return 0;
	if ((error = ext2_bmap(en, size >> em->em_bshift, &pbn)) != 0 ||
	    pbn == 0)
		return error;
	error = bread(em->em_dev, ext2_boff(em, pbn), em->em_bsize, 0, &bp);
	if (error != 0)
		return error;
	memset((char *)bp->b_data + boff, 0, em->em_bsize - boff);
	bdwrite(bp);
	return 0;
}

/*
 * The buffer for writing n bytes into file block lbn: an existing block
 * is read, a new one (*newp) is zeroed unless all of it is written.
 */
static int
write_getbuf(struct ext2_node *en, uint64_t lbn, size_t n, struct buf **bpp,
    bool *newp)
{
	struct ext2_mount *em = en->en_mount;
	uint32_t pbn;
	int error;

	if ((error = ext2_bmap_alloc(en, lbn, &pbn, newp)) != 0)
		return error;
	if (!*newp)
		return bread(em->em_dev, ext2_boff(em, pbn), em->em_bsize, 0,
		    bpp);
	*bpp = getblk(em->em_dev, ext2_boff(em, pbn), em->em_bsize);
	if (*bpp == NULL) {
		(void)ext2_bmap_unmap(en, lbn);
		return ENOMEM;
	}
	if (n < em->em_bsize)
		memset((*bpp)->b_data, 0, em->em_bsize);
	return 0;
}

static int
write_loop(struct ext2_node *en, struct uio *uio, uint64_t *sizep)
{
	struct ext2_mount *em = en->en_mount;
	uint64_t off;
	uint32_t boff;
	struct buf *bp;
	size_t n, done;
	bool isnew;
	int error = 0;

	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		if (off >= em->em_maxsize)
			return EFBIG;
		boff = (uint32_t)(off & (em->em_bsize - 1));
		n = (size_t)MIN(MIN(em->em_bsize - boff, uio->uio_resid),
		    em->em_maxsize - off);
		error = write_getbuf(en, off >> em->em_bshift, n, &bp, &isnew);
		if (error != 0)
			return error;
		done = uio->uio_resid;
		error = uiomove((char *)bp->b_data + boff, n, uio);
		done -= uio->uio_resid;
		if (error != 0 && isnew)
			memset((char *)bp->b_data + boff + done, 0,
			    em->em_bsize - boff - done);
		bdwrite(bp);
		if ((uint64_t)uio->uio_offset > *sizep) {
			*sizep = (uint64_t)uio->uio_offset;
			ext2_n_setsize(en, *sizep);
		}
		if (error != 0)
			return error;
	}
	return 0;
}

int
ext2_write(struct ext2_node *en, struct uio *uio, int ioflag)
{
	struct ext2_mount *em = en->en_mount;
	uint64_t size = ext2_n_size(en);
	size_t resid = uio->uio_resid;
	int error, uerror;

	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)size;
	if (resid == 0)
		return 0;
	if ((uint64_t)uio->uio_offset >= em->em_maxsize)
		return EFBIG;
	if ((uint64_t)uio->uio_offset > size &&
	    (error = zero_tail(en, size)) != 0)
		return error;
	error = write_loop(en, uio, &size);
	if (error != 0)
		(void)ext2_bmap_truncate(en, howmany(size, em->em_bsize));
	if (uio->uio_resid != resid)
		ext2_n_touch(en, EXT2_TOUCH_M | EXT2_TOUCH_C);
	uerror = ext2_node_update(en);
	if (error == 0)
		error = uerror;
	if (error == 0 && (ioflag & (IO_SYNC | IO_DSYNC)))
		error = bflush(em->em_dev);
	return error;
}

int
ext2_truncate(struct ext2_node *en, uint64_t size)
{
	struct ext2_mount *em = en->en_mount;
	uint64_t old = ext2_n_size(en);
	int error;

	if (size > em->em_maxsize)
		return EFBIG;
	if (size == old)
		return 0;
	if ((error = zero_tail(en, MIN(size, old))) != 0)
		return error;
	ext2_n_setsize(en, size);
	if (size < old)
		error = ext2_bmap_truncate(en, howmany(size, em->em_bsize));
	return error;
}

int
ext2_readlink(struct ext2_node *en, struct uio *uio)
{
	struct ext2_mount *em = en->en_mount;
	size_t len = (size_t)ext2_n_size(en);
	uint32_t pbn;
	struct buf *bp;
	int error;

	if (ext2_n_fastlink(en))
		return uiomove((void *)(uintptr_t)ext2_n_linkdata(en), len,
		    uio);
	if ((error = ext2_bmap(en, 0, &pbn)) != 0)
		return error;
	if (pbn == 0)
		return ext2_corrupt(em, "symlink inode %llu has no block",
		    (unsigned long long)en->en_ino);
	error = bread(em->em_dev, ext2_boff(em, pbn), em->em_bsize, 0, &bp);
	if (error != 0)
		return error;
	error = uiomove(bp->b_data, len, uio);
	brelse(bp);
	return error;
}

int
ext2_writelink(struct ext2_node *en, const char *target, size_t len)
{
	struct ext2_mount *em = en->en_mount;
	struct buf *bp;
	uint32_t pbn;
	bool isnew;
	int error;

	KASSERT(len > 0 && len < em->em_bsize);
	if (len < sizeof(en->en_din->i_block)) {
		ext2_n_setlinkdata(en, target, len);
		ext2_n_setsize(en, len);
		return 0;
	}
	if ((error = ext2_bmap_alloc(en, 0, &pbn, &isnew)) != 0)
		return error;
	if ((bp = getblk(em->em_dev, ext2_boff(em, pbn), em->em_bsize)) ==
	    NULL) {
		(void)ext2_bmap_truncate(en, 0);
		return ENOMEM;
	}
	memset(bp->b_data, 0, em->em_bsize);
	memcpy(bp->b_data, target, len);
	bdwrite(bp);
	ext2_n_setsize(en, len);
	return 0;
}
