/*
 * ext2_super.c: the superblock and the block group descriptors.
 *
 * Owns reading them at mount and checking every field the driver uses
 * (geometry, revision, inode size, where each group's bitmaps and inode
 * table are, free counts), the feature policy (which images mount, and
 * which only read-only), writing both back with the clean flag, and the
 * report of corruption found later.  The per-group free counts and the
 * superblock's totals are kept in struct ext2_mount under em_lock while
 * mounted and copied into the on-disk structures when written.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <dev/buf.h>
#include <vfs/mount.h>
#include <fs/ext2/ext2.h>

struct feature_name {
	uint32_t	 fn_bit;
	const char	*fn_name;
};

static const struct feature_name compat_names[] = {
	{ EXT2_FEATURE_COMPAT_LAZY_BG, "lazy_bg" },
	{ 0, NULL }
};

static const struct feature_name incompat_names[] = {
	{ EXT2_FEATURE_INCOMPAT_COMPRESSION, "compression" },
	{ EXT3_FEATURE_INCOMPAT_RECOVER, "needs_recovery (journal)" },
	{ EXT3_FEATURE_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT2_FEATURE_INCOMPAT_META_BG, "meta_bg" },
	{ EXT4_FEATURE_INCOMPAT_EXTENTS, "extent" },
	{ EXT4_FEATURE_INCOMPAT_64BIT, "64bit" },
	{ EXT4_FEATURE_INCOMPAT_MMP, "mmp" },
	{ EXT4_FEATURE_INCOMPAT_FLEX_BG, "flex_bg" },
	{ 0x0400, "ea_inode" },
	{ 0x1000, "dirdata" },
	{ 0x2000, "metadata_csum_seed" },
	{ 0x4000, "large_dir" },
	{ 0x8000, "inline_data" },
	{ 0x10000, "encrypt" },
	{ 0x20000, "casefold" },
	{ 0, NULL }
};

static const struct feature_name rocompat_names[] = {
	{ 0x0004, "btree_dir" },
	{ 0x0008, "huge_file" },
	{ 0x0010, "uninit_bg" },
	{ 0x0020, "dir_nlink" },
	{ 0x0040, "extra_isize" },
	{ 0x0100, "quota" },
	{ 0x0200, "bigalloc" },
	{ 0x0400, "metadata_csum" },
	{ 0x1000, "readonly" },
	{ 0x2000, "project" },
	{ 0x8000, "verity" },
	{ 0, NULL }
};

int
ext2_corrupt(struct ext2_mount *em, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s: corrupted: ", em->em_name, em->em_dev->bd_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	__atomic_store_n(&em->em_error, true, __ATOMIC_RELAXED);
	return EXT2_ECORRUPT;
}

static int
badsuper(struct ext2_mount *em, const char *what, uint64_t val)
{

	printf("%s: %s: bad superblock: %s (%llu)\n", em->em_name,
	    em->em_dev->bd_name, what, (unsigned long long)val);
	return EINVAL;
}

uint64_t
ext2_boff(const struct ext2_mount *em, uint32_t bno)
{

	return (uint64_t)bno << em->em_bshift;
}

bool
ext2_blkok(const struct ext2_mount *em, uint32_t bno)
{
	const struct ext2_group *eg;

	if (bno < em->em_firstdata || bno >= em->em_blocks)
		return false;
	eg = &em->em_groups[(bno - em->em_firstdata) / em->em_bpg];
	return bno >= eg->eg_first + eg->eg_meta &&
	    bno != eg->eg_block_bitmap && bno != eg->eg_inode_bitmap &&
	    (bno < eg->eg_inode_table ||
	    bno - eg->eg_inode_table >= em->em_itblocks);
}

static bool
ispower(uint32_t n, uint32_t base)
{

	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* Does group g hold a copy of the superblock and descriptors? */
static bool
group_has_super(const struct ext2_mount *em, uint32_t g)
{

	if (g == 0)
		return true;
	if (em->em_compat & EXT4_FEATURE_COMPAT_SPARSE_SUPER2)
		return g == e2_32(em->em_sb.s_backup_bgs[0]) ||
		    g == e2_32(em->em_sb.s_backup_bgs[1]);
	if ((em->em_rocompat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) == 0)
		return true;
	return g == 1 || ispower(g, 3) || ispower(g, 5) || ispower(g, 7);
}

/* Block size, revision and inode geometry. */
static int
super_check_format(struct ext2_mount *em)
{
	const struct ext2_super *sb = &em->em_sb;
	uint32_t logb = e2_32(sb->s_log_block_size);

	if (e2_16(sb->s_magic) != EXT2_SUPER_MAGIC) {
		printf("%s: %s: no ext2 file system (bad magic 0x%x)\n",
		    em->em_name, em->em_dev->bd_name, e2_16(sb->s_magic));
		return EINVAL;
	}
	em->em_rev = e2_32(sb->s_rev_level);
	if (em->em_rev > EXT2_DYNAMIC_REV)
		return badsuper(em, "unsupported revision", em->em_rev);
	if (logb > EXT2_MAXLOGBSIZE)
		return badsuper(em, "block size (log)", logb);
	if (e2_32(sb->s_log_frag_size) != logb)
		return badsuper(em, "fragment size differs from block size",
		    e2_32(sb->s_log_frag_size));
	em->em_bshift = EXT2_MINBSHIFT + logb;
	em->em_bsize = 1U << em->em_bshift;
	em->em_nindirshift = em->em_bshift - 2;
	em->em_nindir = 1U << em->em_nindirshift;
	if (em->em_rev == EXT2_GOOD_OLD_REV) {
		em->em_inodesize = EXT2_GOOD_OLD_INODE_SIZE;
		em->em_firstino = EXT2_GOOD_OLD_FIRST_INO;
		return 0;
	}
	em->em_inodesize = e2_16(sb->s_inode_size);
	em->em_firstino = e2_32(sb->s_first_ino);
	if (em->em_inodesize < EXT2_GOOD_OLD_INODE_SIZE ||
	    em->em_inodesize > em->em_bsize ||
	    (em->em_inodesize & (em->em_inodesize - 1)) != 0)
		return badsuper(em, "inode size", em->em_inodesize);
	if (em->em_firstino < EXT2_GOOD_OLD_FIRST_INO)
		return badsuper(em, "first inode", em->em_firstino);
	em->em_compat = e2_32(sb->s_feature_compat);
	em->em_incompat = e2_32(sb->s_feature_incompat);
	em->em_rocompat = e2_32(sb->s_feature_ro_compat);
	return 0;
}

/* Counts of blocks, inodes and groups, and the device's size. */
static int
super_check_counts(struct ext2_mount *em)
{
	const struct ext2_super *sb = &em->em_sb;
	uint64_t ngroups;

	em->em_blocks = e2_32(sb->s_blocks_count);
	em->em_inodes = e2_32(sb->s_inodes_count);
	em->em_firstdata = e2_32(sb->s_first_data_block);
	em->em_bpg = e2_32(sb->s_blocks_per_group);
	em->em_ipg = e2_32(sb->s_inodes_per_group);
	em->em_rblocks = e2_32(sb->s_r_blocks_count);
	em->em_ipb = em->em_bsize / em->em_inodesize;
	if (em->em_firstdata != (em->em_bsize == 1024 ? 1U : 0U))
		return badsuper(em, "first data block", em->em_firstdata);
	if (em->em_bpg < 8 || em->em_bpg > 8 * em->em_bsize ||
	    em->em_bpg % 8 != 0)
		return badsuper(em, "blocks per group", em->em_bpg);
	if (e2_32(sb->s_frags_per_group) != em->em_bpg)
		return badsuper(em, "fragments per group",
		    e2_32(sb->s_frags_per_group));
	if (em->em_ipg == 0 || em->em_ipg > 8 * em->em_bsize)
		return badsuper(em, "inodes per group", em->em_ipg);
	if (em->em_blocks <= em->em_firstdata)
		return badsuper(em, "block count", em->em_blocks);
	if (ext2_boff(em, em->em_blocks) > em->em_dev->bd_size)
		return badsuper(em, "block count beyond the device",
		    em->em_blocks);
	if (em->em_rblocks > em->em_blocks)
		return badsuper(em, "reserved block count", em->em_rblocks);
	ngroups = howmany((uint64_t)em->em_blocks - em->em_firstdata,
	    em->em_bpg);
	if (ngroups * em->em_ipg != em->em_inodes)
		return badsuper(em, "inode count", em->em_inodes);
	if (em->em_firstino > em->em_inodes)
		return badsuper(em, "first inode", em->em_firstino);
	em->em_ngroups = (uint32_t)ngroups;
	em->em_itblocks = howmany(em->em_ipg, em->em_ipb);
	return 0;
}

/* The descriptor table (and the blocks reserved for its growth) must
 * fit into a group after the superblock. */
static int
super_check_gdt(struct ext2_mount *em)
{
	const struct ext2_super *sb = &em->em_sb;

	em->em_gdtblocks = howmany(em->em_ngroups * sizeof(struct ext2_gd),
	    em->em_bsize);
	em->em_rsvgdt = 0;
	if (em->em_compat & EXT2_FEATURE_COMPAT_RESIZE_INODE)
		em->em_rsvgdt = e2_16(sb->s_reserved_gdt_blocks);
	if (em->em_rsvgdt > em->em_nindir)
		return badsuper(em, "reserved GDT blocks", em->em_rsvgdt);
	if (1 + (uint64_t)em->em_gdtblocks + em->em_rsvgdt >=
	    MIN(em->em_bpg, em->em_blocks - em->em_firstdata))
		return badsuper(em, "descriptor blocks", em->em_gdtblocks);
	em->em_resuid = e2_16(sb->s_def_resuid);
	em->em_resgid = e2_16(sb->s_def_resgid);
	return 0;
}

/* Is [b, b + n) inside [lo, hi]? */
static bool
inrange(uint32_t b, uint32_t n, uint32_t lo, uint32_t hi)
{

	return b >= lo && b <= hi && hi - b >= n - 1;
}

static bool
overlaps(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{

	return a < b + bn && b < a + an;
}

/* Check group g's descriptor and set up em_groups[g]. */
static int
group_load(struct ext2_mount *em, uint32_t g)
{
	const struct ext2_gd *gd = (const struct ext2_gd *)em->em_gdraw + g;
	struct ext2_group *eg = &em->em_groups[g];
	uint32_t last, lo;

	eg->eg_first = em->em_firstdata + g * em->em_bpg;
	eg->eg_nblocks = MIN(em->em_bpg, em->em_blocks - eg->eg_first);
	last = eg->eg_first + eg->eg_nblocks - 1;
	eg->eg_meta = group_has_super(em, g) ?
	    1 + em->em_gdtblocks + em->em_rsvgdt : 0;
	eg->eg_block_bitmap = e2_32(gd->bg_block_bitmap);
	eg->eg_inode_bitmap = e2_32(gd->bg_inode_bitmap);
	eg->eg_inode_table = e2_32(gd->bg_inode_table);
	eg->eg_free_blocks = e2_16(gd->bg_free_blocks_count);
	eg->eg_free_inodes = e2_16(gd->bg_free_inodes_count);
	eg->eg_used_dirs = e2_16(gd->bg_used_dirs_count);
	lo = eg->eg_first + eg->eg_meta;
	if (eg->eg_meta >= eg->eg_nblocks ||
	    !inrange(eg->eg_block_bitmap, 1, lo, last) ||
	    !inrange(eg->eg_inode_bitmap, 1, lo, last) ||
	    !inrange(eg->eg_inode_table, em->em_itblocks, lo, last) ||
	    eg->eg_block_bitmap == eg->eg_inode_bitmap ||
	    overlaps(eg->eg_block_bitmap, 1, eg->eg_inode_table,
	    em->em_itblocks) ||
	    overlaps(eg->eg_inode_bitmap, 1, eg->eg_inode_table,
	    em->em_itblocks)) {
		printf("%s: %s: group %u: bitmaps or inode table outside "
		    "the group\n", em->em_name, em->em_dev->bd_name, g);
		return EINVAL;
	}
	if (eg->eg_free_blocks > eg->eg_nblocks ||
	    eg->eg_free_inodes > em->em_ipg || eg->eg_used_dirs > em->em_ipg) {
		printf("%s: %s: group %u: bad free or directory counts\n",
		    em->em_name, em->em_dev->bd_name, g);
		return EINVAL;
	}
	em->em_freeblocks += eg->eg_free_blocks;
	em->em_freeinodes += eg->eg_free_inodes;
	em->em_overhead += eg->eg_meta + 2 + em->em_itblocks;
	return 0;
}

static int
groups_read(struct ext2_mount *em)
{
	struct buf *bp;
	uint32_t i;
	int error;

	for (i = 0; i < em->em_gdtblocks; i++) {
		error = bread(em->em_dev,
		    ext2_boff(em, em->em_firstdata + 1 + i), em->em_bsize, 0,
		    &bp);
		if (error != 0) {
			printf("%s: %s: cannot read group descriptors: "
			    "error %d\n", em->em_name, em->em_dev->bd_name,
			    error);
			return error;
		}
		memcpy((char *)em->em_gdraw + ((size_t)i << em->em_bshift),
		    bp->b_data, em->em_bsize);
		brelse(bp);
	}
	return 0;
}

static int
groups_load(struct ext2_mount *em)
{
	uint32_t g;
	int error;

	em->em_groups = kmem_zalloc(em->em_ngroups * sizeof(*em->em_groups));
	em->em_gdraw = kmem_alloc((size_t)em->em_gdtblocks << em->em_bshift);
	if (em->em_groups == NULL || em->em_gdraw == NULL)
		return ENOMEM;
	if ((error = groups_read(em)) != 0)
		return error;
	em->em_overhead = em->em_firstdata;
	for (g = 0; g < em->em_ngroups; g++)
		if ((error = group_load(em, g)) != 0)
			return error;
	if (em->em_overhead > em->em_blocks)
		return badsuper(em, "metadata larger than the file system",
		    em->em_overhead);
	return 0;
}

/*
 * The largest file: what the block tree addresses, but no more than
 * i_blocks (2^32 - 1 sectors, indirect blocks included) can count.
 */
static void
super_maxsize(struct ext2_mount *em)
{
	uint64_t p = em->em_nindir, tree, limit, meta;

	tree = EXT2_NDADDR + p + p * p + p * p * p;
	limit = ((uint64_t)UINT32_MAX) >> (em->em_bshift - 9);
	meta = 1 + (1 + p) + (1 + howmany(limit, p) + howmany(limit, p * p));
	if (tree + meta > limit)
		tree = limit - meta;
	em->em_maxsize = tree << em->em_bshift;
	if (em->em_rev == EXT2_GOOD_OLD_REV)
		em->em_maxsize = MIN(em->em_maxsize, (uint64_t)INT_MAX);
}

/* What hash-indexed directories need: the feature, hash seed, default
 * version and signedness. */
static void
super_dirindex(struct ext2_mount *em)
{
	const struct ext2_super *sb = &em->em_sb;
	int i;

	em->em_dirindex = (em->em_compat & EXT2_FEATURE_COMPAT_DIR_INDEX) != 0;
	if (!em->em_dirindex)
		return;
	for (i = 0; i < 4; i++)
		em->em_hashseed[i] = e2_32(sb->s_hash_seed[i]);
	em->em_defhash = sb->s_def_hash_version;
	em->em_hashunsigned =
	    (e2_32(sb->s_flags) & EXT2_FLAGS_UNSIGNED_HASH) != 0;
}

int
ext2_super_load(struct ext2_mount *em)
{
	size_t done;
	int error;

	error = bdev_rw_unaligned(em->em_dev, BIO_READ, &em->em_sb,
	    EXT2_SBSIZE, EXT2_SBOFF, &done);
	if (error == 0 && done != EXT2_SBSIZE)
		error = EINVAL;
	if (error != 0) {
		printf("%s: %s: cannot read the superblock: error %d\n",
		    em->em_name, em->em_dev->bd_name, error);
		return error;
	}
	if ((error = super_check_format(em)) != 0 ||
	    (error = super_check_counts(em)) != 0 ||
	    (error = super_check_gdt(em)) != 0 ||
	    (error = groups_load(em)) != 0)
		return error;
	em->em_filetype =
	    (em->em_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE) != 0;
	super_dirindex(em);
	super_maxsize(em);
	if ((e2_16(em->em_sb.s_state) & EXT2_VALID_FS) == 0 ||
	    (e2_16(em->em_sb.s_state) & EXT2_ERROR_FS) != 0)
		printf("%s: %s: warning: file system not clean or with "
		    "errors; run e2fsck\n", em->em_name, em->em_dev->bd_name);
	return 0;
}

static void
print_features(struct ext2_mount *em, const char *kind,
    const struct feature_name *names, uint32_t bits)
{
	uint32_t bit;
	size_t i;

	for (bit = 1; bit != 0; bit <<= 1) {
		if ((bits & bit) == 0)
			continue;
		for (i = 0; names[i].fn_name != NULL; i++)
			if (names[i].fn_bit == bit)
				break;
		printf("%s: %s: unsupported %s feature 0x%x (%s)\n",
		    em->em_name, em->em_dev->bd_name, kind, bit,
		    names[i].fn_name != NULL ? names[i].fn_name : "unknown");
	}
}

int
ext2_super_features(struct ext2_mount *em, bool rw)
{
	uint32_t bad;

	bad = em->em_incompat & ~(uint32_t)EXT2_FEATURE_INCOMPAT_SUPP;
	if (bad != 0) {
		print_features(em, "incompatible", incompat_names, bad);
		return EINVAL;
	}
	bad = em->em_rocompat & ~(uint32_t)EXT2_FEATURE_RO_COMPAT_SUPP;
	if (rw && (bad != 0 || (em->em_compat & EXT2_FEATURE_COMPAT_RO))) {
		print_features(em, "compatible", compat_names,
		    em->em_compat & EXT2_FEATURE_COMPAT_RO);
		print_features(em, "read-only compatible", rocompat_names,
		    bad);
		printf("%s: %s: can only be mounted read-only\n", em->em_name,
		    em->em_dev->bd_name);
		return EROFS;
	}
	return 0;
}

/* Copy the in-core counts and flags into the on-disk structures. */
static void
super_fill(struct ext2_mount *em, bool clean)
{
	struct ext2_super *sb = &em->em_sb;
	struct ext2_gd *gd = em->em_gdraw;
	struct timespec now;
	uint16_t state;
	uint32_t g;

	KASSERT(mutex_owned(&em->em_lock));
	for (g = 0; g < em->em_ngroups; g++) {
		gd[g].bg_free_blocks_count =
		    h2e_16(em->em_groups[g].eg_free_blocks);
		gd[g].bg_free_inodes_count =
		    h2e_16(em->em_groups[g].eg_free_inodes);
		gd[g].bg_used_dirs_count =
		    h2e_16(em->em_groups[g].eg_used_dirs);
	}
	sb->s_free_blocks_count = h2e_32(em->em_freeblocks);
	sb->s_free_inodes_count = h2e_32(em->em_freeinodes);
	sb->s_feature_ro_compat = h2e_32(em->em_rocompat);
	state = e2_16(sb->s_state) & ~EXT2_VALID_FS;
	if (__atomic_load_n(&em->em_error, __ATOMIC_RELAXED))
		state |= EXT2_ERROR_FS;
	if (clean)
		state |= EXT2_VALID_FS;
	sb->s_state = h2e_16(state);
	getnanotime(&now);
	sb->s_wtime = h2e_32((uint32_t)now.tv_sec);
}

/* Copy len bytes at data into block bno at offset off (delayed write). */
static int
write_meta(struct ext2_mount *em, uint32_t bno, size_t off,
    const void *data, size_t len)
{
	struct buf *bp;
	int error;

	error = bread(em->em_dev, ext2_boff(em, bno), em->em_bsize, 0, &bp);
	if (error != 0)
		return error;
	memcpy((char *)bp->b_data + off, data, len);
	bdwrite(bp);
	return 0;
}

int
ext2_super_write(struct ext2_mount *em, bool clean, bool force)
{
	uint32_t i, sbblk = EXT2_SBOFF >> em->em_bshift;
	int error = 0;

	mutex_enter(&em->em_lock);
	if (!em->em_dirty && !force &&
	    !__atomic_load_n(&em->em_error, __ATOMIC_RELAXED)) {
		mutex_exit(&em->em_lock);
		return bflush(em->em_dev);
	}
	super_fill(em, clean);
	for (i = 0; i < em->em_gdtblocks && error == 0; i++)
		error = write_meta(em, em->em_firstdata + 1 + i, 0,
		    (char *)em->em_gdraw + ((size_t)i << em->em_bshift),
		    em->em_bsize);
	if (error == 0)
		error = write_meta(em, sbblk,
		    EXT2_SBOFF - ((size_t)sbblk << em->em_bshift), &em->em_sb,
		    EXT2_SBSIZE);
	if (error == 0)
		em->em_dirty = false;
	mutex_exit(&em->em_lock);
	if (error != 0) {
		printf("%s: %s: cannot write the superblock: error %d\n",
		    em->em_name, em->em_dev->bd_name, error);
		return error;
	}
	return bflush(em->em_dev);
}

void
ext2_super_free(struct ext2_mount *em)
{

	if (em->em_groups != NULL)
		kmem_free(em->em_groups,
		    em->em_ngroups * sizeof(*em->em_groups));
	if (em->em_gdraw != NULL)
		kmem_free(em->em_gdraw, (size_t)em->em_gdtblocks <<
		    em->em_bshift);
	em->em_groups = NULL;
	em->em_gdraw = NULL;
}
