/*
 * msdosfs_vnops.c: the vnode operations of the FAT driver.
 *
 * vfs has checked permissions and names and holds the vnode locks of
 * the protocol in vnode.h; these carry the operations out on nodes and
 * directories (rename is in msdosfs_rename.c).  Where FAT has no place
 * for what POSIX asks, the answers are Linux vfat's: hard links,
 * symlinks, device nodes, fifos and sockets fail with EPERM; chmod can
 * only set or clear the read-only attribute (all write bits off or all
 * on, as the mask allows; anything else is EPERM); chown to anything but
 * the mount's owner and group is EPERM.  A removed file or directory
 * that is still in use becomes an orphan whose clusters are freed when
 * its last reference goes.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/stat.h>
#include <dev/buf.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vnode.h>
#include <fs/msdos/msdosfs.h>

int
msdos_entry_of(struct msdos_node *dn, const char *name, size_t len,
    struct msdos_node *n, struct msdos_slot *ms)
{
	int error;

	if (dn->dn_type != VDIR)
		return ENOTDIR;
	if ((error = msdos_dir_lookup(dn, name, len, ms)) != 0)
		return error;
	if (n->dn_type == VDIR ?
	    (ms->ms_de.de_attr & ATTR_DIRECTORY) == 0 ||
	    msdos_de_start(dn->dn_mount, &ms->ms_de) != n->dn_start :
	    ms->ms_pos != n->dn_pos)
		return ENOENT;
	return 0;
}

/* The vnode of the parent of directory dn. */
static int
lookup_parent(struct vnode *dvp, struct vnode **vpp)
{
	struct msdos_node *dn = VTODN(dvp);
	struct msdos_mount *md = dn->dn_mount;
	struct msdos_loadinfo li;
	int error;

	if ((dvp->v_vflag & VV_ROOT) != 0) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (dn->dn_dircl == msdos_dircl(md, 0))
		return vcache_get(dvp->v_mount, MSDOS_ROOTINO, vpp);
	if ((error = msdos_dir_findparent(md, dn->dn_dircl, &li)) != 0)
		return error;
	return msdos_node_get(dvp->v_mount, &li, vpp);
}

static int
msdos_vop_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct msdos_node *dn = VTODN(dvp);
	struct msdos_mount *md = dn->dn_mount;
	struct msdos_loadinfo li;
	struct msdos_slot ms;
	uint32_t start;
	int error;

	if (dn->dn_type != VDIR)
		return ENOTDIR;
	if (dn->dn_orphan)
		return ENOENT;
	if (name_isdot(name, len)) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (name_isdotdot(name, len))
		return lookup_parent(dvp, vpp);
	if ((error = msdos_dir_lookup(dn, name, len, &ms)) != 0)
		return error;
	start = msdos_de_start(md, &ms.ms_de);
	if (ms.ms_de.de_attr & ATTR_DIRECTORY) {
		if (!msdos_clok(md, start))
			return msdos_corrupt(md, "directory \"%.*s\" starts at "
			    "cluster %u", (int)len, name, start);
		li.li_ino = msdos_dirino(md, start);
		if (li.li_ino == MSDOS_ROOTINO || li.li_ino == dvp->v_ino)
			return msdos_corrupt(md, "directory \"%.*s\" refers "
			    "to its parent", (int)len, name);
	} else
		li.li_ino = msdos_fileino(ms.ms_pos);
	li.li_pos = ms.ms_pos;
	li.li_dircl = dn->dn_start;
	li.li_de = ms.ms_de;
	return msdos_node_get(dvp->v_mount, &li, vpp);
}

static int
dir_writable(struct msdos_node *dn)
{

	if (dn->dn_mount->md_ronly)
		return EROFS;
	if (dn->dn_type != VDIR)
		return ENOTDIR;
	if (dn->dn_orphan)
		return ENOENT;
	return 0;
}

/* The directory changed: its write time, and its entry. */
static int
dir_touch(struct msdos_node *dn)
{

	msdos_node_touch(dn);
	dn->dn_de.de_attr &= ~ATTR_ARCHIVE;
	return msdos_node_update(dn);
}

/* Enter a new entry de under name and get its vnode. */
static int
makenode(struct vnode *dvp, const char *name, size_t len,
    struct fat_dirent *de, struct vnode **vpp)
{
	struct msdos_node *dn = VTODN(dvp);
	struct msdos_mount *md = dn->dn_mount;
	struct msdos_loadinfo li;
	int error;

	if (len > MSDOS_NAMEMAX * 3)
		return ENAMETOOLONG;
	if ((error = msdos_dir_enter(dn, name, len, de, &li.li_pos)) != 0)
		return error;
	li.li_de = *de;
	li.li_dircl = dn->dn_start;
	li.li_ino = (de->de_attr & ATTR_DIRECTORY) ?
	    msdos_dirino(md, msdos_de_start(md, de)) :
	    msdos_fileino(li.li_pos);
	if ((error = msdos_node_get(dvp->v_mount, &li, vpp)) != 0)
		return error;
	if (de->de_attr & ATTR_DIRECTORY)
		dn->dn_nsubdirs++;
	/* The entry is made; a failure here was reported on the console. */
	(void)dir_touch(dn);
	return 0;
}

static int
msdos_vop_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct msdos_node *dn = VTODN(dvp);
	mode_t wmask = 0222 & ~dn->dn_mount->md_fmask;
	struct fat_dirent de;
	int error;

	if ((error = dir_writable(dn)) != 0)
		return error;
	if (va->va_type != VREG)
		return EPERM;
	msdos_de_init(&de, ATTR_ARCHIVE);
	if (wmask != 0 && (va->va_mode & wmask) == 0)
		de.de_attr |= ATTR_READONLY;
	return makenode(dvp, name, len, &de, vpp);
}

static int
msdos_vop_mkdir(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct msdos_node *dn = VTODN(dvp);
	struct msdos_mount *md = dn->dn_mount;
	struct fat_dirent de;
	uint32_t cl;
	int error;

	*vpp = NULL;
	if ((error = dir_writable(dn)) != 0)
		return error;
	if ((error = msdos_clalloc(md, 0, &cl)) != 0)
		return error;
	msdos_de_init(&de, ATTR_DIRECTORY);
	msdos_de_setstart(&de, cl);
	error = msdos_dir_init(md, cl, &de, dn->dn_start);
	if (error == 0)
		error = makenode(dvp, name, len, &de, vpp);
	if (error != 0)
		(void)msdos_freechain(md, cl);
	return error;
}

static int
msdos_vop_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{

	return EPERM;
}

static int
msdos_vop_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return EPERM;
}

/* remove and rmdir: take the name away. */
static int
unlink_name(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool isdir)
{
	struct msdos_node *dn = VTODN(dvp), *n = VTODN(vp);
	struct msdos_slot ms;
	int error;

	if ((error = dir_writable(dn)) != 0)
		return error;
	if ((error = msdos_entry_of(dn, name, len, n, &ms)) != 0)
		return error;
	if (isdir != (n->dn_type == VDIR))
		return isdir ? ENOTDIR : EISDIR;
	if (isdir && (error = msdos_dir_isempty(n)) != 0)
		return error;
	if ((error = msdos_dir_remove(dn, &ms)) != 0)
		return error;
	msdos_node_orphan(vp);
	if (isdir && dn->dn_nsubdirs > 0)
		dn->dn_nsubdirs--;
	return dir_touch(dn);
}

static int
msdos_vop_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return unlink_name(dvp, name, len, vp, false);
}

static int
msdos_vop_rmdir(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return unlink_name(dvp, name, len, vp, true);
}

static int
msdos_vop_getattr(struct vnode *vp, struct vattr *va)
{

	msdos_node_getattr(VTODN(vp), vp->v_ino, va);
	return 0;
}

/* chmod: 0 and whether to set the read-only attribute, or EPERM. */
static int
setmode(struct msdos_node *dn, mode_t mode, bool *ro)
{
	struct msdos_mount *md = dn->dn_mount;
	mode_t mask = dn->dn_type == VDIR ? md->md_dmask : md->md_fmask;
	mode_t full = 0777 & ~mask, perm = mode & full;

	if ((mode & ~(mode_t)0777) != 0 ||
	    (perm & 0555) != (full & 0555))
		return EPERM;
	if ((perm & 0222) == (full & 0222)) {
		*ro = false;
		return 0;
	}
	if ((perm & 0222) == 0 && dn->dn_type != VDIR && dn->dn_pos != 0) {
		*ro = true;
		return 0;
	}
	return EPERM;
}

/* Check what setattr asks for before changing anything. */
static int
setattr_check(struct msdos_node *dn, const struct vattr *va, bool *ro)
{
	struct msdos_mount *md = dn->dn_mount;
	int error;

	if ((va->va_mask & VA_UID) && va->va_uid != md->md_uid)
		return EPERM;
	if ((va->va_mask & VA_GID) && va->va_gid != md->md_gid)
		return EPERM;
	if ((va->va_mask & VA_MODE) &&
	    (error = setmode(dn, va->va_mode, ro)) != 0)
		return error;
	if (va->va_mask & VA_SIZE) {
		if (dn->dn_type == VDIR)
			return EISDIR;
		if (va->va_size < 0)
			return EINVAL;
		if ((uint64_t)va->va_size > MSDOS_MAXFILESIZE)
			return EFBIG;
	}
	return 0;
}

static int
msdos_vop_setattr(struct vnode *vp, const struct vattr *va)
{
	struct msdos_node *dn = VTODN(vp);
	struct fat_dirent *de = &dn->dn_de;
	bool ro = (de->de_attr & ATTR_READONLY) != 0;
	int error;

	if (dn->dn_mount->md_ronly)
		return EROFS;
	if ((error = setattr_check(dn, va, &ro)) != 0)
		return error;
	if ((va->va_mask & VA_SIZE) &&
	    (error = msdos_truncate(dn, (uint64_t)va->va_size)) != 0) {
		(void)msdos_node_update(dn);
		return error;
	}
	if (va->va_mask & VA_SIZE)
		msdos_node_touch(dn);
	if (va->va_mask & VA_MODE)
		de->de_attr = (uint8_t)((de->de_attr & ~ATTR_READONLY) |
		    (ro ? ATTR_READONLY : 0));
	if (va->va_mask & VA_ATIME)
		msdos_time_set(&va->va_atime, de->de_adate, NULL, NULL);
	if (va->va_mask & VA_MTIME)
		msdos_time_set(&va->va_mtime, de->de_mdate, de->de_mtime,
		    NULL);
	return msdos_node_update(dn);
}

static int
msdos_vop_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct msdos_node *dn = VTODN(vp);

	if (dn->dn_type == VDIR)
		return EISDIR;
	return msdos_read(dn, uio);
}

static int
msdos_vop_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct msdos_node *dn = VTODN(vp);

	if (dn->dn_type == VDIR)
		return EISDIR;
	if (dn->dn_mount->md_ronly)
		return EROFS;
	return msdos_write(dn, uio, ioflag);
}

static int
msdos_vop_readdir(struct vnode *vp, struct dirctx *dc)
{
	struct msdos_node *dn = VTODN(vp);

	if (dn->dn_type != VDIR)
		return ENOTDIR;
	if (dn->dn_orphan) {
		dc->dc_eof = true;
		return 0;
	}
	return msdos_dir_readdir(dn, dc);
}

static int
msdos_vop_fsync(struct vnode *vp, int flags)
{
	struct msdos_mount *md = VTODN(vp)->dn_mount;

	if (md->md_ronly)
		return 0;
	return msdos_sync_meta(md);
}

static int
msdos_vop_inactive(struct vnode *vp, bool *recycle)
{

	*recycle = VTODN(vp)->dn_orphan;
	return 0;
}

static void
msdos_vop_reclaim(struct vnode *vp)
{
	struct msdos_node *dn = VTODN(vp);

	if (dn->dn_orphan)
		msdos_node_destroy(dn);
	msdos_node_free(dn);
	vp->v_data = NULL;
}

const struct vnodeops msdos_vnodeops = {
	.vop_lookup = msdos_vop_lookup,
	.vop_create = msdos_vop_create,
	.vop_mkdir = msdos_vop_mkdir,
	.vop_symlink = msdos_vop_symlink,
	.vop_link = msdos_vop_link,
	.vop_remove = msdos_vop_remove,
	.vop_rmdir = msdos_vop_rmdir,
	.vop_rename = msdos_rename,
	.vop_getattr = msdos_vop_getattr,
	.vop_setattr = msdos_vop_setattr,
	.vop_read = msdos_vop_read,
	.vop_write = msdos_vop_write,
	.vop_readdir = msdos_vop_readdir,
	.vop_fsync = msdos_vop_fsync,
	.vop_inactive = msdos_vop_inactive,
	.vop_reclaim = msdos_vop_reclaim,
};
