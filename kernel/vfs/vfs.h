/*
 * vfs.h: interfaces between the parts of the vfs faction: working
 * directories, opening vnodes as files, stat conversion, and the
 * registration of the vfs system calls and of the root file system.
 */
#ifndef _VFS_VFS_H_
#define _VFS_VFS_H_

#include <kern/types.h>
#include <kern/lock.h>

struct vnode;
struct file;
struct vattr;
struct stat;
struct statx;
struct cred;
struct vfsops;

/* Per-process working directory (proc->p_cwdi; never shared); cwd.c. */
struct cwdinfo {
	kmutex_t	 cwdi_lock;
	struct vnode	*cwdi_cdir;	/* referenced; cwdi_lock */
};
/* The current process's cwd, referenced (NULL only once the vfs has
 * shut down). */
struct vnode *cwd_get(void);
/* Replace the current process's cwd (takes over the reference). */
void	cwd_set(struct vnode *);
/* Give the existing processes the root as cwd and install the proc
 * hooks: 0 or ENOMEM. */
int	cwd_init(void);
/* Shutdown: drop every process's cwd so that file systems can be
 * unmounted. */
void	cwd_shutdown(void);

/* Vnode-backed open files; vnops.c. */
extern const struct fileops vnfileops;
/* Open path (relative to dirfd) with Linux open flags and mode, and
 * install a descriptor: 0 or errno, *fdp set. */
int	vn_openat(int dirfd, const char *kpath, int flags, mode_t mode,
	    int *fdp);
/* The vnode of an open vnode file (held by the caller's file ref). */
struct vnode *file_vnode(struct file *);

/* Attributes to the Linux ABI structures; vfs_stat.c. */
void	vattr_to_stat(const struct vnode *, const struct vattr *,
	    struct stat *);
void	vattr_to_statx(const struct vnode *, const struct vattr *,
	    unsigned int mask, struct statx *);
/* The statx of a file that is not a vnode, from its struct stat. */
void	stat_to_statx(const struct stat *, struct statx *);

/* Create a device node (or any node mknod can make) at an absolute
 * kernel path, as root, creating missing parent directories 0755: 0 or
 * errno (EEXIST if the path exists).  For drivers publishing devices. */
int	vfs_mknod_path(const char *kpath, mode_t mode, dev_t dev);

/* Install every vfs system call; called from the vfs component init. */
void	vfs_syscalls_init(void);

/* The root file system type, from kernel/fs/rumpfs. */
extern struct vfsops rumpfs_vfsops;
/* Set up etfs (called once rumpfs is the mounted root). */
int	etfs_init(void);

#endif /* _VFS_VFS_H_ */
