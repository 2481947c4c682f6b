/*
 * bench_ext2.c: the ext2 driver against the host kernel's ext2 (on a
 * loop device), fuse2fs and e2cp, side by side in one run, on images
 * made by mke2fs (4 KiB blocks) in a temporary directory next to the
 * benchmark programs (the same disk as the build tree).
 *
 *  - one file of bo_mib MiB written sequentially (then fsync) and read
 *    back after unmounting and mounting again, host caches dropped
 *    first when running as root; best of COPYROUNDS rounds;
 *  - bo_files empty files created in one directory, listed (getdents64)
 *    and stat()ed, and deleted, against the host's ext2 if a loop mount
 *    works, else the host's file system of the temporary directory;
 *  - the peak RSS of the process that copies the big file through
 *    rumpk, and the buffer cache cap (sysctl vfs.bufcache.max).
 *
 * Peers that cannot run here (no root, no loop device, no /dev/fuse,
 * a tool not installed) are reported as "n/a (reason)".  rumpk runs in
 * forked children (in_child) that boot their own kernel.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

#define CHUNK		(1024 * 1024)	/* bytes per read or write */
#define BIGNAME		"big"
#define RKEY		"/dev/ext2img"
#define RMNT		"/mnt"
#define COPYROUNDS	2		/* the best counts */
#define MKE2FS		"PATH=\"$PATH:/sbin:/usr/sbin\" mke2fs -q -F -t ext2 " \
			"-b 4096"

enum { P_RUMPK, P_HOST, P_FUSE, P_E2CP, NPEERS };

static const char *const peername[NPEERS] = {
	"rumpk", "host ext2 (loop)", "fuse2fs", "e2cp",
};

/* One peer's result: times in ns, or why it did not run. */
struct copyres {
	double	cr_write;	/* write + fsync */
	double	cr_read;	/* after remount */
	char	cr_na[48];	/* non-empty: "n/a (...)" */
};

/* The file system calls a measurement makes: the host's or rumpk's. */
struct fsops {
	int	(*fo_open)(const char *, int, ...);
	int	(*fo_close)(int);
	ssize_t	(*fo_read)(int, void *, size_t);
	ssize_t	(*fo_write)(int, const void *, size_t);
	int	(*fo_fsync)(int);
	int	(*fo_stat)(const char *, struct stat *);
	int	(*fo_unlink)(const char *);
	int	(*fo_mkdir)(const char *, mode_t);
	ssize_t	(*fo_getdents)(int, void *, size_t);
};

static const struct fsops hostops = {
	open, close, read, write, fsync, stat, unlink, mkdir, getdents64,
};

static const struct fsops rumpops = {
	rump_sys_open, rump_sys_close, rump_sys_read, rump_sys_write,
	rump_sys_fsync, rump_sys_stat, rump_sys_unlink, rump_sys_mkdir,
	rump_sys_getdents64,
};

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* What the rumpk children need to know. */
struct ext2job {
	const struct bench_opts	*ej_opts;
	char			 ej_img[PATH_MAX];
};

static char workdir[PATH_MAX];

/* ---- host helpers ------------------------------------------------- */

static int
have(const char *tool)
{

	return sh("command -v %s", tool) == 0;
}

/* buf (PATH_MAX bytes) = dir/name. */
static char *
pjoin(char *buf, const char *dir, const char *name)
{

	if ((size_t)snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		die("path too long: %s/%s", dir, name);
	return buf;
}

static char *
wpath(char *buf, const char *name)
{

	return pjoin(buf, workdir, name);
}

/* A fresh ext2 image of mib MiB with at least inodes inodes (0: any). */
static void
mkimage(const char *img, unsigned long mib, unsigned long inodes)
{
	char n[32] = "";

	if (inodes > 0)
		snprintf(n, sizeof(n), "-N %lu", inodes);
	if (sh(MKE2FS " %s %s %luM", n, img, mib) != 0)
		die("mke2fs %s failed", img);
}

/* ---- the measurements, for any fsops ------------------------------- */

static char chunk[CHUNK];

/* Write the big file at path: ns for the writes and the fsync. */
static double
copy_write(const struct fsops *ops, const char *path, unsigned long mib)
{
	uint64_t t0;
	unsigned long i;
	int fd;

	t0 = now_ns();
	if ((fd = ops->fo_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) ==
	    -1)
		die("create %s: %s", path, strerror(errno));
	for (i = 0; i < mib; i++)
		if (ops->fo_write(fd, chunk, CHUNK) != CHUNK)
			die("write %s: %s", path, strerror(errno));
	if (ops->fo_fsync(fd) == -1 || ops->fo_close(fd) == -1)
		die("fsync %s: %s", path, strerror(errno));
	return (double)(now_ns() - t0);
}

/* Read the big file at path back: ns. */
static double
copy_read(const struct fsops *ops, const char *path, unsigned long mib)
{
	static char buf[CHUNK];
	uint64_t t0, total = 0;
	ssize_t n;
	int fd;

	t0 = now_ns();
	if ((fd = ops->fo_open(path, O_RDONLY)) == -1)
		die("open %s: %s", path, strerror(errno));
	while ((n = ops->fo_read(fd, buf, CHUNK)) > 0)
		total += (uint64_t)n;
	if (n == -1 || ops->fo_close(fd) == -1)
		die("read %s: %s", path, strerror(errno));
	if (total != (uint64_t)mib * CHUNK)
		die("read %s: %ju bytes, expected %lu MiB", path,
		    (uintmax_t)total, mib);
	return (double)(now_ns() - t0);
}

/* Create, list and stat, delete n files in dir/d: ns in out[0..2]. */
static void
files_run(const struct fsops *ops, const char *dir, long n, double *out)
{
	static char buf[32768];
	char d[PATH_MAX], p[PATH_MAX], name[32];
	const struct linux_dirent64 *de;
	struct stat st;
	ssize_t len, pos;
	uint64_t t0;
	long i, seen = 0;
	int fd;

	pjoin(d, dir, "d");
	if (ops->fo_mkdir(d, 0755) == -1)
		die("mkdir %s: %s", d, strerror(errno));
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "file%06ld", i);
		pjoin(p, d, name);
		if ((fd = ops->fo_open(p, O_WRONLY | O_CREAT | O_EXCL,
		    0644)) == -1 || ops->fo_close(fd) == -1)
			die("create %s: %s", p, strerror(errno));
	}
	out[0] = (double)(now_ns() - t0);
	t0 = now_ns();
	if ((fd = ops->fo_open(d, O_RDONLY | O_DIRECTORY)) == -1)
		die("open %s: %s", d, strerror(errno));
	while ((len = ops->fo_getdents(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < len; pos += de->d_reclen) {
			de = (const struct linux_dirent64 *)(buf + pos);
			if (de->d_name[0] == '.')
				continue;
			pjoin(p, d, de->d_name);
			if (ops->fo_stat(p, &st) == -1)
				die("stat %s: %s", p, strerror(errno));
			seen++;
		}
	}
	if (len == -1 || ops->fo_close(fd) == -1 || seen != n)
		die("list %s: %ld of %ld entries", d, seen, n);
	out[1] = (double)(now_ns() - t0);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "file%06ld", i);
		pjoin(p, d, name);
		if (ops->fo_unlink(p) == -1)
			die("unlink %s: %s", p, strerror(errno));
	}
	out[2] = (double)(now_ns() - t0);
}

/* ---- rumpk (in children) ------------------------------------------ */

/* VmHWM of this process in KiB. */
static double
peak_rss_kib(void)
{
	char line[256];
	double kib = 0;
	FILE *fp;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = strtod(line + 6, NULL);
	fclose(fp);
	return kib;
}

/* out: write ns, read ns, peak RSS KiB, buffer cache cap bytes. */
static void
rump_copy(void *arg, double *out, size_t n)
{
	const struct ext2job *j = arg;
	unsigned long mib = (unsigned long)j->ej_opts->bo_mib;
	uint64_t max = 0;
	size_t len = sizeof(max);

	img_attach(RKEY, j->ej_img, RMNT);
	img_mount(RKEY, RMNT, "ext2");
	out[0] = copy_write(&rumpops, RMNT "/" BIGNAME, mib);
	img_umount(RMNT);
	drop_caches();
	img_mount(RKEY, RMNT, "ext2");
	out[1] = copy_read(&rumpops, RMNT "/" BIGNAME, mib);
	img_umount(RMNT);
	out[2] = peak_rss_kib();
	if (rump_sys_sysctl("vfs.bufcache.max", &max, &len, NULL, 0) == -1)
		die("sysctl vfs.bufcache.max: %s", strerror(errno));
	out[3] = (double)max;
}

static void
rump_files(void *arg, double *out, size_t n)
{
	const struct ext2job *j = arg;

	img_attach(RKEY, j->ej_img, RMNT);
	img_mount(RKEY, RMNT, "ext2");
	files_run(&rumpops, RMNT, j->ej_opts->bo_files, out);
	img_umount(RMNT);
}

/* ---- the peers ---------------------------------------------------- */

static int
loop_mount(const char *img, const char *mnt)
{

	return sh("mount -o loop -t ext2 '%s' '%s'", img, mnt);
}

static void
host_copy(const char *img, const char *mnt, unsigned long mib,
    struct copyres *r)
{
	char f[PATH_MAX];

	if (geteuid() != 0) {
		snprintf(r->cr_na, sizeof(r->cr_na), "n/a (not root)");
		return;
	}
	if (loop_mount(img, mnt) != 0) {
		snprintf(r->cr_na, sizeof(r->cr_na),
		    "n/a (loop mount of ext2 failed)");
		return;
	}
	pjoin(f, mnt, BIGNAME);
	r->cr_write = copy_write(&hostops, f, mib);
	if (sh("umount '%s'", mnt) != 0)
		die("umount %s failed", mnt);
	drop_caches();
	if (loop_mount(img, mnt) != 0)
		die("loop mount %s failed the second time", img);
	r->cr_read = copy_read(&hostops, f, mib);
	if (sh("umount '%s'", mnt) != 0)
		die("umount %s failed", mnt);
}

/* Whether a file system other than the one of mnt's parent is at mnt. */
static int
mounted(const char *mnt)
{
	char parent[PATH_MAX];
	struct stat a, b;

	pjoin(parent, mnt, "..");
	return stat(mnt, &a) == 0 && stat(parent, &b) == 0 &&
	    a.st_dev != b.st_dev;
}

/* Start fuse2fs in the foreground on img at mnt: its pid, or -1. */
static pid_t
fuse_start(const char *img, const char *mnt)
{
	pid_t pid;
	int fd, i, status;

	if ((pid = fork()) == -1)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("fuse2fs", "fuse2fs", "-f", img, mnt, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && !mounted(mnt); i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return -1;
		usleep(10000);
	}
	if (mounted(mnt))
		return pid;
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	return -1;
}

/* Unmount fuse2fs and wait until it has written everything and exited. */
static void
fuse_stop(const char *mnt, pid_t pid)
{
	int status;

	if (sh("umount '%s'", mnt) != 0)
		die("umount %s (fuse2fs) failed", mnt);
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid fuse2fs: %s", strerror(errno));
}

static void
fuse_copy(const char *img, const char *mnt, unsigned long mib,
    struct copyres *r)
{
	char f[PATH_MAX];
	pid_t pid;

	if (!have("fuse2fs")) {
		snprintf(r->cr_na, sizeof(r->cr_na), "n/a (install fuse2fs)");
		return;
	}
	if (access("/dev/fuse", R_OK | W_OK) == -1 ||
	    (pid = fuse_start(img, mnt)) == -1) {
		snprintf(r->cr_na, sizeof(r->cr_na), "n/a (no usable "
		    "/dev/fuse)");
		return;
	}
	pjoin(f, mnt, BIGNAME);
	r->cr_write = copy_write(&hostops, f, mib);
	fuse_stop(mnt, pid);
	drop_caches();
	if ((pid = fuse_start(img, mnt)) == -1)
		die("fuse2fs did not mount %s the second time", img);
	r->cr_read = copy_read(&hostops, f, mib);
	fuse_stop(mnt, pid);
}

/* e2cp copies a host file in, then out to /dev/null; the write time
 * includes an fsync of the image, like the others'. */
static void
e2cp_copy(const char *img, unsigned long mib, struct copyres *r)
{
	char src[PATH_MAX], cmd[3 * PATH_MAX];
	uint64_t t0;
	int fd;

	if (!have("e2cp")) {
		snprintf(r->cr_na, sizeof(r->cr_na), "n/a (install e2tools)");
		return;
	}
	write_chunks(wpath(src, "e2cp.src"), chunk, CHUNK, mib);
	t0 = now_ns();
	snprintf(cmd, sizeof(cmd), "e2cp '%s' '%s:/" BIGNAME "'", src, img);
	(void)timed("e2cp in", cmd);
	if ((fd = open(img, O_RDWR)) == -1 || fsync(fd) == -1)
		die("fsync %s: %s", img, strerror(errno));
	close(fd);
	r->cr_write = (double)(now_ns() - t0);
	unlink(src);
	drop_caches();
	snprintf(cmd, sizeof(cmd), "e2cp '%s:/" BIGNAME "' /dev/null", img);
	r->cr_read = timed("e2cp out", cmd);
}

/* ---- the report --------------------------------------------------- */

static double
mbps(unsigned long mib, double ns)
{

	return (double)mib * CHUNK / (ns / 1e9) / 1e6;
}

static void
print_copy(const struct bench_opts *o, const struct copyres *r)
{
	unsigned long mib = (unsigned long)o->bo_mib;
	int p, w;

	printf("\next2: %lu MiB sequential, one file, 4 KiB blocks, images "
	    "in %s;\nbest of %d rounds, each peer on a fresh mke2fs image\n",
	    mib, o->bo_dir, COPYROUNDS);
	if (mib != 256)
		printf("(scaled down from 256 MiB by -s)\n");
	printf("reads after unmount + mount; host caches %s\n\n",
	    caches_dropped ? "dropped first" : "NOT dropped (not root)");
	printf("%-24s", "MB/s (10^6 bytes/s)");
	for (p = 0; p < NPEERS; p++)
		printf(" %18s", peername[p]);
	printf("\n");
	for (w = 0; w < 2; w++) {
		printf("%-24s", w == 0 ? "write + fsync" : "read (remounted)");
		for (p = 0; p < NPEERS; p++) {
			if (r[p].cr_na[0] != '\0')
				printf(" %18.18s", r[p].cr_na);
			else
				printf(" %18.1f", mbps(mib, w == 0 ?
				    r[p].cr_write : r[p].cr_read));
		}
		printf("\n");
	}
	for (w = 0; w < 2; w++) {
		printf("%-24s %18s", w == 0 ? "ratio rumpk/peer, write" :
		    "ratio rumpk/peer, read", "");
		for (p = 1; p < NPEERS; p++) {
			if (r[p].cr_na[0] != '\0')
				printf(" %18s", "-");
			else
				printf(" %18.2f", w == 0 ?
				    r[p].cr_write / r[P_RUMPK].cr_write :
				    r[p].cr_read / r[P_RUMPK].cr_read);
		}
		printf("\n");
	}
	if (r[P_HOST].cr_na[0] == '\0')
		printf("targets vs host ext2: write >= 1.00x %s, read >= "
		    "0.80x %s\n",
		    r[P_HOST].cr_write / r[P_RUMPK].cr_write >= 1.0 ?
		    "met" : "MISSED",
		    r[P_HOST].cr_read / r[P_RUMPK].cr_read >= 0.8 ?
		    "met" : "MISSED");
}

static void
print_files(const struct bench_opts *o, const double *rk,
    const double *host, const char *hostname)
{
	static const char *const what[3] = {
		"create (open O_CREAT+close)", "list (getdents64) + stat",
		"delete (unlink)",
	};
	int i;

	printf("\next2: %ld files in one directory%s\n", o->bo_files,
	    o->bo_files != 10000 ? " (scaled down from 10,000 by -f)" : "");
	printf("%-30s %12s %12s  %-26s %7s\n", "", "rumpk ext2", "peer",
	    "peer is", "ratio");
	for (i = 0; i < 3; i++)
		printf("%-30s %9.1f ms %9.1f ms  %-26s %7.2f\n", what[i],
		    rk[i] / 1e6, host[i] / 1e6, hostname, host[i] / rk[i]);
	printf("ratio = peer time / rumpk time (> 1: rumpk is faster)\n");
}

/* ---- driver ------------------------------------------------------- */

/* One round: every peer on a fresh image; v gets rump_copy's out. */
static void
copy_round(const struct bench_opts *o, struct ext2job *j, struct copyres *r,
    double *v)
{
	unsigned long mib = (unsigned long)o->bo_mib, imib = mib + mib / 4 +
	    64;
	char img[PATH_MAX], mnt[PATH_MAX];

	wpath(img, "img");
	wpath(mnt, "mnt");
	if (mkdir(mnt, 0755) == -1)
		die("mkdir %s: %s", mnt, strerror(errno));
	mkimage(img, imib, 0);
	snprintf(j->ej_img, sizeof(j->ej_img), "%s", img);
	in_child("1", rump_copy, j, v, 4);
	r[P_RUMPK].cr_write = v[0];
	r[P_RUMPK].cr_read = v[1];
	mkimage(img, imib, 0);
	host_copy(img, mnt, mib, &r[P_HOST]);
	mkimage(img, imib, 0);
	fuse_copy(img, mnt, mib, &r[P_FUSE]);
	mkimage(img, imib, 0);
	e2cp_copy(img, mib, &r[P_E2CP]);
	unlink(img);
	rmdir(mnt);
}

/* The best of COPYROUNDS rounds for each peer. */
static void
copy_all(const struct bench_opts *o, struct ext2job *j)
{
	struct copyres best[NPEERS], r[NPEERS];
	double v[4], rss = 0;
	int i, p;

	for (i = 0; i < COPYROUNDS; i++) {
		memset(r, 0, sizeof(r));
		copy_round(o, j, r, v);
		rss = v[2] > rss ? v[2] : rss;
		for (p = 0; p < NPEERS; p++) {
			if (i > 0 && best[p].cr_write <= r[p].cr_write)
				r[p].cr_write = best[p].cr_write;
			if (i > 0 && best[p].cr_read <= r[p].cr_read)
				r[p].cr_read = best[p].cr_read;
			best[p] = r[p];
		}
	}
	print_copy(o, best);
	printf("peak RSS of the rumpk process during the copy: %.1f MiB "
	    "(VmHWM); buffer cache cap vfs.bufcache.max: %.1f MiB\n",
	    rss / 1024, v[3] / (1024 * 1024));
}

static void
files_all(const struct bench_opts *o, struct ext2job *j)
{
	unsigned long inodes = (unsigned long)o->bo_files + 1024;
	char img[PATH_MAX], mnt[PATH_MAX], name[64], tmp[PATH_MAX];
	double rk[3], host[3];
	struct statfs sf;

	wpath(img, "img");
	wpath(mnt, "mnt");
	mkimage(img, 64 + inodes / 256, inodes);
	snprintf(j->ej_img, sizeof(j->ej_img), "%s", img);
	in_child("1", rump_files, j, rk, 3);
	mkimage(img, 64 + inodes / 256, inodes);
	if (mkdir(mnt, 0755) == -1)
		die("mkdir %s: %s", mnt, strerror(errno));
	if (geteuid() == 0 && loop_mount(img, mnt) == 0) {
		files_run(&hostops, mnt, o->bo_files, host);
		if (sh("umount '%s'", mnt) != 0)
			die("umount %s failed", mnt);
		snprintf(name, sizeof(name), "host ext2 (loop)");
	} else {
		wpath(tmp, "hostdir");
		if (mkdir(tmp, 0755) == -1)
			die("mkdir %s: %s", tmp, strerror(errno));
		files_run(&hostops, tmp, o->bo_files, host);
		snprintf(name, sizeof(name), "host tmp dir (fs %#lx)",
		    statfs(tmp, &sf) == 0 ? (unsigned long)sf.f_type : 0ul);
		(void)sh("rm -rf '%s'", tmp);
	}
	rmdir(mnt);
	unlink(img);
	print_files(o, rk, host, name);
}

void
bench_ext2(const struct bench_opts *o)
{
	struct ext2job j = { .ej_opts = o };

	if (sh("PATH=\"$PATH:/sbin:/usr/sbin\"; command -v mke2fs") != 0) {
		printf("\next2: n/a (install e2fsprogs: mke2fs makes the "
		    "images)\n");
		return;
	}
	snprintf(workdir, sizeof(workdir), "%s/ext2.XXXXXX", o->bo_dir);
	if (mkdtemp(workdir) == NULL)
		die("mkdtemp %s: %s", workdir, strerror(errno));
	memset(chunk, 0xa5, sizeof(chunk));
	copy_all(o, &j);
	files_all(o, &j);
	if (rmdir(workdir) == -1)
		die("rmdir %s: %s", workdir, strerror(errno));
}
