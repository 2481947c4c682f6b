/*
 * vfs_syscalls.c: the glue shared by the file-system system calls: user
 * path lookup, vnode descriptors, the ownership and permission rules of
 * Linux's vfs layer, making new nodes, truncation, and
 * vfs_syscalls_init(), the one place that installs every vfs system
 * call.
 *
 * Locks: none of its own; vnodes passed in are locked as each function
 * says (vnode.h protocol).
 */
#include <kern/types.h>
#include <kern/kern.h>
#include <kern/file.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

static const struct vfs_sysent *const vfs_systables[] = {
	vfs_sys_open,
	vfs_sys_stat,
	vfs_sys_dir,
	vfs_sys_getcwd,
	vfs_sys_link,
	vfs_sys_rename,
	vfs_sys_attr,
	vfs_sys_sync,
	vfs_sys_mount,
};

void
vfs_syscalls_init(void)
{
	const struct vfs_sysent *vs;
	size_t i;

	for (i = 0; i < __arraycount(vfs_systables); i++)
		for (vs = vfs_systables[i]; vs->vs_call != NULL; vs++)
			syscall_register(vs->vs_num, vs->vs_call, vs->vs_name);
}

int
vfs_namei_user(int dirfd, const char *upath, unsigned int niflags,
    struct nameidata *nd)
{
	char *kpath;
	int error;

	error = pathbuf_copyin(upath, &kpath, (niflags & NI_EMPTYPATH) != 0);
	if (error != 0)
		return error;
	namei_init(nd, dirfd, kpath, niflags);
	error = namei(nd);
	if (error != 0) {
		namei_done(nd);
		pathbuf_free(kpath);
	}
	return error;
}

void
vfs_namei_done(struct nameidata *nd)
{
	char *kpath = (char *)(uintptr_t)nd->nd_path;

	namei_done(nd);
	pathbuf_free(kpath);
}

int
vfs_lookup_user(int dirfd, const char *upath, unsigned int niflags,
    struct vnode **vpp)
{
	char *kpath;
	int error;

	error = pathbuf_copyin(upath, &kpath, (niflags & NI_EMPTYPATH) != 0);
	if (error != 0)
		return error;
	error = namei_simple(dirfd, kpath, niflags, vpp);
	pathbuf_free(kpath);
	return error;
}

int
vfs_dotname(const char *name, size_t len)
{

	if (len == 1 && name[0] == '.')
		return 1;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 2;
	return 0;
}

int
vfs_getfile(int fd, int notvnode, struct file **fpp)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return notvnode;
	}
	*fpp = fp;
	return 0;
}

int
vfs_getvnode(int fd, int notvnode, struct vnode **vpp)
{
	struct file *fp;
	int error;

	error = vfs_getfile(fd, notvnode, &fp);
	if (error != 0)
		return error;
	*vpp = fp->f_data;
	vref(*vpp);
	fd_putfile(fp);
	return 0;
}

bool
vn_rdonly(const struct vnode *vp)
{

	return vfs_isrdonly(vp->v_mount);
}

bool
vn_isowner(const struct vattr *va, const struct cred *cr)
{

	return cr->cr_fsuid == va->va_uid || cr->cr_fsuid == 0;
}

bool
vn_groupok(gid_t gid, const struct cred *cr)
{

	return cr->cr_fsuid == 0 || cred_groupmember(cr, gid);
}

int
vn_initattr(struct vnode *dvp, enum vtype type, mode_t mode,
    const struct cred *cr, struct vattr *va)
{
	struct vattr dva;
	int error;

	error = vn_getattr(dvp, &dva);
	if (error != 0)
		return error;
	memset(va, 0, sizeof(*va));
	va->va_type = type;
	va->va_mode = mode & ALLPERMS;
	va->va_uid = cr->cr_fsuid;
	va->va_gid = cr->cr_fsgid;
	if ((dva.va_mode & S_ISGID) == 0)
		return 0;
	/* A setgid directory hands down its group (and, to directories,
	 * the setgid bit itself). */
	va->va_gid = dva.va_gid;
	if (type == VDIR)
		va->va_mode |= S_ISGID;
	else if ((va->va_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
	    !vn_groupok(va->va_gid, cr))
		va->va_mode &= ~(mode_t)S_ISGID;
	return 0;
}

int
vn_makenode(struct nameidata *nd, enum vtype type, mode_t mode, dev_t rdev,
    struct vnode **vpp)
{
	struct vnode *dvp = nd->nd_dvp;
	struct vattr va;
	mode_t umask;
	int error;

	umask = __atomic_load_n(&curproc->p_umask, __ATOMIC_RELAXED);
	error = vn_initattr(dvp, type, mode & ~umask, nd->nd_cred, &va);
	if (error != 0)
		return error;
	va.va_rdev = rdev;
	if (type == VDIR)
		return dvp->v_op->vop_mkdir(dvp, nd->nd_name, nd->nd_namelen,
		    &va, vpp);
	return dvp->v_op->vop_create(dvp, nd->nd_name, nd->nd_namelen, &va,
	    vpp);
}

int
vn_createname(struct nameidata *nd, bool isdir)
{

	if (nd->nd_dvp == NULL || vfs_dotname(nd->nd_name, nd->nd_namelen))
		return EEXIST;
	if (nd->nd_vp != NULL)
		return EEXIST;
	if (nd->nd_trailingslash && !isdir)
		return ENOENT;
	return 0;
}

int
vn_createcheck(struct nameidata *nd, bool isdir)
{
	int error;

	error = vn_createname(nd, isdir);
	if (error != 0)
		return error;
	return vn_dirwritable(nd->nd_dvp, nd->nd_cred);
}

int
vn_dirwritable(struct vnode *dvp, struct cred *cr)
{
	struct vattr dva;
	int error;

	error = vn_getattr(dvp, &dva);
	if (error != 0)
		return error;
	if (dva.va_nlink == 0)
		return ENOENT;
	return vn_access(dvp, W_OK | X_OK, cr);
}

int
vn_deletecheck(struct vnode *dvp, struct vnode *vp, struct cred *cr)
{
	struct vattr dva, va;
	int error;

	error = vn_access(dvp, W_OK | X_OK, cr);
	if (error != 0)
		return error;
	error = vn_getattr(dvp, &dva);
	if (error != 0 || (dva.va_mode & S_ISVTX) == 0)
		return error;
	error = vn_getattr(vp, &va);
	if (error != 0)
		return error;
	if (cr->cr_fsuid != va.va_uid && cr->cr_fsuid != dva.va_uid &&
	    cr->cr_fsuid != 0)
		return EPERM;
	return 0;
}

int
vn_getattr(struct vnode *vp, struct vattr *va)
{

	memset(va, 0, sizeof(*va));
	return vp->v_op->vop_getattr(vp, va);
}

int
vn_getattr_unlocked(struct vnode *vp, struct vattr *va)
{
	int error;

	vn_lock(vp, RW_READER);
	error = vn_getattr(vp, va);
	vn_unlock(vp);
	return error;
}

mode_t
vn_killbits(const struct vattr *va, const struct cred *cr)
{
	mode_t kill = 0;

	if (va->va_mode & S_ISUID)
		kill |= S_ISUID;
	if ((va->va_mode & S_ISGID) && ((va->va_mode & S_IXGRP) ||
	    !vn_groupok(va->va_gid, cr)))
		kill |= S_ISGID;
	return kill;
}

int
vn_truncate(struct vnode *vp, off_t len, struct cred *cr)
{
	struct vattr va, nva;
	mode_t kill;
	int error;

	error = vn_getattr(vp, &va);
	if (error != 0)
		return error;
	memset(&nva, 0, sizeof(nva));
	nva.va_mask = VA_SIZE | VA_MTIME | VA_CTIME;
	nva.va_size = len;
	getnanotime(&nva.va_ctime);
	nva.va_mtime = nva.va_ctime;
	/* Non-root truncation clears set-id bits (file_remove_privs). */
	kill = 0;
	if (cr->cr_fsuid != 0 && va.va_type == VREG)
		kill = vn_killbits(&va, cr);
	if (kill != 0) {
		nva.va_mask |= VA_MODE;
		nva.va_mode = va.va_mode & ~kill;
	}
	return vp->v_op->vop_setattr(vp, &nva);
}
