/*
 * bench_sys.c: system calls into a kernel in this process against the
 * same calls to the host kernel.
 *
 *  - null system call: rump_sys_getpid on a bound lwp (the thread has
 *    rforked a process of its own) and on a plain thread (no lwproc call:
 *    the kernel gives it an implicit lwp), against syscall(SYS_getpid)
 *    (glibc's getpid() may not enter the kernel at all);
 *  - open+close of an existing file on tmpfs, against the host's tmpfs
 *    (/dev/shm), with the same path in both;
 *  - two plain threads calling getpid at once with RUMP_NCPU=2, against
 *    two threads doing so on the host.
 *
 * Each measurement runs in a forked child that boots its own kernel; a
 * round runs the host and the rumpk loop back to back, and the best of
 * the rounds counts.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/magic.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

#define TARGET_BOUND_NS		20.0
#define TARGET_PLAIN_NS		60.0
#define TARGET_OPEN_NS		500.0
#define ALU_LOOPS		50000000L	/* about 20 ms of computing */
#define SHM_DIR			"/dev/shm"

/* What a measuring thread does, and what it found. */
struct loop {
	long		  l_n;		/* iterations */
	int		  l_bound;	/* rfork a process first */
	const char	 *l_path;	/* open+close loops: the file */
	pthread_barrier_t *l_start;	/* concurrent loops: start together */
	double		  l_ns;		/* result: ns per iteration */
};

/* ---- the loops ---------------------------------------------------- */

static double
host_getpid_loop(long n)
{
	uint64_t t0;
	long i;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
	return (double)(now_ns() - t0) / (double)n;
}

static double
rump_getpid_loop(long n)
{
	uint64_t t0;
	long i;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		rump_sys_getpid();
	return (double)(now_ns() - t0) / (double)n;
}

static double
host_open_loop(const char *path, long n)
{
	uint64_t t0;
	long i;
	int fd;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if ((fd = open(path, O_RDONLY)) == -1)
			die("open %s: %s", path, strerror(errno));
		close(fd);
	}
	return (double)(now_ns() - t0) / (double)n;
}

static double
rump_open_loop(const char *path, long n)
{
	uint64_t t0;
	long i;
	int fd;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if ((fd = rump_sys_open(path, O_RDONLY)) == -1)
			die("rump open %s: %s", path, strerror(errno));
		rump_sys_close(fd);
	}
	return (double)(now_ns() - t0) / (double)n;
}

/* ---- threads ------------------------------------------------------ */

static void *
rump_thread(void *arg)
{
	struct loop *lp = arg;
	int error;

	if (lp->l_bound) {
		error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
		if (error != 0)
			die("rfork: %s", strerror(error));
	}
	if (lp->l_start != NULL)
		pthread_barrier_wait(lp->l_start);
	if (lp->l_path != NULL)
		lp->l_ns = rump_open_loop(lp->l_path, lp->l_n);
	else
		lp->l_ns = rump_getpid_loop(lp->l_n);
	if (lp->l_bound)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static void *
host_thread(void *arg)
{
	struct loop *lp = arg;

	pthread_barrier_wait(lp->l_start);
	lp->l_ns = host_getpid_loop(lp->l_n);
	return NULL;
}

/* Plain computation, to see how well two host threads run at once. */
static void *
alu_thread(void *arg)
{
	struct loop *lp = arg;
	volatile unsigned long sum = 0;
	uint64_t t0;
	long i;

	if (lp->l_start != NULL)
		pthread_barrier_wait(lp->l_start);
	t0 = now_ns();
	for (i = 0; i < lp->l_n; i++)
		sum += (unsigned long)i;
	lp->l_ns = (double)(now_ns() - t0) / (double)lp->l_n;
	(void)sum;
	return NULL;
}

/* Run lp on a fresh thread (which has never been in the kernel). */
static double
on_fresh_thread(struct loop *lp)
{
	pthread_t t;
	int error;

	if ((error = pthread_create(&t, NULL, rump_thread, lp)) != 0)
		die("pthread_create: %s", strerror(error));
	pthread_join(t, NULL);
	return lp->l_ns;
}

/* nthr threads run fn at once; returns the slowest one's ns/call. */
static double
concurrently(void *(*fn)(void *), int nthr, long n)
{
	pthread_barrier_t start;
	struct loop lp[8];
	pthread_t t[8];
	double worst = 0;
	int i, error;

	if (nthr > 8)
		die("concurrently: %d threads is too many", nthr);
	pthread_barrier_init(&start, NULL, (unsigned int)nthr);
	for (i = 0; i < nthr; i++) {
		lp[i] = (struct loop){ .l_n = n, .l_start = &start };
		error = pthread_create(&t[i], NULL, fn, &lp[i]);
		if (error != 0)
			die("pthread_create: %s", strerror(error));
	}
	for (i = 0; i < nthr; i++) {
		pthread_join(t[i], NULL);
		if (lp[i].l_ns > worst)
			worst = lp[i].l_ns;
	}
	pthread_barrier_destroy(&start);
	return worst;
}

/* ---- the measurements (run in children) --------------------------- */

static void
boot(void)
{
	int error;

	if ((error = rump_init()) != 0)
		die("rump_init: %s", strerror(error));
}

static double
best(double a, double b)
{

	return b < a ? b : a;
}

/* out: host, bound, plain (ns per getpid). */
static void
measure_getpid(void *arg, double *out, size_t n)
{
	const struct bench_opts *o = arg;
	struct loop lp;
	int r;

	boot();
	if (rump_sys_getpid() == -1)
		die("rump_sys_getpid: %s", strerror(errno));
	out[0] = out[1] = out[2] = 1e18;
	for (r = 0; r < o->bo_rounds; r++) {
		out[0] = best(out[0], host_getpid_loop(o->bo_calls));
		lp = (struct loop){ .l_n = o->bo_calls, .l_bound = 1 };
		out[1] = best(out[1], on_fresh_thread(&lp));
		lp = (struct loop){ .l_n = o->bo_calls };
		out[2] = best(out[2], on_fresh_thread(&lp));
	}
}

/*
 * out: host, rumpk (ns per slowest thread's getpid), 2 threads; and
 * the speed of a computing thread when two run at once relative to one
 * alone (1: the machine runs two threads fully in parallel).
 */
static void
measure_getpid_smp(void *arg, double *out, size_t n)
{
	const struct bench_opts *o = arg;
	struct loop lp;
	double alone = 1e18, both = 1e18;
	int r;

	boot();
	out[0] = out[1] = 1e18;
	for (r = 0; r < o->bo_rounds; r++) {
		lp = (struct loop){ .l_n = ALU_LOOPS };
		alu_thread(&lp);
		alone = best(alone, lp.l_ns);
		both = best(both, concurrently(alu_thread, 2, ALU_LOOPS));
		out[0] = best(out[0], concurrently(host_thread, 2,
		    o->bo_calls / 2));
		out[1] = best(out[1], concurrently(rump_thread, 2,
		    o->bo_calls / 2));
	}
	out[2] = alone / both;
}

/* The same file in the kernel: tmpfs on /dev/shm, path in shm_path. */
static char shm_path[PATH_MAX];

static void
rump_make_file(const char *path)
{
	int fd;

	if (rump_sys_mkdir("/dev", 0755) == -1 && errno != EEXIST)
		die("rump mkdir /dev: %s", strerror(errno));
	if (rump_sys_mkdir(SHM_DIR, 01777) == -1 && errno != EEXIST)
		die("rump mkdir %s: %s", SHM_DIR, strerror(errno));
	if (rump_sys_mount("tmpfs", SHM_DIR, "tmpfs", 0, "size=16m") == -1)
		die("rump mount tmpfs: %s", strerror(errno));
	fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd == -1)
		die("rump create %s: %s", path, strerror(errno));
	rump_sys_close(fd);
}

/* out: host, rumpk (ns per open+close). */
static void
measure_open(void *arg, double *out, size_t n)
{
	const struct bench_opts *o = arg;
	struct loop lp;
	int r;

	boot();
	rump_make_file(shm_path);
	out[0] = out[1] = 1e18;
	for (r = 0; r < o->bo_rounds; r++) {
		out[0] = best(out[0], host_open_loop(shm_path, o->bo_opens));
		lp = (struct loop){ .l_n = o->bo_opens, .l_bound = 1,
		    .l_path = shm_path };
		out[1] = best(out[1], on_fresh_thread(&lp));
	}
}

static pid_t shm_owner;		/* the process that made shm_path */

static void
host_remove_file(void)
{

	if (getpid() == shm_owner)
		unlink(shm_path);
}

/*
 * The host file: /dev/shm/rumpk-bench.XXXXXX, removed at exit (also
 * after a failure); warns if /dev/shm is not a tmpfs.
 */
static void
host_make_file(void)
{
	struct statfs sfs;
	int fd;

	snprintf(shm_path, sizeof(shm_path), "%s/rumpk-bench.XXXXXX",
	    SHM_DIR);
	if ((fd = mkstemp(shm_path)) == -1)
		die("mkstemp %s: %s", shm_path, strerror(errno));
	close(fd);
	shm_owner = getpid();
	atexit(host_remove_file);
	if (statfs(SHM_DIR, &sfs) == 0 && sfs.f_type != TMPFS_MAGIC)
		fprintf(stderr, "rumpk-bench: warning: %s is not a tmpfs\n",
		    SHM_DIR);
}

void
bench_sys(const struct bench_opts *o)
{
	double v[3];
	char note[64];

	in_child("1", measure_getpid, (void *)o, v, 3);
	row_add("getpid, bound lwp", v[1], v[0], "host syscall(getpid)",
	    TARGET_BOUND_NS, "NetBSD rump 39.5 ns");
	row_add("getpid, plain thread", v[2], v[0], "host syscall(getpid)",
	    TARGET_PLAIN_NS, "NetBSD rump 565 ns");

	in_child("2", measure_getpid_smp, (void *)o, v, 3);
	snprintf(note, sizeof(note), "%.0f M calls/s in all; 2-thread "
	    "speed %.2f", 2e3 / v[1], v[2]);
	row_add("getpid, 2 plain threads, NCPU=2", v[1], v[0],
	    "host, 2 threads", 0, note);

	host_make_file();
	in_child("1", measure_open, (void *)o, v, 2);
	row_add("open+close, tmpfs", v[1], v[0], "host tmpfs (/dev/shm)",
	    TARGET_OPEN_NS, NULL);
}
