/*
 * msdosfs_dir.c: directories.
 *
 * Owns the slots of a directory (32-byte entries in the fixed FAT12/16
 * root region or in a cluster chain: struct dirit) and reading what is
 * stored in them: scanning with long names put together and checked
 * (ordinals, the last flag, the checksum; a broken run is ignored and
 * the 8.3 name used), lookup by name (case-insensitive, on the long and
 * the 8.3 name; through the directory's name index, built on the first
 * lookup, every candidate checked on disk), removing entries (every
 * long name slot is marked deleted too), "." and "..", and readdir
 * with the slot index as the cookie (".", ".." are 0 and 1, slot i is
 * i + 2).  A chain walk is
 * bounded by the directory's chain length, else the count of clusters.
 * Entering names is msdosfs_enter.c's.
 *
 * Locks: the directory's vnode lock; its dn_hlock across lookups and
 * removals; at most one directory buffer is held, and never while
 * md_lock is taken (dirit_load drops it first).
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/dirent.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <fs/msdos/msdosfs.h>

/* An 8.3 entry found by dir_scan, with its names; the UTF-8 form of
 * the long name is made only when scanent_name() asks for it. */
struct scanent {
	uint32_t		 se_first;	/* first slot (long name) */
	uint32_t		 se_idx;	/* slot of the 8.3 entry */
	uint64_t		 se_pos;
	struct fat_dirent	 se_de;
	const uint16_t		*se_lfn;	/* long name, UTF-16 */
	size_t			 se_lfnlen;	/* its units; 0: none */
	char			 se_name[LFN_MAXUNITS * 3 + 1];
	size_t			 se_len;
	char			 se_short[13];
	size_t			 se_slen;
};

/* Called for each entry: 0 to go on, DIRSCAN_STOP or an errno. */
#define DIRSCAN_STOP	(-1)
typedef int (*dirscan_fn)(void *, struct scanent *);

static bool
isroot_start(uint32_t start)
{

	return start == 0;
}

static bool
isroot(const struct dirit *it)
{

	return isroot_start(it->it_start);
}

void
msdos_dirit_init(struct dirit *it, struct msdos_mount *md, uint32_t start,
    uint32_t maxblk)
{

	memset(it, 0, sizeof(*it));
	it->it_md = md;
	it->it_start = start;
	it->it_cl = start;
	it->it_maxblk = maxblk != 0 ? maxblk : md->md_nclusters;
	it->it_nslots = (start == 0 ? md->md_bps : md->md_csize) /
	    DIRENT_SIZE;
}

void
msdos_dirit_release(struct dirit *it)
{

	if (it->it_bp == NULL)
		return;
	if (it->it_dirty)
		bdwrite(it->it_bp);
	else
		brelse(it->it_bp);
	it->it_bp = NULL;
	it->it_dirty = false;
}

static uint64_t
dirit_blkoff(const struct dirit *it)
{
	struct msdos_mount *md = it->it_md;

	if (isroot(it))
		return md->md_rootoff + (uint64_t)it->it_blk * md->md_bps;
	return msdos_cloff(md, it->it_cl);
}

/* Make block blk current: 0, ENOENT past the end, or an errno. */
static int
dirit_load(struct dirit *it, uint32_t blk)
{
	struct msdos_mount *md = it->it_md;
	uint32_t next;
	int error;

	if (it->it_bp != NULL && it->it_blk == blk)
		return 0;
	msdos_dirit_release(it);
	if (isroot(it)) {
		if ((uint64_t)blk * it->it_nslots >= md->md_rootents)
			return ENOENT;
		it->it_blk = blk;
	} else {
		if (blk < it->it_nmap) {
			it->it_blk = blk;
			it->it_cl = it->it_map[blk];
		} else if (blk < it->it_blk) {
			it->it_blk = 0;
			it->it_cl = it->it_start;
		}
		while (it->it_blk < blk) {
			if (it->it_blk + 1 >= it->it_maxblk)
				return ENOENT;
			if ((error = msdos_fat_next(md, it->it_cl, &next)) != 0)
				return error;
			if (next == 0)
				return ENOENT;
			it->it_cl = next;
			it->it_blk++;
		}
	}
	return bread(md->md_dev, dirit_blkoff(it), isroot(it) ? md->md_bps :
	    md->md_csize, 0, &it->it_bp);
}

/* The slot idx: a pointer into the current block. */
int
msdos_dirit_slot(struct dirit *it, uint32_t idx, struct fat_dirent **dep,
    uint64_t *posp)
{
	uint32_t in = idx % it->it_nslots;
	int error;

	if (isroot(it) && idx >= it->it_md->md_rootents)
		return ENOENT;
	if ((error = dirit_load(it, idx / it->it_nslots)) != 0)
		return error;
	*dep = (struct fat_dirent *)it->it_bp->b_data + in;
	if (posp != NULL)
		*posp = dirit_blkoff(it) + (uint64_t)in * DIRENT_SIZE;
	return 0;
}

static bool
is_dot(const struct fat_dirent *de)
{

	return de->de_name[0] == '.';
}

uint32_t
msdos_de_start(const struct msdos_mount *md, const struct fat_dirent *de)
{
	uint32_t cl = le16(de->de_cllo);

	if (md->md_type == FAT32)
		cl |= (uint32_t)le16(de->de_clhi) << 16;
	return cl;
}

void
msdos_de_setstart(struct fat_dirent *de, uint32_t cl)
{

	setle16(de->de_cllo, (uint16_t)cl);
	setle16(de->de_clhi, (uint16_t)(cl >> 16));
}

uint32_t
msdos_dircl(const struct msdos_mount *md, uint32_t cl)
{

	if (cl == 0 && md->md_type == FAT32)
		return md->md_rootcl;
	return cl;
}

/* What ".." stores for a parent that starts at cl. */
static uint32_t
dotdot_cl(const struct msdos_mount *md, uint32_t cl)
{

	return cl == msdos_dircl(md, 0) ? 0 : cl;
}

/* Long name state while scanning. */
struct lfnrun {
	uint16_t	lr_name[LFN_MAXSLOTS * LFN_CHARS];
	size_t		lr_len;
	int		lr_next;	/* ordinal expected next; 0: complete;
					   -1: none */
	uint8_t		lr_sum;
	uint32_t	lr_first;
};

static void
lfn_slot(struct lfnrun *lr, const struct fat_lfnent *le, uint32_t idx)
{
	int ord = le->le_ord & LFN_ORDMASK;
	size_t len;

	if (le->le_ord & LFN_LAST) {
		lr->lr_next = -1;
		if (!msdos_lfn_collect(le, lr->lr_name, &len) ||
		    len > LFN_MAXUNITS || len == 0)
			return;
		lr->lr_len = len;
		lr->lr_sum = le->le_chksum;
		lr->lr_first = idx;
		lr->lr_next = ord - 1;
		return;
	}
	if (lr->lr_next <= 0 || ord != lr->lr_next ||
	    le->le_chksum != lr->lr_sum ||
	    !msdos_lfn_collect(le, lr->lr_name, &len)) {
		lr->lr_next = -1;
		return;
	}
	lr->lr_next--;
}

/* Fill se from an 8.3 entry and the long name run before it. */
static void
scan_fill(struct scanent *se, struct lfnrun *lr, const struct fat_dirent *de,
    uint32_t idx, uint64_t pos)
{

	se->se_de = *de;
	se->se_idx = idx;
	se->se_pos = pos;
	se->se_slen = msdos_name_short(de, se->se_short);
	if (lr->lr_next == 0 && lr->lr_sum == msdos_name_chksum(de->de_name)) {
		se->se_first = lr->lr_first;
		se->se_lfn = lr->lr_name;
		se->se_lfnlen = lr->lr_len;
	} else {
		se->se_first = idx;
		se->se_lfn = NULL;
		se->se_lfnlen = 0;
	}
	lr->lr_next = -1;
}

/* The name users see: the long name in UTF-8, else the 8.3 name. */
static void
scanent_name(struct scanent *se)
{

	if (se->se_lfnlen == 0) {
		memcpy(se->se_name, se->se_short, se->se_slen + 1);
		se->se_len = se->se_slen;
		return;
	}
	se->se_len = msdos_name_utf8(se->se_lfn, se->se_lfnlen, se->se_name);
	se->se_name[se->se_len] = '\0';
}

/* Call fn for every file and directory from slot `from' on of the
 * directory walked by it (from msdos_dirit_init), without a directory
 * buffer held if `drop': 0 at the end, DIRSCAN_STOP if fn stopped, or
 * an errno. */
static int
dir_scan(struct dirit *itp, uint32_t from, dirscan_fn fn, void *arg,
    bool drop)
{
	struct dirit it = *itp;
	struct scanent *se;
	struct lfnrun *lr;
	struct fat_dirent *de;
	uint64_t pos;
	uint32_t idx;
	int error = 0;

	se = kmem_alloc(sizeof(*se));
	lr = kmem_alloc(sizeof(*lr));
	if (se == NULL || lr == NULL) {
		error = ENOMEM;
		goto out;
	}
	lr->lr_next = -1;
	for (idx = from; error == 0; idx++) {
		if ((error = msdos_dirit_slot(&it, idx, &de, &pos)) != 0)
			break;
		if (de->de_name[0] == SLOT_END)
			break;
		if (de->de_name[0] == SLOT_FREE) {
			lr->lr_next = -1;
			continue;
		}
		if ((de->de_attr & ATTR_LFN_MASK) == ATTR_LFN) {
			lfn_slot(lr, (const struct fat_lfnent *)de, idx);
			continue;
		}
		if ((de->de_attr & ATTR_VOLUME) || is_dot(de)) {
			lr->lr_next = -1;
			continue;
		}
		scan_fill(se, lr, de, idx, pos);
		if (drop)
			msdos_dirit_release(&it);
		error = fn(arg, se);
	}
	msdos_dirit_release(&it);
	if (error == ENOENT)
		error = 0;
out:
	if (se != NULL)
		kmem_free(se, sizeof(*se));
	if (lr != NULL)
		kmem_free(lr, sizeof(*lr));
	return error;
}

/* ---- lookup ---------------------------------------------------------- */

struct lookuparg {
	const char		*la_name;
	size_t			 la_len;
	uint16_t		 la_u[LFN_MAXUNITS];	/* la_name in UTF-16 */
	size_t			 la_n;
	struct msdos_slot	*la_slot;
};

/* Case-insensitive (ASCII) equality of UTF-16 names. */
static bool
u16_eq(const uint16_t *a, const uint16_t *b, size_t n)
{
	uint16_t x, y;
	size_t i;

	for (i = 0; i < n; i++) {
		x = a[i] >= 'A' && a[i] <= 'Z' ? (uint16_t)(a[i] + 32) : a[i];
		y = b[i] >= 'A' && b[i] <= 'Z' ? (uint16_t)(b[i] + 32) : b[i];
		if (x != y)
			return false;
	}
	return true;
}

static int
lookup_fn(void *arg, struct scanent *se)
{
	struct lookuparg *la = arg;

	if (!(se->se_lfnlen == la->la_n && u16_eq(se->se_lfn, la->la_u,
	    la->la_n)) &&
	    !msdos_name_eq(la->la_name, la->la_len, se->se_short,
	    se->se_slen))
		return 0;
	la->la_slot->ms_first = se->se_first;
	la->la_slot->ms_idx = se->se_idx;
	la->la_slot->ms_pos = se->se_pos;
	la->la_slot->ms_de = se->se_de;
	return DIRSCAN_STOP;
}

/* ---- the name index ---------------------------------------------- */

void
msdos_dirit_initdn(struct dirit *it, struct msdos_node *dn)
{

	KASSERT(mutex_owned(&dn->dn_hlock));
	msdos_dirit_init(it, dn->dn_mount, dn->dn_start, dn->dn_nclust);
	if (dn->dn_hash != NULL)
		msdos_dh_usemap(dn->dn_hash, it);
}

void
msdos_dir_hashdrop(struct msdos_node *dn)
{

	KASSERT(mutex_owned(&dn->dn_hlock));
	if (dn->dn_hash != NULL)
		msdos_dh_destroy(dn->dn_hash);
	dn->dn_hash = NULL;
}

static int
hashadd_fn(void *arg, struct scanent *se)
{
	struct msdos_dirhash *dh = arg;

	return msdos_dh_add(dh, se->se_lfnlen != 0 ? msdos_dh_hash16(se->se_lfn,
	    se->se_lfnlen) : 0, se->se_first, se->se_idx, se->se_de.de_name,
	    true);
}

/* The cluster map of dn's chain. */
static int
hash_map(struct msdos_node *dn, struct msdos_dirhash *dh)
{
	uint32_t cl = dn->dn_start, n, next;
	int error;

	if (isroot_start(dn->dn_start))
		return 0;
	for (n = 0; n < dn->dn_nclust && cl != 0; n++, cl = next) {
		msdos_dh_mapadd(dh, cl);
		if ((error = msdos_fat_next(dn->dn_mount, cl, &next)) != 0)
			return error;
	}
	return 0;
}

/* Keep the labels and dot entries' 8.3 names as used, and find the
 * first free slot. */
static int
hash_others(struct msdos_node *dn, struct msdos_dirhash *dh)
{
	struct fat_dirent *de;
	struct dirit it;
	uint32_t idx;
	int error = 0;

	msdos_dirit_init(&it, dn->dn_mount, dn->dn_start, dn->dn_nclust);
	msdos_dh_usemap(dh, &it);
	for (idx = 0; error == 0; idx++) {
		if ((error = msdos_dirit_slot(&it, idx, &de, NULL)) != 0)
			break;
		if (de->de_name[0] == SLOT_END || de->de_name[0] == SLOT_FREE)
			break;
		if ((de->de_attr & ATTR_LFN_MASK) != ATTR_LFN &&
		    ((de->de_attr & ATTR_VOLUME) || is_dot(de)))
			error = msdos_dh_add(dh, 0, idx, idx, de->de_name,
			    false);
	}
	msdos_dh_setfree(dh, idx);
	for (idx++; error == 0; idx++) {
		if ((error = msdos_dirit_slot(&it, idx, &de, NULL)) != 0 ||
		    de->de_name[0] == SLOT_END)
			break;
		if (de->de_name[0] != SLOT_FREE &&
		    (de->de_attr & ATTR_LFN_MASK) != ATTR_LFN &&
		    ((de->de_attr & ATTR_VOLUME) || is_dot(de)))
			error = msdos_dh_add(dh, 0, idx, idx, de->de_name,
			    false);
	}
	msdos_dirit_release(&it);
	return error == ENOENT ? 0 : error;
}

/* Build dn's name index; none when memory is short or the directory is
 * unreadable (lookups then scan). */
static void
hash_build(struct msdos_node *dn)
{
	struct msdos_dirhash *dh;
	struct dirit it;
	int error;

	if ((dh = msdos_dh_create(dn->dn_mount)) == NULL)
		return;
	error = hash_map(dn, dh);
	if (error == 0) {
		msdos_dirit_init(&it, dn->dn_mount, dn->dn_start,
		    dn->dn_nclust);
		msdos_dh_usemap(dh, &it);
		error = dir_scan(&it, 0, hashadd_fn, dh, false);
	}
	if (error == 0)
		error = hash_others(dn, dh);
	if (error != 0) {
		msdos_dh_destroy(dh);
		return;
	}
	dn->dn_hash = dh;
}

/* Is the first entry scanned the candidate, with the name looked up? */
struct checkarg {
	struct lookuparg	*ca_la;
	uint32_t		 ca_idx;
	bool			 ca_match;
};

static int
check_fn(void *arg, struct scanent *se)
{
	struct checkarg *ca = arg;

	ca->ca_match = se->se_idx == ca->ca_idx &&
	    lookup_fn(ca->ca_la, se) == DIRSCAN_STOP;
	return DIRSCAN_STOP;
}

/* Lookup through the index: DIRSCAN_STOP (found), 0 or an errno. */
static int
hash_lookup(struct msdos_node *dn, struct lookuparg *la)
{
	struct checkarg ca = { la, 0, false };
	uint32_t lh, sh, first, from = 0;
	struct dirit it;
	int error;

	lh = msdos_dh_hash16(la->la_u, la->la_n);
	sh = msdos_dh_hash8(la->la_name, la->la_len);
	while (msdos_dh_find(dn->dn_hash, lh, la->la_n > 0, sh, from, &first,
	    &ca.ca_idx)) {
		msdos_dirit_initdn(&it, dn);
		error = dir_scan(&it, first, check_fn, &ca, false);
		if (error != 0 && error != DIRSCAN_STOP)
			return error;
		if (ca.ca_match)
			return DIRSCAN_STOP;
		from = ca.ca_idx + 1;
	}
	return 0;
}

int
msdos_dir_lookup(struct msdos_node *dn, const char *name, size_t len,
    struct msdos_slot *ms)
{
	struct lookuparg *la;
	struct dirit it;
	int error;

	while (len > 0 && (name[len - 1] == '.' || name[len - 1] == ' '))
		len--;
	if (len == 0)
		return ENOENT;
	if ((la = kmem_alloc(sizeof(*la))) == NULL)
		return ENOMEM;
	la->la_name = name;
	la->la_len = len;
	la->la_slot = ms;
	/* A name that cannot be stored can still be an 8.3 name. */
	if (msdos_name_utf16(name, len, la->la_u, &la->la_n) != 0)
		la->la_n = 0;
	mutex_enter(&dn->dn_hlock);
	if (dn->dn_hash == NULL)
		hash_build(dn);
	if (dn->dn_hash != NULL)
		error = hash_lookup(dn, la);
	else {
		msdos_dirit_init(&it, dn->dn_mount, dn->dn_start,
		    dn->dn_nclust);
		error = dir_scan(&it, 0, lookup_fn, la, false);
	}
	mutex_exit(&dn->dn_hlock);
	kmem_free(la, sizeof(*la));
	if (error == DIRSCAN_STOP)
		return 0;
	return error != 0 ? error : ENOENT;
}

int
msdos_dir_remove(struct msdos_node *dn, const struct msdos_slot *ms)
{
	struct msdos_dirhash *dh;
	struct fat_dirent *de;
	struct dirit it;
	uint32_t idx;
	int error = 0;

	mutex_enter(&dn->dn_hlock);
	msdos_dirit_initdn(&it, dn);
	for (idx = ms->ms_first; idx <= ms->ms_idx && error == 0; idx++) {
		if ((error = msdos_dirit_slot(&it, idx, &de, NULL)) == 0) {
			de->de_name[0] = SLOT_FREE;
			it.it_dirty = true;
		}
	}
	msdos_dirit_release(&it);
	if ((dh = dn->dn_hash) != NULL && error != 0)
		msdos_dir_hashdrop(dn);
	else if (dh != NULL) {
		msdos_dh_remove(dh, ms->ms_idx, ms->ms_de.de_name);
		if (ms->ms_first < msdos_dh_freehint(dh))
			msdos_dh_setfree(dh, ms->ms_first);
	}
	mutex_exit(&dn->dn_hlock);
	return error;
}

/* ---- whole-directory questions --------------------------------------- */

static int
notempty_fn(void *arg, struct scanent *se)
{

	return ENOTEMPTY;
}

int
msdos_dir_isempty(struct msdos_node *dn)
{
	struct dirit it;

	msdos_dirit_init(&it, dn->dn_mount, dn->dn_start, dn->dn_nclust);
	return dir_scan(&it, 0, notempty_fn, NULL, false);
}

static int
count_fn(void *arg, struct scanent *se)
{
	uint32_t *np = arg;

	if (se->se_de.de_attr & ATTR_DIRECTORY)
		(*np)++;
	return 0;
}

int
msdos_dir_nsubdirs(struct msdos_node *dn, uint32_t *np)
{

	struct dirit it;

	*np = 0;
	msdos_dirit_init(&it, dn->dn_mount, dn->dn_start, dn->dn_nclust);
	return dir_scan(&it, 0, count_fn, np, false);
}

int
msdos_dir_init(struct msdos_mount *md, uint32_t cl,
    const struct fat_dirent *self, uint32_t parentcl)
{
	struct fat_dirent *de;
	struct buf *bp;

	bp = getblk(md->md_dev, msdos_cloff(md, cl), md->md_csize);
	if (bp == NULL)
		return ENOMEM;
	memset(bp->b_data, 0, md->md_csize);
	de = bp->b_data;
	de[0] = *self;
	memcpy(de[0].de_name, ".          ", 11);
	de[0].de_ntres = 0;
	msdos_de_setstart(&de[0], cl);
	setle32(de[0].de_size, 0);
	de[1] = de[0];
	memcpy(de[1].de_name, "..         ", 11);
	msdos_de_setstart(&de[1], dotdot_cl(md, parentcl));
	bdwrite(bp);
	return 0;
}

/* The ".." entry of directory cl (slot 1 of its first cluster). */
static int
dotdot_get(struct msdos_mount *md, uint32_t cl, struct buf **bpp,
    struct fat_dirent **dep)
{
	struct fat_dirent *de;
	int error;

	error = bread(md->md_dev, msdos_cloff(md, cl), md->md_csize, 0, bpp);
	if (error != 0)
		return error;
	de = (struct fat_dirent *)(*bpp)->b_data + 1;
	if (memcmp(de->de_name, "..         ", 11) != 0 ||
	    (de->de_attr & ATTR_DIRECTORY) == 0) {
		brelse(*bpp);
		return msdos_corrupt(md, "directory at cluster %u has no "
		    "\"..\"", cl);
	}
	*dep = de;
	return 0;
}

int
msdos_dir_setparent(struct msdos_mount *md, uint32_t cl, uint32_t parentcl)
{
	struct fat_dirent *de;
	struct buf *bp;
	int error;

	if ((error = dotdot_get(md, cl, &bp, &de)) != 0)
		return error;
	msdos_de_setstart(de, dotdot_cl(md, parentcl));
	bdwrite(bp);
	return 0;
}

struct findarg {
	struct msdos_mount	*fa_md;
	uint32_t		 fa_cl;
	struct msdos_loadinfo	*fa_li;
};

static int
find_fn(void *arg, struct scanent *se)
{
	struct findarg *fa = arg;

	if ((se->se_de.de_attr & ATTR_DIRECTORY) == 0 ||
	    msdos_de_start(fa->fa_md, &se->se_de) != fa->fa_cl)
		return 0;
	fa->fa_li->li_pos = se->se_pos;
	fa->fa_li->li_de = se->se_de;
	return DIRSCAN_STOP;
}

int
msdos_dir_findparent(struct msdos_mount *md, uint32_t cl,
    struct msdos_loadinfo *li)
{
	struct findarg fa = { md, cl, li };
	struct fat_dirent *de;
	struct dirit it;
	struct buf *bp;
	uint32_t gp;
	int error;

	if ((error = dotdot_get(md, cl, &bp, &de)) != 0)
		return error;
	gp = msdos_dircl(md, msdos_de_start(md, de));
	brelse(bp);
	if (gp != msdos_dircl(md, 0) && !msdos_clok(md, gp))
		return msdos_corrupt(md, "directory at cluster %u: \"..\" "
		    "is cluster %u", cl, gp);
	li->li_dircl = gp;
	li->li_ino = msdos_dirino(md, cl);
	msdos_dirit_init(&it, md, gp, 0);
	error = dir_scan(&it, 0, find_fn, &fa, false);
	if (error == DIRSCAN_STOP)
		return 0;
	if (error == 0)
		error = msdos_corrupt(md, "directory at cluster %u not found "
		    "in its parent", cl);
	return error;
}

/* ---- readdir --------------------------------------------------------- */

struct readdirarg {
	struct msdos_mount	*ra_md;
	struct dirctx		*ra_dc;
};

static int
readdir_fn(void *arg, struct scanent *se)
{
	struct readdirarg *ra = arg;
	bool isdir = (se->se_de.de_attr & ATTR_DIRECTORY) != 0;
	ino_t ino;

	if (isdir && msdos_de_start(ra->ra_md, &se->se_de) != 0)
		ino = msdos_dirino(ra->ra_md,
		    msdos_de_start(ra->ra_md, &se->se_de));
	else
		ino = msdos_fileino(se->se_pos);
	scanent_name(se);
	if (!dirctx_emit(ra->ra_dc, ino, isdir ? DT_DIR : DT_REG,
	    se->se_name, se->se_len, (off_t)se->se_idx + 3))
		return DIRSCAN_STOP;
	ra->ra_dc->dc_offset = (off_t)se->se_idx + 3;
	return 0;
}

int
msdos_dir_readdir(struct msdos_node *dn, struct dirctx *dc)
{
	struct msdos_mount *md = dn->dn_mount;
	struct readdirarg ra = { md, dc };
	struct dirit it;
	ino_t self, parent;
	int error;

	self = msdos_dirino(md, dn->dn_start);
	parent = dn->dn_pos == 0 && self == MSDOS_ROOTINO ? self :
	    msdos_dirino(md, dn->dn_dircl);
	if (dc->dc_offset == 0) {
		if (!dirctx_emit(dc, self, DT_DIR, ".", 1, 1))
			return 0;
		dc->dc_offset = 1;
	}
	if (dc->dc_offset == 1) {
		if (!dirctx_emit(dc, parent, DT_DIR, "..", 2, 2))
			return 0;
		dc->dc_offset = 2;
	}
	if (dc->dc_offset < 2 || dc->dc_offset - 2 > UINT32_MAX) {
		dc->dc_eof = true;
		return 0;
	}
	msdos_dirit_init(&it, md, dn->dn_start, dn->dn_nclust);
	error = dir_scan(&it, (uint32_t)(dc->dc_offset - 2), readdir_fn, &ra,
	    true);
	if (error == DIRSCAN_STOP)
		return 0;
	if (error == 0)
		dc->dc_eof = true;
	return error;
}
