/*
 * namei.h: path name lookup.
 *
 * namei() resolves a kernel path relative to a directory fd (or the cwd,
 * or the root for absolute paths), following symlinks in the middle and,
 * with NI_FOLLOW, at the end (at most 40: ELOOP), crossing mount points in
 * both directions, checking search permission on each directory, and
 * enforcing NAME_MAX per component (ENAMETOOLONG).  Trailing slashes
 * require the result to be a directory (ENOTDIR; a final symlink is then
 * followed even without NI_FOLLOW).  "" is ENOENT unless NI_EMPTYPATH,
 * which names the dirfd's vnode (any type; ENOTDIR for a descriptor
 * that is not a vnode) or the cwd.  nd_cred defaults to curlwp's.
 *
 * NI_PARENT never fails because of the last component itself: it
 * returns its directory in nd_dvp (locked exclusive), its name in
 * nd_name (NUL-terminated, in nd_buf) and what the name refers to in
 * nd_vp (NULL if absent), not following a symlink (NI_FOLLOW does not
 * apply), and leaves the trailing-slash rule to the caller
 * (nd_trailingslash).  A last component of "." or ".." comes back with
 * nd_vp NULL and is not looked up; a path without a last component
 * ("/") comes back with nd_dvp NULL, nd_namelen 0 and the directory in
 * nd_vp.  The caller picks the errno for those (mkdir: EEXIST, rmdir:
 * EINVAL/ENOTEMPTY/EBUSY, ...).  A last component that is a mount point
 * comes back as the root of the mount (VV_ROOT set) unless
 * NI_NOCROSSMOUNT.
 *
 * No vnode lock is held between components; references alone keep the
 * vnodes and their mounts alive (mount.h).
 */
#ifndef _VFS_NAMEI_H_
#define _VFS_NAMEI_H_

#include <kern/types.h>

struct vnode;
struct cred;

#define NI_FOLLOW	0x01	/* follow a symlink in the last component */
#define NI_PARENT	0x02	/* return the parent locked exclusive and the
				   last component; nd_vp may be NULL */
#define NI_EMPTYPATH	0x04	/* "" names the dirfd itself (AT_EMPTY_PATH) */
#define NI_NOCROSSMOUNT	0x08	/* do not enter a mount on the last
				   component (return the covered vnode) */

struct nameidata {
	/* in */
	int		 nd_dirfd;	/* AT_FDCWD or a directory fd */
	const char	*nd_path;	/* kernel copy */
	unsigned int	 nd_flags;
	struct cred	*nd_cred;
	/* out */
	struct vnode	*nd_dvp;	/* NI_PARENT: parent, locked excl. */
	struct vnode	*nd_vp;		/* result, referenced, unlocked */
	const char	*nd_name;	/* NI_PARENT: last component */
	size_t		 nd_namelen;
	bool		 nd_trailingslash;
	char		*nd_buf;	/* internal path buffer */
};

/* Is a name of len bytes (not NUL-terminated) "." or ".."? */
static inline bool
name_isdot(const char *name, size_t len)
{

	return len == 1 && name[0] == '.';
}

static inline bool
name_isdotdot(const char *name, size_t len)
{

	return len == 2 && name[0] == '.' && name[1] == '.';
}

void	namei_init(struct nameidata *, int dirfd, const char *path,
	    unsigned int flags);
int	namei(struct nameidata *);
/* Drop what a successful namei() returned (nd_dvp unlocked+released,
 * nd_vp released, buffer freed); safe to call after a failure too (a
 * failed namei() has already released everything). */
void	namei_done(struct nameidata *);
/* namei() without NI_PARENT, for just the vnode: *vpp referenced and
 * unlocked, set only on success. */
int	namei_simple(int dirfd, const char *path, unsigned int flags,
	    struct vnode **vpp);
/* Read the target of symlink vp (unlocked) into buf, not NUL-terminated:
 * 0 with its length, ENAMETOOLONG if it fills all size bytes, ENOENT
 * if it is empty, EINVAL if vp cannot be read as a symlink. */
int	namei_readlink(struct vnode *vp, char *buf, size_t size,
	    size_t *lenp);
/* Copy a user path into a new kernel buffer (PATH_MAX): 0, EFAULT,
 * ENAMETOOLONG; ENOENT for "" unless allowempty. */
int	pathbuf_copyin(const char *upath, char **kpath, bool allowempty);
void	pathbuf_free(char *);

#endif /* _VFS_NAMEI_H_ */
