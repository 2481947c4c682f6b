/*
 * ext2.h: the in-core state of the ext2 driver (component
 * librumpfs_ext2) and the interfaces between its files:
 *
 *  ext2_super.c   superblock and group descriptors: reading, checking,
 *                 features, writing back, the clean flag, corruption
 *  ext2_vfsops.c  mounting, remounting, unmounting, statfs, sync
 *  ext2_alloc.c   block and inode bitmaps, free counts, placement
 *  ext2_inode.c   in-core inodes: loading, checking, fields, writing
 *  ext2_bmap.c    file block -> disk block maps, allocation, truncation
 *  ext2_dir.c     the directory format
 *  ext2_htree.c   hash indexes of directories (dir_index)
 *  ext2_hash.c    the name hashes of those indexes
 *  ext2_rdwr.c    file data: read, write, symlink targets
 *  ext2_atime.c   access times (relatime, strictatime, noatime)
 *  ext2_vnops.c   the vnode operations (ext2_rename.c: rename)
 *
 * Locks, in order: vnode locks (the VOP protocol in vnode.h; a node's
 * fields are protected by its vnode's lock); em_atlock (access times of
 * nodes locked shared, see ext2_atime.c); then buffers of files (busy:
 * at most one at a time, except a single indirect block held while the
 * blocks it lists are freed); then em_lock (allocation state, free
 * counts, the superblock and descriptor copies); then the bitmap,
 * superblock and descriptor buffers, one at a time, taken only under
 * em_lock, which is held across their I/O.
 */
#ifndef _FS_EXT2_EXT2_H_
#define _FS_EXT2_EXT2_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <abi/errno.h>
#include <abi/time.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2_fs.h>

struct bdev;
struct buf;
struct mount;
struct uio;

/* The error for anything inconsistent found on disk. */
#define EXT2_ECORRUPT	EUCLEAN

/* What one block group holds. */
struct ext2_group {
	uint32_t	eg_block_bitmap;	/* constant */
	uint32_t	eg_inode_bitmap;	/* constant */
	uint32_t	eg_inode_table;		/* constant */
	uint32_t	eg_first;		/* constant: first block */
	uint32_t	eg_nblocks;		/* constant: blocks in it */
	uint32_t	eg_meta;		/* constant: superblock copy and
						   descriptor blocks at its
						   start (0 if none) */
	uint32_t	eg_free_blocks;		/* em_lock */
	uint32_t	eg_free_inodes;		/* em_lock */
	uint32_t	eg_used_dirs;		/* em_lock */
};

struct ext2_mount {
	struct bdev		*em_dev;	/* constant */
	const char		*em_name;	/* constant: "ext2", "ext3" */
	kmutex_t		 em_lock;
	/* Geometry, checked at mount, constant: */
	uint32_t		 em_bsize;	/* block size */
	uint32_t		 em_bshift;	/* log2(em_bsize) */
	uint32_t		 em_nindir;	/* pointers per block */
	uint32_t		 em_nindirshift;
	uint32_t		 em_blocks;	/* s_blocks_count */
	uint32_t		 em_firstdata;	/* s_first_data_block */
	uint32_t		 em_bpg;	/* blocks per group */
	uint32_t		 em_ipg;	/* inodes per group */
	uint32_t		 em_ngroups;
	uint32_t		 em_inodes;	/* s_inodes_count */
	uint32_t		 em_inodesize;
	uint32_t		 em_ipb;	/* inodes per block */
	uint32_t		 em_itblocks;	/* inode table blocks/group */
	uint32_t		 em_firstino;	/* first non-reserved inode */
	uint32_t		 em_gdtblocks;	/* descriptor table blocks */
	uint32_t		 em_rsvgdt;	/* reserved GDT blocks */
	uint32_t		 em_rev;
	uint32_t		 em_compat;
	uint32_t		 em_incompat;
	uint32_t		 em_rocompat;	/* em_lock (large_file) */
	uint32_t		 em_rblocks;	/* reserved for root */
	uid_t			 em_resuid;
	gid_t			 em_resgid;
	uint64_t		 em_overhead;	/* metadata blocks */
	uint64_t		 em_maxsize;	/* largest file, bytes */
	bool			 em_filetype;	/* dirents carry types */
	bool			 em_dirindex;	/* dir_index: hash indexes */
	bool			 em_hashunsigned; /* names hash as unsigned
						   chars */
	uint8_t			 em_defhash;	/* hash version of new
						   indexes */
	uint32_t		 em_hashseed[4]; /* s_hash_seed, host order */
	/* Mount state: */
	bool			 em_ronly;	/* mnt_busy exclusive */
	int			 em_atime;	/* mnt_busy exclusive:
						   EXT2_ATIME_* */
	bool			 em_nodiratime;	/* mnt_busy exclusive */
	kmutex_t		 em_atlock;	/* i_atime of nodes locked
						   shared; see ext2_atime.c */
	bool			 em_error;	/* atomic: corruption seen */
	bool			 em_dirty;	/* em_lock: sb/gd changed */
	uint32_t		 em_norphans;	/* em_lock: unlinked inodes
						   still in use */
	uint32_t		 em_freeblocks;	/* em_lock */
	uint32_t		 em_freeinodes;	/* em_lock */
	struct ext2_group	*em_groups;	/* em_ngroups; see fields */
	void			*em_gdraw;	/* em_lock: descriptor table
						   as on disk, em_gdtblocks
						   blocks */
	struct ext2_super	 em_sb;		/* em_lock: as on disk */
};

/* An in-core inode: the vnode's v_data. */
struct ext2_node {
	struct ext2_mount	*en_mount;	/* constant */
	ino_t			 en_ino;	/* constant */
	enum vtype		 en_type;	/* constant */
	/* The on-disk inode, em_inodesize bytes; vnode lock. */
	struct ext2_dinode	*en_din;
	/* Where the last block was allocated (placement hint); vnode
	 * lock. */
	uint32_t		 en_lastlbn;
	uint32_t		 en_lastpbn;
	bool			 en_orphan;	/* vnode lock: unlinked, freed
						   at reclaim */
	uint64_t		 en_rdnext;	/* atomic: where the last read
						   ended (read-ahead hint) */
};

#define VFSTOEXT2(mp)	((struct ext2_mount *)(mp)->mnt_data)
#define VTOEN(vp)	((struct ext2_node *)(vp)->v_data)

extern const struct vnodeops ext2_vnodeops;

/* ---- ext2_super.c --------------------------------------------------- */
/* Read and check the superblock and group descriptors of em_dev. */
int	ext2_super_load(struct ext2_mount *);
/* May the file system be mounted (rw: for writing)?  0, EINVAL
 * (unsupported incompat feature) or EROFS. */
int	ext2_super_features(struct ext2_mount *, bool rw);
/* Write the superblock and descriptors (if changed, or `force') with
 * the clean flag set or cleared, then flush the device. */
int	ext2_super_write(struct ext2_mount *, bool clean, bool force);
void	ext2_super_free(struct ext2_mount *);
/* Report corruption: a console message, the error flag for the
 * superblock; returns EXT2_ECORRUPT. */
int	ext2_corrupt(struct ext2_mount *, const char *, ...)
	    __printflike(2, 3);
/* Can bno be a data or indirect block: inside the file system and not
 * one of its group's superblock copy, descriptors, bitmaps or inode
 * table? */
bool	ext2_blkok(const struct ext2_mount *, uint32_t bno);
uint64_t ext2_boff(const struct ext2_mount *, uint32_t bno);

/* ---- ext2_alloc.c --------------------------------------------------- */
/* Allocate a block, near goal if it can: 0, ENOSPC or errno. */
int	ext2_blkalloc(struct ext2_mount *, uint32_t goal, uint32_t *bnop);
int	ext2_blkfree(struct ext2_mount *, uint32_t bno);
/* Allocate an inode for a new file in directory dino. */
int	ext2_ialloc(struct ext2_mount *, ino_t dino, bool isdir,
	    ino_t *inop);
int	ext2_ifree(struct ext2_mount *, ino_t, bool isdir);
/* Where the blocks of inode ino should go: after its group's inode
 * table. */
uint32_t ext2_inogoal(const struct ext2_mount *, ino_t);

/* ---- ext2_inode.c --------------------------------------------------- */
int	ext2_node_load(struct ext2_mount *, struct vnode *, ino_t);
void	ext2_node_free(struct ext2_node *);
/* Write the in-core inode back to its inode table block. */
int	ext2_node_update(struct ext2_node *);
/* Initialise a new inode on disk (not yet in any directory) and write
 * it: mode includes the type. */
int	ext2_node_create(struct ext2_mount *, ino_t, mode_t,
	    const struct vattr *);
/* Free an unlinked node's blocks and inode (reclaim). */
void	ext2_node_destroy(struct ext2_node *);
/* Free a new inode that never got a vnode. */
void	ext2_node_discard(struct ext2_mount *, ino_t, bool isdir);
mode_t	ext2_n_mode(const struct ext2_node *);
void	ext2_n_setmode(struct ext2_node *, mode_t perms);
uint64_t ext2_n_size(const struct ext2_node *);
/* Set the size; a regular file past 2 GiB gets large_file. */
void	ext2_n_setsize(struct ext2_node *, uint64_t);
uint32_t ext2_n_nlink(const struct ext2_node *);
void	ext2_n_setnlink(struct ext2_node *, uint32_t);
uint32_t ext2_n_flags(const struct ext2_node *);
void	ext2_n_setflags(struct ext2_node *, uint32_t);
uint64_t ext2_n_blocks(const struct ext2_node *);	/* 512-byte */
/* Count fs blocks in (n > 0) or out (n < 0) of i_blocks. */
void	ext2_n_addblocks(struct ext2_node *, int n);
uid_t	ext2_n_uid(const struct ext2_node *);
gid_t	ext2_n_gid(const struct ext2_node *);
void	ext2_n_setowner(struct ext2_node *, uid_t, gid_t);
#define EXT2_ATIME	0
#define EXT2_MTIME	1
#define EXT2_CTIME	2
#define EXT2_CRTIME	3
void	ext2_n_gettime(const struct ext2_node *, int, struct timespec *);
void	ext2_n_settime(struct ext2_node *, int, const struct timespec *);
/* Set mtime and/or ctime to now. */
#define EXT2_TOUCH_M	0x01
#define EXT2_TOUCH_C	0x02
void	ext2_n_touch(struct ext2_node *, int);
uint32_t ext2_n_blkptr(const struct ext2_node *, int);
void	ext2_n_setblkptr(struct ext2_node *, int, uint32_t);
/* Is the symlink's target stored in i_block? */
bool	ext2_n_fastlink(const struct ext2_node *);
/* Does i_block hold block pointers (not a device or a fast symlink)? */
bool	ext2_n_hasblocks(const struct ext2_node *);
/* The target of a fast symlink (i_block, up to 59 bytes). */
const char *ext2_n_linkdata(const struct ext2_node *);
void	ext2_n_setlinkdata(struct ext2_node *, const char *, size_t);
/* Refuse changes to immutable or append-only files: 0 or EPERM. */
int	ext2_n_canchange(const struct ext2_node *);

/* ---- ext2_bmap.c ---------------------------------------------------- */
/* The disk block of file block lbn; 0 for a hole. */
int	ext2_bmap(struct ext2_node *, uint64_t lbn, uint32_t *pbnp);
/* The same, allocating the block (and indirect blocks) in a hole;
 * *newp tells whether the block is new (its contents are garbage). */
int	ext2_bmap_alloc(struct ext2_node *, uint64_t lbn, uint32_t *pbnp,
	    bool *newp);
/* Free the data block at file block lbn (a new block that could not be
 * used), leaving a hole. */
int	ext2_bmap_unmap(struct ext2_node *, uint64_t lbn);
/* Free every block from file block lbn on. */
int	ext2_bmap_truncate(struct ext2_node *, uint64_t lbn);

/* ---- ext2_dir.c ----------------------------------------------------- */
/* An entry found in a directory. */
struct ext2_slot {
	ino_t		 es_ino;
	int		 es_type;	/* EXT2_FT_* */
	uint64_t	 es_off;	/* byte offset of the entry */
};
int	ext2_dir_lookup(struct ext2_node *, const char *, size_t,
	    struct ext2_slot *);
int	ext2_dir_enter(struct ext2_node *, const char *, size_t, ino_t,
	    enum vtype);
/* Remove the entry es (from ext2_dir_lookup, still valid). */
int	ext2_dir_remove(struct ext2_node *, const struct ext2_slot *);
/* Point the entry es at another inode. */
int	ext2_dir_rewrite(struct ext2_node *, const struct ext2_slot *,
	    ino_t, enum vtype);
/* 0 if only ".", ".." and unused entries are left; ENOTEMPTY. */
int	ext2_dir_isempty(struct ext2_node *);
/* The first block of a new directory: "." and "..". */
int	ext2_dir_init(struct ext2_node *, ino_t parent);
int	ext2_dir_readdir(struct ext2_node *, struct dirctx *);
/* For ext2_htree.c: */
/* A checked directory entry. */
struct ext2_dent {
	uint32_t	 d_ino;
	uint32_t	 d_reclen;
	uint32_t	 d_namelen;
	int		 d_type;	/* EXT2_FT_* */
	const char	*d_name;
};
/* Read directory block lbn. */
int	ext2_dir_bread(struct ext2_node *, uint64_t lbn, struct buf **);
/* Check the entry at off of directory block lbn (data). */
int	ext2_dent_get(struct ext2_node *, const void *data, uint64_t lbn,
	    uint32_t off, struct ext2_dent *);
/* Write an entry at off of a block (rec_len given). */
void	ext2_dent_put(struct ext2_node *, void *data, uint32_t off,
	    uint32_t reclen, const char *, size_t, ino_t, enum vtype);
/* Look the name up in block lbn only: 0 or ENOENT. */
int	ext2_dir_findin(struct ext2_node *, uint64_t lbn, const char *,
	    size_t, struct ext2_slot *);
/* Enter the name into block lbn if it has room: 0 or ENOSPC. */
int	ext2_dir_enterin(struct ext2_node *, uint64_t lbn, const char *,
	    size_t, ino_t, enum vtype);
/* Add a zeroed block at the end of the directory; it is returned
 * busy, to be filled and released at once. */
int	ext2_dir_newblock(struct ext2_node *, uint64_t *lbnp,
	    struct buf **);

/* ---- ext2_htree.c, ext2_hash.c -------------------------------------- */
/* Is dn's hash index to be used (dir_index on, EXT2_INDEX_FL set)? */
bool	ext2_dx_indexed(const struct ext2_node *);
/* Look the name up through the index: 0, ENOENT, an error; on
 * EXT2_ECORRUPT or EOPNOTSUPP (unknown hash) the index is unusable and
 * the caller searches linearly. */
int	ext2_dx_lookup(struct ext2_node *, const char *, size_t,
	    struct ext2_slot *);
/* Enter a name through the index, splitting blocks as needed; errors
 * as for ext2_dx_lookup. */
int	ext2_dx_enter(struct ext2_node *, const char *, size_t, ino_t,
	    enum vtype);
/* Turn a full one-block directory into an indexed one and enter the
 * name: 0, an error, or EOPNOTSUPP when it cannot be indexed (unknown
 * default hash, no "." and ".." to keep). */
int	ext2_dx_convert(struct ext2_node *, const char *, size_t, ino_t,
	    enum vtype);
/* Hash a name with hash version (EXT2_HASH_*, + EXT2_HASH_UNSIGNED)
 * and seed: 0 or EINVAL; the minor hash is optional. */
int	ext2_dirhash(int version, const uint32_t seed[4], const char *,
	    size_t, uint32_t *hashp, uint32_t *minorp);

/* ---- ext2_rdwr.c ---------------------------------------------------- */
int	ext2_read(struct ext2_node *, struct uio *);
int	ext2_write(struct ext2_node *, struct uio *, int ioflag);
/* Change the size of a regular file (zeroes, frees blocks). */
int	ext2_truncate(struct ext2_node *, uint64_t);
int	ext2_readlink(struct ext2_node *, struct uio *);
/* Store a new symlink's target. */
int	ext2_writelink(struct ext2_node *, const char *, size_t);

/* ---- ext2_atime.c --------------------------------------------------- */
#define EXT2_ATIME_REL		0	/* relatime (default) */
#define EXT2_ATIME_STRICT	1
#define EXT2_ATIME_NONE		2
/* Set the policy from mount options and MS_* flags. */
void	ext2_atime_opts(struct ext2_mount *, const char *, unsigned long);
/* The node (locked, either mode) was read, listed or followed. */
void	ext2_accessed(struct ext2_node *);
/* The access time of a node locked in either mode. */
void	ext2_atime_get(struct ext2_node *, struct timespec *);

/* ---- ext2_vnops.c, ext2_rename.c ------------------------------------ */
int	ext2_rename(struct vnode *, const char *, size_t, struct vnode *,
	    struct vnode *, const char *, size_t, struct vnode *,
	    unsigned int);
/* A name of node en in directory dn is gone: drop the link (a
 * directory loses its links and its ".." link to dn), touch ctime and
 * write en back. */
int	ext2_droplink(struct ext2_node *dn, struct ext2_node *en);
/* The entry name in dn, which must refer to en: 0, ENOTDIR, ENOENT. */
int	ext2_entry_of(struct ext2_node *dn, const char *, size_t,
	    struct ext2_node *en, struct ext2_slot *);
/* ext2_node_update() with a console message on failure. */
int	ext2_update(struct ext2_node *);

#endif /* _FS_EXT2_EXT2_H_ */
