/*
 * rumpfs_vfsops.c: mounts of the in-memory file system, and the rumpfs
 * file system type (the root file system, mounted at boot).
 *
 * Owns struct rfs_mount: creating it with its root directory, its
 * limits, freeing every node at unmount, statfs, and loading vnodes.
 * tmpfs (kernel/fs/tmpfs) builds its vfsops from the same functions.
 * Lock: rm_lock (see rumpfs.h).
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/statfs.h>
#include <vfs/mount.h>
#include <vfs/vfs.h>
#include <vfs/vnode.h>
#include <fs/rumpfs/rumpfs.h>

#define INOHASH_INITIAL	64
/* Free pages statfs reports when nothing limits the file system. */
#define NOLIMIT_FREEPAGES	((uint64_t)1 << 28)

int
rfs_mount_create(struct mount *mp, const struct rfs_args *ra)
{
	struct rfs_newnode nn = {
		.nn_type = VDIR,
		.nn_mode = ra->ra_rootmode,
		.nn_uid = ra->ra_rootuid,
		.nn_gid = ra->ra_rootgid,
	};
	struct rfs_mount *rm;
	size_t i;
	int error;

	if ((rm = kmem_zalloc(sizeof(*rm))) == NULL)
		return ENOMEM;
	rm->rm_hashsize = INOHASH_INITIAL;
	if ((rm->rm_hash = kmem_alloc(rm->rm_hashsize * sizeof(*rm->rm_hash)))
	    == NULL) {
		kmem_free(rm, sizeof(*rm));
		return ENOMEM;
	}
	for (i = 0; i < rm->rm_hashsize; i++)
		LIST_INIT(&rm->rm_hash[i]);
	mutex_init(&rm->rm_lock, MUTEX_DEFAULT);
	rm->rm_mp = mp;
	rm->rm_name = ra->ra_name;
	rm->rm_magic = ra->ra_magic;
	rm->rm_nextino = RFS_ROOTINO;
	rm->rm_maxpages = ra->ra_maxpages;
	rm->rm_maxnodes = ra->ra_maxnodes;
	if ((error = rfs_node_alloc(rm, &nn, &rm->rm_root)) != 0) {
		mutex_destroy(&rm->rm_lock);
		kmem_free(rm->rm_hash, rm->rm_hashsize * sizeof(*rm->rm_hash));
		kmem_free(rm, sizeof(*rm));
		return error;
	}
	rfs_node_setparent(rm->rm_root, rm->rm_root);
	mp->mnt_data = rm;
	return 0;
}

static int
checklimit(const uint64_t *limit, uint64_t inuse)
{

	if (limit != NULL && *limit != 0 && *limit < inuse)
		return EINVAL;
	return 0;
}

int
rfs_mount_setlimits(struct mount *mp, const uint64_t *maxpages,
    const uint64_t *maxnodes)
{
	struct rfs_mount *rm = RFS_MOUNT(mp);
	int error;

	mutex_enter(&rm->rm_lock);
	if ((error = checklimit(maxpages, rm->rm_npages)) != 0 ||
	    (error = checklimit(maxnodes, rm->rm_nnodes)) != 0) {
		mutex_exit(&rm->rm_lock);
		printf("%s: remount: limit below what is in use\n",
		    rm->rm_name);
		return error;
	}
	if (maxpages != NULL)
		rm->rm_maxpages = *maxpages;
	if (maxnodes != NULL)
		rm->rm_maxnodes = *maxnodes;
	mutex_exit(&rm->rm_lock);
	return 0;
}

/* vfs has reclaimed every vnode of the mount, the root's included (see
 * vfsops in mount.h): free every node that is left. */
int
rfs_unmount(struct mount *mp, int mntflags)
{
	struct rfs_mount *rm = RFS_MOUNT(mp);
	struct rfs_node *n;
	size_t i;

	KASSERT(mp->mnt_root == NULL);
	for (i = 0; i < rm->rm_hashsize; i++) {
		while ((n = LIST_FIRST(&rm->rm_hash[i])) != NULL) {
			KASSERT(!n->rn_hasvnode);
			rfs_node_destroy(n);
		}
	}
	KASSERT(rm->rm_npages == 0 && rm->rm_nnodes == 0);
	kmem_free(rm->rm_hash, rm->rm_hashsize * sizeof(*rm->rm_hash));
	mutex_destroy(&rm->rm_lock);
	kmem_free(rm, sizeof(*rm));
	mp->mnt_data = NULL;
	return 0;
}

ino_t
rfs_rootino(struct mount *mp)
{

	return RFS_MOUNT(mp)->rm_root->rn_ino;
}

/* Total and free pages: the size limit, else the memory limit. */
static void
statfs_blocks(uint64_t maxpages, uint64_t npages, uint64_t *total,
    uint64_t *avail)
{
	uint64_t limit, inuse;

	if (maxpages != 0) {
		*total = maxpages;
		*avail = maxpages > npages ? maxpages - npages : 0;
	} else if ((limit = kmem_limit()) != 0) {
		*total = limit / RFS_PAGE_SIZE;
		inuse = howmany(kmem_inuse(), RFS_PAGE_SIZE);
		*avail = *total > inuse ? *total - inuse : 0;
	} else {
		*total = npages + NOLIMIT_FREEPAGES;
		*avail = NOLIMIT_FREEPAGES;
	}
}

int
rfs_statfs(struct mount *mp, struct statfs *sfs)
{
	struct rfs_mount *rm = RFS_MOUNT(mp);
	uint64_t npages, maxpages, nnodes, maxnodes;

	mutex_enter(&rm->rm_lock);
	npages = rm->rm_npages;
	maxpages = rm->rm_maxpages;
	nnodes = rm->rm_nnodes;
	maxnodes = rm->rm_maxnodes;
	mutex_exit(&rm->rm_lock);
	memset(sfs, 0, sizeof(*sfs));
	sfs->f_type = rm->rm_magic;
	sfs->f_bsize = RFS_PAGE_SIZE;
	sfs->f_frsize = RFS_PAGE_SIZE;
	statfs_blocks(maxpages, npages, &sfs->f_blocks, &sfs->f_bfree);
	sfs->f_bavail = sfs->f_bfree;
	if (maxnodes != 0) {
		sfs->f_files = maxnodes;
		sfs->f_ffree = maxnodes > nnodes ? maxnodes - nnodes : 0;
	} else {
		sfs->f_ffree = sfs->f_bfree;
		sfs->f_files = nnodes + sfs->f_ffree;
	}
	sfs->f_namelen = NAME_MAX;
	return 0;
}

int
rfs_sync(struct mount *mp, bool wait)
{

	return 0;
}

int
rfs_loadvnode(struct mount *mp, struct vnode *vp, ino_t ino)
{
	struct rfs_mount *rm = RFS_MOUNT(mp);
	struct rfs_node *n;
	int error;

	if ((error = rfs_node_getvnode(rm, ino, &n)) != 0)
		return error;
	vp->v_type = n->rn_type;
	vp->v_op = n->rn_vops;
	vp->v_data = n;
	vp->v_rdev = n->rn_rdev;
	if (n == rm->rm_root)
		vp->v_vflag |= VV_ROOT;
	return 0;
}

static const char *const rfs_opts[] = { NULL };

/* rumpfs is the root file system and nothing else; it takes no options. */
static int
rfs_mount(struct mount *mp, const char *source, const char *opts,
    unsigned long flags)
{
	const struct rfs_args ra = {
		.ra_name = "rumpfs",
		.ra_magic = RAMFS_MAGIC,
		.ra_rootmode = 0755,
	};
	int error;

	if ((error = mntopt_check("rumpfs", opts, rfs_opts)) != 0)
		return error;
	if (flags & MS_REMOUNT)
		return 0;
	/* Mounts are serialised: rootvnode cannot change under us. */
	if (rootvnode != NULL) {
		printf("rumpfs: only the root file system can be rumpfs\n");
		return EOPNOTSUPP;
	}
	return rfs_mount_create(mp, &ra);
}

struct vfsops rumpfs_vfsops = {
	.vfs_name = "rumpfs",
	.vfs_mount = rfs_mount,
	.vfs_unmount = rfs_unmount,
	.vfs_rootino = rfs_rootino,
	.vfs_statfs = rfs_statfs,
	.vfs_sync = rfs_sync,
	.vfs_loadvnode = rfs_loadvnode,
};
