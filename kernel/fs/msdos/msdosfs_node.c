/*
 * msdosfs_node.c: in-core nodes.
 *
 * Owns struct msdos_node: the inode numbers FAT lacks (see msdosfs.h),
 * loading a node from its 8.3 entry (handed over by msdos_node_get
 * through md_load, since an inode number alone does not say where a
 * directory's entry is), the attributes vfs sees (owner and modes from
 * the mount options, the read-only attribute clearing the write bits,
 * directory link counts of 2 + subdirectories, directory sizes in whole
 * clusters), FAT times (UTC; 2-second write times, access dates,
 * creation times with 10 ms), writing the 8.3 entry back, and removed
 * nodes: renumbered as orphans and their clusters freed at reclaim.
 *
 * Lock: the node's vnode lock; md_loadlock for md_load.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/stat.h>
#include <dev/buf.h>
#include <vfs/mount.h>
#include <vfs/vnode.h>
#include <fs/msdos/msdosfs.h>

/* Seconds from 1970 to 1980-01-01 and to the end of 2107. */
#define FAT_EPOCH	315532800LL
#define FAT_LAST	4354819199LL

ino_t
msdos_fileino(uint64_t pos)
{

	return (ino_t)(pos / DIRENT_SIZE + 2);
}

ino_t
msdos_dirino(const struct msdos_mount *md, uint32_t cl)
{

	if (cl == msdos_dircl(md, 0))
		return MSDOS_ROOTINO;
	return (ino_t)(MSDOS_DIRINO + cl);
}

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static void
msdos_time_get(const uint8_t *date, const uint8_t *time, int cs,
    struct timespec *ts)
{
	uint32_t d = le16(date), t = time != NULL ? le16(time) : 0;
	int64_t mon, day;

	ts->tv_sec = 0;
	ts->tv_nsec = 0;
	if (d == 0)
		return;
	mon = (d >> 5) & 15;
	day = d & 31;
	if (mon < 1 || mon > 12)
		mon = 1;
	if (day < 1)
		day = 1;
	ts->tv_sec = days_from_civil(1980 + (d >> 9), mon, day) * 86400 +
	    (int64_t)(t >> 11) * 3600 + (int64_t)((t >> 5) & 63) * 60 +
	    (int64_t)(t & 31) * 2;
	if (cs > 0 && cs < 200) {
		ts->tv_sec += cs / 100;
		ts->tv_nsec = (cs % 100) * 10000000L;
	}
}

void
msdos_time_set(const struct timespec *ts, uint8_t *date, uint8_t *time,
    uint8_t *cs)
{
	int64_t sec = ts->tv_sec, days, rem, y, m, d;
	long nsec = ts->tv_nsec;

	if (sec < FAT_EPOCH) {
		sec = FAT_EPOCH;
		nsec = 0;
	}
	if (sec > FAT_LAST) {
		sec = FAT_LAST;
		nsec = 0;
	}
	days = sec / 86400;
	rem = sec % 86400;
	civil_from_days(days, &y, &m, &d);
	setle16(date, (uint16_t)(((y - 1980) << 9) | (m << 5) | d));
	if (time != NULL)
		setle16(time, (uint16_t)(((rem / 3600) << 11) |
		    (((rem / 60) % 60) << 5) | ((rem % 60) / 2)));
	if (cs != NULL)
		*cs = (uint8_t)((rem % 2) * 100 + nsec / 10000000L);
}

void
msdos_de_init(struct fat_dirent *de, uint8_t attr)
{
	struct timespec now;

	memset(de, 0, sizeof(*de));
	de->de_attr = attr;
	getnanotime(&now);
	msdos_time_set(&now, de->de_cdate, de->de_ctime, &de->de_ctime_cs);
	msdos_time_set(&now, de->de_mdate, de->de_mtime, NULL);
	msdos_time_set(&now, de->de_adate, NULL, NULL);
}

void
msdos_node_touch(struct msdos_node *dn)
{
	struct timespec now;

	if (dn->dn_pos == 0)
		return;
	getnanotime(&now);
	msdos_time_set(&now, dn->dn_de.de_mdate, dn->dn_de.de_mtime, NULL);
	dn->dn_de.de_attr |= ATTR_ARCHIVE;
}

/* Chain length and subdirectories of a directory node. */
static int
node_load_dir(struct msdos_node *dn)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t last;
	int error;

	if (dn->dn_start != 0 && !msdos_clok(md, dn->dn_start))
		return msdos_corrupt(md, "directory starts at cluster %u",
		    dn->dn_start);
	/* A chain that loops was reported; scans stop where it loops. */
	if (dn->dn_start != 0 && (error = msdos_chainlen(md, dn->dn_start,
	    &dn->dn_nclust, &last)) != 0 && dn->dn_nclust == 0)
		return error;
	return msdos_dir_nsubdirs(dn, &dn->dn_nsubdirs);
}

/* Fill dn from the entry md_load describes. */
static int
node_load_entry(struct msdos_mount *md, struct msdos_node *dn, ino_t ino)
{
	const struct msdos_loadinfo *li = md->md_load;

	if (li == NULL || li->li_ino != ino)
		return ENOENT;
	dn->dn_de = li->li_de;
	dn->dn_pos = li->li_pos;
	dn->dn_dircl = li->li_dircl;
	dn->dn_start = msdos_de_start(md, &li->li_de);
	if (li->li_de.de_attr & ATTR_DIRECTORY) {
		dn->dn_type = VDIR;
		if (dn->dn_start == 0)
			return msdos_corrupt(md, "directory without clusters");
		return node_load_dir(dn);
	}
	dn->dn_type = VREG;
	dn->dn_size = le32(li->li_de.de_size);
	if (dn->dn_start != 0 && !msdos_clok(md, dn->dn_start))
		return msdos_corrupt(md, "file starts at cluster %u",
		    dn->dn_start);
	return 0;
}

int
msdos_node_load(struct msdos_mount *md, struct vnode *vp, ino_t ino)
{
	struct msdos_node *dn;
	int error;

	if ((dn = kmem_zalloc(sizeof(*dn))) == NULL)
		return ENOMEM;
	dn->dn_mount = md;
	mutex_init(&dn->dn_hlock, MUTEX_DEFAULT);
	if (ino == MSDOS_ROOTINO) {
		dn->dn_type = VDIR;
		dn->dn_start = msdos_dircl(md, 0);
		error = node_load_dir(dn);
	} else
		error = node_load_entry(md, dn, ino);
	if (error != 0) {
		msdos_node_free(dn);
		return error;
	}
	vp->v_type = dn->dn_type;
	vp->v_op = &msdos_vnodeops;
	vp->v_data = dn;
	if (ino == MSDOS_ROOTINO)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

void
msdos_node_free(struct msdos_node *dn)
{

	if (dn->dn_hash != NULL)
		msdos_dh_destroy(dn->dn_hash);
	mutex_destroy(&dn->dn_hlock);
	kmem_free(dn, sizeof(*dn));
}

int
msdos_node_get(struct mount *mp, const struct msdos_loadinfo *li,
    struct vnode **vpp)
{
	struct msdos_mount *md = VFSTOMSDOS(mp);
	int error;

	mutex_enter(&md->md_loadlock);
	md->md_load = li;
	error = vcache_get(mp, li->li_ino, vpp);
	md->md_load = NULL;
	mutex_exit(&md->md_loadlock);
	return error;
}

int
msdos_node_update(struct msdos_node *dn)
{
	struct msdos_mount *md = dn->dn_mount;
	uint64_t blk, size;
	struct buf *bp;
	int error;

	if (dn->dn_pos == 0)
		return 0;
	if (dn->dn_pos < md->md_dataoff) {
		size = md->md_bps;
		blk = dn->dn_pos - dn->dn_pos % md->md_bps;
	} else {
		size = md->md_csize;
		blk = md->md_dataoff + ((dn->dn_pos - md->md_dataoff) >>
		    md->md_cshift << md->md_cshift);
	}
	msdos_de_setstart(&dn->dn_de, dn->dn_start);
	setle32(dn->dn_de.de_size, dn->dn_type == VDIR ? 0 : dn->dn_size);
	if ((error = bread(md->md_dev, blk, size, 0, &bp)) != 0) {
		printf("%s: %s: cannot write a directory entry: error %d\n",
		    md->md_name, md->md_dev->bd_name, error);
		return error;
	}
	memcpy((uint8_t *)bp->b_data + (dn->dn_pos - blk), &dn->dn_de,
	    sizeof(dn->dn_de));
	bdwrite(bp);
	return 0;
}

void
msdos_node_orphan(struct vnode *vp)
{
	struct msdos_node *dn = VTODN(vp);
	struct msdos_mount *md = dn->dn_mount;
	uint64_t n;

	mutex_enter(&md->md_lock);
	n = md->md_norphan++;
	md->md_nlive++;
	mutex_exit(&md->md_lock);
	dn->dn_orphan = true;
	dn->dn_pos = 0;
	/* Orphan numbers are never reused: EEXIST cannot happen. */
	(void)vcache_rekey(vp->v_mount, vp, (ino_t)(MSDOS_ORPHANINO + n));
}

void
msdos_node_destroy(struct msdos_node *dn)
{
	struct msdos_mount *md = dn->dn_mount;
	int error;

	mutex_enter(&md->md_lock);
	md->md_nlive--;
	mutex_exit(&md->md_lock);
	if (dn->dn_start == 0 || md->md_ronly)
		return;
	if ((error = msdos_freechain(md, dn->dn_start)) != 0)
		printf("%s: %s: cannot free the clusters of a removed file: "
		    "error %d\n", md->md_name, md->md_dev->bd_name, error);
	dn->dn_start = 0;
}

void
msdos_node_getattr(struct msdos_node *dn, ino_t ino, struct vattr *va)
{
	struct msdos_mount *md = dn->dn_mount;
	const struct fat_dirent *de = &dn->dn_de;

	memset(va, 0, sizeof(*va));
	va->va_type = dn->dn_type;
	va->va_uid = md->md_uid;
	va->va_gid = md->md_gid;
	va->va_fileid = ino;
	va->va_blocksize = md->md_csize;
	if (dn->dn_type == VDIR) {
		va->va_mode = 0777 & ~md->md_dmask;
		va->va_nlink = 2 + dn->dn_nsubdirs;
		va->va_size = dn->dn_start == 0 ?
		    (off_t)md->md_rootents * DIRENT_SIZE :
		    (off_t)dn->dn_nclust << md->md_cshift;
		va->va_bytes = (uint64_t)va->va_size;
	} else {
		va->va_mode = 0777 & ~md->md_fmask;
		if (de->de_attr & ATTR_READONLY)
			va->va_mode &= ~(mode_t)0222;
		va->va_nlink = 1;
		va->va_size = dn->dn_size;
		va->va_bytes = roundup((uint64_t)dn->dn_size, md->md_csize);
	}
	if (dn->dn_orphan)
		va->va_nlink = 0;
	if (ino == MSDOS_ROOTINO)
		return;
	msdos_time_get(de->de_mdate, de->de_mtime, 0, &va->va_mtime);
	msdos_time_get(de->de_adate, NULL, 0, &va->va_atime);
	va->va_ctime = va->va_mtime;
	msdos_time_get(de->de_cdate, de->de_ctime, de->de_ctime_cs,
	    &va->va_btime);
}
