/*
 * ext2_fs.h: the ext2 on-disk format: superblock, group descriptors,
 * inodes and directory entries as laid out on disk (little-endian), and
 * the accessors that convert their fields.
 *
 * Nothing here is trusted: every value read from a disk structure goes
 * through e2_16()/e2_32() and is checked by its user before it is used
 * as a size, an index or a block number (superblock and descriptors in
 * ext2_super.c, inodes in ext2_inode.c, block pointers in ext2_bmap.c,
 * directory entries in ext2_dir.c).
 */
#ifndef _FS_EXT2_EXT2_FS_H_
#define _FS_EXT2_EXT2_FS_H_

#include <kern/types.h>
#include <lib/lib.h>

#define EXT2_SUPER_MAGIC	0xEF53
#define EXT2_SBOFF		1024	/* byte offset of the superblock */
#define EXT2_SBSIZE		1024
#define EXT2_MINBSHIFT		10	/* 1 KiB blocks ... */
#define EXT2_MAXLOGBSIZE	2	/* ... up to 4 KiB */
#define EXT2_MAXBSIZE		4096
#define EXT2_GOOD_OLD_REV	0
#define EXT2_DYNAMIC_REV	1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_ROOTINO		2
#define EXT2_LINK_MAX		32000
#define EXT2_NAME_LEN		255
#define EXT2_OS_LINUX		0

/* s_state */
#define EXT2_VALID_FS		0x0001	/* unmounted cleanly */
#define EXT2_ERROR_FS		0x0002	/* errors detected */

/* Features.  compat ones may be ignored; incompat ones must be
 * understood to mount at all; ro_compat ones to write. */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC	0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES	0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL		0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE	0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX		0x0020
#define EXT2_FEATURE_COMPAT_LAZY_BG		0x0040	/* uninitialised
							   groups */
#define EXT4_FEATURE_COMPAT_SPARSE_SUPER2	0x0200	/* backups only in
							   s_backup_bgs */
/* Compatible features that still change what may be written. */
#define EXT2_FEATURE_COMPAT_RO	EXT2_FEATURE_COMPAT_LAZY_BG

#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_FEATURE_RO_COMPAT_SUPP	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
					 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

#define EXT2_FEATURE_INCOMPAT_COMPRESSION	0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER		0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV	0x0008
#define EXT2_FEATURE_INCOMPAT_META_BG		0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS		0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT		0x0080
#define EXT4_FEATURE_INCOMPAT_MMP		0x0100
#define EXT4_FEATURE_INCOMPAT_FLEX_BG		0x0200
#define EXT2_FEATURE_INCOMPAT_SUPP	EXT2_FEATURE_INCOMPAT_FILETYPE

/* The superblock, 1024 bytes at byte 1024 of the device. */
struct ext2_super {
	uint32_t	s_inodes_count;
	uint32_t	s_blocks_count;
	uint32_t	s_r_blocks_count;	/* reserved for root */
	uint32_t	s_free_blocks_count;
	uint32_t	s_free_inodes_count;
	uint32_t	s_first_data_block;
	uint32_t	s_log_block_size;	/* block size 1024 << this */
	uint32_t	s_log_frag_size;
	uint32_t	s_blocks_per_group;
	uint32_t	s_frags_per_group;
	uint32_t	s_inodes_per_group;
	uint32_t	s_mtime;		/* last mount */
	uint32_t	s_wtime;		/* last write */
	uint16_t	s_mnt_count;
	uint16_t	s_max_mnt_count;
	uint16_t	s_magic;
	uint16_t	s_state;		/* EXT2_VALID_FS, ... */
	uint16_t	s_errors;
	uint16_t	s_minor_rev_level;
	uint32_t	s_lastcheck;
	uint32_t	s_checkinterval;
	uint32_t	s_creator_os;
	uint32_t	s_rev_level;
	uint16_t	s_def_resuid;
	uint16_t	s_def_resgid;
	/* EXT2_DYNAMIC_REV only: */
	uint32_t	s_first_ino;		/* first non-reserved inode */
	uint16_t	s_inode_size;
	uint16_t	s_block_group_nr;
	uint32_t	s_feature_compat;
	uint32_t	s_feature_incompat;
	uint32_t	s_feature_ro_compat;
	uint8_t		s_uuid[16];
	char		s_volume_name[16];
	char		s_last_mounted[64];
	uint32_t	s_algorithm_usage_bitmap;
	uint8_t		s_prealloc_blocks;
	uint8_t		s_prealloc_dir_blocks;
	uint16_t	s_reserved_gdt_blocks;	/* resize_inode */
	uint8_t		s_journal[236 - 208];	/* journal, orphan list */
	uint32_t	s_hash_seed[4];		/* dir_index */
	uint8_t		s_def_hash_version;	/* EXT2_HASH_* of new roots */
	uint8_t		s_ext4a[352 - 253];
	uint32_t	s_flags;		/* EXT2_FLAGS_* */
	uint8_t		s_ext4b[588 - 356];
	uint32_t	s_backup_bgs[2];	/* sparse_super2 */
	uint8_t		s_rest[EXT2_SBSIZE - 596];
};
CTASSERT(sizeof(struct ext2_super) == EXT2_SBSIZE);
CTASSERT(offsetof(struct ext2_super, s_backup_bgs) == 0x24c);
CTASSERT(offsetof(struct ext2_super, s_magic) == 56);
CTASSERT(offsetof(struct ext2_super, s_feature_compat) == 92);
CTASSERT(offsetof(struct ext2_super, s_reserved_gdt_blocks) == 206);
CTASSERT(offsetof(struct ext2_super, s_hash_seed) == 0xec);
CTASSERT(offsetof(struct ext2_super, s_def_hash_version) == 0xfc);
CTASSERT(offsetof(struct ext2_super, s_flags) == 0x160);

/* s_flags: how names are hashed when neither flag is set is the
 * creating machine's char signedness (signed on x86). */
#define EXT2_FLAGS_SIGNED_HASH		0x0001
#define EXT2_FLAGS_UNSIGNED_HASH	0x0002

/* A block group descriptor; the table starts in the block after the
 * superblock's. */
struct ext2_gd {
	uint32_t	bg_block_bitmap;
	uint32_t	bg_inode_bitmap;
	uint32_t	bg_inode_table;
	uint16_t	bg_free_blocks_count;
	uint16_t	bg_free_inodes_count;
	uint16_t	bg_used_dirs_count;
	uint16_t	bg_flags;
	uint32_t	bg_reserved[3];
};
CTASSERT(sizeof(struct ext2_gd) == 32);

/* Block pointers in i_block. */
#define EXT2_NDADDR		12	/* direct */
#define EXT2_IND_BLOCK		12	/* single indirect */
#define EXT2_DIND_BLOCK		13	/* double indirect */
#define EXT2_TIND_BLOCK		14	/* triple indirect */
#define EXT2_N_BLOCKS		15

/* An inode: the first 128 bytes, then (larger inodes) i_extra_isize
 * bytes of extra fields, then in-inode extended attributes. */
struct ext2_dinode {
	uint16_t	i_mode;
	uint16_t	i_uid;			/* low 16 bits */
	uint32_t	i_size;			/* low 32 bits */
	uint32_t	i_atime;
	uint32_t	i_ctime;
	uint32_t	i_mtime;
	uint32_t	i_dtime;		/* deletion time */
	uint16_t	i_gid;			/* low 16 bits */
	uint16_t	i_links_count;
	uint32_t	i_blocks;		/* 512-byte units */
	uint32_t	i_flags;
	uint32_t	i_version;
	uint32_t	i_block[EXT2_N_BLOCKS];
	uint32_t	i_generation;
	uint32_t	i_file_acl;		/* extended attribute block */
	uint32_t	i_size_high;		/* regular files */
	uint32_t	i_faddr;
	uint16_t	i_blocks_hi;
	uint16_t	i_file_acl_high;
	uint16_t	i_uid_high;
	uint16_t	i_gid_high;
	uint16_t	i_checksum_lo;
	uint16_t	i_reserved;
	/* Large inodes: */
	uint16_t	i_extra_isize;
	uint16_t	i_checksum_hi;
	uint32_t	i_ctime_extra;		/* nsec << 2 | epoch bits */
	uint32_t	i_mtime_extra;
	uint32_t	i_atime_extra;
	uint32_t	i_crtime;		/* birth */
	uint32_t	i_crtime_extra;
	uint32_t	i_version_hi;
	uint32_t	i_projid;
};
CTASSERT(offsetof(struct ext2_dinode, i_block) == 40);
CTASSERT(offsetof(struct ext2_dinode, i_uid_high) == 120);
CTASSERT(offsetof(struct ext2_dinode, i_extra_isize) == 128);
CTASSERT(sizeof(struct ext2_dinode) == 160);

/* The extra fields rumpk writes into new large inodes (up to i_projid). */
#define EXT2_EXTRA_ISIZE	(sizeof(struct ext2_dinode) - \
				 EXT2_GOOD_OLD_INODE_SIZE)
/* Does an extra isize of n cover the field? */
#define EXT2_EXTRA_HAS(n, field)					\
	((size_t)(n) + EXT2_GOOD_OLD_INODE_SIZE >=			\
	 offsetof(struct ext2_dinode, field) +				\
	 sizeof(((struct ext2_dinode *)NULL)->field))
#define EXT2_EPOCH_BITS		2
#define EXT2_EPOCH_MASK		((1U << EXT2_EPOCH_BITS) - 1)

/* i_flags */
#define EXT2_SECRM_FL		0x00000001
#define EXT2_COMPR_FL		0x00000004
#define EXT2_IMMUTABLE_FL	0x00000010
#define EXT2_APPEND_FL		0x00000020
#define EXT2_INDEX_FL		0x00001000	/* hash-indexed directory */
#define EXT4_HUGE_FILE_FL	0x00040000
#define EXT4_EXTENTS_FL		0x00080000
#define EXT4_EA_INODE_FL	0x00200000
#define EXT4_INLINE_DATA_FL	0x10000000
/* Flags that change how the inode's data is found: not supported. */
#define EXT2_UNSUPP_FL		(EXT2_COMPR_FL | EXT4_EXTENTS_FL | \
				 EXT4_EA_INODE_FL | EXT4_INLINE_DATA_FL)

/* The block of extended attributes that i_file_acl points to. */
#define EXT2_XATTR_MAGIC	0xEA020000
struct ext2_xattr_header {
	uint32_t	h_magic;
	uint32_t	h_refcount;		/* inodes sharing the block */
	uint32_t	h_blocks;		/* always 1 */
	uint32_t	h_hash;
};

/* A directory entry ("ext2_dir_entry_2"); entries are 4-byte aligned,
 * never cross a block, and rec_len covers the name and any slack. */
struct ext2_dirent {
	uint32_t	d_ino;			/* 0: unused */
	uint16_t	d_rec_len;
	uint8_t		d_name_len;
	uint8_t		d_type;			/* EXT2_FT_*, with FILETYPE */
	char		d_name[];
};
#define EXT2_DIRENT_HDR		8
#define EXT2_DIRENT_SIZE(namelen) \
	(((size_t)(namelen) + EXT2_DIRENT_HDR + 3) & ~(size_t)3)

#define EXT2_FT_UNKNOWN		0
#define EXT2_FT_REG_FILE	1
#define EXT2_FT_DIR		2
#define EXT2_FT_CHRDEV		3
#define EXT2_FT_BLKDEV		4
#define EXT2_FT_FIFO		5
#define EXT2_FT_SOCK		6
#define EXT2_FT_SYMLINK		7
#define EXT2_FT_MAX		8

/*
 * Hash-indexed directories (dir_index): block 0 is the root, holding
 * "." (12 bytes) and ".." (whose rec_len covers the rest of the block),
 * then a root info and an array of index entries; interior nodes are
 * blocks holding one unused entry of rec_len = block size, then an
 * array.  In both arrays entry 0's hash field holds the limit and count
 * instead (its hash is implicitly the lowest); the other entries are
 * sorted by hash.  Each entry maps the hashes from its own up to the
 * next entry's to a block: a leaf of ordinary directory entries, or
 * one more index node.  A hash's lowest bit set says that the block
 * continues hash values of the block before it (a collision split).
 */
struct ext2_dx_root_info {
	uint32_t	ri_reserved_zero;
	uint8_t		ri_hash_version;	/* EXT2_HASH_LEGACY..TEA */
	uint8_t		ri_info_length;		/* 8 */
	uint8_t		ri_indirect_levels;	/* index nodes below root */
	uint8_t		ri_unused_flags;
};
struct ext2_dx_entry {
	uint32_t	dx_hash;		/* entry 0: limit, count */
	uint32_t	dx_block;		/* directory block */
};
#define EXT2_DX_INFO_OFF	24	/* root info in the root block */
#define EXT2_DX_ROOT_OFF	32	/* index entries in the root */
#define EXT2_DX_NODE_OFF	8	/* index entries in a node */
#define EXT2_DX_MAXLEVELS	2	/* root + nodes (no largedir) */
#define EXT2_DX_LIMIT(bsize, off)	(((bsize) - (off)) / 8)

/* Hash versions (root info, s_def_hash_version); the unsigned variants
 * are the signed ones + 3, chosen by s_flags. */
#define EXT2_HASH_LEGACY		0
#define EXT2_HASH_HALF_MD4		1
#define EXT2_HASH_TEA			2
#define EXT2_HASH_UNSIGNED		3
#define EXT2_HASH_NVERSIONS		6

/* Little-endian conversion of on-disk fields. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define e2_16(x)	((uint16_t)(x))
#define e2_32(x)	((uint32_t)(x))
#else
#define e2_16(x)	__builtin_bswap16((uint16_t)(x))
#define e2_32(x)	__builtin_bswap32((uint32_t)(x))
#endif
#define h2e_16(x)	e2_16(x)
#define h2e_32(x)	e2_32(x)

#endif /* _FS_EXT2_EXT2_FS_H_ */
