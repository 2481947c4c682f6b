/*
 * statfs.h: struct statfs as on Linux x86-64, file system magic numbers
 * and mount(2)/umount2(2) flags.
 */
#ifndef _ABI_STATFS_H_
#define _ABI_STATFS_H_

#include <kern/types.h>

struct statfs {
	int64_t		f_type;
	int64_t		f_bsize;
	uint64_t	f_blocks;
	uint64_t	f_bfree;
	uint64_t	f_bavail;
	uint64_t	f_files;
	uint64_t	f_ffree;
	int32_t		f_fsid[2];
	int64_t		f_namelen;
	int64_t		f_frsize;
	int64_t		f_flags;
	int64_t		f_spare[4];
};

#define TMPFS_MAGIC	0x01021994
#define RAMFS_MAGIC	0x858458f6

/* mount(2) flags */
#define MS_RDONLY	0x0001
#define MS_NOSUID	0x0002
#define MS_NODEV	0x0004
#define MS_NOEXEC	0x0008
#define MS_SYNCHRONOUS	0x0010
#define MS_REMOUNT	0x0020
#define MS_NOATIME	0x0400
#define MS_NODIRATIME	0x0800
#define MS_BIND		0x1000
#define MS_SILENT	0x8000
#define MS_RELATIME	0x200000
#define MS_MGC_VAL	0xc0ed0000
#define MS_MGC_MSK	0xffff0000

/* statfs f_flags (ST_*) */
#define ST_RDONLY	0x0001
#define ST_NOSUID	0x0002
#define ST_NODEV	0x0004
#define ST_NOEXEC	0x0008
#define ST_SYNCHRONOUS	0x0010
#define ST_VALID	0x0020
#define ST_NOATIME	0x0400

/* umount2(2) flags */
#define MNT_FORCE	0x1
#define MNT_DETACH	0x2
#define MNT_EXPIRE	0x4
#define UMOUNT_NOFOLLOW	0x8

#endif /* _ABI_STATFS_H_ */
