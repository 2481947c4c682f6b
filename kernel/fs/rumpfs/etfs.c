/*
 * etfs.c: host files in the kernel's name space.  rump_pub_etfs_register()
 * puts a host file, device or directory at a path (the key) of the rumpfs
 * root file system, creating missing directories (0755) on the way.
 *
 * Owns struct etfs (the host side of an etfs node), the public
 * rump_pub_etfs_* entry points and the vnode operations of etfs nodes:
 *  - REG: a regular file showing the window [begin, begin + size) of the
 *    host file, moved with rumpuser_iovread/iovwrite.  With
 *    RUMP_ETFS_SIZE_ENDOFF the window runs to the end of the host file and
 *    grows with writes past it; a fixed window fails writes past its end
 *    with ENOSPC.  Truncation is not possible (no hypercall for it).
 *  - BLK, CHR: a block device (kern/bdev.h, major BDEV_MAJOR_ETFS, named
 *    etfsN after its minor) registered with the key, and a device node
 *    for it; the vfs sends the node's I/O to the device (vfs/spec.c).
 *    The device's strategy hands requests to rumpuser_bio on the host
 *    file, in 512-byte sectors; its size is the window rounded down to
 *    whole sectors, and begin must be sector aligned.  The host file is
 *    opened at registration (read-only if the host refuses writing,
 *    which makes the device read-only).
 *  - DIR, DIR_SUBDIRS: a directory whose lookups ask the host
 *    (rumpuser_getfileinfo of hostpath/name) and materialise a REG node
 *    for a host file or block device, and with DIR_SUBDIRS a DIR_SUBDIRS
 *    node for a host directory.  The hypercall interface cannot list a
 *    host directory, so readdir returns only the names looked up so far.
 *    Materialised names stay until the directory goes (they are not
 *    checked against the host again), and no name can be created,
 *    removed or renamed in such a directory.
 * The registry of keys is the rumpfs name space itself (etfs_init only
 * checks that the root file system is rumpfs): a key exists as long as
 * its name does.  rump_pub_etfs_remove() removes the name; a file still
 * open stays usable until closed, except that a device goes at once
 * (its open nodes then fail with ENXIO), and not at all while a file
 * system is mounted from it (EBUSY).  Host descriptors of files are
 * opened on first use; all are closed when the node is freed.
 *
 * Locks: et_lock serialises opening the host file and unregistering the
 * device, and protects the entries and attributes of an etfs directory
 * (lookups that add names run under a shared vnode lock).
 * Order: vnode lock, et_lock, rm_lock.
 */
#include <kern/types.h>
#include <kern/bdev.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/sched.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <rump/rump.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>
#include <vfs/namei.h>
#include <vfs/vnode.h>
#include <rump/rumpuser.h>
#include <fs/rumpfs/rumpfs.h>

#define ETFS_SECSIZE	512
#define ETFS_BUFSIZE	65536

struct etfs {
	char		*et_path;	/* host path, constant */
	int		 et_type;	/* RUMP_ETFS_*, constant */
	uint64_t	 et_begin;	/* window start on the host, constant */
	bool		 et_endoff;	/* to the end of the file; constant */
	kmutex_t	 et_lock;
	int		 et_fd;		/* et_lock; set once, -1: not open */
	bool		 et_rdonly;	/* et_lock: host refused writing */
	struct bdev	 et_bdev;	/* BLK, CHR: the device */
	bool		 et_hasdev;	/* et_lock: et_bdev is registered */
};

static const struct vnodeops etfs_regops, etfs_dirops;

/* ---- struct etfs ----------------------------------------------------- */

/* A new etfs taking over path (kmem, exactly strlen + 1 bytes). */
static int
etfs_alloc(char *path, int type, uint64_t begin, bool endoff,
    struct etfs **etp)
{
	struct etfs *et;

	if ((et = kmem_zalloc(sizeof(*et))) == NULL) {
		kmem_strfree(path);
		return ENOMEM;
	}
	et->et_path = path;
	et->et_type = type;
	et->et_begin = begin;
	et->et_endoff = endoff;
	et->et_fd = -1;
	mutex_init(&et->et_lock, MUTEX_DEFAULT);
	*etp = et;
	return 0;
}

/* Unregister the device: 0, or EBUSY while a file system uses it. */
static int
etfs_devdetach(struct etfs *et)
{
	int error = 0;

	mutex_enter(&et->et_lock);
	if (et->et_hasdev && (error = bdev_unregister(&et->et_bdev)) == 0)
		et->et_hasdev = false;
	mutex_exit(&et->et_lock);
	return error;
}

/* The node is gone.  A device still mounted (its name was unlinked)
 * stays registered, with its etfs, for as long as the kernel runs. */
void
etfs_free(struct etfs *et)
{

	if (etfs_devdetach(et) != 0) {
		printf("etfs: %s: device still in use, kept\n", et->et_path);
		return;
	}
	if (et->et_fd != -1)
		rumpuser_close(et->et_fd);
	mutex_destroy(&et->et_lock);
	kmem_strfree(et->et_path);
	kmem_free(et, sizeof(*et));
}

static bool
etfs_isdev(const struct etfs *et)
{

	return et->et_type == RUMP_ETFS_BLK || et->et_type == RUMP_ETFS_CHR;
}

/* The host descriptor, opened read-write if the host lets us. */
static int
etfs_open(struct etfs *et, bool forwrite, int *fdp)
{
	int mode, fd, error = 0;

	mode = etfs_isdev(et) ? RUMPUSER_OPEN_BIO : 0;
	mutex_enter(&et->et_lock);
	if (et->et_fd == -1) {
		error = rumpuser_open(et->et_path,
		    mode | RUMPUSER_OPEN_RDWR, &fd);
		if (error == EACCES || error == EROFS || error == EPERM) {
			error = rumpuser_open(et->et_path,
			    mode | RUMPUSER_OPEN_RDONLY, &fd);
			et->et_rdonly = true;
		}
		if (error == 0)
			et->et_fd = fd;
	}
	if (error == 0 && forwrite && et->et_rdonly)
		error = EACCES;
	*fdp = et->et_fd;
	mutex_exit(&et->et_lock);
	return error;
}

/* The host descriptor if it is open, else -1. */
static int
etfs_getfd(struct etfs *et)
{
	int fd;

	mutex_enter(&et->et_lock);
	fd = et->et_fd;
	mutex_exit(&et->et_lock);
	return fd;
}

/*
 * Data already taken from the uio did not reach the host: give the
 * count back.  The syscall layer computes what was written from
 * uio_resid and uio_offset; the iovecs are not looked at again.
 */
static void
uio_giveback(struct uio *uio, size_t n)
{

	uio->uio_resid += n;
	uio->uio_offset -= (off_t)n;
}

/* ---- vnode operations: all etfs nodes -------------------------------- */

static int
etfs_vop_open(struct vnode *vp, int flags, struct cred *cred)
{
	int fd;

	return etfs_open(RFS_NODE(vp)->rn_etfs,
	    (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC), &fd);
}

static int
etfs_vop_fsync(struct vnode *vp, int flags)
{
	int fd;

	if ((fd = etfs_getfd(RFS_NODE(vp)->rn_etfs)) == -1)
		return 0;
	return rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE |
	    RUMPUSER_SYNCFD_SYNC, 0, 0);
}

/* The host file cannot be truncated: only other attributes change. */
static int
etfs_vop_setattr(struct vnode *vp, const struct vattr *va)
{
	struct rfs_node *n = RFS_NODE(vp);
	struct vattr rest;

	if ((va->va_mask & VA_SIZE) == 0 || n->rn_type != VREG)
		return rfs_vop_setattr(vp, va);
	if (va->va_size != n->rn_size) {
		printf("etfs: %s: host files cannot be truncated\n",
		    n->rn_etfs->et_path);
		return EOPNOTSUPP;
	}
	rest = *va;
	rest.va_mask &= ~VA_SIZE;
	return rfs_vop_setattr(vp, &rest);
}

/* ---- vnode operations: REG ------------------------------------------- */

static int
etfs_reg_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct rfs_node *n = RFS_NODE(vp);
	struct etfs *et = n->rn_etfs;
	struct rumpuser_iovec iov;
	size_t bufsize, len, done;
	char *buf;
	int fd, error;

	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0 || uio->uio_offset >= n->rn_size)
		return 0;
	if ((error = etfs_open(et, false, &fd)) != 0)
		return error;
	bufsize = MIN(uio->uio_resid, ETFS_BUFSIZE);
	if ((buf = kmem_alloc(bufsize)) == NULL)
		return ENOMEM;
	while (uio->uio_resid > 0 && uio->uio_offset < n->rn_size) {
		len = MIN(bufsize, uio->uio_resid);
		len = MIN(len, (uint64_t)(n->rn_size - uio->uio_offset));
		iov = (struct rumpuser_iovec){ buf, len };
		error = rumpuser_iovread(fd, &iov, 1,
		    (int64_t)(et->et_begin + (uint64_t)uio->uio_offset), &done);
		if (error != 0 || done == 0)
			break;
		if ((error = uiomove(buf, done, uio)) != 0)
			break;
	}
	kmem_free(buf, bufsize);
	rfs_node_accessed(n);
	return error;
}

/* How much of a write at the uio's offset fits in the window. */
static int
etfs_reg_fits(struct rfs_node *n, struct uio *uio, size_t *lenp)
{
	off_t off = uio->uio_offset;
	uint64_t room;

	if (n->rn_etfs->et_endoff) {
		if (off >= RFS_MAXFILESIZE)
			return EFBIG;
		room = (uint64_t)(RFS_MAXFILESIZE - off);
	} else {
		if (off >= n->rn_size)
			return ENOSPC;
		room = (uint64_t)(n->rn_size - off);
	}
	*lenp = MIN(*lenp, room);
	return 0;
}

/* Take up to len bytes from the uio; on failure none count as taken. */
static int
etfs_take(char *buf, size_t len, struct uio *uio)
{
	size_t resid = uio->uio_resid;
	int error;

	if ((error = uiomove(buf, len, uio)) != 0)
		uio_giveback(uio, resid - uio->uio_resid);
	return error;
}

/* Write one buffer's worth at the uio's offset to the host file. */
static int
etfs_reg_writechunk(struct rfs_node *n, int fd, char *buf,
    size_t bufsize, struct uio *uio)
{
	struct etfs *et = n->rn_etfs;
	struct rumpuser_iovec iov;
	off_t off = uio->uio_offset;
	size_t len, done;
	int error;

	len = MIN(bufsize, uio->uio_resid);
	if ((error = etfs_reg_fits(n, uio, &len)) != 0 ||
	    (error = etfs_take(buf, len, uio)) != 0)
		return error;
	iov = (struct rumpuser_iovec){ buf, len };
	error = rumpuser_iovwrite(fd, &iov, 1,
	    (int64_t)(et->et_begin + (uint64_t)off), &done);
	if (error != 0)
		done = 0;
	else if (done < len)
		error = ENOSPC;
	uio_giveback(uio, len - done);
	if (off + (off_t)done > n->rn_size)
		n->rn_size = off + (off_t)done;
	return error;
}

static int
etfs_reg_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct rfs_node *n = RFS_NODE(vp);
	size_t bufsize, resid = uio->uio_resid;
	char *buf;
	int fd, error;

	if (ioflag & IO_APPEND)
		uio->uio_offset = n->rn_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	if ((error = etfs_open(n->rn_etfs, true, &fd)) != 0)
		return error;
	bufsize = MIN(uio->uio_resid, ETFS_BUFSIZE);
	if ((buf = kmem_alloc(bufsize)) == NULL)
		return ENOMEM;
	while (uio->uio_resid > 0 && error == 0)
		error = etfs_reg_writechunk(n, fd, buf, bufsize, uio);
	kmem_free(buf, bufsize);
	if (uio->uio_resid != resid)
		rfs_node_touch(n, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	return error;
}

/* ---- the block device of BLK, CHR ----------------------------------- */

/* Runs on a host thread without a CPU or lwp: hand on, nothing else. */
static void
etfs_biodone(void *arg, size_t done, int error)
{
	struct bdevio *bio = arg;

	bio->bio_done(bio, done, error);
}

static void
etfs_strategy(struct bdev *bd, struct bdevio *bio)
{
	struct etfs *et = bd->bd_data;
	int error;

	if (bio->bio_op == BIO_FLUSH) {
		error = rumpuser_syncfd(et->et_fd, RUMPUSER_SYNCFD_WRITE |
		    RUMPUSER_SYNCFD_SYNC, 0, 0);
		bio->bio_done(bio, 0, error);
		return;
	}
	rumpuser_bio(et->et_fd, bio->bio_op == BIO_READ ? RUMPUSER_BIO_READ :
	    RUMPUSER_BIO_WRITE, bio->bio_data, bio->bio_len,
	    (int64_t)(et->et_begin + bio->bio_offset), etfs_biodone, bio);
}

static const struct bdevops etfs_bdevops = {
	.bd_strategy = etfs_strategy,
};

/* Open the host file and register the device for it. */
static int
etfs_devattach(struct etfs *et, uint64_t size)
{
	struct bdev *bd = &et->et_bdev;
	int fd, error;

	if ((error = etfs_open(et, false, &fd)) != 0)
		return error;
	*bd = (struct bdev){
		.bd_ops = &etfs_bdevops,
		.bd_data = et,
		.bd_size = size,
		.bd_secsize = ETFS_SECSIZE,
		.bd_rdonly = et->et_rdonly,
	};
	if ((error = bdev_register(bd, BDEV_MAJOR_ETFS)) != 0)
		return error;
	snprintf(bd->bd_name, sizeof(bd->bd_name), "etfs%u",
	    minor(bd->bd_dev));
	et->et_hasdev = true;
	return 0;
}

/* ---- vnode operations: DIR, DIR_SUBDIRS ------------------------------ */

/* hostdir/name in a new kmem string of exactly its length + 1. */
static int
etfs_childpath(const char *dir, const char *name, size_t len, char **pathp)
{
	size_t dlen = strlen(dir), size;
	char *path;

	size = dlen + 1 + len + 1;
	if (size > PATH_MAX)
		return ENAMETOOLONG;
	if ((path = kmem_alloc(size)) == NULL)
		return ENOMEM;
	memcpy(path, dir, dlen);
	path[dlen] = '/';
	memcpy(path + dlen + 1, name, len);
	path[size - 1] = '\0';
	*pathp = path;
	return 0;
}

/* The etfs type a host file gets in an etfs directory, or ENOENT. */
static int
etfs_childtype(const struct etfs *det, int ftype, int *typep)
{

	switch (ftype) {
	case RUMPUSER_FT_REG:
	case RUMPUSER_FT_BLK:
		*typep = RUMP_ETFS_REG;
		return 0;
	case RUMPUSER_FT_DIR:
		if (det->et_type != RUMP_ETFS_DIR_SUBDIRS)
			return ENOENT;
		*typep = RUMP_ETFS_DIR_SUBDIRS;
		return 0;
	default:
		return ENOENT;
	}
}

static void
etfs_newnode(struct rfs_newnode *nn, struct etfs *et, off_t size)
{

	*nn = (struct rfs_newnode){ .nn_etfs = et, .nn_size = size };
	switch (et->et_type) {
	case RUMP_ETFS_REG:
		nn->nn_type = VREG;
		nn->nn_mode = 0644;
		nn->nn_vops = &etfs_regops;
		break;
	case RUMP_ETFS_BLK:
	case RUMP_ETFS_CHR:
		nn->nn_type = et->et_type == RUMP_ETFS_BLK ? VBLK : VCHR;
		nn->nn_mode = 0644;
		nn->nn_size = 0;
		nn->nn_rdev = et->et_bdev.bd_dev;
		nn->nn_vops = &rfs_vnodeops;
		break;
	default:
		nn->nn_type = VDIR;
		nn->nn_mode = 0755;
		nn->nn_vops = &etfs_dirops;
		break;
	}
}

/* Make the node for host file name of an etfs directory; et_lock held. */
static int
etfs_materialise(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct etfs *det = RFS_NODE(dvp)->rn_etfs, *et;
	struct rfs_newnode nn;
	uint64_t size;
	char *path;
	int ftype, type, error;

	if ((error = etfs_childpath(det->et_path, name, len, &path)) != 0)
		return error;
	if ((error = rumpuser_getfileinfo(path, &size, &ftype)) != 0 ||
	    (error = etfs_childtype(det, ftype, &type)) != 0) {
		kmem_strfree(path);
		return error;
	}
	if (size > (uint64_t)RFS_MAXFILESIZE) {
		kmem_strfree(path);
		return EFBIG;
	}
	if ((error = etfs_alloc(path, type, 0, true, &et)) != 0)
		return error;
	etfs_newnode(&nn, et, type == RUMP_ETFS_REG ? (off_t)size : 0);
	return rfs_makenode(dvp, name, len, &nn, vpp);
}

static int
etfs_dir_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct rfs_node *dn = RFS_NODE(dvp);
	struct etfs *et = dn->rn_etfs;
	int error;

	mutex_enter(&et->et_lock);
	error = rfs_vop_lookup(dvp, name, len, vpp);
	if (error == ENOENT && dn->rn_nlink != 0 && !(name_isdot(name, len) || name_isdotdot(name, len)))
		error = etfs_materialise(dvp, name, len, vpp);
	mutex_exit(&et->et_lock);
	return error;
}

static int
etfs_dir_readdir(struct vnode *vp, struct dirctx *dc)
{
	struct etfs *et = RFS_NODE(vp)->rn_etfs;
	int error;

	mutex_enter(&et->et_lock);
	error = rfs_vop_readdir(vp, dc);
	mutex_exit(&et->et_lock);
	return error;
}

/* Lookups may add entries under a shared vnode lock: see et_lock. */
static int
etfs_dir_getattr(struct vnode *vp, struct vattr *va)
{
	struct etfs *et = RFS_NODE(vp)->rn_etfs;
	int error;

	mutex_enter(&et->et_lock);
	error = rfs_vop_getattr(vp, va);
	mutex_exit(&et->et_lock);
	return error;
}

static int
etfs_dir_refuse(struct vnode *dvp)
{

	printf("etfs: %s: names in host directories cannot be changed\n",
	    RFS_NODE(dvp)->rn_etfs->et_path);
	return EOPNOTSUPP;
}

static int
etfs_dir_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{

	return etfs_dir_refuse(dvp);
}

static int
etfs_dir_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{

	return etfs_dir_refuse(dvp);
}

static int
etfs_dir_link(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return etfs_dir_refuse(dvp);
}

static int
etfs_dir_remove(struct vnode *dvp, const char *name, size_t len,
    struct vnode *vp)
{

	return etfs_dir_refuse(dvp);
}

static int
etfs_dir_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned int flags)
{

	return etfs_dir_refuse(fdvp);
}

static const struct vnodeops etfs_regops = {
	.vop_lookup = rfs_vop_lookup,
	.vop_create = rfs_vop_create,
	.vop_mkdir = rfs_vop_mkdir,
	.vop_symlink = rfs_vop_symlink,
	.vop_link = rfs_vop_link,
	.vop_remove = rfs_vop_remove,
	.vop_rmdir = rfs_vop_rmdir,
	.vop_rename = rfs_vop_rename,
	.vop_open = etfs_vop_open,
	.vop_getattr = rfs_vop_getattr,
	.vop_setattr = etfs_vop_setattr,
	.vop_read = etfs_reg_read,
	.vop_write = etfs_reg_write,
	.vop_readdir = rfs_vop_readdir,
	.vop_readlink = rfs_vop_readlink,
	.vop_fsync = etfs_vop_fsync,
	.vop_inactive = rfs_vop_inactive,
	.vop_reclaim = rfs_vop_reclaim,
};

static const struct vnodeops etfs_dirops = {
	.vop_lookup = etfs_dir_lookup,
	.vop_create = etfs_dir_create,
	.vop_mkdir = etfs_dir_create,
	.vop_symlink = etfs_dir_symlink,
	.vop_link = etfs_dir_link,
	.vop_remove = etfs_dir_remove,
	.vop_rmdir = etfs_dir_remove,
	.vop_rename = etfs_dir_rename,
	.vop_getattr = etfs_dir_getattr,
	.vop_setattr = rfs_vop_setattr,
	.vop_read = rfs_vop_read,
	.vop_write = rfs_vop_write,
	.vop_readdir = etfs_dir_readdir,
	.vop_readlink = rfs_vop_readlink,
	.vop_fsync = rfs_vop_fsync,
	.vop_inactive = rfs_vop_inactive,
	.vop_reclaim = rfs_vop_reclaim,
};

/* ---- keys ------------------------------------------------------------ */

/* An in-memory rumpfs directory (keys never go below etfs nodes). */
static bool
etfs_keydir(struct vnode *vp)
{

	return vp->v_op == &rfs_vnodeops && vp->v_type == VDIR;
}

/* Child name of the locked directory dvp, made (0755) if missing. */
static int
etfs_subdir(struct vnode *dvp, const char *name, size_t len, bool create,
    struct vnode **vpp)
{
	struct vattr va = { .va_type = VDIR, .va_mode = 0755 };
	int error;

	error = rfs_vop_lookup(dvp, name, len, vpp);
	if (error == ENOENT && create)
		error = rfs_vop_mkdir(dvp, name, len, &va, vpp);
	return error;
}

/* Length of the path component at p, and where the next one starts. */
static size_t
etfs_component(const char *p, const char **nextp)
{
	size_t len = 0;

	while (p[len] != '/' && p[len] != '\0')
		len++;
	for (p += len; *p == '/'; p++)
		continue;
	*nextp = p;
	return len;
}

static int
etfs_checkname(const char *name, size_t len)
{

	if (len == 0 || (name_isdot(name, len) || name_isdotdot(name, len)))
		return EINVAL;
	if (len > NAME_MAX)
		return ENAMETOOLONG;
	return 0;
}

/*
 * The directory holding the last component of key (referenced, locked
 * exclusive) and that component, making missing directories if create.
 */
static int
etfs_keyparent(const char *key, bool create, struct vnode **dvpp,
    const char **namep, size_t *lenp)
{
	struct vnode *dvp, *vp;
	const char *p = key, *name;
	size_t len;
	int error;

	if ((dvp = vfs_getroot()) == NULL)
		return ENXIO;
	while (*p == '/')
		p++;
	for (;;) {
		name = p;
		len = etfs_component(name, &p);
		if ((error = etfs_checkname(name, len)) != 0) {
			vrele(dvp);
			return error;
		}
		vn_lock(dvp, RW_WRITER);
		if (!etfs_keydir(dvp)) {
			vput(dvp);
			return ENOTDIR;
		}
		if (*p == '\0')
			break;
		error = etfs_subdir(dvp, name, len, create, &vp);
		vput(dvp);
		if (error != 0)
			return error;
		dvp = vp;
	}
	*dvpp = dvp;
	*namep = name;
	*lenp = len;
	return 0;
}

/* The window of the host file, checked against the requested type. */
static int
etfs_hostwindow(const char *hostpath, int type, uint64_t begin,
    uint64_t size, off_t *sizep)
{
	uint64_t hsize;
	int ftype, error;

	if ((error = rumpuser_getfileinfo(hostpath, &hsize, &ftype)) != 0)
		return error;
	if (type == RUMP_ETFS_DIR || type == RUMP_ETFS_DIR_SUBDIRS) {
		*sizep = 0;
		return ftype == RUMPUSER_FT_DIR ? 0 : ENOTDIR;
	}
	if (ftype == RUMPUSER_FT_DIR)
		return EISDIR;
	if (ftype != RUMPUSER_FT_REG && ftype != RUMPUSER_FT_BLK)
		return EINVAL;
	if (begin > hsize)
		return EINVAL;
	hsize = MIN(hsize - begin, size);
	if (type == RUMP_ETFS_BLK || type == RUMP_ETFS_CHR) {
		if (begin % ETFS_SECSIZE != 0)
			return EINVAL;
		hsize -= hsize % ETFS_SECSIZE;
	}
	if (hsize > (uint64_t)RFS_MAXFILESIZE)
		return EFBIG;
	*sizep = (off_t)hsize;
	return 0;
}

static int
etfs_checkargs(const char *key, const char *hostpath, int type)
{

	if (key == NULL || hostpath == NULL || key[0] != '/' ||
	    hostpath[0] == '\0' || type < RUMP_ETFS_REG ||
	    type > RUMP_ETFS_DIR_SUBDIRS)
		return EINVAL;
	if (strnlen(key, PATH_MAX) == PATH_MAX ||
	    strnlen(hostpath, PATH_MAX) == PATH_MAX)
		return ENAMETOOLONG;
	return 0;
}

static int
etfs_register(const char *key, const char *hostpath, int type,
    uint64_t begin, uint64_t size)
{
	struct rfs_newnode nn;
	struct vnode *dvp;
	struct etfs *et;
	const char *name;
	char *path;
	size_t len;
	off_t nsize;
	int error;

	if ((error = etfs_checkargs(key, hostpath, type)) != 0 ||
	    (error = etfs_hostwindow(hostpath, type, begin, size, &nsize))
	    != 0)
		return error;
	if ((path = kmem_strdup(hostpath)) == NULL)
		return ENOMEM;
	if ((error = etfs_alloc(path, type, begin,
	    size == RUMP_ETFS_SIZE_ENDOFF, &et)) != 0)
		return error;
	if ((etfs_isdev(et) &&
	    (error = etfs_devattach(et, (uint64_t)nsize)) != 0) ||
	    (error = etfs_keyparent(key, true, &dvp, &name, &len)) != 0) {
		etfs_free(et);
		return error;
	}
	if (rfs_dir_lookup(RFS_NODE(dvp), name, len) != NULL) {
		etfs_free(et);
		error = EEXIST;
	} else {
		etfs_newnode(&nn, et, nsize);
		error = rfs_makenode_touch(dvp, name, len, &nn, NULL);
	}
	vput(dvp);
	return error;
}

/* Remove the name of an etfs node from its locked directory. */
static int
etfs_unlink(struct vnode *dvp, const char *name, size_t len)
{
	struct rfs_node *dn = RFS_NODE(dvp);
	struct rfs_dirent *de;
	struct vnode *vp;
	int error;

	if ((de = rfs_dir_lookup(dn, name, len)) == NULL)
		return ENOENT;
	if ((error = vcache_get(dvp->v_mount, de->de_node->rn_ino, &vp)) != 0)
		return error;
	vn_lock(vp, RW_WRITER);
	if (RFS_NODE(vp)->rn_etfs == NULL)
		error = EINVAL;
	else if ((error = etfs_devdetach(RFS_NODE(vp)->rn_etfs)) == 0)
		rfs_removeentry(dn, de);
	vput(vp);
	return error;
}

static int
etfs_remove(const char *key)
{
	struct vnode *dvp;
	const char *name;
	size_t len;
	int error;

	if (key == NULL || key[0] != '/')
		return EINVAL;
	if (strnlen(key, PATH_MAX) == PATH_MAX)
		return ENAMETOOLONG;
	if ((error = etfs_keyparent(key, false, &dvp, &name, &len)) != 0)
		return error;
	error = etfs_unlink(dvp, name, len);
	vput(dvp);
	return error;
}

/* Keys live in the root file system, which must be rumpfs. */
int
etfs_init(void)
{
	struct vnode *root;
	int error = 0;

	if ((root = vfs_getroot()) == NULL)
		return ENXIO;
	if (!etfs_keydir(root)) {
		printf("etfs: the root file system is not rumpfs\n");
		error = EOPNOTSUPP;
	}
	vrele(root);
	return error;
}

/* ---- public API (host context) --------------------------------------- */

int
rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type)
{

	return rump_pub_etfs_register_withsize(key, hostpath, type, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
}

int
rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{
	int error;

	rump_schedule();
	error = etfs_register(key, hostpath, (int)type, begin, size);
	rump_unschedule();
	return error;
}

int
rump_pub_etfs_remove(const char *key)
{
	int error;

	rump_schedule();
	error = etfs_remove(key);
	rump_unschedule();
	return error;
}
