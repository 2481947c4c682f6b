/*
 * h_image.h: what the disk image test programs (t_ext2.c, t_msdos.c)
 * share: host files of a seeded byte pattern, booting once and exposing
 * an image file as a block device, and the mirror, where every change is
 * made twice: in the image under IMG_RTREE and on the host under
 * "mirror", to be compared after unmounting.
 *
 * Include it after h_fsmacros.h with IMG_RTREE (the tree's root in the
 * kernel, e.g. "/mnt/t") defined, and define the pattern:
 * `static uint8_t pattern(uint32_t seed, uint64_t off)`, the byte at
 * offset off of a file made with seed.
 */
#ifndef _TESTS_FS_H_IMAGE_H_
#define _TESTS_FS_H_IMAGE_H_

#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "h_fsmacros.h"

#ifndef IMG_RTREE
#error "define IMG_RTREE before including h_image.h"
#endif

static uint8_t pattern(uint32_t, uint64_t);

/* ---- host side ---------------------------------------------------------- */

static inline void
pattern_fill(uint8_t *buf, size_t len, uint32_t seed, uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(seed, off + i);
}

/* A host file of size bytes of pattern seed. */
static inline void
host_file(const char *path, uint64_t size, uint32_t seed)
{
	static uint8_t buf[65536];
	uint64_t off;
	size_t n;
	int fd;

	RL(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	for (off = 0; off < size; off += n) {
		n = size - off < sizeof(buf) ? (size_t)(size - off) :
		    sizeof(buf);
		pattern_fill(buf, n, seed, off);
		ATF_REQUIRE(pwrite(fd, buf, n, (off_t)off) == (ssize_t)n);
	}
	RL(close(fd));
}

/* ---- kernel side -------------------------------------------------------- */

/* Boot once per test case. */
static inline void
boot(void)
{
	static bool booted;

	if (!booted)
		fs_boot();
	booted = true;
}

/* Expose img as block device key (e.g. "/dev/sd0"). */
static inline void
attach(const char *key, const char *img)
{
	int error;

	boot();
	error = rump_pub_etfs_register(key, img, RUMP_ETFS_BLK);
	ATF_REQUIRE_MSG(error == 0, "etfs %s: %s", key, strerror(error));
}

/* The rumpk file rpath must hold exactly what host file hpath holds. */
static inline void
same_file(const char *rpath, const char *hpath)
{
	static uint8_t hbuf[65536], rbuf[65536];
	ssize_t hn, rn;
	off_t off;
	int hfd, rfd;

	RL(hfd = open(hpath, O_RDONLY));
	RL(rfd = rump_sys_open(rpath, O_RDONLY));
	for (off = 0;; off += hn) {
		RL(hn = read(hfd, hbuf, sizeof(hbuf)));
		RL(rn = rump_sys_read(rfd, rbuf, sizeof(rbuf)));
		ATF_REQUIRE_MSG(hn == rn, "%s: read %zd at %jd, expected %zd",
		    rpath, rn, (intmax_t)off, hn);
		if (hn == 0)
			break;
		ATF_REQUIRE_MSG(memcmp(hbuf, rbuf, (size_t)hn) == 0,
		    "%s: contents differ near offset %jd", rpath,
		    (intmax_t)off);
	}
	RL(close(hfd));
	RL(rump_sys_close(rfd));
}

/* ---- the mirror --------------------------------------------------------- */

/* buf (PATH_MAX bytes) = rel in the kernel's tree; returns buf. */
static inline char *
rp(char *buf, const char *rel)
{

	ATF_REQUIRE((size_t)snprintf(buf, PATH_MAX, IMG_RTREE "/%s", rel) <
	    PATH_MAX);
	return buf;
}

/* buf (PATH_MAX bytes) = rel in the host's mirror; returns buf. */
static inline char *
hp(char *buf, const char *rel)
{

	ATF_REQUIRE((size_t)snprintf(buf, PATH_MAX, "mirror/%s", rel) <
	    PATH_MAX);
	return buf;
}

static inline void
m_mkdir(const char *rel)
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(rp(p, rel), 0755));
	RL(mkdir(hp(p, rel), 0755));
}

/* Write len (<= 1 MiB) bytes of pattern seed at off, making the file. */
static inline void
m_pwrite(const char *rel, uint64_t off, size_t len, uint32_t seed)
{
	static uint8_t buf[1 << 20];
	char p[PATH_MAX];
	int fd;

	ATF_REQUIRE(len <= sizeof(buf));
	pattern_fill(buf, len, seed, off);
	RL(fd = rump_sys_open(rp(p, rel), O_WRONLY | O_CREAT, 0644));
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, len, (off_t)off), len);
	RL(rump_sys_close(fd));
	RL(fd = open(hp(p, rel), O_WRONLY | O_CREAT, 0644));
	REQUIRE_EQ(pwrite(fd, buf, len, (off_t)off), len);
	RL(close(fd));
}

static inline void
m_truncate(const char *rel, uint64_t size)
{
	char p[PATH_MAX];

	RL(rump_sys_truncate(rp(p, rel), (off_t)size));
	RL(truncate(hp(p, rel), (off_t)size));
}

static inline void
m_rename(const char *from, const char *to)
{
	char p[PATH_MAX], q[PATH_MAX];

	RL(rump_sys_rename(rp(p, from), rp(q, to)));
	RL(rename(hp(p, from), hp(q, to)));
}

static inline void
m_unlink(const char *rel)
{
	char p[PATH_MAX];

	RL(rump_sys_unlink(rp(p, rel)));
	RL(unlink(hp(p, rel)));
}

static inline void
m_rmdir(const char *rel)
{
	char p[PATH_MAX];

	RL(rump_sys_rmdir(rp(p, rel)));
	RL(rmdir(hp(p, rel)));
}

/*
 * IMG_TC(name, timeout, call, descr...): a test case whose body is the
 * statement call, described by the printf format and arguments descr;
 * timeout in seconds, 0 for kyua's default.
 */
#define IMG_TC(name, timeout, call, ...)				\
ATF_TC(name);								\
ATF_TC_HEAD(name, tc)							\
{									\
									\
	atf_tc_set_md_var(tc, "descr", __VA_ARGS__);			\
	if ((timeout) > 0)						\
		atf_tc_set_md_var(tc, "timeout", "%d", (timeout));	\
}									\
ATF_TC_BODY(name, tc)							\
{									\
									\
	call;								\
}

#endif /* _TESTS_FS_H_IMAGE_H_ */
