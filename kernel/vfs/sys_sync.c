/*
 * sys_sync.c: getting data to stable storage: fsync, fdatasync (one
 * file), syncfs (the file system of a descriptor) and sync (all).
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/syscall.h>
#include <abi/errno.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

static int
do_fsync(int fd, int fsflags)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	error = vfs_getfile(fd, EINVAL, &fp);
	if (error != 0)
		return error;
	vp = fp->f_data;
	if (spec_isdev(vp)) {
		error = spec_fsync(vp);
	} else if (vp->v_op->vop_fsync != NULL) {
		vn_lock(vp, RW_WRITER);
		error = vp->v_op->vop_fsync(vp, FSYNC_WAIT | fsflags);
		vn_unlock(vp);
	}
	fd_putfile(fp);
	return error;
}

static int
sys_fsync(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_fsync(SYSARG(int, 0), 0);
}

static int
sys_fdatasync(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_fsync(SYSARG(int, 0), FSYNC_DATAONLY);
}

static int
sys_sync(struct lwp *l, const register_t *args, register_t *retval)
{

	vfs_syncall(true);
	return 0;
}

static int
syncfs_mount(struct mount *mp)
{
	int error;

	error = vfs_busy(mp);
	if (error != 0)
		return error;
	if (mp->mnt_op->vfs_sync != NULL)
		error = mp->mnt_op->vfs_sync(mp, true);
	vfs_unbusy(mp);
	return error;
}

/* A descriptor that is not a vnode (a pipe) has nothing to sync. */
static int
sys_syncfs(struct lwp *l, const register_t *args, register_t *retval)
{
	struct file *fp;
	int error = 0;

	fp = fd_getfile(SYSARG(int, 0));
	if (fp == NULL)
		return EBADF;
	if (fp->f_type == DTYPE_VNODE)
		error = syncfs_mount(((struct vnode *)fp->f_data)->v_mount);
	fd_putfile(fp);
	return error;
}

const struct vfs_sysent vfs_sys_sync[] = {
	{ SYS_fsync, sys_fsync, "fsync" },
	{ SYS_fdatasync, sys_fdatasync, "fdatasync" },
	{ SYS_sync, sys_sync, "sync" },
	{ SYS_syncfs, sys_syncfs, "syncfs" },
	{ 0, NULL, NULL },
};
