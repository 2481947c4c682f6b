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

#define RUMPFS_PAGE_SIZE	4096
#define RUMPFS_ROOTINO		2
#define RUMPFS_MAXFILESIZE	((off_t)1 << 43)
#define RUMPFS_LINK_MAX		UINT32_MAX
/* Directory size: this many bytes per entry, "." and ".." included. */
#define RUMPFS_DIRENT_SIZE	20

/* A directory entry; the name is stored inline. */
struct rumpfs_dirent {
	TAILQ_ENTRY(rumpfs_dirent) de_list;	/* dir's vnode lock */
	struct rumpfs_dirent	*de_hnext;	/* dir's vnode lock */
	struct rumpfs_node	*de_node;	/* dir's vnode lock */
	off_t			 de_cookie;	/* constant */
	uint32_t		 de_hash;	/* constant */
	size_t			 de_namelen;	/* constant */
	char			 de_name[];	/* constant, NUL-terminated */
};

/* Directory contents; all under the directory's vnode lock. */
struct rumpfs_dir {
	TAILQ_HEAD(, rumpfs_dirent) rd_list;	/* ascending cookies */
	struct rumpfs_dirent	**rd_hash;	/* NULL: search rd_list */
	size_t			 rd_hashsize;	/* power of 2, or 0 */
	size_t			 rd_nentries;
	off_t			 rd_nextcookie;	/* next entry's cookie */
	/* Where the last readdir stopped: the first entry with a cookie of
	 * at least rd_hintoff, or NULL for no hint.  rm_lock. */
	struct rumpfs_dirent	*rd_hint;
	off_t			 rd_hintoff;
};

/* Regular file data: a radix tree of pages, RUMPFS_RADIX_FANOUT wide.
 * Height 0: rd_root is page 0 itself. */
struct rumpfs_data {
	void			*rd_root;
	int			 rd_height;
	uint64_t		 rd_npages;	/* data pages allocated */
};

struct rumpfs_node {
	struct rumpfs_mount	*rn_mount;	/* constant */
	ino_t			 rn_ino;	/* constant */
	enum vtype		 rn_type;	/* constant */
	const struct vnodeops	*rn_vops;	/* constant */
	dev_t			 rn_rdev;	/* constant */
	struct etfs		*rn_etfs;	/* constant; NULL: in memory */
	LIST_ENTRY(rumpfs_node)	 rn_hashlink;	/* rm_lock */
	struct rumpfs_node	*rn_freenext;	/* release worklist only */
	bool			 rn_hasvnode;	/* rm_lock */
	struct rumpfs_node	*rn_parent;	/* dirs: rm_lock; NULL: gone */
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
		struct rumpfs_data rn_data;	/* VREG in memory */
		struct rumpfs_dir rn_dir;	/* VDIR */
		char		*rn_target;	/* VLNK, kmem_strdup */
	};
};

struct rumpfs_mount {
	kmutex_t		 rm_lock;
	struct mount		*rm_mp;		/* constant */
	const char		*rm_name;	/* constant: for messages */
	int64_t			 rm_magic;	/* constant: statfs f_type */
	struct rumpfs_node	*rm_root;	/* constant */
	LIST_HEAD(rumpfs_nodelist, rumpfs_node) *rm_hash; /* rm_lock */
	size_t			 rm_hashsize;	/* rm_lock, power of 2 */
	ino_t			 rm_nextino;	/* rm_lock */
	uint64_t		 rm_nnodes;	/* rm_lock */
	uint64_t		 rm_npages;	/* rm_lock */
	uint64_t		 rm_maxnodes;	/* rm_lock; 0: no limit */
	uint64_t		 rm_maxpages;	/* rm_lock; 0: no limit */
};

/* What a new mount looks like. */
struct rumpfs_args {
	const char	*ra_name;	/* "rumpfs", "tmpfs" */
	int64_t		 ra_magic;
	uint64_t	 ra_maxpages;	/* 0: no limit */
	uint64_t	 ra_maxnodes;	/* 0: no limit */
	mode_t		 ra_rootmode;
	uid_t		 ra_rootuid;
	gid_t		 ra_rootgid;
};

/* What a new node looks like. */
struct rumpfs_newnode {
	enum vtype		 nn_type;
	mode_t			 nn_mode;
	uid_t			 nn_uid;
	gid_t			 nn_gid;
	dev_t			 nn_rdev;
	const struct vnodeops	*nn_vops;	/* NULL: rumpfs_vnodeops */
	/* Taken over by the node (and freed if making it fails): */
	struct etfs		*nn_etfs;	/* host file, or NULL */
	char			*nn_target;	/* VLNK: kmem_strdup'ed */
};

#define RUMPFS_MOUNT(mp)	((struct rumpfs_mount *)(mp)->mnt_data)
#define RUMPFS_NODE(vp)		((struct rumpfs_node *)(vp)->v_data)

extern const struct vnodeops rumpfs_vnodeops;

/* Mounts (rumpfs_vfsops.c); tmpfs builds its vfsops from these. */
int	rumpfs_mount_create(struct mount *, const struct rumpfs_args *);
/* Change the limits of a mounted fs (NULL: unchanged); EINVAL if below
 * what is in use. */
int	rumpfs_mount_setlimits(struct mount *, const uint64_t *maxpages,
	    const uint64_t *maxnodes);
int	rumpfs_unmount(struct mount *, int);
ino_t	rumpfs_rootino(struct mount *);
int	rumpfs_statfs(struct mount *, struct statfs *);
int	rumpfs_sync(struct mount *, bool);
int	rumpfs_loadvnode(struct mount *, struct vnode *, ino_t);

/* Nodes and the inode table (rumpfs_node.c). */
int	rumpfs_node_alloc(struct rumpfs_mount *, const struct rumpfs_newnode *,
	    struct rumpfs_node **);
/* Free a node that nothing refers to any more, nor its vnode. */
void	rumpfs_node_destroy(struct rumpfs_node *);
/* A node with no links lost its vnode (or never had one): free it and
 * drop the links it holds on its entries (etfs directories). */
void	rumpfs_node_release(struct rumpfs_node *);
/* The node for a new vnode: 0 or ENOENT. */
int	rumpfs_node_getvnode(struct rumpfs_mount *, ino_t,
	    struct rumpfs_node **);
/* The vnode of a node was reclaimed: true if the node must go now. */
bool	rumpfs_node_putvnode(struct rumpfs_node *);
void	rumpfs_node_addlink(struct rumpfs_node *, int);
/* A directory lost its name: no links, no parent. */
void	rumpfs_node_orphan(struct rumpfs_node *);
/* The inode number of a directory's parent; 0 once it is removed. */
ino_t	rumpfs_node_parentino(struct rumpfs_node *);
void	rumpfs_node_setparent(struct rumpfs_node *, struct rumpfs_node *);
#define RUMPFS_TOUCH_MTIME	0x01
#define RUMPFS_TOUCH_CTIME	0x02
void	rumpfs_node_touch(struct rumpfs_node *, int);
/* A read or readdir happened: update atime the relatime way. */
void	rumpfs_node_accessed(struct rumpfs_node *);
void	rumpfs_node_getatime(struct rumpfs_node *, struct timespec *);
void	rumpfs_node_setatime(struct rumpfs_node *, const struct timespec *);

/* Regular file data (rumpfs_node.c); vnode lock held. */
int	rumpfs_data_read(struct rumpfs_node *, struct uio *);
int	rumpfs_data_write(struct rumpfs_node *, struct uio *, int ioflag);
int	rumpfs_data_truncate(struct rumpfs_node *, off_t);

/* Directories (rumpfs_dir.c); the directory's vnode lock held. */
void	rumpfs_dir_init(struct rumpfs_node *);
struct rumpfs_dirent *rumpfs_dir_lookup(struct rumpfs_node *, const char *,
	    size_t);
int	rumpfs_dir_enter(struct rumpfs_node *, const char *, size_t,
	    struct rumpfs_node *);
void	rumpfs_dir_remove(struct rumpfs_node *, struct rumpfs_dirent *);
/* A name in the directory no longer refers to node: drop the link (a
 * directory loses its links, its parent and its ".." in the dir). */
void	rumpfs_dir_droplink(struct rumpfs_node *, struct rumpfs_node *);
/* Remove the entry and drop the link it held. */
void	rumpfs_dir_unlink(struct rumpfs_node *, struct rumpfs_dirent *);
int	rumpfs_dir_readdir(struct rumpfs_node *, struct dirctx *);
/* Free every entry (not the nodes); the directory is being destroyed. */
void	rumpfs_dir_free(struct rumpfs_node *);

/* The vnode operations, for etfs to compose its own tables from. */
int	rumpfs_vop_lookup(struct vnode *, const char *, size_t,
	    struct vnode **);
int	rumpfs_vop_create(struct vnode *, const char *, size_t,
	    const struct vattr *, struct vnode **);
int	rumpfs_vop_mkdir(struct vnode *, const char *, size_t,
	    const struct vattr *, struct vnode **);
int	rumpfs_vop_symlink(struct vnode *, const char *, size_t,
	    const struct vattr *, const char *, struct vnode **);
int	rumpfs_vop_link(struct vnode *, const char *, size_t,
	    struct vnode *);
int	rumpfs_vop_remove(struct vnode *, const char *, size_t,
	    struct vnode *);
int	rumpfs_vop_rmdir(struct vnode *, const char *, size_t,
	    struct vnode *);
int	rumpfs_vop_rename(struct vnode *, const char *, size_t,
	    struct vnode *, struct vnode *, const char *, size_t,
	    struct vnode *, unsigned int);
int	rumpfs_vop_getattr(struct vnode *, struct vattr *);
int	rumpfs_vop_setattr(struct vnode *, const struct vattr *);
int	rumpfs_vop_readdir(struct vnode *, struct dirctx *);
int	rumpfs_vop_readlink(struct vnode *, struct uio *);
int	rumpfs_vop_fsync(struct vnode *, int);
int	rumpfs_vop_inactive(struct vnode *, bool *);
void	rumpfs_vop_reclaim(struct vnode *);
/* Make a node in a locked directory and return its vnode. */
int	rumpfs_makenode(struct vnode *, const char *, size_t,
	    const struct rumpfs_newnode *, struct vnode **);

/* etfs (etfs.c): host files in the rumpfs name space. */
void	etfs_free(struct etfs *);

/* The public etfs API of include/rump/rump.h, restated for the
 * freestanding kernel (which cannot include that host header). */
enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR,
	RUMP_ETFS_DIR,
	RUMP_ETFS_DIR_SUBDIRS
};
#define RUMP_ETFS_SIZE_ENDOFF	((uint64_t)-1)

int	rump_pub_etfs_register(const char *, const char *,
	    enum rump_etfs_type);
int	rump_pub_etfs_register_withsize(const char *, const char *,
	    enum rump_etfs_type, uint64_t, uint64_t);
int	rump_pub_etfs_remove(const char *);

#endif /* _FS_RUMPFS_RUMPFS_H_ */
