/*
 * t_ext2.c: the ext2 driver against e2fsprogs, the oracle nobody here
 * wrote.  Images are made by mke2fs or genext2fs and filled by debugfs,
 * reproducibly (fixed time, UUID and hash seed); rumpk must read them
 * back byte for byte.  Trees that rumpk writes must pass e2fsck -fn
 * after unmounting and read back identically through debugfs.  Damaged
 * images must fail with EINVAL (at mount) or EUCLEAN, and never crash
 * or hang the kernel.  Hash-indexed directories are checked by e2fsck
 * (which recomputes every name's hash), htree_dump and ls of debugfs,
 * the name hashes against debugfs dx_hash, access times against debugfs
 * stat.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "h_fsmacros.h"

#define IMG_RTREE	"/mnt/t"	/* the mirrored tree, h_image.h */
#include "h_image.h"

/* Commands run with e2fsprogs' directories in PATH and a fixed time. */
#define E2ENV	"export PATH=\"$PATH:/sbin:/usr/sbin\" " \
		"E2FSPROGS_FAKE_TIME=1700000000; "
#define UUID	"5f6b3c52-2c1a-4d8e-9b7f-0a1b2c3d4e5f"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define KIB	((uint64_t)1 << 10)
#define MIB	((uint64_t)1 << 20)
#define GIB	((uint64_t)1 << 30)

/* ---- host side: commands, images, file contents ------------------------- */

/* Run a shell command that must succeed. */
static void __attribute__((__format__(__printf__, 1, 2)))
run(const char *fmt, ...)
{
	char cmd[2048];
	size_t len = strlen(E2ENV);
	va_list ap;
	int status;

	memcpy(cmd, E2ENV, len);
	va_start(ap, fmt);
	ATF_REQUIRE((size_t)vsnprintf(cmd + len, sizeof(cmd) - len, fmt, ap) <
	    sizeof(cmd) - len);
	va_end(ap);
	status = system(cmd);
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "status %d: %s", status, cmd + len);
}

/* e2fsck -fn must find nothing wrong; its report goes to fsck.out. */
static void
fsck_clean(const char *img)
{
	char buf[4096];
	size_t n;
	FILE *fp;
	int status;

	snprintf(buf, sizeof(buf), E2ENV "e2fsck -fn %s >fsck.out 2>&1", img);
	status = system(buf);
	if (status == 0)
		return;
	fp = fopen("fsck.out", "r");
	n = fp != NULL ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
	buf[n] = '\0';
	if (fp != NULL)
		fclose(fp);
	atf_tc_fail("e2fsck -fn %s: status %d:\n%s", img, status, buf);
}

/* mke2fs -t type with fixed UUID and hash seed, time and options. */
static void
mkfs(const char *img, const char *type, const char *opts, const char *size)
{

	run("mke2fs -q -F -t %s -U " UUID " -E hash_seed=" UUID
	    " %s %s %s", type, opts, img, size);
}

/* Run the debugfs commands in script on img, writable. */
static void
debugfs(const char *img, const char *script)
{
	FILE *fp;

	ATF_REQUIRE((fp = fopen("debugfs.cmd", "w")) != NULL);
	fputs(script, fp);
	ATF_REQUIRE(fclose(fp) == 0);
	run("debugfs -w -f debugfs.cmd %s >debugfs.out 2>&1", img);
}

/* The byte at offset off of a file made with seed. */
static uint8_t
pattern(uint32_t seed, uint64_t off)
{
	uint64_t x = (off + 1) * 0x9e3779b97f4a7c15ULL ^ seed;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return (uint8_t)(x >> 32);
}

/* Chunks of pattern seed at the offsets, holes between them. */
static void
host_sparse(const char *path, const uint64_t *offs, size_t noffs,
    size_t chunk, uint32_t seed)
{
	uint8_t buf[8192];
	size_t i;
	int fd;

	ATF_REQUIRE(chunk <= sizeof(buf));
	RL(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	for (i = 0; i < noffs; i++) {
		pattern_fill(buf, chunk, seed, offs[i]);
		ATF_REQUIRE(pwrite(fd, buf, chunk, (off_t)offs[i]) ==
		    (ssize_t)chunk);
	}
	RL(close(fd));
}

/* ---- kernel side -------------------------------------------------------- */

/* Mount device key of type on the new directory mnt. */
static int
mount_at(const char *key, const char *mnt, const char *type,
    unsigned long flags)
{
	struct stat st;

	if (rump_sys_stat(mnt, &st) == -1)
		RL(rump_sys_mkdir(mnt, 0755));
	return rump_sys_mount(key, mnt, type, flags, NULL);
}

/* Attach img as /dev/sd0 and mount it on /mnt. */
static void
mount_img(const char *img, const char *type, unsigned long flags)
{

	attach("/dev/sd0", img);
	RL(mount_at("/dev/sd0", "/mnt", type, flags));
}

/* Unmount /mnt; the image must then be clean. */
static void
umount_fsck(const char *img)
{

	RL(rump_sys_umount2("/mnt", 0));
	fsck_clean(img);
}

/* rpath must be a regular file of hpath's size holding the same bytes. */
static void
same_reg(const char *rpath, const char *hpath)
{
	struct stat hst, rst;

	RL(stat(hpath, &hst));
	RL(rump_sys_stat(rpath, &rst));
	ATF_REQUIRE_MSG(S_ISREG(rst.st_mode), "%s: not a file", rpath);
	ATF_REQUIRE_MSG(rst.st_size == hst.st_size, "%s: size %jd, "
	    "expected %jd", rpath, (intmax_t)rst.st_size,
	    (intmax_t)hst.st_size);
	same_file(rpath, hpath);
}

static void
require_link(const char *path, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n;

	RL(n = rump_sys_readlink(path, buf, sizeof(buf)));
	ATF_REQUIRE_MSG((size_t)n == strlen(target) &&
	    memcmp(buf, target, (size_t)n) == 0, "%s: wrong target", path);
}

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/*
 * Read a directory: the number of entries (with . and ..), how many
 * start with prefix, and the d_type of the entry called name (-1 if
 * there is none).
 */
static size_t
read_dir(const char *path, const char *prefix, size_t *nprefixp,
    const char *name, int *typep)
{
	char buf[4096];
	const struct linux_dirent64 *d;
	size_t n = 0, np = 0;
	ssize_t len, pos;
	int fd;

	if (typep != NULL)
		*typep = -1;
	RL(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY));
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < len; pos += d->d_reclen) {
			d = (const struct linux_dirent64 *)(buf + pos);
			n++;
			if (prefix != NULL &&
			    strncmp(d->d_name, prefix, strlen(prefix)) == 0)
				np++;
			if (name != NULL && strcmp(d->d_name, name) == 0)
				*typep = d->d_type;
		}
	}
	RL(len);
	RL(rump_sys_close(fd));
	if (nprefixp != NULL)
		*nprefixp = np;
	return n;
}

static int
dtype_of(const char *dir, const char *name)
{
	int type;

	(void)read_dir(dir, NULL, NULL, name, &type);
	return type;
}

/* ---- the standard tree ------------------------------------------------ */

#define NMANY		300
#define SLOWLINK	"/a/rather/long/symlink/target/that/does/not/fit/" \
			"into/the/sixty/bytes/of/i_block/and/so/needs/a/" \
			"block/of/its/own/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

/* A name for entry i of the big directory: lengths 1 to 200. */
static void
many_name(char *buf, size_t len, int i)
{
	int n = 1 + (i * 37) % 200;

	snprintf(buf, len, "f%03d", i);
	if (n > 4) {
		memset(buf + 4, 'x', (size_t)n - 4);
		buf[n] = '\0';
	}
}

/*
 * Make the host files and fill img with them through debugfs: small,
 * medium and big files, a sparse file reaching the triple indirect
 * blocks of 1 KiB block file systems, fast and slow symlinks, a hard
 * link, device nodes, a fifo, a directory of NMANY names (hash-indexed
 * by e2fsck -D where dir_index is on), owners beyond 16 bits.
 */
static void
tree_populate(const char *img)
{
	static const uint64_t sparse[] = { 0, 300 * KIB, 20 * MIB,
	    100 * MIB };
	static char script[256 * 1024];
	char name[256];
	size_t len = 0;
	int i;

	host_file("small", 6, 1);
	host_file("medium", 100000, 2);
	host_file("big", 3 * MIB + 123, 3);
	host_sparse("sparse", sparse, NITEMS(sparse), 4096, 4);
	len += (size_t)snprintf(script + len, sizeof(script) - len,
	    "mkdir d\nmkdir d/sub\nmkdir many\n"
	    "write small small\nwrite medium d/medium\nwrite big d/sub/big\n"
	    "write sparse sparse\n"
	    "symlink fast small\nsymlink slow " SLOWLINK "\n"
	    "ln small d/hardlink\nsif small links_count 2\n"
	    "sif small uid 70000\nsif small gid 80000\n"
	    "mknod fifo p\nmknod null c 1 3\nmknod disk b 8 0\n");
	for (i = 0; i < NMANY; i++) {
		many_name(name, sizeof(name), i);
		len += (size_t)snprintf(script + len, sizeof(script) - len,
		    "write small many/%s\n", name);
		ATF_REQUIRE(len < sizeof(script));
	}
	debugfs(img, script);
	/* Index the big directory (status 1: the image was changed). */
	run("e2fsck -fyD %s >/dev/null 2>&1; test $? -le 1", img);
}

/* The tree at mnt must be what tree_populate() put into the image. */
static void
tree_verify(const char *mnt, bool filetype)
{
	char p[PATH_MAX], q[PATH_MAX], name[256];
	struct stat st, st2;
	size_t n, nmany;
	int i;

	same_reg(mkpath(p, mnt, "small"), "small");
	same_reg(mkpath(p, mnt, "d/medium"), "medium");
	same_reg(mkpath(p, mnt, "d/sub/big"), "big");
	same_reg(mkpath(p, mnt, "sparse"), "sparse");
	same_reg(mkpath(p, mnt, "d/hardlink"), "small");
	st = stat_of(mkpath(p, mnt, "small"));
	st2 = stat_of(mkpath(q, mnt, "d/hardlink"));
	REQUIRE_EQ(st.st_ino, st2.st_ino);
	REQUIRE_EQ(st.st_nlink, 2);
	REQUIRE_EQ(st.st_uid, 70000);
	REQUIRE_EQ(st.st_gid, 80000);
	st = stat_of(mkpath(p, mnt, "sparse"));
	ATF_REQUIRE_MSG((uint64_t)st.st_blocks * 512 < 1 * MIB,
	    "sparse file uses %jd blocks", (intmax_t)st.st_blocks);
	require_link(mkpath(p, mnt, "fast"), "small");
	require_link(mkpath(p, mnt, "slow"), SLOWLINK);
	same_reg(mkpath(p, mnt, "fast"), "small");
	ATF_REQUIRE(S_ISFIFO(lstat_of(mkpath(p, mnt, "fifo")).st_mode));
	st = lstat_of(mkpath(p, mnt, "null"));
	ATF_REQUIRE(S_ISCHR(st.st_mode));
	REQUIRE_EQ(st.st_rdev, makedev(1, 3));
	st = lstat_of(mkpath(p, mnt, "disk"));
	ATF_REQUIRE(S_ISBLK(st.st_mode));
	REQUIRE_EQ(st.st_rdev, makedev(8, 0));
	n = read_dir(mkpath(p, mnt, "many"), "f", &nmany, NULL, NULL);
	REQUIRE_EQ(n, NMANY + 2);
	REQUIRE_EQ(nmany, NMANY);
	for (i = 0; i < NMANY; i += 7) {
		many_name(name, sizeof(name), i);
		snprintf(q, sizeof(q), "many/%s", name);
		same_reg(mkpath(p, mnt, q), "small");
	}
	REQUIRE_EQ(dtype_of(mnt, "fifo"), filetype ? DT_FIFO : DT_UNKNOWN);
	REQUIRE_EQ(dtype_of(mnt, "slow"), filetype ? DT_LNK : DT_UNKNOWN);
	REQUIRE_EQ(dtype_of(mnt, "d"), filetype ? DT_DIR : DT_UNKNOWN);
	REQUIRE_EQ(dtype_of(mnt, "null"), filetype ? DT_CHR : DT_UNKNOWN);
}

/* mke2fs with opts, fill, mount read-only and compare. */
static void
read_tree(const char *type, const char *opts)
{

	mkfs("img", type, opts, "64M");
	tree_populate("img");
	mount_img("img", type, MS_RDONLY);
	tree_verify("/mnt", strstr(opts, "-r 0") == NULL);
	RL(rump_sys_umount2("/mnt", 0));
	fsck_clean("img");
}

#define READ_TC(name, descr, type, opts)				\
	IMG_TC(name, 0, read_tree(type, opts), descr)

READ_TC(read_mke2fs_1k_tree_byte_for_byte,
    "a 1 KiB block image filled by debugfs reads back byte for byte",
    "ext2", "-b 1024")
READ_TC(read_mke2fs_2k_128_inodes_tree_byte_for_byte,
    "a 2 KiB block image with 128-byte inodes reads back byte for byte",
    "ext2", "-b 2048 -I 128")
READ_TC(read_mke2fs_4k_tree_byte_for_byte,
    "a 4 KiB block image filled by debugfs reads back byte for byte",
    "ext2", "-b 4096")
READ_TC(read_mke2fs_rev0_tree_byte_for_byte,
    "a revision 0 image (no features, 128-byte inodes) reads back",
    "ext2", "-r 0 -b 1024")
READ_TC(read_ext3_tree_read_only,
    "a clean ext3 image (journal unused) reads back through ext2",
    "ext3", "-b 4096")

ATF_TC(read_genext2fs_image);
ATF_TC_HEAD(read_genext2fs_image, tc)
{

	atf_tc_set_md_var(tc, "descr", "an image made by genext2fs from a "
	    "directory reads back byte for byte");
}
ATF_TC_BODY(read_genext2fs_image, tc)
{
	char p[PATH_MAX], q[PATH_MAX];
	size_t n;
	int i;

	RL(mkdir("src", 0755));
	RL(mkdir("src/dir", 0755));
	host_file("src/a", 5000, 10);
	host_file("src/dir/b", 2 * MIB + 7, 11);
	RL(symlink("dir/b", "src/l"));
	for (i = 0; i < 100; i++) {
		snprintf(p, sizeof(p), "src/dir/n%d", i);
		host_file(p, (uint64_t)i * 100, 12 + (uint32_t)i);
	}
	run("SOURCE_DATE_EPOCH=1700000000 genext2fs -q -B 4096 -b 16384 "
	    "-N 1024 -d src img");
	mount_img("img", "ext2", MS_RDONLY);
	same_reg("/mnt/a", "src/a");
	same_reg("/mnt/dir/b", "src/dir/b");
	require_link("/mnt/l", "dir/b");
	REQUIRE_EQ(read_dir("/mnt/dir", "n", &n, NULL, NULL), 100 + 3);
	REQUIRE_EQ(n, 100);
	for (i = 0; i < 100; i += 9) {
		snprintf(p, sizeof(p), "/mnt/dir/n%d", i);
		snprintf(q, sizeof(q), "src/dir/n%d", i);
		same_reg(p, q);
	}
	umount_fsck("img");
}

/* ---- what does not mount ---------------------------------------------- */

ATF_TC(mount_ext4_features_fail_einval);
ATF_TC_HEAD(mount_ext4_features_fail_einval, tc)
{

	atf_tc_set_md_var(tc, "descr", "an ext4 image (extents, flex_bg, "
	    "...) does not mount as ext2 or ext3: EINVAL");
}
ATF_TC_BODY(mount_ext4_features_fail_einval, tc)
{

	mkfs("img", "ext4", "", "64M");
	attach("/dev/sd0", "img");
	REQUIRE_ERRNO(mount_at("/dev/sd0", "/mnt", "ext2", MS_RDONLY),
	    EINVAL);
	REQUIRE_ERRNO(mount_at("/dev/sd0", "/mnt", "ext3", MS_RDONLY),
	    EINVAL);
}

ATF_TC(mount_journal_needing_recovery_fails_einval);
ATF_TC_HEAD(mount_journal_needing_recovery_fails_einval, tc)
{

	atf_tc_set_md_var(tc, "descr", "an ext3 image whose journal needs "
	    "recovery does not mount: EINVAL");
}
ATF_TC_BODY(mount_journal_needing_recovery_fails_einval, tc)
{

	mkfs("img", "ext3", "", "64M");
	debugfs("img", "feature needs_recovery\n");
	attach("/dev/sd0", "img");
	REQUIRE_ERRNO(mount_at("/dev/sd0", "/mnt", "ext3", MS_RDONLY),
	    EINVAL);
}

ATF_TC(mount_ext3_rw_fails_erofs_ext2_rw_works);
ATF_TC_HEAD(mount_ext3_rw_fails_erofs_ext2_rw_works, tc)
{

	atf_tc_set_md_var(tc, "descr", "a clean ext3 image mounts as ext3 "
	    "only read-only (EROFS); as ext2 it is written without the "
	    "journal and stays valid");
}
ATF_TC_BODY(mount_ext3_rw_fails_erofs_ext2_rw_works, tc)
{

	mkfs("img", "ext3", "", "64M");
	attach("/dev/sd0", "img");
	REQUIRE_ERRNO(mount_at("/dev/sd0", "/mnt", "ext3", 0), EROFS);
	RL(mount_at("/dev/sd0", "/mnt", "ext3", MS_RDONLY));
	REQUIRE_ERRNO(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL),
	    EROFS);
	RL(rump_sys_umount2("/mnt", 0));
	RL(mount_at("/dev/sd0", "/mnt", "ext2", 0));
	write_file("/mnt/f", "journal-less", 12);
	umount_fsck("img");
}

ATF_TC(mount_unknown_rocompat_only_read_only);
ATF_TC_HEAD(mount_unknown_rocompat_only_read_only, tc)
{

	atf_tc_set_md_var(tc, "descr", "an image with an unsupported "
	    "read-only-compatible feature mounts only read-only: EROFS");
}
ATF_TC_BODY(mount_unknown_rocompat_only_read_only, tc)
{

	mkfs("img", "ext2", "", "16M");
	debugfs("img", "feature dir_nlink\nwrite /dev/null f\n");
	attach("/dev/sd0", "img");
	REQUIRE_ERRNO(mount_at("/dev/sd0", "/mnt", "ext2", 0), EROFS);
	RL(mount_at("/dev/sd0", "/mnt", "ext2", MS_RDONLY));
	REQUIRE_EQ(stat_of("/mnt/f").st_size, 0);
	REQUIRE_ERRNO(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL),
	    EROFS);
	RL(rump_sys_umount2("/mnt", 0));
}

ATF_TC(mount_options_and_missing_device_fail);
ATF_TC_HEAD(mount_options_and_missing_device_fail, tc)
{

	atf_tc_set_md_var(tc, "descr", "ext2 takes no mount options "
	    "(EINVAL); a missing device is ENOENT, a file ENOTBLK");
}
ATF_TC_BODY(mount_options_and_missing_device_fail, tc)
{

	mkfs("img", "ext2", "", "16M");
	attach("/dev/sd0", "img");
	RL(rump_sys_mkdir("/mnt", 0755));
	REQUIRE_ERRNO(rump_sys_mount("/dev/sd0", "/mnt", "ext2", 0,
	    "bogus=1"), EINVAL);
	REQUIRE_ERRNO(rump_sys_mount("/dev/nothere", "/mnt", "ext2", 0,
	    NULL), ENOENT);
	write_file("/notadev", "x", 1);
	REQUIRE_ERRNO(rump_sys_mount("/notadev", "/mnt", "ext2", 0, NULL),
	    ENOTBLK);
	RL(rump_sys_mount("/dev/sd0", "/mnt", "ext2", 0, NULL));
	REQUIRE_ERRNO(rump_sys_mount("/dev/sd0", "/notadev", "ext2", 0,
	    NULL), ENOTDIR);
	umount_fsck("img");
}

/* ---- damaged images ----------------------------------------------------- */

static void
patch(const char *img, off_t off, uint32_t val, size_t size)
{
	uint8_t b[4] = { (uint8_t)val, (uint8_t)(val >> 8),
	    (uint8_t)(val >> 16), (uint8_t)(val >> 24) };
	int fd;

	ATF_REQUIRE(size <= sizeof(b));
	RL(fd = open(img, O_WRONLY));
	ATF_REQUIRE(pwrite(fd, b, size, off) == (ssize_t)size);
	RL(close(fd));
}

/* The first number debugfs prints for a request (bmap, ...). */
static uint32_t
debugfs_number(const char *img, const char *request)
{
	unsigned long v;
	FILE *fp;

	run("debugfs -R '%s' %s >debugfs.num 2>/dev/null", request, img);
	ATF_REQUIRE((fp = fopen("debugfs.num", "r")) != NULL);
	ATF_REQUIRE_MSG(fscanf(fp, "%lu", &v) == 1, "debugfs %s: no number",
	    request);
	fclose(fp);
	return (uint32_t)v;
}

/* Superblock fields (1 KiB blocks: byte 1024) and bad values. */
static const struct {
	off_t		 off;
	size_t		 size;
	uint32_t	 val;
} bad_supers[] = {
	{ 1024 + 56, 2, 0x1234 },	/* magic */
	{ 1024 + 24, 4, 7 },		/* log block size */
	{ 1024 + 28, 4, 2 },		/* log fragment size */
	{ 1024 + 4, 4, 0x7fffffff },	/* blocks beyond the device */
	{ 1024 + 4, 4, 1 },		/* no blocks */
	{ 1024 + 0, 4, 12345 },		/* inode count */
	{ 1024 + 40, 4, 0 },		/* inodes per group */
	{ 1024 + 40, 4, 0x100000 },	/* inodes per group */
	{ 1024 + 32, 4, 12 },		/* blocks per group */
	{ 1024 + 32, 4, 0 },		/* blocks per group */
	{ 1024 + 20, 4, 0 },		/* first data block */
	{ 1024 + 76, 4, 5 },		/* revision */
	{ 1024 + 88, 2, 200 },		/* inode size */
	{ 1024 + 88, 2, 2048 },		/* inode size > block size */
	{ 1024 + 84, 4, 3 },		/* first inode */
	{ 1024 + 96, 4, 0x42 },		/* incompat: extents */
	{ 1024 + 96, 4, 0x80000002 },	/* incompat: unknown */
	{ 1024 + 206, 2, 2000 },	/* reserved GDT blocks */
	{ 2048 + 8, 4, 1 },		/* group 0 inode table */
	{ 2048 + 0, 4, 9000 },		/* group 0 block bitmap */
	{ 2048 + 4, 4, 0 },		/* group 0 inode bitmap */
	{ 2048 + 32 + 8, 4, 8200 },	/* group 1 inode table in group 0 */
	{ 2048 + 12, 2, 60000 },	/* group 0 free blocks */
};

ATF_TC(mount_bad_superblock_fails_einval);
ATF_TC_HEAD(mount_bad_superblock_fails_einval, tc)
{

	atf_tc_set_md_var(tc, "descr", "each damaged superblock or group "
	    "descriptor field makes mount fail with EINVAL");
}
ATF_TC_BODY(mount_bad_superblock_fails_einval, tc)
{
	char img[32], key[32], mnt[32];
	size_t i;

	mkfs("img", "ext2", "-b 1024", "16M");
	for (i = 0; i < NITEMS(bad_supers); i++) {
		snprintf(img, sizeof(img), "bad%zu", i);
		snprintf(key, sizeof(key), "/dev/bad%zu", i);
		snprintf(mnt, sizeof(mnt), "/bad%zu", i);
		run("cp img %s", img);
		patch(img, bad_supers[i].off, bad_supers[i].val,
		    bad_supers[i].size);
		attach(key, img);
		errno = 0;
		ATF_REQUIRE_MSG(mount_at(key, mnt, "ext2", MS_RDONLY) == -1 &&
		    errno == EINVAL, "damage %zu: mount: %s", i,
		    strerror(errno));
	}
	attach("/dev/good", "img");
	RL(mount_at("/dev/good", "/good", "ext2", 0));
	RL(rump_sys_umount2("/good", 0));
}

/* A small tree whose inodes and entries the corruption tests damage. */
static void
damage_prepare(void)
{

	mkfs("img", "ext2", "-b 1024", "16M");
	host_file("small", 6, 1);
	host_file("big", 100 * KIB, 2);
	debugfs("img", "write small f\nwrite big g\nwrite small h\n"
	    "mkdir d\nwrite small d/x\nmkdir e\nwrite small e/y\n"
	    "ln <5> d/reserved\nln <1000> d/unused\n"
	    "sif f mode 0170644\nsif g block[IND] 1\n"
	    "sif h flags 0x80000\nsif e size 1000\n");
}

ATF_TC(damaged_inodes_fail_euclean);
ATF_TC_HEAD(damaged_inodes_fail_euclean, tc)
{

	atf_tc_set_md_var(tc, "descr", "bad modes, flags, sizes, block "
	    "pointers and references to reserved or unused inodes fail "
	    "with EUCLEAN; the rest of the file system stays usable and "
	    "the superblock records the errors");
}
ATF_TC_BODY(damaged_inodes_fail_euclean, tc)
{
	char buf[200 * 1024];
	struct stat st;
	int fd;

	damage_prepare();
	mount_img("img", "ext2", 0);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/f", &st), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/h", &st), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/e", &st), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/d/reserved", &st), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/d/unused", &st), EUCLEAN);
	RL(fd = rump_sys_open("/mnt/g", O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, 12 * 1024), 12 * 1024);
	REQUIRE_ERRNO(rump_sys_read(fd, buf, sizeof(buf)), EUCLEAN);
	RL(rump_sys_close(fd));
	same_reg("/mnt/d/x", "small");
	write_file("/mnt/new", "still works", 11);
	check_file("/mnt/new", "still works", 11);
	RL(rump_sys_umount2("/mnt", 0));
	run("dumpe2fs -h img 2>/dev/null | "
	    "grep -q '^Filesystem state:.*with errors'");
}

ATF_TC(damaged_directory_entries_fail_euclean);
ATF_TC_HEAD(damaged_directory_entries_fail_euclean, tc)
{

	atf_tc_set_md_var(tc, "descr", "a directory block with a bad record "
	    "length fails lookups, listing and changes with EUCLEAN");
}
ATF_TC_BODY(damaged_directory_entries_fail_euclean, tc)
{
	char buf[4096];
	struct stat st;
	uint32_t blk;
	int fd;

	damage_prepare();
	blk = debugfs_number("img", "bmap /d 0");
	patch("img", (off_t)blk * 1024 + 12 + 4, 5, 2);
	mount_img("img", "ext2", MS_RDONLY);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/d/x", &st), EUCLEAN);
	RL(fd = rump_sys_open("/mnt/d", O_RDONLY | O_DIRECTORY));
	while (rump_sys_getdents64(fd, buf, sizeof(buf)) > 0)
		continue;
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)), EUCLEAN);
	RL(rump_sys_close(fd));
	RL(rump_sys_umount2("/mnt", 0));
	patch("img", (off_t)blk * 1024 + 12 + 4, 2000, 2);
	RL(mount_at("/dev/sd0", "/mnt", "ext2", 0));
	REQUIRE_ERRNO(rump_sys_stat("/mnt/d/x", &st), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_mkdir("/mnt/d/new", 0755), EUCLEAN);
	RL(rump_sys_umount2("/mnt", 0));
}

/* Read a file as far as it goes. */
static void
read_some(const char *path, char *buf, size_t len)
{
	int fd, n = 0;

	if ((fd = rump_sys_open(path, O_RDONLY)) == -1)
		return;
	while (n++ < 8 && rump_sys_read(fd, buf, len) > 0)
		continue;
	RL(rump_sys_close(fd));
}

/* Read everything under path (at most depth levels), ignoring errors. */
static void
walk(const char *path, int depth)
{
	static char data[65536];
	char buf[4096], sub[PATH_MAX];
	const struct linux_dirent64 *d;
	struct stat st;
	ssize_t len, pos;
	size_t plen = strlen(path), nlen;
	int fd, n = 0;

	if (depth > 6 || (fd = rump_sys_open(path, O_RDONLY |
	    O_DIRECTORY)) == -1)
		return;
	while (n < 2000 &&
	    (len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < len; pos += d->d_reclen, n++) {
			d = (const struct linux_dirent64 *)(buf + pos);
			nlen = strnlen(d->d_name, NAME_MAX + 1);
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0 ||
			    plen + nlen + 2 > sizeof(sub))
				continue;
			memcpy(sub, path, plen);
			sub[plen] = '/';
			memcpy(sub + plen + 1, d->d_name, nlen);
			sub[plen + 1 + nlen] = '\0';
			if (rump_sys_lstat(sub, &st) == -1)
				continue;
			if (S_ISDIR(st.st_mode))
				walk(sub, depth + 1);
			else if (S_ISLNK(st.st_mode))
				(void)rump_sys_readlink(sub, data, 4096);
			else if (S_ISREG(st.st_mode))
				read_some(sub, data, sizeof(data));
		}
	}
	RL(rump_sys_close(fd));
}

/* Changes of every kind on a possibly damaged file system. */
static void
scribble(const char *mnt)
{
	char p[PATH_MAX], q[PATH_MAX], data[20000];
	int fd;

	memset(data, 'w', sizeof(data));
	(void)rump_sys_mkdir(mkpath(p, mnt, "newdir"), 0755);
	if ((fd = rump_sys_open(mkpath(p, mnt, "newdir/f"), O_CREAT | O_RDWR,
	    0644)) != -1) {
		(void)rump_sys_write(fd, data, sizeof(data));
		(void)rump_sys_ftruncate(fd, 100);
		RL(rump_sys_close(fd));
	}
	(void)rump_sys_symlink("target", mkpath(p, mnt, "d/link"));
	(void)rump_sys_rename(mkpath(p, mnt, "d"), mkpath(q, mnt, "newdir/d"));
	(void)rump_sys_unlink(mkpath(p, mnt, "small"));
	(void)rump_sys_unlink(mkpath(p, mnt, "many/f010"));
	(void)rump_sys_rmdir(mkpath(p, mnt, "newdir/d/sub"));
	(void)rump_sys_truncate(mkpath(p, mnt, "sparse"), 1000);
}

#define NDAMAGE		40

ATF_TC(random_damage_never_crashes);
ATF_TC_HEAD(random_damage_never_crashes, tc)
{

	atf_tc_set_md_var(tc, "descr", "images with random bytes of their "
	    "metadata overwritten mount or fail cleanly, and reading and "
	    "changing them never crashes or hangs the kernel");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(random_damage_never_crashes, tc)
{
	char img[32], key[32], mnt[32];
	uint32_t rnd, blocks;
	off_t off;
	int i, j;

	mkfs("img", "ext2", "-b 1024 -N 512", "32M");
	tree_populate("img");
	/* Superblock, descriptors, bitmaps, inode table, first dirs. */
	blocks = debugfs_number("img", "bmap /many 0") + 64;
	for (i = 0; i < NDAMAGE; i++) {
		snprintf(img, sizeof(img), "dmg%d", i);
		snprintf(key, sizeof(key), "/dev/dmg%d", i);
		snprintf(mnt, sizeof(mnt), "/dmg%d", i);
		run("cp --sparse=always img %s", img);
		rnd = 0x12345u + (uint32_t)i * 7919u;
		for (j = 0; j < 24; j++) {
			rnd = rnd * 1103515245u + 12345u;
			off = 1024 + (off_t)(rnd % ((blocks - 1) * 1024));
			rnd = rnd * 1103515245u + 12345u;
			patch(img, off, rnd >> 16, 1);
		}
		attach(key, img);
		if (mount_at(key, mnt, "ext2", 0) == -1)
			continue;
		walk(mnt, 0);
		scribble(mnt);
		walk(mnt, 0);
		RL(rump_sys_umount2(mnt, 0));
		RL(unlink(img));
	}
}

/* ---- images found by fuzz/fuzz_ext2.c ----------------------------------- */

ATF_TC(fuzz_links_beyond_link_max_fail_euclean);
ATF_TC_HEAD(fuzz_links_beyond_link_max_fail_euclean, tc)
{

	atf_tc_set_md_var(tc, "descr", "inodes with more links than "
	    "EXT2_LINK_MAX fail with EUCLEAN; removing a link from one "
	    "used to trip an assertion (found by fuzz_ext2)");
}
ATF_TC_BODY(fuzz_links_beyond_link_max_fail_euclean, tc)
{
	struct stat st;

	mkfs("img", "ext2", "-b 1024", "1M");
	host_file("small", 6, 1);
	debugfs("img", "write small f\nmkdir d\nmkdir d/sub\n"
	    "sif f links_count 64254\nsif d links_count 64254\n");
	mount_img("img", "ext2", 0);
	REQUIRE_ERRNO(rump_sys_stat("/mnt/f", &st), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_unlink("/mnt/f"), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_rmdir("/mnt/d/sub"), EUCLEAN);
	REQUIRE_ERRNO(rump_sys_rename("/mnt/d", "/mnt/e"), EUCLEAN);
	walk("/mnt", 0);
	RL(rump_sys_umount2("/mnt", 0));
}

/* ---- writing: trees checked by e2fsck and read back by debugfs -------- */

/*
 * Every change is made twice (h_image.h): in the image under /mnt/t and
 * on the host under "mirror".  After unmounting, e2fsck must pass and
 * debugfs's rdump of /t must equal the mirror.
 */
static void
m_symlink(const char *target, const char *rel)
{
	char p[PATH_MAX];

	RL(rump_sys_symlink(target, rp(p, rel)));
	RL(symlink(target, hp(p, rel)));
}

static void
m_link(const char *from, const char *to)
{
	char p[PATH_MAX], q[PATH_MAX];

	RL(rump_sys_link(rp(p, from), rp(q, to)));
	RL(link(hp(p, from), hp(q, to)));
}

/* Unmount, check with e2fsck, and compare debugfs's copy of /t. */
static void
mirror_check(const char *img)
{

	umount_fsck(img);
	run("rm -rf out && mkdir out && debugfs -R 'rdump /t out' %s "
	    ">/dev/null 2>&1", img);
	run("diff -r --no-dereference mirror out/t");
}

static void
write_tree(const char *opts)
{
	static const uint64_t sparse[] = { 0, 300 * KIB, 20 * MIB,
	    100 * MIB };
	char p[PATH_MAX], q[PATH_MAX], longlink[1000];
	size_t i;
	int n;

	mkfs("img", "ext2", opts, "64M");
	mount_img("img", "ext2", 0);
	RL(rump_sys_mkdir("/mnt/t", 0755));
	RL(mkdir("mirror", 0755));
	/* A deep directory chain. */
	for (n = 0, p[0] = '\0'; n < 20; n++) {
		snprintf(q, sizeof(q), "%s%sd%d", p, n == 0 ? "" : "/", n);
		m_mkdir(q);
		strcpy(p, q);
	}
	strcat(p, "/bottom");
	m_pwrite(p, 0, 5000, 1);
	/* Many files of many sizes in one directory. */
	m_mkdir("many");
	for (n = 0; n < 400; n++) {
		snprintf(p, sizeof(p), "many/f%03d", n);
		m_pwrite(p, 0, (size_t)(n * 997) % 30000, (uint32_t)n);
	}
	/* Sparse, shrunk, extended and appended files. */
	for (i = 0; i < NITEMS(sparse); i++)
		m_pwrite("sparse", sparse[i], 4096, 7);
	m_truncate("sparse", 50 * MIB + 333);
	m_pwrite("sparse", 60 * MIB + 123, 5000, 8);
	m_pwrite("grow", 0, 0, 9);
	for (n = 0; n < 100; n++)
		m_pwrite("grow", (uint64_t)n * 3000, 3000, (uint32_t)n);
	m_truncate("grow", 1);
	m_truncate("grow", 70000);
	m_pwrite("big", 0, 256 * 1024, 10);
	for (n = 1; n < 12; n++)
		m_pwrite("big", (uint64_t)n * 256 * 1024, 256 * 1024, 10);
	m_pwrite("many/f010", 100, 2000, 99);
	/* Symlinks, fast and slow; hard links. */
	m_symlink("many/f001", "fastlink");
	m_symlink(SLOWLINK, "slowlink");
	memset(longlink, 'L', sizeof(longlink) - 1);
	longlink[sizeof(longlink) - 1] = '\0';
	m_symlink(longlink, "longlink");
	m_link("many/f002", "hl1");
	m_link("many/f002", "d0/hl2");
	/* Renames: in place, across directories, over files and dirs. */
	m_rename("many/f003", "renamed");
	m_rename("many/f004", "d0/d1/moved");
	m_rename("many/f005", "many/f006");
	m_rename("d0/d1/d2", "movedsub");
	m_mkdir("empty");
	m_rename("movedsub", "empty");
	m_rename("d0/d1", "empty/d3/d1again");
	/* Deletes. */
	for (n = 100; n < 200; n++) {
		snprintf(p, sizeof(p), "many/f%03d", n);
		m_unlink(p);
	}
	m_mkdir("gone");
	m_pwrite("gone/a", 0, 10000, 11);
	m_unlink("gone/a");
	m_rmdir("gone");
	m_unlink("hl1");
	REQUIRE_EQ(stat_of("/mnt/t/many/f002").st_nlink, 2);
	REQUIRE_EQ(stat_of("/mnt/t/empty").st_nlink, 3);
	mirror_check("img");
}

ATF_TC(write_tree_1k_passes_e2fsck_and_debugfs_dump);
ATF_TC_HEAD(write_tree_1k_passes_e2fsck_and_debugfs_dump, tc)
{

	atf_tc_set_md_var(tc, "descr", "a tree written on 1 KiB blocks (deep "
	    "dirs, many files, triple indirect sparse files, links, renames, "
	    "deletes) passes e2fsck and debugfs reads it back the same");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(write_tree_1k_passes_e2fsck_and_debugfs_dump, tc)
{

	write_tree("-b 1024");
}

ATF_TC(write_tree_4k_passes_e2fsck_and_debugfs_dump);
ATF_TC_HEAD(write_tree_4k_passes_e2fsck_and_debugfs_dump, tc)
{

	atf_tc_set_md_var(tc, "descr", "a tree written on 4 KiB blocks passes "
	    "e2fsck and debugfs reads it back the same");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(write_tree_4k_passes_e2fsck_and_debugfs_dump, tc)
{

	write_tree("-b 4096");
}

ATF_TC(write_tree_sparse_super2_passes_e2fsck_and_debugfs_dump);
ATF_TC_HEAD(write_tree_sparse_super2_passes_e2fsck_and_debugfs_dump, tc)
{

	atf_tc_set_md_var(tc, "descr", "a tree written on 2 KiB blocks, "
	    "128-byte inodes and sparse_super2 (backups in two chosen "
	    "groups) passes e2fsck and debugfs reads it back the same");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(write_tree_sparse_super2_passes_e2fsck_and_debugfs_dump, tc)
{

	write_tree("-b 2048 -I 128 -g 1024 -O sparse_super2");
}

ATF_TC(write_on_rev0_and_128_byte_inodes);
ATF_TC_HEAD(write_on_rev0_and_128_byte_inodes, tc)
{

	atf_tc_set_md_var(tc, "descr", "writing a revision 0 image works, "
	    "and files there end below 2 GiB (EFBIG)");
}
ATF_TC_BODY(write_on_rev0_and_128_byte_inodes, tc)
{
	char p[PATH_MAX];
	int fd;

	mkfs("img", "ext2", "-r 0 -b 1024", "16M");
	mount_img("img", "ext2", 0);
	RL(rump_sys_mkdir("/mnt/t", 0755));
	RL(mkdir("mirror", 0755));
	m_mkdir("dir");
	m_pwrite("dir/f", 0, 200000, 1);
	m_symlink("dir/f", "l");
	m_rename("dir/f", "f");
	RL(fd = rump_sys_open(rp(p, "huge"), O_CREAT | O_WRONLY, 0644));
	REQUIRE_ERRNO(rump_sys_pwrite(fd, "x", 1, (off_t)3 * GIB), EFBIG);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink(p));
	mirror_check("img");
}

/* dumpe2fs -h's "Filesystem state:" must match pattern. */
static void
require_state(const char *img, const char *pattern_re)
{

	run("dumpe2fs -h %s 2>/dev/null | grep -q '^Filesystem state: *%s$'",
	    img, pattern_re);
}

ATF_TC(clean_flag_follows_mount_remount_umount);
ATF_TC_HEAD(clean_flag_follows_mount_remount_umount, tc)
{

	atf_tc_set_md_var(tc, "descr", "the superblock is marked not clean "
	    "while mounted read-write, clean after remounting read-only and "
	    "after unmounting; remounting read-only with a removed file "
	    "still open fails with EBUSY");
}
ATF_TC_BODY(clean_flag_follows_mount_remount_umount, tc)
{
	int fd;

	mkfs("img", "ext2", "-b 4096", "16M");
	require_state("img", "clean");
	mount_img("img", "ext2", 0);
	require_state("img", "not clean");
	write_file("/mnt/f", "data", 4);
	RL(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	require_state("img", "clean");
	fsck_clean("img");
	REQUIRE_ERRNO(rump_sys_open("/mnt/g", O_CREAT | O_WRONLY, 0644),
	    EROFS);
	check_file("/mnt/f", "data", 4);
	RL(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL));
	require_state("img", "not clean");
	RL(fd = rump_sys_open("/mnt/f", O_RDWR));
	RL(rump_sys_unlink("/mnt/f"));
	REQUIRE_ERRNO(rump_sys_mount(NULL, "/mnt", NULL,
	    MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	REQUIRE_EQ(rump_sys_write(fd, "more", 4), 4);
	RL(rump_sys_close(fd));
	RL(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	RL(rump_sys_mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL));
	umount_fsck("img");
	require_state("img", "clean");
}

ATF_TC(delete_returns_every_block_and_inode);
ATF_TC_HEAD(delete_returns_every_block_and_inode, tc)
{

	atf_tc_set_md_var(tc, "descr", "removing what was written, open "
	    "removed files included, gives back every block and inode");
}
ATF_TC_BODY(delete_returns_every_block_and_inode, tc)
{
	static char buf[1 << 20];
	struct statfs before, mid, after;
	char p[PATH_MAX];
	int fd, n;

	mkfs("img", "ext2", "-b 1024", "32M");
	mount_img("img", "ext2", 0);
	RL(rump_sys_statfs("/mnt", &before));
	RL(rump_sys_mkdir("/mnt/d", 0755));
	for (n = 0; n < 50; n++) {
		snprintf(p, sizeof(p), "/mnt/d/f%d", n);
		write_file(p, buf, (size_t)n * 7000);
	}
	RL(fd = rump_sys_open("/mnt/sparse", O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 4096, 70 * MIB), 4096);
	RL(rump_sys_unlink("/mnt/sparse"));
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, sizeof(buf), 0), sizeof(buf));
	RL(rump_sys_statfs("/mnt", &mid));
	ATF_REQUIRE(mid.f_bfree < before.f_bfree);
	RL(rump_sys_close(fd));
	for (n = 0; n < 50; n++) {
		snprintf(p, sizeof(p), "/mnt/d/f%d", n);
		RL(rump_sys_unlink(p));
	}
	RL(rump_sys_rmdir("/mnt/d"));
	RL(rump_sys_statfs("/mnt", &after));
	REQUIRE_EQ(after.f_bfree, before.f_bfree);
	REQUIRE_EQ(after.f_ffree, before.f_ffree);
	REQUIRE_EQ(after.f_type, 0xEF53);
	umount_fsck("img");
}

ATF_TC(full_file_system_fails_enospc_and_stays_valid);
ATF_TC_HEAD(full_file_system_fails_enospc_and_stays_valid, tc)
{

	atf_tc_set_md_var(tc, "descr", "writing until the disk is full ends "
	    "with ENOSPC (or a short write), and the image stays valid");
}
ATF_TC_BODY(full_file_system_fails_enospc_and_stays_valid, tc)
{
	static char buf[65536];
	char p[PATH_MAX];
	ssize_t n;
	int fd, i;

	mkfs("img", "ext2", "-b 1024 -N 64", "2M");
	mount_img("img", "ext2", 0);
	RL(fd = rump_sys_open("/mnt/fill", O_CREAT | O_WRONLY, 0644));
	while ((n = rump_sys_write(fd, buf, sizeof(buf))) == sizeof(buf))
		continue;
	ATF_REQUIRE_MSG(n >= 0 || errno == ENOSPC, "write: %s",
	    strerror(errno));
	REQUIRE_ERRNO(rump_sys_write(fd, buf, sizeof(buf)), ENOSPC);
	RL(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_mkdir("/mnt/d", 0755), ENOSPC);
	RL(rump_sys_unlink("/mnt/fill"));
	for (i = 0;; i++) {
		snprintf(p, sizeof(p), "/mnt/n%d", i);
		if ((fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644)) == -1)
			break;
		RL(rump_sys_close(fd));
	}
	REQUIRE_EQ(errno, ENOSPC);
	ATF_REQUIRE(i > 40);
	umount_fsck("img");
}

ATF_TC(file_past_2gib_sets_large_file);
ATF_TC_HEAD(file_past_2gib_sets_large_file, tc)
{

	atf_tc_set_md_var(tc, "descr", "a file growing past 2 GiB turns on "
	    "the large_file feature and reads back after remounting");
}
ATF_TC_BODY(file_past_2gib_sets_large_file, tc)
{
	char buf[8];

	mkfs("img", "ext2", "-b 4096", "16M");
	debugfs("img", "feature -large_file\n");
	run("! dumpe2fs -h img 2>/dev/null | grep -q large_file");
	mount_img("img", "ext2", 0);
	write_file("/mnt/f", "x", 1);
	RL(rump_sys_truncate("/mnt/f", (off_t)3 * GIB));
	RL(rump_sys_umount2("/mnt", 0));
	fsck_clean("img");
	run("dumpe2fs -h img 2>/dev/null | grep -q large_file");
	RL(mount_at("/dev/sd0", "/mnt", "ext2", MS_RDONLY));
	REQUIRE_EQ(stat_of("/mnt/f").st_size, 3 * GIB);
	REQUIRE_EQ(read_file("/mnt/f", buf, 2), 2);
	ATF_REQUIRE(buf[0] == 'x' && buf[1] == 0);
	RL(rump_sys_umount2("/mnt", 0));
}

/* ---- hash-indexed directories ------------------------------------------ */

/* The kernel's name hash (kernel/fs/ext2/ext2_hash.c; the build prefixes
 * kernel symbols with rumpns_). */
int	rumpns_ext2_dirhash(int, const uint32_t *, const char *, size_t,
	    uint32_t *, uint32_t *);

/* The hash seed words of a UUID string, as the superblock holds them. */
static void
uuid_seed(const char *uuid, uint32_t seed[4])
{
	uint8_t b[16];
	unsigned int v;
	int i = 0;

	for (; *uuid != '\0' && i < 16; uuid++) {
		if (*uuid == '-')
			continue;
		ATF_REQUIRE(sscanf(uuid, "%2x", &v) == 1);
		b[i++] = (uint8_t)v;
		uuid++;
	}
	ATF_REQUIRE(i == 16);
	for (i = 0; i < 4; i++)
		seed[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		    (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
}

/* Name i of a set meant to stress the hashes: lengths 1 to 255, letters,
 * digits and bytes above 0x7f (signed and unsigned hashes differ). */
static void
odd_name(char *buf, int i)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
	uint32_t x = (uint32_t)i * 2654435761u + 12345;
	int j, len = 1 + (i * 37 + i / 7) % 255;

	for (j = 0; j < len; j++) {
		x = x * 1103515245 + 12345;
		if ((x >> 16) % 4 == 0)
			buf[j] = (char)(0x80 + (x >> 20) % 0x80);
		else
			buf[j] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
	}
	buf[len] = '\0';
	if (strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0)
		buf[0] = 'x';
}

#define NHASHNAMES	150

/* The next "Hash of NAME is 0x... (minor 0x...)" line of debugfs. */
static void
next_dx_hash(FILE *fp, unsigned int *hashp, unsigned int *minorp)
{
	char line[1024], *p, *q;

	do
		ATF_REQUIRE_MSG(fgets(line, sizeof(line), fp) != NULL,
		    "debugfs's output ends early");
	while (strncmp(line, "Hash of ", 8) != 0);
	for (p = NULL, q = line; (q = strstr(q, " is 0x")) != NULL; q++)
		p = q;
	ATF_REQUIRE(p != NULL &&
	    sscanf(p, " is 0x%x (minor 0x%x)", hashp, minorp) == 2);
}

ATF_TC(dirhash_matches_debugfs_dx_hash);
ATF_TC_HEAD(dirhash_matches_debugfs_dx_hash, tc)
{

	atf_tc_set_md_var(tc, "descr", "the legacy, half_md4 and tea name "
	    "hashes, signed and unsigned, with and without a seed, agree with "
	    "debugfs dx_hash on names of every length");
}
ATF_TC_BODY(dirhash_matches_debugfs_dx_hash, tc)
{
	static const char *seeds[2] = {
		"00000000-0000-0000-0000-000000000000", UUID,
	};
	unsigned int want, wminor;
	uint32_t seed[4], hash, minor;
	char name[256];
	int s, v, i, n = 0;
	FILE *fp;

	ATF_REQUIRE((fp = fopen("dx.cmd", "w")) != NULL);
	for (s = 0; s < 2; s++)
		for (v = 0; v < 6; v++)
			for (i = 0; i < NHASHNAMES; i++) {
				odd_name(name, i);
				fprintf(fp, "dx_hash -h %d -s %s %s\n", v,
				    seeds[s], name);
			}
	ATF_REQUIRE(fclose(fp) == 0);
	mkfs("img", "ext2", "-b 1024", "1M");
	run("debugfs -f dx.cmd img >dx.out 2>/dev/null");
	ATF_REQUIRE((fp = fopen("dx.out", "r")) != NULL);
	for (s = 0; s < 2; s++) {
		uuid_seed(seeds[s], seed);
		for (v = 0; v < 6; v++)
			for (i = 0; i < NHASHNAMES; i++, n++) {
				next_dx_hash(fp, &want, &wminor);
				odd_name(name, i);
				REQUIRE_EQ(rumpns_ext2_dirhash(v, seed, name,
				    strlen(name), &hash, &minor), 0);
				ATF_REQUIRE_MSG(hash == want &&
				    minor == wminor, "version %d seed %d "
				    "name %d: %#x/%#x, debugfs %#x/%#x", v,
				    s, i, hash, minor, want, wminor);
			}
	}
	fclose(fp);
	REQUIRE_EQ(n, 2 * 6 * NHASHNAMES);
}

/* debugfs's listing of dir (live entries only) must be exactly the
 * sorted names in file want. */
static void
dir_lists(const char *img, const char *dir, const char *want)
{

	run("debugfs -R 'ls -p %s' %s 2>/dev/null | awk -F/ 'NF > 5 && "
	    "$2 != 0 && $6 != \".\" && $6 != \"..\" { print $6 }' | "
	    "LC_ALL=C sort >ls.out && LC_ALL=C sort %s >want.sorted && "
	    "cmp ls.out want.sorted", dir, img, want);
}

/* The image must be clean and dir must still be hash-indexed. */
static void
still_indexed(const char *img, const char *dir)
{

	fsck_clean(img);
	run("dumpe2fs -h %s 2>/dev/null | "
	    "grep -q '^Filesystem state: *clean$'", img);
	run("debugfs -R 'stat %s' %s 2>/dev/null | grep -q 'Flags: 0x1000'",
	    dir, img);
}

/* Names of the big-directory tests: varied lengths, given a prefix. */
static void
big_name(char *buf, size_t len, const char *prefix, int i)
{
	int n = 1 + (i * 53) % 90;

	snprintf(buf, len, "%s%05d%.*s", prefix, i, n,
	    "-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

/*
 * Create n names in /mnt/big through rumpk, remove every third, rename
 * every seventh (in place and into /mnt/other), then check everything
 * with e2fsck, debugfs ls and htree_dump, and look every name up again.
 */
static void
big_dir(const char *opts, int n, int levels)
{
	char p[PATH_MAX], q[PATH_MAX], name[256];
	FILE *want, *wother;
	int i;

	mkfs("img", "ext2", opts, "64M");
	mount_img("img", "ext2", 0);
	RL(rump_sys_mkdir("/mnt/big", 0755));
	RL(rump_sys_mkdir("/mnt/other", 0755));
	ATF_REQUIRE((want = fopen("want", "w")) != NULL);
	ATF_REQUIRE((wother = fopen("want.other", "w")) != NULL);
	for (i = 0; i < n; i++) {
		big_name(name, sizeof(name), "f", i);
		write_file(mkpath(p, "/mnt/big", name), "", 0);
	}
	for (i = 0; i < n; i++) {
		big_name(name, sizeof(name), "f", i);
		mkpath(p, "/mnt/big", name);
		if (i % 3 == 0)
			RL(rump_sys_unlink(p));
		else if (i % 7 == 1) {
			big_name(name, sizeof(name), "renamed", i);
			RL(rump_sys_rename(p, mkpath(q, "/mnt/big", name)));
			fprintf(want, "%s\n", name);
		} else if (i % 7 == 2) {
			RL(rump_sys_rename(p, mkpath(q, "/mnt/other", name)));
			fprintf(wother, "%s\n", name);
		} else
			fprintf(want, "%s\n", name);
	}
	ATF_REQUIRE(fclose(want) == 0 && fclose(wother) == 0);
	umount_fsck("img");
	still_indexed("img", "/big");
	dir_lists("img", "/big", "want");
	dir_lists("img", "/other", "want.other");
	run("debugfs -R 'htree_dump /big' img 2>/dev/null | "
	    "grep -q 'Indirect levels: %d'", levels - 1);
	RL(mount_at("/dev/sd0", "/mnt", "ext2", MS_RDONLY));
	for (i = 0; i < n; i++) {
		big_name(name, sizeof(name), "f", i);
		mkpath(p, i % 7 == 2 && i % 3 != 0 ? "/mnt/other" : "/mnt/big",
		    name);
		if (i % 3 == 0 || i % 7 == 1)
			ATF_REQUIRE_ERRNO(ENOENT, rump_sys_access(p, F_OK) ==
			    -1);
		else
			RL(rump_sys_access(p, F_OK));
	}
	RL(rump_sys_umount2("/mnt", 0));
}

ATF_TC(htree_1k_two_levels_stay_valid);
ATF_TC_HEAD(htree_1k_two_levels_stay_valid, tc)
{

	atf_tc_set_md_var(tc, "descr", "a directory grown to 4000 names on "
	    "1 KiB blocks gets a two-level hash index that e2fsck accepts "
	    "through creates, removes and renames; debugfs lists exactly the "
	    "expected names");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(htree_1k_two_levels_stay_valid, tc)
{

	big_dir("-b 1024", 4000, 2);
}

ATF_TC(htree_4k_stays_valid);
ATF_TC_HEAD(htree_4k_stays_valid, tc)
{

	atf_tc_set_md_var(tc, "descr", "a directory grown to 3000 names on "
	    "4 KiB blocks gets a hash index that e2fsck accepts through "
	    "creates, removes and renames");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(htree_4k_stays_valid, tc)
{

	big_dir("-b 4096", 3000, 1);
}

ATF_TC(htree_other_hash_versions_stay_valid);
ATF_TC_HEAD(htree_other_hash_versions_stay_valid, tc)
{

	atf_tc_set_md_var(tc, "descr", "directories indexed with the tea and "
	    "legacy hashes and with unsigned hashing (names with bytes above "
	    "0x7f) pass e2fsck, which recomputes every hash");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(htree_other_hash_versions_stay_valid, tc)
{
	static const char *sets[][2] = {
		{ "tea", "1" }, { "legacy", "2" }, { "half_md4", "2" },
		{ "tea", "2" },
	};
	char p[PATH_MAX], name[256], img[32], key[32];
	size_t k;
	int i;

	for (k = 0; k < NITEMS(sets); k++) {
		snprintf(img, sizeof(img), "img%zu", k);
		snprintf(key, sizeof(key), "/dev/h%zu", k);
		mkfs(img, "ext2", "-b 1024", "16M");
		run("debugfs -w -R 'ssv def_hash_version %s' %s && "
		    "debugfs -w -R 'ssv flags %s' %s", sets[k][0], img,
		    sets[k][1], img);
		attach(key, img);
		RL(mount_at(key, "/mnt", "ext2", 0));
		RL(rump_sys_mkdir("/mnt/d", 0755));
		for (i = 0; i < 400; i++) {
			odd_name(name, i);
			write_file(mkpath(p, "/mnt/d", name), "", 0);
		}
		for (i = 0; i < 400; i += 5) {
			odd_name(name, i);
			RL(rump_sys_unlink(mkpath(p, "/mnt/d", name)));
		}
		for (i = 0; i < 400; i++) {
			odd_name(name, i);
			if (i % 5 != 0)
				RL(rump_sys_access(mkpath(p, "/mnt/d", name),
				    F_OK));
		}
		RL(rump_sys_umount2("/mnt", 0));
		still_indexed(img, "/d");
		run("debugfs -R 'htree_dump /d' %s 2>/dev/null | "
		    "grep -q 'Hash Version: %s'", img,
		    strcmp(sets[k][0], "tea") == 0 ? "2" :
		    strcmp(sets[k][0], "legacy") == 0 ? "0" : "1");
	}
}

ATF_TC(htree_made_by_e2fsck_read_and_changed);
ATF_TC_HEAD(htree_made_by_e2fsck_read_and_changed, tc)
{

	atf_tc_set_md_var(tc, "descr", "a two-level index that e2fsck -D "
	    "built over 5000 names (mke2fs -d does not index) is read through "
	    "and stays valid as rumpk removes and adds names");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(htree_made_by_e2fsck_read_and_changed, tc)
{
	char p[PATH_MAX], name[256];
	FILE *want;
	int i;

	RL(mkdir("host", 0755));
	RL(mkdir("host/big", 0755));
	for (i = 0; i < 5000; i++) {
		big_name(name, sizeof(name), "h", i);
		host_file(mkpath(p, "host/big", name), 0, 0);
	}
	mkfs("img", "ext2", "-b 1024 -d host", "64M");
	run("debugfs -R 'stat /big' img 2>/dev/null | grep -q 'Flags: 0x0'");
	run("e2fsck -fyD img >/dev/null 2>&1; test $? -le 1");
	run("debugfs -R 'htree_dump /big' img 2>/dev/null | "
	    "grep -q 'Indirect levels: 1'");
	mount_img("img", "ext2", 0);
	ATF_REQUIRE((want = fopen("want", "w")) != NULL);
	for (i = 0; i < 5000; i++) {
		big_name(name, sizeof(name), "h", i);
		mkpath(p, "/mnt/big", name);
		RL(rump_sys_access(p, F_OK));
		if (i % 5 == 0)
			RL(rump_sys_unlink(p));
		else
			fprintf(want, "%s\n", name);
	}
	for (i = 0; i < 1000; i++) {
		big_name(name, sizeof(name), "new", i);
		write_file(mkpath(p, "/mnt/big", name), "", 0);
		fprintf(want, "%s\n", name);
	}
	ATF_REQUIRE(fclose(want) == 0);
	RL(rump_sys_umount2("/mnt", 0));
	still_indexed("img", "/big");
	dir_lists("img", "/big", "want");
}

#define NTHREADS	3
#define NPERTHREAD	1500

/* Thread t of the concurrent test: create, look up, rename and remove
 * names of its own in /mnt/d; thread 0 lists the directory instead.
 * Returns NULL, or a message. */
static void *
htree_worker(void *arg)
{
	static char msg[NTHREADS][512];
	long t = (long)arg, i;
	char p[PATH_MAX], q[PATH_MAX], buf[4096];
	struct stat st;
	int fd;

	for (i = 0; i < NPERTHREAD; i++) {
		if (t == 0) {
			if ((fd = rump_sys_open("/mnt/d", O_RDONLY |
			    O_DIRECTORY)) == -1)
				goto fail;
			while (rump_sys_getdents64(fd, buf, sizeof(buf)) > 0)
				continue;
			rump_sys_close(fd);
			continue;
		}
		snprintf(p, sizeof(p), "/mnt/d/t%ld-a-longer-name-%ld", t, i);
		snprintf(q, sizeof(q), "/mnt/d/r%ld-%ld", t, i);
		if ((fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644)) == -1 ||
		    rump_sys_close(fd) == -1 || rump_sys_stat(p, &st) == -1 ||
		    (i % 3 == 0 && rump_sys_rename(p, q) == -1) ||
		    (i % 3 == 1 && rump_sys_unlink(p) == -1))
			goto fail;
	}
	return NULL;
fail:
	snprintf(msg[t], sizeof(msg[t]), "thread %ld, step %ld: %s", t, i,
	    strerror(errno));
	return msg[t];
}

ATF_TC(htree_concurrent_changes_two_cpus);
ATF_TC_HEAD(htree_concurrent_changes_two_cpus, tc)
{

	atf_tc_set_md_var(tc, "descr", "with two virtual CPUs, threads that "
	    "add, rename and remove names in one growing indexed directory "
	    "while another lists it leave a tree e2fsck accepts");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(htree_concurrent_changes_two_cpus, tc)
{
	pthread_t th[NTHREADS];
	char p[PATH_MAX];
	FILE *want;
	void *res;
	long t, i;

	RL(setenv("RUMP_NCPU", "2", 1));
	mkfs("img", "ext2", "-b 1024", "32M");
	mount_img("img", "ext2", 0);
	RL(rump_sys_mkdir("/mnt/d", 0755));
	for (t = 0; t < NTHREADS; t++)
		REQUIRE_EQ(pthread_create(&th[t], NULL, htree_worker,
		    (void *)t), 0);
	for (t = 0; t < NTHREADS; t++) {
		REQUIRE_EQ(pthread_join(th[t], &res), 0);
		ATF_REQUIRE_MSG(res == NULL, "%s", (const char *)res);
	}
	RL(rump_sys_umount2("/mnt", 0));
	ATF_REQUIRE((want = fopen("want", "w")) != NULL);
	for (t = 1; t < NTHREADS; t++)
		for (i = 0; i < NPERTHREAD; i++) {
			if (i % 3 == 0)
				snprintf(p, sizeof(p), "r%ld-%ld", t, i);
			else if (i % 3 == 2)
				snprintf(p, sizeof(p), "t%ld-a-longer-name-%ld",
				    t, i);
			else
				continue;
			fprintf(want, "%s\n", p);
		}
	ATF_REQUIRE(fclose(want) == 0);
	still_indexed("img", "/d");
	dir_lists("img", "/d", "want");
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Two different 255-byte names with the same half_md4 hash under the
 * test UUID, from candidates numbered from *next on. */
static void
colliding_pair(uint32_t *next, char *a, char *b)
{
	enum { NCAND = 1 << 18 };
	static uint64_t cand[NCAND];
	uint32_t seed[4], hash, i;
	char name[256];

	uuid_seed(UUID, seed);
	for (;;) {
		for (i = 0; i < NCAND; i++) {
			snprintf(name, sizeof(name), "%0255u", *next + i);
			ATF_REQUIRE(rumpns_ext2_dirhash(1, seed, name, 255,
			    &hash, NULL) == 0);
			cand[i] = (uint64_t)hash << 32 | i;
		}
		qsort(cand, NCAND, sizeof(cand[0]), cmp_u64);
		for (i = 1; i < NCAND; i++)
			if (cand[i] >> 32 == cand[i - 1] >> 32)
				break;
		if (i < NCAND)
			break;
		*next += NCAND;
	}
	snprintf(a, 256, "%0255u", *next + (uint32_t)cand[i - 1]);
	snprintf(b, 256, "%0255u", *next + (uint32_t)cand[i]);
	*next += NCAND;
}

ATF_TC(htree_hash_collisions_split_and_stay_findable);
ATF_TC_HEAD(htree_hash_collisions_split_and_stay_findable, tc)
{

	atf_tc_set_md_var(tc, "descr", "long names with equal hashes force "
	    "leaf splits inside a run of one hash (collision bit set); every "
	    "name stays findable and e2fsck accepts the index");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(htree_hash_collisions_split_and_stay_findable, tc)
{
	char p[PATH_MAX], name[256], pairs[8][2][256];
	uint32_t next = 0;
	int i, k;

	for (k = 0; k < 8; k++)
		colliding_pair(&next, pairs[k][0], pairs[k][1]);
	mkfs("img", "ext2", "-b 1024", "16M");
	mount_img("img", "ext2", 0);
	RL(rump_sys_mkdir("/mnt/d", 0755));
	/* Three such names fill a 1 KiB leaf: pairs get split apart. */
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "%0255d", -i - 1);
		write_file(mkpath(p, "/mnt/d", name), "", 0);
		if (i % 30 == 0)
			for (k = 0; k < 8; k++)
				write_file(mkpath(p, "/mnt/d",
				    pairs[k][i / 30 % 2]), "", 0);
	}
	for (k = 0; k < 8; k++) {
		write_file(mkpath(p, "/mnt/d", pairs[k][1]), "", 0);
		write_file(mkpath(p, "/mnt/d", pairs[k][0]), "", 0);
		RL(rump_sys_access(mkpath(p, "/mnt/d", pairs[k][0]), F_OK));
		RL(rump_sys_access(mkpath(p, "/mnt/d", pairs[k][1]), F_OK));
	}
	RL(rump_sys_umount2("/mnt", 0));
	still_indexed("img", "/d");
	/* Some index entry carries the collision bit (an odd hash). */
	run("debugfs -R 'htree_dump /d' img 2>/dev/null | "
	    "grep -Eq 'Hash 0x[0-9a-f]{7}[13579bdf], block'");
	RL(mount_at("/dev/sd0", "/mnt", "ext2", 0));
	for (k = 0; k < 8; k++) {
		RL(rump_sys_access(mkpath(p, "/mnt/d", pairs[k][0]), F_OK));
		RL(rump_sys_unlink(mkpath(p, "/mnt/d", pairs[k][1])));
		ATF_REQUIRE_ERRNO(ENOENT, rump_sys_access(mkpath(p, "/mnt/d",
		    pairs[k][1]), F_OK) == -1);
	}
	umount_fsck("img");
}

ATF_TC(htree_damaged_index_falls_back_to_linear);
ATF_TC_HEAD(htree_damaged_index_falls_back_to_linear, tc)
{

	atf_tc_set_md_var(tc, "descr", "a directory whose index root is "
	    "damaged is still searched correctly (linearly); a new name "
	    "drops the index, leaving a directory e2fsck can repair");
}
ATF_TC_BODY(htree_damaged_index_falls_back_to_linear, tc)
{
	char p[PATH_MAX], name[256];
	int i;

	mkfs("img", "ext2", "-b 1024", "64M");
	tree_populate("img");
	/* The root's limit field: block 0 of /many, byte 32. */
	run("blk=$(debugfs -R 'bmap /many 0' img 2>/dev/null) && "
	    "printf '\\377\\177' | dd of=img bs=1 seek=$((blk * 1024 + 32)) "
	    "conv=notrunc 2>/dev/null");
	mount_img("img", "ext2", 0);
	for (i = 0; i < NMANY; i += 11) {
		many_name(name, sizeof(name), i);
		RL(rump_sys_access(mkpath(p, "/mnt/many", name), F_OK));
	}
	write_file("/mnt/many/new", "n", 1);
	RL(rump_sys_umount2("/mnt", 0));
	run("debugfs -R 'stat /many' img 2>/dev/null | grep -q 'Flags: 0x0'");
	run("e2fsck -fy img >/dev/null 2>&1; test $? -le 1");
	fsck_clean("img");
	run("debugfs -R 'ls -p /many' img 2>/dev/null | grep -q /new/");
}

ATF_TC(hash_indexed_directory_changes_stay_valid);
ATF_TC_HEAD(hash_indexed_directory_changes_stay_valid, tc)
{

	atf_tc_set_md_var(tc, "descr", "adding and removing names in a "
	    "dir_index (htree) directory keeps e2fsck happy and every name "
	    "findable");
}
ATF_TC_BODY(hash_indexed_directory_changes_stay_valid, tc)
{
	char p[PATH_MAX], name[256];
	size_t n, nf;
	int i;

	mkfs("img", "ext2", "-b 1024", "64M");
	tree_populate("img");
	run("debugfs -R 'stat /many' img 2>/dev/null | "
	    "grep -q 'Flags: 0x1000'");
	mount_img("img", "ext2", 0);
	for (i = 0; i < NMANY; i += 3) {
		many_name(name, sizeof(name), i);
		snprintf(p, sizeof(p), "/mnt/many/%s", name);
		RL(rump_sys_unlink(p));
	}
	for (i = 0; i < 50; i++) {
		snprintf(p, sizeof(p), "/mnt/many/new%d", i);
		write_file(p, "n", 1);
	}
	RL(rump_sys_umount2("/mnt", 0));
	still_indexed("img", "/many");
	RL(mount_at("/dev/sd0", "/mnt", "ext2", MS_RDONLY));
	n = read_dir("/mnt/many", "f", &nf, NULL, NULL);
	REQUIRE_EQ(nf, NMANY - NMANY / 3);
	REQUIRE_EQ(n, nf + 50 + 2);
	check_file("/mnt/many/new49", "n", 1);
	RL(rump_sys_umount2("/mnt", 0));
}

/* ---- access times ---------------------------------------------------- */

/* The access time (seconds) of path in img, as debugfs reads it. */
static long long
disk_atime(const char *img, const char *path)
{
	char cmd[512], line[512];
	unsigned int v = 0;
	bool found = false;
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'stat %s' %s 2>/dev/null",
	    path, img);
	ATF_REQUIRE((fp = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, " atime: 0x%x", &v) == 1)
			found = true;
	ATF_REQUIRE(pclose(fp) == 0);
	ATF_REQUIRE_MSG(found, "no atime for %s", path);
	return v;
}

/*
 * Files whose times (seconds before now) make relatime decide both
 * ways: "old" was read before its last change, "recent" was read an
 * hour ago after its last change, "stale" two days ago after its last
 * change; "dir" is a directory like "old".
 */
static void
atime_image(const char *img, time_t now)
{
	static const struct {
		const char	*name;
		long		 atime, mtime;
	} f[] = {
		{ "old", 7200, 3600 }, { "recent", 3600, 7200 },
		{ "stale", 2 * 86400, 3 * 86400 }, { "dir", 7200, 3600 },
	};
	char script[2048];
	size_t i, len;

	host_file("data", 100, 1);
	mkfs(img, "ext2", "-b 1024", "8M");
	len = (size_t)snprintf(script, sizeof(script), "write data old\n"
	    "write data recent\nwrite data stale\nmkdir dir\n");
	for (i = 0; i < NITEMS(f); i++)
		len += (size_t)snprintf(script + len, sizeof(script) - len,
		    "sif %s atime @%lld\nsif %s mtime @%lld\n"
		    "sif %s ctime @%lld\n",
		    f[i].name, (long long)(now - f[i].atime), f[i].name,
		    (long long)(now - f[i].mtime), f[i].name,
		    (long long)(now - f[i].mtime));
	ATF_REQUIRE(len < sizeof(script));
	debugfs(img, script);
}

/* Mount img with opts (and flags), read every file and list the
 * directory, unmount. */
static void
atime_access(const char *img, const char *opts, unsigned long flags)
{
	static const char *names[] = { "old", "recent", "stale" };
	char buf[100], p[PATH_MAX];
	size_t i;

	attach("/dev/sd0", img);
	if (rump_sys_stat("/mnt", &(struct stat){ 0 }) == -1)
		RL(rump_sys_mkdir("/mnt", 0755));
	RL(rump_sys_mount("/dev/sd0", "/mnt", "ext2", flags, opts));
	for (i = 0; i < NITEMS(names); i++)
		REQUIRE_EQ(read_file(mkpath(p, "/mnt", names[i]), buf,
		    sizeof(buf)), 100);
	(void)read_dir("/mnt/dir", NULL, NULL, NULL, NULL);
	RL(rump_sys_umount2("/mnt", 0));
	RL(rump_pub_etfs_remove("/dev/sd0"));
}

/* Was the access time of path set to about now (true), or left at
 * now - ago (false)? */
static bool
atime_set(const char *img, const char *path, time_t now, long ago)
{
	long long t = disk_atime(img, path);

	if (t == (long long)now - ago)
		return false;
	ATF_REQUIRE_MSG(t >= (long long)now && t <= (long long)time(NULL),
	    "%s: atime %lld, neither kept (%lld) nor now (%lld)", path, t,
	    (long long)now - ago, (long long)now);
	return true;
}

ATF_TC(atime_relatime_by_default);
ATF_TC_HEAD(atime_relatime_by_default, tc)
{

	atf_tc_set_md_var(tc, "descr", "by default (and with relatime) "
	    "reading sets the access time only if it was not after the last "
	    "change or is a day old; debugfs sees the new times");
}
ATF_TC_BODY(atime_relatime_by_default, tc)
{
	time_t now = time(NULL);
	int i;

	for (i = 0; i < 2; i++) {
		atime_image("img", now);
		atime_access("img", i == 0 ? NULL : "relatime", 0);
		fsck_clean("img");
		ATF_REQUIRE(atime_set("img", "/old", now, 7200));
		ATF_REQUIRE(!atime_set("img", "/recent", now, 3600));
		ATF_REQUIRE(atime_set("img", "/stale", now, 2 * 86400));
		ATF_REQUIRE(atime_set("img", "/dir", now, 7200));
	}
}

ATF_TC(atime_strictatime_noatime_and_read_only);
ATF_TC_HEAD(atime_strictatime_noatime_and_read_only, tc)
{

	atf_tc_set_md_var(tc, "descr", "strictatime sets the access time on "
	    "every read; noatime (option or MS_NOATIME), nodiratime for "
	    "directories and read-only mounts never write it");
}
ATF_TC_BODY(atime_strictatime_noatime_and_read_only, tc)
{
	time_t now = time(NULL);
	struct stat st;

	atime_image("img", now);
	atime_access("img", "strictatime", 0);
	ATF_REQUIRE(atime_set("img", "/old", now, 7200));
	ATF_REQUIRE(atime_set("img", "/recent", now, 3600));
	ATF_REQUIRE(atime_set("img", "/dir", now, 7200));
	atime_image("img", now);
	atime_access("img", "noatime", 0);
	ATF_REQUIRE(!atime_set("img", "/old", now, 7200));
	ATF_REQUIRE(!atime_set("img", "/stale", now, 2 * 86400));
	ATF_REQUIRE(!atime_set("img", "/dir", now, 7200));
	atime_access("img", NULL, MS_NOATIME);
	ATF_REQUIRE(!atime_set("img", "/old", now, 7200));
	atime_access("img", "nodiratime", 0);
	ATF_REQUIRE(!atime_set("img", "/dir", now, 7200));
	ATF_REQUIRE(atime_set("img", "/old", now, 7200));
	atime_image("img", now);
	atime_access("img", NULL, MS_RDONLY);
	ATF_REQUIRE(!atime_set("img", "/old", now, 7200));
	ATF_REQUIRE(!atime_set("img", "/dir", now, 7200));
	fsck_clean("img");
	/* What rumpk reports is what is on disk. */
	atime_access("img", "strictatime", 0);
	attach("/dev/sd0", "img");
	RL(rump_sys_mount("/dev/sd0", "/mnt", "ext2", MS_RDONLY, NULL));
	RL(rump_sys_stat("/mnt/recent", &st));
	REQUIRE_EQ((long long)st.st_atim.tv_sec, disk_atime("img",
	    "/recent"));
	RL(rump_sys_umount2("/mnt", 0));
}

ATF_TC(attribute_block_released_with_its_file);
ATF_TC_HEAD(attribute_block_released_with_its_file, tc)
{

	atf_tc_set_md_var(tc, "descr", "removing a file frees its extended "
	    "attribute block; other files keep theirs");
}
ATF_TC_BODY(attribute_block_released_with_its_file, tc)
{

	mkfs("img", "ext2", "-b 1024 -I 128", "16M");
	debugfs("img", "write /dev/null f\nwrite /dev/null g\n"
	    "ea_set f user.test hello\nea_set g user.keep kept\n");
	run("debugfs -R 'stat /f' img 2>/dev/null | "
	    "grep -q 'File ACL: [1-9]'");
	mount_img("img", "ext2", 0);
	RL(rump_sys_unlink("/mnt/f"));
	write_file("/mnt/g", "data", 4);
	umount_fsck("img");
	run("debugfs -R 'ea_get g user.keep' img 2>/dev/null | grep -q kept");
}

ATF_TC(owners_modes_times_devices_persist);
ATF_TC_HEAD(owners_modes_times_devices_persist, tc)
{

	atf_tc_set_md_var(tc, "descr", "32-bit owners, set-id modes, "
	    "nanosecond times (256-byte inodes; seconds with 128) and large "
	    "device numbers survive a remount");
}
ATF_TC_BODY(owners_modes_times_devices_persist, tc)
{
	const struct timespec ts[2] = {
		{ .tv_sec = 1500000000, .tv_nsec = 123456789 },
		{ .tv_sec = 4000000000, .tv_nsec = 987654321 },
	};
	const char *imgs[2] = { "img256", "img128" };
	struct stat st;
	int i;

	mkfs("img256", "ext2", "-b 1024", "16M");
	mkfs("img128", "ext2", "-b 1024 -I 128", "16M");
	for (i = 0; i < 2; i++) {
		attach(i == 0 ? "/dev/a" : "/dev/b", imgs[i]);
		RL(mount_at(i == 0 ? "/dev/a" : "/dev/b", "/mnt", "ext2", 0));
		write_file("/mnt/f", "x", 1);
		RL(rump_sys_chown("/mnt/f", 70000, 80000));
		RL(rump_sys_chmod("/mnt/f", 06751));
		RL(rump_sys_utimensat(AT_FDCWD, "/mnt/f", ts, 0));
		RL(rump_sys_mknod("/mnt/dev", S_IFCHR | 0600,
		    makedev(300, 70000)));
		RL(rump_sys_umount2("/mnt", 0));
		fsck_clean(imgs[i]);
		RL(mount_at(i == 0 ? "/dev/a" : "/dev/b", "/mnt", "ext2",
		    MS_RDONLY));
		st = stat_of("/mnt/f");
		REQUIRE_EQ(st.st_uid, 70000);
		REQUIRE_EQ(st.st_gid, 80000);
		REQUIRE_EQ(st.st_mode, S_IFREG | 06751);
		REQUIRE_EQ(st.st_atim.tv_sec, 1500000000);
		REQUIRE_EQ(st.st_atim.tv_nsec, i == 0 ? 123456789 : 0);
		REQUIRE_EQ(st.st_mtim.tv_sec, i == 0 ? 4000000000 : 0x7fffffff);
		REQUIRE_EQ(st.st_mtim.tv_nsec, i == 0 ? 987654321 : 0);
		REQUIRE_EQ(lstat_of("/mnt/dev").st_rdev, makedev(300, 70000));
		RL(rump_sys_umount2("/mnt", 0));
	}
}

/* ---- crash safety ------------------------------------------------------ */

#define NSYNCED		12

/* The child: write files, fsync each and report it, make a mess in
 * between; it is killed while doing so. */
static void __attribute__((__noreturn__))
crash_writer(int report)
{
	static uint8_t buf[64 * 1024];
	char p[64], q[64];
	int fd, i;

	/* A small cache, so that unsynced changes reach the disk too. */
	if (setenv("RUMP_BUFCACHE", "256k", 1) == -1 || rump_init() != 0 ||
	    rump_pub_etfs_register("/dev/sd0", "img", RUMP_ETFS_BLK) != 0 ||
	    rump_sys_mkdir("/mnt", 0755) == -1 ||
	    rump_sys_mount("/dev/sd0", "/mnt", "ext2", 0, NULL) == -1)
		_exit(1);
	for (i = 0;; i++) {
		snprintf(p, sizeof(p), "/mnt/synced%d", i);
		pattern_fill(buf, sizeof(buf), (uint32_t)i, 0);
		if ((fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644)) == -1 ||
		    rump_sys_write(fd, buf, 20000 + (size_t)i * 1000) == -1 ||
		    rump_sys_fsync(fd) == -1 || rump_sys_close(fd) == -1 ||
		    write(report, &i, sizeof(i)) != sizeof(i))
			_exit(1);
		snprintf(p, sizeof(p), "/mnt/junk%d", i);
		snprintf(q, sizeof(q), "/mnt/junk%d.old", i);
		if ((fd = rump_sys_open(p, O_CREAT | O_WRONLY, 0644)) != -1) {
			(void)rump_sys_pwrite(fd, buf, sizeof(buf),
			    (off_t)i * MIB);
			(void)rump_sys_close(fd);
		}
		(void)rump_sys_rename(p, q);
		(void)rump_sys_mkdir(p, 0755);
	}
}

ATF_TC(killed_writer_keeps_fsynced_files);
ATF_TC_HEAD(killed_writer_keeps_fsynced_files, tc)
{

	atf_tc_set_md_var(tc, "descr", "after the writing process is killed, "
	    "e2fsck -fy repairs the image and every file that was fsync()ed "
	    "reads back intact through debugfs");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(killed_writer_keeps_fsynced_files, tc)
{
	static uint8_t want[64 * 1024], got[64 * 1024];
	int fds[2], i, last = -1, status;
	char out[64];
	size_t len;
	pid_t pid;
	FILE *fp;

	mkfs("img", "ext2", "-b 1024", "32M");
	RL(pipe(fds));
	RL(pid = fork());
	if (pid == 0) {
		close(fds[0]);
		crash_writer(fds[1]);
	}
	close(fds[1]);
	while (last < NSYNCED && read(fds[0], &i, sizeof(i)) == sizeof(i))
		last = i;
	/* Let it get into the middle of something. */
	usleep(3000);
	RL(kill(pid, SIGKILL));
	RL(waitpid(pid, &status, 0));
	while (read(fds[0], &i, sizeof(i)) == sizeof(i))
		last = i;
	close(fds[0]);
	ATF_REQUIRE_MSG(last >= NSYNCED, "the writer failed early");
	run("e2fsck -fy img >fsck-y.out 2>&1; test $? -le 1");
	fsck_clean("img");
	for (i = 0; i <= last; i++) {
		snprintf(out, sizeof(out), "synced%d.out", i);
		run("debugfs -R 'dump /synced%d %s' img >/dev/null 2>&1", i,
		    out);
		ATF_REQUIRE((fp = fopen(out, "r")) != NULL);
		len = fread(got, 1, sizeof(got), fp);
		fclose(fp);
		pattern_fill(want, sizeof(want), (uint32_t)i, 0);
		ATF_REQUIRE_MSG(len == 20000 + (size_t)i * 1000 &&
		    memcmp(got, want, len) == 0, "synced%d: %zu bytes, or "
		    "wrong contents", i, len);
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, read_mke2fs_1k_tree_byte_for_byte);
	ATF_TP_ADD_TC(tp, read_mke2fs_2k_128_inodes_tree_byte_for_byte);
	ATF_TP_ADD_TC(tp, read_mke2fs_4k_tree_byte_for_byte);
	ATF_TP_ADD_TC(tp, read_mke2fs_rev0_tree_byte_for_byte);
	ATF_TP_ADD_TC(tp, read_ext3_tree_read_only);
	ATF_TP_ADD_TC(tp, read_genext2fs_image);
	ATF_TP_ADD_TC(tp, mount_ext4_features_fail_einval);
	ATF_TP_ADD_TC(tp, mount_journal_needing_recovery_fails_einval);
	ATF_TP_ADD_TC(tp, mount_ext3_rw_fails_erofs_ext2_rw_works);
	ATF_TP_ADD_TC(tp, mount_unknown_rocompat_only_read_only);
	ATF_TP_ADD_TC(tp, mount_options_and_missing_device_fail);
	ATF_TP_ADD_TC(tp, mount_bad_superblock_fails_einval);
	ATF_TP_ADD_TC(tp, damaged_inodes_fail_euclean);
	ATF_TP_ADD_TC(tp, damaged_directory_entries_fail_euclean);
	ATF_TP_ADD_TC(tp, random_damage_never_crashes);
	ATF_TP_ADD_TC(tp, fuzz_links_beyond_link_max_fail_euclean);
	ATF_TP_ADD_TC(tp, write_tree_1k_passes_e2fsck_and_debugfs_dump);
	ATF_TP_ADD_TC(tp, write_tree_4k_passes_e2fsck_and_debugfs_dump);
	ATF_TP_ADD_TC(tp,
	    write_tree_sparse_super2_passes_e2fsck_and_debugfs_dump);
	ATF_TP_ADD_TC(tp, write_on_rev0_and_128_byte_inodes);
	ATF_TP_ADD_TC(tp, clean_flag_follows_mount_remount_umount);
	ATF_TP_ADD_TC(tp, delete_returns_every_block_and_inode);
	ATF_TP_ADD_TC(tp, full_file_system_fails_enospc_and_stays_valid);
	ATF_TP_ADD_TC(tp, file_past_2gib_sets_large_file);
	ATF_TP_ADD_TC(tp, hash_indexed_directory_changes_stay_valid);
	ATF_TP_ADD_TC(tp, dirhash_matches_debugfs_dx_hash);
	ATF_TP_ADD_TC(tp, htree_1k_two_levels_stay_valid);
	ATF_TP_ADD_TC(tp, htree_4k_stays_valid);
	ATF_TP_ADD_TC(tp, htree_other_hash_versions_stay_valid);
	ATF_TP_ADD_TC(tp, htree_made_by_e2fsck_read_and_changed);
	ATF_TP_ADD_TC(tp, htree_concurrent_changes_two_cpus);
	ATF_TP_ADD_TC(tp, htree_hash_collisions_split_and_stay_findable);
	ATF_TP_ADD_TC(tp, htree_damaged_index_falls_back_to_linear);
	ATF_TP_ADD_TC(tp, atime_relatime_by_default);
	ATF_TP_ADD_TC(tp, atime_strictatime_noatime_and_read_only);
	ATF_TP_ADD_TC(tp, attribute_block_released_with_its_file);
	ATF_TP_ADD_TC(tp, owners_modes_times_devices_persist);
	ATF_TP_ADD_TC(tp, killed_writer_keeps_fsynced_files);
	return atf_no_error();
}
