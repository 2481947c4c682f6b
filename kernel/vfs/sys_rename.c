/*
 * sys_rename.c: rename(2), renameat(2) and renameat2(2) (flags:
 * RENAME_NOREPLACE and RENAME_EXCHANGE; RENAME_WHITEOUT is not supported
 * and fails EINVAL, as on a Linux file system without it).
 *
 * Both parents are looked up first and unlocked again.  Then, under the
 * mount's mnt_renamelock (no directory can move while it is held), the
 * ancestry of the two parents is found by walking up "..", the parents
 * are locked (the ancestor first if one contains the other, once if they
 * are the same), the two names are looked up again, every check of
 * vnode.h is made, the source and target are locked, and vop_rename is
 * called.
 *
 * Lock order: mnt_renamelock, parent directories, source, target.
 */
#include <kern/types.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

#define RENAME_FLAGS	(RENAME_NOREPLACE | RENAME_EXCHANGE | \
			 RENAME_WHITEOUT)

/*
 * One side (source or target) of a rename; private to one call.  rs_vp
 * is looked up under the directory locks, rs_trap under the rename lock.
 */
struct rename_side {
	struct vnode	*rs_dvp;	/* parent, referenced */
	char		 rs_name[NAME_MAX + 1];
	size_t		 rs_namelen;
	bool		 rs_slash;	/* trailing slash */
	bool		 rs_special;	/* "/", "." or ".." */
	struct vnode	*rs_vp;		/* the entry, or NULL */
	struct vnode	*rs_trap;	/* child of rs_dvp on the way to
					   the other parent, or NULL */
};

/* Look up the parent of upath and remember the last component. */
static int
rename_parent(int dirfd, const char *upath, struct rename_side *rs)
{
	struct nameidata nd;
	int error;

	memset(rs, 0, sizeof(*rs));
	error = vfs_namei_user(dirfd, upath, NI_PARENT | NI_NOCROSSMOUNT, &nd);
	if (error != 0)
		return error;
	if (nd.nd_dvp == NULL) {
		rs->rs_dvp = nd.nd_vp;
		rs->rs_special = true;
	} else {
		rs->rs_dvp = nd.nd_dvp;
		rs->rs_special = vfs_dotname(nd.nd_name, nd.nd_namelen) != 0;
		memcpy(rs->rs_name, nd.nd_name, nd.nd_namelen);
		rs->rs_namelen = nd.nd_namelen;
		rs->rs_slash = nd.nd_trailingslash;
	}
	vref(rs->rs_dvp);
	vfs_namei_done(&nd);
	return 0;
}

static void
rename_side_done(struct rename_side *rs)
{

	if (rs->rs_vp != NULL)
		vrele(rs->rs_vp);
	if (rs->rs_trap != NULL)
		vrele(rs->rs_trap);
	if (rs->rs_dvp != NULL)
		vrele(rs->rs_dvp);
}

/* ".." steps before a walk up is declared a loop (a corrupted fs). */
#define RENAME_MAXDEPTH	65536

/*
 * If anc is a proper ancestor of vp (same mount), set *trapp to the child
 * of anc on the way to vp, referenced.  Called under the rename lock,
 * with no vnode locked.  ELOOP if ".." never reaches the root.
 */
static int
rename_trap(struct vnode *anc, struct vnode *vp, struct vnode **trapp)
{
	struct vnode *cur, *pvp;
	int error = 0, steps;

	*trapp = NULL;
	if (anc == vp)
		return 0;
	cur = vp;
	vref(cur);
	for (steps = 0; (cur->v_vflag & VV_ROOT) == 0; steps++) {
		if (steps == RENAME_MAXDEPTH) {
			printf("rename: no way up to the root after %d "
			    "directories: corrupted file system?\n", steps);
			error = ELOOP;
			break;
		}
		vn_lock(cur, RW_READER);
		error = cur->v_op->vop_lookup(cur, "..", 2, &pvp);
		vn_unlock(cur);
		if (error != 0)
			break;
		if (pvp == anc) {
			vrele(pvp);
			*trapp = cur;
			return 0;
		}
		vrele(cur);
		cur = pvp;
	}
	vrele(cur);
	return error;
}

static void
rename_lockdirs(struct rename_side *from, struct rename_side *to)
{

	if (from->rs_dvp == to->rs_dvp) {
		vn_lock(from->rs_dvp, RW_WRITER);
	} else if (to->rs_trap != NULL) {
		vn_lock(to->rs_dvp, RW_WRITER);
		vn_lock(from->rs_dvp, RW_WRITER);
	} else {
		vn_lock(from->rs_dvp, RW_WRITER);
		vn_lock(to->rs_dvp, RW_WRITER);
	}
}

static void
rename_unlockdirs(struct rename_side *from, struct rename_side *to)
{

	vn_unlock(from->rs_dvp);
	if (to->rs_dvp != from->rs_dvp)
		vn_unlock(to->rs_dvp);
}

/* Look the names up again under the directory locks. */
static int
rename_relookup(struct rename_side *from, struct rename_side *to)
{
	struct vnode *dvp;
	int error;

	dvp = from->rs_dvp;
	error = dvp->v_op->vop_lookup(dvp, from->rs_name, from->rs_namelen,
	    &from->rs_vp);
	if (error != 0)
		return error;
	dvp = to->rs_dvp;
	error = dvp->v_op->vop_lookup(dvp, to->rs_name, to->rs_namelen,
	    &to->rs_vp);
	if (error == ENOENT) {
		to->rs_vp = NULL;
		error = 0;
	}
	return error;
}

/* Checks that need only the vnodes' identities, in Linux's order. */
static int
rename_checknames(struct rename_side *from, struct rename_side *to,
    unsigned int flags)
{
	struct vnode *fvp = from->rs_vp, *tvp = to->rs_vp;
	bool xchg = (flags & RENAME_EXCHANGE) != 0;

	if ((flags & RENAME_NOREPLACE) && tvp != NULL)
		return EEXIST;
	if (xchg && tvp == NULL)
		return ENOENT;
	if (xchg && tvp->v_type != VDIR && to->rs_slash)
		return ENOTDIR;
	if (fvp->v_type != VDIR && (from->rs_slash || (!xchg && to->rs_slash)))
		return ENOTDIR;
	/* Source contains the target's directory: into its own subtree. */
	if (fvp == from->rs_trap)
		return EINVAL;
	/* Target contains the source's directory: it cannot be empty
	 * (or, exchanging, would move into its own subtree). */
	if (tvp != NULL && tvp == to->rs_trap)
		return xchg ? EINVAL : ENOTEMPTY;
	return 0;
}

/* Permission and type checks with the source and target locked. */
static int
rename_checkvnodes(struct rename_side *from, struct rename_side *to,
    unsigned int flags, struct cred *cr)
{
	struct vnode *fvp = from->rs_vp, *tvp = to->rs_vp;
	bool isdir = fvp->v_type == VDIR, xchg = flags & RENAME_EXCHANGE;
	bool moved = from->rs_dvp != to->rs_dvp;
	int error;

	error = vn_deletecheck(from->rs_dvp, fvp, cr);
	if (error == 0 && tvp == NULL)
		error = vn_dirwritable(to->rs_dvp, cr);
	if (error == 0 && tvp != NULL)
		error = vn_deletecheck(to->rs_dvp, tvp, cr);
	if (error == 0 && tvp != NULL && !xchg && isdir &&
	    tvp->v_type != VDIR)
		error = ENOTDIR;
	if (error == 0 && tvp != NULL && !xchg && !isdir &&
	    tvp->v_type == VDIR)
		error = EISDIR;
	/* A directory changing parents gets its ".." rewritten. */
	if (error == 0 && moved && isdir)
		error = vn_access(fvp, W_OK, cr);
	if (error == 0 && moved && xchg && tvp->v_type == VDIR)
		error = vn_access(tvp, W_OK, cr);
	if (error != 0)
		return error;
	mutex_enter(&mount_lock);
	if (fvp->v_mountedhere != NULL ||
	    (tvp != NULL && tvp->v_mountedhere != NULL))
		error = EBUSY;
	mutex_exit(&mount_lock);
	return error;
}

/* The part under the directory locks. */
static int
rename_locked(struct rename_side *from, struct rename_side *to,
    unsigned int flags)
{
	struct vnode *fvp, *tvp;
	int error;

	error = rename_relookup(from, to);
	if (error == 0)
		error = rename_checknames(from, to, flags);
	if (error != 0 || from->rs_vp == to->rs_vp)
		return error;
	fvp = from->rs_vp;
	tvp = to->rs_vp;
	vn_lock(fvp, RW_WRITER);
	if (tvp != NULL)
		vn_lock(tvp, RW_WRITER);
	error = rename_checkvnodes(from, to, flags, curcred);
	if (error == 0)
		error = from->rs_dvp->v_op->vop_rename(from->rs_dvp,
		    from->rs_name, from->rs_namelen, fvp, to->rs_dvp,
		    to->rs_name, to->rs_namelen, tvp, flags);
	if (tvp != NULL)
		vn_unlock(tvp);
	vn_unlock(fvp);
	return error;
}

/* Both parents are known and on mount mp: do it under the rename lock. */
static int
rename_sides(struct mount *mp, struct rename_side *from,
    struct rename_side *to, unsigned int flags)
{
	int error;

	mutex_enter(&mp->mnt_renamelock);
	error = rename_trap(from->rs_dvp, to->rs_dvp, &from->rs_trap);
	if (error == 0 && from->rs_trap == NULL)
		error = rename_trap(to->rs_dvp, from->rs_dvp, &to->rs_trap);
	if (error == 0) {
		rename_lockdirs(from, to);
		error = rename_locked(from, to, flags);
		rename_unlockdirs(from, to);
	}
	mutex_exit(&mp->mnt_renamelock);
	return error;
}

static int
do_rename(int fromfd, const char *frompath, int tofd, const char *topath,
    unsigned int flags)
{
	struct rename_side from, to;
	int error;

	if ((flags & ~RENAME_FLAGS) || ((flags & RENAME_EXCHANGE) &&
	    (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))))
		return EINVAL;
	if (flags & RENAME_WHITEOUT) {
		if (curcred->cr_fsuid != 0)
			return EPERM;
		printf("vfs: rename: RENAME_WHITEOUT is not supported\n");
		return EINVAL;
	}
	error = rename_parent(fromfd, frompath, &from);
	if (error != 0)
		return error;
	error = rename_parent(tofd, topath, &to);
	if (error != 0)
		goto out;
	if (from.rs_dvp->v_mount != to.rs_dvp->v_mount)
		error = EXDEV;
	else if (from.rs_special)
		error = EBUSY;
	else if (to.rs_special)
		error = (flags & RENAME_NOREPLACE) ? EEXIST : EBUSY;
	else if (vn_rdonly(from.rs_dvp))
		error = EROFS;
	else
		error = rename_sides(from.rs_dvp->v_mount, &from, &to, flags);
out:
	rename_side_done(&to);
	rename_side_done(&from);
	return error;
}

static int
sys_rename(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_rename(AT_FDCWD, SYSARG(const char *, 0), AT_FDCWD,
	    SYSARG(const char *, 1), 0);
}

static int
sys_renameat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_rename(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(int, 2), SYSARG(const char *, 3), 0);
}

static int
sys_renameat2(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_rename(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(int, 2), SYSARG(const char *, 3),
	    SYSARG(unsigned int, 4));
}

const struct vfs_sysent vfs_sys_rename[] = {
	{ SYS_rename, sys_rename, "rename" },
	{ SYS_renameat, sys_renameat, "renameat" },
	{ SYS_renameat2, sys_renameat2, "renameat2" },
	{ 0, NULL, NULL },
};
