/*
 * ext2_dir.c: the ext2 directory format.
 *
 * Owns directory contents: blocks of variable-length entries (inode,
 * rec_len, name_len, file type, name) that tile each block exactly.
 * Lookup, readdir and emptiness checks scan the blocks linearly, which
 * also reads hash-indexed (dir_index) directories correctly: their index
 * blocks look like blocks holding one unused entry.  Any change to a
 * directory clears its EXT2_INDEX_FL, turning it into a plain linear
 * directory that e2fsck and Linux accept.  Every entry is checked before
 * use (alignment, rec_len within the block and large enough for the
 * name, inode number in range); a bad one fails the operation with
 * EXT2_ECORRUPT.
 *
 * readdir cookies are byte offsets of entries.  After a change an offset
 * may fall inside a merged entry: reading resumes at the first entry
 * that starts at or after it, so nothing is returned twice.
 *
 * Lock: the directory's vnode lock (exclusive for changes).
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/dirent.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

/* A checked directory entry. */
struct dent {
	uint32_t	 d_ino;
	uint32_t	 d_reclen;
	uint32_t	 d_namelen;
	int		 d_type;	/* EXT2_FT_* */
	const char	*d_name;
};

static const uint8_t ft_to_dt[EXT2_FT_MAX] = {
	[EXT2_FT_UNKNOWN] = DT_UNKNOWN,
	[EXT2_FT_REG_FILE] = DT_REG,
	[EXT2_FT_DIR] = DT_DIR,
	[EXT2_FT_CHRDEV] = DT_CHR,
	[EXT2_FT_BLKDEV] = DT_BLK,
	[EXT2_FT_FIFO] = DT_FIFO,
	[EXT2_FT_SOCK] = DT_SOCK,
	[EXT2_FT_SYMLINK] = DT_LNK,
};

static uint8_t
vtype_to_ft(enum vtype type)
{

	switch (type) {
	case VREG:
		return EXT2_FT_REG_FILE;
	case VDIR:
		return EXT2_FT_DIR;
	case VCHR:
		return EXT2_FT_CHRDEV;
	case VBLK:
		return EXT2_FT_BLKDEV;
	case VFIFO:
		return EXT2_FT_FIFO;
	case VSOCK:
		return EXT2_FT_SOCK;
	case VLNK:
		return EXT2_FT_SYMLINK;
	default:
		return EXT2_FT_UNKNOWN;
	}
}

static uint64_t
dir_nblocks(const struct ext2_node *dn)
{

	return ext2_n_size(dn) >> dn->en_mount->em_bshift;
}

static int
dir_bread(struct ext2_node *dn, uint64_t lbn, struct buf **bpp)
{
	struct ext2_mount *em = dn->en_mount;
	uint32_t pbn;
	int error;

	if ((error = ext2_bmap(dn, lbn, &pbn)) != 0)
		return error;
	if (pbn == 0)
		return ext2_corrupt(em, "directory inode %llu: hole at block "
		    "%llu", (unsigned long long)dn->en_ino,
		    (unsigned long long)lbn);
	return bread(em->em_dev, ext2_boff(em, pbn), em->em_bsize, 0, bpp);
}

static int
baddent(struct ext2_node *dn, uint64_t lbn, uint32_t off, const char *why)
{

	return ext2_corrupt(dn->en_mount, "directory inode %llu, block %llu, "
	    "offset %u: %s", (unsigned long long)dn->en_ino,
	    (unsigned long long)lbn, off, why);
}

/* Check the entry at off in directory block lbn (data). */
static int
dent_get(struct ext2_node *dn, const void *data, uint64_t lbn, uint32_t off,
    struct dent *d)
{
	struct ext2_mount *em = dn->en_mount;
	const struct ext2_dirent *de;

	if (off % 4 != 0 || off > em->em_bsize - EXT2_DIRENT_SIZE(1))
		return baddent(dn, lbn, off, "entry out of place");
	de = (const struct ext2_dirent *)((const char *)data + off);
	d->d_ino = e2_32(de->d_ino);
	d->d_reclen = e2_16(de->d_rec_len);
	d->d_namelen = de->d_name_len;
	d->d_type = em->em_filetype ? de->d_type : EXT2_FT_UNKNOWN;
	d->d_name = de->d_name;
	if (!em->em_filetype && de->d_type != 0)
		return baddent(dn, lbn, off, "name too long");
	if (d->d_reclen < EXT2_DIRENT_SIZE(1) || d->d_reclen % 4 != 0 ||
	    d->d_reclen > em->em_bsize - off)
		return baddent(dn, lbn, off, "bad record length");
	if (d->d_reclen < EXT2_DIRENT_SIZE(d->d_namelen))
		return baddent(dn, lbn, off, "name longer than the record");
	if (d->d_ino > em->em_inodes || (d->d_ino != 0 && d->d_namelen == 0))
		return baddent(dn, lbn, off, "bad inode number or name");
	return 0;
}

static void
dirchanged(struct ext2_node *dn)
{

	if (ext2_n_flags(dn) & EXT2_INDEX_FL)
		ext2_n_setflags(dn, ext2_n_flags(dn) & ~EXT2_INDEX_FL);
}

int
ext2_dir_lookup(struct ext2_node *dn, const char *name, size_t len,
    struct ext2_slot *es)
{
	uint64_t lbn, nblocks = dir_nblocks(dn);
	uint32_t off, bsize = dn->en_mount->em_bsize;
	struct dent d;
	struct buf *bp;
	int error;

	for (lbn = 0; lbn < nblocks; lbn++) {
		if ((error = dir_bread(dn, lbn, &bp)) != 0)
			return error;
		for (off = 0; off < bsize; off += d.d_reclen) {
			if ((error = dent_get(dn, bp->b_data, lbn, off, &d))
			    != 0) {
				brelse(bp);
				return error;
			}
			if (d.d_ino == 0 || d.d_namelen != len ||
			    memcmp(d.d_name, name, len) != 0)
				continue;
			es->es_ino = d.d_ino;
			es->es_type = d.d_type;
			es->es_off = (lbn << dn->en_mount->em_bshift) + off;
			brelse(bp);
			return 0;
		}
		brelse(bp);
	}
	return ENOENT;
}

/* Write a new entry at off of the block (rec_len given). */
static void
dent_put(struct ext2_node *dn, void *data, uint32_t off, uint32_t reclen,
    const char *name, size_t len, ino_t ino, enum vtype type)
{
	struct ext2_dirent *de = (struct ext2_dirent *)((char *)data + off);

	de->d_ino = h2e_32((uint32_t)ino);
	de->d_rec_len = h2e_16((uint16_t)reclen);
	de->d_name_len = (uint8_t)len;
	de->d_type = dn->en_mount->em_filetype ? vtype_to_ft(type) : 0;
	memcpy(de->d_name, name, len);
}

/* Put the entry into block lbn if it has room: 0, or ENOSPC. */
static int
enter_inblock(struct ext2_node *dn, uint64_t lbn, const char *name,
    size_t len, ino_t ino, enum vtype type)
{
	uint32_t off, used, need = EXT2_DIRENT_SIZE(len);
	uint32_t bsize = dn->en_mount->em_bsize;
	struct ext2_dirent *de;
	struct dent d;
	struct buf *bp;
	int error;

	if ((error = dir_bread(dn, lbn, &bp)) != 0)
		return error;
	for (off = 0; off < bsize; off += d.d_reclen) {
		if ((error = dent_get(dn, bp->b_data, lbn, off, &d)) != 0) {
			brelse(bp);
			return error;
		}
		used = d.d_ino == 0 ? 0 : EXT2_DIRENT_SIZE(d.d_namelen);
		if (d.d_reclen - used < need)
			continue;
		if (used != 0) {
			de = (struct ext2_dirent *)((char *)bp->b_data + off);
			de->d_rec_len = h2e_16((uint16_t)used);
		}
		dent_put(dn, bp->b_data, off + used, d.d_reclen - used, name,
		    len, ino, type);
		bdwrite(bp);
		return 0;
	}
	brelse(bp);
	return ENOSPC;
}

/* Add a block holding just the new entry. */
static int
enter_newblock(struct ext2_node *dn, const char *name, size_t len,
    ino_t ino, enum vtype type)
{
	struct ext2_mount *em = dn->en_mount;
	uint64_t size = ext2_n_size(dn);
	struct buf *bp;
	uint32_t pbn;
	bool isnew;
	int error;

	if (size + em->em_bsize > UINT32_MAX)
		return EFBIG;
	error = ext2_bmap_alloc(dn, size >> em->em_bshift, &pbn, &isnew);
	if (error != 0)
		return error;
	bp = getblk(em->em_dev, ext2_boff(em, pbn), em->em_bsize);
	if (bp == NULL) {
		(void)ext2_bmap_truncate(dn, size >> em->em_bshift);
		return ENOMEM;
	}
	memset(bp->b_data, 0, em->em_bsize);
	dent_put(dn, bp->b_data, 0, em->em_bsize, name, len, ino, type);
	bdwrite(bp);
	ext2_n_setsize(dn, size + em->em_bsize);
	return 0;
}

int
ext2_dir_enter(struct ext2_node *dn, const char *name, size_t len,
    ino_t ino, enum vtype type)
{
	uint64_t lbn, nblocks = dir_nblocks(dn);
	int error;

	KASSERT(len > 0 && len <= EXT2_NAME_LEN);
	dirchanged(dn);
	for (lbn = 0; lbn < nblocks; lbn++) {
		error = enter_inblock(dn, lbn, name, len, ino, type);
		if (error != ENOSPC)
			return error;
	}
	return enter_newblock(dn, name, len, ino, type);
}

/* The block of a slot and the offsets of its entry and of the entry
 * before it in the block (the same if it is the first), re-checked. */
static int
slot_bread(struct ext2_node *dn, const struct ext2_slot *es,
    struct buf **bpp, uint32_t *offp, uint32_t *prevp)
{
	struct ext2_mount *em = dn->en_mount;
	uint64_t lbn = es->es_off >> em->em_bshift;
	uint32_t off, prev, want;
	struct dent d;
	int error;

	want = (uint32_t)(es->es_off & (em->em_bsize - 1));
	if ((error = dir_bread(dn, lbn, bpp)) != 0)
		return error;
	for (off = prev = 0; off <= want; prev = off, off += d.d_reclen) {
		if ((error = dent_get(dn, (*bpp)->b_data, lbn, off, &d)) != 0)
			break;
		if (off != want)
			continue;
		if (d.d_ino != es->es_ino)
			break;
		*offp = off;
		*prevp = prev;
		return 0;
	}
	brelse(*bpp);
	if (error != 0)
		return error;
	return baddent(dn, lbn, want, "entry changed under its lock");
}

int
ext2_dir_remove(struct ext2_node *dn, const struct ext2_slot *es)
{
	struct ext2_dirent *de, *prev;
	uint32_t off, poff;
	struct buf *bp;
	int error;

	if ((error = slot_bread(dn, es, &bp, &off, &poff)) != 0)
		return error;
	dirchanged(dn);
	de = (struct ext2_dirent *)((char *)bp->b_data + off);
	de->d_ino = 0;
	if (poff != off) {
		prev = (struct ext2_dirent *)((char *)bp->b_data + poff);
		prev->d_rec_len = h2e_16(e2_16(prev->d_rec_len) +
		    e2_16(de->d_rec_len));
	}
	bdwrite(bp);
	return 0;
}

int
ext2_dir_rewrite(struct ext2_node *dn, const struct ext2_slot *es,
    ino_t ino, enum vtype type)
{
	struct ext2_dirent *de;
	uint32_t off, poff;
	struct buf *bp;
	int error;

	if ((error = slot_bread(dn, es, &bp, &off, &poff)) != 0)
		return error;
	dirchanged(dn);
	de = (struct ext2_dirent *)((char *)bp->b_data + off);
	de->d_ino = h2e_32((uint32_t)ino);
	if (dn->en_mount->em_filetype)
		de->d_type = vtype_to_ft(type);
	bdwrite(bp);
	return 0;
}

static bool
isdots(const struct dent *d)
{

	return (d->d_namelen == 1 && d->d_name[0] == '.') ||
	    (d->d_namelen == 2 && d->d_name[0] == '.' && d->d_name[1] == '.');
}

int
ext2_dir_isempty(struct ext2_node *dn)
{
	uint64_t lbn, nblocks = dir_nblocks(dn);
	uint32_t off, bsize = dn->en_mount->em_bsize;
	struct dent d;
	struct buf *bp;
	int error = 0;

	for (lbn = 0; lbn < nblocks && error == 0; lbn++) {
		if ((error = dir_bread(dn, lbn, &bp)) != 0)
			return error;
		for (off = 0; off < bsize; off += d.d_reclen) {
			error = dent_get(dn, bp->b_data, lbn, off, &d);
			if (error == 0 && d.d_ino != 0 && !isdots(&d))
				error = ENOTEMPTY;
			if (error != 0)
				break;
		}
		brelse(bp);
	}
	return error;
}

int
ext2_dir_init(struct ext2_node *dn, ino_t parent)
{
	struct ext2_mount *em = dn->en_mount;
	struct buf *bp;
	uint32_t pbn;
	bool isnew;
	int error;

	if ((error = ext2_bmap_alloc(dn, 0, &pbn, &isnew)) != 0)
		return error;
	if ((bp = getblk(em->em_dev, ext2_boff(em, pbn), em->em_bsize)) ==
	    NULL) {
		(void)ext2_bmap_truncate(dn, 0);
		return ENOMEM;
	}
	memset(bp->b_data, 0, em->em_bsize);
	dent_put(dn, bp->b_data, 0, EXT2_DIRENT_SIZE(1), ".", 1, dn->en_ino,
	    VDIR);
	dent_put(dn, bp->b_data, EXT2_DIRENT_SIZE(1),
	    em->em_bsize - EXT2_DIRENT_SIZE(1), "..", 2, parent, VDIR);
	bdwrite(bp);
	ext2_n_setsize(dn, em->em_bsize);
	return 0;
}

/* Emit the entries of block lbn from byte off on; false when the
 * caller's buffer is full. */
static int
readdir_block(struct ext2_node *dn, uint64_t lbn, uint32_t start,
    struct dirctx *dc, bool *fullp)
{
	uint32_t off, bsize = dn->en_mount->em_bsize;
	uint64_t base = lbn << dn->en_mount->em_bshift;
	struct dent d;
	struct buf *bp;
	int error, dt;

	if ((error = dir_bread(dn, lbn, &bp)) != 0)
		return error;
	for (off = 0; off < bsize; off += d.d_reclen) {
		if ((error = dent_get(dn, bp->b_data, lbn, off, &d)) != 0)
			break;
		if (off < start || d.d_ino == 0)
			continue;
		dt = d.d_type < EXT2_FT_MAX ? ft_to_dt[d.d_type] : DT_UNKNOWN;
		if (!dirctx_emit(dc, d.d_ino, dt, d.d_name, d.d_namelen,
		    (off_t)(base + off + d.d_reclen))) {
			*fullp = true;
			break;
		}
		dc->dc_offset = (off_t)(base + off + d.d_reclen);
	}
	brelse(bp);
	return error;
}

int
ext2_dir_readdir(struct ext2_node *dn, struct dirctx *dc)
{
	struct ext2_mount *em = dn->en_mount;
	uint64_t lbn, nblocks = dir_nblocks(dn);
	bool full = false;
	int error;

	if (dc->dc_offset < 0)
		return EINVAL;
	if (ext2_n_nlink(dn) == 0)
		return ENOENT;
	for (lbn = (uint64_t)dc->dc_offset >> em->em_bshift; lbn < nblocks;
	    lbn++) {
		error = readdir_block(dn, lbn,
		    (uint32_t)(dc->dc_offset & (em->em_bsize - 1)), dc, &full);
		if (error != 0 || full)
			return error;
		dc->dc_offset = (off_t)((lbn + 1) << em->em_bshift);
	}
	dc->dc_eof = true;
	return 0;
}
