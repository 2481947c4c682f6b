/*
 * bench_msdos.c: the FAT driver against mtools (the host kernel has no
 * vfat here), side by side in one run, on FAT32 images made by mkfs.fat
 * (4 KiB clusters) in a temporary directory next to the benchmark
 * programs:
 *
 *  - one file of bo_mib MiB written sequentially (then fsync) and read
 *    back after unmounting and mounting again, against mcopy copying a
 *    host file of the same size in (then fsync of the image) and out to
 *    a pipe into /dev/null; host caches dropped before reads when root;
 *    best of COPYROUNDS rounds;
 *  - NFILES empty files created in one directory and listed (getdents64
 *    and stat), against one mcopy of NFILES empty host files and mdir;
 *    the names are 8.3 (F0000000...): with long names mcopy spends
 *    minutes generating unique ~N short names.
 *
 * Without mtools the peers print "n/a (install mtools)".  rumpk runs in
 * forked children (in_child) that boot their own kernel.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

#define CHUNK		(1024 * 1024)	/* bytes per read or write */
#define NFILES		5000
#define COPYROUNDS	2		/* the best counts */
#define RKEY		"/dev/fatimg"
#define RMNT		"/mnt"
#define MTENV		"MTOOLS_SKIP_CHECK=1 "

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* What the rumpk children need to know. */
struct fatjob {
	unsigned long	fj_mib;
	char		fj_img[PATH_MAX];
};

static char workdir[PATH_MAX];
static char chunk[CHUNK];

/* buf (PATH_MAX bytes) = workdir/name. */
static char *
wpath(char *buf, const char *name)
{

	if ((size_t)snprintf(buf, PATH_MAX, "%s/%s", workdir, name) >=
	    PATH_MAX)
		die("path too long: %s/%s", workdir, name);
	return buf;
}

/* A fresh FAT32 image of mib MiB (at least 320: 65525 clusters). */
static void
mkimage(const char *img, unsigned long mib)
{

	if (mib < 320)
		mib = 320;
	unlink(img);
	if (sh("PATH=\"$PATH:/sbin:/usr/sbin\" mkfs.fat -F 32 -s 8 -C '%s' "
	    "%lu", img, mib * 1024) != 0)
		die("mkfs.fat %s failed", img);
}

static void
fsync_path(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDWR)) == -1 || fsync(fd) == -1)
		die("fsync %s: %s", path, strerror(errno));
	close(fd);
}

/* ---- rumpk (in children) ------------------------------------------ */

/* out: write + fsync ns, read ns (remounted). */
static void
rump_copy(void *arg, double *out, size_t n)
{
	static char buf[CHUNK];
	const struct fatjob *j = arg;
	uint64_t t0, total = 0;
	unsigned long i;
	ssize_t len;
	int fd;

	img_attach(RKEY, j->fj_img, RMNT);
	img_mount(RKEY, RMNT, "vfat");
	t0 = now_ns();
	if ((fd = rump_sys_open(RMNT "/big", O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) == -1)
		die("rumpk: create: %s", strerror(errno));
	for (i = 0; i < j->fj_mib; i++)
		if (rump_sys_write(fd, chunk, CHUNK) != CHUNK)
			die("rumpk: write: %s", strerror(errno));
	if (rump_sys_fsync(fd) == -1 || rump_sys_close(fd) == -1)
		die("rumpk: fsync: %s", strerror(errno));
	out[0] = (double)(now_ns() - t0);
	img_umount(RMNT);
	drop_caches();
	img_mount(RKEY, RMNT, "vfat");
	t0 = now_ns();
	if ((fd = rump_sys_open(RMNT "/big", O_RDONLY)) == -1)
		die("rumpk: open: %s", strerror(errno));
	while ((len = rump_sys_read(fd, buf, CHUNK)) > 0)
		total += (uint64_t)len;
	if (len == -1 || rump_sys_close(fd) == -1 ||
	    total != (uint64_t)j->fj_mib * CHUNK)
		die("rumpk: read: %ju bytes: %s", (uintmax_t)total,
		    strerror(errno));
	out[1] = (double)(now_ns() - t0);
	img_umount(RMNT);
}

/* out: create ns, list + stat ns. */
static void
rump_files(void *arg, double *out, size_t n)
{
	static char buf[32768];
	const struct fatjob *j = arg;
	const struct linux_dirent64 *de;
	char p[PATH_MAX];
	struct stat st;
	ssize_t len, pos;
	uint64_t t0;
	long i, seen = 0;
	int fd;

	img_attach(RKEY, j->fj_img, RMNT);
	img_mount(RKEY, RMNT, "vfat");
	if (rump_sys_mkdir(RMNT "/d", 0755) == -1)
		die("rumpk: mkdir: %s", strerror(errno));
	t0 = now_ns();
	for (i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), RMNT "/d/F%07ld", i);
		if ((fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL,
		    0644)) == -1 || rump_sys_close(fd) == -1)
			die("rumpk: create %s: %s", p, strerror(errno));
	}
	out[0] = (double)(now_ns() - t0);
	t0 = now_ns();
	if ((fd = rump_sys_open(RMNT "/d", O_RDONLY | O_DIRECTORY)) == -1)
		die("rumpk: open d: %s", strerror(errno));
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < len; pos += de->d_reclen) {
			de = (const struct linux_dirent64 *)(buf + pos);
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), RMNT "/d/%s", de->d_name);
			if (rump_sys_stat(p, &st) == -1)
				die("rumpk: stat %s: %s", p, strerror(errno));
			seen++;
		}
	}
	if (len == -1 || rump_sys_close(fd) == -1 || seen != NFILES)
		die("rumpk: list: %ld of %d entries", seen, NFILES);
	out[1] = (double)(now_ns() - t0);
	img_umount(RMNT);
}

/* ---- mtools ------------------------------------------------------- */

/* mcopy a host file in (then fsync the image) and out: ns in out[0..1]. */
static void
mtools_copy(const char *img, unsigned long mib, double *out)
{
	char src[PATH_MAX], cmd[3 * PATH_MAX];
	uint64_t t0;

	write_chunks(wpath(src, "mcopy.src"), chunk, CHUNK, mib);
	drop_caches();
	t0 = now_ns();
	snprintf(cmd, sizeof(cmd), MTENV "mcopy -i '%s' '%s' ::big", img, src);
	(void)timed("mcopy in", cmd);
	fsync_path(img);
	out[0] = (double)(now_ns() - t0);
	unlink(src);
	drop_caches();
	snprintf(cmd, sizeof(cmd), MTENV "mcopy -n -i '%s' ::big - | "
	    "cat >/dev/null", img);
	out[1] = timed("mcopy out", cmd);
}

/* One mcopy of NFILES empty files into ::d, then mdir: ns in out[0..1]. */
static void
mtools_files(const char *img, double *out)
{
	char dir[PATH_MAX], p[PATH_MAX], cmd[3 * PATH_MAX];
	int fd, i;

	wpath(dir, "d");
	if (mkdir(dir, 0755) == -1)
		die("mkdir %s: %s", dir, strerror(errno));
	for (i = 0; i < NFILES; i++) {
		if ((size_t)snprintf(p, sizeof(p), "%s/F%07d", dir, i) >=
		    sizeof(p))
			die("path too long: %s", dir);
		if ((fd = open(p, O_WRONLY | O_CREAT, 0644)) == -1)
			die("%s: %s", p, strerror(errno));
		close(fd);
	}
	if ((size_t)snprintf(cmd, sizeof(cmd), "cd '%s' && " MTENV "mmd -i "
	    "'%s' ::d && " MTENV "mcopy -i '%s' * ::d", dir, img, img) >=
	    sizeof(cmd))
		die("command too long");
	out[0] = timed("mcopy files", cmd);
	snprintf(cmd, sizeof(cmd), MTENV "mdir -i '%s' ::d", img);
	out[1] = timed("mdir", cmd);
	(void)sh("rm -rf '%s'", dir);
}

/* ---- the report --------------------------------------------------- */

static double
mbps(unsigned long mib, double ns)
{

	return (double)mib * CHUNK / (ns / 1e9) / 1e6;
}

static void
print_copy(unsigned long mib, const double *rk, const double *mt, int have)
{
	static const char *const what[2] = {
		"write + fsync", "read (remounted)",
	};
	int w;

	printf("\nFAT32: %lu MiB sequential, one file, 4 KiB clusters, "
	    "images in %s;\nbest of %d rounds, each on a fresh mkfs.fat "
	    "image; host caches %s before reads\n", mib, workdir,
	    COPYROUNDS,
	    caches_dropped ? "dropped" : "NOT dropped (not root)");
	if (mib != 256)
		printf("(scaled down from 256 MiB by -s)\n");
	printf("%-24s %12s %22s %8s\n", "MB/s (10^6 bytes/s)", "rumpk",
	    "mcopy", "ratio");
	for (w = 0; w < 2; w++) {
		if (have)
			printf("%-24s %12.1f %22.1f %8.2f\n", what[w],
			    mbps(mib, rk[w]), mbps(mib, mt[w]), mt[w] / rk[w]);
		else
			printf("%-24s %12.1f %22s %8s\n", what[w],
			    mbps(mib, rk[w]), "n/a (install mtools)", "-");
	}
	if (have)
		printf("target: >= 1.00x mcopy: write %s, read %s\n",
		    mt[0] / rk[0] >= 1.0 ? "met" : "MISSED",
		    mt[1] / rk[1] >= 1.0 ? "met" : "MISSED");
}

static void
print_files(const double *rk, const double *mt, int have)
{
	static const char *const what[2][2] = {
		{ "create (open O_CREAT+close)", "one mcopy of the files" },
		{ "list (getdents64) + stat", "mdir" },
	};
	int i;

	printf("\nFAT32: %d empty files in one directory\n", NFILES);
	printf("%-30s %12s %12s  %-24s %7s\n", "", "rumpk", "peer",
	    "peer is", "ratio");
	for (i = 0; i < 2; i++) {
		if (have)
			printf("%-30s %9.1f ms %9.1f ms  %-24s %7.2f\n",
			    what[i][0], rk[i] / 1e6, mt[i] / 1e6, what[i][1],
			    mt[i] / rk[i]);
		else
			printf("%-30s %9.1f ms %12s  %-24s %7s\n", what[i][0],
			    rk[i] / 1e6, "-", "n/a (install mtools)", "-");
	}
	printf("ratio = peer time / rumpk time (> 1: rumpk is faster)\n");
}

/* ---- driver ------------------------------------------------------- */

static void
copy_all(unsigned long mib, struct fatjob *j, int have)
{
	double best[2][2], v[2];
	int i, k;

	for (i = 0; i < COPYROUNDS; i++) {
		mkimage(j->fj_img, mib + mib / 4 + 64);
		in_child("1", rump_copy, j, v, 2);
		for (k = 0; k < 2; k++)
			if (i == 0 || v[k] < best[0][k])
				best[0][k] = v[k];
		if (!have)
			continue;
		mkimage(j->fj_img, mib + mib / 4 + 64);
		mtools_copy(j->fj_img, mib, v);
		for (k = 0; k < 2; k++)
			if (i == 0 || v[k] < best[1][k])
				best[1][k] = v[k];
	}
	unlink(j->fj_img);
	print_copy(mib, best[0], best[1], have);
}

static void
files_all(struct fatjob *j, int have)
{
	double rk[2], mt[2] = { 0, 0 };

	mkimage(j->fj_img, 320);
	in_child("1", rump_files, j, rk, 2);
	if (have) {
		mkimage(j->fj_img, 320);
		mtools_files(j->fj_img, mt);
	}
	unlink(j->fj_img);
	print_files(rk, mt, have);
}

void
bench_msdos(const struct bench_opts *o)
{
	struct fatjob j = { .fj_mib = (unsigned long)o->bo_mib };
	int have;

	if (sh("PATH=\"$PATH:/sbin:/usr/sbin\"; command -v mkfs.fat") != 0) {
		printf("\nFAT: n/a (install dosfstools: mkfs.fat makes the "
		    "images)\n");
		return;
	}
	have = sh("command -v mcopy >/dev/null && command -v mdir") == 0;
	snprintf(workdir, sizeof(workdir), "%s/fat.XXXXXX", o->bo_dir);
	if (mkdtemp(workdir) == NULL)
		die("mkdtemp %s: %s", workdir, strerror(errno));
	wpath(j.fj_img, "img");
	memset(chunk, 0x5a, sizeof(chunk));
	copy_all(j.fj_mib, &j, have);
	files_all(&j, have);
	if (rmdir(workdir) == -1)
		die("rmdir %s: %s", workdir, strerror(errno));
}
