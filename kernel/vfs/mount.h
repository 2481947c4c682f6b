/*
 * mount.h: mounted file systems and the file system type registry.
 *
 * A file system registers a struct vfsops (vfs_register) from its
 * component init.  mount(2) creates a struct mount, calls vfs_mount, and
 * covers the mount point vnode.  The root file system is rumpfs, mounted
 * at boot.
 *
 * Locks: mount_lock (global mutex) protects the mount list, the type
 * registry and v_mountedhere; mnt_busy (rwlock) is held shared by
 * operations in progress on a mount (vfs_busy) and exclusive by unmount
 * and remount; mnt_renamelock serialises renames and directory moves on
 * the mount.  Lock order: mnt_busy, vnode locks, mount_lock, vcache_lock.
 *
 * Lifetime: a mount lives while any of its vnodes is referenced, since
 * unmount fails with EBUSY until only the mount's own reference to its
 * root is left.  So a referenced vnode keeps vp->v_mount valid, and path
 * lookup needs no busy counting.
 */
#ifndef _VFS_MOUNT_H_
#define _VFS_MOUNT_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <lib/queue.h>

struct vnode;
struct statfs;

struct mount;

struct vfsops {
	const char	*vfs_name;
	/* Mount (or, with MS_REMOUNT in flags, update) a file system.
	 * source and options are kernel strings (may be NULL).  mnt_dev
	 * is preset to an anonymous device number; the fs may change it. */
	int	(*vfs_mount)(struct mount *, const char *source,
		    const char *options, unsigned long flags);
	/* Every vnode of the mount, the root included, has been
	 * reclaimed (mnt_root is NULL); free everything.  The mount is
	 * gone whatever this returns: errors are only reported. */
	int	(*vfs_unmount)(struct mount *, int mntflags);
	/* The inode number of the root directory. */
	ino_t	(*vfs_rootino)(struct mount *);
	int	(*vfs_statfs)(struct mount *, struct statfs *);
	int	(*vfs_sync)(struct mount *, bool wait);
	/* Fill in vp (v_type, v_op, v_data, v_rdev) for inode ino: 0, or
	 * ENOENT if there is no such inode. */
	int	(*vfs_loadvnode)(struct mount *, struct vnode *, ino_t);
	LIST_ENTRY(vfsops) vfs_list;	/* registry */
};

struct mount {
	const struct vfsops	*mnt_op;	/* constant */
	void			*mnt_data;	/* fs-private */
	unsigned long		 mnt_flag;	/* MS_*; mnt_busy exclusive */
	uint64_t		 mnt_id;	/* unique, constant */
	dev_t			 mnt_dev;	/* st_dev of its files */
	struct vnode		*mnt_root;	/* referenced root vnode */
	struct vnode		*mnt_vnodecovered; /* NULL for the root fs */
	krwlock_t		 mnt_busy;
	kmutex_t		 mnt_renamelock;
	int			 mnt_nvnodes;	/* vcache_lock */
	int			 mnt_nactive;	/* vcache_lock: vnodes that are
						   referenced or loading */
	bool			 mnt_gone;	/* mount_lock: unmounted */
	char			 mnt_fstype[16];
	char			*mnt_source;	/* kmem_strdup or NULL */
	TAILQ_ENTRY(mount)	 mnt_list;	/* mount_lock */
};

extern kmutex_t mount_lock;
extern struct vnode *rootvnode;		/* root of the root fs; mount_lock */

/* Set up mount_lock, the registry and the mount list (vfs init). */
void	mount_init(void);
/* Register a file system type: 0, EINVAL (name longer than 15) or
 * EEXIST. */
int	vfs_register(struct vfsops *);
int	vfs_busy(struct mount *);	/* 0, or ENOENT once unmounted */
void	vfs_unbusy(struct mount *);
bool	vfs_isrdonly(const struct mount *);
/* Mount the root file system at boot and set rootvnode. */
int	vfs_mountroot(const char *fstype);
/* rootvnode, referenced; NULL once the root file system is unmounted
 * at shutdown. */
struct vnode *vfs_getroot(void);

/*
 * Mount a file system of type fstype on the directory `covered'
 * (referenced and unlocked by the caller, who keeps its reference; the
 * mount takes its own).  flags are mount(2)'s (MS_MGC_VAL is ignored;
 * MS_REMOUNT: use vfs_remount; MS_BIND: EOPNOTSUPP); source and options
 * are kernel strings or NULL.  The caller checks privilege.  0, ENODEV
 * (unknown type), ENOTDIR, EBUSY (something is already mounted there),
 * ENOMEM, or the file system's error.
 */
int	vfs_domount(struct vnode *covered, const char *fstype,
	    const char *source, unsigned long flags, const char *options);
/* Change the flags and options of a mounted file system (MS_REMOUNT);
 * syncs first when going read-only.  0 or errno. */
int	vfs_remount(struct mount *, unsigned long flags, const char *options);
/*
 * Unmount mp.  The caller holds a reference to mp->mnt_root (from
 * namei; it keeps mp alive) and vfs_dounmount always consumes it.
 * mntflags: MNT_FORCE (sync errors do not stop the unmount; vnodes in
 * use still do) and UMOUNT_NOFOLLOW (a lookup flag, ignored here);
 * MNT_DETACH and MNT_EXPIRE: EOPNOTSUPP; others EINVAL.  EBUSY while
 * any vnode of mp other than its root is referenced, the root has other
 * references, or a file system is mounted on a directory in mp.
 */
int	vfs_dounmount(struct mount *, int mntflags);
/* The mount whose root directory vp is, or NULL (umount(2) checks its
 * target with this: EINVAL when NULL). */
struct mount *vfs_mountofroot(struct vnode *vp);
/* Sync every mounted file system. */
void	vfs_syncall(bool wait);
/* Unmount everything (shutdown), children first. */
void	vfs_unmountall(void);

/* Disk file systems: open the block device named by a mount source path
 * (a VBLK node) for exclusive use: 0, ENOTBLK (not a block device), ENXIO
 * (no driver), EBUSY (in use), EROFS (write access to a read-only
 * device), or a lookup error.  vfs_closedev releases it. */
struct bdev;
int	vfs_opendev(const char *source, bool write, struct bdev **);
void	vfs_closedev(struct bdev *);

/* Mount options "a,b=c,...": find key (the last one wins if repeated);
 * copy its value (or "" for a bare flag) into val, truncated to len - 1
 * characters.  True if present. */
bool	mntopt_get(const char *opts, const char *key, char *val, size_t len);
/* Check every option against a NULL-terminated list of known keys, and
 * that no value is longer than MNTOPT_VALMAX - 1 characters (so a val
 * buffer of MNTOPT_VALMAX never truncates): 0 or EINVAL (with a console
 * message naming the bad option). */
#define MNTOPT_VALMAX	64
int	mntopt_check(const char *fstype, const char *opts,
	    const char *const *known);

#endif /* _VFS_MOUNT_H_ */
