/*
 * msdosfs_fat.c: the file allocation table.
 *
 * Owns reading and writing FAT entries (12, 16 or 28 bits; FAT12
 * entries may straddle two sectors) through sector-sized buffers, with
 * every write going to every FAT copy (each changed in place, one buffer
 * per copy); following chains with every link checked (2..md_maxcl or
 * end of chain) and every walk bounded by the count of clusters, so a
 * loop cannot hang; allocating clusters in runs of adjacent free ones
 * (right after the previous one when it is free, else from the md_next
 * hint; a run's entries are written one FAT sector at a time), freeing
 * chains, and the exact count of free clusters (md_free).
 *
 * Lock: md_lock, held by the callers of msdos_fat_get/set and taken here
 * by the others; it is held across the I/O of the FAT sectors.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kern.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <fs/msdos/msdosfs.h>

bool
msdos_clok(const struct msdos_mount *md, uint32_t cl)
{

	return cl >= FAT_MINCL && cl <= md->md_maxcl;
}

static bool
iseoc(const struct msdos_mount *md, uint32_t val)
{

	switch (md->md_type) {
	case FAT12:
		return val >= 0xff8;
	case FAT16:
		return val >= 0xfff8;
	default:
		return val >= 0x0ffffff8;
	}
}

uint64_t
msdos_cloff(const struct msdos_mount *md, uint32_t cl)
{

	return md->md_dataoff + ((uint64_t)(cl - FAT_MINCL) << md->md_cshift);
}

/* Byte offset of entry cl within a FAT copy. */
static uint32_t
fat_entoff(const struct msdos_mount *md, uint32_t cl)
{

	switch (md->md_type) {
	case FAT12:
		return cl + cl / 2;
	case FAT16:
		return cl * 2;
	default:
		return cl * 4;
	}
}

/* Move n bytes at byte offset off of FAT copy `copy'. */
static int
fat_rw(struct msdos_mount *md, uint32_t copy, uint32_t off, uint8_t *p,
    size_t n, bool write)
{
	uint64_t base = md->md_fatoff + (uint64_t)copy * md->md_fatsize;
	uint32_t soff, k;
	struct buf *bp;
	int error;

	KASSERT(mutex_owned(&md->md_lock));
	while (n > 0) {
		soff = off % md->md_bps;
		k = (uint32_t)MIN(n, md->md_bps - soff);
		error = bread(md->md_dev, base + off - soff, md->md_bps, 0,
		    &bp);
		if (error != 0)
			return error;
		if (write) {
			memcpy((uint8_t *)bp->b_data + soff, p, k);
			bdwrite(bp);
		} else {
			memcpy(p, (uint8_t *)bp->b_data + soff, k);
			brelse(bp);
		}
		off += k;
		p += k;
		n -= k;
	}
	return 0;
}

int
msdos_fat_get(struct msdos_mount *md, uint32_t cl, uint32_t *valp)
{
	uint8_t b[4];
	uint32_t v;
	int error;

	KASSERT(cl <= md->md_maxcl);
	error = fat_rw(md, md->md_actfat, fat_entoff(md, cl), b,
	    md->md_type == FAT32 ? 4 : 2, false);
	if (error != 0)
		return error;
	switch (md->md_type) {
	case FAT12:
		v = le16(b);
		v = (cl & 1) ? v >> 4 : v & 0xfff;
		break;
	case FAT16:
		v = le16(b);
		break;
	default:
		v = le32(b) & FAT32_MASK;
		break;
	}
	*valp = v;
	return 0;
}

/* Put val into the entry of cl held in b (2 or 4 bytes). */
static void
fat_encode(const struct msdos_mount *md, uint32_t cl, uint32_t val,
    uint8_t *b)
{
	uint16_t v;

	switch (md->md_type) {
	case FAT12:
		v = le16(b);
		if (cl & 1)
			v = (uint16_t)((v & 0x000f) | (val << 4));
		else
			v = (uint16_t)((v & 0xf000) | (val & 0xfff));
		setle16(b, v);
		break;
	case FAT16:
		setle16(b, (uint16_t)val);
		break;
	default:
		setle32(b, (le32(b) & ~FAT32_MASK) | (val & FAT32_MASK));
		break;
	}
}

/* Set entry cl in FAT copy `copy': one sector buffer unless the entry
 * straddles two (FAT12). */
static int
fat_set_copy(struct msdos_mount *md, uint32_t copy, uint32_t cl,
    uint32_t val)
{
	uint64_t base = md->md_fatoff + (uint64_t)copy * md->md_fatsize;
	uint32_t off = fat_entoff(md, cl), soff = off % md->md_bps;
	size_t n = md->md_type == FAT32 ? 4 : 2;
	struct buf *bp;
	uint8_t b[4];
	int error;

	if (soff + n > md->md_bps) {
		if ((error = fat_rw(md, copy, off, b, n, false)) != 0)
			return error;
		fat_encode(md, cl, val, b);
		return fat_rw(md, copy, off, b, n, true);
	}
	error = bread(md->md_dev, base + off - soff, md->md_bps, 0, &bp);
	if (error != 0)
		return error;
	fat_encode(md, cl, val, (uint8_t *)bp->b_data + soff);
	bdwrite(bp);
	return 0;
}

int
msdos_fat_set(struct msdos_mount *md, uint32_t cl, uint32_t val)
{
	uint32_t copy;
	int error;

	KASSERT(mutex_owned(&md->md_lock));
	KASSERT(cl <= md->md_maxcl);
	for (copy = 0; copy < md->md_nfats; copy++)
		if ((error = fat_set_copy(md, copy, cl, val)) != 0)
			return error;
	return 0;
}

static uint32_t
fat_eoc(const struct msdos_mount *md)
{

	switch (md->md_type) {
	case FAT12:
		return FAT12_EOC;
	case FAT16:
		return FAT16_EOC;
	default:
		return FAT32_EOC;
	}
}

/* msdos_fat_next with md_lock held. */
static int
fat_next_locked(struct msdos_mount *md, uint32_t cl, uint32_t *nextp)
{
	uint32_t v;
	int error;

	*nextp = 0;
	if (!msdos_clok(md, cl))
		return msdos_corrupt(md, "cluster %u out of range", cl);
	if ((error = msdos_fat_get(md, cl, &v)) != 0)
		return error;
	if (iseoc(md, v))
		return 0;
	if (!msdos_clok(md, v))
		return msdos_corrupt(md, "cluster %u links to %s cluster %u",
		    cl, v == FAT_FREE ? "free" : "invalid", v);
	*nextp = v;
	return 0;
}

int
msdos_fat_next(struct msdos_mount *md, uint32_t cl, uint32_t *nextp)
{
	int error;

	mutex_enter(&md->md_lock);
	error = fat_next_locked(md, cl, nextp);
	mutex_exit(&md->md_lock);
	return error;
}

int
msdos_chainlen(struct msdos_mount *md, uint32_t cl, uint32_t *lenp,
    uint32_t *lastp)
{
	uint32_t n = 0, next, tort = cl, power = 1, lam = 0;
	int error = 0;

	/* Brent's cycle detection: the tortoise jumps to the hare at
	 * powers of two; meeting it again means a loop. */
	mutex_enter(&md->md_lock);
	while (cl != 0 && n < md->md_nclusters) {
		n++;
		*lastp = cl;
		if ((error = fat_next_locked(md, cl, &next)) != 0)
			break;
		if (next == tort) {
			error = msdos_corrupt(md, "cluster chain at %u loops",
			    tort);
			break;
		}
		if (++lam == power) {
			tort = next;
			power *= 2;
			lam = 0;
		}
		cl = next;
	}
	mutex_exit(&md->md_lock);
	*lenp = n;
	return error;
}

/* A free cluster at or after `from', wrapping around; md_lock held. */
static int
fat_findfree(struct msdos_mount *md, uint32_t from, uint32_t *clp)
{
	uint32_t cl = from, i, v;
	int error;

	for (i = 0; i < md->md_nclusters; i++, cl++) {
		if (cl > md->md_maxcl)
			cl = FAT_MINCL;
		if ((error = msdos_fat_get(md, cl, &v)) != 0)
			return error;
		if (v == FAT_FREE) {
			*clp = cl;
			return 0;
		}
	}
	return msdos_corrupt(md, "free cluster count %u but none free",
	    md->md_free);
}

/* How many free entries from cl (free) on, at most max, staying below
 * md_maxcl; md_lock held. */
static int
fat_runfree(struct msdos_mount *md, uint32_t cl, uint32_t max, uint32_t *np)
{
	uint32_t n = 1, v;
	int error;

	while (n < max && cl + n <= md->md_maxcl) {
		if ((error = msdos_fat_get(md, cl + n, &v)) != 0)
			return error;
		if (v != FAT_FREE)
			break;
		n++;
	}
	*np = n;
	return 0;
}

/* Link the n entries from first into a chain ending there, in FAT copy
 * `copy': one buffer per sector (FAT16/32). */
static int
fat_setrun_copy(struct msdos_mount *md, uint32_t copy, uint32_t first,
    uint32_t n)
{
	uint64_t base = md->md_fatoff + (uint64_t)copy * md->md_fatsize;
	uint32_t e = first, end = first + n, soff;
	struct buf *bp;
	int error;

	while (e < end) {
		if (md->md_type == FAT12) {
			error = fat_set_copy(md, copy, e, e + 1 == end ?
			    fat_eoc(md) : e + 1);
			if (error != 0)
				return error;
			e++;
			continue;
		}
		soff = fat_entoff(md, e) - fat_entoff(md, e) % md->md_bps;
		error = bread(md->md_dev, base + soff, md->md_bps, 0, &bp);
		if (error != 0)
			return error;
		for (; e < end && fat_entoff(md, e) - soff < md->md_bps; e++)
			fat_encode(md, e, e + 1 == end ? fat_eoc(md) : e + 1,
			    (uint8_t *)bp->b_data + fat_entoff(md, e) - soff);
		bdwrite(bp);
	}
	return 0;
}

/* Give the run of n clusters from cl back; md_lock held. */
static void
fat_freerun(struct msdos_mount *md, uint32_t cl, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		(void)msdos_fat_set(md, cl + i, FAT_FREE);
}

int
msdos_clalloc_run(struct msdos_mount *md, uint32_t prev, uint32_t max,
    uint32_t *clp, uint32_t *np)
{
	uint32_t cl = 0, from, n = 0, copy;
	int error;

	KASSERT(max > 0);
	mutex_enter(&md->md_lock);
	if (md->md_free == 0) {
		mutex_exit(&md->md_lock);
		return ENOSPC;
	}
	from = prev != 0 && prev < md->md_maxcl ? prev + 1 : md->md_next;
	if (!msdos_clok(md, from))
		from = FAT_MINCL;
	error = fat_findfree(md, from, &cl);
	if (error == 0)
		error = fat_runfree(md, cl, MIN(max, md->md_free), &n);
	for (copy = 0; error == 0 && copy < md->md_nfats; copy++)
		error = fat_setrun_copy(md, copy, cl, n);
	if (error == 0 && prev != 0)
		error = msdos_fat_set(md, prev, cl);
	if (error != 0 && n > 0)
		fat_freerun(md, cl, n);
	if (error == 0) {
		md->md_free -= n;
		md->md_next = cl + n <= md->md_maxcl ? cl + n : FAT_MINCL;
		md->md_fsidirty = true;
		*clp = cl;
		*np = n;
	}
	mutex_exit(&md->md_lock);
	return error;
}

int
msdos_clalloc(struct msdos_mount *md, uint32_t prev, uint32_t *clp)
{
	uint32_t n;

	return msdos_clalloc_run(md, prev, 1, clp, &n);
}

int
msdos_fat_cut(struct msdos_mount *md, uint32_t cl, uint32_t *nextp)
{
	int error;

	mutex_enter(&md->md_lock);
	error = fat_next_locked(md, cl, nextp);
	if (error == 0 && *nextp != 0)
		error = msdos_fat_set(md, cl, fat_eoc(md));
	mutex_exit(&md->md_lock);
	return error;
}

int
msdos_freechain(struct msdos_mount *md, uint32_t cl)
{
	uint32_t n, next;
	int error = 0;

	mutex_enter(&md->md_lock);
	for (n = 0; cl != 0 && n < md->md_nclusters; n++) {
		if ((error = fat_next_locked(md, cl, &next)) != 0 ||
		    (error = msdos_fat_set(md, cl, FAT_FREE)) != 0)
			break;
		md->md_free++;
		md->md_fsidirty = true;
		cl = next;
	}
	if (md->md_free > md->md_nclusters)
		md->md_free = md->md_nclusters;
	mutex_exit(&md->md_lock);
	return error;
}

/* Count the zero entries in one FAT sector (FAT16/32). */
static uint32_t
count_sector(const struct msdos_mount *md, const uint8_t *p, uint32_t first,
    uint32_t n)
{
	uint32_t i, cnt = 0, cl;

	for (i = 0; i < n; i++) {
		cl = first + i;
		if (cl < FAT_MINCL || cl > md->md_maxcl)
			continue;
		if (md->md_type == FAT16 ? le16(p + 2 * i) == 0 :
		    (le32(p + 4 * i) & FAT32_MASK) == 0)
			cnt++;
	}
	return cnt;
}

int
msdos_countfree(struct msdos_mount *md)
{
	uint32_t cl, v, per, nfree = 0;
	uint64_t base;
	struct buf *bp;
	int error = 0;

	mutex_enter(&md->md_lock);
	if (md->md_type == FAT12) {
		for (cl = FAT_MINCL; cl <= md->md_maxcl && error == 0; cl++)
			if ((error = msdos_fat_get(md, cl, &v)) == 0 &&
			    v == FAT_FREE)
				nfree++;
	} else {
		per = md->md_bps / (md->md_type == FAT16 ? 2 : 4);
		base = md->md_fatoff + (uint64_t)md->md_actfat *
		    md->md_fatsize;
		for (cl = 0; cl <= md->md_maxcl; cl += per) {
			error = bread(md->md_dev, base + (uint64_t)(cl / per) *
			    md->md_bps, md->md_bps, 8, &bp);
			if (error != 0)
				break;
			nfree += count_sector(md, bp->b_data, cl, per);
			brelse(bp);
		}
	}
	if (error == 0) {
		md->md_free = nfree;
		md->md_fsidirty = true;
	}
	mutex_exit(&md->md_lock);
	return error;
}

int
msdos_clzero(struct msdos_mount *md, uint32_t cl)
{
	struct buf *bp;

	bp = getblk(md->md_dev, msdos_cloff(md, cl), md->md_csize);
	if (bp == NULL)
		return ENOMEM;
	memset(bp->b_data, 0, md->md_csize);
	bdwrite(bp);
	return 0;
}
