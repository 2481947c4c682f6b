/*
 * detect.c: which file system an image holds, from its first sectors:
 * ext2 (ext3 when it has a journal) by the superblock magic 0xEF53 at
 * byte 1080; FAT by the boot sector signature and a sane BIOS parameter
 * block.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "rump_fuse.h"

#define PROBE_LEN		2048
#define EXT2_MAGIC_OFF		1080
#define EXT2_COMPAT_OFF		(1024 + 92)
#define EXT3_HAS_JOURNAL	0x4

static unsigned
le16(const unsigned char *p)
{

	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static bool
power_of_2(unsigned v)
{

	return v != 0 && (v & (v - 1)) == 0;
}

static bool
is_fat(const unsigned char *b)
{
	unsigned bps = le16(b + 11);

	return b[510] == 0x55 && b[511] == 0xaa && power_of_2(bps) &&
	    bps >= 512 && bps <= 4096 && power_of_2(b[13]) &&
	    le16(b + 14) != 0 && b[16] >= 1 && b[16] <= 4 &&
	    (b[21] == 0xf0 || b[21] >= 0xf8);
}

/* Set *typep to the kernel file system type of image; ENODEV when the
 * image is none of them. */
int
rf_detect(const char *image, const char **typep)
{
	unsigned char b[PROBE_LEN];
	ssize_t n;
	int fd;

	fd = open(image, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno;
	memset(b, 0, sizeof(b));
	n = pread(fd, b, sizeof(b), 0);
	close(fd);
	if (n == -1)
		return errno;
	if (le16(b + EXT2_MAGIC_OFF) == 0xef53) {
		*typep = (b[EXT2_COMPAT_OFF] & EXT3_HAS_JOURNAL) ? "ext3" :
		    "ext2";
		return 0;
	}
	if (is_fat(b)) {
		*typep = "msdos";
		return 0;
	}
	return ENODEV;
}
