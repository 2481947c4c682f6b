/*
 * sys_stat.c: the stat family (stat, lstat, newfstatat, statx)
 * and statfs/fstatfs.
 *
 * A stat target is either a vnode (a path, or a vnode descriptor) or,
 * for an empty path on a descriptor of another kind (a pipe), the open
 * file itself, which answers through its fo_stat.
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <abi/statfs.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

#define STAT_ATFLAGS	(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | \
			 AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)

/* Mount flags that statfs reports, with the same values as ST_*. */
#define STATFS_MNTFLAGS	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
			 MS_SYNCHRONOUS | MS_NOATIME)

/* What a stat call looks at; private to one call. */
struct stattarget {
	struct vnode	*st_vp;		/* referenced, or NULL */
	struct file	*st_fp;		/* held non-vnode file, or NULL */
};

/* dirfd itself (AT_EMPTY_PATH with an empty path). */
static int
stat_dirfd(int dirfd, struct stattarget *t)
{
	struct file *fp;

	if (dirfd == AT_FDCWD) {
		t->st_vp = cwd_get();
		return 0;
	}
	fp = fd_getfile(dirfd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE) {
		t->st_fp = fp;
		return 0;
	}
	t->st_vp = fp->f_data;
	vref(t->st_vp);
	fd_putfile(fp);
	return 0;
}

/*
 * Resolve (dirfd, upath) as the stat family does.  Unknown flags fail
 * EINVAL except on an empty path with a descriptor, where Linux ignores
 * them.
 */
static int
stat_lookup(int dirfd, const char *upath, int atflags, struct stattarget *t)
{
	bool badflags = (atflags & ~STAT_ATFLAGS) != 0, empty;
	char *kpath;
	int error;

	t->st_vp = NULL;
	t->st_fp = NULL;
	if (badflags && ((atflags & AT_EMPTY_PATH) == 0 || dirfd < 0))
		return EINVAL;
	if (upath == NULL && (atflags & AT_EMPTY_PATH))
		return stat_dirfd(dirfd, t);
	error = pathbuf_copyin(upath, &kpath, (atflags & AT_EMPTY_PATH) != 0);
	if (error != 0)
		return badflags ? EINVAL : error;
	empty = kpath[0] == '\0';
	if (empty || badflags) {
		pathbuf_free(kpath);
		return empty ? stat_dirfd(dirfd, t) : EINVAL;
	}
	error = namei_simple(dirfd, kpath,
	    (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : NI_FOLLOW, &t->st_vp);
	pathbuf_free(kpath);
	return error;
}

static void
stat_done(struct stattarget *t)
{

	if (t->st_vp != NULL)
		vrele(t->st_vp);
	if (t->st_fp != NULL)
		fd_putfile(t->st_fp);
}

static int
stat_target(struct stattarget *t, struct stat *st)
{
	struct vattr va;
	int error;

	if (t->st_fp != NULL)
		return t->st_fp->f_ops->fo_stat(t->st_fp, st);
	error = vn_getattr_unlocked(t->st_vp, &va);
	if (error == 0)
		vattr_to_stat(t->st_vp, &va, st);
	return error;
}

static int
do_stat(int dirfd, const char *upath, int atflags, void *ubuf)
{
	struct stattarget t;
	struct stat st;
	int error;

	error = stat_lookup(dirfd, upath, atflags, &t);
	if (error != 0)
		return error;
	error = stat_target(&t, &st);
	stat_done(&t);
	if (error != 0)
		return error;
	return copyout(&st, ubuf, sizeof(st));
}

static int
sys_stat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_stat(AT_FDCWD, SYSARG(const char *, 0), 0,
	    SYSARG(void *, 1));
}

static int
sys_lstat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_stat(AT_FDCWD, SYSARG(const char *, 0), AT_SYMLINK_NOFOLLOW,
	    SYSARG(void *, 1));
}

static int
sys_newfstatat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_stat(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(int, 3), SYSARG(void *, 2));
}

static int
statx_target(struct stattarget *t, unsigned int mask, struct statx *stx)
{
	struct vattr va;
	struct stat st;
	int error;

	if (t->st_fp != NULL) {
		error = t->st_fp->f_ops->fo_stat(t->st_fp, &st);
		if (error == 0)
			stat_to_statx(&st, stx);
		return error;
	}
	error = vn_getattr_unlocked(t->st_vp, &va);
	if (error == 0)
		vattr_to_statx(t->st_vp, &va, mask, stx);
	return error;
}

static int
sys_statx(struct lwp *l, const register_t *args, register_t *retval)
{
	struct stattarget t;
	struct statx stx;
	int atflags = SYSARG(int, 2);
	unsigned int mask = SYSARG(unsigned int, 3);
	int error;

	if ((atflags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    (mask & STATX__RESERVED))
		return EINVAL;
	error = stat_lookup(SYSARG(int, 0), SYSARG(const char *, 1), atflags,
	    &t);
	if (error != 0)
		return error;
	error = statx_target(&t, mask, &stx);
	stat_done(&t);
	if (error != 0)
		return error;
	return copyout(&stx, SYSARG(void *, 4), sizeof(stx));
}

static int
statfs_vnode(struct vnode *vp, void *ubuf)
{
	struct mount *mp = vp->v_mount;
	struct statfs sf;
	int error;

	memset(&sf, 0, sizeof(sf));
	error = vfs_busy(mp);
	if (error != 0)
		return error;
	error = mp->mnt_op->vfs_statfs(mp, &sf);
	sf.f_flags = ST_VALID | (int64_t)(mp->mnt_flag & STATFS_MNTFLAGS);
	vfs_unbusy(mp);
	if (error != 0)
		return error;
	if (sf.f_frsize == 0)
		sf.f_frsize = sf.f_bsize;
	if (sf.f_namelen == 0)
		sf.f_namelen = NAME_MAX;
	sf.f_fsid[0] = (int32_t)(uint32_t)mp->mnt_id;
	sf.f_fsid[1] = (int32_t)(uint32_t)(mp->mnt_id >> 32);
	return copyout(&sf, ubuf, sizeof(sf));
}

static int
sys_statfs(struct lwp *l, const register_t *args, register_t *retval)
{
	struct vnode *vp;
	int error;

	error = vfs_lookup_user(AT_FDCWD, SYSARG(const char *, 0), NI_FOLLOW,
	    &vp);
	if (error != 0)
		return error;
	error = statfs_vnode(vp, SYSARG(void *, 1));
	vrele(vp);
	return error;
}

static int
sys_fstatfs(struct lwp *l, const register_t *args, register_t *retval)
{
	struct file *fp;
	int error;

	fp = fd_getfile(SYSARG(int, 0));
	if (fp == NULL)
		return EBADF;
	if (fp->f_type == DTYPE_VNODE) {
		error = statfs_vnode(fp->f_data, SYSARG(void *, 1));
	} else {
		printf("vfs: fstatfs: only files of file systems have one\n");
		error = EOPNOTSUPP;
	}
	fd_putfile(fp);
	return error;
}

const struct vfs_sysent vfs_sys_stat[] = {
	{ SYS_stat, sys_stat, "stat" },
	{ SYS_lstat, sys_lstat, "lstat" },
	{ SYS_newfstatat, sys_newfstatat, "newfstatat" },
	{ SYS_statx, sys_statx, "statx" },
	{ SYS_statfs, sys_statfs, "statfs" },
	{ SYS_fstatfs, sys_fstatfs, "fstatfs" },
	{ 0, NULL, NULL },
};
