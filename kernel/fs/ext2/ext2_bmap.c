/*
 * ext2_bmap.c: where a file's blocks are.
 *
 * Owns the block tree of an inode: 12 direct pointers in i_block, then
 * single, double and triple indirect blocks of 32-bit pointers (0 is a
 * hole).  Maps file blocks to disk blocks, allocates blocks (and the
 * indirect blocks above them) in holes, and frees everything past a
 * point for truncation.  Every pointer read from disk is checked with
 * ext2_blkok() before it is followed or freed; the tree is at most three
 * levels deep, so no walk can loop.
 *
 * Locks: the node's vnode lock (exclusive to change the tree).  At most
 * one buffer of the tree is held at a time, except that freeing the
 * blocks under a single indirect block holds it while the bitmaps are
 * updated (buffer, then em_lock: see ext2.h); a checked pointer is never
 * a bitmap block, so that buffer is never the bitmap's.
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <fs/ext2/ext2.h>

#define BMAP_MAXDEPTH	3

/* The way to file block lbn: i_block[*slotp], then idx[0..depth-1]. */
static int
bmap_path(const struct ext2_mount *em, uint64_t lbn, int *slotp,
    uint32_t idx[BMAP_MAXDEPTH], int *depthp)
{
	uint64_t p = em->em_nindir, span = p;
	int depth, i;

	if (lbn < EXT2_NDADDR) {
		*slotp = (int)lbn;
		*depthp = 0;
		return 0;
	}
	lbn -= EXT2_NDADDR;
	for (depth = 1; depth <= BMAP_MAXDEPTH; depth++) {
		if (lbn < span)
			break;
		lbn -= span;
		span *= p;
	}
	if (depth > BMAP_MAXDEPTH)
		return EFBIG;
	*slotp = EXT2_IND_BLOCK + depth - 1;
	*depthp = depth;
	for (i = depth - 1; i >= 0; i--) {
		idx[i] = (uint32_t)(lbn % p);
		lbn /= p;
	}
	return 0;
}

static int
badptr(struct ext2_node *en, uint32_t bno)
{

	return ext2_corrupt(en->en_mount, "inode %llu: bad block pointer %u",
	    (unsigned long long)en->en_ino, bno);
}

static uint32_t
ind_entry(const struct buf *bp, uint32_t i)
{

	return e2_32(((const uint32_t *)bp->b_data)[i]);
}

static void
ind_setentry(struct buf *bp, uint32_t i, uint32_t bno)
{

	((uint32_t *)bp->b_data)[i] = h2e_32(bno);
}

static int
ind_read(struct ext2_node *en, uint32_t bno, struct buf **bpp)
{
	struct ext2_mount *em = en->en_mount;

	return bread(em->em_dev, ext2_boff(em, bno), em->em_bsize, 0, bpp);
}

/* Entry i of indirect block bno, checked (0: a hole). */
static int
ind_get(struct ext2_node *en, uint32_t bno, uint32_t i, uint32_t *childp)
{
	struct buf *bp;
	uint32_t child;
	int error;

	if ((error = ind_read(en, bno, &bp)) != 0)
		return error;
	child = ind_entry(bp, i);
	brelse(bp);
	if (child != 0 && !ext2_blkok(en->en_mount, child))
		return badptr(en, child);
	*childp = child;
	return 0;
}

static int
ind_set(struct ext2_node *en, uint32_t bno, uint32_t i, uint32_t child)
{
	struct buf *bp;
	int error;

	if ((error = ind_read(en, bno, &bp)) != 0)
		return error;
	ind_setentry(bp, i, child);
	bdwrite(bp);
	return 0;
}

int
ext2_bmap(struct ext2_node *en, uint64_t lbn, uint32_t *pbnp)
{
	uint32_t idx[BMAP_MAXDEPTH], bno;
	int error, slot, depth, i;

	if ((error = bmap_path(en->en_mount, lbn, &slot, idx, &depth)) != 0)
		return error;
	bno = ext2_n_blkptr(en, slot);
	if (bno != 0 && !ext2_blkok(en->en_mount, bno))
		return badptr(en, bno);
	for (i = 0; i < depth && bno != 0; i++)
		if ((error = ind_get(en, bno, idx[i], &bno)) != 0)
			return error;
	*pbnp = bno;
	return 0;
}

/* Where to put file block lbn: after the block before it, else after
 * the inode table of the inode's group. */
static uint32_t
alloc_goal(struct ext2_node *en, uint64_t lbn)
{
	uint32_t prev = 0;

	if (en->en_lastpbn != 0 && lbn == (uint64_t)en->en_lastlbn + 1)
		return en->en_lastpbn + 1;
	if (lbn > 0 && ext2_bmap(en, lbn - 1, &prev) == 0 && prev != 0)
		return prev + 1;
	return ext2_inogoal(en->en_mount, en->en_ino);
}

static int
free_block(struct ext2_node *en, uint32_t bno)
{
	int error;

	if ((error = ext2_blkfree(en->en_mount, bno)) != 0)
		return error;
	ext2_n_addblocks(en, -1);
	return 0;
}

/* Allocate a block for the tree; an indirect one is zeroed. */
static int
alloc_block(struct ext2_node *en, uint32_t goal, bool indirect,
    uint32_t *bnop)
{
	struct ext2_mount *em = en->en_mount;
	struct buf *bp;
	int error;

	if ((error = ext2_blkalloc(em, goal, bnop)) != 0)
		return error;
	if (indirect) {
		bp = getblk(em->em_dev, ext2_boff(em, *bnop), em->em_bsize);
		if (bp == NULL) {
			(void)ext2_blkfree(em, *bnop);
			return ENOMEM;
		}
		memset(bp->b_data, 0, em->em_bsize);
		bdwrite(bp);
	}
	ext2_n_addblocks(en, 1);
	return 0;
}

int
ext2_bmap_alloc(struct ext2_node *en, uint64_t lbn, uint32_t *pbnp,
    bool *newp)
{
	uint32_t idx[BMAP_MAXDEPTH], bno, child, goal;
	int error, slot, depth, i;

	*newp = false;
	if ((error = bmap_path(en->en_mount, lbn, &slot, idx, &depth)) != 0)
		return error;
	goal = alloc_goal(en, lbn);
	bno = ext2_n_blkptr(en, slot);
	if (bno == 0) {
		if ((error = alloc_block(en, goal, depth > 0, &bno)) != 0)
			return error;
		ext2_n_setblkptr(en, slot, bno);
		*newp = depth == 0;
		goal = bno + 1;
	} else if (!ext2_blkok(en->en_mount, bno)) {
		return badptr(en, bno);
	}
	for (i = 0; i < depth; i++) {
		if ((error = ind_get(en, bno, idx[i], &child)) != 0)
			return error;
		if (child == 0) {
			error = alloc_block(en, goal, i < depth - 1, &child);
			if (error != 0)
				return error;
			if ((error = ind_set(en, bno, idx[i], child)) != 0) {
				(void)free_block(en, child);
				return error;
			}
			*newp = i == depth - 1;
			goal = child + 1;
		}
		bno = child;
	}
	en->en_lastlbn = (uint32_t)lbn;
	en->en_lastpbn = bno;
	*pbnp = bno;
	return 0;
}

int
ext2_bmap_unmap(struct ext2_node *en, uint64_t lbn)
{
	uint32_t idx[BMAP_MAXDEPTH], bno, child;
	int error, slot, depth, i;

	if ((error = bmap_path(en->en_mount, lbn, &slot, idx, &depth)) != 0)
		return error;
	bno = ext2_n_blkptr(en, slot);
	if (bno != 0 && !ext2_blkok(en->en_mount, bno))
		return badptr(en, bno);
	if (depth == 0) {
		ext2_n_setblkptr(en, slot, 0);
		return bno != 0 ? free_block(en, bno) : 0;
	}
	for (i = 0; i < depth - 1 && bno != 0; i++)
		if ((error = ind_get(en, bno, idx[i], &bno)) != 0)
			return error;
	if (bno == 0 ||
	    (error = ind_get(en, bno, idx[depth - 1], &child)) != 0 ||
	    child == 0)
		return error;
	if ((error = ind_set(en, bno, idx[depth - 1], 0)) != 0)
		return error;
	return free_block(en, child);
}

/* ---- truncation --------------------------------------------------------- */

/* Free the data blocks listed in entries [from, nindir) of the single
 * indirect block bno, clearing the entries. */
static int
free_leaves(struct ext2_node *en, uint32_t bno, uint32_t from)
{
	struct ext2_mount *em = en->en_mount;
	struct buf *bp;
	uint32_t i, child;
	int error, first = 0;

	if ((error = ind_read(en, bno, &bp)) != 0)
		return error;
	for (i = from; i < em->em_nindir; i++) {
		child = ind_entry(bp, i);
		if (child == 0)
			continue;
		ind_setentry(bp, i, 0);
		error = ext2_blkok(em, child) ? free_block(en, child) :
		    badptr(en, child);
		if (first == 0)
			first = error;
	}
	bdwrite(bp);
	return first;
}

static int	free_tree(struct ext2_node *, uint32_t, int);

/* Free the subtrees under entries [from, nindir) of indirect block bno
 * (depth levels above the data), clearing the entries. */
static int
free_entries(struct ext2_node *en, uint32_t bno, int depth, uint32_t from)
{
	uint32_t i, child;
	int error;

	if (depth == 1)
		return free_leaves(en, bno, from);
	for (i = from; i < en->en_mount->em_nindir; i++) {
		error = ind_get(en, bno, i, &child);
		if (error == 0 && child != 0 &&
		    (error = free_tree(en, child, depth - 1)) == 0)
			error = ind_set(en, bno, i, 0);
		if (error != 0)
			return error;
	}
	return 0;
}

/* Free indirect block bno (depth levels above the data) and all under
 * it. */
static int
free_tree(struct ext2_node *en, uint32_t bno, int depth)
{
	int error;

	if (depth > 0 && (error = free_entries(en, bno, depth, 0)) != 0)
		return error;
	return free_block(en, bno);
}

/* Keep file blocks [0, first) of the subtree at bno (first > 0), free
 * the rest. */
static int
trunc_tree(struct ext2_node *en, uint32_t bno, int depth, uint64_t first)
{
	uint64_t span = 1;
	uint32_t i, child;
	int d, error;

	for (d = 1; d < depth; d++)
		span *= en->en_mount->em_nindir;
	i = (uint32_t)(first / span);
	if (first % span == 0)
		return free_entries(en, bno, depth, i);
	if ((error = ind_get(en, bno, i, &child)) != 0)
		return error;
	if (child != 0 &&
	    (error = trunc_tree(en, child, depth - 1, first % span)) != 0)
		return error;
	return free_entries(en, bno, depth, i + 1);
}

int
ext2_bmap_truncate(struct ext2_node *en, uint64_t first)
{
	struct ext2_mount *em = en->en_mount;
	uint64_t base = EXT2_NDADDR, span = em->em_nindir;
	uint32_t bno;
	int error, slot, depth;

	en->en_lastpbn = 0;
	for (slot = (int)MIN(first, EXT2_NDADDR); slot < EXT2_NDADDR;
	    slot++) {
		if ((bno = ext2_n_blkptr(en, slot)) == 0)
			continue;
		ext2_n_setblkptr(en, slot, 0);
		error = ext2_blkok(em, bno) ? free_block(en, bno) :
		    badptr(en, bno);
		if (error != 0)
			return error;
	}
	for (depth = 1; depth <= BMAP_MAXDEPTH; depth++) {
		slot = EXT2_IND_BLOCK + depth - 1;
		bno = ext2_n_blkptr(en, slot);
		if (bno != 0 && first < base + span) {
			if (!ext2_blkok(em, bno)) {
				ext2_n_setblkptr(en, slot, 0);
				return badptr(en, bno);
			}
			if (first <= base) {
				error = free_tree(en, bno, depth);
				if (error == 0)
					ext2_n_setblkptr(en, slot, 0);
			} else {
				error = trunc_tree(en, bno, depth,
				    first - base);
			}
			if (error != 0)
				return error;
		}
		base += span;
		span *= em->em_nindir;
	}
	return 0;
}
