/*
 * rump.h: the rumpk public API for programs that host a rump kernel:
 * booting, processes and lwps inside the kernel, and host files exposed
 * to the kernel (etfs).  Functions return 0 or an errno value unless
 * noted; rump_sys_* calls (rump_syscalls.h) return -1 and set errno.
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#ifdef _KERNEL
#include <kern/types.h>
#else
#include <stdint.h>
#include <sys/types.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define RUMPK_VERSION		100	/* 0.1.0 as major*10000+minor*100+patch */

struct lwp;

/* Boot the kernel with every linked or loaded component. */
int	rump_init(void);
/* Boot (if not yet booted) and serve remote clients at url:
 * unix:///abs/path, unix://rel/path, tcp://addr:port ([v6addr]:port).
 * 0, EINVAL (bad URL), EEXIST (url names a file that is not a socket),
 * EADDRINUSE, EBUSY (already serving) or another errno. */
int	rump_init_server(const char *url);
/* rumpk's version (RUMPK_VERSION of the library actually loaded). */
int	rump_getversion(void);

/* Enter/leave the kernel explicitly (for calling kernel functions). */
void	rump_schedule(void);
void	rump_unschedule(void);

/* Processes and lwps. */
#define RUMP_RFFDG	0x0004	/* child gets a copy of the fd table */
#define RUMP_RFCFDG	0x1000	/* child gets an empty fd table */
/* New process (child of the current one) with the caller on its lwp.
 * flags 0: the child shares the parent's fd table. */
int	rump_pub_lwproc_rfork(int);
/* New lwp in process pid; the caller switches to it. */
int	rump_pub_lwproc_newlwp(pid_t);
/* Make l the caller's lwp; NULL: none (the next call gets an implicit
 * lwp in process 1). */
void	rump_pub_lwproc_switch(struct lwp *);
/* Release the caller's lwp; its process exits with its last lwp. */
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

/* etfs: host files, devices and directories inside the kernel. */
enum rump_etfs_type {
	RUMP_ETFS_REG,		/* a host file as a regular file */
	RUMP_ETFS_BLK,		/* a host file or device as a block device */
	RUMP_ETFS_CHR,		/* ... as a character device */
	RUMP_ETFS_DIR,		/* a host directory, its files only */
	RUMP_ETFS_DIR_SUBDIRS	/* a host directory and its subdirectories */
};
#define RUMP_ETFS_SIZE_ENDOFF	((uint64_t)-1)

int	rump_pub_etfs_register(const char *key, const char *hostpath,
	    enum rump_etfs_type);
int	rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
	    enum rump_etfs_type, uint64_t begin, uint64_t size);
int	rump_pub_etfs_remove(const char *key);

/* md (librumpdev_md): a RAM disk of size bytes (rounded down to 512-byte
 * sectors, at most 1 TiB) with its block device node (0600) at the
 * absolute kernel path; its memory is allocated as it is written.  0,
 * EINVAL, EFBIG, EEXIST (path exists), ENOMEM or a lookup error. */
int	rump_pub_md_create(const char *path, uint64_t size);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_H_ */
