/*
 * namei.c: path name lookup (namei.h) and copying paths in from the
 * caller.  Owns the walk from a starting directory through a path:
 * components, ".", "..", mount points, symlinks, trailing slashes and
 * search permission.  What the result is used for is the system calls'.
 *
 * The walk holds a reference to the directory it is in and no vnode lock
 * between components: a directory is locked shared only while it is
 * searched, so at most one vnode lock is held at a time, except that
 * NI_PARENT returns the parent locked exclusive.  References alone keep
 * vnodes and their mounts alive (an unmount fails with EBUSY while any
 * vnode of the mount is referenced), so namei does not busy mounts.
 * Mount points are entered under mount_lock, which keeps the mount
 * attached while its root is referenced, and left through
 * mnt_vnodecovered, constant while the mount's root is referenced.
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
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>

/* A lookup in progress. */
struct walk {
	struct nameidata *w_nd;
	struct vnode	*w_dvp;		/* directory we are in, referenced */
	char		*w_cp;		/* rest of the path, in nd_buf */
	int		 w_nlinks;	/* symlinks followed so far */
};

/* One component of the path, in nd_buf. */
struct component {
	char		*c_name;
	size_t		 c_len;
	bool		 c_last;	/* nothing but slashes follows */
	bool		 c_slash;	/* last, and slashes follow */
};

void
namei_init(struct nameidata *nd, int dirfd, const char *path,
    unsigned int flags)
{

	memset(nd, 0, sizeof(*nd));
	nd->nd_dirfd = dirfd;
	nd->nd_path = path;
	nd->nd_flags = flags;
}

static bool
isdot(const struct component *c)
{

	return name_isdot(c->c_name, c->c_len);
}

static bool
isdotdot(const struct component *c)
{

	return name_isdotdot(c->c_name, c->c_len);
}

/* Split the next component off the path: false if only slashes are
 * left. */
static bool
component_next(struct walk *w, struct component *c)
{
	char *p = w->w_cp;

	while (*p == '/')
		p++;
	if (*p == '\0') {
		w->w_cp = p;
		return false;
	}
	c->c_name = p;
	while (*p != '\0' && *p != '/')
		p++;
	c->c_len = (size_t)(p - c->c_name);
	w->w_cp = p;
	while (*p == '/')
		p++;
	c->c_last = *p == '\0';
	c->c_slash = c->c_last && *w->w_cp == '/';
	return true;
}

/* Replace *vpp by the root of what is mounted on it, repeatedly. */
static void
cross_mounts(struct vnode **vpp)
{
	struct vnode *vp = *vpp, *root;
	struct mount *mp;

	while (__atomic_load_n(&vp->v_mountedhere, __ATOMIC_ACQUIRE) != NULL) {
		mutex_enter(&mount_lock);
		mp = vp->v_mountedhere;
		root = mp != NULL ? mp->mnt_root : NULL;
		if (root != NULL)
			vref(root);
		mutex_exit(&mount_lock);
		if (root == NULL)
			break;
		vrele(vp);
		vp = root;
	}
	*vpp = vp;
}

/* May cred look names up in dvp?  dvp locked. */
static int
dir_searchable(struct vnode *dvp, struct cred *cred)
{

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	return vn_access(dvp, X_OK, cred);
}

/* Look name up in dvp, first checking that cred may search dvp unless
 * cred is NULL. */
static int
lookup_in(struct vnode *dvp, const char *name, size_t len,
    struct cred *cred, struct vnode **vpp)
{
	int error = 0;

	vn_lock(dvp, RW_READER);
	if (cred != NULL)
		error = dir_searchable(dvp, cred);
	if (error == 0)
		error = dvp->v_op->vop_lookup(dvp, name, len, vpp);
	vn_unlock(dvp);
	return error;
}

/*
 * ".." from w_dvp: at the root it stays there; at the root of any other
 * mount it first climbs to the directory the mount covers (search
 * permission is checked where the walk is, as Linux does).
 */
static int
lookup_dotdot(struct walk *w, struct vnode **vpp)
{
	struct cred *cred = w->w_nd->nd_cred;
	struct vnode *dvp = w->w_dvp, *up;
	int error;

	if (dvp != rootvnode && !(dvp->v_vflag & VV_ROOT))
		return lookup_in(dvp, "..", 2, cred, vpp);
	vn_lock(dvp, RW_READER);
	error = dir_searchable(dvp, cred);
	vn_unlock(dvp);
	if (error != 0)
		return error;
	while (dvp != rootvnode && (dvp->v_vflag & VV_ROOT) &&
	    (up = dvp->v_mount->mnt_vnodecovered) != NULL) {
		vref(up);
		vrele(dvp);
		dvp = up;
	}
	w->w_dvp = dvp;
	if (dvp == rootvnode) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return lookup_in(dvp, "..", 2, NULL, vpp);
}

/* The vnode component c names in w_dvp, referenced. */
static int
lookup_component(struct walk *w, const struct component *c,
    struct vnode **vpp)
{
	unsigned int flags = w->w_nd->nd_flags;
	int error;

	if (isdotdot(c))
		error = lookup_dotdot(w, vpp);
	else
		error = lookup_in(w->w_dvp, c->c_name, c->c_len,
		    w->w_nd->nd_cred, vpp);
	if (error == 0 && !(c->c_last && (flags & NI_NOCROSSMOUNT)))
		cross_mounts(vpp);
	return error;
}

/* Move the walk to the root directory. */
static int
walk_setroot(struct walk *w)
{
	struct vnode *vp;

	vp = vfs_getroot();
	if (vp == NULL)
		return ENOENT;
	cross_mounts(&vp);
	if (w->w_dvp != NULL)
		vrele(w->w_dvp);
	w->w_dvp = vp;
	return 0;
}

int
namei_readlink(struct vnode *vp, char *buf, size_t size, size_t *lenp)
{
	struct iovec iov;
	struct uio uio;
	int error;

	if (vp->v_op->vop_readlink == NULL)
		return EINVAL;
	uio_setup1(&uio, &iov, buf, size, 0, UIO_READ, UIO_SYSSPACE);
	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_readlink(vp, &uio);
	vn_unlock(vp);
	if (error != 0)
		return error;
	*lenp = size - uio.uio_resid;
	if (*lenp == size)
		return ENAMETOOLONG;
	if (*lenp == 0)
		return ENOENT;
	return 0;
}

/* Splice the target of symlink vp (just looked up in w_dvp) into the
 * path in place of its name; an absolute target restarts at the root. */
static int
walk_follow(struct walk *w, struct vnode *vp)
{
	char *buf = w->w_nd->nd_buf, *target;
	size_t tlen, rlen;
	int error;

	if (++w->w_nlinks > MAXSYMLINKS)
		return ELOOP;
	target = kmem_alloc(PATH_MAX);
	if (target == NULL)
		return ENOMEM;
	error = namei_readlink(vp, target, PATH_MAX, &tlen);
	rlen = strlen(w->w_cp);
	if (error == 0 && tlen + rlen >= PATH_MAX)
		error = ENAMETOOLONG;
	if (error == 0) {
		memmove(buf + tlen, w->w_cp, rlen + 1);
		memcpy(buf, target, tlen);
		w->w_cp = buf;
		if (buf[0] == '/')
			error = walk_setroot(w);
	}
	kmem_free(target, PATH_MAX);
	return error;
}

/* The path has no (more) components: the result is where we are. */
static void
walk_end(struct walk *w)
{
	struct nameidata *nd = w->w_nd;

	nd->nd_vp = w->w_dvp;
	w->w_dvp = NULL;
	if (nd->nd_flags & NI_PARENT) {
		nd->nd_name = w->w_cp;
		nd->nd_namelen = 0;
	}
}

/* Look up a component that is not the last one of an NI_PARENT walk;
 * *done once the result is in nd_vp. */
static int
walk_step(struct walk *w, const struct component *c, bool *done)
{
	struct nameidata *nd = w->w_nd;
	struct vnode *vp;
	int error;

	error = lookup_component(w, c, &vp);
	if (error != 0)
		return error;
	if (vp->v_type == VLNK &&
	    (!c->c_last || c->c_slash || (nd->nd_flags & NI_FOLLOW))) {
		error = walk_follow(w, vp);
		vrele(vp);
		return error;
	}
	if (!c->c_last) {
		vrele(w->w_dvp);
		w->w_dvp = vp;
		return 0;
	}
	if (c->c_slash && vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	nd->nd_vp = vp;
	nd->nd_trailingslash = c->c_slash;
	*done = true;
	return 0;
}

/* The last component of an NI_PARENT walk: lock the directory and look
 * the name up under that lock. */
static int
walk_parent(struct walk *w, struct component *c)
{
	struct nameidata *nd = w->w_nd;
	struct vnode *dvp = w->w_dvp, *vp = NULL;
	int error;

	vn_lock(dvp, RW_WRITER);
	error = dir_searchable(dvp, nd->nd_cred);
	if (error == 0 && !isdot(c) && !isdotdot(c)) {
		error = dvp->v_op->vop_lookup(dvp, c->c_name, c->c_len, &vp);
		if (error == ENOENT) {
			vp = NULL;
			error = 0;
		}
	}
	if (error != 0) {
		vn_unlock(dvp);
		return error;
	}
	if (vp != NULL && !(nd->nd_flags & NI_NOCROSSMOUNT))
		cross_mounts(&vp);
	c->c_name[c->c_len] = '\0';
	nd->nd_dvp = dvp;
	w->w_dvp = NULL;
	nd->nd_vp = vp;
	nd->nd_name = c->c_name;
	nd->nd_namelen = c->c_len;
	nd->nd_trailingslash = c->c_slash;
	return 0;
}

static int
walk(struct walk *w)
{
	struct nameidata *nd = w->w_nd;
	struct component c;
	bool done = false;
	int error;

	for (;;) {
		if (!component_next(w, &c)) {
			walk_end(w);
			return 0;
		}
		if (c.c_len > NAME_MAX)
			return ENAMETOOLONG;
		if (c.c_last && (nd->nd_flags & NI_PARENT))
			return walk_parent(w, &c);
		error = walk_step(w, &c, &done);
		if (error != 0 || done)
			return error;
	}
}

/* Where a relative path starts: the cwd or the directory dirfd is
 * open on (any vnode for an empty path). */
static int
walk_startdir(struct walk *w, bool empty)
{
	struct nameidata *nd = w->w_nd;
	struct file *fp;
	struct vnode *vp;
	int error = 0;

	if (nd->nd_dirfd == AT_FDCWD) {
		w->w_dvp = cwd_get();
		return w->w_dvp != NULL ? 0 : ENOENT;
	}
	fp = fd_getfile(nd->nd_dirfd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE) {
		error = ENOTDIR;
	} else {
		vp = file_vnode(fp);
		if (vp->v_type != VDIR && !empty) {
			error = ENOTDIR;
		} else {
			vref(vp);
			w->w_dvp = vp;
		}
	}
	fd_putfile(fp);
	return error;
}

int
namei(struct nameidata *nd)
{
	struct walk w;
	size_t len;
	int error;

	nd->nd_dvp = NULL;
	nd->nd_vp = NULL;
	nd->nd_name = NULL;
	nd->nd_namelen = 0;
	nd->nd_trailingslash = false;
	if (nd->nd_cred == NULL)
		nd->nd_cred = curlwp->l_cred;
	len = strnlen(nd->nd_path, PATH_MAX);
	if (len == PATH_MAX)
		return ENAMETOOLONG;
	if (len == 0 && (nd->nd_flags & (NI_EMPTYPATH | NI_PARENT)) !=
	    NI_EMPTYPATH)
		return ENOENT;
	nd->nd_buf = kmem_alloc(PATH_MAX);
	if (nd->nd_buf == NULL)
		return ENOMEM;
	memcpy(nd->nd_buf, nd->nd_path, len + 1);
	w.w_nd = nd;
	w.w_dvp = NULL;
	w.w_cp = nd->nd_buf;
	w.w_nlinks = 0;
	if (nd->nd_buf[0] == '/')
		error = walk_setroot(&w);
	else
		error = walk_startdir(&w, len == 0);
	if (error == 0)
		error = walk(&w);
	if (w.w_dvp != NULL)
		vrele(w.w_dvp);
	if (error != 0)
		namei_done(nd);
	return error;
}

int
namei_simple(int dirfd, const char *path, unsigned int flags,
    struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	KASSERT((flags & NI_PARENT) == 0);
	namei_init(&nd, dirfd, path, flags);
	error = namei(&nd);
	if (error == 0) {
		*vpp = nd.nd_vp;
		nd.nd_vp = NULL;
	}
	namei_done(&nd);
	return error;
}

void
namei_done(struct nameidata *nd)
{

	if (nd->nd_dvp != NULL) {
		vput(nd->nd_dvp);
		nd->nd_dvp = NULL;
	}
	if (nd->nd_vp != NULL) {
		vrele(nd->nd_vp);
		nd->nd_vp = NULL;
	}
	if (nd->nd_buf != NULL) {
		kmem_free(nd->nd_buf, PATH_MAX);
		nd->nd_buf = NULL;
	}
	nd->nd_name = NULL;
}

int
pathbuf_copyin(const char *upath, char **kpathp, bool allowempty)
{
	char *kpath;
	int error;

	kpath = kmem_alloc(PATH_MAX);
	if (kpath == NULL)
		return ENOMEM;
	error = copyinstr(upath, kpath, PATH_MAX, NULL);
	if (error == 0 && kpath[0] == '\0' && !allowempty)
		error = ENOENT;
	if (error != 0) {
		kmem_free(kpath, PATH_MAX);
		return error;
	}
	*kpathp = kpath;
	return 0;
}

void
pathbuf_free(char *kpath)
{

	if (kpath != NULL)
		kmem_free(kpath, PATH_MAX);
}
