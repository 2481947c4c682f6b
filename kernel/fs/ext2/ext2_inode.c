/*
 * ext2_inode.c: in-core inodes.
 *
 * Owns struct ext2_node: loading an inode from the inode table for a new
 * vnode and checking it, the accessors of its fields (the 64-bit size of
 * regular files, 32-bit owners, timestamps with nanoseconds and epoch
 * bits in large inodes, device numbers, block pointers), writing it back
 * to its inode table block, creating new inodes and freeing unlinked
 * ones.  The whole on-disk inode is kept and written back, so fields this
 * driver does not know (in-inode extended attributes) survive.
 *
 * Lock: a node's vnode lock protects en_din; em_lock the orphan count.
 */
#include <kern/types.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/stat.h>
#include <dev/buf.h>
#include <vfs/mount.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

#define S32_MAX		((int64_t)0x7fffffff)
#define S32_MIN		(-S32_MAX - 1)

/* Where each timestamp and its extra word are in the inode. */
static const struct {
	size_t	t_off;
	size_t	t_extra;
} time_fields[] = {
	[EXT2_ATIME] = { offsetof(struct ext2_dinode, i_atime),
	    offsetof(struct ext2_dinode, i_atime_extra) },
	[EXT2_MTIME] = { offsetof(struct ext2_dinode, i_mtime),
	    offsetof(struct ext2_dinode, i_mtime_extra) },
	[EXT2_CTIME] = { offsetof(struct ext2_dinode, i_ctime),
	    offsetof(struct ext2_dinode, i_ctime_extra) },
	[EXT2_CRTIME] = { offsetof(struct ext2_dinode, i_crtime),
	    offsetof(struct ext2_dinode, i_crtime_extra) },
};

static int
inode_locate(struct ext2_mount *em, ino_t ino, uint32_t *bnop,
    size_t *offp)
{
	uint32_t g, i;

	KASSERT(ino >= 1 && ino <= em->em_inodes);
	g = (uint32_t)((ino - 1) / em->em_ipg);
	i = (uint32_t)((ino - 1) % em->em_ipg);
	*bnop = em->em_groups[g].eg_inode_table + i / em->em_ipb;
	*offp = (size_t)(i % em->em_ipb) * em->em_inodesize;
	return 0;
}

static int
inode_read(struct ext2_mount *em, ino_t ino, struct ext2_dinode *din)
{
	struct buf *bp;
	uint32_t bno;
	size_t off;
	int error;

	inode_locate(em, ino, &bno, &off);
	error = bread(em->em_dev, ext2_boff(em, bno), em->em_bsize, 0, &bp);
	if (error != 0)
		return error;
	memcpy(din, (char *)bp->b_data + off, em->em_inodesize);
	brelse(bp);
	return 0;
}

static int
inode_write(struct ext2_mount *em, ino_t ino, const struct ext2_dinode *din)
{
	struct buf *bp;
	uint32_t bno;
	size_t off;
	int error;

	inode_locate(em, ino, &bno, &off);
	error = bread(em->em_dev, ext2_boff(em, bno), em->em_bsize, 0, &bp);
	if (error != 0)
		return error;
	memcpy((char *)bp->b_data + off, din, em->em_inodesize);
	bdwrite(bp);
	return 0;
}

/* ---- fields of a raw inode ---------------------------------------------- */

static uint32_t
din_get32(const struct ext2_dinode *din, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)din + off, sizeof(v));
	return e2_32(v);
}

static void
din_set32(struct ext2_dinode *din, size_t off, uint32_t v)
{

	v = h2e_32(v);
	memcpy((char *)din + off, &v, sizeof(v));
}

/* Bytes of extra fields (0 for 128-byte inodes); checked at load. */
static size_t
din_extra(const struct ext2_mount *em, const struct ext2_dinode *din)
{

	if (em->em_inodesize <= EXT2_GOOD_OLD_INODE_SIZE)
		return 0;
	return e2_16(din->i_extra_isize);
}

static bool
din_covers(const struct ext2_mount *em, const struct ext2_dinode *din,
    size_t off)
{

	return off + 4 <= EXT2_GOOD_OLD_INODE_SIZE + din_extra(em, din);
}

static void
din_gettime(const struct ext2_mount *em, const struct ext2_dinode *din,
    int which, struct timespec *ts)
{
	uint32_t extra;

	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	if (!din_covers(em, din, time_fields[which].t_off))
		return;
	ts->tv_sec = (int32_t)din_get32(din, time_fields[which].t_off);
	if (!din_covers(em, din, time_fields[which].t_extra))
		return;
	extra = din_get32(din, time_fields[which].t_extra);
	ts->tv_sec += (int64_t)(extra & EXT2_EPOCH_MASK) << 32;
	ts->tv_nsec = extra >> EXT2_EPOCH_BITS;
	if (ts->tv_nsec >= 1000000000L)
		ts->tv_nsec = 0;
}

static void
din_settime(const struct ext2_mount *em, struct ext2_dinode *din,
    int which, const struct timespec *ts)
{
	int64_t sec = ts->tv_sec;
	uint32_t epoch;

	if (!din_covers(em, din, time_fields[which].t_off))
		return;
	if (!din_covers(em, din, time_fields[which].t_extra)) {
		sec = MAX(MIN(sec, S32_MAX), S32_MIN);
		din_set32(din, time_fields[which].t_off, (uint32_t)sec);
		return;
	}
	sec = MAX(MIN(sec, (S32_MAX + 1) * 7 - 1), S32_MIN);
	epoch = (uint32_t)((sec - (int32_t)sec) >> 32) & EXT2_EPOCH_MASK;
	din_set32(din, time_fields[which].t_off, (uint32_t)sec);
	din_set32(din, time_fields[which].t_extra,
	    (uint32_t)ts->tv_nsec << EXT2_EPOCH_BITS | epoch);
}

static void
din_setowner(struct ext2_dinode *din, uid_t uid, gid_t gid)
{

	din->i_uid = h2e_16(uid & 0xffff);
	din->i_uid_high = h2e_16(uid >> 16);
	din->i_gid = h2e_16(gid & 0xffff);
	din->i_gid_high = h2e_16(gid >> 16);
}

/* Device numbers: Linux's old 8:8 encoding in i_block[0] when it fits,
 * else the new 12:20 one in i_block[1]. */
static dev_t
din_rdev(const struct ext2_dinode *din)
{
	uint32_t old = e2_32(din->i_block[0]), new = e2_32(din->i_block[1]);

	if (old != 0)
		return makedev((old >> 8) & 0xff, old & 0xff);
	return makedev((new & 0xfff00) >> 8, (new & 0xff) |
	    ((new >> 12) & 0xfff00));
}

static void
din_setrdev(struct ext2_dinode *din, dev_t dev)
{
	uint32_t ma = major(dev), mi = minor(dev);

	if (ma < 256 && mi < 256) {
		din->i_block[0] = h2e_32(ma << 8 | mi);
		din->i_block[1] = 0;
	} else {
		din->i_block[0] = 0;
		din->i_block[1] = h2e_32((mi & 0xff) | (ma & 0xfff) << 8 |
		    (mi & ~0xffU) << 12);
	}
}

/* ---- checking --------------------------------------------------------- */

static enum vtype
mode_vtype(mode_t mode)
{

	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return ifmt_to_vtype(mode);
	default:
		return VNON;
	}
}

/* Blocks (512-byte units) of the extended attribute block. */
static uint64_t
din_eablocks(const struct ext2_mount *em, const struct ext2_dinode *din)
{

	return din->i_file_acl != 0 ? em->em_bsize >> 9 : 0;
}

static int
inode_check_size(struct ext2_mount *em, ino_t ino,
    const struct ext2_dinode *din, enum vtype type)
{
	uint64_t size = e2_32(din->i_size);
	uint64_t blocks = e2_32(din->i_blocks);

	switch (type) {
	case VREG:
		size |= (uint64_t)e2_32(din->i_size_high) << 32;
		if (size > em->em_maxsize)
			return ext2_corrupt(em, "inode %llu: size %llu too "
			    "large", (unsigned long long)ino,
			    (unsigned long long)size);
		return 0;
	case VDIR:
		if (size % em->em_bsize != 0)
			return ext2_corrupt(em, "directory inode %llu: size "
			    "%llu not a multiple of the block size",
			    (unsigned long long)ino, (unsigned long long)size);
		return 0;
	case VLNK:
		if (blocks == din_eablocks(em, din) ?
		    size >= sizeof(din->i_block) : size >= em->em_bsize)
			return ext2_corrupt(em, "symlink inode %llu: bad "
			    "length %llu", (unsigned long long)ino,
			    (unsigned long long)size);
		return 0;
	default:
		return 0;
	}
}

static int
inode_check(struct ext2_mount *em, ino_t ino, const struct ext2_dinode *din,
    enum vtype *typep)
{
	size_t extra = din_extra(em, din);
	uint32_t flags = e2_32(din->i_flags);

	if (e2_16(din->i_links_count) == 0)
		return ext2_corrupt(em, "inode %llu is in a directory but "
		    "not in use", (unsigned long long)ino);
	if (e2_16(din->i_links_count) > EXT2_LINK_MAX)
		return ext2_corrupt(em, "inode %llu: %u links",
		    (unsigned long long)ino, e2_16(din->i_links_count));
	*typep = mode_vtype(e2_16(din->i_mode));
	if (*typep == VNON)
		return ext2_corrupt(em, "inode %llu: bad mode 0%o",
		    (unsigned long long)ino, e2_16(din->i_mode));
	if (flags & EXT2_UNSUPP_FL)
		return ext2_corrupt(em, "inode %llu: unsupported flags 0x%x",
		    (unsigned long long)ino, flags & EXT2_UNSUPP_FL);
	if (extra % 4 != 0 ||
	    extra > em->em_inodesize - EXT2_GOOD_OLD_INODE_SIZE)
		return ext2_corrupt(em, "inode %llu: extra size %zu",
		    (unsigned long long)ino, extra);
	return inode_check_size(em, ino, din, *typep);
}

/* ---- nodes -------------------------------------------------------------- */

int
ext2_node_load(struct ext2_mount *em, struct vnode *vp, ino_t ino)
{
	struct ext2_node *en;
	enum vtype type = VNON;
	int error;

	if (ino != EXT2_ROOTINO && (ino < em->em_firstino ||
	    ino > em->em_inodes))
		return ext2_corrupt(em, "reference to reserved or bad inode "
		    "%llu", (unsigned long long)ino);
	if ((en = kmem_zalloc(sizeof(*en))) == NULL)
		return ENOMEM;
	if ((en->en_din = kmem_alloc(em->em_inodesize)) == NULL) {
		kmem_free(en, sizeof(*en));
		return ENOMEM;
	}
	en->en_mount = em;
	en->en_ino = ino;
	if ((error = inode_read(em, ino, en->en_din)) != 0 ||
	    (error = inode_check(em, ino, en->en_din, &type)) != 0) {
		ext2_node_free(en);
		return error;
	}
	en->en_type = type;
	vp->v_type = type;
	vp->v_op = &ext2_vnodeops;
	vp->v_data = en;
	if (type == VCHR || type == VBLK)
		vp->v_rdev = din_rdev(en->en_din);
	if (ino == EXT2_ROOTINO)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

void
ext2_node_free(struct ext2_node *en)
{

	kmem_free(en->en_din, en->en_mount->em_inodesize);
	kmem_free(en, sizeof(*en));
}

int
ext2_node_update(struct ext2_node *en)
{

	if (en->en_mount->em_ronly)
		return EROFS;
	return inode_write(en->en_mount, en->en_ino, en->en_din);
}

int
ext2_node_create(struct ext2_mount *em, ino_t ino, mode_t mode,
    const struct vattr *va)
{
	struct ext2_dinode *din;
	struct timespec now;
	int error, t;

	if ((din = kmem_zalloc(em->em_inodesize)) == NULL)
		return ENOMEM;
	din->i_mode = h2e_16(mode);
	din->i_links_count = h2e_16(S_ISDIR(mode) ? 2 : 1);
	din_setowner(din, va->va_uid, va->va_gid);
	din->i_generation = h2e_32(cprng_fast32());
	if (em->em_inodesize >= EXT2_GOOD_OLD_INODE_SIZE + EXT2_EXTRA_ISIZE)
		din->i_extra_isize = h2e_16(EXT2_EXTRA_ISIZE);
	getnanotime(&now);
	for (t = EXT2_ATIME; t <= EXT2_CRTIME; t++)
		din_settime(em, din, t, &now);
	if (S_ISCHR(mode) || S_ISBLK(mode))
		din_setrdev(din, va->va_rdev);
	error = inode_write(em, ino, din);
	kmem_free(din, em->em_inodesize);
	return error;
}

/* Drop the node's extended attribute block (shared, counted). */
static int
xattr_release(struct ext2_node *en)
{
	struct ext2_mount *em = en->en_mount;
	const struct ext2_xattr_header *h;
	uint32_t bno = e2_32(en->en_din->i_file_acl), refs;
	struct buf *bp;
	int error;

	if (bno == 0)
		return 0;
	if (!ext2_blkok(em, bno))
		return ext2_corrupt(em, "inode %llu: bad attribute block %u",
		    (unsigned long long)en->en_ino, bno);
	error = bread(em->em_dev, ext2_boff(em, bno), em->em_bsize, 0, &bp);
	if (error != 0)
		return error;
	h = bp->b_data;
	refs = e2_32(h->h_refcount);
	if (e2_32(h->h_magic) != EXT2_XATTR_MAGIC || e2_32(h->h_blocks) != 1 ||
	    refs == 0) {
		brelse(bp);
		return ext2_corrupt(em, "inode %llu: bad attribute block %u",
		    (unsigned long long)en->en_ino, bno);
	}
	if (refs > 1) {
		((struct ext2_xattr_header *)bp->b_data)->h_refcount =
		    h2e_32(refs - 1);
		bdwrite(bp);
	} else {
		brelse(bp);
		error = ext2_blkfree(em, bno);
	}
	en->en_din->i_file_acl = 0;
	ext2_n_addblocks(en, -1);
	return error;
}

/*
 * The last reference to an unlinked inode is gone: free its blocks and
 * the inode (Linux's way: no links, dtime set, size 0).  Errors are
 * reported on the console; e2fsck finds what could not be freed.
 */
void
ext2_node_destroy(struct ext2_node *en)
{
	struct ext2_mount *em = en->en_mount;
	struct timespec now;
	int error = 0, uerror;

	if (ext2_n_hasblocks(en))
		error = ext2_bmap_truncate(en, 0);
	if (error == 0)
		error = xattr_release(en);
	if (error == 0)
		en->en_din->i_size = 0;
	getnanotime(&now);
	en->en_din->i_dtime = h2e_32((uint32_t)now.tv_sec);
	en->en_din->i_links_count = 0;
	/* Written even after an error: it must not list freed blocks. */
	uerror = ext2_node_update(en);
	if (error == 0)
		error = uerror;
	if (error == 0)
		error = ext2_ifree(em, en->en_ino, en->en_type == VDIR);
	if (error != 0)
		printf("%s: inode %llu: not freed: error %d\n", em->em_name,
		    (unsigned long long)en->en_ino, error);
	mutex_enter(&em->em_lock);
	em->em_norphans--;
	mutex_exit(&em->em_lock);
}

void
ext2_node_discard(struct ext2_mount *em, ino_t ino, bool isdir)
{
	struct ext2_dinode *din;
	struct timespec now;
	int error = ENOMEM;

	if ((din = kmem_alloc(em->em_inodesize)) != NULL &&
	    (error = inode_read(em, ino, din)) == 0) {
		getnanotime(&now);
		din->i_links_count = 0;
		din->i_dtime = h2e_32((uint32_t)now.tv_sec);
		error = inode_write(em, ino, din);
	}
	if (din != NULL)
		kmem_free(din, em->em_inodesize);
	if (error == 0)
		error = ext2_ifree(em, ino, isdir);
	if (error != 0)
		printf("%s: new inode %llu: not freed: error %d\n",
		    em->em_name, (unsigned long long)ino, error);
}

/* ---- accessors ---------------------------------------------------------- */

mode_t
ext2_n_mode(const struct ext2_node *en)
{

	return e2_16(en->en_din->i_mode);
}

void
ext2_n_setmode(struct ext2_node *en, mode_t perms)
{
	mode_t mode = ext2_n_mode(en);

	en->en_din->i_mode = h2e_16((mode & S_IFMT) | (perms & ALLPERMS));
}

uint64_t
ext2_n_size(const struct ext2_node *en)
{
	uint64_t size = e2_32(en->en_din->i_size);

	if (en->en_type == VREG)
		size |= (uint64_t)e2_32(en->en_din->i_size_high) << 32;
	return size;
}

void
ext2_n_setsize(struct ext2_node *en, uint64_t size)
{
	struct ext2_mount *em = en->en_mount;

	KASSERT(size <= em->em_maxsize);
	en->en_din->i_size = h2e_32((uint32_t)size);
	if (en->en_type != VREG)
		return;
	en->en_din->i_size_high = h2e_32((uint32_t)(size >> 32));
	if (size <= (uint64_t)S32_MAX)
		return;
	mutex_enter(&em->em_lock);
	if ((em->em_rocompat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE) == 0) {
		em->em_rocompat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		em->em_dirty = true;
	}
	mutex_exit(&em->em_lock);
}

uint32_t
ext2_n_nlink(const struct ext2_node *en)
{

	return e2_16(en->en_din->i_links_count);
}

/* A node whose last link goes is freed when its vnode is reclaimed. */
void
ext2_n_setnlink(struct ext2_node *en, uint32_t n)
{
	struct ext2_mount *em = en->en_mount;

	KASSERT(n <= EXT2_LINK_MAX);
	en->en_din->i_links_count = h2e_16(n);
	if (n != 0 || en->en_orphan)
		return;
	en->en_orphan = true;
	mutex_enter(&em->em_lock);
	em->em_norphans++;
	mutex_exit(&em->em_lock);
}

uint32_t
ext2_n_flags(const struct ext2_node *en)
{

	return e2_32(en->en_din->i_flags);
}

void
ext2_n_setflags(struct ext2_node *en, uint32_t flags)
{

	en->en_din->i_flags = h2e_32(flags);
}

uint64_t
ext2_n_blocks(const struct ext2_node *en)
{

	return e2_32(en->en_din->i_blocks);
}

void
ext2_n_addblocks(struct ext2_node *en, int n)
{
	struct ext2_mount *em = en->en_mount;
	int64_t blocks = e2_32(en->en_din->i_blocks);

	blocks += (int64_t)n * (em->em_bsize >> 9);
	if (blocks < 0 || blocks > UINT32_MAX) {
		(void)ext2_corrupt(em, "inode %llu: block count out of range",
		    (unsigned long long)en->en_ino);
		blocks = blocks < 0 ? 0 : UINT32_MAX;
	}
	en->en_din->i_blocks = h2e_32((uint32_t)blocks);
}

uid_t
ext2_n_uid(const struct ext2_node *en)
{

	return e2_16(en->en_din->i_uid) |
	    (uid_t)e2_16(en->en_din->i_uid_high) << 16;
}

gid_t
ext2_n_gid(const struct ext2_node *en)
{

	return e2_16(en->en_din->i_gid) |
	    (gid_t)e2_16(en->en_din->i_gid_high) << 16;
}

void
ext2_n_setowner(struct ext2_node *en, uid_t uid, gid_t gid)
{

	din_setowner(en->en_din, uid, gid);
}

void
ext2_n_gettime(const struct ext2_node *en, int which, struct timespec *ts)
{

	din_gettime(en->en_mount, en->en_din, which, ts);
}

void
ext2_n_settime(struct ext2_node *en, int which, const struct timespec *ts)
{

	din_settime(en->en_mount, en->en_din, which, ts);
}

void
ext2_n_touch(struct ext2_node *en, int what)
{
	struct timespec now;

	getnanotime(&now);
	if (what & EXT2_TOUCH_M)
		ext2_n_settime(en, EXT2_MTIME, &now);
	if (what & EXT2_TOUCH_C)
		ext2_n_settime(en, EXT2_CTIME, &now);
}

uint32_t
ext2_n_blkptr(const struct ext2_node *en, int i)
{

	KASSERT(i >= 0 && i < EXT2_N_BLOCKS);
	return e2_32(en->en_din->i_block[i]);
}

void
ext2_n_setblkptr(struct ext2_node *en, int i, uint32_t bno)
{

	KASSERT(i >= 0 && i < EXT2_N_BLOCKS);
	en->en_din->i_block[i] = h2e_32(bno);
}

bool
ext2_n_fastlink(const struct ext2_node *en)
{

	return ext2_n_blocks(en) == din_eablocks(en->en_mount, en->en_din);
}

bool
ext2_n_hasblocks(const struct ext2_node *en)
{

	return en->en_type == VREG || en->en_type == VDIR ||
	    (en->en_type == VLNK && !ext2_n_fastlink(en));
}

const char *
ext2_n_linkdata(const struct ext2_node *en)
{

	return (const char *)en->en_din->i_block;
}

void
ext2_n_setlinkdata(struct ext2_node *en, const char *target, size_t len)
{

	KASSERT(len < sizeof(en->en_din->i_block));
	memset(en->en_din->i_block, 0, sizeof(en->en_din->i_block));
	memcpy(en->en_din->i_block, target, len);
}

int
ext2_n_canchange(const struct ext2_node *en)
{

	if (ext2_n_flags(en) & (EXT2_IMMUTABLE_FL | EXT2_APPEND_FL))
		return EPERM;
	return 0;
}
