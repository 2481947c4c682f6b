/*
 * ext2_alloc.c: allocating and freeing blocks and inodes.
 *
 * Owns the block and inode bitmaps and the free counts of the groups and
 * of the file system (kept exact at every change).  Placement follows
 * Linux's ext2: a new directory goes to a group with at least the
 * average number of free inodes, the one with the most free blocks
 * among them, spreading directory trees; other files go into their
 * directory's group, else one found by a quadratic probe; blocks go next
 * to the goal the caller gives (the file's previous block).  The blocks
 * reserved for root are kept for root and s_def_resuid/s_def_resgid.
 *
 * A bitmap that disagrees with the counts, or that offers a metadata
 * block, is corruption: the allocation fails with EXT2_ECORRUPT.
 *
 * Lock: em_lock, held across the bitmap I/O; a bitmap buffer is the only
 * buffer taken under it.
 */
#include <kern/types.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <fs/ext2/ext2.h>

#define NOBIT		UINT32_MAX
#define NOGROUP		UINT32_MAX

static uint32_t
find_clear(const uint8_t *map, uint32_t from, uint32_t to)
{
	uint32_t i = from;

	while (i < to) {
		if ((i & 7) == 0 && to - i >= 8 && map[i >> 3] == 0xff) {
			i += 8;
			continue;
		}
		if ((map[i >> 3] & (1U << (i & 7))) == 0)
			return i;
		i++;
	}
	return NOBIT;
}

static bool
isset(const uint8_t *map, uint32_t i)
{

	return (map[i >> 3] & (1U << (i & 7))) != 0;
}

static void
setbit(uint8_t *map, uint32_t i)
{

	map[i >> 3] |= (uint8_t)(1U << (i & 7));
}

static void
clrbit(uint8_t *map, uint32_t i)
{

	map[i >> 3] &= (uint8_t)~(1U << (i & 7));
}

static int
bitmap_read(struct ext2_mount *em, uint32_t bno, struct buf **bpp)
{

	return bread(em->em_dev, ext2_boff(em, bno), em->em_bsize, 0, bpp);
}

/* May the caller use the blocks reserved for root? */
static bool
may_use_reserve(const struct ext2_mount *em)
{
	struct cred *cr = curcred;

	return cr == NULL || cr->cr_fsuid == 0 ||
	    cr->cr_fsuid == em->em_resuid ||
	    (em->em_resgid != 0 && cr->cr_fsgid == em->em_resgid);
}

static int
blkalloc_group(struct ext2_mount *em, uint32_t g, uint32_t start,
    uint32_t *bnop)
{
	struct ext2_group *eg = &em->em_groups[g];
	struct buf *bp;
	uint32_t i, bno;
	int error;

	if ((error = bitmap_read(em, eg->eg_block_bitmap, &bp)) != 0)
		return error;
	i = find_clear(bp->b_data, start, eg->eg_nblocks);
	if (i == NOBIT)
		i = find_clear(bp->b_data, 0, start);
	if (i == NOBIT) {
		brelse(bp);
		return ext2_corrupt(em, "group %u: %u free blocks counted, "
		    "none in the bitmap", g, eg->eg_free_blocks);
	}
	bno = eg->eg_first + i;
	if (!ext2_blkok(em, bno)) {
		brelse(bp);
		return ext2_corrupt(em, "group %u: block bitmap has "
		    "metadata block %u free", g, bno);
	}
	setbit(bp->b_data, i);
	bdwrite(bp);
	eg->eg_free_blocks--;
	em->em_freeblocks--;
	em->em_dirty = true;
	*bnop = bno;
	return 0;
}

int
ext2_blkalloc(struct ext2_mount *em, uint32_t goal, uint32_t *bnop)
{
	uint32_t g0, g, i, start;
	int error = ENOSPC;

	if (goal < em->em_firstdata || goal >= em->em_blocks)
		goal = em->em_firstdata;
	g0 = (goal - em->em_firstdata) / em->em_bpg;
	start = goal - em->em_groups[g0].eg_first;
	mutex_enter(&em->em_lock);
	if (em->em_freeblocks <= em->em_rblocks && !may_use_reserve(em)) {
		mutex_exit(&em->em_lock);
		return ENOSPC;
	}
	for (i = 0; i < em->em_ngroups; i++) {
		g = (g0 + i) % em->em_ngroups;
		if (em->em_groups[g].eg_free_blocks == 0)
			continue;
		error = blkalloc_group(em, g, i == 0 ? start : 0, bnop);
		break;
	}
	mutex_exit(&em->em_lock);
	return error;
}

int
ext2_blkfree(struct ext2_mount *em, uint32_t bno)
{
	struct ext2_group *eg;
	struct buf *bp;
	uint32_t g, i;
	int error;

	if (!ext2_blkok(em, bno))
		return ext2_corrupt(em, "freeing metadata or bad block %u",
		    bno);
	g = (bno - em->em_firstdata) / em->em_bpg;
	eg = &em->em_groups[g];
	i = bno - eg->eg_first;
	mutex_enter(&em->em_lock);
	if ((error = bitmap_read(em, eg->eg_block_bitmap, &bp)) != 0) {
		mutex_exit(&em->em_lock);
		return error;
	}
	if (!isset(bp->b_data, i) || eg->eg_free_blocks >= eg->eg_nblocks) {
		brelse(bp);
		mutex_exit(&em->em_lock);
		return ext2_corrupt(em, "freeing free block %u", bno);
	}
	clrbit(bp->b_data, i);
	bdwrite(bp);
	eg->eg_free_blocks++;
	em->em_freeblocks++;
	em->em_dirty = true;
	mutex_exit(&em->em_lock);
	return 0;
}

/* A group for a new directory: one with at least the average number of
 * free inodes and, among those, the most free blocks. */
static uint32_t
group_for_dir(const struct ext2_mount *em)
{
	const struct ext2_group *eg;
	uint32_t g, best = NOGROUP, avg;

	avg = em->em_freeinodes / em->em_ngroups;
	for (g = 0; g < em->em_ngroups; g++) {
		eg = &em->em_groups[g];
		if (eg->eg_free_inodes == 0 || eg->eg_free_inodes < avg)
			continue;
		if (best == NOGROUP ||
		    eg->eg_free_blocks > em->em_groups[best].eg_free_blocks)
			best = g;
	}
	return best;
}

static bool
group_roomy(const struct ext2_mount *em, uint32_t g)
{

	return em->em_groups[g].eg_free_inodes != 0 &&
	    em->em_groups[g].eg_free_blocks != 0;
}

/* A group for a file in directory dino: the directory's, else one with
 * free inodes and blocks found by a quadratic probe, else any with free
 * inodes. */
static uint32_t
group_for_file(const struct ext2_mount *em, ino_t dino)
{
	uint32_t n = em->em_ngroups, pg, g, i;

	pg = (uint32_t)((dino - 1) / em->em_ipg) % n;
	if (group_roomy(em, pg))
		return pg;
	g = (uint32_t)((pg + dino) % n);
	for (i = 1; i < n; i <<= 1) {
		g = (g + i) % n;
		if (group_roomy(em, g))
			return g;
	}
	for (i = 0; i < n; i++) {
		g = (pg + i) % n;
		if (em->em_groups[g].eg_free_inodes != 0)
			return g;
	}
	return NOGROUP;
}

static int
ialloc_group(struct ext2_mount *em, uint32_t g, bool isdir, ino_t *inop)
{
	struct ext2_group *eg = &em->em_groups[g];
	struct buf *bp;
	uint32_t i, start;
	int error;

	start = g == 0 ? em->em_firstino - 1 : 0;
	if ((error = bitmap_read(em, eg->eg_inode_bitmap, &bp)) != 0)
		return error;
	i = find_clear(bp->b_data, start, em->em_ipg);
	if (i == NOBIT) {
		brelse(bp);
		return ext2_corrupt(em, "group %u: %u free inodes counted, "
		    "none in the bitmap", g, eg->eg_free_inodes);
	}
	setbit(bp->b_data, i);
	bdwrite(bp);
	eg->eg_free_inodes--;
	em->em_freeinodes--;
	if (isdir)
		eg->eg_used_dirs++;
	em->em_dirty = true;
	*inop = (ino_t)g * em->em_ipg + i + 1;
	return 0;
}

int
ext2_ialloc(struct ext2_mount *em, ino_t dino, bool isdir, ino_t *inop)
{
	uint32_t g;
	int error;

	mutex_enter(&em->em_lock);
	g = NOGROUP;
	if (em->em_freeinodes != 0)
		g = isdir ? group_for_dir(em) : group_for_file(em, dino);
	if (g == NOGROUP)
		error = ENOSPC;
	else
		error = ialloc_group(em, g, isdir, inop);
	mutex_exit(&em->em_lock);
	return error;
}

int
ext2_ifree(struct ext2_mount *em, ino_t ino, bool isdir)
{
	struct ext2_group *eg;
	struct buf *bp;
	uint32_t g, i;
	int error;

	if (ino < em->em_firstino || ino > em->em_inodes)
		return ext2_corrupt(em, "freeing reserved or bad inode %llu",
		    (unsigned long long)ino);
	g = (uint32_t)((ino - 1) / em->em_ipg);
	i = (uint32_t)((ino - 1) % em->em_ipg);
	eg = &em->em_groups[g];
	mutex_enter(&em->em_lock);
	if ((error = bitmap_read(em, eg->eg_inode_bitmap, &bp)) != 0) {
		mutex_exit(&em->em_lock);
		return error;
	}
	if (!isset(bp->b_data, i) || eg->eg_free_inodes >= em->em_ipg) {
		brelse(bp);
		mutex_exit(&em->em_lock);
		return ext2_corrupt(em, "freeing free inode %llu",
		    (unsigned long long)ino);
	}
	clrbit(bp->b_data, i);
	bdwrite(bp);
	eg->eg_free_inodes++;
	em->em_freeinodes++;
	if (isdir && eg->eg_used_dirs > 0)
		eg->eg_used_dirs--;
	em->em_dirty = true;
	mutex_exit(&em->em_lock);
	return 0;
}

uint32_t
ext2_inogoal(const struct ext2_mount *em, ino_t ino)
{
	const struct ext2_group *eg;

	eg = &em->em_groups[(ino - 1) / em->em_ipg % em->em_ngroups];
	return eg->eg_inode_table + em->em_itblocks;
}
