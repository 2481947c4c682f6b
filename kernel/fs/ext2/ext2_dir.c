/*
 * ext2_dir.c: the ext2 directory format.
 *
 * Owns directory contents: blocks of variable-length entries (inode,
 * rec_len, name_len, file type, name) that tile each block exactly.
 * Lookups and new entries of hash-indexed (dir_index) directories go
 * through their index (ext2_htree.c), which also turns a one-block
 * directory that fills up into an indexed one; other directories are
 * scanned linearly.  Readdir and emptiness checks always scan linearly:
 * index blocks look like blocks holding one unused entry.  Removing or
 * rewriting an entry keeps an index valid.  An index that cannot be
 * used (damaged, unknown hash, no dir_index feature) is searched around
 * linearly and dropped (EXT2_INDEX_FL cleared, with a console message)
 * at the next new entry, leaving a plain linear directory that e2fsck
 * and Linux accept.  Every entry is checked before use (alignment,
 * rec_len within the block and large enough for the name, inode number
 * in range); a bad one fails the operation with EXT2_ECORRUPT.
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
#include <vfs/namei.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

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

int
ext2_dir_bread(struct ext2_node *dn, uint64_t lbn, struct buf **bpp)
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

int
ext2_dent_get(struct ext2_node *dn, const void *data, uint64_t lbn,
    uint32_t off, struct ext2_dent *d)
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

/*
 * The record length of the entry at off, if it is in place and fits the
 * block (else 0): enough to step over entries that a search can skip.
 * An entry the search wants gets the full check of ext2_dent_get().
 */
static uint32_t
dent_reclen(const void *data, uint32_t off, uint32_t bsize)
{
	const struct ext2_dirent *de;
	uint32_t reclen;

	if (off % 4 != 0 || off > bsize - EXT2_DIRENT_SIZE(1))
		return 0;
	de = (const struct ext2_dirent *)((const char *)data + off);
	reclen = e2_16(de->d_rec_len);
	if (reclen < EXT2_DIRENT_SIZE(1) || reclen % 4 != 0 ||
	    reclen > bsize - off)
		return 0;
	return reclen;
}

/* Could the entry at off (record length reclen) be the name? */
static bool
dent_maybe(const void *data, uint32_t off, uint32_t reclen, const char *name,
    size_t len)
{
	const struct ext2_dirent *de;

	de = (const struct ext2_dirent *)((const char *)data + off);
	return de->d_name_len == len && de->d_ino != 0 &&
	    reclen >= EXT2_DIRENT_SIZE(len) &&
	    de->d_name[len - 1] == name[len - 1];
}

/* Could the entry at off (record length reclen) make room for need
 * bytes? */
static bool
dent_roomy(const void *data, uint32_t off, uint32_t reclen, uint32_t need)
{
	const struct ext2_dirent *de;

	de = (const struct ext2_dirent *)((const char *)data + off);
	if (de->d_ino == 0)
		return reclen >= need;
	return reclen >= EXT2_DIRENT_SIZE(de->d_name_len) + need ||
	    reclen < EXT2_DIRENT_SIZE(de->d_name_len);
}

int
ext2_dir_findin(struct ext2_node *dn, uint64_t lbn, const char *name,
    size_t len, struct ext2_slot *es)
{
	uint32_t off, reclen = 0, bsize = dn->en_mount->em_bsize;
	struct ext2_dent d;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_bread(dn, lbn, &bp)) != 0)
		return error;
	for (off = 0; off < bsize; off += reclen) {
		reclen = dent_reclen(bp->b_data, off, bsize);
		if (reclen != 0 &&
		    !dent_maybe(bp->b_data, off, reclen, name, len))
			continue;
		if ((error = ext2_dent_get(dn, bp->b_data, lbn, off, &d)) != 0)
			break;
		reclen = d.d_reclen;
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
	return error != 0 ? error : ENOENT;
}

int
ext2_dir_lookup(struct ext2_node *dn, const char *name, size_t len,
    struct ext2_slot *es)
{
	uint64_t lbn, nblocks = dir_nblocks(dn);
	int error;

	if (ext2_dx_indexed(dn) && !name_isdot(name, len) &&
	    !name_isdotdot(name, len)) {
		error = ext2_dx_lookup(dn, name, len, es);
		if (error != EXT2_ECORRUPT && error != EOPNOTSUPP)
			return error;
	}
	for (lbn = 0; lbn < nblocks; lbn++) {
		error = ext2_dir_findin(dn, lbn, name, len, es);
		if (error != ENOENT)
			return error;
	}
	return ENOENT;
}

void
ext2_dent_put(struct ext2_node *dn, void *data, uint32_t off, uint32_t reclen,
    const char *name, size_t len, ino_t ino, enum vtype type)
{
	struct ext2_dirent *de = (struct ext2_dirent *)((char *)data + off);

	de->d_ino = h2e_32((uint32_t)ino);
	de->d_rec_len = h2e_16((uint16_t)reclen);
	de->d_name_len = (uint8_t)len;
	de->d_type = dn->en_mount->em_filetype ? vtype_to_ft(type) : 0;
	memcpy(de->d_name, name, len);
}

int
ext2_dir_enterin(struct ext2_node *dn, uint64_t lbn, const char *name,
    size_t len, ino_t ino, enum vtype type)
{
	uint32_t off, used, reclen, need = EXT2_DIRENT_SIZE(len);
	uint32_t bsize = dn->en_mount->em_bsize;
	struct ext2_dirent *de;
	struct ext2_dent d;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_bread(dn, lbn, &bp)) != 0)
		return error;
	for (off = 0; off < bsize; off += reclen) {
		reclen = dent_reclen(bp->b_data, off, bsize);
		if (reclen != 0 && !dent_roomy(bp->b_data, off, reclen, need))
			continue;
		error = ext2_dent_get(dn, bp->b_data, lbn, off, &d);
		if (error != 0) {
			brelse(bp);
			return error;
		}
		reclen = d.d_reclen;
		used = d.d_ino == 0 ? 0 : EXT2_DIRENT_SIZE(d.d_namelen);
		if (d.d_reclen - used < need)
			continue;
		if (used != 0) {
			de = (struct ext2_dirent *)((char *)bp->b_data + off);
			de->d_rec_len = h2e_16((uint16_t)used);
		}
		ext2_dent_put(dn, bp->b_data, off + used, d.d_reclen - used,
		    name, len, ino, type);
		bdwrite(bp);
		return 0;
	}
	brelse(bp);
	return ENOSPC;
}

int
ext2_dir_newblock(struct ext2_node *dn, uint64_t *lbnp, struct buf **bpp)
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
	ext2_n_setsize(dn, size + em->em_bsize);
	*lbnp = size >> em->em_bshift;
	*bpp = bp;
	return 0;
}

/* Add a block holding just the new entry. */
static int
enter_newblock(struct ext2_node *dn, const char *name, size_t len,
    ino_t ino, enum vtype type)
{
	struct buf *bp;
	uint64_t lbn;
	int error;

	if ((error = ext2_dir_newblock(dn, &lbn, &bp)) != 0)
		return error;
	ext2_dent_put(dn, bp->b_data, 0, dn->en_mount->em_bsize, name, len,
	    ino, type);
	bdwrite(bp);
	return 0;
}

/* Drop an index that cannot be kept up to date. */
static void
dx_drop(struct ext2_node *dn, const char *why)
{

	printf("%s: directory inode %llu: %s: dropping its hash index\n",
	    dn->en_mount->em_name, (unsigned long long)dn->en_ino, why);
	ext2_n_setflags(dn, ext2_n_flags(dn) & ~EXT2_INDEX_FL);
}

int
ext2_dir_enter(struct ext2_node *dn, const char *name, size_t len,
    ino_t ino, enum vtype type)
{
	uint64_t lbn, nblocks = dir_nblocks(dn);
	int error;

	KASSERT(len > 0 && len <= EXT2_NAME_LEN);
	if (ext2_dx_indexed(dn)) {
		error = ext2_dx_enter(dn, name, len, ino, type);
		if (error != EXT2_ECORRUPT && error != EOPNOTSUPP)
			return error;
		dx_drop(dn, error == EOPNOTSUPP ? "unknown hash version" :
		    "damaged index");
	} else if (ext2_n_flags(dn) & EXT2_INDEX_FL)
		dx_drop(dn, "no dir_index feature");
	for (lbn = 0; lbn < nblocks; lbn++) {
		error = ext2_dir_enterin(dn, lbn, name, len, ino, type);
		if (error != ENOSPC)
			return error;
	}
	if (nblocks == 1 && dn->en_mount->em_dirindex) {
		error = ext2_dx_convert(dn, name, len, ino, type);
		if (error != EOPNOTSUPP)
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
	struct ext2_dent d;
	int error;

	want = (uint32_t)(es->es_off & (em->em_bsize - 1));
	if ((error = ext2_dir_bread(dn, lbn, bpp)) != 0)
		return error;
	for (off = prev = 0; off <= want; prev = off, off += d.d_reclen) {
		error = ext2_dent_get(dn, (*bpp)->b_data, lbn, off, &d);
		if (error != 0)
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
	de = (struct ext2_dirent *)((char *)bp->b_data + off);
	de->d_ino = h2e_32((uint32_t)ino);
	if (dn->en_mount->em_filetype)
		de->d_type = vtype_to_ft(type);
	bdwrite(bp);
	return 0;
}

static bool
isdots(const struct ext2_dent *d)
{

	return (d->d_namelen == 1 && d->d_name[0] == '.') ||
	    (d->d_namelen == 2 && d->d_name[0] == '.' && d->d_name[1] == '.');
}

int
ext2_dir_isempty(struct ext2_node *dn)
{
	uint64_t lbn, nblocks = dir_nblocks(dn);
	uint32_t off, bsize = dn->en_mount->em_bsize;
	struct ext2_dent d;
	struct buf *bp;
	int error = 0;

	for (lbn = 0; lbn < nblocks && error == 0; lbn++) {
		if ((error = ext2_dir_bread(dn, lbn, &bp)) != 0)
			return error;
		for (off = 0; off < bsize; off += d.d_reclen) {
			error = ext2_dent_get(dn, bp->b_data, lbn, off, &d);
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
	ext2_dent_put(dn, bp->b_data, 0, EXT2_DIRENT_SIZE(1), ".", 1,
	    dn->en_ino, VDIR);
	ext2_dent_put(dn, bp->b_data, EXT2_DIRENT_SIZE(1),
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
	struct ext2_dent d;
	struct buf *bp;
	int error, dt;

	if ((error = ext2_dir_bread(dn, lbn, &bp)) != 0)
		return error;
	for (off = 0; off < bsize; off += d.d_reclen) {
		if ((error = ext2_dent_get(dn, bp->b_data, lbn, off, &d)) != 0)
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
