/*
 * sys_attr.c: changing and checking file attributes: chmod, chown,
 * utimensat, truncate, access and umask, with their fd and *at forms.
 * Linux's rules: only the owner (or root) changes modes and times, only
 * root gives files away, set-id bits are cleared on chown and by non-root
 * truncation, every change updates ctime, and read-only mounts refuse
 * all of it (EROFS).
 *
 * Locks: the vnode, exclusive, around each check-and-setattr.
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/kern.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

#define NSEC_PER_SEC	1000000000L

/* The vnode of descriptor fd, referenced; op names the call for the
 * console message about descriptors of other kinds. */
static int
attr_fdvnode(int fd, const char *op, struct vnode **vpp)
{
	int error;

	error = vfs_getvnode(fd, EOPNOTSUPP, vpp);
	if (error == EOPNOTSUPP)
		printf("vfs: %s: only files of file systems have attributes\n",
		    op);
	return error;
}

/* The namei flags for the AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH flags. */
static unsigned int
at_niflags(int atflags)
{
	unsigned int niflags = 0;

	if ((atflags & AT_SYMLINK_NOFOLLOW) == 0)
		niflags |= NI_FOLLOW;
	if (atflags & AT_EMPTY_PATH)
		niflags |= NI_EMPTYPATH;
	return niflags;
}

/* The vnode of (dirfd, upath) for an *at call with AT_* flags. */
static int
attr_lookup(int dirfd, const char *upath, int atflags, struct vnode **vpp)
{

	return vfs_lookup_user(dirfd, upath, at_niflags(atflags), vpp);
}

/* Lock vp for a change: EROFS, or 0 with vp locked and its attributes. */
static int
attr_begin(struct vnode *vp, struct vattr *va)
{
	int error;

	if (vn_rdonly(vp))
		return EROFS;
	vn_lock(vp, RW_WRITER);
	error = vn_getattr(vp, va);
	if (error != 0)
		vn_unlock(vp);
	return error;
}

/* Apply nva (ctime added) and unlock. */
static int
attr_commit(struct vnode *vp, struct vattr *nva)
{
	int error;

	nva->va_mask |= VA_CTIME;
	getnanotime(&nva->va_ctime);
	error = vp->v_op->vop_setattr(vp, nva);
	vn_unlock(vp);
	return error;
}

/* ---- chmod --------------------------------------------------------------- */

/* vp referenced; the reference is consumed. */
static int
vn_chmod(struct vnode *vp, mode_t mode, struct cred *cr)
{
	struct vattr va, nva;
	int error;

	error = attr_begin(vp, &va);
	if (error != 0)
		goto out;
	if (vp->v_type == VLNK)
		error = EOPNOTSUPP;
	else if (!vn_isowner(&va, cr))
		error = EPERM;
	if (error != 0) {
		vn_unlock(vp);
		goto out;
	}
	memset(&nva, 0, sizeof(nva));
	nva.va_mask = VA_MODE;
	nva.va_mode = mode & ALLPERMS;
	if (!vn_groupok(va.va_gid, cr))
		nva.va_mode &= ~(mode_t)S_ISGID;
	error = attr_commit(vp, &nva);
out:
	vrele(vp);
	return error;
}

static int
do_chmod(int dirfd, const char *upath, mode_t mode, int flags)
{
	struct vnode *vp;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = attr_lookup(dirfd, upath, flags, &vp);
	if (error != 0)
		return error;
	return vn_chmod(vp, mode, curcred);
}

static int
sys_chmod(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_chmod(AT_FDCWD, SYSARG(const char *, 0), SYSARG(mode_t, 1),
	    0);
}

static int
sys_fchmod(struct lwp *l, const register_t *args, register_t *retval)
{
	struct vnode *vp;
	int error;

	error = attr_fdvnode(SYSARG(int, 0), "fchmod", &vp);
	if (error != 0)
		return error;
	return vn_chmod(vp, SYSARG(mode_t, 1), curcred);
}

/* Takes flags as glibc's fchmodat does (Linux's fchmodat2). */
static int
sys_fchmodat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_chmod(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(mode_t, 2), SYSARG(int, 3));
}

/* ---- chown --------------------------------------------------------------- */

/* May cr change the owner to uid and the group to gid ((id)-1: keep)? */
static bool
chown_ok(const struct vattr *va, uid_t uid, gid_t gid, const struct cred *cr)
{

	if (cr->cr_fsuid == 0)
		return true;
	if (cr->cr_fsuid != va->va_uid)
		return uid == (uid_t)-1 && gid == (gid_t)-1;
	if (uid != (uid_t)-1 && uid != va->va_uid)
		return false;
	return gid == (gid_t)-1 || gid == va->va_gid ||
	    cred_groupmember(cr, gid);
}

/* vp referenced; the reference is consumed. */
static int
vn_chown(struct vnode *vp, uid_t uid, gid_t gid, struct cred *cr)
{
	struct vattr va, nva;
	int error;

	error = attr_begin(vp, &va);
	if (error != 0)
		goto out;
	if (!chown_ok(&va, uid, gid, cr)) {
		vn_unlock(vp);
		error = EPERM;
		goto out;
	}
	memset(&nva, 0, sizeof(nva));
	if (uid != (uid_t)-1) {
		nva.va_mask |= VA_UID;
		nva.va_uid = uid;
	}
	if (gid != (gid_t)-1) {
		nva.va_mask |= VA_GID;
		nva.va_gid = gid;
	}
	/* A chowned non-directory loses its set-id bits (vn_killbits). */
	nva.va_mode = va.va_mode;
	if (vp->v_type != VDIR)
		nva.va_mode &= ~vn_killbits(&va, cr);
	if (nva.va_mode != va.va_mode)
		nva.va_mask |= VA_MODE;
	error = attr_commit(vp, &nva);
out:
	vrele(vp);
	return error;
}

static int
do_chown(int dirfd, const char *upath, uid_t uid, gid_t gid, int flags)
{
	struct vnode *vp;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = attr_lookup(dirfd, upath, flags, &vp);
	if (error != 0)
		return error;
	return vn_chown(vp, uid, gid, curcred);
}

static int
sys_chown(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_chown(AT_FDCWD, SYSARG(const char *, 0), SYSARG(uid_t, 1),
	    SYSARG(gid_t, 2), 0);
}

static int
sys_lchown(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_chown(AT_FDCWD, SYSARG(const char *, 0), SYSARG(uid_t, 1),
	    SYSARG(gid_t, 2), AT_SYMLINK_NOFOLLOW);
}

static int
sys_fchownat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_chown(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(uid_t, 2), SYSARG(gid_t, 3), SYSARG(int, 4));
}

static int
sys_fchown(struct lwp *l, const register_t *args, register_t *retval)
{
	struct vnode *vp;
	int error;

	error = attr_fdvnode(SYSARG(int, 0), "fchown", &vp);
	if (error != 0)
		return error;
	return vn_chown(vp, SYSARG(uid_t, 1), SYSARG(gid_t, 2), curcred);
}

/* ---- utimensat ----------------------------------------------------------- */

static bool
utimens_nsecok(long nsec)
{

	return nsec == UTIME_NOW || nsec == UTIME_OMIT ||
	    (nsec >= 0 && nsec < NSEC_PER_SEC);
}

/* One time of nva from ts (NULL: now); false if it is to be left. */
static bool
utimens_one(const struct timespec *ts, const struct timespec *now,
    struct timespec *out)
{

	if (ts != NULL && ts->tv_nsec == UTIME_OMIT)
		return false;
	*out = (ts == NULL || ts->tv_nsec == UTIME_NOW) ? *now : *ts;
	return true;
}

/* Set the times of vp (referenced; consumed); ts NULL: both now. */
static int
vn_utimens(struct vnode *vp, const struct timespec *ts, struct cred *cr)
{
	struct vattr va, nva;
	struct timespec now;
	int error;

	if (ts != NULL && (!utimens_nsecok(ts[0].tv_nsec) ||
	    !utimens_nsecok(ts[1].tv_nsec))) {
		error = EINVAL;
		goto out;
	}
	if (ts != NULL && ts[0].tv_nsec == UTIME_NOW &&
	    ts[1].tv_nsec == UTIME_NOW)
		ts = NULL;
	error = attr_begin(vp, &va);
	if (error != 0)
		goto out;
	/* Only the owner gives times (even UTIME_NOW with UTIME_OMIT);
	 * others may only touch both, with write permission. */
	if (ts != NULL && !vn_isowner(&va, cr))
		error = EPERM;
	else if (ts == NULL && !vn_isowner(&va, cr))
		error = vn_access(vp, W_OK, cr);
	if (error != 0) {
		vn_unlock(vp);
		goto out;
	}
	memset(&nva, 0, sizeof(nva));
	getnanotime(&now);
	if (utimens_one(ts, &now, &nva.va_atime))
		nva.va_mask |= VA_ATIME;
	if (utimens_one(ts == NULL ? NULL : &ts[1], &now, &nva.va_mtime))
		nva.va_mask |= VA_MTIME;
	error = attr_commit(vp, &nva);
out:
	vrele(vp);
	return error;
}

/*
 * utimensat(dirfd, path, times, flags); a NULL path with a descriptor
 * sets that file's times (futimens).
 */
static int
sys_utimensat(struct lwp *l, const register_t *args, register_t *retval)
{
	int dirfd = SYSARG(int, 0), flags = SYSARG(int, 3);
	const char *upath = SYSARG(const char *, 1);
	const void *utimes = SYSARG(const void *, 2);
	struct timespec ts[2];
	struct vnode *vp;
	int error;

	if (utimes != NULL) {
		error = copyin(utimes, ts, sizeof(ts));
		if (error != 0)
			return error;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	if (upath == NULL && dirfd != AT_FDCWD) {
		if (flags != 0)
			return EINVAL;
		error = attr_fdvnode(dirfd, "futimens", &vp);
	} else {
		if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return EINVAL;
		error = attr_lookup(dirfd, upath, flags, &vp);
	}
	if (error != 0)
		return error;
	return vn_utimens(vp, utimes != NULL ? ts : NULL, curcred);
}

/* ---- truncate ------------------------------------------------------------ */

static int
sys_truncate(struct lwp *l, const register_t *args, register_t *retval)
{
	off_t len = SYSARG(off_t, 1);
	struct vnode *vp;
	int error;

	if (len < 0)
		return EINVAL;
	error = attr_lookup(AT_FDCWD, SYSARG(const char *, 0), 0, &vp);
	if (error != 0)
		return error;
	if (vp->v_type == VDIR) {
		error = EISDIR;
	} else if (vp->v_type != VREG) {
		error = EINVAL;
	} else {
		vn_lock(vp, RW_WRITER);
		error = vn_access(vp, W_OK, curcred);
		if (error == 0)
			error = vn_truncate(vp, len, curcred);
		vn_unlock(vp);
	}
	vrele(vp);
	return error;
}

static int
sys_ftruncate(struct lwp *l, const register_t *args, register_t *retval)
{
	off_t len = SYSARG(off_t, 1);
	struct file *fp;
	struct vnode *vp;
	int error;

	if (len < 0)
		return EINVAL;
	error = vfs_getfile(SYSARG(int, 0), EINVAL, &fp);
	if (error != 0)
		return error;
	vp = fp->f_data;
	if (vp->v_type != VREG || !FWRITE(fp)) {
		error = EINVAL;
	} else if (vn_rdonly(vp)) {
		error = EROFS;
	} else {
		vn_lock(vp, RW_WRITER);
		error = vn_truncate(vp, len, curcred);
		vn_unlock(vp);
	}
	fd_putfile(fp);
	return error;
}

/* ---- access -------------------------------------------------------------- */

/* access(2) checks with the real ids unless AT_EACCESS: a cred for it. */
static struct cred *
access_cred(int flags)
{
	struct cred *cr = curcred;

	if ((flags & AT_EACCESS) ||
	    (cr->cr_uid == cr->cr_fsuid && cr->cr_gid == cr->cr_fsgid)) {
		cred_hold(cr);
		return cr;
	}
	cr = cred_dup(cr);
	if (cr != NULL) {
		cr->cr_fsuid = cr->cr_uid;
		cr->cr_fsgid = cr->cr_gid;
	}
	return cr;
}

static int
access_check(int dirfd, const char *kpath, int mode, int flags,
    struct cred *cr)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	namei_init(&nd, dirfd, kpath, at_niflags(flags));
	nd.nd_cred = cr;
	error = namei(&nd);
	if (error == 0 && mode != F_OK) {
		vp = nd.nd_vp;
		vn_lock(vp, RW_READER);
		error = vn_access(vp, mode, cr);
		vn_unlock(vp);
	}
	namei_done(&nd);
	return error;
}

static int
do_access(int dirfd, const char *upath, int mode, int flags)
{
	struct cred *cr;
	char *kpath;
	int error;

	if (mode & ~(R_OK | W_OK | X_OK))
		return EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = pathbuf_copyin(upath, &kpath, (flags & AT_EMPTY_PATH) != 0);
	if (error != 0)
		return error;
	cr = access_cred(flags);
	if (cr == NULL) {
		error = ENOMEM;
	} else {
		error = access_check(dirfd, kpath, mode, flags, cr);
		cred_free(cr);
	}
	pathbuf_free(kpath);
	return error;
}

static int
sys_access(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_access(AT_FDCWD, SYSARG(const char *, 0), SYSARG(int, 1), 0);
}

static int
sys_faccessat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_access(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(int, 2), 0);
}

static int
sys_faccessat2(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_access(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(int, 2), SYSARG(int, 3));
}

/* ---- umask --------------------------------------------------------------- */

static int
sys_umask(struct lwp *l, const register_t *args, register_t *retval)
{
	mode_t mask = SYSARG(mode_t, 0) & (S_IRWXU | S_IRWXG | S_IRWXO);

	*retval = (register_t)__atomic_exchange_n(&l->l_proc->p_umask, mask,
	    __ATOMIC_RELAXED);
	return 0;
}

const struct vfs_sysent vfs_sys_attr[] = {
	{ SYS_chmod, sys_chmod, "chmod" },
	{ SYS_fchmod, sys_fchmod, "fchmod" },
	{ SYS_fchmodat, sys_fchmodat, "fchmodat" },
	{ SYS_chown, sys_chown, "chown" },
	{ SYS_lchown, sys_lchown, "lchown" },
	{ SYS_fchown, sys_fchown, "fchown" },
	{ SYS_fchownat, sys_fchownat, "fchownat" },
	{ SYS_utimensat, sys_utimensat, "utimensat" },
	{ SYS_truncate, sys_truncate, "truncate" },
	{ SYS_ftruncate, sys_ftruncate, "ftruncate" },
	{ SYS_access, sys_access, "access" },
	{ SYS_faccessat, sys_faccessat, "faccessat" },
	{ SYS_faccessat2, sys_faccessat2, "faccessat2" },
	{ SYS_umask, sys_umask, "umask" },
	{ 0, NULL, NULL },
};
