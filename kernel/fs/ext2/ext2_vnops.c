/*
 * ext2_vnops.c: the vnode operations of ext2.
 *
 * vfs has checked permissions and names and holds the vnode locks of
 * the protocol in vnode.h; these carry the operations out on inodes and
 * directories (rename is in ext2_rename.c).  New files are made in three
 * steps: an inode is allocated and written, its vnode is loaded, and
 * only then is it entered into its directory; a failure after the first
 * step drops the links of the new inode, whose vnode is then reclaimed
 * and freed like any unlinked file.  An unlinked inode stays allocated
 * while its vnode is in use and is freed (blocks, attribute block,
 * inode) when the vnode is reclaimed.  Immutable and append-only inodes
 * refuse changes with EPERM, as on Linux.
 *
 * Device nodes are opened by vfs (spec.c) as the kernel's devices;
 * fifos and sockets exist as inodes only.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <dev/buf.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

/* What a new inode gets. */
struct newnode {
	mode_t		 nn_mode;	/* type and permissions */
	const struct vattr *nn_va;	/* owner, group, rdev */
	const char	*nn_target;	/* symlinks */
	size_t		 nn_tlen;
};

/* Can entries be added to this directory? */
static int
dir_writable(struct ext2_node *dn)
{

	if (dn->en_mount->em_ronly)
		return EROFS;
	if (dn->en_type != VDIR)
		return ENOTDIR;
	if (ext2_n_nlink(dn) == 0)
		return ENOENT;
	return ext2_n_canchange(dn);
}

static int
ext2_vop_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct ext2_node *dn = VTOEN(dvp);
	struct ext2_slot es;
	int error;

	if (dn->en_type != VDIR)
		return ENOTDIR;
	if (ext2_n_nlink(dn) == 0)
		return ENOENT;
	if (name_isdot(name, len)) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if ((error = ext2_dir_lookup(dn, name, len, &es)) != 0)
		return error;
	if (es.es_ino == dn->en_ino) {
		if (!name_isdotdot(name, len) || dn->en_ino != EXT2_ROOTINO)
			return ext2_corrupt(dn->en_mount, "directory inode "
			    "%llu: \"%.*s\" refers to itself",
			    (unsigned long long)dn->en_ino, (int)len, name);
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if ((error = vcache_get(dvp->v_mount, es.es_ino, vpp)) != 0)
		return error;
	if (name_isdotdot(name, len) && (*vpp)->v_type != VDIR) {
		vrele(*vpp);
		return ext2_corrupt(dn->en_mount, "directory inode %llu: "
		    "\"..\" is not a directory",
		    (unsigned long long)dn->en_ino);
	}
	return 0;
}

/* Write back the inode of a locked node, reporting failures. */
int
ext2_update(struct ext2_node *en)
{
	int error;

	if ((error = ext2_node_update(en)) != 0)
		printf("%s: inode %llu: cannot write: error %d\n",
		    en->en_mount->em_name, (unsigned long long)en->en_ino,
		    error);
	return error;
}

/* Undo a new inode that did not make it into its directory. */
static void
makenode_undo(struct vnode *vp)
{
	struct ext2_node *en = VTOEN(vp);

	vn_lock(vp, RW_WRITER);
	ext2_n_setnlink(en, 0);
	vn_unlock(vp);
	vrele(vp);
}

/* The contents of a new inode: a directory's first block, a symlink's
 * target. */
static int
makenode_fill(struct ext2_node *dn, struct ext2_node *en,
    const struct newnode *nn)
{
	int error = 0;

	if (S_ISDIR(nn->nn_mode))
		error = ext2_dir_init(en, dn->en_ino);
	else if (S_ISLNK(nn->nn_mode))
		error = ext2_writelink(en, nn->nn_target, nn->nn_tlen);
	return error;
}

static int
makenode(struct vnode *dvp, const char *name, size_t len,
    const struct newnode *nn, struct vnode **vpp)
{
	struct ext2_node *dn = VTOEN(dvp), *en;
	struct ext2_mount *em = dn->en_mount;
	bool isdir = S_ISDIR(nn->nn_mode);
	struct vnode *vp;
	ino_t ino;
	int error;

	if ((error = dir_writable(dn)) != 0)
		return error;
	if (isdir && ext2_n_nlink(dn) >= EXT2_LINK_MAX)
		return EMLINK;
	if (len > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if ((error = ext2_ialloc(em, dn->en_ino, isdir, &ino)) != 0)
		return error;
	if ((error = ext2_node_create(em, ino, nn->nn_mode, nn->nn_va)) != 0 ||
	    (error = vcache_get(dvp->v_mount, ino, &vp)) != 0) {
		ext2_node_discard(em, ino, isdir);
		return error;
	}
	en = VTOEN(vp);
	vn_lock(vp, RW_WRITER);
	error = makenode_fill(dn, en, nn);
	if (error == 0)
		error = ext2_update(en);
	if (error == 0)
		error = ext2_dir_enter(dn, name, len, ino, en->en_type);
	vn_unlock(vp);
	if (error != 0) {
		makenode_undo(vp);
		return error;
	}
	if (isdir)
		ext2_n_setnlink(dn, ext2_n_nlink(dn) + 1);
	ext2_n_touch(dn, EXT2_TOUCH_M | EXT2_TOUCH_C);
	if ((error = ext2_update(dn)) != 0) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}

static int
ext2_vop_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct newnode nn = { .nn_va = va };

	switch (va->va_type) {
	case VREG:
	case VFIFO:
	case VSOCK:
	case VCHR:
	case VBLK:
		break;
	default:
		return EINVAL;
	}
	nn.nn_mode = vtype_to_ifmt(va->va_type) | (va->va_mode & ALLPERMS);
	return makenode(dvp, name, len, &nn, vpp);
}

static int
ext2_vop_mkdir(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct newnode nn = {
		.nn_mode = S_IFDIR | (va->va_mode & ALLPERMS),
		.nn_va = va,
	};

	return makenode(dvp, name, len, &nn, vpp);
}

static int
ext2_vop_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct newnode nn = {
		.nn_mode = S_IFLNK | 0777,
		.nn_va = va,
		.nn_target = target,
	};

	nn.nn_tlen = strnlen(target, PATH_MAX);
	if (nn.nn_tlen == 0)
		return ENOENT;
	if (nn.nn_tlen >= VTOEN(dvp)->en_mount->em_bsize)
		return ENAMETOOLONG;
	return makenode(dvp, name, len, &nn, vpp);
}

static int
ext2_vop_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{
	struct ext2_node *dn = VTOEN(dvp), *en = VTOEN(vp);
	int error;

	if ((error = dir_writable(dn)) != 0)
		return error;
	/* vfs checked: same mount, vp not a directory. */
	if (ext2_n_nlink(en) == 0)
		return ENOENT;
	if (ext2_n_nlink(en) >= EXT2_LINK_MAX)
		return EMLINK;
	if (len > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if ((error = ext2_n_canchange(en)) != 0)
		return error;
	/* Count the link first: a crash may leave one too many. */
	ext2_n_setnlink(en, ext2_n_nlink(en) + 1);
	ext2_n_touch(en, EXT2_TOUCH_C);
	if ((error = ext2_update(en)) == 0 &&
	    (error = ext2_dir_enter(dn, name, len, en->en_ino, en->en_type))
	    != 0) {
		ext2_n_setnlink(en, ext2_n_nlink(en) - 1);
		(void)ext2_update(en);
	}
	if (error != 0)
		return error;
	ext2_n_touch(dn, EXT2_TOUCH_M | EXT2_TOUCH_C);
	return ext2_update(dn);
}

int
ext2_droplink(struct ext2_node *dn, struct ext2_node *en)
{
	uint32_t nlink;

	if (en->en_type == VDIR) {
		ext2_n_setnlink(en, 0);
		nlink = ext2_n_nlink(dn);
		if (nlink > 0)
			ext2_n_setnlink(dn, nlink - 1);
	} else {
		nlink = ext2_n_nlink(en);
		ext2_n_setnlink(en, nlink > 0 ? nlink - 1 : 0);
	}
	ext2_n_touch(en, EXT2_TOUCH_C);
	return ext2_update(en);
}

int
ext2_entry_of(struct ext2_node *dn, const char *name, size_t len,
    struct ext2_node *en, struct ext2_slot *es)
{
	int error;

	if (dn->en_type != VDIR)
		return ENOTDIR;
	if ((error = ext2_dir_lookup(dn, name, len, es)) != 0)
		return error;
	if (es->es_ino != en->en_ino)
		return ENOENT;
	return 0;
}

/* remove and rmdir: take the name away. */
static int
unlink_name(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp, bool isdir)
{
	struct ext2_node *dn = VTOEN(dvp), *en = VTOEN(vp);
	struct ext2_slot es;
	int error, uerror;

	if (dn->en_mount->em_ronly)
		return EROFS;
	if ((error = ext2_entry_of(dn, name, len, en, &es)) != 0)
		return error;
	if (isdir != (en->en_type == VDIR))
		return isdir ? ENOTDIR : EISDIR;
	if ((error = ext2_n_canchange(dn)) != 0 ||
	    (error = ext2_n_canchange(en)) != 0)
		return error;
	if (isdir && (error = ext2_dir_isempty(en)) != 0)
		return error;
	if ((error = ext2_dir_remove(dn, &es)) != 0)
		return error;
	error = ext2_droplink(dn, en);
	ext2_n_touch(dn, EXT2_TOUCH_M | EXT2_TOUCH_C);
	if ((uerror = ext2_update(dn)) != 0 && error == 0)
		error = uerror;
	return error;
}

static int
ext2_vop_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return unlink_name(dvp, name, len, vp, false);
}

static int
ext2_vop_rmdir(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return unlink_name(dvp, name, len, vp, true);
}

static int
ext2_vop_getattr(struct vnode *vp, struct vattr *va)
{
	struct ext2_node *en = VTOEN(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = en->en_type;
	va->va_mode = ext2_n_mode(en) & ALLPERMS;
	va->va_nlink = ext2_n_nlink(en);
	va->va_uid = ext2_n_uid(en);
	va->va_gid = ext2_n_gid(en);
	va->va_fileid = en->en_ino;
	va->va_size = (off_t)ext2_n_size(en);
	va->va_bytes = ext2_n_blocks(en) * 512;
	va->va_blocksize = en->en_mount->em_bsize;
	va->va_rdev = vp->v_rdev;
	ext2_atime_get(en, &va->va_atime);
	ext2_n_gettime(en, EXT2_MTIME, &va->va_mtime);
	ext2_n_gettime(en, EXT2_CTIME, &va->va_ctime);
	ext2_n_gettime(en, EXT2_CRTIME, &va->va_btime);
	return 0;
}

static int
setsize(struct ext2_node *en, const struct vattr *va)
{

	switch (en->en_type) {
	case VREG:
		break;
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
	if (va->va_size < 0)
		return EINVAL;
	return ext2_truncate(en, (uint64_t)va->va_size);
}

static int
ext2_vop_setattr(struct vnode *vp, const struct vattr *va)
{
	struct ext2_node *en = VTOEN(vp);
	int error;

	if (en->en_mount->em_ronly)
		return EROFS;
	if ((error = ext2_n_canchange(en)) != 0)
		return error;
	if ((va->va_mask & VA_SIZE) && (error = setsize(en, va)) != 0) {
		/* Whatever was freed must not stay in the inode. */
		(void)ext2_update(en);
		return error;
	}
	if (va->va_mask & VA_MODE)
		ext2_n_setmode(en, va->va_mode);
	if (va->va_mask & (VA_UID | VA_GID))
		ext2_n_setowner(en,
		    (va->va_mask & VA_UID) ? va->va_uid : ext2_n_uid(en),
		    (va->va_mask & VA_GID) ? va->va_gid : ext2_n_gid(en));
	if (va->va_mask & VA_ATIME)
		ext2_n_settime(en, EXT2_ATIME, &va->va_atime);
	if (va->va_mask & VA_MTIME)
		ext2_n_settime(en, EXT2_MTIME, &va->va_mtime);
	if (va->va_mask & VA_CTIME)
		ext2_n_settime(en, EXT2_CTIME, &va->va_ctime);
	return ext2_update(en);
}

static int
ext2_vop_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ext2_node *en = VTOEN(vp);
	int error;

	if (en->en_type == VDIR)
		return EISDIR;
	if (en->en_type != VREG)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	if ((error = ext2_read(en, uio)) == 0)
		ext2_accessed(en);
	return error;
}

static int
ext2_vop_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ext2_node *en = VTOEN(vp);
	uint32_t flags = ext2_n_flags(en);

	if (en->en_type == VDIR)
		return EISDIR;
	if (en->en_type != VREG)
		return EINVAL;
	if (en->en_mount->em_ronly)
		return EROFS;
	if ((flags & EXT2_IMMUTABLE_FL) ||
	    ((flags & EXT2_APPEND_FL) && (ioflag & IO_APPEND) == 0))
		return EPERM;
	return ext2_write(en, uio, ioflag);
}

static int
ext2_vop_readdir(struct vnode *vp, struct dirctx *dc)
{
	struct ext2_node *en = VTOEN(vp);
	int error;

	if (en->en_type != VDIR)
		return ENOTDIR;
	if ((error = ext2_dir_readdir(en, dc)) == 0)
		ext2_accessed(en);
	return error;
}

static int
ext2_vop_readlink(struct vnode *vp, struct uio *uio)
{
	struct ext2_node *en = VTOEN(vp);
	int error;

	if (en->en_type != VLNK)
		return EINVAL;
	if ((error = ext2_readlink(en, uio)) == 0)
		ext2_accessed(en);
	return error;
}

static int
ext2_vop_fsync(struct vnode *vp, int flags)
{
	struct ext2_mount *em = VTOEN(vp)->en_mount;

	if (em->em_ronly)
		return 0;
	return ext2_super_write(em, false, false);
}

static int
ext2_vop_inactive(struct vnode *vp, bool *recycle)
{

	*recycle = VTOEN(vp)->en_orphan;
	return 0;
}

static void
ext2_vop_reclaim(struct vnode *vp)
{
	struct ext2_node *en = VTOEN(vp);

	if (en->en_orphan)
		ext2_node_destroy(en);
	ext2_node_free(en);
	vp->v_data = NULL;
}

const struct vnodeops ext2_vnodeops = {
	.vop_lookup = ext2_vop_lookup,
	.vop_create = ext2_vop_create,
	.vop_mkdir = ext2_vop_mkdir,
	.vop_symlink = ext2_vop_symlink,
	.vop_link = ext2_vop_link,
	.vop_remove = ext2_vop_remove,
	.vop_rmdir = ext2_vop_rmdir,
	.vop_rename = ext2_rename,
	.vop_getattr = ext2_vop_getattr,
	.vop_setattr = ext2_vop_setattr,
	.vop_read = ext2_vop_read,
	.vop_write = ext2_vop_write,
	.vop_readdir = ext2_vop_readdir,
	.vop_readlink = ext2_vop_readlink,
	.vop_fsync = ext2_vop_fsync,
	.vop_inactive = ext2_vop_inactive,
	.vop_reclaim = ext2_vop_reclaim,
};
