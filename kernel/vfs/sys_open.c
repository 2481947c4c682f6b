/*
 * sys_open.c: open(2), openat(2) and creat(2).  The work is vn_openat()
 * in vnops.c; this file copies the path in and returns the descriptor.
 */
#include <kern/types.h>
#include <kern/syscall.h>
#include <abi/fcntl.h>
#include <vfs/namei.h>
#include <vfs/vfs.h>
#include <vfs/vfs_syscalls.h>

static int
do_open(int dirfd, const char *upath, int flags, mode_t mode,
    register_t *retval)
{
	char *kpath;
	int fd, error;

	error = pathbuf_copyin(upath, &kpath, false);
	if (error != 0)
		return error;
	/* 64-bit Linux opens every file with O_LARGEFILE. */
	error = vn_openat(dirfd, kpath, flags | O_LARGEFILE, mode, &fd);
	pathbuf_free(kpath);
	if (error == 0)
		*retval = fd;
	return error;
}

static int
sys_open(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_open(AT_FDCWD, SYSARG(const char *, 0), SYSARG(int, 1),
	    SYSARG(mode_t, 2), retval);
}

static int
sys_openat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_open(SYSARG(int, 0), SYSARG(const char *, 1),
	    SYSARG(int, 2), SYSARG(mode_t, 3), retval);
}

static int
sys_creat(struct lwp *l, const register_t *args, register_t *retval)
{

	return do_open(AT_FDCWD, SYSARG(const char *, 0),
	    O_CREAT | O_WRONLY | O_TRUNC, SYSARG(mode_t, 1), retval);
}

const struct vfs_sysent vfs_sys_open[] = {
	{ SYS_open, sys_open, "open" },
	{ SYS_openat, sys_openat, "openat" },
	{ SYS_creat, sys_creat, "creat" },
	{ 0, NULL, NULL },
};
