/*
 * rumpfs.h: the in-memory file system core.  One implementation, two
 * mountable types: rumpfs (the root file system, which also holds the
 * etfs host files) and tmpfs (kernel/fs/tmpfs, with size and inode
 * limits).  Both are in librumpvfs except tmpfs.c.
 *
 * A node is a file of any type.  Nodes live in a per-mount inode hash
 * (ino -> node) from which vfs_loadvnode builds vnodes; a node outlives
 * its vnode while it has links, and is freed when its last link and its
 * vnode are gone.  Regular files keep their data in 4 KiB pages hung off
 * a radix tree; directories keep entries in a list in cookie order plus a
 * name hash.
 *
 * Functions and types are named rfs_*: global names starting with "rump"
 * are the public API and escape the build's rumpns_ renaming.
 *
 * Locks: the vnode lock of a node (held by vfs per the VOP protocol in
 * vnode.h) protects the node's contents.  rm_lock (per mount) protects
 * the inode hash, the counters and limits, and the few node fields that
 * are reached without the node's own vnode lock: rn_parent, rn_atime,
 * rn_hasvnode, rn_nlink (written under both) and the readdir hints.
 * Lock order: vnode locks, then et_lock (etfs), then rm_lock; rm_lock is
 * a leaf and is never held across a sleep.
 */
#ifndef _FS_RUMPFS_RUMPFS_H_
#define _FS_RUMPFS_RUMPFS_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <abi/time.h>
#include <lib/queue.h>
#include <vfs/vnode.h>

struct mount;
struct statfs;
struct etfs;
struct uio;

#define RFS_PAGE_SIZE	4096
#define RFS_ROOTINO		2
#define RFS_MAXFILESIZE	((off_t)1 << 43)
#define RFS_LINK_MAX		UINT32_MAX
/* Directory size: this many bytes per entry, "." and ".." included. */
#define RFS_DIRENT_SIZE	20

/* A directory entry; the name is stored inline. */
struct rfs_dirent {
	TAILQ_ENTRY(rfs_dirent) de_list;	/* dir's vnode lock */
	struct rfs_dirent	*de_hnext;	/* dir's vnode lock */
	struct rfs_node		*de_node;	/* dir's vnode lock */
	off_t			 de_cookie;	/* constant */
	uint32_t		 de_hash;	/* constant */
	size_t			 de_namelen;	/* constant */
	char			 de_name[];	/* constant, NUL-terminated */
};

/* Directory contents; all under the directory's vnode lock. */
struct rfs_dir {
	TAILQ_HEAD(, rfs_dirent) rd_list;	/* ascending cookies */
	struct rfs_dirent	**rd_hash;	/* NULL: search rd_list */
	size_t			 rd_hashsize;	/* power of 2, or 0 */
	size_t			 rd_nentries;
	off_t			 rd_nextcookie;	/* next entry's cookie */
	/* Where the last readdir stopped: the first entry with a cookie of
	 * at least rd_hintoff, or NULL for no hint.  rm_lock. */
	struct rfs_dirent	*rd_hint;
	off_t			 rd_hintoff;
};

/* Regular file data: a radix tree of pages (rumpfs_node.c).  Height 0:
 * rd_root is page 0 itself. */
struct rfs_data {
	void			*rd_root;
	int			 rd_height;
	uint64_t		 rd_npages;	/* data pages allocated */
};

struct rfs_node {
	struct rfs_mount	*rn_mount;	/* constant */
	ino_t			 rn_ino;	/* constant */
	enum vtype		 rn_type;	/* constant */
	const struct vnodeops	*rn_vops;	/* constant */
	dev_t			 rn_rdev;	/* constant */
	struct etfs		*rn_etfs;	/* constant; NULL: in memory */
	LIST_ENTRY(rfs_node)	 rn_hashlink;	/* rm_lock */
	struct rfs_node		*rn_freenext;	/* release worklist only */
	bool			 rn_hasvnode;	/* rm_lock */
	struct rfs_node		*rn_parent;	/* dirs: rm_lock; NULL: gone */
	nlink_t			 rn_nlink;	/* vnode lock + rm_lock */
	mode_t			 rn_mode;	/* 07777 bits */
	uid_t			 rn_uid;
	gid_t			 rn_gid;
	off_t			 rn_size;
	struct timespec		 rn_atime;	/* rm_lock */
	struct timespec		 rn_mtime;
	struct timespec		 rn_ctime;
	struct timespec		 rn_btime;	/* constant */
	union {
		struct rfs_data	 rn_data;	/* VREG in memory */
		struct rfs_dir	 rn_dir;	/* VDIR */
		char		*rn_target;	/* VLNK, kmem_strdup */
	};
};

struct rfs_mount {
	kmutex_t		 rm_lock;
	struct mount		*rm_mp;		/* constant */
	const char		*rm_name;	/* constant: for messages */
	int64_t			 rm_magic;	/* constant: statfs f_type */
	struct rfs_node		*rm_root;	/* constant */
	LIST_HEAD(rfs_nodelist, rfs_node) *rm_hash; /* rm_lock */
	size_t			 rm_hashsize;	/* rm_lock, power of 2 */
	ino_t			 rm_nextino;	/* rm_lock */
	uint64_t		 rm_nnodes;	/* rm_lock */
	uint64_t		 rm_npages;	/* rm_lock */
	uint64_t		 rm_maxnodes;	/* rm_lock; 0: no limit */
	uint64_t		 rm_maxpages;	/* rm_lock; 0: no limit */
};

/* What a new mount looks like. */
struct rfs_args {
	const char	*ra_name;	/* "rumpfs", "tmpfs" */
	int64_t		 ra_magic;
	uint64_t	 ra_maxpages;	/* 0: no limit */
	uint64_t	 ra_maxnodes;	/* 0: no limit */
	mode_t		 ra_rootmode;
	uid_t		 ra_rootuid;
	gid_t		 ra_rootgid;
};

/* What a new node looks like. */
struct rfs_newnode {
	enum vtype		 nn_type;
	mode_t			 nn_mode;
	uid_t			 nn_uid;
	gid_t			 nn_gid;
	dev_t			 nn_rdev;
	off_t			 nn_size;	/* etfs: the host window */
	const struct vnodeops	*nn_vops;	/* NULL: rfs_vnodeops */
	/* Taken over by the node (and freed if making it fails): */
	struct etfs		*nn_etfs;	/* host file, or NULL */
	char			*nn_target;	/* VLNK: kmem_strdup'ed */
};

#define RFS_MOUNT(mp)	((struct rfs_mount *)(mp)->mnt_data)
#define RFS_NODE(vp)		((struct rfs_node *)(vp)->v_data)

extern const struct vnodeops rfs_vnodeops;

/* Mounts (rumpfs_vfsops.c); tmpfs builds its vfsops from these. */
int	rfs_mount_create(struct mount *, const struct rfs_args *);
/* Change the limits of a mounted fs (NULL: unchanged); EINVAL if below
 * what is in use. */
int	rfs_mount_setlimits(struct mount *, const uint64_t *maxpages,
	    const uint64_t *maxnodes);
int	rfs_unmount(struct mount *, int);
ino_t	rfs_rootino(struct mount *);
int	rfs_statfs(struct mount *, struct statfs *);
int	rfs_sync(struct mount *, bool);
int	rfs_loadvnode(struct mount *, struct vnode *, ino_t);

/* Nodes and the inode table (rumpfs_node.c). */
int	rfs_node_alloc(struct rfs_mount *, const struct rfs_newnode *,
	    struct rfs_node **);
/* Free what a new node would have taken over. */
void	rfs_newnode_discard(const struct rfs_newnode *);
/* Free a node that nothing refers to any more, nor its vnode. */
void	rfs_node_destroy(struct rfs_node *);
/* A node with no links lost its vnode (or never had one): free it and
 * drop the links it holds on its entries (etfs directories). */
void	rfs_node_release(struct rfs_node *);
/* The node for a new vnode: 0 or ENOENT. */
int	rfs_node_getvnode(struct rfs_mount *, ino_t,
	    struct rfs_node **);
/* The vnode of a node was reclaimed: true if the node must go now. */
bool	rfs_node_putvnode(struct rfs_node *);
void	rfs_node_addlink(struct rfs_node *, int);
/* A directory lost its name: no links, no parent. */
void	rfs_node_orphan(struct rfs_node *);
/* The inode number of a directory's parent; 0 once it is removed. */
ino_t	rfs_node_parentino(struct rfs_node *);
void	rfs_node_setparent(struct rfs_node *, struct rfs_node *);
#define RFS_TOUCH_MTIME	0x01
#define RFS_TOUCH_CTIME	0x02
void	rfs_node_touch(struct rfs_node *, int);
/* A read or readdir happened: update atime the relatime way. */
void	rfs_node_accessed(struct rfs_node *);
void	rfs_node_getatime(struct rfs_node *, struct timespec *);
void	rfs_node_setatime(struct rfs_node *, const struct timespec *);

/* Regular file data (rumpfs_node.c); vnode lock held. */
int	rfs_data_read(struct rfs_node *, struct uio *);
int	rfs_data_write(struct rfs_node *, struct uio *, int ioflag);
int	rfs_data_truncate(struct rfs_node *, off_t);

/* Directories (rumpfs_dir.c); the directory's vnode lock held. */
void	rfs_dir_init(struct rfs_node *);
struct rfs_dirent *rfs_dir_lookup(struct rfs_node *, const char *,
	    size_t);
int	rfs_dir_enter(struct rfs_node *, const char *, size_t,
	    struct rfs_node *);
void	rfs_dir_remove(struct rfs_node *, struct rfs_dirent *);
/* A name in the directory no longer refers to node: drop the link (a
 * directory loses its links, its parent and its ".." in the dir). */
void	rfs_dir_droplink(struct rfs_node *, struct rfs_node *);
/* Remove the entry and drop the link it held. */
void	rfs_dir_unlink(struct rfs_node *, struct rfs_dirent *);
int	rfs_dir_readdir(struct rfs_node *, struct dirctx *);
/* Free every entry (not the nodes); the directory is being destroyed. */
void	rfs_dir_free(struct rfs_node *);

/* The vnode operations, for etfs to compose its own tables from. */
int	rfs_vop_lookup(struct vnode *, const char *, size_t,
	    struct vnode **);
int	rfs_vop_create(struct vnode *, const char *, size_t,
	    const struct vattr *, struct vnode **);
int	rfs_vop_mkdir(struct vnode *, const char *, size_t,
	    const struct vattr *, struct vnode **);
int	rfs_vop_symlink(struct vnode *, const char *, size_t,
	    const struct vattr *, const char *, struct vnode **);
int	rfs_vop_link(struct vnode *, const char *, size_t,
	    struct vnode *);
int	rfs_vop_remove(struct vnode *, const char *, size_t,
	    struct vnode *);
int	rfs_vop_rmdir(struct vnode *, const char *, size_t,
	    struct vnode *);
int	rfs_vop_rename(struct vnode *, const char *, size_t,
	    struct vnode *, struct vnode *, const char *, size_t,
	    struct vnode *, unsigned int);
int	rfs_vop_getattr(struct vnode *, struct vattr *);
int	rfs_vop_setattr(struct vnode *, const struct vattr *);
int	rfs_vop_read(struct vnode *, struct uio *, int);
int	rfs_vop_write(struct vnode *, struct uio *, int);
int	rfs_vop_readdir(struct vnode *, struct dirctx *);
int	rfs_vop_readlink(struct vnode *, struct uio *);
int	rfs_vop_fsync(struct vnode *, int);
int	rfs_vop_inactive(struct vnode *, bool *);
void	rfs_vop_reclaim(struct vnode *);
/* Make a node in a locked directory and return its vnode (if vpp is
 * not NULL).  The caller updates the directory's timestamps. */
int	rfs_makenode(struct vnode *, const char *, size_t,
	    const struct rfs_newnode *, struct vnode **);
/* rfs_makenode, then the directory's mtime and ctime change as for any
 * new name. */
int	rfs_makenode_touch(struct vnode *, const char *, size_t,
	    const struct rfs_newnode *, struct vnode **);
/* Remove an entry and the link it holds, as unlink and rmdir do: the
 * node's ctime and the directory's mtime and ctime change. */
void	rfs_removeentry(struct rfs_node *, struct rfs_dirent *);

/* etfs (etfs.c): host files in the rumpfs name space. */
void	etfs_free(struct etfs *);

#endif /* _FS_RUMPFS_RUMPFS_H_ */
