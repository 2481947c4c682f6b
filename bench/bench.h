/*
 * bench.h: what the rumpk benchmark programs share: a monotonic clock,
 * medians, running a measurement in a forked child, and the result
 * table.  Every row of the table is rumpk against a peer (the host
 * kernel, or spawning /bin/true) measured side by side in the same run.
 */
#ifndef _BENCH_BENCH_H_
#define _BENCH_BENCH_H_

#include <stddef.h>
#include <stdint.h>

/* How much to measure (command-line options of rumpk-bench). */
struct bench_opts {
	int		 bo_boots;	/* boot samples per program */
	long		 bo_calls;	/* system calls per round */
	long		 bo_opens;	/* open+close pairs per round */
	int		 bo_rounds;	/* rounds; the best one counts */
	const char	*bo_dir;	/* where the boot programs are */
	long		 bo_mib;	/* ext2, FAT: MiB in the big file */
	long		 bo_files;	/* ext2: files in one directory */
};

/* The measurements; each adds its rows to the table. */
void	bench_boot(const struct bench_opts *);
void	bench_sys(const struct bench_opts *);
/* ext2 against its peers; prints its own section after the table. */
void	bench_ext2(const struct bench_opts *);
/* FAT32 against mtools, bo_mib MiB; prints its own section. */
void	bench_msdos(const struct bench_opts *);
void	bench_remote(const struct bench_opts *);	/* rump_server */

/*
 * Add a table row.  rumpk and peer are times in ns (peer 0: none);
 * target is rumpk's target in ns (0: none); note is free text (a
 * published reference figure, say) or NULL.
 */
void	row_add(const char *name, double rumpk, double peer,
	    const char *peername, double target, const char *note);
void	table_print(const struct bench_opts *);

uint64_t now_ns(void);
/* Median of n samples (sorts them). */
double	median(double *, size_t);
/* Print "rumpk-bench: ..." and exit 1. */
_Noreturn void die(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

/*
 * Run fn in a forked child whose environment has RUMP_NCPU=ncpu; fn
 * fills out[0..n-1], which come back to the caller.  The child must not
 * return from fn on failure: it calls die().
 */
void	in_child(const char *ncpu, void (*fn)(void *, double *, size_t),
	    void *arg, double *out, size_t n);

/* bench_img.c: for the image benchmarks (ext2, FAT). */
/* Run a shell command quietly: its exit status, -1 if it did not run. */
int	sh(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
/* Run a command with sh(); its time in ns, or die naming it what. */
double	timed(const char *what, const char *cmd);
/* sync(); as root, drop the host's caches and set caches_dropped. */
void	drop_caches(void);
extern int caches_dropped;
/* The host file path: n times the len bytes at chunk; die on failure. */
void	write_chunks(const char *path, const void *chunk, size_t len,
	    unsigned long n);
/* In a child: boot, register img as block device key, mkdir mnt. */
void	img_attach(const char *key, const char *img, const char *mnt);
/* Mount key on mnt as type, unmount mnt; die on failure. */
void	img_mount(const char *key, const char *mnt, const char *type);
void	img_umount(const char *mnt);

#endif /* _BENCH_BENCH_H_ */
