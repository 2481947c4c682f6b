/*
 * vaccess.c: file permission checks (the Unix owner/group/other rules
 * with root's override, as Linux applies them with fs credentials) and
 * the conversions between vnode types, S_IF* file types and DT_* types.
 * Policy beyond the mode bits (sticky directories, ownership for chmod,
 * ...) belongs to the system calls.
 */
#include <kern/types.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/dirent.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>

int
vaccess(enum vtype type, mode_t mode, uid_t uid, gid_t gid, int acc,
    struct cred *cred)
{
	mode_t bits;

	acc &= R_OK | W_OK | X_OK;
	if (cred->cr_fsuid == 0) {
		/* Root may not execute what nobody may execute. */
		if ((acc & X_OK) && type != VDIR &&
		    (mode & 0111) == 0)
			return EACCES;
		return 0;
	}
	if (cred->cr_fsuid == uid)
		bits = mode >> 6;
	else if (cred->cr_fsgid == gid || cred_groupmember(cred, gid))
		bits = mode >> 3;
	else
		bits = mode;
	return (acc & ~bits & 07) == 0 ? 0 : EACCES;
}

int
vn_access(struct vnode *vp, int acc, struct cred *cred)
{
	struct vattr va;
	int error;

	if ((acc & W_OK) && vfs_isrdonly(vp->v_mount) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	memset(&va, 0, sizeof(va));
	error = vp->v_op->vop_getattr(vp, &va);
	if (error != 0)
		return error;
	return vaccess(vp->v_type, va.va_mode, va.va_uid, va.va_gid, acc,
	    cred);
}

mode_t
vtype_to_ifmt(enum vtype type)
{

	switch (type) {
	case VREG:
		return S_IFREG;
	case VDIR:
		return S_IFDIR;
	case VBLK:
		return S_IFBLK;
	case VCHR:
		return S_IFCHR;
	case VLNK:
		return S_IFLNK;
	case VSOCK:
		return S_IFSOCK;
	case VFIFO:
		return S_IFIFO;
	default:
		return 0;
	}
}

enum vtype
ifmt_to_vtype(mode_t mode)
{

	switch (mode & S_IFMT) {
	case S_IFREG:
		return VREG;
	case S_IFDIR:
		return VDIR;
	case S_IFBLK:
		return VBLK;
	case S_IFCHR:
		return VCHR;
	case S_IFLNK:
		return VLNK;
	case S_IFSOCK:
		return VSOCK;
	case S_IFIFO:
		return VFIFO;
	default:
		return VNON;
	}
}

int
vtype_to_dt(enum vtype type)
{

	switch (type) {
	case VREG:
		return DT_REG;
	case VDIR:
		return DT_DIR;
	case VBLK:
		return DT_BLK;
	case VCHR:
		return DT_CHR;
	case VLNK:
		return DT_LNK;
	case VSOCK:
		return DT_SOCK;
	case VFIFO:
		return DT_FIFO;
	default:
		return DT_UNKNOWN;
	}
}
