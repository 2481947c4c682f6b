/*
 * vfs_init.c: the vfs faction as a component.  Boot sets up the vnode
 * cache and the mount machinery, mounts rumpfs as the root file system,
 * gives the existing processes a working directory, starts etfs and
 * installs the file system calls.  Shutdown syncs every file system,
 * drops the working directories and unmounts everything.
 */
#include <kern/types.h>
#include <kern/component.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>

static int
vfs_init(void)
{
	int error;

	vcache_init();
	mount_init();
	error = vfs_register(&rumpfs_vfsops);
	if (error == 0)
		error = vfs_mountroot(rumpfs_vfsops.vfs_name);
	if (error == 0)
		error = cwd_init();
	if (error == 0)
		error = etfs_init();
	if (error == 0)
		vfs_syscalls_init();
	return error;
}

static void
vfs_shutdown(void)
{

	vfs_syncall(true);
	cwd_shutdown();
	vfs_unmountall();
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS, vfs, vfs_init, vfs_shutdown)
