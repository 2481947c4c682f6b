/*
 * vfs_syscalls.h: what the file-system system calls (sys_*.c) and the
 * vnode file operations (vnops.c) share, private to kernel/vfs: looking
 * up user paths, getting vnodes from descriptors, the permission rules
 * that Linux applies in its vfs layer (ownership, sticky directories,
 * setgid inheritance and clearing), making new nodes, truncation,
 * device nodes, and the per-file tables of system calls that
 * vfs_syscalls_init() installs.
 */
#ifndef _VFS_VFS_SYSCALLS_H_
#define _VFS_VFS_SYSCALLS_H_

#include <kern/types.h>
#include <kern/syscall.h>
#include <vfs/namei.h>
#include <vfs/vnode.h>

struct file;
struct cred;
struct uio;

/* One system call of a sys_*.c table; tables end with vs_call NULL. */
struct vfs_sysent {
	int		 vs_num;
	sy_call_t	 vs_call;
	const char	*vs_name;
};

extern const struct vfs_sysent vfs_sys_open[];
extern const struct vfs_sysent vfs_sys_stat[];
extern const struct vfs_sysent vfs_sys_dir[];
extern const struct vfs_sysent vfs_sys_getcwd[];
extern const struct vfs_sysent vfs_sys_link[];
extern const struct vfs_sysent vfs_sys_rename[];
extern const struct vfs_sysent vfs_sys_attr[];
extern const struct vfs_sysent vfs_sys_sync[];
extern const struct vfs_sysent vfs_sys_mount[];

/*
 * namei() on a user path: copy it in (an empty path is allowed with
 * NI_EMPTYPATH) and look it up.  On success end with vfs_namei_done();
 * on failure nothing is left to undo.
 */
int	vfs_namei_user(int dirfd, const char *upath, unsigned int niflags,
	    struct nameidata *);
void	vfs_namei_done(struct nameidata *);
/* Look up a user path to a referenced, unlocked vnode. */
int	vfs_lookup_user(int dirfd, const char *upath, unsigned int niflags,
	    struct vnode **);
/* 1 if name is ".", 2 if "..", else 0. */
int	vfs_dotname(const char *, size_t);
/* rmdir(2) relative to dirfd (rmdir and unlinkat(AT_REMOVEDIR)). */
int	vfs_rmdirat(int dirfd, const char *upath);

/* A held file of fd that is backed by a vnode: 0, EBADF, or `notvnode'
 * for another kind of file. */
int	vfs_getfile(int fd, int notvnode, struct file **);
/* The same, for just the vnode (referenced); the file is let go. */
int	vfs_getvnode(int fd, int notvnode, struct vnode **);

bool	vn_rdonly(const struct vnode *);
/* The caller owns the file or is root (Linux: inode_owner_or_capable). */
bool	vn_isowner(const struct vattr *, const struct cred *);
/* A cred may keep S_ISGID on a file of group gid (in_group_or_capable). */
bool	vn_groupok(gid_t, const struct cred *);
/* Attributes of a new node of type/mode (taken as it is: no umask) in
 * the locked directory dvp: owner, group and set-gid as Linux gives them. */
int	vn_initattr(struct vnode *dvp, enum vtype, mode_t,
	    const struct cred *, struct vattr *);
/*
 * Create the node nd names (after vn_createcheck): a directory (VDIR)
 * or a regular or special file (rdev for VCHR/VBLK), with mode less the
 * process's umask.  *vpp: the new vnode, referenced, unlocked.
 */
int	vn_makenode(struct nameidata *, enum vtype, mode_t, dev_t rdev,
	    struct vnode **vpp);
/*
 * After namei(NI_PARENT) for a new name: EEXIST (the name exists or is
 * "."/".."/"/") or ENOENT (trailing slash and !isdir).  vn_createcheck
 * adds EROFS and EACCES (no write and search permission on the
 * directory), in Linux's order.
 */
int	vn_createname(struct nameidata *, bool isdir);
int	vn_createcheck(struct nameidata *, bool isdir);
/* May cr add entries to dvp (locked): ENOENT (removed), EROFS, EACCES. */
int	vn_dirwritable(struct vnode *dvp, struct cred *);
/* May cred remove vp from dvp (both locked): EACCES or EPERM (sticky). */
int	vn_deletecheck(struct vnode *dvp, struct vnode *vp,
	    struct cred *);
/* The vnode's attributes (vp locked). */
int	vn_getattr(struct vnode *, struct vattr *);
/* The same for a vnode the caller has not locked (locks it shared). */
int	vn_getattr_unlocked(struct vnode *, struct vattr *);
/*
 * The set-id bits that a change of owner or contents by cr takes from
 * a file with attributes va: S_ISUID, and S_ISGID if it means something
 * (group exec) or cr could not have set it.  Callers decide whether the
 * rule applies (chown: non-directories; truncation: non-root, VREG).
 */
mode_t	vn_killbits(const struct vattr *, const struct cred *);
/*
 * Truncate or extend a regular file (vp locked exclusive) to len,
 * updating mtime and ctime (also when the size stays: Linux does) and
 * clearing set-id bits as Linux does for non-root.
 */
int	vn_truncate(struct vnode *, off_t len, struct cred *);

/*
 * Device nodes (spec.c): a VBLK or VCHR vnode is its device.  The
 * vnode is unlocked for all of these; spec_rdwr takes the uio's offset
 * as it is (checked by the caller).  ENXIO when no driver is there.
 */
bool	spec_isdev(const struct vnode *);
/* Open with these flags: EACCES (nodev mount), ENXIO, EROFS. */
int	spec_open(struct vnode *, int flags);
int	spec_rdwr(struct vnode *, struct uio *, int ioflag);
int	spec_size(struct vnode *, off_t *);
int	spec_fsync(struct vnode *);
/* Block device ioctls; the argument is the caller's pointer. */
int	spec_ioctl(struct vnode *, unsigned long, void *);

#endif /* _VFS_VFS_SYSCALLS_H_ */
