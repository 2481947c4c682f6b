/*
 * t_md.c: block devices through their nodes: md RAM disks
 * (rump_pub_md_create), etfs host disks (RUMP_ETFS_BLK), device nodes on
 * other file systems, and the buffer cache's size settings.  Reads and
 * writes at any offset and length, the end of the device, the Linux
 * block device ioctls, and running out of memory.  etfs disks are
 * checked against the host file itself.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MD_SIZE		(1024 * 1024)
#define MD_MAJOR	253

#include "../h_macros.h"

static void
boot(void)
{

	RZ(rump_init());
}

/* len bytes of a pattern that depends on the seed and the position. */
static void
pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7 + i / 251);
}

static bool
all_zero(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0)
			return false;
	return true;
}

static int
open_md(const char *path, uint64_t size)
{
	int fd;

	RZ(rump_pub_md_create(path, size));
	RL(fd = rump_sys_open(path, O_RDWR));
	return fd;
}

static uint64_t
sysctl_quad(const char *name)
{
	uint64_t v;
	size_t len = sizeof(v);

	RL(rump_sys_sysctl(name, &v, &len, NULL, 0));
	REQUIRE_EQ(len, sizeof(v));
	return v;
}

/* ---- md --------------------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(md_create_makes_block_device_node);
ATF_TC_BODY(md_create_makes_block_device_node, tc)
{
	struct stat st, pst;
	int fd;

	boot();
	RZ(rump_pub_md_create("/dev/md0", MD_SIZE));
	RL(rump_sys_stat("/dev/md0", &st));
	ATF_REQUIRE(S_ISBLK(st.st_mode));
	REQUIRE_EQ(st.st_mode & 07777, 0600);
	REQUIRE_EQ(major(st.st_rdev), MD_MAJOR);
	REQUIRE_EQ(st.st_size, 0);
	RL(rump_sys_stat("/dev", &pst));
	ATF_REQUIRE(S_ISDIR(pst.st_mode));
	REQUIRE_EQ(pst.st_mode & 07777, 0755);
	RL(fd = rump_sys_open("/dev/md0", O_RDONLY));
	RL(rump_sys_fstat(fd, &pst));
	REQUIRE_EQ(pst.st_rdev, st.st_rdev);
	REQUIRE_EQ(pst.st_size, 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_aligned_write_reads_back);
ATF_TC_BODY(md_aligned_write_reads_back, tc)
{
	static unsigned char out[65536], in[65536];
	int fd;

	boot();
	fd = open_md("/dev/md0", MD_SIZE);
	pattern(out, sizeof(out), 1);
	REQUIRE_EQ(rump_sys_pwrite(fd, out, 4096, 8192), 4096);
	REQUIRE_EQ(rump_sys_pread(fd, in, 4096, 8192), 4096);
	ATF_REQUIRE(memcmp(in, out, 4096) == 0);
	/* across the disk's 64 KiB chunks */
	REQUIRE_EQ(rump_sys_pwrite(fd, out, sizeof(out), 65536 - 512),
	    sizeof(out));
	REQUIRE_EQ(rump_sys_pread(fd, in, sizeof(in), 65536 - 512),
	    sizeof(in));
	ATF_REQUIRE(memcmp(in, out, sizeof(in)) == 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_unaligned_write_keeps_neighbours);
ATF_TC_BODY(md_unaligned_write_keeps_neighbours, tc)
{
	static unsigned char base[8192], out[3000], in[8192];
	int fd;

	boot();
	fd = open_md("/dev/md0", MD_SIZE);
	pattern(base, sizeof(base), 2);
	REQUIRE_EQ(rump_sys_pwrite(fd, base, sizeof(base), 0), sizeof(base));
	pattern(out, sizeof(out), 3);
	REQUIRE_EQ(rump_sys_pwrite(fd, out, sizeof(out), 777), sizeof(out));
	memcpy(base + 777, out, sizeof(out));
	REQUIRE_EQ(rump_sys_pread(fd, in, sizeof(in), 0), sizeof(in));
	ATF_REQUIRE(memcmp(in, base, sizeof(in)) == 0);
	/* an unaligned read inside one sector, and one across several */
	REQUIRE_EQ(rump_sys_pread(fd, in, 5, 1030), 5);
	ATF_REQUIRE(memcmp(in, base + 1030, 5) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, in, 2049, 511), 2049);
	ATF_REQUIRE(memcmp(in, base + 511, 2049) == 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_write_and_read_use_file_offset);
ATF_TC_BODY(md_write_and_read_use_file_offset, tc)
{
	unsigned char out[700], in[700];
	int fd;

	boot();
	fd = open_md("/dev/md0", MD_SIZE);
	pattern(out, sizeof(out), 4);
	REQUIRE_EQ(rump_sys_write(fd, out, 300), 300);
	REQUIRE_EQ(rump_sys_write(fd, out + 300, 400), 400);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 700);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_EQ(rump_sys_read(fd, in, sizeof(in)), sizeof(in));
	ATF_REQUIRE(memcmp(in, out, sizeof(in)) == 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_untouched_area_reads_zeros);
ATF_TC_BODY(md_untouched_area_reads_zeros, tc)
{
	static unsigned char buf[200000];
	int fd;

	boot();
	fd = open_md("/dev/md0", MD_SIZE);
	memset(buf, 0xff, sizeof(buf));
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 100, 300000), 100);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 100000),
	    sizeof(buf));
	ATF_REQUIRE(all_zero(buf, sizeof(buf)));
	REQUIRE_EQ(rump_sys_pread(fd, buf, 1000, MD_SIZE - 1000), 1000);
	ATF_REQUIRE(all_zero(buf, 1000));
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_size_ioctls_and_seek_end);
ATF_TC_BODY(md_size_ioctls_and_seek_end, tc)
{
	uint64_t size;
	int fd, ssz;

	boot();
	/* sizes are rounded down to whole 512-byte sectors */
	fd = open_md("/dev/md0", MD_SIZE + 100);
	RL(rump_sys_ioctl(fd, BLKGETSIZE64, &size));
	REQUIRE_EQ(size, MD_SIZE);
	RL(rump_sys_ioctl(fd, BLKSSZGET, &ssz));
	REQUIRE_EQ(ssz, 512);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), MD_SIZE);
	REQUIRE_EQ(rump_sys_lseek(fd, -512, SEEK_END), MD_SIZE - 512);
	REQUIRE_ERRNO(rump_sys_ioctl(fd, 0x5401 /* TCGETS */, &ssz), ENOTTY);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_end_of_device);
ATF_TC_BODY(md_end_of_device, tc)
{
	unsigned char buf[1024];
	int fd;

	boot();
	fd = open_md("/dev/md0", MD_SIZE);
	memset(buf, 0x5a, sizeof(buf));
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 1, MD_SIZE), ENOSPC);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 10, MD_SIZE + 4096), ENOSPC);
	/* a write across the end writes what fits */
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, sizeof(buf), MD_SIZE - 100), 100);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), MD_SIZE - 100), 100);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), MD_SIZE), 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), MD_SIZE * 2), 0);
	RL(rump_sys_lseek(fd, MD_SIZE, SEEK_SET));
	REQUIRE_ERRNO(rump_sys_write(fd, buf, 1), ENOSPC);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(md_two_disks_are_independent);
ATF_TC_BODY(md_two_disks_are_independent, tc)
{
	unsigned char a[4096], b[4096], in[4096];
	struct stat sa, sb;
	int fa, fb;

	boot();
	fa = open_md("/dev/md0", MD_SIZE);
	fb = open_md("/dev/md1", 2 * MD_SIZE);
	RL(rump_sys_stat("/dev/md0", &sa));
	RL(rump_sys_stat("/dev/md1", &sb));
	ATF_REQUIRE(sa.st_rdev != sb.st_rdev);
	REQUIRE_EQ(major(sb.st_rdev), MD_MAJOR);
	pattern(a, sizeof(a), 5);
	pattern(b, sizeof(b), 6);
	REQUIRE_EQ(rump_sys_pwrite(fa, a, sizeof(a), 0), sizeof(a));
	REQUIRE_EQ(rump_sys_pwrite(fb, b, sizeof(b), 0), sizeof(b));
	REQUIRE_EQ(rump_sys_pread(fa, in, sizeof(in), 0), sizeof(in));
	ATF_REQUIRE(memcmp(in, a, sizeof(in)) == 0);
	REQUIRE_EQ(rump_sys_pread(fb, in, sizeof(in), 0), sizeof(in));
	ATF_REQUIRE(memcmp(in, b, sizeof(in)) == 0);
	REQUIRE_EQ(rump_sys_lseek(fb, 0, SEEK_END), 2 * MD_SIZE);
	REQUIRE_EQ(rump_sys_pwrite(fb, b, 512, MD_SIZE + 512), 512);
	REQUIRE_ERRNO(rump_sys_pwrite(fa, a, 512, MD_SIZE + 512), ENOSPC);
	RL(rump_sys_close(fa));
	RL(rump_sys_close(fb));
}

ATF_TC_WITHOUT_HEAD(md_create_bad_arguments);
ATF_TC_BODY(md_create_bad_arguments, tc)
{

	REQUIRE_EQ(rump_pub_md_create("/dev/md0", MD_SIZE), ENXIO);
	boot();
	RZ(rump_pub_md_create("/dev/md0", MD_SIZE));
	REQUIRE_EQ(rump_pub_md_create("/dev/md0", MD_SIZE), EEXIST);
	REQUIRE_EQ(rump_pub_md_create("/dev", MD_SIZE), EEXIST);
	REQUIRE_EQ(rump_pub_md_create("/", MD_SIZE), EEXIST);
	REQUIRE_EQ(rump_pub_md_create("/dev/md0/x", MD_SIZE), ENOTDIR);
	REQUIRE_EQ(rump_pub_md_create("dev/md1", MD_SIZE), EINVAL);
	REQUIRE_EQ(rump_pub_md_create(NULL, MD_SIZE), EINVAL);
	REQUIRE_EQ(rump_pub_md_create("/dev/md1", 511), EINVAL);
	REQUIRE_EQ(rump_pub_md_create("/dev/md1", (uint64_t)1 << 41), EFBIG);
	RZ(rump_pub_md_create("/dev/md1", 512));
}

ATF_TC_WITHOUT_HEAD(md_node_elsewhere_reaches_same_disk);
ATF_TC_BODY(md_node_elsewhere_reaches_same_disk, tc)
{
	unsigned char out[1000], in[1000];
	struct stat st;
	int fd;

	boot();
	fd = open_md("/dev/md0", MD_SIZE);
	RL(rump_sys_stat("/dev/md0", &st));
	RL(rump_sys_mkdir("/mnt", 0755));
	RL(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	RL(rump_sys_mknod("/mnt/disk", S_IFBLK | 0600, st.st_rdev));
	pattern(out, sizeof(out), 7);
	REQUIRE_EQ(rump_sys_pwrite(fd, out, sizeof(out), 4000), sizeof(out));
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open("/mnt/disk", O_RDONLY));
	REQUIRE_EQ(rump_sys_pread(fd, in, sizeof(in), 4000), sizeof(in));
	ATF_REQUIRE(memcmp(in, out, sizeof(in)) == 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(device_node_without_driver_enxio);
ATF_TC_BODY(device_node_without_driver_enxio, tc)
{

	boot();
	RL(rump_sys_mknod("/blk", S_IFBLK | 0600, makedev(7, 0)));
	RL(rump_sys_mknod("/chr", S_IFCHR | 0600, makedev(MD_MAJOR, 9)));
	REQUIRE_ERRNO(rump_sys_open("/blk", O_RDONLY), ENXIO);
	REQUIRE_ERRNO(rump_sys_open("/chr", O_RDWR), ENXIO);
}

ATF_TC_WITHOUT_HEAD(md_bigger_than_memlimit_fails_writes);
ATF_TC_BODY(md_bigger_than_memlimit_fails_writes, tc)
{
	static unsigned char chunk[65536], in[65536];
	struct stat st;
	uint64_t total;
	ssize_t n;
	int fd;

	RL(setenv("RUMP_MEMLIMIT", "8m", 1));
	boot();
	fd = open_md("/dev/md0", 64 * MD_SIZE);
	pattern(chunk, sizeof(chunk), 8);
	for (total = 0; (n = rump_sys_write(fd, chunk, sizeof(chunk))) > 0;
	    total += (uint64_t)n)
		ATF_REQUIRE_MSG(total < 64 * MD_SIZE,
		    "wrote 64 MiB under an 8 MiB memory limit");
	ATF_REQUIRE_MSG(n == -1 && (errno == EIO || errno == ENOMEM ||
	    errno == ENOSPC), "write returned %zd (%s), expected an error",
	    n, strerror(errno));
	ATF_REQUIRE(total > 0);
	/* the kernel goes on, and what was written is still there */
	REQUIRE_EQ(rump_sys_pread(fd, in, sizeof(in), 0), sizeof(in));
	ATF_REQUIRE(memcmp(in, chunk, sizeof(in)) == 0);
	RL(rump_sys_close(fd));
	RL(rump_sys_stat("/dev/md0", &st));
	REQUIRE_EQ(rump_sys_getpid(), 1);
}

/* ---- etfs disks --------------------------------------------------------- */

/* An absolute host path for name in the test's (host) work directory. */
static char *
host_path(char *buf, const char *name)
{
	char cwd[PATH_MAX];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(snprintf(buf, PATH_MAX, "%s/%s", cwd, name) < PATH_MAX);
	return buf;
}

static void
host_write(const char *path, const void *buf, size_t len)
{
	int fd;

	RL(fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));
	REQUIRE_EQ(write(fd, buf, len), len);
	RL(close(fd));
}

static void
host_pread(const char *path, void *buf, size_t len, off_t off)
{
	int fd;

	RL(fd = open(path, O_RDONLY));
	REQUIRE_EQ(pread(fd, buf, len, off), len);
	RL(close(fd));
}

ATF_TC_WITHOUT_HEAD(etfs_blk_writes_reach_host_file);
ATF_TC_BODY(etfs_blk_writes_reach_host_file, tc)
{
	static unsigned char img[65536], out[5000], in[65536];
	char hp[PATH_MAX];
	struct stat st;
	uint64_t size;
	int fd;

	pattern(img, sizeof(img), 9);
	host_write(host_path(hp, "disk.img"), img, sizeof(img));
	boot();
	RZ(rump_pub_etfs_register("/dev/hd", hp, RUMP_ETFS_BLK));
	RL(rump_sys_stat("/dev/hd", &st));
	ATF_REQUIRE(S_ISBLK(st.st_mode));
	REQUIRE_EQ(major(st.st_rdev), 254);
	RL(fd = rump_sys_open("/dev/hd", O_RDWR));
	RL(rump_sys_ioctl(fd, BLKGETSIZE64, &size));
	REQUIRE_EQ(size, sizeof(img));
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), sizeof(img));
	pattern(out, sizeof(out), 10);
	REQUIRE_EQ(rump_sys_pwrite(fd, out, sizeof(out), 1234), sizeof(out));
	memcpy(img + 1234, out, sizeof(out));
	REQUIRE_ERRNO(rump_sys_pwrite(fd, out, 1, sizeof(img)), ENOSPC);
	RL(rump_sys_fsync(fd));
	REQUIRE_EQ(rump_sys_pread(fd, in, sizeof(in), 0), sizeof(in));
	ATF_REQUIRE(memcmp(in, img, sizeof(in)) == 0);
	RL(rump_sys_close(fd));
	host_pread(hp, in, sizeof(in), 0);
	ATF_REQUIRE(memcmp(in, img, sizeof(in)) == 0);
}

ATF_TC_WITHOUT_HEAD(etfs_blk_window_is_the_device);
ATF_TC_BODY(etfs_blk_window_is_the_device, tc)
{
	static unsigned char img[16384], out[600], in[16384];
	char hp[PATH_MAX];
	uint64_t size;
	int fd;

	pattern(img, sizeof(img), 11);
	host_write(host_path(hp, "disk.img"), img, sizeof(img));
	boot();
	REQUIRE_EQ(rump_pub_etfs_register_withsize("/win", hp, RUMP_ETFS_BLK,
	    100, 4096), EINVAL);
	RZ(rump_pub_etfs_register_withsize("/win", hp, RUMP_ETFS_BLK, 4096,
	    8192 + 300));
	RL(fd = rump_sys_open("/win", O_RDWR));
	RL(rump_sys_ioctl(fd, BLKGETSIZE64, &size));
	REQUIRE_EQ(size, 8192);
	pattern(out, sizeof(out), 12);
	REQUIRE_EQ(rump_sys_pwrite(fd, out, sizeof(out), 8192 - 300), 300);
	memcpy(img + 4096 + 8192 - 300, out, 300);
	REQUIRE_EQ(rump_sys_pread(fd, in, 100, 0), 100);
	ATF_REQUIRE(memcmp(in, img + 4096, 100) == 0);
	RL(rump_sys_close(fd));
	host_pread(hp, in, sizeof(in), 0);
	ATF_REQUIRE(memcmp(in, img, sizeof(in)) == 0);
}

ATF_TC_WITHOUT_HEAD(etfs_blk_removed_device_is_gone);
ATF_TC_BODY(etfs_blk_removed_device_is_gone, tc)
{
	char hp[PATH_MAX], buf[512];
	struct stat st;
	int fd;

	memset(buf, 0, sizeof(buf));
	host_write(host_path(hp, "disk.img"), buf, sizeof(buf));
	boot();
	RZ(rump_pub_etfs_register("/hd", hp, RUMP_ETFS_BLK));
	RL(rump_sys_stat("/hd", &st));
	RL(rump_sys_mknod("/hd2", S_IFBLK | 0600, st.st_rdev));
	RL(fd = rump_sys_open("/hd", O_RDONLY));
	RZ(rump_pub_etfs_remove("/hd"));
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, sizeof(buf), 0), ENXIO);
	RL(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_open("/hd2", O_RDONLY), ENXIO);
}

/* ---- buffer cache settings ---------------------------------------------- */

ATF_TC_WITHOUT_HEAD(bufcache_default_cap_64m);
ATF_TC_BODY(bufcache_default_cap_64m, tc)
{

	boot();
	REQUIRE_EQ(sysctl_quad("vfs.bufcache.max"), 64 << 20);
	REQUIRE_EQ(sysctl_quad("vfs.bufcache.cached"), 0);
	REQUIRE_EQ(sysctl_quad("vfs.bufcache.dirty"), 0);
}

ATF_TC_WITHOUT_HEAD(bufcache_cap_is_quarter_of_memlimit);
ATF_TC_BODY(bufcache_cap_is_quarter_of_memlimit, tc)
{

	RL(setenv("RUMP_MEMLIMIT", "32m", 1));
	boot();
	REQUIRE_EQ(sysctl_quad("vfs.bufcache.max"), 8 << 20);
}

ATF_TC_WITHOUT_HEAD(bufcache_cap_from_rump_bufcache);
ATF_TC_BODY(bufcache_cap_from_rump_bufcache, tc)
{
	uint64_t v = 1;

	RL(setenv("RUMP_MEMLIMIT", "32m", 1));
	RL(setenv("RUMP_BUFCACHE", "3m", 1));
	boot();
	REQUIRE_EQ(sysctl_quad("vfs.bufcache.max"), 3 << 20);
	REQUIRE_ERRNO(rump_sys_sysctl("vfs.bufcache.max", NULL, NULL, &v,
	    sizeof(v)), EPERM);
}

ATF_TC_WITHOUT_HEAD(bufcache_bad_setting_refused);
ATF_TC_BODY(bufcache_bad_setting_refused, tc)
{

	RL(setenv("RUMP_BUFCACHE", "lots", 1));
	REQUIRE_EQ(rump_init(), EINVAL);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, md_create_makes_block_device_node);
	ATF_TP_ADD_TC(tp, md_aligned_write_reads_back);
	ATF_TP_ADD_TC(tp, md_unaligned_write_keeps_neighbours);
	ATF_TP_ADD_TC(tp, md_write_and_read_use_file_offset);
	ATF_TP_ADD_TC(tp, md_untouched_area_reads_zeros);
	ATF_TP_ADD_TC(tp, md_size_ioctls_and_seek_end);
	ATF_TP_ADD_TC(tp, md_end_of_device);
	ATF_TP_ADD_TC(tp, md_two_disks_are_independent);
	ATF_TP_ADD_TC(tp, md_create_bad_arguments);
	ATF_TP_ADD_TC(tp, md_node_elsewhere_reaches_same_disk);
	ATF_TP_ADD_TC(tp, device_node_without_driver_enxio);
	ATF_TP_ADD_TC(tp, md_bigger_than_memlimit_fails_writes);
	ATF_TP_ADD_TC(tp, etfs_blk_writes_reach_host_file);
	ATF_TP_ADD_TC(tp, etfs_blk_window_is_the_device);
	ATF_TP_ADD_TC(tp, etfs_blk_removed_device_is_gone);
	ATF_TP_ADD_TC(tp, bufcache_default_cap_64m);
	ATF_TP_ADD_TC(tp, bufcache_cap_is_quarter_of_memlimit);
	ATF_TP_ADD_TC(tp, bufcache_cap_from_rump_bufcache);
	ATF_TP_ADD_TC(tp, bufcache_bad_setting_refused);
	return atf_no_error();
}
