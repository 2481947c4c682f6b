/*
 * ext2_htree.c: hash indexes of directories (dir_index, "htree").
 *
 * Owns the index blocks of directories flagged EXT2_INDEX_FL (layout in
 * ext2_fs.h): finding the leaf block whose hash range holds a name, and
 * keeping the index valid as names are added: a full leaf is split in
 * two by hash (the upper half moves to a new block at the end of the
 * directory and gets its own index entry), a full index node is split
 * the same way, and a full root moves its entries into a new node below
 * it, up to the two index levels ext2 allows without largedir.  A
 * one-block directory that fills up is turned into an indexed one as
 * Linux does: its entries move to block 1 and block 0 becomes the root.
 * Removing an entry needs nothing here (the leaf keeps its range).
 *
 * Every index block is checked when it is read (root info, levels,
 * limit and count) and every entry before it is followed (block inside
 * the directory, hash between its neighbours'); a bad one is reported
 * (EXT2_ECORRUPT) and the caller falls back to the linear scan, which is
 * always correct.  Index and leaf blocks are read one at a time; a split
 * works on a copy of the block.
 *
 * Lock: the directory's vnode lock (exclusive to change the index).
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

/* One index block on the way from the root to a leaf.  dx_frame,
 * dx_path and dx_map belong to one operation, which holds the
 * directory's vnode lock. */
struct dx_frame {
	uint64_t	 f_lbn;		/* directory block */
	uint32_t	 f_off;		/* byte offset of its entry array */
	uint32_t	 f_count;
	uint32_t	 f_limit;
	uint32_t	 f_at;		/* the entry followed */
};

/* The way to the leaf of a name's hash. */
struct dx_path {
	const char	*p_name;
	size_t		 p_len;
	int		 p_version;	/* hash version, signedness applied */
	int		 p_levels;	/* index levels: 1 or 2 */
	uint32_t	 p_hash;
	uint64_t	 p_leaf;	/* leaf block */
	struct dx_frame	 p_frame[EXT2_DX_MAXLEVELS];
};

/* A live entry of a leaf being split. */
struct dx_map {
	uint32_t	 m_hash;
	uint16_t	 m_off;
	uint16_t	 m_size;	/* EXT2_DIRENT_SIZE of its name */
};

bool
ext2_dx_indexed(const struct ext2_node *dn)
{

	return dn->en_mount->em_dirindex &&
	    (ext2_n_flags(dn) & EXT2_INDEX_FL) != 0;
}

static int
dx_bad(struct ext2_node *dn, uint64_t lbn, const char *why)
{

	return ext2_corrupt(dn->en_mount, "directory inode %llu: hash index "
	    "block %llu: %s; searching it linearly",
	    (unsigned long long)dn->en_ino, (unsigned long long)lbn, why);
}

static struct ext2_dx_entry *
dx_entries(void *data, uint32_t off)
{

	return (struct ext2_dx_entry *)((char *)data + off);
}

static uint32_t
dx_hash(const struct ext2_dx_entry *e, uint32_t i)
{

	return e2_32(e[i].dx_hash);
}

static uint32_t
dx_block(const struct ext2_dx_entry *e, uint32_t i)
{

	return e2_32(e[i].dx_block);
}

/* Entry 0's hash field holds limit (low half) and count. */
static void
dx_setcount(struct ext2_dx_entry *e, uint32_t limit, uint32_t count)
{
	uint16_t *cl = (uint16_t *)e;

	cl[0] = h2e_16((uint16_t)limit);
	cl[1] = h2e_16((uint16_t)count);
}

/* Check the root's "." and ".." and info; set the hash version, the
 * number of levels and the hash of the name. */
static int
dx_root_check(struct ext2_node *dn, void *data, struct dx_path *p)
{
	struct ext2_mount *em = dn->en_mount;
	const struct ext2_dx_root_info *ri;
	const struct ext2_dirent *dot, *dotdot;

	dot = data;
	dotdot = (const struct ext2_dirent *)((char *)data +
	    EXT2_DIRENT_SIZE(1));
	ri = (const struct ext2_dx_root_info *)((char *)data +
	    EXT2_DX_INFO_OFF);
	if (e2_16(dot->d_rec_len) != EXT2_DIRENT_SIZE(1) ||
	    dot->d_name_len != 1 || dotdot->d_name_len != 2 ||
	    e2_16(dotdot->d_rec_len) != em->em_bsize - EXT2_DIRENT_SIZE(1))
		return dx_bad(dn, 0, "no \".\" and \"..\" before the root");
	if (ri->ri_reserved_zero != 0 || ri->ri_info_length != 8)
		return dx_bad(dn, 0, "bad root information");
	if (ri->ri_indirect_levels >= EXT2_DX_MAXLEVELS)
		return dx_bad(dn, 0, "too many levels");
	if (ri->ri_hash_version > EXT2_HASH_TEA) {
		printf("%s: directory inode %llu: unknown hash version %u; "
		    "searching it linearly\n", em->em_name,
		    (unsigned long long)dn->en_ino, ri->ri_hash_version);
		return EOPNOTSUPP;
	}
	p->p_version = ri->ri_hash_version +
	    (em->em_hashunsigned ? EXT2_HASH_UNSIGNED : 0);
	p->p_levels = ri->ri_indirect_levels + 1;
	return ext2_dirhash(p->p_version, em->em_hashseed, p->p_name,
	    p->p_len, &p->p_hash, NULL);
}

/* Check the limit and count of the entry array of index block f. */
static int
dx_array_check(struct ext2_node *dn, void *data, struct dx_frame *f)
{
	const uint16_t *cl = (const uint16_t *)dx_entries(data, f->f_off);

	f->f_limit = e2_16(cl[0]);
	f->f_count = e2_16(cl[1]);
	if (f->f_limit != EXT2_DX_LIMIT(dn->en_mount->em_bsize, f->f_off))
		return dx_bad(dn, f->f_lbn, "wrong limit");
	if (f->f_count == 0 || f->f_count > f->f_limit)
		return dx_bad(dn, f->f_lbn, "bad count");
	return 0;
}

/* Check entry i of the array e of frame f before it is followed: its
 * block inside the directory, its hash between its neighbours'. */
static int
dx_entry_check(struct ext2_node *dn, const struct ext2_dx_entry *e,
    const struct dx_frame *f, uint32_t i)
{
	uint64_t nblocks = ext2_n_size(dn) >> dn->en_mount->em_bshift;

	if (dx_block(e, i) == 0 || dx_block(e, i) >= nblocks)
		return dx_bad(dn, f->f_lbn, "block outside the directory");
	if ((i >= 2 && dx_hash(e, i) < dx_hash(e, i - 1)) ||
	    (i >= 1 && i + 1 < f->f_count && dx_hash(e, i + 1) < dx_hash(e, i)))
		return dx_bad(dn, f->f_lbn, "hashes out of order");
	return 0;
}

/* The last entry whose hash is at most hash (entry 0 if none). */
static uint32_t
dx_search(const struct ext2_dx_entry *e, uint32_t count, uint32_t hash)
{
	uint32_t lo = 1, hi = count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dx_hash(e, mid) > hash)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo - 1;
}

/*
 * Read index block lbn as level lvl of the path and check it; follow
 * the entry for the path's hash (first: entry 0) and return the block
 * it points to.
 */
static int
dx_frame_load(struct ext2_node *dn, struct dx_path *p, int lvl,
    uint64_t lbn, bool first, uint32_t *nextp)
{
	struct dx_frame *f = &p->p_frame[lvl];
	const struct ext2_dx_entry *e;
	const struct ext2_dirent *de;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_bread(dn, lbn, &bp)) != 0)
		return error;
	f->f_lbn = lbn;
	f->f_off = lvl == 0 ? EXT2_DX_ROOT_OFF : EXT2_DX_NODE_OFF;
	if (lvl == 0)
		error = dx_root_check(dn, bp->b_data, p);
	else {
		de = bp->b_data;
		if (lbn == 0 || de->d_ino != 0 ||
		    e2_16(de->d_rec_len) != dn->en_mount->em_bsize)
			error = dx_bad(dn, lbn, "not an index node");
	}
	if (error == 0)
		error = dx_array_check(dn, bp->b_data, f);
	if (error == 0) {
		e = dx_entries(bp->b_data, f->f_off);
		f->f_at = first ? 0 : dx_search(e, f->f_count, p->p_hash);
		error = dx_entry_check(dn, e, f, f->f_at);
		*nextp = dx_block(e, f->f_at);
	}
	brelse(bp);
	return error;
}

/* Hash the name and find its leaf. */
static int
dx_probe(struct ext2_node *dn, const char *name, size_t len,
    struct dx_path *p)
{
	uint32_t blk = 0;
	int error, lvl;

	p->p_name = name;
	p->p_len = len;
	p->p_levels = 1;
	for (lvl = 0; lvl < p->p_levels; lvl++)
		if ((error = dx_frame_load(dn, p, lvl, blk, false, &blk)) != 0)
			return error;
	p->p_leaf = blk;
	return 0;
}

/* Entry i of frame f, re-read. */
static int
dx_entry_read(struct ext2_node *dn, const struct dx_frame *f, uint32_t i,
    uint32_t *hashp, uint32_t *blkp)
{
	const struct ext2_dx_entry *e;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_bread(dn, f->f_lbn, &bp)) != 0)
		return error;
	e = dx_entries(bp->b_data, f->f_off);
	*hashp = dx_hash(e, i);
	*blkp = dx_block(e, i);
	error = dx_entry_check(dn, e, f, i);
	brelse(bp);
	return error;
}

/* Move the path to the next leaf if it continues the path's hash (a
 * collision split): 0, or ENOENT when there is none. */
static int
dx_next_leaf(struct ext2_node *dn, struct dx_path *p)
{
	struct dx_frame *f;
	uint32_t hash, blk;
	int error, lvl;

	for (lvl = p->p_levels - 1; lvl >= 0; lvl--)
		if (p->p_frame[lvl].f_at + 1 < p->p_frame[lvl].f_count)
			break;
	if (lvl < 0)
		return ENOENT;
	f = &p->p_frame[lvl];
	f->f_at++;
	if ((error = dx_entry_read(dn, f, f->f_at, &hash, &blk)) != 0)
		return error;
	if ((hash & ~(uint32_t)1) != p->p_hash)
		return ENOENT;
	for (lvl++; lvl < p->p_levels; lvl++)
		if ((error = dx_frame_load(dn, p, lvl, blk, true, &blk)) != 0)
			return error;
	p->p_leaf = blk;
	return 0;
}

int
ext2_dx_lookup(struct ext2_node *dn, const char *name, size_t len,
    struct ext2_slot *es)
{
	struct dx_path p;
	int error;

	if ((error = dx_probe(dn, name, len, &p)) != 0)
		return error;
	for (;;) {
		error = ext2_dir_findin(dn, p.p_leaf, name, len, es);
		if (error != ENOENT)
			return error;
		if ((error = dx_next_leaf(dn, &p)) != 0)
			return error;
	}
}

/* Add (hash, blk) to frame f after the entry it follows. */
static int
dx_insert(struct ext2_node *dn, struct dx_frame *f, uint32_t hash,
    uint64_t blk)
{
	struct ext2_dx_entry *e;
	struct buf *bp;
	int error;

	KASSERT(f->f_count < f->f_limit);
	if ((error = ext2_dir_bread(dn, f->f_lbn, &bp)) != 0)
		return error;
	e = dx_entries(bp->b_data, f->f_off);
	memmove(&e[f->f_at + 2], &e[f->f_at + 1],
	    (f->f_count - f->f_at - 1) * sizeof(*e));
	e[f->f_at + 1].dx_hash = h2e_32(hash);
	e[f->f_at + 1].dx_block = h2e_32((uint32_t)blk);
	f->f_count++;
	dx_setcount(e, f->f_limit, f->f_count);
	bdwrite(bp);
	return 0;
}

/* A new index node holding the n entries e (entry 0's hash is lost). */
static int
dx_newnode(struct ext2_node *dn, const struct ext2_dx_entry *e, uint32_t n,
    uint64_t *lbnp)
{
	uint32_t bsize = dn->en_mount->em_bsize;
	struct ext2_dirent *de;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_newblock(dn, lbnp, &bp)) != 0)
		return error;
	de = bp->b_data;
	de->d_rec_len = h2e_16((uint16_t)bsize);
	memcpy(dx_entries(bp->b_data, EXT2_DX_NODE_OFF), e, n * sizeof(*e));
	dx_setcount(dx_entries(bp->b_data, EXT2_DX_NODE_OFF),
	    EXT2_DX_LIMIT(bsize, EXT2_DX_NODE_OFF), n);
	bdwrite(bp);
	return 0;
}

/* Copy n entries from index block f->f_lbn, from entry i on. */
static int
dx_copyout(struct ext2_node *dn, const struct dx_frame *f, uint32_t i,
    uint32_t n, struct ext2_dx_entry *to)
{
	struct buf *bp;
	int error;

	if ((error = ext2_dir_bread(dn, f->f_lbn, &bp)) != 0)
		return error;
	memcpy(to, dx_entries(bp->b_data, f->f_off) + i, n * sizeof(*to));
	brelse(bp);
	return 0;
}

/* A full one-level root: move its entries into a new node below it. */
static int
dx_grow(struct ext2_node *dn, struct dx_path *p, struct ext2_dx_entry *tmp)
{
	struct dx_frame *root = &p->p_frame[0], *node = &p->p_frame[1];
	struct ext2_dx_root_info *ri;
	struct ext2_dx_entry *e;
	struct buf *bp;
	uint64_t lbn;
	int error;

	if ((error = dx_copyout(dn, root, 0, root->f_count, tmp)) != 0 ||
	    (error = dx_newnode(dn, tmp, root->f_count, &lbn)) != 0)
		return error;
	if ((error = ext2_dir_bread(dn, 0, &bp)) != 0)
		return error;
	ri = (struct ext2_dx_root_info *)((char *)bp->b_data +
	    EXT2_DX_INFO_OFF);
	ri->ri_indirect_levels = 1;
	e = dx_entries(bp->b_data, EXT2_DX_ROOT_OFF);
	e[0].dx_block = h2e_32((uint32_t)lbn);
	dx_setcount(e, root->f_limit, 1);
	bdwrite(bp);
	node->f_lbn = lbn;
	node->f_off = EXT2_DX_NODE_OFF;
	node->f_count = root->f_count;
	node->f_limit = EXT2_DX_LIMIT(dn->en_mount->em_bsize,
	    EXT2_DX_NODE_OFF);
	node->f_at = root->f_at;
	root->f_count = 1;
	root->f_at = 0;
	p->p_levels = 2;
	return 0;
}

/* A full node under a root with room: move its upper half to a new
 * node; the path follows the half holding its entry. */
static int
dx_split_node(struct ext2_node *dn, struct dx_path *p,
    struct ext2_dx_entry *tmp)
{
	struct dx_frame *root = &p->p_frame[0], *node = &p->p_frame[1];
	uint32_t n1 = node->f_count / 2, n2 = node->f_count - n1;
	struct ext2_dx_entry *e;
	struct buf *bp;
	uint64_t lbn;
	int error;

	if ((error = dx_copyout(dn, node, n1, n2, tmp)) != 0 ||
	    (error = dx_newnode(dn, tmp, n2, &lbn)) != 0)
		return error;
	if ((error = ext2_dir_bread(dn, node->f_lbn, &bp)) != 0)
		return error;
	e = dx_entries(bp->b_data, node->f_off);
	dx_setcount(e, node->f_limit, n1);
	bdwrite(bp);
	if ((error = dx_insert(dn, root, e2_32(tmp[0].dx_hash), lbn)) != 0)
		return error;
	if (node->f_at >= n1) {
		node->f_lbn = lbn;
		node->f_at -= n1;
		node->f_count = n2;
		root->f_at++;
	} else
		node->f_count = n1;
	return 0;
}

/* Make room for one more entry in the index block above the leaf. */
static int
dx_make_room(struct ext2_node *dn, struct dx_path *p)
{
	struct dx_frame *f = &p->p_frame[p->p_levels - 1];
	struct ext2_dx_entry *tmp;
	size_t size = dn->en_mount->em_bsize;
	int error;

	if (f->f_count < f->f_limit)
		return 0;
	if (p->p_levels == EXT2_DX_MAXLEVELS &&
	    p->p_frame[0].f_count == p->p_frame[0].f_limit) {
		printf("%s: directory inode %llu: hash index full\n",
		    dn->en_mount->em_name, (unsigned long long)dn->en_ino);
		return ENOSPC;
	}
	if ((tmp = kmem_alloc(size)) == NULL)
		return ENOMEM;
	if (p->p_levels == 1)
		error = dx_grow(dn, p, tmp);
	else
		error = dx_split_node(dn, p, tmp);
	kmem_free(tmp, size);
	return error;
}

/* The live entries of leaf copy data, with their hashes. */
static int
dx_map_leaf(struct ext2_node *dn, const struct dx_path *p, void *data,
    struct dx_map *map, uint32_t *countp)
{
	uint32_t off, n = 0, bsize = dn->en_mount->em_bsize;
	struct ext2_dent d;
	int error;

	for (off = 0; off < bsize; off += d.d_reclen) {
		error = ext2_dent_get(dn, data, p->p_leaf, off, &d);
		if (error != 0)
			return error;
		if (d.d_ino == 0)
			continue;
		error = ext2_dirhash(p->p_version, dn->en_mount->em_hashseed,
		    d.d_name, d.d_namelen, &map[n].m_hash, NULL);
		if (error != 0)
			return error;
		map[n].m_off = (uint16_t)off;
		map[n].m_size = (uint16_t)EXT2_DIRENT_SIZE(d.d_namelen);
		n++;
	}
	*countp = n;
	return 0;
}

/* Sort by hash (insertion sort: a leaf holds a few hundred entries at
 * most, and splits are rare). */
static void
dx_map_sort(struct dx_map *map, uint32_t n)
{
	struct dx_map m;
	uint32_t i, j;

	for (i = 1; i < n; i++) {
		m = map[i];
		for (j = i; j > 0 && map[j - 1].m_hash > m.m_hash; j--)
			map[j] = map[j - 1];
		map[j] = m;
	}
}

/* Where to split: the upper entries, about half the bytes, move. */
static uint32_t
dx_map_split(const struct dx_map *map, uint32_t n, uint32_t bsize)
{
	uint32_t split = n, size = 0;

	while (split > 1 && size + map[split - 1].m_size / 2 <= bsize / 2) {
		split--;
		size += map[split].m_size;
	}
	return split < n ? split : n - 1;
}

/* Fill block data with the entries map[from..to) of leaf copy src,
 * packed; the last one reaches the end of the block. */
static void
dx_fill(void *data, const void *src, const struct dx_map *map,
    uint32_t from, uint32_t to, uint32_t bsize)
{
	struct ext2_dirent *de = NULL;
	uint32_t i, off = 0;

	memset(data, 0, bsize);
	for (i = from; i < to; i++) {
		de = (struct ext2_dirent *)((char *)data + off);
		memcpy(de, (const char *)src + map[i].m_off, map[i].m_size);
		de->d_rec_len = h2e_16(map[i].m_size);
		off += map[i].m_size;
	}
	if (de != NULL)
		de->d_rec_len = h2e_16((uint16_t)(e2_16(de->d_rec_len) +
		    bsize - off));
}

/* Split the full leaf of the path; return the leaf the path's hash
 * now belongs to. */
static int
dx_split_leaf(struct ext2_node *dn, struct dx_path *p, void *copy,
    struct dx_map *map, uint64_t *leafp)
{
	uint32_t n, split, hash2, bsize = dn->en_mount->em_bsize;
	struct buf *bp;
	uint64_t lbn;
	int error;

	if ((error = ext2_dir_bread(dn, p->p_leaf, &bp)) != 0)
		return error;
	memcpy(copy, bp->b_data, bsize);
	brelse(bp);
	if ((error = dx_map_leaf(dn, p, copy, map, &n)) != 0)
		return error;
	if (n < 2)
		return dx_bad(dn, p->p_leaf, "full leaf with one entry");
	dx_map_sort(map, n);
	split = dx_map_split(map, n, bsize);
	hash2 = map[split].m_hash;
	if ((error = ext2_dir_newblock(dn, &lbn, &bp)) != 0)
		return error;
	dx_fill(bp->b_data, copy, map, split, n, bsize);
	bdwrite(bp);
	if ((error = ext2_dir_bread(dn, p->p_leaf, &bp)) != 0)
		return error;
	dx_fill(bp->b_data, copy, map, 0, split, bsize);
	bdwrite(bp);
	error = dx_insert(dn, &p->p_frame[p->p_levels - 1], hash2 |
	    (hash2 == map[split - 1].m_hash ? 1 : 0), lbn);
	*leafp = p->p_hash >= hash2 ? lbn : p->p_leaf;
	return error;
}

/* Room for the map of a block's entries. */
static size_t
dx_mapsize(const struct ext2_node *dn)
{

	return dn->en_mount->em_bsize / EXT2_DIRENT_SIZE(1) *
	    sizeof(struct dx_map);
}

int
ext2_dx_enter(struct ext2_node *dn, const char *name, size_t len,
    ino_t ino, enum vtype type)
{
	uint32_t bsize = dn->en_mount->em_bsize;
	size_t mapsize = dx_mapsize(dn);
	struct dx_map *map;
	struct dx_path p;
	uint64_t leaf = 0;
	void *copy;
	int error;

	if ((error = dx_probe(dn, name, len, &p)) != 0)
		return error;
	error = ext2_dir_enterin(dn, p.p_leaf, name, len, ino, type);
	if (error != ENOSPC)
		return error;
	if ((error = dx_make_room(dn, &p)) != 0)
		return error;
	copy = kmem_alloc(bsize);
	map = kmem_alloc(mapsize);
	if (copy == NULL || map == NULL)
		error = ENOMEM;
	else
		error = dx_split_leaf(dn, &p, copy, map, &leaf);
	if (copy != NULL)
		kmem_free(copy, bsize);
	if (map != NULL)
		kmem_free(map, mapsize);
	if (error == 0)
		error = ext2_dir_enterin(dn, leaf, name, len, ino, type);
	return error;
}

/* Move the entries after ".." of block 0 (copy) into new block 1. */
static int
convert_move(struct ext2_node *dn, void *copy, uint32_t start,
    struct dx_map *map)
{
	uint32_t off, n = 0, bsize = dn->en_mount->em_bsize;
	struct ext2_dent d;
	struct buf *bp;
	uint64_t lbn;
	int error;

	for (off = start; off < bsize; off += d.d_reclen) {
		if ((error = ext2_dent_get(dn, copy, 0, off, &d)) != 0)
			return error;
		if (d.d_ino == 0)
			continue;
		map[n].m_off = (uint16_t)off;
		map[n].m_size = (uint16_t)EXT2_DIRENT_SIZE(d.d_namelen);
		n++;
	}
	if ((error = ext2_dir_newblock(dn, &lbn, &bp)) != 0)
		return error;
	KASSERT(lbn == 1);
	dx_fill(bp->b_data, copy, map, 0, n, bsize);
	if (n == 0)
		((struct ext2_dirent *)bp->b_data)->d_rec_len =
		    h2e_16((uint16_t)bsize);
	bdwrite(bp);
	return 0;
}

/* Make block 0 the root: ".", "..", the info, one entry for block 1. */
static int
convert_root(struct ext2_node *dn)
{
	uint32_t bsize = dn->en_mount->em_bsize;
	struct ext2_dx_root_info *ri;
	struct ext2_dirent *dotdot;
	struct ext2_dx_entry *e;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_bread(dn, 0, &bp)) != 0)
		return error;
	dotdot = (struct ext2_dirent *)((char *)bp->b_data +
	    EXT2_DIRENT_SIZE(1));
	dotdot->d_rec_len = h2e_16((uint16_t)(bsize - EXT2_DIRENT_SIZE(1)));
	memset((char *)bp->b_data + EXT2_DX_INFO_OFF, 0,
	    bsize - EXT2_DX_INFO_OFF);
	ri = (struct ext2_dx_root_info *)((char *)bp->b_data +
	    EXT2_DX_INFO_OFF);
	ri->ri_hash_version = dn->en_mount->em_defhash;
	ri->ri_info_length = 8;
	e = dx_entries(bp->b_data, EXT2_DX_ROOT_OFF);
	dx_setcount(e, EXT2_DX_LIMIT(bsize, EXT2_DX_ROOT_OFF), 1);
	e[0].dx_block = h2e_32(1);
	bdwrite(bp);
	return 0;
}

/* Does block 0 (copy) start with "." and ".." as an index root needs?
 * Return where the entries after them start. */
static bool
convert_dots(struct ext2_node *dn, void *copy, uint32_t *startp)
{
	struct ext2_dent dot, dotdot;

	if (ext2_dent_get(dn, copy, 0, 0, &dot) != 0 ||
	    dot.d_reclen != EXT2_DIRENT_SIZE(1) || dot.d_namelen != 1 ||
	    dot.d_name[0] != '.' ||
	    ext2_dent_get(dn, copy, 0, dot.d_reclen, &dotdot) != 0 ||
	    dotdot.d_namelen != 2 || memcmp(dotdot.d_name, "..", 2) != 0)
		return false;
	*startp = dot.d_reclen + dotdot.d_reclen;
	return true;
}

int
ext2_dx_convert(struct ext2_node *dn, const char *name, size_t len,
    ino_t ino, enum vtype type)
{
	uint32_t start, bsize = dn->en_mount->em_bsize;
	size_t mapsize = dx_mapsize(dn);
	struct dx_map *map;
	struct buf *bp;
	void *copy;
	int error;

	if (ext2_n_size(dn) != bsize || dn->en_mount->em_defhash >
	    EXT2_HASH_TEA)
		return EOPNOTSUPP;
	if ((copy = kmem_alloc(bsize)) == NULL)
		return ENOMEM;
	if ((map = kmem_alloc(mapsize)) == NULL) {
		kmem_free(copy, bsize);
		return ENOMEM;
	}
	if ((error = ext2_dir_bread(dn, 0, &bp)) != 0)
		goto out;
	memcpy(copy, bp->b_data, bsize);
	brelse(bp);
	if (!convert_dots(dn, copy, &start)) {
		error = EOPNOTSUPP;
		goto out;
	}
	if ((error = convert_move(dn, copy, start, map)) != 0 ||
	    (error = convert_root(dn)) != 0)
		goto out;
	ext2_n_setflags(dn, ext2_n_flags(dn) | EXT2_INDEX_FL);
	error = ext2_dx_enter(dn, name, len, ino, type);
out:
	kmem_free(map, mapsize);
	kmem_free(copy, bsize);
	return error;
}
