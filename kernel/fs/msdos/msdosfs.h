/*
 * msdosfs.h: the in-core state of the FAT driver (component
 * librumpfs_msdos) and the interfaces between its files:
 *
 *  msdosfs_vfsops.c  mount options, mounting, remounting, unmounting,
 *                    statfs, sync, loading vnodes, registration
 *  msdosfs_bpb.c     the boot sector, FSInfo, the clean flag, the label
 *  msdosfs_fat.c     FAT entries, chains, cluster allocation, free count
 *  msdosfs_name.c    names: UTF-8/UTF-16, 8.3 names, long name entries
 *  msdosfs_dir.c     directory slots: scanning, lookup, removing,
 *                    readdir (msdosfs_enter.c: entering names;
 *                    msdosfs_dirhash.c: the name index)
 *  msdosfs_node.c    in-core nodes: inode numbers, loading, attributes,
 *                    times, writing the directory entry back
 *  msdosfs_rdwr.c    file data: cluster map, read, write, truncate
 *  msdosfs_vnops.c   the vnode operations (msdosfs_rename.c: rename)
 *
 * Inode numbers: FAT has none.  The root is MSDOS_ROOTINO; a directory
 * is MSDOS_DIRINO + its start cluster; a file is its 8.3 entry's volume
 * byte offset / 32 + 2 (so a rename changes it: vcache_rekey); a removed
 * file or directory still in use gets MSDOS_ORPHANINO + a counter.
 *
 * Locks, in order: vnode locks (the VOP protocol in vnode.h; a node's
 * fields are protected by its vnode's lock); md_loadlock (held across
 * vcache_get so vfs_loadvnode finds the directory entry to load in
 * md_load); a directory node's dn_hlock (its name index; held across
 * lookups and entering or removing names); a directory block buffer (at
 * most one at a time); md_lock (FAT, free count, allocation hint,
 * FSInfo), held across the I/O of FAT and FSInfo sector buffers, which
 * are taken only under it.
 */
#ifndef _FS_MSDOS_MSDOSFS_H_
#define _FS_MSDOS_MSDOSFS_H_

#include <kern/types.h>
#include <kern/lock.h>
#include <abi/errno.h>
#include <abi/time.h>
#include <vfs/vnode.h>
#include <fs/msdos/msdosfs_fs.h>

struct bdev;
struct buf;
struct mount;
struct uio;

#define MSDOS_ECORRUPT		EIO
#define MSDOS_ROOTINO		1
#define MSDOS_DIRINO		(1ULL << 40)
#define MSDOS_ORPHANINO		(1ULL << 48)
#define MSDOS_MAXFILESIZE	0xffffffffULL
#define MSDOS_NAMEMAX		255

enum fat_type { FAT12 = 12, FAT16 = 16, FAT32 = 32 };

/* A directory entry to load (see md_loadlock). */
struct msdos_loadinfo {
	ino_t			 li_ino;
	uint64_t		 li_pos;	/* volume offset of the 8.3
						   entry */
	uint32_t		 li_dircl;	/* cluster of the directory
						   holding it (0: root) */
	struct fat_dirent	 li_de;
};

struct msdos_mount {
	struct bdev		*md_dev;	/* constant */
	const char		*md_name;	/* constant: "msdos", "vfat" */
	/* Options, constant after mount: */
	uid_t			 md_uid;
	gid_t			 md_gid;
	mode_t			 md_fmask;
	mode_t			 md_dmask;
	/* Geometry, checked at mount, constant: */
	enum fat_type		 md_type;
	uint32_t		 md_bps;	/* bytes per sector */
	uint32_t		 md_csize;	/* bytes per cluster */
	uint32_t		 md_cshift;	/* log2(md_csize) */
	uint32_t		 md_nclusters;	/* data clusters */
	uint32_t		 md_maxcl;	/* md_nclusters + 1 */
	uint32_t		 md_nfats;
	uint32_t		 md_fatsize;	/* bytes per FAT copy */
	uint64_t		 md_fatoff;	/* the first FAT copy */
	uint32_t		 md_actfat;	/* the copy read */
	uint64_t		 md_rootoff;	/* FAT12/16 root directory */
	uint32_t		 md_rootents;	/* its slots */
	uint32_t		 md_rootcl;	/* FAT32 root cluster */
	uint64_t		 md_dataoff;	/* cluster 2 */
	uint32_t		 md_fsinfo;	/* FSInfo sector, 0 if none */
	uint32_t		 md_volid;
	char			 md_label[12];	/* volume label */
	/* Mount state: */
	bool			 md_ronly;	/* mnt_busy exclusive */
	kmutex_t		 md_lock;
	uint32_t		 md_free;	/* md_lock: free clusters */
	uint32_t		 md_next;	/* md_lock: where to look */
	bool			 md_fsidirty;	/* md_lock: FSInfo changed */
	uint64_t		 md_norphan;	/* md_lock: orphan counter */
	uint32_t		 md_nlive;	/* md_lock: orphans in use */
	kmutex_t		 md_loadlock;
	const struct msdos_loadinfo *md_load;	/* md_loadlock */
	size_t			 md_dhbytes;	/* atomic: memory of the name
						   indexes */
};

/* An in-core file or directory: the vnode's v_data. */
struct msdos_node {
	struct msdos_mount	*dn_mount;	/* constant */
	enum vtype		 dn_type;	/* constant */
	/* Vnode lock: */
	struct fat_dirent	 dn_de;		/* the 8.3 entry (not root) */
	uint64_t		 dn_pos;	/* its volume offset; 0: none
						   (root, removed) */
	uint32_t		 dn_dircl;	/* directory holding it */
	uint32_t		 dn_start;	/* start cluster, 0: none */
	uint32_t		 dn_size;	/* files */
	uint32_t		 dn_nsubdirs;	/* directories */
	uint32_t		 dn_nclust;	/* directories: chain length */
	uint64_t		 dn_bmap;	/* atomic: the last mapped file
						   cluster << 32 | its disk
						   cluster (0: none) */
	uint64_t		 dn_rdnext;	/* atomic: where the last read
						   ended */
	bool			 dn_orphan;	/* removed: freed at reclaim */
	kmutex_t		 dn_hlock;
	struct msdos_dirhash	*dn_hash;	/* dn_hlock: directories: the
						   name index, NULL: none */
};

#define VFSTOMSDOS(mp)	((struct msdos_mount *)(mp)->mnt_data)
#define VTODN(vp)	((struct msdos_node *)(vp)->v_data)

extern const struct vnodeops msdos_vnodeops;

/* ---- msdosfs_bpb.c -------------------------------------------------- */
/* Read and check the boot sector (and FSInfo) of md_dev. */
int	msdos_bpb_load(struct msdos_mount *);
/* Set or clear the clean flag of FAT entry 1 (FAT16/32). */
int	msdos_setclean(struct msdos_mount *, bool clean);
/* Write FSInfo if it changed, then flush the device. */
int	msdos_sync_meta(struct msdos_mount *);
/* Report corruption once per event: a console message; returns
 * MSDOS_ECORRUPT. */
int	msdos_corrupt(struct msdos_mount *, const char *, ...)
	    __printflike(2, 3);

/* ---- msdosfs_fat.c -------------------------------------------------- */
bool	msdos_clok(const struct msdos_mount *, uint32_t cl);
uint64_t msdos_cloff(const struct msdos_mount *, uint32_t cl);
/* Read or write FAT entry cl (writes go to every copy). */
int	msdos_fat_get(struct msdos_mount *, uint32_t cl, uint32_t *);
int	msdos_fat_set(struct msdos_mount *, uint32_t cl, uint32_t);
/* The cluster after cl in its chain: 0 and *nextp = 0 at the end of the
 * chain, or MSDOS_ECORRUPT for a free, bad or out of range link. */
int	msdos_fat_next(struct msdos_mount *, uint32_t cl, uint32_t *nextp);
/* Allocate a cluster, appended to the chain ending at prev (0: a new
 * chain), preferably right after prev: 0, ENOSPC or errno. */
int	msdos_clalloc(struct msdos_mount *, uint32_t prev, uint32_t *clp);
/* Allocate a run of 1 to max adjacent clusters (*clp the first, *np
 * how many) chained to each other and appended to the chain ending at
 * prev (0: a new chain), preferably right after prev. */
int	msdos_clalloc_run(struct msdos_mount *, uint32_t prev, uint32_t max,
	    uint32_t *clp, uint32_t *np);
/* End the chain at cl: *nextp gets what followed (0: nothing). */
int	msdos_fat_cut(struct msdos_mount *, uint32_t cl, uint32_t *nextp);
/* Free the chain starting at cl. */
int	msdos_freechain(struct msdos_mount *, uint32_t cl);
/* Count the free clusters (mount). */
int	msdos_countfree(struct msdos_mount *);
/* A new cluster full of zeros (in the buffer cache). */
int	msdos_clzero(struct msdos_mount *, uint32_t cl);
/* Walk the chain at cl: its length (at most md_nclusters) and last
 * cluster; for a chain that loops, MSDOS_ECORRUPT with *lenp counting
 * the clusters walked before the loop was seen. */
int	msdos_chainlen(struct msdos_mount *, uint32_t cl, uint32_t *lenp,
	    uint32_t *lastp);

/* ---- msdosfs_name.c ------------------------------------------------- */
/* A name from the user made ready to store: len UTF-8 bytes -> UTF-16
 * units (trailing dots and spaces gone): 0, EINVAL, ENAMETOOLONG. */
int	msdos_name_utf16(const char *, size_t, uint16_t *, size_t *nunits);
/* Can the name be stored as an 8.3 entry alone (one case per part)?
 * Then fill name11 and the case bits. */
bool	msdos_name_is83(const uint16_t *, size_t, uint8_t *name11,
	    uint8_t *ntres);
/* The basis of a generated 8.3 name and whether it needs a ~N tail. */
bool	msdos_name_basis(const uint16_t *, size_t, uint8_t *name11);
/* Put the tail ~n into name11 (made from msdos_name_basis). */
void	msdos_name_tail(const uint8_t *basis, uint32_t n, uint8_t *name11);
uint8_t	msdos_name_chksum(const uint8_t *name11);
/* The display form of an 8.3 entry: up to 12 bytes + NUL. */
size_t	msdos_name_short(const struct fat_dirent *, char *);
/* UTF-16 units to UTF-8: bytes written (buf of 4 * n bytes). */
size_t	msdos_name_utf8(const uint16_t *, size_t, char *);
/* Case-insensitive (ASCII) equality of two UTF-8 names. */
bool	msdos_name_eq(const char *, size_t, const char *, size_t);
/* Fill long name entry number ord (1-based) of a name. */
void	msdos_lfn_fill(struct fat_lfnent *, const uint16_t *, size_t,
	    int ord, bool last, uint8_t chksum);
/* Collect the units of a long name entry into name[]: false if it is
 * not well formed. */
bool	msdos_lfn_collect(const struct fat_lfnent *, uint16_t *name,
	    size_t *lenp);

/* ---- msdosfs_dir.c -------------------------------------------------- */
/* A position in a directory; its user's, under the directory's vnode
 * lock. */
struct dirit {
	struct msdos_mount	*it_md;
	uint32_t		 it_start;	/* first cluster, 0: root */
	uint32_t		 it_cl;		/* cluster of block it_blk */
	uint32_t		 it_blk;	/* block index (cluster or
						   root sector) */
	uint32_t		 it_nslots;	/* slots per block */
	uint32_t		 it_maxblk;	/* blocks at most (chains that
						   loop end there) */
	struct buf		*it_bp;		/* block it_blk, or NULL */
	bool			 it_dirty;	/* it_bp changed */
	const uint32_t		*it_map;	/* cluster of each block (the
						   name index's), or NULL */
	uint32_t		 it_nmap;	/* blocks in it_map */
};
/* Walk the directory starting at cluster start (0: the FAT12/16 root)
 * of at most maxblk blocks (0: any). */
void	msdos_dirit_init(struct dirit *, struct msdos_mount *, uint32_t start,
	    uint32_t maxblk);
/* Slot idx: a pointer into the block held (set it_dirty after changing
 * it) and its volume offset (posp may be NULL); ENOENT past the end. */
int	msdos_dirit_slot(struct dirit *, uint32_t idx, struct fat_dirent **,
	    uint64_t *posp);
/* Let go of the block held, writing it if changed. */
void	msdos_dirit_release(struct dirit *);

/* An entry found in a directory. */
struct msdos_slot {
	uint32_t		 ms_first;	/* first slot index (LFN) */
	uint32_t		 ms_idx;	/* slot of the 8.3 entry */
	uint64_t		 ms_pos;	/* its volume offset */
	struct fat_dirent	 ms_de;
};
/* Find name in directory dn: 0 or ENOENT. */
int	msdos_dir_lookup(struct msdos_node *, const char *, size_t,
	    struct msdos_slot *);
/* Drop the name index of dn (it could not be kept exact); dn_hlock
 * held. */
void	msdos_dir_hashdrop(struct msdos_node *);
/* A walk of directory dn, through its name index's cluster map when it
 * has one; dn_hlock held. */
void	msdos_dirit_initdn(struct dirit *, struct msdos_node *);
/* Remove the entry ms (from msdos_dir_lookup) and its long name. */
int	msdos_dir_remove(struct msdos_node *, const struct msdos_slot *);
/* 0 if only "." and ".." are left; ENOTEMPTY. */
int	msdos_dir_isempty(struct msdos_node *);
/* Count the subdirectories of a directory node. */
int	msdos_dir_nsubdirs(struct msdos_node *, uint32_t *);
/* Fill a new directory's first cluster: "." and "..". */
int	msdos_dir_init(struct msdos_mount *, uint32_t cl,
	    const struct fat_dirent *self, uint32_t parentcl);
/* Point ".." of directory cl at parentcl. */
int	msdos_dir_setparent(struct msdos_mount *, uint32_t cl,
	    uint32_t parentcl);
/* The entry of the directory starting at cl, found in its parent. */
int	msdos_dir_findparent(struct msdos_mount *, uint32_t cl,
	    struct msdos_loadinfo *);
int	msdos_dir_readdir(struct msdos_node *, struct dirctx *);
/* The start cluster of a directory entry, and the root's. */
uint32_t msdos_de_start(const struct msdos_mount *, const struct fat_dirent *);
void	msdos_de_setstart(struct fat_dirent *, uint32_t);
/* The first cluster of the directory whose ".." says cl (0: root). */
uint32_t msdos_dircl(const struct msdos_mount *, uint32_t cl);

/* ---- msdosfs_dirhash.c --------------------------------------------- */
struct msdos_dirhash;
/* Hashes of a long name (UTF-16) and of an 8.3 name as users see it,
 * ASCII case folded. */
uint32_t msdos_dh_hash16(const uint16_t *, size_t);
uint32_t msdos_dh_hash8(const char *, size_t);
/* An empty index; NULL when memory is short. */
struct msdos_dirhash *msdos_dh_create(struct msdos_mount *);
void	msdos_dh_destroy(struct msdos_dirhash *);
/* Add the entry at slot idx whose long name starts at slot first (a
 * label or dot entry if !file: its 8.3 name is only kept as used). */
int	msdos_dh_add(struct msdos_dirhash *, uint32_t lhash, uint32_t first,
	    uint32_t idx, const uint8_t *name11, bool file);
void	msdos_dh_remove(struct msdos_dirhash *, uint32_t idx,
	    const uint8_t *name11);
/* The file entry of lowest slot >= from whose long name hash (if
 * haslong) or 8.3 name hash matches: false if none. */
bool	msdos_dh_find(struct msdos_dirhash *, uint32_t lhash, bool haslong,
	    uint32_t shash, uint32_t from, uint32_t *firstp, uint32_t *idxp);
/* Is name11 the 8.3 name of an entry? */
bool	msdos_dh_has83(struct msdos_dirhash *, const uint8_t *name11);
/* Where to start looking for a free ~N for basis; the one taken. */
uint32_t msdos_dh_tailhint(struct msdos_dirhash *, const uint8_t *basis);
void	msdos_dh_settail(struct msdos_dirhash *, const uint8_t *basis,
	    uint32_t n);
/* No slot before the free hint is free. */
uint32_t msdos_dh_freehint(const struct msdos_dirhash *);
void	msdos_dh_setfree(struct msdos_dirhash *, uint32_t idx);
/* Append the directory's next cluster to the map (it stays a prefix of
 * the chain when memory is short); use the map. */
void	msdos_dh_mapadd(struct msdos_dirhash *, uint32_t cl);
void	msdos_dh_usemap(const struct msdos_dirhash *, struct dirit *);

/* ---- msdosfs_enter.c ------------------------------------------------ */
/* Add name with the 8.3 entry *de (name and case bits filled here);
 * *posp gets the entry's volume offset. */
int	msdos_dir_enter(struct msdos_node *, const char *, size_t,
	    struct fat_dirent *, uint64_t *posp);

/* ---- msdosfs_node.c ------------------------------------------------- */
ino_t	msdos_fileino(uint64_t pos);
ino_t	msdos_dirino(const struct msdos_mount *, uint32_t cl);
/* vfs_loadvnode: the root, or what md_load describes. */
int	msdos_node_load(struct msdos_mount *, struct vnode *, ino_t);
void	msdos_node_free(struct msdos_node *);
/* Get the vnode of an entry (lookup, create): referenced, unlocked. */
int	msdos_node_get(struct mount *, const struct msdos_loadinfo *,
	    struct vnode **);
/* Write the node's 8.3 entry back (nothing for the root or an orphan). */
int	msdos_node_update(struct msdos_node *);
/* Free a removed node's clusters (reclaim). */
void	msdos_node_destroy(struct msdos_node *);
/* A removed node: give it an orphan inode number. */
void	msdos_node_orphan(struct vnode *);
void	msdos_node_getattr(struct msdos_node *, ino_t, struct vattr *);
/* A time into FAT date, time and 10 ms fields (UTC; time and cs may be
 * NULL). */
void	msdos_time_set(const struct timespec *, uint8_t *date, uint8_t *time,
	    uint8_t *cs);
/* Set the write time (and archive bit) to now. */
void	msdos_node_touch(struct msdos_node *);
/* A fresh 8.3 entry with all times now. */
void	msdos_de_init(struct fat_dirent *, uint8_t attr);

/* ---- msdosfs_rdwr.c ------------------------------------------------- */
int	msdos_read(struct msdos_node *, struct uio *);
int	msdos_write(struct msdos_node *, struct uio *, int ioflag);
int	msdos_truncate(struct msdos_node *, uint64_t);

/* ---- msdosfs_vnops.c, msdosfs_rename.c ------------------------------ */
int	msdos_rename(struct vnode *, const char *, size_t, struct vnode *,
	    struct vnode *, const char *, size_t, struct vnode *,
	    unsigned int);
/* The entry name in dn, which must refer to node n. */
int	msdos_entry_of(struct msdos_node *dn, const char *, size_t,
	    struct msdos_node *n, struct msdos_slot *);

#endif /* _FS_MSDOS_MSDOSFS_H_ */
