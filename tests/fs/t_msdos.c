/*
 * t_msdos.c: the FAT driver against tools nobody here wrote.  Images are
 * made by mkfs.fat (fixed volume id) and filled by mtools; rumpk must read
 * them back byte for byte, names, sizes and times included.  Trees that
 * rumpk writes must pass fsck.fat -n after unmounting and read back
 * identically through mcopy and sleuthkit's fls/icat.  The POSIX gaps
 * fail with the errnos the driver documents, and damaged images fail
 * with EINVAL (at mount) or EIO, never crashing or hanging the kernel.
 * Host-side helpers read the boot sector and the FAT themselves to
 * check the dirty bit, the FSInfo sector and to damage images.
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
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "h_fsmacros.h"

/* Host tools: dosfstools in sbin, UTF-8 names, times in UTC. */
#define FATENV	"export PATH=\"$PATH:/sbin:/usr/sbin\" LC_ALL=C.UTF-8 " \
		"TZ=UTC MTOOLS_SKIP_CHECK=1; "
#define VOLID	"1234abcd"
#define KEY	"/dev/fat0"
#define MNT	"/fat"
#define IMG	"fat.img"

#define KIB	((uint64_t)1 << 10)
#define MIB	((uint64_t)1 << 20)

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define IMG_RTREE	MNT		/* the mirrored tree, h_image.h */
#include "h_image.h"

/* ---- host side: commands and file contents ------------------------------ */

/* Run a shell command; returns its exit status (-1: killed). */
static int __attribute__((__format__(__printf__, 1, 0)))
vrun_status(const char *fmt, va_list ap)
{
	char cmd[4096];
	size_t len = strlen(FATENV);
	int status;

	memcpy(cmd, FATENV, len);
	ATF_REQUIRE((size_t)vsnprintf(cmd + len, sizeof(cmd) - len, fmt, ap) <
	    sizeof(cmd) - len);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run a shell command that must succeed. */
static void __attribute__((__format__(__printf__, 1, 2)))
run(const char *fmt, ...)
{
	va_list ap;
	int status;

	va_start(ap, fmt);
	status = vrun_status(fmt, ap);
	va_end(ap);
	ATF_REQUIRE_MSG(status == 0, "status %d: %s", status, fmt);
}

/* The first len - 1 bytes a file holds, as a string. */
static char *
slurp(const char *path, char *buf, size_t len)
{
	size_t n;
	FILE *fp;

	n = 0;
	if ((fp = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, len - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

/* mkfs.fat -F bits on a new image of kib KiB, with extra options. */
static void
mkfat(const char *img, int bits, unsigned kib, const char *opts)
{

	run("rm -f %s && mkfs.fat -F %d -i " VOLID " %s -C %s %u >/dev/null",
	    img, bits, opts, img, kib);
}

/*
 * fsck.fat -n must be quiet: status 0 and nothing but its banner and
 * the summary line ("img: N files, U/C clusters").
 */
static void
fsck_clean(const char *img)
{
	char buf[8192], cmd[512];
	const char *cp;
	int lines, status;

	snprintf(cmd, sizeof(cmd), FATENV "fsck.fat -n %s >fsck.out 2>&1",
	    img);
	status = system(cmd);
	slurp("fsck.out", buf, sizeof(buf));
	for (lines = 0, cp = buf; (cp = strchr(cp, '\n')) != NULL; cp++)
		lines++;
	if (status != 0 || lines != 2)
		atf_tc_fail("fsck.fat -n %s: status %d:\n%s", img, status,
		    buf);
}

/* The byte at offset off of a file made with seed. */
static uint8_t
pattern(uint32_t seed, uint64_t off)
{
	uint64_t x = (off + 7) * 0x9e3779b97f4a7c15ULL ^ seed;

	x ^= x >> 31;
	x *= 0xd6e8feb86659fd93ULL;
	return (uint8_t)(x >> 40);
}

/* ---- host side: the on-disk layout, read and damaged directly ----------- */

struct geom {
	uint32_t	bps;		/* bytes per sector */
	uint32_t	spc;		/* sectors per cluster */
	uint32_t	nfats;
	uint32_t	rootents;	/* FAT12/16 root directory entries */
	uint32_t	fatsz;		/* sectors per FAT */
	uint32_t	rootclus;	/* FAT32 root directory cluster */
	uint32_t	fsinfo;		/* FAT32 FSInfo sector */
	uint32_t	nclusters;	/* data clusters: 2..nclusters+1 */
	int		bits;		/* 12, 16 or 32 */
	uint64_t	fatoff;		/* byte offset of the first FAT */
	uint64_t	rootoff;	/* FAT12/16 root directory */
	uint64_t	dataoff;	/* cluster 2 */
};

static uint32_t
le(const uint8_t *p, size_t n)
{
	uint32_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

static void
img_read(const char *img, uint64_t off, void *buf, size_t len)
{
	int fd;

	RL(fd = open(img, O_RDONLY));
	ATF_REQUIRE(pread(fd, buf, len, (off_t)off) == (ssize_t)len);
	RL(close(fd));
}

static void
img_write(const char *img, uint64_t off, const void *buf, size_t len)
{
	int fd;

	RL(fd = open(img, O_WRONLY));
	ATF_REQUIRE(pwrite(fd, buf, len, (off_t)off) == (ssize_t)len);
	RL(close(fd));
}

/* Store the little-endian value val in n bytes at off. */
static void
img_patch(const char *img, uint64_t off, uint32_t val, size_t n)
{
	uint8_t b[4];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(val >> (8 * i));
	img_write(img, off, b, n);
}

static uint32_t
img_le(const char *img, uint64_t off, size_t n)
{
	uint8_t b[4];

	img_read(img, off, b, n);
	return le(b, n);
}

/* The layout from the BPB, the FAT type by cluster count (fatgen103). */
static struct geom
geom_of(const char *img)
{
	uint8_t bs[512];
	struct geom g;
	uint32_t rsvd, tot, rootsec;

	img_read(img, 0, bs, sizeof(bs));
	g.bps = le(bs + 11, 2);
	g.spc = bs[13];
	rsvd = le(bs + 14, 2);
	g.nfats = bs[16];
	g.rootents = le(bs + 17, 2);
	tot = le(bs + 19, 2) != 0 ? le(bs + 19, 2) : le(bs + 32, 4);
	g.fatsz = le(bs + 22, 2) != 0 ? le(bs + 22, 2) : le(bs + 36, 4);
	g.rootclus = le(bs + 44, 4);
	g.fsinfo = le(bs + 48, 2);
	rootsec = (g.rootents * 32 + g.bps - 1) / g.bps;
	g.fatoff = (uint64_t)rsvd * g.bps;
	g.rootoff = g.fatoff + (uint64_t)g.nfats * g.fatsz * g.bps;
	g.dataoff = g.rootoff + (uint64_t)rootsec * g.bps;
	g.nclusters = (tot - (uint32_t)(g.dataoff / g.bps)) / g.spc;
	g.bits = g.nclusters < 4085 ? 12 : g.nclusters < 65525 ? 16 : 32;
	return g;
}

static uint64_t
clus_off(const struct geom *g, uint32_t c)
{

	return g->dataoff + (uint64_t)(c - 2) * g->spc * g->bps;
}

/* FAT entry c of FAT copy n. */
static uint32_t
fat_get(const char *img, const struct geom *g, int n, uint32_t c)
{
	uint64_t base = g->fatoff + (uint64_t)n * g->fatsz * g->bps;
	uint32_t v;

	switch (g->bits) {
	case 12:
		v = img_le(img, base + c + c / 2, 2);
		return (c & 1) ? v >> 4 : v & 0xfff;
	case 16:
		return img_le(img, base + 2 * c, 2);
	default:
		return img_le(img, base + 4 * c, 4) & 0x0fffffff;
	}
}

/* Set FAT entry c to v in every copy. */
static void
fat_set(const char *img, const struct geom *g, uint32_t c, uint32_t v)
{
	uint64_t base;
	uint32_t old;
	uint32_t n;

	for (n = 0; n < g->nfats; n++) {
		base = g->fatoff + (uint64_t)n * g->fatsz * g->bps;
		switch (g->bits) {
		case 12:
			old = img_le(img, base + c + c / 2, 2);
			if (c & 1)
				v = (old & 0x000f) | (v & 0xfff) << 4;
			else
				v = (old & 0xf000) | (v & 0xfff);
			img_patch(img, base + c + c / 2, v, 2);
			v = (c & 1) ? v >> 4 : v & 0xfff;
			break;
		case 16:
			img_patch(img, base + 2 * c, v, 2);
			break;
		default:
			img_patch(img, base + 4 * c, v, 4);
			break;
		}
	}
}

/* The whole raw FAT entry 1 of copy 0 (with the FAT32 top bits). */
static uint32_t
fat_entry1_raw(const char *img, const struct geom *g)
{

	switch (g->bits) {
	case 16:
		return img_le(img, g->fatoff + 2, 2);
	case 32:
		return img_le(img, g->fatoff + 4, 4);
	default:
		return fat_get(img, g, 0, 1);
	}
}

/* Is the "clean shutdown" bit of FAT entry 1 set? */
static bool
fat_clean(const char *img, const struct geom *g)
{
	uint32_t e1 = fat_entry1_raw(img, g);

	return g->bits == 16 ? (e1 & 0x8000) != 0 : (e1 & 0x08000000) != 0;
}

/* Free clusters, counted in the first FAT. */
static uint32_t
fat_count_free(const char *img, const struct geom *g)
{
	uint32_t c, nfree = 0;

	for (c = 2; c < g->nclusters + 2; c++)
		if (fat_get(img, g, 0, c) == 0)
			nfree++;
	return nfree;
}

/* Offset of the root-directory 8.3 entry called name11 ("NAME    EXT"). */
static uint64_t
root_entry(const char *img, const struct geom *g, const char *name11)
{
	uint8_t e[32];
	uint64_t off, end;

	if (g->bits == 32) {
		off = clus_off(g, g->rootclus);
		end = off + (uint64_t)g->spc * g->bps;
	} else {
		off = g->rootoff;
		end = off + (uint64_t)g->rootents * 32;
	}
	for (; off < end; off += 32) {
		img_read(img, off, e, sizeof(e));
		if (e[0] == 0)
			break;
		if (e[11] != 0x0f && memcmp(e, name11, 11) == 0)
			return off;
	}
	atf_tc_fail("%s: no root entry \"%s\"", img, name11);
}

/* The start cluster of the 8.3 entry at off. */
static uint32_t
entry_start(const char *img, const struct geom *g, uint64_t off)
{

	return img_le(img, off + 26, 2) |
	    (g->bits == 32 ? img_le(img, off + 20, 2) << 16 : 0);
}

static void
entry_set_start(const char *img, uint64_t off, uint32_t c)
{

	img_patch(img, off + 26, c & 0xffff, 2);
	img_patch(img, off + 20, c >> 16, 2);
}

/* ---- kernel side -------------------------------------------------------- */

/* Mount key on mnt (made if missing); returns mount(2)'s result. */
static int
mount_fat(const char *key, const char *mnt, const char *type,
    unsigned long flags, const char *opts)
{
	struct stat st;

	if (rump_sys_stat(mnt, &st) == -1)
		RL(rump_sys_mkdir(mnt, 0755));
	return rump_sys_mount(key, mnt, type, flags, opts);
}

/* Attach IMG as KEY and mount it read-write as vfat on MNT. */
static void
mount_img(const char *img, unsigned long flags, const char *opts)
{

	attach(KEY, img);
	RL(mount_fat(KEY, MNT, "vfat", flags, opts));
}

/* Unmount MNT; the image must then be clean. */
static void
umount_fsck(const char *img)
{

	RL(rump_sys_umount2(MNT, 0));
	fsck_clean(img);
}

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* No directory here holds more: a listing that does is looping. */
#define MAXNAMES	10000

/* A sorted list of directory entry names. */
struct names {
	char	**n_name;
	size_t	  n_count;
	size_t	  n_alloc;
};

static void
names_add(struct names *ns, const char *name)
{

	if (ns->n_count == ns->n_alloc) {
		ns->n_alloc = ns->n_alloc * 2 + 16;
		ns->n_name = realloc(ns->n_name,
		    ns->n_alloc * sizeof(*ns->n_name));
		ATF_REQUIRE(ns->n_name != NULL);
	}
	ATF_REQUIRE((ns->n_name[ns->n_count++] = strdup(name)) != NULL);
}

static int
names_cmp(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n_count; i++)
		free(ns->n_name[i]);
	free(ns->n_name);
	memset(ns, 0, sizeof(*ns));
}

/* The names in rumpk directory path (no . or ..), sorted. */
static void
rump_names(const char *path, struct names *ns)
{
	char buf[4096];
	const struct linux_dirent64 *d;
	ssize_t len, pos;
	int fd, dots = 0;

	RL(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY));
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		ATF_REQUIRE_MSG(ns->n_count < MAXNAMES, "%s: getdents64 does "
		    "not end", path);
		for (pos = 0; pos < len; pos += d->d_reclen) {
			d = (const struct linux_dirent64 *)(buf + pos);
			ATF_REQUIRE(d->d_reclen > 0);
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				dots++;
			else
				names_add(ns, d->d_name);
		}
	}
	RL(len);
	RL(rump_sys_close(fd));
	REQUIRE_EQ(dots, 2);
	qsort(ns->n_name, ns->n_count, sizeof(*ns->n_name), names_cmp);
}

/* The names in host directory path, sorted. */
static void
host_names(const char *path, struct names *ns)
{
	struct dirent *d;
	DIR *dp;

	ATF_REQUIRE_MSG((dp = opendir(path)) != NULL, "%s", path);
	while ((d = readdir(dp)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			names_add(ns, d->d_name);
	closedir(dp);
	qsort(ns->n_name, ns->n_count, sizeof(*ns->n_name), names_cmp);
}

/*
 * The rumpk tree at rpath must equal the host tree at hpath: the same
 * names (byte for byte), types, sizes and contents, and (times) file
 * mtimes on the 2-second grid below the host's.
 */
static void
same_tree(const char *rpath, const char *hpath, bool times)
{
	char rsub[PATH_MAX], hsub[PATH_MAX];
	struct names rn = { 0 }, hn = { 0 };
	struct stat rst, hst;
	size_t i;

	rump_names(rpath, &rn);
	host_names(hpath, &hn);
	ATF_REQUIRE_MSG(rn.n_count == hn.n_count, "%s: %zu names, "
	    "expected %zu", rpath, rn.n_count, hn.n_count);
	for (i = 0; i < rn.n_count; i++) {
		ATF_REQUIRE_MSG(strcmp(rn.n_name[i], hn.n_name[i]) == 0,
		    "%s: name \"%s\", expected \"%s\"", rpath, rn.n_name[i],
		    hn.n_name[i]);
		snprintf(rsub, sizeof(rsub), "%s/%s", rpath, rn.n_name[i]);
		snprintf(hsub, sizeof(hsub), "%s/%s", hpath, hn.n_name[i]);
		RL(rump_sys_stat(rsub, &rst));
		RL(stat(hsub, &hst));
		REQUIRE_EQ(rst.st_mode & S_IFMT, hst.st_mode & S_IFMT);
		if (S_ISDIR(hst.st_mode)) {
			same_tree(rsub, hsub, times);
			continue;
		}
		ATF_REQUIRE_MSG(rst.st_size == hst.st_size, "%s: size %jd, "
		    "expected %jd", rsub, (intmax_t)rst.st_size,
		    (intmax_t)hst.st_size);
		REQUIRE_EQ(rst.st_nlink, 1);
		ATF_REQUIRE_MSG(!times ||
		    rst.st_mtim.tv_sec == (hst.st_mtim.tv_sec & ~1),
		    "%s: mtime %jd, host %jd", rsub,
		    (intmax_t)rst.st_mtim.tv_sec,
		    (intmax_t)hst.st_mtim.tv_sec);
		same_file(rsub, hsub);
	}
	names_free(&rn);
	names_free(&hn);
}

/* ---- the standard tree, made on the host and copied in by mtools -------- */

#define NMANY	150

/*
 * src/: long mixed-case names, UTF-8 names, 8.3 names in upper and lower
 * case (stored by mtools as short entries with the case bits), a deep
 * tree, a 3 MiB file, an empty file and a directory of NMANY long names
 * spanning clusters.  Files get fixed odd and even mtimes.
 */
static void
host_tree(void)
{
	char p[PATH_MAX];
	int i;

	run("rm -rf src && mkdir -p src/Deep/a/b/c/d/e/f/g src/Many "
	    "src/sub.dir");
	host_file("src/A Long Mixed Case Name.Data", 1000, 1);
	host_file("src/Grüße.txt", 17, 2);
	host_file("src/日本語のファイル名", 33, 3);
	host_file("src/UPPER.TXT", 4097, 4);
	host_file("src/lower.txt", 512, 5);
	host_file("src/lowbase.TXT", 0, 6);
	host_file("src/UPEXT.txt", 1, 12);
	host_file("src/MixedCase.Txt", 2048, 7);
	host_file("src/big.bin", 3 * MIB, 8);
	host_file("src/empty", 0, 9);
	host_file("src/Deep/a/b/c/d/e/f/g/leaf", 4000, 10);
	host_file("src/sub.dir/x.y.z many dots", 70000, 11);
	for (i = 0; i < NMANY; i++) {
		snprintf(p, sizeof(p), "src/Many/file number %03d of many "
		    "with a long name", i);
		host_file(p, (uint64_t)i * 13, 100 + (uint32_t)i);
	}
	run("touch -d '2009-02-13 23:31:31' src/big.bin src/lower.txt && "
	    "touch -d '1999-12-31 23:59:58' src/UPPER.TXT && "
	    "touch -d '2030-06-15 12:00:01' 'src/Grüße.txt'");
}

static void
read_tree(int bits, unsigned kib)
{

	host_tree();
	mkfat(IMG, bits, kib, "");
	run("cd src && mcopy -s -m -i ../%s * ::", IMG);
	fsck_clean(IMG);
	REQUIRE_EQ(geom_of(IMG).bits, bits);
	mount_img(IMG, MS_RDONLY, NULL);
	same_tree(MNT, "src", true);
	RL(rump_sys_umount2(MNT, 0));
}

#define READ_TREE(name, bits, kib)					\
	IMG_TC(name, 120, read_tree(bits, kib), "a FAT%d tree written "	\
	    "by mcopy reads back byte for byte: names, sizes, "		\
	    "contents, mtimes", bits)

READ_TREE(read_mtools_tree_fat12, 12, 8 * 1024)
READ_TREE(read_mtools_tree_fat16, 16, 32 * 1024)
READ_TREE(read_mtools_tree_fat32, 32, 64 * 1024)

ATF_TC(read_lowercase_short_names_keep_case);
ATF_TC_HEAD(read_lowercase_short_names_keep_case, tc)
{

	atf_tc_set_md_var(tc, "descr", "8.3 names that mtools stores with "
	    "the NT lower-case bits read back in their case and are found "
	    "by any case");
}

ATF_TC_BODY(read_lowercase_short_names_keep_case, tc)
{
	char p[PATH_MAX];
	struct stat a, b;
	uint8_t e[32];
	uint64_t off;
	struct geom g;

	struct names ns = { 0 };

	mkfat(IMG, 16, 16 * 1024, "");
	host_file("lower.txt", 10, 1);
	host_file("UPPER.txt", 20, 2);
	run("mcopy -i %s lower.txt UPPER.txt ::", IMG);
	g = geom_of(IMG);
	off = root_entry(IMG, &g, "LOWER   TXT");
	img_read(IMG, off, e, sizeof(e));
	REQUIRE_EQ(e[12] & 0x18, 0x18);
	off = root_entry(IMG, &g, "UPPER   TXT");
	img_read(IMG, off, e, sizeof(e));
	REQUIRE_EQ(e[12] & 0x18, 0x10);
	mount_img(IMG, MS_RDONLY, NULL);
	rump_names(MNT, &ns);
	REQUIRE_EQ(ns.n_count, 2);
	ATF_REQUIRE(strcmp(ns.n_name[0], "UPPER.txt") == 0);
	ATF_REQUIRE(strcmp(ns.n_name[1], "lower.txt") == 0);
	names_free(&ns);
	RL(rump_sys_stat(rp(p, "lower.txt"), &a));
	REQUIRE_EQ(a.st_size, 10);
	RL(rump_sys_stat(rp(p, "LOWER.TXT"), &b));
	REQUIRE_EQ(a.st_ino, b.st_ino);
	RL(rump_sys_stat(rp(p, "upper.TXT"), &b));
	REQUIRE_EQ(b.st_size, 20);
}

/* ---- trees written by rumpk, mirrored on the host ----------------------- */

/* Append len bytes in chunks, growing the cluster chain step by step. */
static void
m_append(const char *rel, uint64_t len, size_t chunk, uint32_t seed)
{
	uint64_t off;

	for (off = 0; off < len; off += chunk)
		m_pwrite(rel, off, chunk, seed);
}

/*
 * After unmounting: fsck.fat is quiet, mcopy copies the tree out
 * identical to the mirror, fls lists the same paths (compared up to 200
 * bytes: sleuthkit cuts longer names at 220), icat reads the
 * same bytes as the mirror's "t/big", and rumpk reads it all back
 * after mounting again (img is attached as KEY).
 */
static void
mirror_check(const char *img)
{

	fsck_clean(img);
	run("rm -rf out && mkdir out && mcopy -s -n -i %s ::t out/ && "
	    "diff -r out/t mirror/t", img);
	run("fls -r -p -u %s | cut -f2 | grep '^t/' | cut -c1-200 | sort "
	    ">fls.out && (cd mirror && find t -mindepth 1 | cut -c1-200 | "
	    "sort) >find.out && diff fls.out find.out", img);
	run("ino=$(fls -r -p -u %s | awk -F '\\t' '$2 == \"t/big\" "
	    "{ split($1, a, \" \"); sub(\":\", \"\", a[2]); print a[2] }') && "
	    "icat %s \"$ino\" | cmp - mirror/t/big", img, img);
	RL(mount_fat(KEY, MNT, "vfat", MS_RDONLY, NULL));
	same_tree(MNT "/t", "mirror/t", false);
	RL(rump_sys_umount2(MNT, 0));
}

/*
 * The standard workload: names of every kind, colliding 8.3 bases, a
 * directory past one cluster, a deep tree, chains grown by appends,
 * renames within and across directories (a directory too: its .. is
 * checked by fsck.fat), deletes and truncates both ways.
 */
static void
write_tree(int bits, unsigned kib)
{
	static const char *names[] = {
		"Grüße.txt", "lower.txt", "UPPER.TXT", "MiXeD.TxT",
		"a.b.c d e", "name with spaces", "Long File Name 1.txt",
		"Long File Name 2.txt", "Long File Name 3.txt", "x",
		"ab.cdef", "Ω≈ç√∫", "+,;=[]",
		"0123456789012345678901234567890123456789012345678901234567"
		"8901234567890123456789012345678901234567890123456789012345"
		"6789012345678901234567890123456789012345678901234567890123"
		"456789012345678901234567890123456789012345678901234567.ext",
	};
	char rel[PATH_MAX];
	size_t i;

	mkfat(IMG, bits, kib, "");
	run("rm -rf mirror && mkdir mirror");
	mount_img(IMG, 0, NULL);
	m_mkdir("t");
	for (i = 0; i < NITEMS(names); i++) {
		snprintf(rel, sizeof(rel), "t/%s", names[i]);
		m_pwrite(rel, 0, 100 + i * 1000, (uint32_t)i);
	}
	m_mkdir("t/many");
	for (i = 0; i < 200; i++) {
		snprintf(rel, sizeof(rel), "t/many/entry %03zu with a name "
		    "long enough for several slots", i);
		m_pwrite(rel, 0, i, 300 + (uint32_t)i);
	}
	for (i = 0; i < 200; i += 3) {
		snprintf(rel, sizeof(rel), "t/many/entry %03zu with a name "
		    "long enough for several slots", i);
		m_unlink(rel);
	}
	m_mkdir("t/d1");
	m_mkdir("t/d1/D2");
	m_mkdir("t/d1/D2/d3");
	m_mkdir("t/d1/D2/d3/d4");
	m_mkdir("t/d1/D2/d3/d4/d5");
	m_pwrite("t/d1/D2/d3/d4/d5/leaf", 0, 5000, 50);
	m_append("t/big", 1 * MIB + 777, 4096 + 7, 60);
	m_pwrite("t/big", 100000, 3000, 61);
	m_pwrite("t/grow", 0, 10, 62);
	m_truncate("t/grow", 200000);
	m_pwrite("t/grow", 150000, 10, 63);
	m_pwrite("t/shrink", 0, 300000, 64);
	m_truncate("t/shrink", 4097);
	m_pwrite("t/zero", 0, 5000, 65);
	m_truncate("t/zero", 0);
	m_rename("t/x", "t/renamed in place");
	m_rename("t/lower.txt", "t/d1/moved.txt");
	m_mkdir("t/other");
	m_rename("t/d1/D2", "t/other/D2 moved");
	m_rename("t/Long File Name 1.txt", "t/UPPER.TXT");
	m_mkdir("t/gone");
	m_pwrite("t/gone/f", 0, 9000, 66);
	m_unlink("t/gone/f");
	m_rmdir("t/gone");
	RL(rump_sys_umount2(MNT, 0));
	mirror_check(IMG);
}

#define WRITE_TREE(name, bits, kib)					\
	IMG_TC(name, 300, write_tree(bits, kib), "a tree rumpk writes "	\
	    "on FAT%d passes fsck.fat -n and reads back identically "	\
	    "with mcopy, fls and icat", bits)

WRITE_TREE(write_tree_fat12_passes_fsck_and_mtools, 12, 4 * 1024)
WRITE_TREE(write_tree_fat16_passes_fsck_and_mtools, 16, 32 * 1024)
WRITE_TREE(write_tree_fat32_passes_fsck_and_mtools, 32, 64 * 1024)

ATF_TC(names_case_insensitive_case_preserving);
ATF_TC_HEAD(names_case_insensitive_case_preserving, tc)
{

	atf_tc_set_md_var(tc, "descr", "lookup ignores case, creation "
	    "keeps it, and a name differing only in case is refused "
	    "with EEXIST");
}

ATF_TC_BODY(names_case_insensitive_case_preserving, tc)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct names ns = { 0 };

	mkfat(IMG, 16, 16 * 1024, "");
	mount_img(IMG, 0, NULL);
	write_file(rp(p, "Readme.TXT"), "r", 1);
	RL(rump_sys_mkdir(rp(p, "SubDir"), 0755));
	REQUIRE_EQ(stat_of(rp(p, "README.txt")).st_ino,
	    stat_of(rp(q, "Readme.TXT")).st_ino);
	REQUIRE_ERRNO(rump_sys_open(rp(p, "readme.txt"),
	    O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir(rp(p, "README.TXT"), 0755), EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir(rp(p, "subdir"), 0755), EEXIST);
	write_file(rp(p, "subDIR/In"), "i", 1);
	check_file(rp(p, "SUBDIR/in"), "i", 1);
	rump_names(MNT, &ns);
	REQUIRE_EQ(ns.n_count, 2);
	ATF_REQUIRE(strcmp(ns.n_name[0], "Readme.TXT") == 0);
	ATF_REQUIRE(strcmp(ns.n_name[1], "SubDir") == 0);
	names_free(&ns);
	umount_fsck(IMG);
	run("mdir -b -i %s :: | grep -qx '::/Readme.TXT'", IMG);
	run("mtype -i %s ::SubDir/In | grep -qx i", IMG);
}

ATF_TC(names_invalid_chars_fail_einval_trailing_dots_stripped);
ATF_TC_HEAD(names_invalid_chars_fail_einval_trailing_dots_stripped, tc)
{

	atf_tc_set_md_var(tc, "descr", "names with \"*/:<>?\\| or control "
	    "characters fail with EINVAL; trailing dots are stripped as "
	    "Linux vfat does");
}

ATF_TC_BODY(names_invalid_chars_fail_einval_trailing_dots_stripped, tc)
{
	static const char *bad[] = {
		"a*b", "a?b", "a:b", "a<b", "a>b", "a|b", "a\\b", "a\"b",
		"a\001b", "\037",
	};
	char p[PATH_MAX];
	struct names ns = { 0 };
	size_t i;

	mkfat(IMG, 16, 16 * 1024, "");
	mount_img(IMG, 0, NULL);
	for (i = 0; i < NITEMS(bad); i++) {
		REQUIRE_ERRNO(rump_sys_open(rp(p, bad[i]),
		    O_CREAT | O_RDWR, 0644), EINVAL);
		REQUIRE_ERRNO(rump_sys_mkdir(rp(p, bad[i]), 0755), EINVAL);
	}
	write_file(rp(p, "foo."), "f", 1);
	write_file(rp(p, "bar.."), "b", 1);
	check_file(rp(p, "foo"), "f", 1);
	check_file(rp(p, "bar"), "b", 1);
	rump_names(MNT, &ns);
	REQUIRE_EQ(ns.n_count, 2);
	ATF_REQUIRE(strcmp(ns.n_name[0], "bar") == 0);
	ATF_REQUIRE(strcmp(ns.n_name[1], "foo") == 0);
	names_free(&ns);
	umount_fsck(IMG);
}

ATF_TC(names_255_units_ok_256_fail_enametoolong);
ATF_TC_HEAD(names_255_units_ok_256_fail_enametoolong, tc)
{

	atf_tc_set_md_var(tc, "descr", "a long name of 255 UTF-16 units "
	    "works (mtools reads it back), 256 fails with ENAMETOOLONG");
}

ATF_TC_BODY(names_255_units_ok_256_fail_enametoolong, tc)
{
	char name[300], p[PATH_MAX];

	mkfat(IMG, 32, 64 * 1024, "");
	mount_img(IMG, 0, NULL);
	memset(name, 'n', 255);
	name[255] = '\0';
	write_file(rp(p, name), "L", 1);
	check_file(p, "L", 1);
	name[255] = 'n';
	name[256] = '\0';
	REQUIRE_ERRNO(rump_sys_open(rp(p, name), O_CREAT | O_RDWR, 0644),
	    ENAMETOOLONG);
	umount_fsck(IMG);
	name[255] = '\0';
	run("mtype -i %s ::%s | grep -qx L", IMG, name);
}

/* ---- times -------------------------------------------------------------- */

ATF_TC(mtime_set_by_rumpk_read_by_mcopy);
ATF_TC_HEAD(mtime_set_by_rumpk_read_by_mcopy, tc)
{

	atf_tc_set_md_var(tc, "descr", "utimensat's mtime, rounded down to "
	    "2 s, is what stat reports and what mcopy -m restores; the "
	    "access time is a date");
}

ATF_TC_BODY(mtime_set_by_rumpk_read_by_mcopy, tc)
{
	struct timespec ts[2] = {
		{ .tv_sec = 1600000123, .tv_nsec = 0 },
		{ .tv_sec = 1500000001, .tv_nsec = 999999999 },
	};
	char p[PATH_MAX];
	struct stat st;

	mkfat(IMG, 16, 16 * 1024, "");
	mount_img(IMG, 0, NULL);
	write_file(rp(p, "timed"), "t", 1);
	RL(rump_sys_utimensat(AT_FDCWD, p, ts, 0));
	st = stat_of(p);
	REQUIRE_EQ(st.st_mtim.tv_sec, 1500000000);
	REQUIRE_EQ(st.st_mtim.tv_nsec, 0);
	REQUIRE_EQ(st.st_ctim.tv_sec, 1500000000);
	REQUIRE_EQ(st.st_atim.tv_sec, 1600000123 - 1600000123 % 86400);
	RL(rump_sys_umount2(MNT, 0));
	RL(mount_fat(KEY, MNT, "vfat", MS_RDONLY, NULL));
	REQUIRE_EQ(stat_of(rp(p, "timed")).st_mtim.tv_sec, 1500000000);
	RL(rump_sys_umount2(MNT, 0));
	fsck_clean(IMG);
	run("rm -f timed && mcopy -m -i %s ::timed . && "
	    "test $(stat -c %%Y timed) = 1500000000", IMG);
}

ATF_TC(mtime_of_new_file_is_now);
ATF_TC_HEAD(mtime_of_new_file_is_now, tc)
{

	atf_tc_set_md_var(tc, "descr", "a file written now has an mtime "
	    "within 2 s of the host clock, in UTC as mdir shows it");
}

ATF_TC_BODY(mtime_of_new_file_is_now, tc)
{
	char p[PATH_MAX];
	struct stat st;
	time_t before, after;

	mkfat(IMG, 32, 64 * 1024, "");
	mount_img(IMG, 0, NULL);
	before = time(NULL);
	write_file(rp(p, "now"), "n", 1);
	after = time(NULL);
	st = stat_of(p);
	ATF_REQUIRE_MSG(st.st_mtim.tv_sec >= before - 2 &&
	    st.st_mtim.tv_sec <= after, "mtime %jd, now %jd",
	    (intmax_t)st.st_mtim.tv_sec, (intmax_t)before);
	umount_fsck(IMG);
	run("rm -f now && mcopy -m -i %s ::now . && "
	    "test $(stat -c %%Y now) = %jd", IMG,
	    (intmax_t)st.st_mtim.tv_sec);
}

/* ---- space: the fixed root directory and a full volume ----------------- */

static void
root_full(int bits, unsigned kib)
{
	char p[PATH_MAX], name[16];
	int fd, i;

	mkfat(IMG, bits, kib, "-r 64");
	mount_img(IMG, 0, NULL);
	for (i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "F%03d.TXT", i);
		RL(fd = rump_sys_open(rp(p, name), O_CREAT | O_RDWR, 0644));
		RL(rump_sys_close(fd));
	}
	REQUIRE_ERRNO(rump_sys_open(rp(p, "F064.TXT"), O_CREAT | O_RDWR,
	    0644), ENOSPC);
	REQUIRE_ERRNO(rump_sys_mkdir(rp(p, "D"), 0755), ENOSPC);
	REQUIRE_ERRNO(rump_sys_open(rp(p, "a long name"), O_CREAT | O_RDWR,
	    0644), ENOSPC);
	RL(rump_sys_unlink(rp(p, "F007.TXT")));
	RL(rump_sys_mkdir(rp(p, "D"), 0755));
	write_file(rp(p, "D/inside"), "i", 1);
	umount_fsck(IMG);
	run("test $(mdir -b -i %s :: | wc -l) = 64", IMG);
}

ATF_TC(root_dir_full_fat12_fails_enospc);
ATF_TC_HEAD(root_dir_full_fat12_fails_enospc, tc)
{

	atf_tc_set_md_var(tc, "descr", "the fixed FAT12 root directory "
	    "holds its 64 entries; one more fails with ENOSPC");
}

ATF_TC_BODY(root_dir_full_fat12_fails_enospc, tc)
{

	root_full(12, 2 * 1024);
}

ATF_TC(root_dir_full_fat16_fails_enospc);
ATF_TC_HEAD(root_dir_full_fat16_fails_enospc, tc)
{

	atf_tc_set_md_var(tc, "descr", "the fixed FAT16 root directory "
	    "holds its 64 entries; one more fails with ENOSPC");
}

ATF_TC_BODY(root_dir_full_fat16_fails_enospc, tc)
{

	root_full(16, 16 * 1024);
}

ATF_TC(volume_full_fails_enospc_then_delete_and_write);
ATF_TC_HEAD(volume_full_fails_enospc_then_delete_and_write, tc)
{

	atf_tc_set_md_var(tc, "descr", "writing until the volume is full "
	    "fills every free cluster, then fails with ENOSPC; after a "
	    "delete writing works again and fsck.fat is quiet");
	atf_tc_set_md_var(tc, "timeout", "120");
}

ATF_TC_BODY(volume_full_fails_enospc_then_delete_and_write, tc)
{
	static char buf[65536];
	char p[PATH_MAX];
	struct statfs before, after;
	uint64_t total = 0, freebytes;
	ssize_t n;
	int fd;

	mkfat(IMG, 12, 1024, "");
	mount_img(IMG, 0, NULL);
	write_file(rp(p, "keep"), "k", 1);
	RL(rump_sys_statfs(MNT, &before));
	freebytes = (uint64_t)before.f_bfree * before.f_bsize;
	memset(buf, 'F', sizeof(buf));
	RL(fd = rump_sys_open(rp(p, "filler"), O_CREAT | O_WRONLY, 0644));
	while ((n = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		total += (uint64_t)n;
	REQUIRE_EQ(errno, ENOSPC);
	REQUIRE_ERRNO(rump_sys_write(fd, buf, 1), ENOSPC);
	RL(rump_sys_close(fd));
	ATF_REQUIRE_MSG(total + sizeof(buf) > freebytes && total <= freebytes,
	    "wrote %ju of %ju free bytes", (uintmax_t)total,
	    (uintmax_t)freebytes);
	RL(rump_sys_statfs(MNT, &after));
	REQUIRE_EQ(after.f_bfree, 0);
	REQUIRE_EQ(after.f_bavail, 0);
	REQUIRE_ERRNO(rump_sys_mkdir(rp(p, "nodir"), 0755), ENOSPC);
	RL(rump_sys_unlink(rp(p, "filler")));
	RL(rump_sys_statfs(MNT, &after));
	REQUIRE_EQ(after.f_bfree, before.f_bfree);
	write_file(rp(p, "again"), buf, 30000);
	umount_fsck(IMG);
	run("mcopy -n -i %s ::again again.out && test $(wc -c <again.out) "
	    "= 30000", IMG);
}

ATF_TC(write_beyond_4gib_fails_efbig);
ATF_TC_HEAD(write_beyond_4gib_fails_efbig, tc)
{

	atf_tc_set_md_var(tc, "descr", "a file ends at 4 GiB - 1: writing "
	    "or truncating past it fails with EFBIG");
}

ATF_TC_BODY(write_beyond_4gib_fails_efbig, tc)
{
	char p[PATH_MAX];
	int fd;

	mkfat(IMG, 32, 64 * 1024, "");
	mount_img(IMG, 0, NULL);
	RL(fd = rump_sys_open(rp(p, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_ERRNO(rump_sys_pwrite(fd, "x", 1, (off_t)0xffffffff),
	    EFBIG);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, "xy", 2, (off_t)1 << 32), EFBIG);
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, (off_t)1 << 32), EFBIG);
	REQUIRE_EQ(fstat_of(fd).st_size, 0);
	RL(rump_sys_close(fd));
	umount_fsck(IMG);
}

ATF_TC(unlinked_open_file_freed_at_last_close);
ATF_TC_HEAD(unlinked_open_file_freed_at_last_close, tc)
{

	atf_tc_set_md_var(tc, "descr", "an unlinked open file stays "
	    "readable; its clusters are freed when it is closed and its "
	    "name can be reused at once");
}

ATF_TC_BODY(unlinked_open_file_freed_at_last_close, tc)
{
	static char data[100000];
	char p[PATH_MAX], buf[10];
	struct statfs empty, full, after;
	int fd;

	mkfat(IMG, 16, 16 * 1024, "");
	mount_img(IMG, 0, NULL);
	RL(rump_sys_statfs(MNT, &empty));
	memset(data, 'u', sizeof(data));
	write_file(rp(p, "u"), data, sizeof(data));
	RL(rump_sys_statfs(MNT, &full));
	ATF_REQUIRE((empty.f_bfree - full.f_bfree) * full.f_bsize >=
	    sizeof(data));
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_unlink(p));
	write_file(p, "new", 3);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 50000), sizeof(buf));
	ATF_REQUIRE(memcmp(buf, "uuuuuuuuuu", 10) == 0);
	RL(rump_sys_close(fd));
	RL(rump_sys_statfs(MNT, &after));
	REQUIRE_EQ(after.f_bfree, empty.f_bfree - 1);
	check_file(p, "new", 3);
	umount_fsck(IMG);
}

/* ---- the dirty bit, FSInfo and statfs ----------------------------------- */

static void
dirty_bit(int bits, unsigned kib)
{
	char p[PATH_MAX];
	struct geom g;
	int fd;

	mkfat(IMG, bits, kib, "");
	g = geom_of(IMG);
	REQUIRE_EQ(g.bits, bits);
	ATF_REQUIRE(fat_clean(IMG, &g));
	mount_img(IMG, MS_RDONLY, NULL);
	ATF_REQUIRE_MSG(fat_clean(IMG, &g), "read-only mount dirtied it");
	RL(rump_sys_umount2(MNT, 0));
	RL(mount_fat(KEY, MNT, "vfat", 0, NULL));
	ATF_REQUIRE_MSG(!fat_clean(IMG, &g), "mounted rw, entry 1 %#x",
	    fat_entry1_raw(IMG, &g));
	RL(fd = rump_sys_open(rp(p, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "data", 4), 4);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	ATF_REQUIRE(!fat_clean(IMG, &g));
	RL(rump_sys_umount2(MNT, 0));
	ATF_REQUIRE_MSG(fat_clean(IMG, &g), "unmounted, entry 1 %#x",
	    fat_entry1_raw(IMG, &g));
	REQUIRE_EQ(fat_get(IMG, &g, 1, 1), fat_get(IMG, &g, 0, 1));
	fsck_clean(IMG);
}

ATF_TC(dirty_bit_fat16_set_while_mounted_rw);
ATF_TC_HEAD(dirty_bit_fat16_set_while_mounted_rw, tc)
{

	atf_tc_set_md_var(tc, "descr", "FAT16 entry 1 bit 15 is clear "
	    "on disk while mounted read-write, set after unmount");
}

ATF_TC_BODY(dirty_bit_fat16_set_while_mounted_rw, tc)
{

	dirty_bit(16, 16 * 1024);
}

ATF_TC(dirty_bit_fat32_set_while_mounted_rw);
ATF_TC_HEAD(dirty_bit_fat32_set_while_mounted_rw, tc)
{

	atf_tc_set_md_var(tc, "descr", "FAT32 entry 1 bit 27 is clear "
	    "on disk while mounted read-write, set after unmount");
}

ATF_TC_BODY(dirty_bit_fat32_set_while_mounted_rw, tc)
{

	dirty_bit(32, 64 * 1024);
}

ATF_TC(fsinfo_free_count_matches_fat);
ATF_TC_HEAD(fsinfo_free_count_matches_fat, tc)
{

	atf_tc_set_md_var(tc, "descr", "after rumpk writes and deletes, "
	    "the FSInfo free count equals the free clusters in the FAT "
	    "and statfs, and the next-free hint is in range");
}

ATF_TC_BODY(fsinfo_free_count_matches_fat, tc)
{
	static char data[300000];
	char p[PATH_MAX], name[32];
	struct statfs sf;
	struct geom g;
	uint64_t fsi;
	uint32_t nfree, hint;
	int i;

	mkfat(IMG, 32, 64 * 1024, "");
	g = geom_of(IMG);
	mount_img(IMG, 0, NULL);
	memset(data, 'i', sizeof(data));
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "file%d", i);
		write_file(rp(p, name), data, (size_t)i * 15000);
	}
	for (i = 0; i < 20; i += 3) {
		snprintf(name, sizeof(name), "file%d", i);
		RL(rump_sys_unlink(rp(p, name)));
	}
	RL(rump_sys_statfs(MNT, &sf));
	RL(rump_sys_umount2(MNT, 0));
	fsck_clean(IMG);
	nfree = fat_count_free(IMG, &g);
	REQUIRE_EQ(sf.f_bfree, nfree);
	REQUIRE_EQ(sf.f_blocks, g.nclusters);
	REQUIRE_EQ(sf.f_bsize, g.spc * g.bps);
	REQUIRE_EQ(sf.f_type, MSDOS_SUPER_MAGIC);
	fsi = (uint64_t)g.fsinfo * g.bps;
	REQUIRE_EQ(img_le(IMG, fsi, 4), 0x41615252);
	REQUIRE_EQ(img_le(IMG, fsi + 484, 4), 0x61417272);
	REQUIRE_EQ(img_le(IMG, fsi + 488, 4), nfree);
	hint = img_le(IMG, fsi + 492, 4);
	ATF_REQUIRE_MSG(hint == 0xffffffff ||
	    (hint >= 2 && hint < g.nclusters + 2), "next free %#x", hint);
}

ATF_TC(statfs_matches_fsck_fat16);
ATF_TC_HEAD(statfs_matches_fsck_fat16, tc)
{

	atf_tc_set_md_var(tc, "descr", "statfs on an mtools-filled FAT16 "
	    "image reports the cluster size, cluster count and free "
	    "clusters the FAT holds, and MSDOS_SUPER_MAGIC");
}

ATF_TC_BODY(statfs_matches_fsck_fat16, tc)
{
	struct statfs sf;
	struct geom g;

	mkfat(IMG, 16, 32 * 1024, "");
	host_file("f", 500000, 1);
	run("mcopy -i %s f ::f && mmd -i %s ::dir", IMG, IMG);
	g = geom_of(IMG);
	mount_img(IMG, MS_RDONLY, NULL);
	RL(rump_sys_statfs(MNT, &sf));
	REQUIRE_EQ(sf.f_type, MSDOS_SUPER_MAGIC);
	REQUIRE_EQ(sf.f_bsize, g.spc * g.bps);
	REQUIRE_EQ(sf.f_blocks, g.nclusters);
	REQUIRE_EQ(sf.f_bfree, fat_count_free(IMG, &g));
	REQUIRE_EQ(sf.f_bavail, sf.f_bfree);
	REQUIRE_EQ(sf.f_namelen, 255);
}

/* ---- POSIX gaps --------------------------------------------------------- */

ATF_TC(link_symlink_mknod_fail_eperm);
ATF_TC_HEAD(link_symlink_mknod_fail_eperm, tc)
{

	atf_tc_set_md_var(tc, "descr", "FAT has no hard links, symlinks, "
	    "FIFOs or device nodes: all fail with EPERM and leave no "
	    "entry behind");
}

ATF_TC_BODY(link_symlink_mknod_fail_eperm, tc)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct names ns = { 0 };

	mkfat(IMG, 16, 16 * 1024, "");
	mount_img(IMG, 0, NULL);
	write_file(rp(p, "f"), "f", 1);
	REQUIRE_ERRNO(rump_sys_link(p, rp(q, "l")), EPERM);
	REQUIRE_ERRNO(rump_sys_symlink("f", rp(q, "s")), EPERM);
	REQUIRE_ERRNO(rump_sys_mknod(rp(q, "fifo"), S_IFIFO | 0644, 0),
	    EPERM);
	REQUIRE_ERRNO(rump_sys_mknod(rp(q, "chr"), S_IFCHR | 0644,
	    makedev(1, 3)), EPERM);
	REQUIRE_ERRNO(rump_sys_mknod(rp(q, "blk"), S_IFBLK | 0644,
	    makedev(7, 0)), EPERM);
	rump_names(MNT, &ns);
	REQUIRE_EQ(ns.n_count, 1);
	names_free(&ns);
	umount_fsck(IMG);
}

ATF_TC(chown_only_noop_chmod_only_readonly_bit);
ATF_TC_HEAD(chown_only_noop_chmod_only_readonly_bit, tc)
{

	atf_tc_set_md_var(tc, "descr", "chown succeeds only as a no-op; "
	    "chmod a-w sets the read-only attribute (mattrib shows R) and "
	    "makes writes fail EACCES for the owner; other mode changes "
	    "fail with EPERM");
}

ATF_TC_BODY(chown_only_noop_chmod_only_readonly_bit, tc)
{
	char ro[PATH_MAX], rw[PATH_MAX];
	int fd;

	mkfat(IMG, 16, 16 * 1024, "");
	mount_img(IMG, 0, "uid=1000,gid=1000,fmask=0022,dmask=0022");
	write_file(rp(ro, "ro"), "r", 1);
	write_file(rp(rw, "rw"), "w", 1);
	REQUIRE_EQ(stat_of(ro).st_mode, S_IFREG | 0755);
	RL(rump_sys_chown(ro, 1000, 1000));
	RL(rump_sys_chown(ro, (uid_t)-1, (gid_t)-1));
	REQUIRE_ERRNO(rump_sys_chown(ro, 0, (gid_t)-1), EPERM);
	REQUIRE_ERRNO(rump_sys_chown(ro, (uid_t)-1, 0), EPERM);
	REQUIRE_ERRNO(rump_sys_chmod(ro, 0700), EPERM);
	become_user(1000, 1000);
	RL(rump_sys_chmod(ro, 0555));
	REQUIRE_EQ(stat_of(ro).st_mode, S_IFREG | 0555);
	REQUIRE_ERRNO(rump_sys_open(ro, O_WRONLY), EACCES);
	REQUIRE_ERRNO(rump_sys_chmod(ro, 0500), EPERM);
	RL(rump_sys_chmod(rw, 0555));
	REQUIRE_ERRNO(rump_sys_open(rw, O_RDWR), EACCES);
	RL(rump_sys_chmod(rw, 0755));
	REQUIRE_EQ(stat_of(rw).st_mode, S_IFREG | 0755);
	RL(fd = rump_sys_open(rw, O_WRONLY));
	REQUIRE_EQ(rump_sys_write(fd, "W", 1), 1);
	RL(rump_sys_close(fd));
	become_root();
	umount_fsck(IMG);
	run("mattrib -i %s ::ro | cut -c1-12 | grep -q R", IMG);
	run("! mattrib -i %s ::rw | cut -c1-12 | grep -q R", IMG);
	run("mtype -i %s ::rw | grep -qx W", IMG);
}

/* ---- mounting ---------------------------------------------------------- */

ATF_TC(mount_options_uid_gid_masks_show_in_stat);
ATF_TC_HEAD(mount_options_uid_gid_masks_show_in_stat, tc)
{

	atf_tc_set_md_var(tc, "descr", "uid, gid, fmask and dmask decide "
	    "the owner and modes of files and directories made by "
	    "mtools; the defaults are root and 0022");
}

ATF_TC_BODY(mount_options_uid_gid_masks_show_in_stat, tc)
{
	char p[PATH_MAX];
	struct stat st;

	mkfat(IMG, 16, 16 * 1024, "");
	host_file("f", 10, 1);
	run("mcopy -i %s f ::f && mmd -i %s ::d && mcopy -i %s f ::ro && "
	    "mattrib -i %s +r ::ro", IMG, IMG, IMG, IMG);
	mount_img(IMG, 0, "uid=1234,gid=99,fmask=0137,dmask=0027");
	st = stat_of(rp(p, "f"));
	REQUIRE_EQ(st.st_uid, 1234);
	REQUIRE_EQ(st.st_gid, 99);
	REQUIRE_EQ(st.st_mode, S_IFREG | 0640);
	REQUIRE_EQ(stat_of(rp(p, "ro")).st_mode, S_IFREG | 0440);
	st = stat_of(rp(p, "d"));
	REQUIRE_EQ(st.st_mode, S_IFDIR | 0750);
	REQUIRE_EQ(st.st_uid, 1234);
	REQUIRE_EQ(stat_of(MNT).st_mode, S_IFDIR | 0750);
	RL(rump_sys_umount2(MNT, 0));
	RL(mount_fat(KEY, MNT, "vfat", 0, NULL));
	st = stat_of(rp(p, "f"));
	REQUIRE_EQ(st.st_uid, 0);
	REQUIRE_EQ(st.st_gid, 0);
	REQUIRE_EQ(st.st_mode, S_IFREG | 0755);
	REQUIRE_EQ(stat_of(rp(p, "ro")).st_mode, S_IFREG | 0555);
	REQUIRE_EQ(stat_of(rp(p, "d")).st_mode, S_IFDIR | 0755);
	umount_fsck(IMG);
}

ATF_TC(mount_unknown_option_fails_einval);
ATF_TC_HEAD(mount_unknown_option_fails_einval, tc)
{

	atf_tc_set_md_var(tc, "descr", "unknown or malformed mount options "
	    "fail with EINVAL; the image mounts afterwards");
}

ATF_TC_BODY(mount_unknown_option_fails_einval, tc)
{
	static const char *bad[] = {
		"bogus", "uid=abc", "fmask=9", "uid=1,bogus=2", "dmask=",
	};
	size_t i;

	mkfat(IMG, 16, 16 * 1024, "");
	attach(KEY, IMG);
	for (i = 0; i < NITEMS(bad); i++)
		REQUIRE_ERRNO(mount_fat(KEY, MNT, "vfat", 0, bad[i]), EINVAL);
	RL(mount_fat(KEY, MNT, "vfat", 0, "shortname=mixed,uid=0"));
	umount_fsck(IMG);
}

ATF_TC(mount_msdos_and_vfat_types);
ATF_TC_HEAD(mount_msdos_and_vfat_types, tc)
{

	atf_tc_set_md_var(tc, "descr", "\"msdos\" and \"vfat\" mount the "
	    "same driver, both with long names");
}

ATF_TC_BODY(mount_msdos_and_vfat_types, tc)
{
	char p[PATH_MAX];

	mkfat(IMG, 12, 1024, "");
	attach(KEY, IMG);
	RL(mount_fat(KEY, MNT, "msdos", 0, NULL));
	write_file(rp(p, "Written Under msdos.txt"), "m", 1);
	RL(rump_sys_umount2(MNT, 0));
	RL(mount_fat(KEY, MNT, "vfat", 0, NULL));
	check_file(rp(p, "Written Under msdos.txt"), "m", 1);
	umount_fsck(IMG);
	run("mtype -i %s '::Written Under msdos.txt' | grep -qx m", IMG);
}

ATF_TC(mount_rdonly_refuses_writes_erofs);
ATF_TC_HEAD(mount_rdonly_refuses_writes_erofs, tc)
{

	atf_tc_set_md_var(tc, "descr", "a read-only mount refuses every "
	    "change with EROFS and leaves the image untouched; remounting "
	    "read-write allows them again");
}

ATF_TC_BODY(mount_rdonly_refuses_writes_erofs, tc)
{
	char p[PATH_MAX], q[PATH_MAX];

	mkfat(IMG, 16, 16 * 1024, "");
	host_file("f", 10, 1);
	run("mcopy -i %s f ::f && mmd -i %s ::d && cp %s before.img",
	    IMG, IMG, IMG);
	mount_img(IMG, MS_RDONLY, NULL);
	REQUIRE_ERRNO(rump_sys_open(rp(p, "f"), O_WRONLY), EROFS);
	REQUIRE_ERRNO(rump_sys_open(rp(p, "n"), O_CREAT | O_RDWR, 0644),
	    EROFS);
	REQUIRE_ERRNO(rump_sys_mkdir(rp(p, "e"), 0755), EROFS);
	REQUIRE_ERRNO(rump_sys_unlink(rp(p, "f")), EROFS);
	REQUIRE_ERRNO(rump_sys_rmdir(rp(p, "d")), EROFS);
	REQUIRE_ERRNO(rump_sys_rename(rp(p, "f"), rp(q, "g")), EROFS);
	REQUIRE_ERRNO(rump_sys_truncate(rp(p, "f"), 0), EROFS);
	REQUIRE_ERRNO(rump_sys_chmod(rp(p, "f"), 0555), EROFS);
	same_file(rp(p, "f"), "f");
	run("cmp %s before.img", IMG);
	RL(rump_sys_mount(KEY, MNT, "vfat", MS_REMOUNT, NULL));
	write_file(rp(p, "n"), "n", 1);
	RL(rump_sys_mount(KEY, MNT, "vfat", MS_REMOUNT | MS_RDONLY, NULL));
	REQUIRE_ERRNO(rump_sys_unlink(rp(p, "n")), EROFS);
	check_file(rp(p, "n"), "n", 1);
	umount_fsck(IMG);
	run("mtype -i %s ::n | grep -qx n", IMG);
}

/* ---- damaged images ---------------------------------------------------- */

static const struct {
	const char	*what;
	uint32_t	 off;
	uint32_t	 size;
	uint32_t	 val;
} badbpb[] = {
	{ "jump instruction", 0, 1, 0 },
	{ "bytes per sector 0", 11, 2, 0 },
	{ "bytes per sector 3", 11, 2, 3 },
	{ "bytes per sector 8192", 11, 2, 8192 },
	{ "sectors per cluster 0", 13, 1, 0 },
	{ "sectors per cluster 3", 13, 1, 3 },
	{ "reserved sectors 0", 14, 2, 0 },
	{ "number of FATs 0", 16, 1, 0 },
	{ "total sectors below the data area", 19, 2, 20 },
	{ "sectors per FAT 0", 22, 2, 0 },
	{ "signature missing", 510, 2, 0 },
};

ATF_TC(mount_bad_bpb_fails_einval);
ATF_TC_HEAD(mount_bad_bpb_fails_einval, tc)
{

	atf_tc_set_md_var(tc, "descr", "a boot sector with a bad field "
	    "fails to mount with EINVAL; the kernel goes on and mounts a "
	    "good image");
}

ATF_TC_BODY(mount_bad_bpb_fails_einval, tc)
{
	char img[32], key[32];
	size_t i;

	mkfat("good.img", 16, 16 * 1024, "");
	REQUIRE_EQ(img_le("good.img", 19, 2), 32768);
	for (i = 0; i < NITEMS(badbpb); i++) {
		snprintf(img, sizeof(img), "bad%zu.img", i);
		snprintf(key, sizeof(key), "/dev/bad%zu", i);
		run("cp good.img %s", img);
		img_patch(img, badbpb[i].off, badbpb[i].val, badbpb[i].size);
		attach(key, img);
		errno = 0;
		ATF_REQUIRE_MSG(mount_fat(key, MNT, "vfat", MS_RDONLY,
		    NULL) == -1 && errno == EINVAL, "%s: mount gave %s",
		    badbpb[i].what, strerror(errno));
	}
	attach(KEY, "good.img");
	RL(mount_fat(KEY, MNT, "vfat", 0, NULL));
	umount_fsck("good.img");
}

/*
 * A FAT12 image of 512-byte clusters holding LOOP.BIN (3 clusters),
 * DIR (a directory of one cluster with a file in it) and GOOD.BIN.
 */
static struct geom
damage_prepare(void)
{

	mkfat(IMG, 12, 1024, "-s 1");
	host_file("LOOP.BIN", 1536, 1);
	host_file("GOOD.BIN", 3000, 2);
	host_file("IN.TXT", 100, 3);
	run("mcopy -i %s LOOP.BIN GOOD.BIN ::/ && mmd -i %s ::DIR && "
	    "mcopy -i %s IN.TXT ::DIR/", IMG, IMG, IMG);
	return geom_of(IMG);
}

/* Read fd to its end or an error, at most max bytes; returns errno. */
static int
read_all(int fd, uint64_t max)
{
	static char buf[65536];
	uint64_t total = 0;
	ssize_t n;

	while (total < max) {
		if ((n = rump_sys_read(fd, buf, sizeof(buf))) == -1)
			return errno;
		if (n == 0)
			return 0;
		total += (uint64_t)n;
	}
	return EFBIG;
}

/* Open path and read it all; the errno of open or read, 0 if none. */
static int
open_read(const char *path, uint64_t max)
{
	int error, fd;

	if ((fd = rump_sys_open(path, O_RDONLY)) == -1)
		return errno;
	error = read_all(fd, max);
	RL(rump_sys_close(fd));
	return error;
}

/* MNT unmounts and a second, good image mounts and takes a file. */
static void
kernel_still_works(void)
{

	RL(rump_sys_umount2(MNT, 0));
	mkfat("good.img", 16, 16 * 1024, "");
	attach("/dev/good", "good.img");
	RL(mount_fat("/dev/good", "/good", "vfat", 0, NULL));
	write_file("/good/f", "ok", 2);
	RL(rump_sys_umount2("/good", 0));
	fsck_clean("good.img");
}

ATF_TC(chain_loop_in_file_fails_eio);
ATF_TC_HEAD(chain_loop_in_file_fails_eio, tc)
{

	atf_tc_set_md_var(tc, "descr", "a file whose cluster chain loops "
	    "(size larger than the volume) fails with EIO instead of "
	    "reading forever");
	atf_tc_set_md_var(tc, "timeout", "60");
}

ATF_TC_BODY(chain_loop_in_file_fails_eio, tc)
{
	char p[PATH_MAX];
	struct geom g = damage_prepare();
	uint64_t off = root_entry(IMG, &g, "LOOP    BIN");
	uint32_t c = entry_start(IMG, &g, off);

	REQUIRE_EQ(fat_get(IMG, &g, 0, c), c + 1);
	fat_set(IMG, &g, c + 2, c);
	img_patch(IMG, off + 28, 64 * 1024 * 1024, 4);
	mount_img(IMG, 0, NULL);
	REQUIRE_EQ(open_read(rp(p, "LOOP.BIN"), 64 * MIB), EIO);
	same_file(rp(p, "GOOD.BIN"), "GOOD.BIN");
	kernel_still_works();
}

ATF_TC(chain_short_of_size_fails_eio);
ATF_TC_HEAD(chain_short_of_size_fails_eio, tc)
{

	atf_tc_set_md_var(tc, "descr", "a file whose chain ends before its "
	    "size reads its clusters, then fails with EIO");
}

ATF_TC_BODY(chain_short_of_size_fails_eio, tc)
{
	char p[PATH_MAX], buf[512];
	struct geom g = damage_prepare();
	uint64_t off = root_entry(IMG, &g, "LOOP    BIN");
	uint32_t c = entry_start(IMG, &g, off);
	int fd;

	fat_set(IMG, &g, c + 1, 0xfff);
	mount_img(IMG, 0, NULL);
	RL(fd = rump_sys_open(rp(p, "LOOP.BIN"), O_RDONLY));
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 512), sizeof(buf));
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, sizeof(buf), 1024), EIO);
	RL(rump_sys_close(fd));
	same_file(rp(p, "GOOD.BIN"), "GOOD.BIN");
	kernel_still_works();
}

ATF_TC(cluster_out_of_range_fails_eio);
ATF_TC_HEAD(cluster_out_of_range_fails_eio, tc)
{

	atf_tc_set_md_var(tc, "descr", "a start cluster or FAT entry beyond "
	    "the last cluster (or 1) fails with EIO on open or read");
}

ATF_TC_BODY(cluster_out_of_range_fails_eio, tc)
{
	char p[PATH_MAX];
	struct geom g = damage_prepare();
	uint64_t loop = root_entry(IMG, &g, "LOOP    BIN");
	uint64_t dir = root_entry(IMG, &g, "DIR        ");
	uint32_t c = entry_start(IMG, &g, loop);
	struct stat st;
	int error;

	fat_set(IMG, &g, c, g.nclusters + 2);
	run("cp %s start.img", IMG);
	entry_set_start("start.img", loop, g.nclusters + 5);
	entry_set_start("start.img", dir, 1);
	mount_img(IMG, 0, NULL);
	REQUIRE_EQ(open_read(rp(p, "LOOP.BIN"), MIB), EIO);
	RL(rump_sys_umount2(MNT, 0));
	attach("/dev/start", "start.img");
	RL(mount_fat("/dev/start", MNT, "vfat", 0, NULL));
	REQUIRE_EQ(open_read(rp(p, "LOOP.BIN"), MIB), EIO);
	errno = 0;
	error = rump_sys_stat(rp(p, "DIR/IN.TXT"), &st) == -1 ? errno : 0;
	REQUIRE_EQ(error, EIO);
	kernel_still_works();
}

ATF_TC(directory_chain_loop_never_hangs);
ATF_TC_HEAD(directory_chain_loop_never_hangs, tc)
{

	atf_tc_set_md_var(tc, "descr", "a directory whose chain loops on "
	    "itself: getdents64 ends or fails, lookups and creation end, "
	    "nothing hangs");
	atf_tc_set_md_var(tc, "timeout", "60");
}

ATF_TC_BODY(directory_chain_loop_never_hangs, tc)
{
	char buf[4096], p[PATH_MAX];
	struct geom g = damage_prepare();
	uint32_t c = entry_start(IMG, &g, root_entry(IMG, &g, "DIR        "));
	struct stat st;
	ssize_t n;
	int fd, calls;

	fat_set(IMG, &g, c, c);
	mount_img(IMG, 0, NULL);
	RL(fd = rump_sys_open(rp(p, "DIR"), O_RDONLY | O_DIRECTORY));
	for (calls = 0; calls < 100000; calls++)
		if ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) <= 0)
			break;
	ATF_REQUIRE_MSG(calls < 100000, "getdents64 never ends");
	RL(rump_sys_close(fd));
	(void)rump_sys_stat(rp(p, "DIR/NOTTHERE"), &st);
	if ((fd = rump_sys_open(rp(p, "DIR/new file"), O_CREAT | O_RDWR,
	    0644)) != -1)
		RL(rump_sys_close(fd));
	kernel_still_works();
}

ATF_TC(cross_linked_files_never_crash);
ATF_TC_HEAD(cross_linked_files_never_crash, tc)
{

	atf_tc_set_md_var(tc, "descr", "two files sharing a cluster chain "
	    "read, write, truncate and unlink without crashing; the "
	    "kernel keeps working");
	atf_tc_set_md_var(tc, "timeout", "60");
}

ATF_TC_BODY(cross_linked_files_never_crash, tc)
{
	char p[PATH_MAX];
	struct geom g = damage_prepare();
	uint64_t loop = root_entry(IMG, &g, "LOOP    BIN");
	uint64_t good = root_entry(IMG, &g, "GOOD    BIN");
	int fd;

	entry_set_start(IMG, loop, entry_start(IMG, &g, good));
	mount_img(IMG, 0, NULL);
	(void)open_read(rp(p, "LOOP.BIN"), MIB);
	same_file(rp(p, "GOOD.BIN"), "GOOD.BIN");
	if ((fd = rump_sys_open(rp(p, "LOOP.BIN"), O_RDWR)) != -1) {
		(void)rump_sys_pwrite(fd, "xyz", 3, 10);
		(void)rump_sys_pwrite(fd, "xyz", 3, 5000);
		(void)rump_sys_ftruncate(fd, 100);
		RL(rump_sys_close(fd));
	}
	(void)rump_sys_unlink(rp(p, "LOOP.BIN"));
	(void)open_read(rp(p, "GOOD.BIN"), MIB);
	(void)rump_sys_truncate(p, 0);
	(void)rump_sys_unlink(p);
	kernel_still_works();
}

/* ---- performance paths: the name index and read-ahead ------------------ */

#define BIGDIR		1500	/* names in the big directory */
#define BIGNAME		32	/* bytes for one of its names */

/* The name of file i of the big directory: all share one 8.3 basis. */
static char *
big_name(char *buf, int i, bool renamed)
{

	snprintf(buf, BIGNAME, renamed ? "Renamed entry %04d.txt" :
	    "Long entry name %04d.txt", i);
	return buf;
}

/* What the big directory holds after big_dir_churn: i % 3 == 0
 * removed, i % 3 == 1 renamed, the rest kept, plus "Added %04d.dat". */
static void
big_dir_want(struct names *ns)
{
	char p[BIGNAME];
	int i;

	for (i = 0; i < BIGDIR; i++)
		if (i % 3 != 0)
			names_add(ns, big_name(p, i, i % 3 == 1));
	for (i = 0; i < BIGDIR / 3; i++) {
		snprintf(p, sizeof(p), "Added %04d.dat", i);
		names_add(ns, p);
	}
	qsort(ns->n_name, ns->n_count, sizeof(*ns->n_name), names_cmp);
}

/* Every name of the big directory is found (also in upper case), and
 * the removed and renamed-away ones are not. */
static void
big_dir_lookups(void)
{
	char p[PATH_MAX], q[BIGNAME];
	struct stat st;
	size_t k;
	int i;

	for (i = 0; i < BIGDIR; i++) {
		snprintf(p, sizeof(p), MNT "/d/%s", big_name(q, i, false));
		if (i % 3 != 2) {
			ATF_REQUIRE_MSG(rump_sys_stat(p, &st) == -1 &&
			    errno == ENOENT, "%s still found", p);
			continue;
		}
		RL(rump_sys_stat(p, &st));
		for (k = strlen(MNT "/d/"); p[k] != '\0'; k++)
			if (p[k] >= 'a' && p[k] <= 'z')
				p[k] = (char)(p[k] - 'a' + 'A');
		RL(rump_sys_stat(p, &st));
	}
	for (i = 1; i < BIGDIR; i += 3) {
		snprintf(p, sizeof(p), MNT "/d/%s", big_name(q, i, true));
		RL(rump_sys_stat(p, &st));
	}
}

/* Create, remove every third, rename every third, add more. */
static void
big_dir_churn(void)
{
	char p[PATH_MAX], q[PATH_MAX], n[BIGNAME];
	int fd, i;

	RL(rump_sys_mkdir(MNT "/d", 0755));
	for (i = 0; i < BIGDIR; i++) {
		snprintf(p, sizeof(p), MNT "/d/%s", big_name(n, i, false));
		RL(fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, 0644));
		RL(rump_sys_close(fd));
	}
	for (i = 0; i < BIGDIR; i++) {
		snprintf(p, sizeof(p), MNT "/d/%s", big_name(n, i, false));
		snprintf(q, sizeof(q), MNT "/d/%s", big_name(n, i, true));
		if (i % 3 == 0)
			RL(rump_sys_unlink(p));
		else if (i % 3 == 1)
			RL(rump_sys_rename(p, q));
	}
	for (i = 0; i < BIGDIR / 3; i++) {
		snprintf(p, sizeof(p), MNT "/d/Added %04d.dat", i);
		RL(fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, 0644));
		RL(rump_sys_close(fd));
	}
}

static void
same_names(const struct names *a, const struct names *b, const char *what)
{
	size_t i;

	REQUIRE_EQ(a->n_count, b->n_count);
	for (i = 0; i < a->n_count; i++)
		ATF_REQUIRE_MSG(strcmp(a->n_name[i], b->n_name[i]) == 0,
		    "%s: %s, expected %s", what, a->n_name[i], b->n_name[i]);
}

ATF_TC(big_dir_create_remove_rename_exact);
ATF_TC_HEAD(big_dir_create_remove_rename_exact, tc)
{

	atf_tc_set_md_var(tc, "descr", "a directory of 1500 long names "
	    "sharing one 8.3 basis, a third removed, a third renamed and "
	    "more added, looks up every name case-insensitively before and "
	    "after remounting, passes fsck.fat -n (unique 8.3 names) and "
	    "mcopy copies out exactly the expected names");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(big_dir_create_remove_rename_exact, tc)
{
	struct names want = { 0 }, got = { 0 };

	mkfat(IMG, 32, 64 * 1024, "");
	mount_img(IMG, 0, NULL);
	big_dir_churn();
	big_dir_lookups();
	umount_fsck(IMG);
	RL(mount_fat(KEY, MNT, "vfat", 0, NULL));
	big_dir_lookups();
	big_dir_want(&want);
	rump_names(MNT "/d", &got);
	same_names(&got, &want, "rumpk");
	names_free(&got);
	RL(rump_sys_umount2(MNT, 0));
	run("mkdir out && mcopy -s -n -i %s ::d out/", IMG);
	host_names("out/d", &got);
	same_names(&got, &want, "mcopy");
	names_free(&got);
	names_free(&want);
}

/* A fresh image whose free space is in holes: eight files made by
 * mcopy, every other one then deleted. */
static void
mkfat_holes(int bits, unsigned kib)
{
	char p[PATH_MAX];
	int i;

	mkfat(IMG, bits, kib, "-s 1");
	for (i = 0; i < 8; i++) {
		snprintf(p, sizeof(p), "F%d.BIN", i);
		host_file(p, 64 * KIB + 512, (uint32_t)i);
		run("mcopy -i %s %s ::", IMG, p);
	}
	for (i = 0; i < 8; i += 2)
		run("mdel -i %s ::F%d.BIN", IMG, i);
}

/* Write a file through the holes in odd-sized pieces and past its end
 * with a gap; fsck.fat and mcopy must agree with what was written. */
static void
write_through_holes(int bits, unsigned kib, uint64_t size)
{
	static uint8_t buf[100000];
	uint64_t off, gap = 5000;
	size_t n;
	int fd;

	mkfat_holes(bits, kib);
	mount_img(IMG, 0, NULL);
	RL(fd = rump_sys_open(MNT "/W.BIN", O_WRONLY | O_CREAT, 0644));
	for (off = 0; off < size; off += n) {
		n = size - off < sizeof(buf) ? (size_t)(size - off) :
		    sizeof(buf);
		pattern_fill(buf, n, 9, off);
		REQUIRE_EQ(rump_sys_write(fd, buf, n), (ssize_t)n);
	}
	pattern_fill(buf, 3000, 9, size + gap);
	REQUIRE_EQ(rump_sys_pwrite(fd, buf, 3000, (off_t)(size + gap)), 3000);
	RL(rump_sys_close(fd));
	umount_fsck(IMG);
	host_file("W.BIN", size + gap + 3000, 9);
	RL(fd = open("W.BIN", O_WRONLY));
	memset(buf, 0, gap);
	REQUIRE_EQ(pwrite(fd, buf, gap, (off_t)size), (ssize_t)gap);
	RL(close(fd));
	run("mcopy -n -i %s ::W.BIN out.bin && cmp out.bin W.BIN", IMG);
	run("for i in 1 3 5 7; do mcopy -n -i %s ::F$i.BIN f.out && "
	    "cmp f.out F$i.BIN || exit 1; done", IMG);
}

ATF_TC(write_through_free_holes_fat12);
ATF_TC_HEAD(write_through_free_holes_fat12, tc)
{

	atf_tc_set_md_var(tc, "descr", "on FAT12, a file written in pieces "
	    "into free space split in holes, then past its end, reads back "
	    "through mcopy as written (a zero gap), other files intact, "
	    "fsck.fat -n quiet");
}
ATF_TC_BODY(write_through_free_holes_fat12, tc)
{

	write_through_holes(12, 2 * 1024, MIB + 777);
}

ATF_TC(write_through_free_holes_fat16);
ATF_TC_HEAD(write_through_free_holes_fat16, tc)
{

	atf_tc_set_md_var(tc, "descr", "on FAT16, a file written in pieces "
	    "into free space split in holes, then past its end, reads back "
	    "through mcopy as written (a zero gap), other files intact, "
	    "fsck.fat -n quiet");
}
ATF_TC_BODY(write_through_free_holes_fat16, tc)
{

	write_through_holes(16, 16 * 1024, 2 * MIB + 777);
}

#define RDTHREADS	3
#define RDFILE		(3 * MIB + 1234)

/* Read RDFILE at scattered offsets; NULL or what went wrong. */
static void *
reader(void *arg)
{
	static char msg[RDTHREADS][128];
	long t = (long)arg;
	uint8_t buf[5000], want[sizeof(buf)];
	uint64_t off, x = (uint64_t)t * 7919 + 1;
	ssize_t n;
	int fd, i;

	if ((fd = rump_sys_open(MNT "/BIG.BIN", O_RDONLY)) == -1)
		goto fail;
	for (i = 0; i < 3000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		off = (x >> 20) % RDFILE;
		if ((n = rump_sys_pread(fd, buf, sizeof(buf), (off_t)off)) ==
		    -1)
			goto fail;
		if ((uint64_t)n != (RDFILE - off < sizeof(buf) ?
		    RDFILE - off : sizeof(buf))) {
			snprintf(msg[t], sizeof(msg[t]), "short read at %ju",
			    (uintmax_t)off);
			return msg[t];
		}
		pattern_fill(want, (size_t)n, 5, off);
		if (memcmp(buf, want, (size_t)n) != 0) {
			snprintf(msg[t], sizeof(msg[t]), "thread %ld: wrong "
			    "data at %ju", t, (uintmax_t)off);
			return msg[t];
		}
	}
	rump_sys_close(fd);
	return NULL;
fail:
	snprintf(msg[t], sizeof(msg[t]), "thread %ld: %s", t, strerror(errno));
	return msg[t];
}

ATF_TC(concurrent_readers_of_fragmented_file);
ATF_TC_HEAD(concurrent_readers_of_fragmented_file, tc)
{

	atf_tc_set_md_var(tc, "descr", "with two virtual CPUs, threads "
	    "reading one fragmented file (written by mcopy between other "
	    "files that were then deleted) at scattered offsets all read "
	    "what mcopy wrote, and a sequential read matches it too");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(concurrent_readers_of_fragmented_file, tc)
{
	pthread_t th[RDTHREADS];
	void *res;
	long t;

	RL(setenv("RUMP_NCPU", "2", 1));
	mkfat_holes(16, 16 * 1024);
	host_file("BIG.BIN", RDFILE, 5);
	run("mcopy -i %s BIG.BIN ::", IMG);
	mount_img(IMG, MS_RDONLY, NULL);
	same_file(MNT "/BIG.BIN", "BIG.BIN");
	for (t = 0; t < RDTHREADS; t++)
		REQUIRE_EQ(pthread_create(&th[t], NULL, reader, (void *)t), 0);
	for (t = 0; t < RDTHREADS; t++) {
		REQUIRE_EQ(pthread_join(th[t], &res), 0);
		ATF_REQUIRE_MSG(res == NULL, "%s", (const char *)res);
	}
	same_file(MNT "/BIG.BIN", "BIG.BIN");
	RL(rump_sys_umount2(MNT, 0));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, read_mtools_tree_fat12);
	ATF_TP_ADD_TC(tp, read_mtools_tree_fat16);
	ATF_TP_ADD_TC(tp, read_mtools_tree_fat32);
	ATF_TP_ADD_TC(tp, read_lowercase_short_names_keep_case);
	ATF_TP_ADD_TC(tp, write_tree_fat12_passes_fsck_and_mtools);
	ATF_TP_ADD_TC(tp, write_tree_fat16_passes_fsck_and_mtools);
	ATF_TP_ADD_TC(tp, write_tree_fat32_passes_fsck_and_mtools);
	ATF_TP_ADD_TC(tp, names_case_insensitive_case_preserving);
	ATF_TP_ADD_TC(tp,
	    names_invalid_chars_fail_einval_trailing_dots_stripped);
	ATF_TP_ADD_TC(tp, names_255_units_ok_256_fail_enametoolong);
	ATF_TP_ADD_TC(tp, mtime_set_by_rumpk_read_by_mcopy);
	ATF_TP_ADD_TC(tp, mtime_of_new_file_is_now);
	ATF_TP_ADD_TC(tp, root_dir_full_fat12_fails_enospc);
	ATF_TP_ADD_TC(tp, root_dir_full_fat16_fails_enospc);
	ATF_TP_ADD_TC(tp, volume_full_fails_enospc_then_delete_and_write);
	ATF_TP_ADD_TC(tp, write_beyond_4gib_fails_efbig);
	ATF_TP_ADD_TC(tp, unlinked_open_file_freed_at_last_close);
	ATF_TP_ADD_TC(tp, dirty_bit_fat16_set_while_mounted_rw);
	ATF_TP_ADD_TC(tp, dirty_bit_fat32_set_while_mounted_rw);
	ATF_TP_ADD_TC(tp, fsinfo_free_count_matches_fat);
	ATF_TP_ADD_TC(tp, statfs_matches_fsck_fat16);
	ATF_TP_ADD_TC(tp, link_symlink_mknod_fail_eperm);
	ATF_TP_ADD_TC(tp, chown_only_noop_chmod_only_readonly_bit);
	ATF_TP_ADD_TC(tp, mount_options_uid_gid_masks_show_in_stat);
	ATF_TP_ADD_TC(tp, mount_unknown_option_fails_einval);
	ATF_TP_ADD_TC(tp, mount_msdos_and_vfat_types);
	ATF_TP_ADD_TC(tp, mount_rdonly_refuses_writes_erofs);
	ATF_TP_ADD_TC(tp, mount_bad_bpb_fails_einval);
	ATF_TP_ADD_TC(tp, chain_loop_in_file_fails_eio);
	ATF_TP_ADD_TC(tp, chain_short_of_size_fails_eio);
	ATF_TP_ADD_TC(tp, cluster_out_of_range_fails_eio);
	ATF_TP_ADD_TC(tp, directory_chain_loop_never_hangs);
	ATF_TP_ADD_TC(tp, cross_linked_files_never_crash);
	ATF_TP_ADD_TC(tp, big_dir_create_remove_rename_exact);
	ATF_TP_ADD_TC(tp, concurrent_readers_of_fragmented_file);
	ATF_TP_ADD_TC(tp, write_through_free_holes_fat12);
	ATF_TP_ADD_TC(tp, write_through_free_holes_fat16);
	return atf_no_error();
}
