/*
 * dirent.h: struct linux_dirent64 as returned by getdents64, and d_type.
 */
#ifndef _ABI_DIRENT_H_
#define _ABI_DIRENT_H_

#include <kern/types.h>

struct dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;
	uint8_t		d_type;
	char		d_name[];
};

#define DIRENT64_RECLEN(namelen) \
	roundup(offsetof(struct dirent64, d_name) + (namelen) + 1, 8)

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif /* _ABI_DIRENT_H_ */
