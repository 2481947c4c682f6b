/*
 * vfs_stat.c: vnode attributes to the Linux ABI structures returned by
 * stat(2) and statx(2), and a struct stat to a struct statx (for files
 * that are not vnodes).  Pure conversions; no locks.
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/stat.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>

/* Linux counts st_blocks in 512-byte units. */
#define STAT_BLOCKSIZE	512
/* statx attribute: the file is the root of a mount (Linux value). */
#define STATX_ATTR_MOUNT_ROOT	0x00002000ULL

static void
ts_to_statx(const struct timespec *ts, struct statx_timestamp *sts)
{

	sts->tv_sec = ts->tv_sec;
	sts->tv_nsec = (uint32_t)ts->tv_nsec;
}

void
vattr_to_stat(const struct vnode *vp, const struct vattr *va,
    struct stat *st)
{

	memset(st, 0, sizeof(*st));
	st->st_dev = vp->v_mount->mnt_dev;
	st->st_ino = va->va_fileid;
	st->st_nlink = va->va_nlink;
	st->st_mode = vtype_to_ifmt(va->va_type) | (va->va_mode & ALLPERMS);
	st->st_uid = va->va_uid;
	st->st_gid = va->va_gid;
	st->st_rdev = va->va_rdev;
	st->st_size = va->va_size;
	st->st_blksize = va->va_blocksize;
	st->st_blocks = (int64_t)howmany(va->va_bytes, STAT_BLOCKSIZE);
	st->st_atim = va->va_atime;
	st->st_mtim = va->va_mtime;
	st->st_ctim = va->va_ctime;
}

void
vattr_to_statx(const struct vnode *vp, const struct vattr *va,
    unsigned int mask, struct statx *stx)
{
	dev_t dev = vp->v_mount->mnt_dev;

	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	stx->stx_blksize = va->va_blocksize;
	stx->stx_nlink = (uint32_t)va->va_nlink;
	stx->stx_uid = va->va_uid;
	stx->stx_gid = va->va_gid;
	stx->stx_mode = (uint16_t)(vtype_to_ifmt(va->va_type) |
	    (va->va_mode & ALLPERMS));
	stx->stx_ino = va->va_fileid;
	stx->stx_size = (uint64_t)va->va_size;
	stx->stx_blocks = howmany(va->va_bytes, STAT_BLOCKSIZE);
	ts_to_statx(&va->va_atime, &stx->stx_atime);
	ts_to_statx(&va->va_mtime, &stx->stx_mtime);
	ts_to_statx(&va->va_ctime, &stx->stx_ctime);
	if (va->va_btime.tv_sec != 0 || va->va_btime.tv_nsec != 0) {
		stx->stx_mask |= STATX_BTIME;
		ts_to_statx(&va->va_btime, &stx->stx_btime);
	}
	stx->stx_rdev_major = major(va->va_rdev);
	stx->stx_rdev_minor = minor(va->va_rdev);
	stx->stx_dev_major = major(dev);
	stx->stx_dev_minor = minor(dev);
	stx->stx_mnt_id = vp->v_mount->mnt_id;
	stx->stx_attributes_mask = STATX_ATTR_MOUNT_ROOT;
	if (vp->v_vflag & VV_ROOT)
		stx->stx_attributes = STATX_ATTR_MOUNT_ROOT;
}

void
stat_to_statx(const struct stat *st, struct statx *stx)
{

	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st->st_blksize;
	stx->stx_nlink = (uint32_t)st->st_nlink;
	stx->stx_uid = st->st_uid;
	stx->stx_gid = st->st_gid;
	stx->stx_mode = (uint16_t)st->st_mode;
	stx->stx_ino = st->st_ino;
	stx->stx_size = (uint64_t)st->st_size;
	stx->stx_blocks = (uint64_t)st->st_blocks;
	ts_to_statx(&st->st_atim, &stx->stx_atime);
	ts_to_statx(&st->st_mtim, &stx->stx_mtime);
	ts_to_statx(&st->st_ctim, &stx->stx_ctime);
	stx->stx_rdev_major = major(st->st_rdev);
	stx->stx_rdev_minor = minor(st->st_rdev);
	stx->stx_dev_major = major(st->st_dev);
	stx->stx_dev_minor = minor(st->st_dev);
}
