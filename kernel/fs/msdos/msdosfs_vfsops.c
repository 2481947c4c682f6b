/*
 * msdosfs_vfsops.c: the msdos and vfat file system types (component
 * librumpfs_msdos; both names are the same driver, with long names).
 *
 * Owns struct msdos_mount: mount options, mounting a block device,
 * remounting between read-only and read-write, unmounting, statfs, sync
 * and loading vnodes.  A read-write mount clears the clean-shutdown bit
 * of FAT entry 1 (FAT16/32) at once and sets it again when it is
 * unmounted or remounted read-only, after FSInfo and everything else is
 * written.
 *
 * Usage: mount(source, target, "msdos" or "vfat", flags,
 * "uid=N,gid=N,fmask=OCT,dmask=OCT,shortname=mixed") where source is a
 * block device node.  FAT stores no owners or modes: every file belongs
 * to uid/gid (default 0), files have mode 0777 & ~fmask and directories
 * 0777 & ~dmask (default masks 022).  shortname=mixed is the only short
 * name policy.  MS_RDONLY mounts read-only, MS_REMOUNT switches between
 * read-only and read-write (the options stay as mounted).
 *
 * Locks: md_lock (see msdosfs.h); mount, remount and unmount run with
 * the mount's mnt_busy held exclusive by vfs.
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
#include <fs/msdos/msdosfs.h>

static const char *const msdos_optnames[] = {
	"uid", "gid", "fmask", "dmask", "shortname", NULL
};

static int
badopt(const char *fs, const char *key, const char *val)
{

	printf("%s: bad mount option value: %s=%s\n", fs, key, val);
	return EINVAL;
}

/* A decimal id option. */
static int
opt_id(const char *fs, const char *opts, const char *key, uint32_t *idp)
{
	char val[MNTOPT_VALMAX];
	uint64_t n;
	size_t i;

	if (!mntopt_get(opts, key, val, sizeof(val)))
		return 0;
	for (i = 0; val[i] != '\0'; i++)
		if (val[i] < '0' || val[i] > '9')
			return badopt(fs, key, val);
	if (i == 0 || strtou64(val, &n, false) != 0 || n >= UINT32_MAX)
		return badopt(fs, key, val);
	*idp = (uint32_t)n;
	return 0;
}

/* An octal mask option. */
static int
opt_mask(const char *fs, const char *opts, const char *key, mode_t *maskp)
{
	char val[MNTOPT_VALMAX];
	mode_t m = 0;
	size_t i;

	if (!mntopt_get(opts, key, val, sizeof(val)))
		return 0;
	for (i = 0; val[i] != '\0'; i++) {
		if (val[i] < '0' || val[i] > '7' || i >= 6)
			return badopt(fs, key, val);
		m = m * 8 + (mode_t)(val[i] - '0');
	}
	if (i == 0 || m > 0777)
		return badopt(fs, key, val);
	*maskp = m;
	return 0;
}

static int
msdos_parseopts(struct msdos_mount *md, const char *opts)
{
	char val[MNTOPT_VALMAX];
	uint32_t uid = 0, gid = 0;
	int error;

	md->md_fmask = md->md_dmask = 0022;
	if ((error = mntopt_check(md->md_name, opts, msdos_optnames)) != 0)
		return error;
	if (opts == NULL)
		return 0;
	if ((error = opt_id(md->md_name, opts, "uid", &uid)) != 0 ||
	    (error = opt_id(md->md_name, opts, "gid", &gid)) != 0 ||
	    (error = opt_mask(md->md_name, opts, "fmask",
	    &md->md_fmask)) != 0 ||
	    (error = opt_mask(md->md_name, opts, "dmask",
	    &md->md_dmask)) != 0)
		return error;
	md->md_uid = uid;
	md->md_gid = gid;
	if (mntopt_get(opts, "shortname", val, sizeof(val)) &&
	    strcmp(val, "mixed") != 0) {
		printf("%s: shortname=%s is not supported (only mixed)\n",
		    md->md_name, val);
		return EINVAL;
	}
	return 0;
}

static void
msdos_mount_free(struct msdos_mount *md)
{

	if (md->md_dev != NULL) {
		(void)bflush(md->md_dev);
		bpurge(md->md_dev);
		vfs_closedev(md->md_dev);
	}
	mutex_destroy(&md->md_lock);
	mutex_destroy(&md->md_loadlock);
	kmem_free(md, sizeof(*md));
}

/* Going read-write: warn about an unclean file system, mark it dirty. */
static int
msdos_mount_rw(struct msdos_mount *md)
{
	uint32_t v;
	int error;

	if (md->md_type != FAT12) {
		mutex_enter(&md->md_lock);
		error = msdos_fat_get(md, 1, &v);
		mutex_exit(&md->md_lock);
		if (error != 0)
			return error;
		if ((v & (md->md_type == FAT16 ? FAT16_CLEAN : FAT32_CLEAN)) ==
		    0)
			printf("%s: %s: warning: not cleanly unmounted; run "
			    "fsck.fat\n", md->md_name, md->md_dev->bd_name);
	}
	if ((error = msdos_setclean(md, false)) != 0)
		return error;
	return bflush(md->md_dev);
}

/* Going read-only or away: write everything, then the clean bit. */
static int
msdos_mount_clean(struct msdos_mount *md)
{
	int error;

	if ((error = msdos_sync_meta(md)) != 0 ||
	    (error = msdos_setclean(md, true)) != 0)
		return error;
	return bflush(md->md_dev);
}

static int
msdos_remount(struct mount *mp, unsigned long flags)
{
	struct msdos_mount *md = VFSTOMSDOS(mp);
	bool rw = (flags & MS_RDONLY) == 0;
	uint32_t nlive;
	int error;

	if (rw == !md->md_ronly)
		return 0;
	if (!rw) {
		mutex_enter(&md->md_lock);
		nlive = md->md_nlive;
		mutex_exit(&md->md_lock);
		if (nlive != 0) {
			printf("%s: cannot remount read-only: removed files "
			    "are still open\n", md->md_name);
			return EBUSY;
		}
		if ((error = msdos_mount_clean(md)) != 0)
			return error;
		md->md_ronly = true;
		return 0;
	}
	if (md->md_dev->bd_rdonly) {
		printf("%s: %s: the device is read-only\n", md->md_name,
		    md->md_dev->bd_name);
		return EROFS;
	}
	md->md_ronly = false;
	if ((error = msdos_mount_rw(md)) != 0)
		md->md_ronly = true;
	return error;
}

static int
msdos_mount(struct mount *mp, const char *source, const char *opts,
    unsigned long flags)
{
	const char *name = mp->mnt_op->vfs_name;
	bool rw = (flags & MS_RDONLY) == 0;
	struct msdos_mount *md;
	int error;

	if (flags & MS_REMOUNT) {
		if ((error = mntopt_check(name, opts, msdos_optnames)) != 0)
			return error;
		return msdos_remount(mp, flags);
	}
	if (source == NULL) {
		printf("%s: mount: no device given\n", name);
		return EINVAL;
	}
	if ((md = kmem_zalloc(sizeof(*md))) == NULL)
		return ENOMEM;
	mutex_init(&md->md_lock, MUTEX_DEFAULT);
	mutex_init(&md->md_loadlock, MUTEX_DEFAULT);
	md->md_name = name;
	md->md_ronly = !rw;
	error = msdos_parseopts(md, opts);
	if (error == 0)
		error = vfs_opendev(source, rw, &md->md_dev);
	if (error != 0)
		md->md_dev = NULL;
	if (error == 0)
		error = msdos_bpb_load(md);
	if (error == 0 && rw)
		error = msdos_mount_rw(md);
	if (error != 0) {
		msdos_mount_free(md);
		return error;
	}
	printf("%s: %s: FAT%d, %u clusters of %u bytes, label \"%s\"%s\n",
	    name, md->md_dev->bd_name, (int)md->md_type, md->md_nclusters,
	    md->md_csize, md->md_label, rw ? "" : ", read-only");
	mp->mnt_data = md;
	mp->mnt_dev = md->md_dev->bd_dev;
	return 0;
}

static int
msdos_unmount(struct mount *mp, int mntflags)
{
	struct msdos_mount *md = VFSTOMSDOS(mp);
	int error = 0;

	if (!md->md_ronly)
		error = msdos_mount_clean(md);
	msdos_mount_free(md);
	mp->mnt_data = NULL;
	return error;
}

static ino_t
msdos_rootino(struct mount *mp)
{

	return MSDOS_ROOTINO;
}

static int
msdos_statfs(struct mount *mp, struct statfs *sfs)
{
	struct msdos_mount *md = VFSTOMSDOS(mp);
	uint32_t nfree;

	mutex_enter(&md->md_lock);
	nfree = md->md_free;
	mutex_exit(&md->md_lock);
	memset(sfs, 0, sizeof(*sfs));
	sfs->f_type = MSDOS_SUPER_MAGIC;
	sfs->f_bsize = md->md_csize;
	sfs->f_frsize = md->md_csize;
	sfs->f_blocks = md->md_nclusters;
	sfs->f_bfree = nfree;
	sfs->f_bavail = nfree;
	sfs->f_fsid[0] = (int32_t)md->md_volid;
	sfs->f_fsid[1] = (int32_t)md->md_type;
	sfs->f_namelen = MSDOS_NAMEMAX;
	return 0;
}

static int
msdos_sync(struct mount *mp, bool wait)
{
	struct msdos_mount *md = VFSTOMSDOS(mp);

	if (md->md_ronly)
		return 0;
	return msdos_sync_meta(md);
}

static int
msdos_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino)
{

	return msdos_node_load(VFSTOMSDOS(mp), vp, ino);
}

static struct vfsops msdos_vfsops = {
	.vfs_name = "msdos",
	.vfs_mount = msdos_mount,
	.vfs_unmount = msdos_unmount,
	.vfs_rootino = msdos_rootino,
	.vfs_statfs = msdos_statfs,
	.vfs_sync = msdos_sync,
	.vfs_loadvnode = msdos_loadvnode,
};

static struct vfsops vfat_vfsops = {
	.vfs_name = "vfat",
	.vfs_mount = msdos_mount,
	.vfs_unmount = msdos_unmount,
	.vfs_rootino = msdos_rootino,
	.vfs_statfs = msdos_statfs,
	.vfs_sync = msdos_sync,
	.vfs_loadvnode = msdos_loadvnode,
};

static int
msdos_init(void)
{
	int error;

	if ((error = vfs_register(&msdos_vfsops)) != 0)
		return error;
	return vfs_register(&vfat_vfsops);
}

RUMP_COMPONENT(RUMP_COMPONENT_FS, msdos, msdos_init, NULL)
