/*
 * vnode.h: vnodes, their attributes, the vnode operations vector and the
 * vnode cache.
 *
 * A vnode is the in-core handle of a file of some mounted file system.
 * vnodes live in the vnode cache, keyed by (mount, inode number); the cache
 * is bounded (RUMP_NVNODES, default 16384, counts unreferenced vnodes):
 * unreferenced vnodes sit on an LRU list and the oldest are reclaimed
 * when there are more of them than the limit.
 *
 * Locks: vcache_lock (global mutex) protects the hash, the LRU list,
 * v_state and 0<->1 transitions of v_usecount (other changes are atomic).
 * v_lock is the vnode lock of the VOP protocol below.  Lock order: a
 * directory before anything in it; two directories only under the mount's
 * rename lock; vcache_lock is never held while sleeping for v_lock.
 * The last vrele() locks the vnode exclusive for vop_inactive: never
 * release a vnode you hold locked, and hold at most its ancestors' locks
 * (never a descendant's) while releasing it.
 *
 * VOP protocol (vfs does permission checks and name validation; file
 * systems only implement the operation):
 *  lookup(dvp,name,len,&vp)  dvp locked (either mode); *vp referenced,
 *                            unlocked; "." returns dvp, ".." its parent
 *                            (the root of a mount returns itself); ENOENT.
 *  create/mkdir/symlink      dvp locked exclusive; vfs checked the name is
 *                            absent under that lock; va_type, va_mode,
 *                            va_uid, va_gid (and va_rdev) are set; the new
 *                            vnode is returned referenced, unlocked.
 *                            Update the directory's mtime/ctime.
 *  link(dvp,name,len,vp)     dvp then vp locked exclusive; vp not a dir.
 *  remove/rmdir(dvp,..,vp)   dvp then vp locked exclusive; vfs checked
 *                            the type; rmdir fails ENOTEMPTY if needed.
 *  rename(fdvp,fname,flen,fvp,tdvp,tname,tlen,tvp,flags)
 *                            the mount's rename lock is held and all four
 *                            (tvp may be NULL) are locked exclusive; vfs
 *                            checked: same mount, fvp != tvp, dir/non-dir
 *                            compatibility, a dir is not moved into its own
 *                            subtree, RENAME_NOREPLACE.  The fs replaces
 *                            tvp (ENOTEMPTY for a non-empty dir), moves
 *                            the entry, fixes ".." and link counts.
 *  read/readdir/readlink/getattr   vp locked (either mode).
 *  write/setattr/fsync       vp locked exclusive.  write honours
 *                            IO_APPEND, updates size, mtime and ctime.
 *                            setattr applies exactly the va_mask fields
 *                            (vfs fills va_ctime for chmod/chown/...);
 *                            VA_SIZE truncates or extends with zeros.
 *  open/close/ioctl/poll     optional (NULL: nothing to do / ENOTTY /
 *                            always ready); vp unlocked.
 *  inactive(vp,&recycle)     last reference going away, vp locked
 *                            exclusive; set recycle to free it now (e.g.
 *                            no links left).
 *  reclaim(vp)               vp is unreferenced and unreachable: release
 *                            the fs-private data.
 */
#ifndef _VFS_VNODE_H_
#define _VFS_VNODE_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <abi/time.h>
#include <lib/queue.h>

struct mount;
struct uio;
struct cred;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

struct vattr {
	unsigned int	va_mask;	/* VA_* valid fields, for setattr */
	enum vtype	va_type;
	mode_t		va_mode;	/* permission bits only (07777) */
	nlink_t		va_nlink;
	uid_t		va_uid;
	gid_t		va_gid;
	ino_t		va_fileid;
	off_t		va_size;
	uint64_t	va_bytes;	/* storage used, bytes */
	uint32_t	va_blocksize;	/* preferred I/O size */
	dev_t		va_rdev;
	struct timespec	va_atime;
	struct timespec	va_mtime;
	struct timespec	va_ctime;
	struct timespec	va_btime;	/* birth; 0 if unknown */
};

#define VA_MODE		0x01
#define VA_UID		0x02
#define VA_GID		0x04
#define VA_SIZE		0x08
#define VA_ATIME	0x10
#define VA_MTIME	0x20
#define VA_CTIME	0x40

/* ioflag for read/write */
#define IO_APPEND	0x01
#define IO_SYNC		0x02
#define IO_DSYNC	0x04
#define IO_NDELAY	0x08

/* fsync flags */
#define FSYNC_WAIT	0x01
#define FSYNC_DATAONLY	0x02

/* Directory reading: the fs calls dirctx_emit() for each entry at or after
 * dc_offset (an fs-defined cookie; 0 = start).  dirctx_emit() returns false
 * when the caller's buffer is full; the fs then stops.  Accepted entries
 * advance dc_offset to their `next` cookie.  Set dc_eof at the end. */
struct dirctx {
	off_t		 dc_offset;
	bool		 dc_eof;
	bool		(*dc_emit)(struct dirctx *, ino_t, int dtype,
			    const char *, size_t, off_t next);
	void		*dc_arg;
};
#define dirctx_emit(dc, ino, t, nm, len, next) \
	((dc)->dc_emit((dc), (ino), (t), (nm), (len), (next)))

struct vnode;

struct vnodeops {
	int	(*vop_lookup)(struct vnode *, const char *, size_t,
		    struct vnode **);
	int	(*vop_create)(struct vnode *, const char *, size_t,
		    const struct vattr *, struct vnode **);
	int	(*vop_mkdir)(struct vnode *, const char *, size_t,
		    const struct vattr *, struct vnode **);
	int	(*vop_symlink)(struct vnode *, const char *, size_t,
		    const struct vattr *, const char *, struct vnode **);
	int	(*vop_link)(struct vnode *, const char *, size_t,
		    struct vnode *);
	int	(*vop_remove)(struct vnode *, const char *, size_t,
		    struct vnode *);
	int	(*vop_rmdir)(struct vnode *, const char *, size_t,
		    struct vnode *);
	int	(*vop_rename)(struct vnode *, const char *, size_t,
		    struct vnode *, struct vnode *, const char *, size_t,
		    struct vnode *, unsigned int);
	int	(*vop_open)(struct vnode *, int, struct cred *);
	int	(*vop_close)(struct vnode *, int, struct cred *);
	int	(*vop_getattr)(struct vnode *, struct vattr *);
	int	(*vop_setattr)(struct vnode *, const struct vattr *);
	int	(*vop_read)(struct vnode *, struct uio *, int);
	int	(*vop_write)(struct vnode *, struct uio *, int);
	int	(*vop_readdir)(struct vnode *, struct dirctx *);
	int	(*vop_readlink)(struct vnode *, struct uio *);
	int	(*vop_fsync)(struct vnode *, int);
	int	(*vop_ioctl)(struct vnode *, unsigned long, void *, int);
	int	(*vop_poll)(struct vnode *, int);
	int	(*vop_inactive)(struct vnode *, bool *);
	void	(*vop_reclaim)(struct vnode *);
};

/* v_state */
#define VS_LOADING	1	/* being loaded by vfs_loadvnode */
#define VS_ACTIVE	2
#define VS_RECLAIMING	3	/* reclaim in progress; lookups wait */

/* v_vflag */
#define VV_ROOT		0x01	/* root of its mount */

struct vnode {
	krwlock_t		 v_lock;	/* the vnode lock */
	int			 v_usecount;	/* see above */
	int			 v_state;	/* vcache_lock */
	int			 v_vflag;	/* constant after load */
	enum vtype		 v_type;	/* constant after load */
	ino_t			 v_ino;		/* cache key; vcache_lock
						   (vcache_rekey) */
	dev_t			 v_rdev;	/* VBLK/VCHR, constant */
	struct mount		*v_mount;	/* constant */
	struct mount		*v_mountedhere;	/* mount_lock */
	const struct vnodeops	*v_op;		/* constant after load */
	void			*v_data;	/* fs-private */
	LIST_ENTRY(vnode)	 v_hash;	/* vcache_lock */
	TAILQ_ENTRY(vnode)	 v_lru;		/* vcache_lock */
};

/* Get the vnode of (mp, ino), loading it with vfs_loadvnode if needed;
 * referenced, unlocked.  0 or errno. */
int	vcache_get(struct mount *, ino_t, struct vnode **);
void	vref(struct vnode *);
void	vrele(struct vnode *);
void	vn_lock(struct vnode *, krw_t);
void	vn_unlock(struct vnode *);
void	vput(struct vnode *);		/* unlock and release */
/* Reclaim every vnode of mp (for unmount); EBUSY if any is still in
 * use: without a dead file system to move them to, vnodes in use cannot
 * be revoked, and their file system data must stay valid until they
 * are released. */
int	vflush(struct mount *);
/* Is any vnode of mp other than `except' referenced or loading, or does
 * `except' (may be NULL) have more than `refs' references?  A snapshot;
 * callers hold locks that keep new references from appearing. */
bool	vcache_busy(struct mount *, struct vnode *except, int refs);
/* Move a vnode the caller holds (referenced, locked exclusive) to
 * another inode number, for file systems whose inode numbers follow a
 * file's location (FAT): 0, or EEXIST if newino is cached. */
int	vcache_rekey(struct mount *, struct vnode *, ino_t newino);
void	vcache_init(void);

extern kmutex_t vcache_lock;

/* Permission check of `acc` (R_OK|W_OK|X_OK bits as 4/2/1) against the
 * given owner/group/mode for cred: 0 or EACCES (root overrides, except
 * X_OK on a non-directory with no x bit at all). */
int	vaccess(enum vtype, mode_t, uid_t, gid_t, int acc, struct cred *);
/* vaccess() on a vnode's current attributes; vp locked. */
int	vn_access(struct vnode *, int acc, struct cred *);

/* Convert between vtype and S_IF* / DT_* */
mode_t	vtype_to_ifmt(enum vtype);
enum vtype ifmt_to_vtype(mode_t);
int	vtype_to_dt(enum vtype);

#endif /* _VFS_VNODE_H_ */
