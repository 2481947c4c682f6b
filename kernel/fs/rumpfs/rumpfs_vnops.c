/*
 * rumpfs_vnops.c: the vnode operations of the in-memory file system
 * (rumpfs and tmpfs alike).
 *
 * vfs has checked permissions and names and holds the vnode locks that
 * the protocol in vnode.h describes; these functions carry the operation
 * out on the nodes.  A removed directory (no links) finds nothing and
 * takes no new entries.  Regular files keep their data in memory; fifos,
 * sockets and device nodes exist as names only (vfs refuses to open the
 * first two and sends the I/O of device nodes to their drivers).
 * etfs.c composes its tables for host-backed nodes from these.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vnode.h>
#include <fs/rumpfs/rumpfs.h>

/* 0 if dn is a directory that has not been removed, else ENOTDIR or
 * ENOENT. */
static int
dir_alive(struct rfs_node *dn)
{

	if (dn->rn_type != VDIR)
		return ENOTDIR;
	if (dn->rn_nlink == 0)
		return ENOENT;
	return 0;
}

int
rfs_vop_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct rfs_node *dn = RFS_NODE(dvp);
	struct rfs_dirent *de;
	ino_t ino;
	int error;

	if ((error = dir_alive(dn)) != 0)
		return error;
	if (name_isdotdot(name, len)) {
		if ((ino = rfs_node_parentino(dn)) == 0)
			return ENOENT;
	} else if (name_isdot(name, len)) {
		ino = dn->rn_ino;
	} else {
		if ((de = rfs_dir_lookup(dn, name, len)) == NULL)
			return ENOENT;
		ino = de->de_node->rn_ino;
	}
	if (ino == dn->rn_ino) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return vcache_get(dvp->v_mount, ino, vpp);
}

int
rfs_makenode(struct vnode *dvp, const char *name, size_t len,
    const struct rfs_newnode *nn, struct vnode **vpp)
{
	struct rfs_node *dn = RFS_NODE(dvp), *n;
	struct rfs_dirent *de;
	int error;

	error = dir_alive(dn);
	if (error == 0 && nn->nn_type == VDIR && dn->rn_nlink >= RFS_LINK_MAX)
		error = EMLINK;
	if (error != 0) {
		rfs_newnode_discard(nn);
		return error;
	}
	if ((error = rfs_node_alloc(RFS_MOUNT(dvp->v_mount), nn, &n)) != 0)
		return error;
	if (n->rn_type == VDIR)
		rfs_node_setparent(n, dn);
	if ((error = rfs_dir_enter(dn, name, len, n)) != 0)
		goto fail;
	if (vpp != NULL &&
	    (error = vcache_get(dvp->v_mount, n->rn_ino, vpp)) != 0) {
		de = rfs_dir_lookup(dn, name, len);
		rfs_dir_remove(dn, de);
		goto fail;
	}
	if (n->rn_type == VDIR)
		rfs_node_addlink(dn, 1);
	return 0;
fail:
	rfs_node_destroy(n);
	return error;
}

int
rfs_makenode_touch(struct vnode *dvp, const char *name, size_t len,
    const struct rfs_newnode *nn, struct vnode **vpp)
{
	int error;

	if ((error = rfs_makenode(dvp, name, len, nn, vpp)) != 0)
		return error;
	rfs_node_touch(RFS_NODE(dvp), RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	return 0;
}

int
rfs_vop_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct rfs_newnode nn = {
		.nn_type = va->va_type,
		.nn_mode = va->va_mode,
		.nn_uid = va->va_uid,
		.nn_gid = va->va_gid,
	};

	switch (va->va_type) {
	case VCHR:
	case VBLK:
		nn.nn_rdev = va->va_rdev;
		break;
	case VREG:
	case VFIFO:
	case VSOCK:
		break;
	default:
		return EINVAL;
	}
	return rfs_makenode_touch(dvp, name, len, &nn, vpp);
}

int
rfs_vop_mkdir(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct rfs_newnode nn = {
		.nn_type = VDIR,
		.nn_mode = va->va_mode,
		.nn_uid = va->va_uid,
		.nn_gid = va->va_gid,
	};

	return rfs_makenode_touch(dvp, name, len, &nn, vpp);
}

int
rfs_vop_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct rfs_newnode nn = {
		.nn_type = VLNK,
		.nn_mode = 0777,
		.nn_uid = va->va_uid,
		.nn_gid = va->va_gid,
	};
	size_t tlen;

	tlen = strnlen(target, PATH_MAX);
	if (tlen == 0)
		return ENOENT;
	if (tlen == PATH_MAX)
		return ENAMETOOLONG;
	if ((nn.nn_target = kmem_strdup(target)) == NULL)
		return ENOMEM;
	return rfs_makenode_touch(dvp, name, len, &nn, vpp);
}

int
rfs_vop_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct rfs_node *dn = RFS_NODE(dvp), *n = RFS_NODE(vp);
	int error;

	if ((error = dir_alive(dn)) != 0)
		return error;
	/* vfs checked: same mount, vp not a directory. */
	if (n->rn_nlink == 0)
		return ENOENT;
	if (n->rn_nlink >= RFS_LINK_MAX)
		return EMLINK;
	if ((error = rfs_dir_enter(dn, name, len, n)) != 0)
		return error;
	rfs_node_addlink(n, 1);
	rfs_node_touch(n, RFS_TOUCH_CTIME);
	rfs_node_touch(dn, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	return 0;
}

void
rfs_removeentry(struct rfs_node *dn, struct rfs_dirent *de)
{
	struct rfs_node *n = de->de_node;

	rfs_dir_unlink(dn, de);
	rfs_node_touch(n, RFS_TOUCH_CTIME);
	rfs_node_touch(dn, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
}

/* The entry name in dn, which must refer to n. */
static int
entry_of(struct rfs_node *dn, const char *name, size_t len,
    struct rfs_node *n, struct rfs_dirent **dep)
{
	struct rfs_dirent *de;

	if (dn->rn_type != VDIR)
		return ENOTDIR;
	de = rfs_dir_lookup(dn, name, len);
	if (de == NULL || de->de_node != n)
		return ENOENT;
	*dep = de;
	return 0;
}

int
rfs_vop_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct rfs_node *dn = RFS_NODE(dvp), *n = RFS_NODE(vp);
	struct rfs_dirent *de;
	int error;

	if ((error = entry_of(dn, name, len, n, &de)) != 0)
		return error;
	if (n->rn_type == VDIR)
		return EISDIR;
	rfs_removeentry(dn, de);
	return 0;
}

int
rfs_vop_rmdir(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct rfs_node *dn = RFS_NODE(dvp), *n = RFS_NODE(vp);
	struct rfs_dirent *de;
	int error;

	if ((error = entry_of(dn, name, len, n, &de)) != 0)
		return error;
	if (n->rn_type != VDIR)
		return ENOTDIR;
	if (n->rn_dir.rd_nentries != 0)
		return ENOTEMPTY;
	rfs_removeentry(dn, de);
	return 0;
}

/* A directory moves from fdn to tdn: fix ".." and the link counts. */
static void
rename_movedir(struct rfs_node *n, struct rfs_node *fdn,
    struct rfs_node *tdn)
{

	if (n->rn_type != VDIR || fdn == tdn)
		return;
	rfs_node_addlink(fdn, -1);
	rfs_node_addlink(tdn, 1);
	rfs_node_setparent(n, tdn);
}

static void
rename_touch(struct rfs_node *fdn, struct rfs_node *tdn,
    struct rfs_node *fn, struct rfs_node *tn)
{

	rfs_node_touch(fdn, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	rfs_node_touch(tdn, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	rfs_node_touch(fn, RFS_TOUCH_CTIME);
	if (tn != NULL)
		rfs_node_touch(tn, RFS_TOUCH_CTIME);
}

/* Would moving a directory of fdn into tdn overflow tdn's links? */
static bool
rename_toomanylinks(struct rfs_node *n, struct rfs_node *fdn,
    struct rfs_node *tdn)
{

	return n->rn_type == VDIR && fdn != tdn &&
	    tdn->rn_nlink >= RFS_LINK_MAX;
}

/* RENAME_EXCHANGE: the two names swap their nodes. */
static int
rename_exchange(struct rfs_node *fdn, struct rfs_dirent *fde,
    struct rfs_node *tdn, struct rfs_dirent *tde)
{
	struct rfs_node *fn = fde->de_node, *tn = tde->de_node;

	if (rename_toomanylinks(fn, fdn, tdn) ||
	    rename_toomanylinks(tn, tdn, fdn))
		return EMLINK;
	fde->de_node = tn;
	tde->de_node = fn;
	rename_movedir(fn, fdn, tdn);
	rename_movedir(tn, tdn, fdn);
	rename_touch(fdn, tdn, fn, tn);
	return 0;
}

/* Move fde to the name tname in tdn, replacing tde if it exists. */
static int
rename_move(struct rfs_node *fdn, struct rfs_dirent *fde,
    struct rfs_node *tdn, const char *tname, size_t tlen,
    struct rfs_dirent *tde)
{
	struct rfs_node *fn = fde->de_node, *tn = NULL;
	int error;

	if (tde != NULL) {
		tn = tde->de_node;
		if (tn->rn_type == VDIR && tn->rn_dir.rd_nentries != 0)
			return ENOTEMPTY;
		tde->de_node = fn;
		rfs_dir_droplink(tdn, tn);
	} else {
		if (rename_toomanylinks(fn, fdn, tdn))
			return EMLINK;
		if ((error = rfs_dir_enter(tdn, tname, tlen, fn)) != 0)
			return error;
	}
	rfs_dir_remove(fdn, fde);
	rename_movedir(fn, fdn, tdn);
	rename_touch(fdn, tdn, fn, tn);
	return 0;
}

int
rfs_vop_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned int flags)
{
	struct rfs_node *fdn = RFS_NODE(fdvp), *tdn = RFS_NODE(tdvp);
	struct rfs_dirent *fde, *tde = NULL;
	int error;

	if (flags & RENAME_WHITEOUT) {
		printf("%s: RENAME_WHITEOUT is not supported\n",
		    fdn->rn_mount->rm_name);
		return EOPNOTSUPP;
	}
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return EINVAL;
	if (fdn->rn_etfs != NULL || tdn->rn_etfs != NULL) {
		printf("rumpfs: host (etfs) directories cannot be changed\n");
		return EOPNOTSUPP;
	}
	if ((error = dir_alive(tdn)) != 0 ||
	    (error = entry_of(fdn, fname, flen, RFS_NODE(fvp), &fde)) != 0)
		return error;
	if (tvp != NULL &&
	    (error = entry_of(tdn, tname, tlen, RFS_NODE(tvp), &tde)) != 0)
		return error;
	if (flags & RENAME_EXCHANGE) {
		if (tde == NULL)
			return ENOENT;
		return rename_exchange(fdn, fde, tdn, tde);
	}
	return rename_move(fdn, fde, tdn, tname, tlen, tde);
}

int
rfs_vop_getattr(struct vnode *vp, struct vattr *va)
{
	struct rfs_node *n = RFS_NODE(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = n->rn_type;
	va->va_mode = n->rn_mode;
	va->va_nlink = n->rn_nlink;
	va->va_uid = n->rn_uid;
	va->va_gid = n->rn_gid;
	va->va_fileid = n->rn_ino;
	va->va_size = n->rn_size;
	if (n->rn_type == VREG && n->rn_etfs == NULL)
		va->va_bytes = n->rn_data.rd_npages * RFS_PAGE_SIZE;
	else if (n->rn_type == VREG)
		va->va_bytes = roundup((uint64_t)n->rn_size, RFS_PAGE_SIZE);
	va->va_blocksize = RFS_PAGE_SIZE;
	va->va_rdev = n->rn_rdev;
	rfs_node_getatime(n, &va->va_atime);
	va->va_mtime = n->rn_mtime;
	va->va_ctime = n->rn_ctime;
	va->va_btime = n->rn_btime;
	return 0;
}

static int
setsize(struct rfs_node *n, const struct vattr *va)
{
	int error;

	switch (n->rn_type) {
	case VREG:
		break;
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
	if (va->va_size == n->rn_size)
		return 0;
	if ((error = rfs_data_truncate(n, va->va_size)) != 0)
		return error;
	if ((va->va_mask & VA_MTIME) == 0)
		rfs_node_touch(n, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	return 0;
}

int
rfs_vop_setattr(struct vnode *vp, const struct vattr *va)
{
	struct rfs_node *n = RFS_NODE(vp);
	int error;

	if ((va->va_mask & VA_SIZE) && (error = setsize(n, va)) != 0)
		return error;
	if (va->va_mask & VA_MODE)
		n->rn_mode = va->va_mode & ALLPERMS;
	if (va->va_mask & VA_UID)
		n->rn_uid = va->va_uid;
	if (va->va_mask & VA_GID)
		n->rn_gid = va->va_gid;
	if (va->va_mask & VA_ATIME)
		rfs_node_setatime(n, &va->va_atime);
	if (va->va_mask & VA_MTIME)
		n->rn_mtime = va->va_mtime;
	if (va->va_mask & VA_CTIME)
		n->rn_ctime = va->va_ctime;
	return 0;
}

int
rfs_vop_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct rfs_node *n = RFS_NODE(vp);

	if (n->rn_type == VDIR)
		return EISDIR;
	if (n->rn_type != VREG)
		return EINVAL;
	return rfs_data_read(n, uio);
}

int
rfs_vop_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct rfs_node *n = RFS_NODE(vp);

	if (n->rn_type == VDIR)
		return EISDIR;
	if (n->rn_type != VREG)
		return EINVAL;
	return rfs_data_write(n, uio, ioflag);
}

int
rfs_vop_readdir(struct vnode *vp, struct dirctx *dc)
{
	struct rfs_node *n = RFS_NODE(vp);

	if (n->rn_type != VDIR)
		return ENOTDIR;
	return rfs_dir_readdir(n, dc);
}

int
rfs_vop_readlink(struct vnode *vp, struct uio *uio)
{
	struct rfs_node *n = RFS_NODE(vp);
	int error;

	if (n->rn_type != VLNK)
		return EINVAL;
	error = uiomove(n->rn_target, (size_t)n->rn_size, uio);
	rfs_node_accessed(n);
	return error;
}

int
rfs_vop_fsync(struct vnode *vp, int flags)
{

	return 0;
}

int
rfs_vop_inactive(struct vnode *vp, bool *recycle)
{

	*recycle = RFS_NODE(vp)->rn_nlink == 0;
	return 0;
}

void
rfs_vop_reclaim(struct vnode *vp)
{
	struct rfs_node *n = RFS_NODE(vp);

	vp->v_data = NULL;
	if (rfs_node_putvnode(n))
		rfs_node_release(n);
}

const struct vnodeops rfs_vnodeops = {
	.vop_lookup = rfs_vop_lookup,
	.vop_create = rfs_vop_create,
	.vop_mkdir = rfs_vop_mkdir,
	.vop_symlink = rfs_vop_symlink,
	.vop_link = rfs_vop_link,
	.vop_remove = rfs_vop_remove,
	.vop_rmdir = rfs_vop_rmdir,
	.vop_rename = rfs_vop_rename,
	.vop_getattr = rfs_vop_getattr,
	.vop_setattr = rfs_vop_setattr,
	.vop_read = rfs_vop_read,
	.vop_write = rfs_vop_write,
	.vop_readdir = rfs_vop_readdir,
	.vop_readlink = rfs_vop_readlink,
	.vop_fsync = rfs_vop_fsync,
	.vop_inactive = rfs_vop_inactive,
	.vop_reclaim = rfs_vop_reclaim,
};
