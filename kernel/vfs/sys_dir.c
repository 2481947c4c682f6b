/*
 * sys_dir.c: directories and special nodes: mkdir(at), mknod(at),
 * rmdir, getdents64, chdir and fchdir.
 *
 * getdents64 holds the file's f_lock across the read so that f_offset
 * (the file system's readdir cookie) moves atomically.
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/dirent.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

/* getdents64 fills at most this much per call. */
#define GETDENTS_CHUNK	(64 * 1024)

static int
do_mkdir(int dirfd, const char *upath, mode_t mode)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = vfs_namei_user(dirfd, upath, NI_PARENT, &nd);
	if (error != 0)
		return error;
	error = vn_createcheck(&nd, true);
	if (error == 0)
		error = vn_makenode(&nd, VDIR, mode & (S_IRWXU | S_IRWXG |
		    S_IRWXO | S_ISVTX), 0, &vp);
	if (error == 0)
		vrele(vp);
	vfs_namei_done(&nd);
	return error;
}

static int
sys_mkdir(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_mkdir(AT_FDCWD, SYSARG(const char *, 0), SYSARG(mode_t, 1));
}

static int
sys_mkdirat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_mkdir(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(mode_t, 2));
}

/* The node type mknod makes of mode: 0, EPERM (a directory) or EINVAL. */
static int
mknod_type(mode_t mode, enum vtype *typep)
{

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		*typep = VREG;
		return 0;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		*typep = ifmt_to_vtype(mode);
		return 0;
	case S_IFDIR:
		return EPERM;
	default:
		return EINVAL;
	}
}

/*
 * dev is Linux's 32-bit encoding (as mknod(2) takes it), which is also
 * the low half of the 64-bit dev_t encoding used in stat.
 */
static int
do_mknod(int dirfd, const char *upath, mode_t mode, uint32_t dev)
{
	struct nameidata nd;
	struct vnode *vp;
	enum vtype type;
	int error;

	error = mknod_type(mode, &type);
	if (error != 0)
		return error;
	error = vfs_namei_user(dirfd, upath, NI_PARENT, &nd);
	if (error != 0)
		return error;
	error = vn_createcheck(&nd, false);
	if (error == 0 && (type == VCHR || type == VBLK) &&
	    nd.nd_cred->cr_fsuid != 0)
		error = EPERM;
	if (error == 0)
		error = vn_makenode(&nd, type, mode & ALLPERMS,
		    (type == VCHR || type == VBLK) ? dev : 0, &vp);
	if (error == 0)
		vrele(vp);
	vfs_namei_done(&nd);
	return error;
}

static int
sys_mknod(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_mknod(AT_FDCWD, SYSARG(const char *, 0), SYSARG(mode_t, 1),
	    SYSARG(uint32_t, 2));
}

static int
sys_mknodat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_mknod(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(mode_t, 2), SYSARG(uint32_t, 3));
}

/* rmdir of the directory vp in dvp (both locked exclusive). */
static int
rmdir_locked(struct nameidata *nd, struct vnode *vp)
{
	struct vnode *dvp = nd->nd_dvp;
	int error;

	error = vn_deletecheck(dvp, vp, nd->nd_cred);
	if (error != 0)
		return error;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	mutex_enter(&mount_lock);
	if (vp->v_mountedhere != NULL || (vp->v_vflag & VV_ROOT))
		error = EBUSY;
	mutex_exit(&mount_lock);
	if (error != 0)
		return error;
	return dvp->v_op->vop_rmdir(dvp, nd->nd_name, nd->nd_namelen, vp);
}

int
vfs_rmdirat(int dirfd, const char *upath)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = vfs_namei_user(dirfd, upath, NI_PARENT | NI_NOCROSSMOUNT, &nd);
	if (error != 0)
		return error;
	vp = nd.nd_vp;
	if (nd.nd_dvp == NULL)
		error = EBUSY;
	else if (vfs_dotname(nd.nd_name, nd.nd_namelen) == 1)
		error = EINVAL;
	else if (vfs_dotname(nd.nd_name, nd.nd_namelen) == 2)
		error = ENOTEMPTY;
	else if (vn_rdonly(nd.nd_dvp))
		error = EROFS;
	else if (vp == NULL)
		error = ENOENT;
	if (error == 0) {
		vn_lock(vp, RW_WRITER);
		error = rmdir_locked(&nd, vp);
		vn_unlock(vp);
	}
	vfs_namei_done(&nd);
	return error;
}

static int
sys_rmdir(struct lwp *l, const register_t *args, register_t *retval)
{

	return vfs_rmdirat(AT_FDCWD, SYSARG(const char *, 0));
}

/* ---- getdents64 ---------------------------------------------------------- */

struct getdents_buf {
	char	*gb_buf;
	size_t	 gb_len;
	size_t	 gb_used;
	bool	 gb_full;	/* an entry did not fit */
};

static bool
getdents_emit(struct dirctx *dc, ino_t ino, int dtype, const char *name,
    size_t namelen, off_t next)
{
	struct getdents_buf *gb = dc->dc_arg;
	struct dirent64 *d;
	size_t reclen = DIRENT64_RECLEN(namelen);

	if (reclen > gb->gb_len - gb->gb_used) {
		gb->gb_full = true;
		return false;
	}
	d = (struct dirent64 *)(void *)(gb->gb_buf + gb->gb_used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)dtype;
	memcpy(d->d_name, name, namelen);
	gb->gb_used += reclen;
	return true;
}

/* Read entries at f_offset into gb and copy them out (f_lock held);
 * ENOENT once the directory has been removed. */
static int
getdents_locked(struct file *fp, struct getdents_buf *gb, void *ubuf)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	struct dirctx dc;
	int error;

	dc.dc_offset = fp->f_offset;
	dc.dc_eof = false;
	dc.dc_emit = getdents_emit;
	dc.dc_arg = gb;
	vn_lock(vp, RW_READER);
	error = vn_getattr(vp, &va);
	if (error == 0 && va.va_nlink == 0)
		error = ENOENT;
	if (error == 0)
		error = vp->v_op->vop_readdir(vp, &dc);
	vn_unlock(vp);
	if (gb->gb_used == 0) {
		if (error == 0 && gb->gb_full)
			error = EINVAL;
		if (error == 0)
			fp->f_offset = dc.dc_offset;
		return error;
	}
	/* Entries were read: they are the result, whatever came after. */
	error = copyout(gb->gb_buf, ubuf, gb->gb_used);
	if (error == 0)
		fp->f_offset = dc.dc_offset;
	return error;
}

static int
sys_getdents64(struct lwp *l, const register_t *args, register_t *retval)
{
	struct getdents_buf gb;
	struct file *fp;
	int error;

	error = vfs_getfile(SYSARG(int, 0), ENOTDIR, &fp);
	if (error != 0)
		return error;
	if (((struct vnode *)fp->f_data)->v_type != VDIR) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	memset(&gb, 0, sizeof(gb));
	gb.gb_len = MIN(SYSARG(unsigned int, 2), GETDENTS_CHUNK);
	if (gb.gb_len > 0 && (gb.gb_buf = kmem_alloc(gb.gb_len)) == NULL) {
		fd_putfile(fp);
		return ENOMEM;
	}
	mutex_enter(&fp->f_lock);
	error = getdents_locked(fp, &gb, SYSARG(void *, 1));
	mutex_exit(&fp->f_lock);
	if (gb.gb_buf != NULL)
		kmem_free(gb.gb_buf, gb.gb_len);
	fd_putfile(fp);
	if (error == 0)
		*retval = (register_t)gb.gb_used;
	return error;
}

/* ---- working directory --------------------------------------------------- */

/* Make vp (referenced; the reference is consumed) the cwd. */
static int
chdir_vnode(struct vnode *vp)
{
	int error;

	if (vp->v_type != VDIR) {
		error = ENOTDIR;
	} else {
		vn_lock(vp, RW_READER);
		error = vn_access(vp, X_OK, curcred);
		vn_unlock(vp);
	}
	if (error != 0) {
		vrele(vp);
		return error;
	}
	cwd_set(vp);
	return 0;
}

static int
sys_chdir(struct lwp *l, const register_t *args, register_t *retval)
{
	struct vnode *vp;
	int error;

	error = vfs_lookup_user(AT_FDCWD, SYSARG(const char *, 0), NI_FOLLOW,
	    &vp);
	if (error != 0)
		return error;
	return chdir_vnode(vp);
}

static int
sys_fchdir(struct lwp *l, const register_t *args, register_t *retval)
{
	struct vnode *vp;
	int error;

	error = vfs_getvnode(SYSARG(int, 0), ENOTDIR, &vp);
	if (error != 0)
		return error;
	return chdir_vnode(vp);
}

const struct vfs_sysent vfs_sys_dir[] = {
	{ SYS_mkdir, sys_mkdir, "mkdir" },
	{ SYS_mkdirat, sys_mkdirat, "mkdirat" },
	{ SYS_mknod, sys_mknod, "mknod" },
	{ SYS_mknodat, sys_mknodat, "mknodat" },
	{ SYS_rmdir, sys_rmdir, "rmdir" },
	{ SYS_getdents64, sys_getdents64, "getdents64" },
	{ SYS_chdir, sys_chdir, "chdir" },
	{ SYS_fchdir, sys_fchdir, "fchdir" },
	{ 0, NULL, NULL },
};
