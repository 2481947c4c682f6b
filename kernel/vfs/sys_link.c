/*
 * sys_link.c: names of files: unlink(at), link(at), symlink(at) and
 * readlink(at).  rmdir lives in sys_dir.c, rename in sys_rename.c.
 *
 * Locks: the parent directory (locked exclusive by namei(NI_PARENT)),
 * then the file (exclusive), as vnode.h orders them.
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

/* ---- unlink -------------------------------------------------------------- */

/* Remove the non-directory vp from nd's directory (both locked). */
static int
unlink_locked(struct nameidata *nd, struct vnode *vp)
{
	struct vnode *dvp = nd->nd_dvp;
	int error;

	error = vn_deletecheck(dvp, vp, nd->nd_cred);
	if (error != 0)
		return error;
	if (vp->v_type == VDIR)
		return EISDIR;
	return dvp->v_op->vop_remove(dvp, nd->nd_name, nd->nd_namelen, vp);
}

static int
do_unlink(int dirfd, const char *upath)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = vfs_namei_user(dirfd, upath, NI_PARENT | NI_NOCROSSMOUNT, &nd);
	if (error != 0)
		return error;
	vp = nd.nd_vp;
	if (nd.nd_dvp == NULL || vfs_dotname(nd.nd_name, nd.nd_namelen))
		error = EISDIR;
	else if (vn_rdonly(nd.nd_dvp))
		error = EROFS;
	else if (vp == NULL)
		error = ENOENT;
	else if (nd.nd_trailingslash)
		error = vp->v_type == VDIR ? EISDIR : ENOTDIR;
	if (error == 0) {
		vn_lock(vp, RW_WRITER);
		error = unlink_locked(&nd, vp);
		vn_unlock(vp);
	}
	vfs_namei_done(&nd);
	return error;
}

static int
sys_unlink(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_unlink(AT_FDCWD, SYSARG(const char *, 0));
}

static int
sys_unlinkat(struct lwp *l, const register_t *args, register_t *retval)
{
	int flags = SYSARG(int, 2);

	if (flags & ~AT_REMOVEDIR)
		return EINVAL;
	if (flags & AT_REMOVEDIR)
		return vfs_rmdirat(SYSARG(int, 0), SYSARG(const char *, 1));
	return do_unlink(SYSARG(int, 0), SYSARG(const char *, 1));
}

/* ---- link ---------------------------------------------------------------- */

/*
 * Linux's protected_hardlinks (on by default here): only the owner, root,
 * or someone who may read and write a plain regular file may link it.
 */
static int
link_protected(struct vnode *vp, const struct vattr *va, struct cred *cr)
{

	if (vn_isowner(va, cr))
		return 0;
	if (va->va_type == VREG && (va->va_mode & S_ISUID) == 0 &&
	    (va->va_mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
	    vn_access(vp, R_OK | W_OK, cr) == 0)
		return 0;
	return EPERM;
}

/* Link the non-directory vp (locked) into nd's directory. */
static int
link_locked(struct nameidata *nd, struct vnode *vp)
{
	struct vnode *dvp = nd->nd_dvp;
	struct vattr va;
	int error;

	error = vn_getattr(vp, &va);
	if (error != 0)
		return error;
	error = link_protected(vp, &va, nd->nd_cred);
	if (error != 0)
		return error;
	error = vn_dirwritable(dvp, nd->nd_cred);
	if (error != 0)
		return error;
	if (va.va_nlink == 0)
		return ENOENT;
	return dvp->v_op->vop_link(dvp, nd->nd_name, nd->nd_namelen, vp);
}

/* A directory can never be linked; pick Linux's errno for trying. */
static int
link_dir(struct nameidata *nd, const struct vattr *va)
{
	int error;

	if (!vn_isowner(va, nd->nd_cred))
		return EPERM;
	error = vn_dirwritable(nd->nd_dvp, nd->nd_cred);
	return error != 0 ? error : EPERM;
}

static int
link_to(struct vnode *vp, int dirfd, const char *upath)
{
	struct nameidata nd;
	struct vattr va;
	int error;

	if (vp->v_type == VDIR) {
		error = vn_getattr_unlocked(vp, &va);
		if (error != 0)
			return error;
	}
	error = vfs_namei_user(dirfd, upath, NI_PARENT, &nd);
	if (error != 0)
		return error;
	error = vn_createname(&nd, false);
	if (error == 0 && vn_rdonly(nd.nd_dvp))
		error = EROFS;
	if (error == 0 && vp->v_mount != nd.nd_dvp->v_mount)
		error = EXDEV;
	if (error == 0 && vp->v_type == VDIR) {
		error = link_dir(&nd, &va);
	} else if (error == 0) {
		vn_lock(vp, RW_WRITER);
		error = link_locked(&nd, vp);
		vn_unlock(vp);
	}
	vfs_namei_done(&nd);
	return error;
}

/*
 * AT_EMPTY_PATH (linking an open file by its descriptor) needs root or a
 * descriptor opened with the caller's own credentials, else ENOENT.
 */
static int
link_emptyok(int dirfd, const char *upath)
{
	struct file *fp;
	char c;
	int error;

	error = copyin(upath, &c, 1);
	if (error != 0 || c != '\0' || curcred->cr_fsuid == 0)
		return error;
	fp = fd_getfile(dirfd);
	if (fp == NULL)
		return EBADF;
	error = fp->f_cred == curcred ? 0 : ENOENT;
	fd_putfile(fp);
	return error;
}

static int
do_link(int olddirfd, const char *oldpath, int newdirfd,
    const char *newpath, int flags)
{
	struct vnode *vp;
	unsigned int niflags = 0;
	int error;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		niflags |= NI_FOLLOW;
	if (flags & AT_EMPTY_PATH) {
		niflags |= NI_EMPTYPATH;
		error = link_emptyok(olddirfd, oldpath);
		if (error != 0)
			return error;
	}
	error = vfs_lookup_user(olddirfd, oldpath, niflags, &vp);
	if (error != 0)
		return error;
	error = link_to(vp, newdirfd, newpath);
	vrele(vp);
	return error;
}

static int
sys_link(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_link(AT_FDCWD, SYSARG(const char *, 0), AT_FDCWD,
	    SYSARG(const char *, 1), 0);
}

static int
sys_linkat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_link(SYSARG(int, 0), SYSARG(const char *, 1), SYSARG(int, 2),
	    SYSARG(const char *, 3), SYSARG(int, 4));
}

/* ---- symlink ------------------------------------------------------------- */

static int
do_symlink(const char *utarget, int dirfd, const char *upath)
{
	struct nameidata nd;
	struct vattr va;
	struct vnode *dvp, *vp;
	char *target;
	int error;

	error = pathbuf_copyin(utarget, &target, false);
	if (error != 0)
		return error;
	error = vfs_namei_user(dirfd, upath, NI_PARENT, &nd);
	if (error != 0) {
		pathbuf_free(target);
		return error;
	}
	dvp = nd.nd_dvp;
	error = vn_createcheck(&nd, false);
	/* A symlink is always 0777: the umask does not apply. */
	if (error == 0)
		error = vn_initattr(dvp, VLNK, S_IRWXU | S_IRWXG | S_IRWXO,
		    nd.nd_cred, &va);
	if (error == 0)
		error = dvp->v_op->vop_symlink(dvp, nd.nd_name, nd.nd_namelen,
		    &va, target, &vp);
	if (error == 0)
		vrele(vp);
	vfs_namei_done(&nd);
	pathbuf_free(target);
	return error;
}

static int
sys_symlink(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_symlink(SYSARG(const char *, 0), AT_FDCWD,
	    SYSARG(const char *, 1));
}

static int
sys_symlinkat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_symlink(SYSARG(const char *, 0), SYSARG(int, 1),
	    SYSARG(const char *, 2));
}

/* ---- readlink ------------------------------------------------------------ */

static int
do_readlink(int dirfd, const char *upath, void *ubuf, int bufsiz,
    register_t *retval)
{
	struct nameidata nd;
	struct iovec iov;
	struct uio uio;
	struct vnode *vp;
	int error;

	if (bufsiz <= 0)
		return EINVAL;
	error = vfs_namei_user(dirfd, upath, NI_EMPTYPATH, &nd);
	if (error != 0)
		return error;
	vp = nd.nd_vp;
	if (vp->v_type != VLNK) {
		error = nd.nd_path[0] == '\0' ? ENOENT : EINVAL;
	} else {
		uio_setup1(&uio, &iov, ubuf, (size_t)bufsiz, 0, UIO_READ,
		    UIO_USERSPACE);
		vn_lock(vp, RW_READER);
		error = vp->v_op->vop_readlink(vp, &uio);
		vn_unlock(vp);
		if (error == 0)
			*retval = (register_t)((size_t)bufsiz - uio.uio_resid);
	}
	vfs_namei_done(&nd);
	return error;
}

static int
sys_readlink(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_readlink(AT_FDCWD, SYSARG(const char *, 0),
	    SYSARG(void *, 1), SYSARG(int, 2), retval);
}

static int
sys_readlinkat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_readlink(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(void *, 2), SYSARG(int, 3), retval);
}

const struct vfs_sysent vfs_sys_link[] = {
	{ SYS_unlink, sys_unlink, "unlink" },
	{ SYS_unlinkat, sys_unlinkat, "unlinkat" },
	{ SYS_link, sys_link, "link" },
	{ SYS_linkat, sys_linkat, "linkat" },
	{ SYS_symlink, sys_symlink, "symlink" },
	{ SYS_symlinkat, sys_symlinkat, "symlinkat" },
	{ SYS_readlink, sys_readlink, "readlink" },
	{ SYS_readlinkat, sys_readlinkat, "readlinkat" },
	{ 0, NULL, NULL },
};
