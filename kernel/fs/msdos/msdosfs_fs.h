/*
 * msdosfs_fs.h: the on-disk format of FAT12/16/32 file systems as
 * Microsoft's FAT specification ("FAT: General Overview of On-Disk
 * Format") describes it: boot sector (BPB) field offsets, the FSInfo
 * sector, directory entries, long name (VFAT) entries, FAT entry values.
 * All multi-byte fields are little-endian and unaligned; structures hold
 * bytes only and are read with the le16/le32 helpers below.
 */
#ifndef _FS_MSDOS_MSDOSFS_FS_H_
#define _FS_MSDOS_MSDOSFS_FS_H_

#include <kern/types.h>

#define MSDOS_SUPER_MAGIC	0x4d44

/* Boot sector fields (byte offsets). */
#define BPB_JMP			0
#define BPB_BYTSPERSEC		11
#define BPB_SECPERCLUS		13
#define BPB_RSVDSECCNT		14
#define BPB_NUMFATS		16
#define BPB_ROOTENTCNT		17
#define BPB_TOTSEC16		19
#define BPB_MEDIA		21
#define BPB_FATSZ16		22
#define BPB_TOTSEC32		32
#define BS16_BOOTSIG		38
#define BS16_VOLID		39
#define BS16_VOLLAB		43
#define BPB_FATSZ32		36
#define BPB_EXTFLAGS		40
#define BPB_FSVER		42
#define BPB_ROOTCLUS		44
#define BPB_FSINFO		48
#define BS32_BOOTSIG		66
#define BS32_VOLID		67
#define BS32_VOLLAB		71
#define BS_SIGNATURE		510	/* 0x55 0xaa */
#define BS_EXTBOOTSIG		0x29
#define BPB_EXTFLAGS_NOMIRROR	0x0080
#define BPB_EXTFLAGS_ACTIVE	0x000f

/* FSInfo sector (FAT32). */
#define FSI_LEADSIG		0
#define FSI_STRUCSIG		484
#define FSI_FREECOUNT		488
#define FSI_NXTFREE		492
#define FSI_TRAILSIG		508
#define FSI_LEADSIG_VAL		0x41615252U
#define FSI_STRUCSIG_VAL	0x61417272U
#define FSI_TRAILSIG_VAL	0xaa550000U
#define FSI_UNKNOWN		0xffffffffU

/* FAT entries. */
#define FAT_FREE		0
#define FAT12_EOC		0x0fffU
#define FAT16_EOC		0xffffU
#define FAT32_EOC		0x0fffffffU
#define FAT32_MASK		0x0fffffffU
#define FAT16_CLEAN		0x8000U		/* entry 1: clean shutdown */
#define FAT32_CLEAN		0x08000000U
#define FAT_MINCL		2		/* first data cluster */
#define FAT12_MAXCOUNT		4085		/* clusters: FAT12 below */
#define FAT16_MAXCOUNT		65525		/* FAT16 below, else FAT32 */

/* A directory entry (8.3). */
struct fat_dirent {
	uint8_t	de_name[11];		/* base 8, extension 3, space padded */
	uint8_t	de_attr;		/* ATTR_* */
	uint8_t	de_ntres;		/* NTRES_* case bits */
	uint8_t	de_ctime_cs;		/* creation time, 10 ms (0-199) */
	uint8_t	de_ctime[2];
	uint8_t	de_cdate[2];
	uint8_t	de_adate[2];		/* last access date */
	uint8_t	de_clhi[2];		/* start cluster, high 16 (FAT32) */
	uint8_t	de_mtime[2];		/* last write */
	uint8_t	de_mdate[2];
	uint8_t	de_cllo[2];		/* start cluster, low 16 */
	uint8_t	de_size[4];
};

/* A long name entry; up to 20 precede their 8.3 entry, last part
 * first. */
struct fat_lfnent {
	uint8_t	le_ord;			/* 1.., LFN_LAST on the first */
	uint8_t	le_name1[10];		/* 5 UTF-16LE units */
	uint8_t	le_attr;		/* ATTR_LFN */
	uint8_t	le_type;		/* 0 */
	uint8_t	le_chksum;		/* of the 8.3 name */
	uint8_t	le_name2[12];		/* 6 units */
	uint8_t	le_cllo[2];		/* 0 */
	uint8_t	le_name3[4];		/* 2 units */
};

#define DIRENT_SIZE		32
#define DIRENT_SHIFT		5
#define SLOT_FREE		0xe5	/* de_name[0]: deleted */
#define SLOT_END		0x00	/* de_name[0]: no more entries */
#define SLOT_E5			0x05	/* de_name[0]: really 0xe5 */

#define ATTR_READONLY		0x01
#define ATTR_HIDDEN		0x02
#define ATTR_SYSTEM		0x04
#define ATTR_VOLUME		0x08
#define ATTR_DIRECTORY		0x10
#define ATTR_ARCHIVE		0x20
#define ATTR_LFN		0x0f
#define ATTR_LFN_MASK		0x3f

#define NTRES_LCASE_BASE	0x08
#define NTRES_LCASE_EXT		0x10

#define LFN_LAST		0x40
#define LFN_ORDMASK		0x3f
#define LFN_CHARS		13	/* UTF-16 units per entry */
#define LFN_MAXUNITS		255
#define LFN_MAXSLOTS		20

static inline uint16_t
le16(const uint8_t *p)
{

	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
le32(const uint8_t *p)
{

	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void
setle16(uint8_t *p, uint16_t v)
{

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
setle32(uint8_t *p, uint32_t v)
{

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif /* _FS_MSDOS_MSDOSFS_FS_H_ */
