/*
 * ext2_vfsops.c: the ext2 and ext3 file system types (component
 * librumpfs_ext2).
 *
 * Owns struct ext2_mount: mounting a block device, remounting between
 * read-only and read-write, unmounting, statfs, sync and loading
 * vnodes.  A read-write mount clears the superblock's clean flag at once
 * and sets it again when it is unmounted or remounted read-only.
 *
 * Usage: mount(source, target, "ext2", flags, options) where source is
 * a block device node (an etfs BLK key, an md RAM disk).  Options:
 * relatime (the default), strictatime, noatime, nodiratime (see
 * ext2_atime.c; MS_NOATIME and MS_NODIRATIME work too); any other is
 * EINVAL.  MS_RDONLY mounts read-only, MS_REMOUNT switches between
 * read-only and read-write and may change the access-time options.
 * "ext3" is the same driver for ext3 images whose journal is clean,
 * read-only only: the journal is neither replayed nor written (an ext3
 * image mounted as "ext2" is written without it, as Linux's ext2 does).
 *
 * Locks: em_lock (see ext2.h); mount, remount and unmount run with the
 * mount's mnt_busy held exclusive by vfs.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/component.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/statfs.h>
#include <dev/buf.h>
#include <vfs/mount.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

static struct vfsops ext3_vfsops;

static const char *const ext2_optnames[] = {
	"relatime", "strictatime", "noatime", "nodiratime", NULL
};

static bool
is_ext3(const struct mount *mp)
{

	return mp->mnt_op == &ext3_vfsops;
}

static void
ext2_mount_free(struct ext2_mount *em)
{

	if (em->em_dev != NULL) {
		(void)bflush(em->em_dev);
		bpurge(em->em_dev);
		vfs_closedev(em->em_dev);
	}
	ext2_super_free(em);
	mutex_destroy(&em->em_atlock);
	mutex_destroy(&em->em_lock);
	kmem_free(em, sizeof(*em));
}

/* A read-write mount: count it and mark the file system not clean. */
static int
ext2_mount_rw(struct ext2_mount *em)
{
	struct ext2_super *sb = &em->em_sb;
	struct timespec now;

	getnanotime(&now);
	mutex_enter(&em->em_lock);
	sb->s_mnt_count = h2e_16(e2_16(sb->s_mnt_count) + 1);
	sb->s_mtime = h2e_32((uint32_t)now.tv_sec);
	mutex_exit(&em->em_lock);
	return ext2_super_write(em, false, true);
}

static int
ext2_remount(struct mount *mp, unsigned long flags)
{
	struct ext2_mount *em = VFSTOEXT2(mp);
	bool rw = (flags & MS_RDONLY) == 0;
	uint32_t orphans;
	int error;

	if (rw == !em->em_ronly)
		return 0;
	if (!rw) {
		mutex_enter(&em->em_lock);
		orphans = em->em_norphans;
		mutex_exit(&em->em_lock);
		if (orphans != 0) {
			printf("%s: cannot remount read-only: removed files "
			    "are still open\n", em->em_name);
			return EBUSY;
		}
		if ((error = ext2_super_write(em, true, true)) != 0)
			return error;
		em->em_ronly = true;
		return 0;
	}
	if (is_ext3(mp) || em->em_dev->bd_rdonly) {
		printf("%s: %s: can only be mounted read-only\n",
		    em->em_name, em->em_dev->bd_name);
		return EROFS;
	}
	if ((error = ext2_super_features(em, true)) != 0)
		return error;
	em->em_ronly = false;
	if ((error = ext2_mount_rw(em)) != 0)
		em->em_ronly = true;
	return error;
}

static int
ext2_mount(struct mount *mp, const char *source, const char *opts,
    unsigned long flags)
{
	const char *name = mp->mnt_op->vfs_name;
	bool rw = (flags & MS_RDONLY) == 0;
	struct ext2_mount *em;
	int error;

	if ((error = mntopt_check(name, opts, ext2_optnames)) != 0)
		return error;
	if (flags & MS_REMOUNT) {
		ext2_atime_opts(VFSTOEXT2(mp), opts, flags);
		return ext2_remount(mp, flags);
	}
	if (source == NULL) {
		printf("%s: mount: no device given\n", name);
		return EINVAL;
	}
	if (rw && is_ext3(mp)) {
		printf("ext3: journaling is not supported: mount read-only, "
		    "or as ext2\n");
		return EROFS;
	}
	if ((em = kmem_zalloc(sizeof(*em))) == NULL)
		return ENOMEM;
	mutex_init(&em->em_lock, MUTEX_DEFAULT);
	mutex_init(&em->em_atlock, MUTEX_DEFAULT);
	ext2_atime_opts(em, opts, flags);
	em->em_name = name;
	em->em_ronly = !rw;
	error = vfs_opendev(source, rw, &em->em_dev);
	if (error != 0)
		em->em_dev = NULL;
	if (error == 0)
		error = ext2_super_load(em);
	if (error == 0)
		error = ext2_super_features(em, rw);
	if (error == 0 && rw)
		error = ext2_mount_rw(em);
	if (error != 0) {
		ext2_mount_free(em);
		return error;
	}
	mp->mnt_data = em;
	mp->mnt_dev = em->em_dev->bd_dev;
	return 0;
}

static int
ext2_unmount(struct mount *mp, int mntflags)
{
	struct ext2_mount *em = VFSTOEXT2(mp);
	int error = 0;

	if (!em->em_ronly)
		error = ext2_super_write(em, true, true);
	ext2_mount_free(em);
	mp->mnt_data = NULL;
	return error;
}

static ino_t
ext2_rootino(struct mount *mp)
{

	return EXT2_ROOTINO;
}

static int
ext2_statfs(struct mount *mp, struct statfs *sfs)
{
	struct ext2_mount *em = VFSTOEXT2(mp);
	const uint8_t *uuid = em->em_sb.s_uuid;
	uint32_t freeblocks, freeinodes;
	int i;

	mutex_enter(&em->em_lock);
	freeblocks = em->em_freeblocks;
	freeinodes = em->em_freeinodes;
	mutex_exit(&em->em_lock);
	memset(sfs, 0, sizeof(*sfs));
	sfs->f_type = EXT2_SUPER_MAGIC;
	sfs->f_bsize = em->em_bsize;
	sfs->f_frsize = em->em_bsize;
	sfs->f_blocks = em->em_blocks - em->em_overhead;
	sfs->f_bfree = MIN(freeblocks, sfs->f_blocks);
	sfs->f_bavail = sfs->f_bfree > em->em_rblocks ?
	    sfs->f_bfree - em->em_rblocks : 0;
	sfs->f_files = em->em_inodes;
	sfs->f_ffree = freeinodes;
	for (i = 0; i < 8; i++)
		sfs->f_fsid[i / 4] |= (int32_t)((uint32_t)(uuid[i] ^
		    uuid[i + 8]) << (8 * (i % 4)));
	sfs->f_namelen = EXT2_NAME_LEN;
	return 0;
}

static int
ext2_sync(struct mount *mp, bool wait)
{
	struct ext2_mount *em = VFSTOEXT2(mp);

	if (em->em_ronly)
		return 0;
	return ext2_super_write(em, false, false);
}

static int
ext2_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino)
{

	return ext2_node_load(VFSTOEXT2(mp), vp, ino);
}

static struct vfsops ext2_vfsops = {
	.vfs_name = "ext2",
	.vfs_mount = ext2_mount,
	.vfs_unmount = ext2_unmount,
	.vfs_rootino = ext2_rootino,
	.vfs_statfs = ext2_statfs,
	.vfs_sync = ext2_sync,
	.vfs_loadvnode = ext2_loadvnode,
};

static struct vfsops ext3_vfsops = {
	.vfs_name = "ext3",
	.vfs_mount = ext2_mount,
	.vfs_unmount = ext2_unmount,
	.vfs_rootino = ext2_rootino,
	.vfs_statfs = ext2_statfs,
	.vfs_sync = ext2_sync,
	.vfs_loadvnode = ext2_loadvnode,
};

static int
ext2_init(void)
{
	int error;

	if ((error = vfs_register(&ext2_vfsops)) != 0)
		return error;
	return vfs_register(&ext3_vfsops);
}

RUMP_COMPONENT(RUMP_COMPONENT_FS, ext2, ext2_init, NULL)
