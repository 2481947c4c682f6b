/*
 * rt_fs.c: the two sides a tool works on, as tables of the same file
 * operations: rt_host (libc) and rt_kern (the remote kernel's rump_sys_*
 * calls).  The kernel speaks the Linux ABI, so flags and struct stat
 * pass unchanged between the two.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "rumptool.h"

static int
host_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}

static int
kern_open(const char *path, int flags, mode_t mode)
{
	return rump_sys_open(path, flags, mode);
}

const struct rt_fs rt_host = {
	.name = "host",
	.open = host_open,
	.close = close,
	.read = read,
	.write = write,
	.lseek = lseek,
	.ftruncate = ftruncate,
	.fsync = fsync,
	.fstat = fstat,
	.stat = stat,
	.lstat = lstat,
	.getdents64 = getdents64,
	.mkdir = mkdir,
	.rmdir = rmdir,
	.unlink = unlink,
	.symlink = symlink,
	.readlink = readlink,
	.chmod = chmod,
	.lchown = lchown,
	.utimensat = utimensat,
};

const struct rt_fs rt_kern = {
	.name = "kernel",
	.open = kern_open,
	.close = rump_sys_close,
	.read = rump_sys_read,
	.write = rump_sys_write,
	.lseek = rump_sys_lseek,
	.ftruncate = rump_sys_ftruncate,
	.fsync = rump_sys_fsync,
	.fstat = rump_sys_fstat,
	.stat = rump_sys_stat,
	.lstat = rump_sys_lstat,
	.getdents64 = rump_sys_getdents64,
	.mkdir = rump_sys_mkdir,
	.rmdir = rump_sys_rmdir,
	.unlink = rump_sys_unlink,
	.symlink = rump_sys_symlink,
	.readlink = rump_sys_readlink,
	.chmod = rump_sys_chmod,
	.lchown = rump_sys_lchown,
	.utimensat = rump_sys_utimensat,
};
