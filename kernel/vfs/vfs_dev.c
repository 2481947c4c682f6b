/*
 * vfs_dev.c: block devices seen from the vfs.  vfs_mknod_path() lets a
 * driver publish a node for its device (as root, with exactly the mode
 * given, making missing parent directories 0755); vfs_opendev() and
 * vfs_closedev() let a disk file system claim the device named by its
 * mount source.  Opening and doing I/O on device nodes is spec.c's.
 *
 * No locks of its own: namei() and the bdev registry have theirs.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <abi/statfs.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

/* Create the node path names, with mode taken as it is: 0 or errno
 * (EEXIST if something is there). */
static int
devnode_make(const char *path, enum vtype type, mode_t mode, dev_t rdev,
    struct cred *cr)
{
	struct nameidata nd;
	struct vnode *dvp, *vp;
	struct vattr va;
	int error;

	namei_init(&nd, AT_FDCWD, path, NI_PARENT);
	nd.nd_cred = cr;
	if ((error = namei(&nd)) != 0)
		return error;
	dvp = nd.nd_dvp;
	if ((error = vn_createcheck(&nd, type == VDIR)) == 0)
		error = vn_initattr(dvp, type, mode, cr, &va);
	if (error == 0) {
		va.va_rdev = rdev;
		if (type == VDIR)
			error = dvp->v_op->vop_mkdir(dvp, nd.nd_name,
			    nd.nd_namelen, &va, &vp);
		else
			error = dvp->v_op->vop_create(dvp, nd.nd_name,
			    nd.nd_namelen, &va, &vp);
		if (error == 0)
			vrele(vp);
	}
	namei_done(&nd);
	return error;
}

/* Make the missing directories above the last component of path (a
 * PATH_MAX buffer, changed and restored). */
static int
devnode_parents(char *path, struct cred *cr)
{
	char *p;
	int error;

	for (p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		if (p[-1] == '/' || p[1] == '\0')
			continue;
		*p = '\0';
		error = devnode_make(path, VDIR, 0755, 0, cr);
		*p = '/';
		if (error != 0 && error != EEXIST)
			return error;
	}
	return 0;
}

int
vfs_mknod_path(const char *kpath, mode_t mode, dev_t dev)
{
	enum vtype type = ifmt_to_vtype(mode);
	struct cred *cr;
	char *path;
	int error;

	if ((mode & S_IFMT) == 0)
		type = VREG;
	if (kpath == NULL || kpath[0] != '/' || type == VDIR ||
	    type == VLNK || type == VNON || type == VBAD)
		return EINVAL;
	if (strnlen(kpath, PATH_MAX) == PATH_MAX)
		return ENAMETOOLONG;
	if ((path = kmem_alloc(PATH_MAX)) == NULL)
		return ENOMEM;
	if ((cr = cred_alloc()) == NULL) {
		kmem_free(path, PATH_MAX);
		return ENOMEM;
	}
	strlcpy(path, kpath, PATH_MAX);
	error = devnode_parents(path, cr);
	if (error == 0)
		error = devnode_make(path, type, mode & ALLPERMS,
		    type == VBLK || type == VCHR ? dev : 0, cr);
	cred_free(cr);
	kmem_free(path, PATH_MAX);
	return error;
}

int
vfs_opendev(const char *source, bool write, struct bdev **bdp)
{
	struct vnode *vp;
	int error;

	if (source == NULL)
		return EINVAL;
	if ((error = namei_simple(AT_FDCWD, source, NI_FOLLOW, &vp)) != 0)
		return error;
	if (vp->v_type != VBLK)
		error = ENOTBLK;
	else if (vp->v_mount->mnt_flag & MS_NODEV)
		error = EACCES;
	else
		error = bdev_open(vp->v_rdev, write, bdp);
	vrele(vp);
	return error;
}

void
vfs_closedev(struct bdev *bd)
{

	bdev_close(bd);
}
