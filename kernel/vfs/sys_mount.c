/*
 * sys_mount.c: mount(2) and umount2(2): argument copying, privilege and
 * target checks.  The mount engine (mount.c: vfs_domount, vfs_remount,
 * vfs_dounmount) does the work.  Not supported: bind mounts (MS_BIND),
 * lazy and expiring unmounts (MNT_DETACH, MNT_EXPIRE).
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/statfs.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

#define MOUNT_TYPEMAX	16	/* mnt_fstype, with the NUL */
#define MOUNT_DATAMAX	4096	/* an options string, with the NUL */

#define UMOUNT_FLAGS	(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | \
			 UMOUNT_NOFOLLOW)

/* The kernel copy of mount(2)'s string arguments (NULL when absent). */
struct mount_args {
	char	*ma_type;	/* MOUNT_TYPEMAX bytes */
	char	*ma_source;	/* PATH_MAX bytes */
	char	*ma_data;	/* MOUNT_DATAMAX bytes */
};

/* Copy a string argument of at most max bytes; toolong: its errno. */
static int
mount_copystr(const char *ustr, size_t max, int toolong, char **kstrp)
{
	char *kstr;
	int error;

	*kstrp = NULL;
	if (ustr == NULL)
		return 0;
	kstr = kmem_alloc(max);
	if (kstr == NULL)
		return ENOMEM;
	error = copyinstr(ustr, kstr, max, NULL);
	if (error != 0) {
		kmem_free(kstr, max);
		return error == ENAMETOOLONG ? toolong : error;
	}
	*kstrp = kstr;
	return 0;
}

static void
mount_args_free(struct mount_args *ma)
{

	if (ma->ma_type != NULL)
		kmem_free(ma->ma_type, MOUNT_TYPEMAX);
	if (ma->ma_source != NULL)
		kmem_free(ma->ma_source, PATH_MAX);
	if (ma->ma_data != NULL)
		kmem_free(ma->ma_data, MOUNT_DATAMAX);
}

static int
mount_args_copyin(const register_t *args, struct mount_args *ma)
{
	int error;

	memset(ma, 0, sizeof(*ma));
	error = mount_copystr(SYSARG(const char *, 2), MOUNT_TYPEMAX, ENODEV,
	    &ma->ma_type);
	if (error == 0)
		error = mount_copystr(SYSARG(const char *, 0), PATH_MAX,
		    ENAMETOOLONG, &ma->ma_source);
	if (error == 0)
		error = mount_copystr(SYSARG(const char *, 4), MOUNT_DATAMAX,
		    EINVAL, &ma->ma_data);
	if (error != 0)
		mount_args_free(ma);
	return error;
}

/* Mount on (or, MS_REMOUNT, update the mount rooted at) vp. */
static int
mount_on(struct vnode *vp, unsigned long flags, struct mount_args *ma)
{
	struct mount *mp;

	if (flags & MS_REMOUNT) {
		mp = vfs_mountofroot(vp);
		if (mp == NULL)
			return EINVAL;
		return vfs_remount(mp, flags, ma->ma_data);
	}
	if (flags & MS_BIND) {
		printf("vfs: mount: bind mounts are not supported\n");
		return EINVAL;
	}
	if (ma->ma_type == NULL)
		return EINVAL;
	return vfs_domount(vp, ma->ma_type, ma->ma_source, flags, ma->ma_data);
}

/* mount(source, target, fstype, flags, data) */
static int
sys_mount(struct lwp *l, const register_t *args, register_t *retval)
{
	unsigned long flags = SYSARG(unsigned long, 3);
	struct mount_args ma;
	struct vnode *vp;
	int error;

	error = mount_args_copyin(args, &ma);
	if (error != 0)
		return error;
	error = vfs_lookup_user(AT_FDCWD, SYSARG(const char *, 1), NI_FOLLOW,
	    &vp);
	if (error == 0) {
		if (l->l_cred->cr_euid != 0)
			error = EPERM;
		else
			error = mount_on(vp, flags, &ma);
		vrele(vp);
	}
	mount_args_free(&ma);
	return error;
}

/* Checks before unmounting the mount rooted at vp. */
static int
umount_check(struct vnode *vp, int flags, struct cred *cr,
    struct mount **mpp)
{

	if (cr->cr_euid != 0)
		return EPERM;
	*mpp = vfs_mountofroot(vp);
	if (*mpp == NULL)
		return EINVAL;
	if (flags & (MNT_DETACH | MNT_EXPIRE)) {
		printf("vfs: umount2: MNT_DETACH and MNT_EXPIRE are not "
		    "supported\n");
		return EINVAL;
	}
	if ((*mpp)->mnt_vnodecovered == NULL)
		return EBUSY;
	return 0;
}

/* umount2(target, flags) */
static int
sys_umount2(struct lwp *l, const register_t *args, register_t *retval)
{
	int flags = SYSARG(int, 1);
	struct mount *mp;
	struct vnode *vp;
	int error;

	if (flags & ~UMOUNT_FLAGS)
		return EINVAL;
	error = vfs_lookup_user(AT_FDCWD, SYSARG(const char *, 0),
	    (flags & UMOUNT_NOFOLLOW) ? 0 : NI_FOLLOW, &vp);
	if (error != 0)
		return error;
	error = umount_check(vp, flags, l->l_cred, &mp);
	if (error != 0) {
		vrele(vp);
		return error;
	}
	/* vfs_dounmount takes over our reference to the mount's root. */
	return vfs_dounmount(mp, flags);
}

const struct vfs_sysent vfs_sys_mount[] = {
	{ SYS_mount, sys_mount, "mount" },
	{ SYS_umount2, sys_umount2, "umount2" },
	{ 0, NULL, NULL },
};
