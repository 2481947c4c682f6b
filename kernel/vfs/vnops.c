/*
 * vnops.c: vnodes as open files.  vn_openat() resolves (or creates) a
 * path and installs a descriptor for it; vnfileops are the operations of
 * such a descriptor (read, write, seek, stat, ioctl, poll, close).
 * Device nodes are opened, read, written, sized and controlled through
 * their device instead of their file system (spec.c).
 *
 * Lock order: f_lock of the open file description, then the vnode lock.
 * f_lock is held across a read or write that uses and advances the file
 * offset, so those transfers on one description are atomic with respect
 * to the offset.
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
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

/* Linux ioctl: bytes readable without blocking (an int). */
#define FIONREAD	0x541B

/* The O_TMPFILE bit without the O_DIRECTORY it comes with. */
#define O_TMPFILE_ONLY	(O_TMPFILE & ~O_DIRECTORY)

/* Open flags kept in the file description. */
#define FILE_FLAGS	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | \
			 O_SYNC | O_DSYNC | O_NOATIME | O_LARGEFILE)

static int	vn_rdwr(struct file *, struct uio *, int);
static int	vn_ioctl(struct file *, unsigned long, void *);
static int	vn_poll(struct file *, int);
static int	vn_stat(struct file *, struct stat *);
static int	vn_seek(struct file *, off_t, int, off_t *);
static int	vn_close(struct file *);

const struct fileops vnfileops = {
	.fo_read = vn_rdwr,
	.fo_write = vn_rdwr,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_stat = vn_stat,
	.fo_seek = vn_seek,
	.fo_close = vn_close,
};

struct vnode *
file_vnode(struct file *fp)
{

	return fp->f_type == DTYPE_VNODE ? fp->f_data : NULL;
}

/* ---- opening ----------------------------------------------------------- */

/* R_OK/W_OK needed by an open with these flags. */
static int
open_accmode(int flags)
{
	int acc;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		acc = R_OK;
		break;
	case O_WRONLY:
		acc = W_OK;
		break;
	default:
		acc = R_OK | W_OK;
		break;
	}
	if (flags & O_TRUNC)
		acc |= W_OK;
	return acc;
}

/* Flag combinations Linux rejects or rumpk does not do. */
static int
open_checkflags(int flags)
{

	if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
		return EINVAL;
	if (flags & O_TMPFILE_ONLY) {
		if ((flags & O_DIRECTORY) == 0 ||
		    (open_accmode(flags) & W_OK) == 0)
			return EINVAL;
		printf("vfs: open: O_TMPFILE is not supported\n");
		return EOPNOTSUPP;
	}
	if (flags & O_PATH) {
		printf("vfs: open: O_PATH is not supported\n");
		return EOPNOTSUPP;
	}
	return 0;
}

/*
 * cur names the symlink vp: put into buf the path that names the link's
 * target from the same starting directory (cur with its last component
 * replaced by the target, or the target if it is absolute).  buf may be
 * cur itself.
 */
static int
open_followlink(struct vnode *vp, const char *cur, char *buf)
{
	const char *slash;
	size_t plen, len;
	int error;

	slash = strrchr(cur, '/');
	plen = slash == NULL ? 0 : (size_t)(slash - cur) + 1;
	if (cur != buf)
		memcpy(buf, cur, plen);
	error = namei_readlink(vp, buf + plen, PATH_MAX - 1 - plen, &len);
	if (error != 0)
		return error;
	buf[plen + len] = '\0';
	if (buf[plen] == '/')
		memmove(buf, buf + plen, len + 1);
	return 0;
}

/*
 * namei(NI_PARENT) of path for O_CREAT, following a symlink as the last
 * component (to its target's parent, even if the target is missing)
 * unless O_EXCL or O_NOFOLLOW.  buf (PATH_MAX) holds the paths of the
 * targets.  On failure nd needs only namei_done().
 */
static int
open_parent(int dirfd, const char *path, int flags, char *buf,
    struct nameidata *nd)
{
	const char *cur;
	int error, nlinks;

	for (cur = path, nlinks = 0;; cur = buf, nlinks++) {
		namei_init(nd, dirfd, cur, NI_PARENT);
		error = namei(nd);
		if (error != 0 || (flags & (O_EXCL | O_NOFOLLOW)) ||
		    nd->nd_trailingslash || nd->nd_vp == NULL ||
		    nd->nd_vp->v_type != VLNK)
			return error;
		error = nlinks == MAXSYMLINKS ? ELOOP :
		    open_followlink(nd->nd_vp, cur, buf);
		if (error != 0)
			return error;
		namei_done(nd);
	}
}

/*
 * O_CREAT: look up the parent of path (open_parent) and create the last
 * component if it is missing.  *created tells whether the returned
 * vnode is new.
 */
static int
open_create(int dirfd, const char *path, int flags, mode_t mode,
    struct vnode **vpp, bool *created)
{
	struct nameidata nd;
	char *buf;
	int error;

	buf = kmem_alloc(PATH_MAX);
	if (buf == NULL)
		return ENOMEM;
	*created = false;
	error = open_parent(dirfd, path, flags, buf, &nd);
	if (error != 0)
		goto out;
	if (nd.nd_trailingslash) {
		error = EISDIR;
	} else if (nd.nd_vp != NULL && (flags & O_EXCL)) {
		error = EEXIST;
	} else if (nd.nd_vp != NULL) {
		*vpp = nd.nd_vp;
		nd.nd_vp = NULL;
	} else if (vfs_dotname(nd.nd_name, nd.nd_namelen)) {
		error = (flags & O_EXCL) ? EEXIST : EISDIR;
	} else {
		error = vn_createcheck(&nd, false);
		if (error == 0)
			error = vn_makenode(&nd, VREG, mode, 0, vpp);
		*created = true;
	}
out:
	namei_done(&nd);
	kmem_free(buf, PATH_MAX);
	return error;
}

/* Checks of open on an existing vnode, and O_TRUNC. */
static int
open_existing(struct vnode *vp, int flags, struct cred *cr)
{
	struct vattr va;
	bool trunc = (flags & O_TRUNC) && vp->v_type == VREG;
	int acc = open_accmode(flags);
	int error;

	if ((flags & O_CREAT) && vp->v_type == VDIR)
		return EISDIR;
	if ((flags & O_DIRECTORY) && vp->v_type != VDIR)
		return ENOTDIR;
	if (vp->v_type == VLNK)
		return ELOOP;
	if (vp->v_type == VDIR && (acc & W_OK))
		return EISDIR;
	vn_lock(vp, trunc ? RW_WRITER : RW_READER);
	error = vn_access(vp, acc, cr);
	if (error == 0 && (flags & O_NOATIME)) {
		error = vn_getattr(vp, &va);
		if (error == 0 && !vn_isowner(&va, cr))
			error = EPERM;
	}
	if (error == 0 && trunc)
		error = vn_truncate(vp, 0, cr);
	vn_unlock(vp);
	if (error != 0)
		return error;
	if (vp->v_type == VSOCK)
		return ENXIO;
	if (vp->v_type == VFIFO) {
		printf("vfs: open: FIFOs are not supported\n");
		return EOPNOTSUPP;
	}
	return 0;
}

/* The vnode to open: looked up, or created with O_CREAT. */
static int
open_vnode(int dirfd, const char *path, int flags, mode_t mode,
    struct vnode **vpp)
{
	bool created = false;
	int error;

	*vpp = NULL;
	if (flags & O_CREAT)
		error = open_create(dirfd, path, flags, mode, vpp, &created);
	else
		error = namei_simple(dirfd, path,
		    (flags & O_NOFOLLOW) ? 0 : NI_FOLLOW, vpp);
	if (error != 0 || created)
		return error;
	error = open_existing(*vpp, flags, curcred);
	if (error != 0) {
		vrele(*vpp);
		*vpp = NULL;
	}
	return error;
}

/* The file system's (or for a device node, the device's) open. */
static int
open_notify(struct vnode *vp, int flags)
{

	if (spec_isdev(vp))
		return spec_open(vp, flags);
	if (vp->v_op->vop_open != NULL)
		return vp->v_op->vop_open(vp, flags, curcred);
	return 0;
}

static void
close_notify(struct vnode *vp, int flags, struct cred *cred)
{

	if (!spec_isdev(vp) && vp->v_op->vop_close != NULL)
		vp->v_op->vop_close(vp, flags, cred);
}

int
vn_openat(int dirfd, const char *kpath, int flags, mode_t mode, int *fdp)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	error = open_checkflags(flags);
	if (error != 0)
		return error;
	error = open_vnode(dirfd, kpath, flags, mode, &vp);
	if (error != 0)
		return error;
	if ((error = open_notify(vp, flags)) != 0) {
		vrele(vp);
		return error;
	}
	fp = file_alloc(DTYPE_VNODE, (unsigned int)flags & FILE_FLAGS,
	    &vnfileops, vp);
	if (fp == NULL) {
		close_notify(vp, flags, curcred);
		vrele(vp);
		return ENOMEM;
	}
	error = fd_install(fp, 0, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0, fdp);
	file_rele(fp);
	return error;
}

/* ---- file operations ----------------------------------------------------- */

static unsigned int
vn_fflag(struct file *fp)
{

	return __atomic_load_n(&fp->f_flag, __ATOMIC_RELAXED);
}

static int
vn_ioflag(struct file *fp)
{
	unsigned int fflag = vn_fflag(fp);
	int ioflag = 0;

	if (fflag & O_APPEND)
		ioflag |= IO_APPEND;
	if ((fflag & O_SYNC) == O_SYNC)
		ioflag |= IO_SYNC;
	else if (fflag & O_DSYNC)
		ioflag |= IO_DSYNC;
	if (fflag & O_NONBLOCK)
		ioflag |= IO_NDELAY;
	return ioflag;
}

/* A transfer must start at a valid offset and not run past OFF_MAX. */
static int
vn_checkrange(const struct uio *uio)
{

	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid > (size_t)(OFF_MAX - uio->uio_offset))
		return EINVAL;
	return 0;
}

/* fo_read and fo_write. */
static int
vn_rdwr(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	bool write = uio->uio_rw == UIO_WRITE, dev = spec_isdev(vp);
	int (*op)(struct vnode *, struct uio *, int);
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	op = write ? vp->v_op->vop_write : vp->v_op->vop_read;
	if (op == NULL && !dev)
		return EINVAL;
	if (flags & FOF_UPDATE_OFFSET) {
		mutex_enter(&fp->f_lock);
		uio->uio_offset = fp->f_offset;
	}
	error = vn_checkrange(uio);
	if (error == 0 && dev) {
		error = spec_rdwr(vp, uio, vn_ioflag(fp));
	} else if (error == 0) {
		vn_lock(vp, write ? RW_WRITER : RW_READER);
		error = op(vp, uio, vn_ioflag(fp));
		vn_unlock(vp);
	}
	if (flags & FOF_UPDATE_OFFSET) {
		fp->f_offset = uio->uio_offset;
		mutex_exit(&fp->f_lock);
	}
	return error;
}

static int
vn_size(struct vnode *vp, off_t *sizep)
{
	struct vattr va;
	int error;

	if (spec_isdev(vp))
		return spec_size(vp, sizep);
	error = vn_getattr_unlocked(vp, &va);
	*sizep = va.va_size;
	return error;
}

/* FIONREAD: size minus offset, as an int (Linux, regular files only). */
static int
vn_fionread(struct file *fp, void *udata)
{
	off_t size, off;
	int n, error;

	error = vn_size(fp->f_data, &size);
	if (error != 0)
		return error;
	mutex_enter(&fp->f_lock);
	off = fp->f_offset;
	mutex_exit(&fp->f_lock);
	n = (int)(size - off);
	return copyout(&n, udata, sizeof(n));
}

/* udata is the caller's pointer (copyin/copyout it). */
static int
vn_ioctl(struct file *fp, unsigned long cmd, void *udata)
{
	struct vnode *vp = fp->f_data;

	if (cmd == FIONREAD && vp->v_type == VREG)
		return vn_fionread(fp, udata);
	if (spec_isdev(vp))
		return spec_ioctl(vp, cmd, udata);
	if (vp->v_op->vop_ioctl == NULL)
		return ENOTTY;
	return vp->v_op->vop_ioctl(vp, cmd, udata, (int)vn_fflag(fp));
}

static int
vn_poll(struct file *fp, int events)
{
	struct vnode *vp = fp->f_data;

	if (vp->v_op->vop_poll != NULL)
		return vp->v_op->vop_poll(vp, events);
	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

static int
vn_stat(struct file *fp, struct stat *st)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int error;

	error = vn_getattr_unlocked(vp, &va);
	if (error == 0)
		vattr_to_stat(vp, &va, st);
	return error;
}

/* Directories: the offset is the file system's readdir cookie. */
static int
vn_seekdir(struct file *fp, off_t off, int whence, off_t *newoffp)
{

	if (whence == SEEK_CUR && __builtin_add_overflow(off, fp->f_offset,
	    &off))
		return EINVAL;
	if ((whence != SEEK_SET && whence != SEEK_CUR) || off < 0)
		return EINVAL;
	*newoffp = off;
	return 0;
}

/* Other files: Linux's generic_file_llseek over the file size. */
static int
vn_seekfile(struct file *fp, off_t off, int whence, off_t *newoffp)
{
	off_t size = 0;
	int error;

	if (whence == SEEK_END || whence == SEEK_DATA || whence == SEEK_HOLE) {
		error = vn_size(fp->f_data, &size);
		if (error != 0)
			return error;
	}
	switch (whence) {
	case SEEK_CUR:
		if (__builtin_add_overflow(off, fp->f_offset, &off))
			return EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(off, size, &off))
			return EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return ENXIO;
		if (whence == SEEK_HOLE)
			off = size;
		break;
	}
	if (off < 0)
		return EINVAL;
	*newoffp = off;
	return 0;
}

static int
vn_seek(struct file *fp, off_t off, int whence, off_t *newoffp)
{
	struct vnode *vp = fp->f_data;
	int error;

	mutex_enter(&fp->f_lock);
	if (vp->v_type == VDIR)
		error = vn_seekdir(fp, off, whence, newoffp);
	else
		error = vn_seekfile(fp, off, whence, newoffp);
	if (error == 0)
		fp->f_offset = *newoffp;
	mutex_exit(&fp->f_lock);
	return error;
}

static int
vn_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;

	close_notify(vp, (int)fp->f_flag, fp->f_cred);
	vrele(vp);
	return 0;
}
