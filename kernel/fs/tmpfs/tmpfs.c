/*
 * tmpfs.c: the tmpfs component, a mountable in-memory file system.
 *
 * tmpfs is the rumpfs core (kernel/fs/rumpfs, in librumpvfs) with limits
 * and Linux's mount options: size=N[k|m|g|t|%] (0: unlimited; a
 * percentage is of RUMP_MEMLIMIT, unlimited without one), nr_inodes=N
 * (0: unlimited), mode= (octal, of the root directory, default 1777),
 * uid= and gid= (of the root directory, default the mounter's).  Without
 * size or nr_inodes, a tmpfs gets half of RUMP_MEMLIMIT and one inode per
 * two pages of it, like Linux's half of RAM; with no limit it is bounded
 * only by memory.  A remount may change size and nr_inodes (EINVAL below
 * what is in use); like Linux it leaves mode, uid and gid alone.
 */
#include <kern/types.h>
#include <kern/component.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/stat.h>
#include <abi/statfs.h>
#include <vfs/mount.h>
#include <fs/rumpfs/rumpfs.h>

#define TMPFS_OPTLEN	MNTOPT_VALMAX

static const char *const tmpfs_optnames[] = {
	"size", "nr_inodes", "mode", "uid", "gid", NULL
};

struct tmpfs_opts {
	bool		 to_hassize;
	bool		 to_hasinodes;
	uint64_t	 to_maxpages;
	uint64_t	 to_maxnodes;
	mode_t		 to_mode;
	uid_t		 to_uid;
	gid_t		 to_gid;
};

static int
badopt(const char *name, const char *val)
{

	printf("tmpfs: bad value for %s: \"%s\"\n", name, val);
	return EINVAL;
}

/* size=: bytes with an optional k/m/g/t suffix, or a percentage. */
static int
parse_size(const char *val, uint64_t *pagesp)
{
	char num[TMPFS_OPTLEN];
	size_t len = strlen(val);
	uint64_t v, limit;

	if (len == 0 || len >= sizeof(num))
		return badopt("size", val);
	if (val[len - 1] != '%') {
		if (strtou64(val, &v, true) != 0)
			return badopt("size", val);
		*pagesp = v / RFS_PAGE_SIZE + (v % RFS_PAGE_SIZE != 0);
		return 0;
	}
	memcpy(num, val, len - 1);
	num[len - 1] = '\0';
	if (strtou64(num, &v, false) != 0 || v > UINT64_MAX / 100)
		return badopt("size", val);
	limit = kmem_limit() / RFS_PAGE_SIZE;
	if (limit != 0 && v > UINT64_MAX / limit)
		return badopt("size", val);
	*pagesp = limit * v / 100;
	return 0;
}

static int
parse_octal(const char *val, uint64_t max, uint64_t *vp)
{
	const char *p;
	uint64_t v = 0;

	if (*val == '\0')
		return EINVAL;
	for (p = val; *p != '\0'; p++) {
		if (*p < '0' || *p > '7')
			return EINVAL;
		v = v * 8 + (uint64_t)(*p - '0');
		if (v > max)
			return EINVAL;
	}
	*vp = v;
	return 0;
}

static int
parse_id(const char *name, const char *val, uint32_t *idp)
{
	uint64_t v;

	if (strtou64(val, &v, false) != 0 || v >= UINT32_MAX)
		return badopt(name, val);
	*idp = (uint32_t)v;
	return 0;
}

static void
opts_default(struct tmpfs_opts *to)
{
	uint64_t limitpages = kmem_limit() / RFS_PAGE_SIZE;

	to->to_maxpages = limitpages / 2;
	to->to_maxnodes = limitpages / 2;
	to->to_mode = S_ISVTX | 0777;
	to->to_uid = curcred != NULL ? curcred->cr_fsuid : 0;
	to->to_gid = curcred != NULL ? curcred->cr_fsgid : 0;
}

static int
opts_parse(const char *opts, struct tmpfs_opts *to)
{
	char val[TMPFS_OPTLEN];
	uint64_t v;
	int error;

	opts_default(to);
	if (opts == NULL)
		return 0;
	if (mntopt_get(opts, "size", val, sizeof(val))) {
		if ((error = parse_size(val, &to->to_maxpages)) != 0)
			return error;
		to->to_hassize = true;
	}
	if (mntopt_get(opts, "nr_inodes", val, sizeof(val))) {
		if (strtou64(val, &to->to_maxnodes, true) != 0)
			return badopt("nr_inodes", val);
		to->to_hasinodes = true;
	}
	if (mntopt_get(opts, "mode", val, sizeof(val))) {
		if (parse_octal(val, ALLPERMS, &v) != 0)
			return badopt("mode", val);
		to->to_mode = (mode_t)v;
	}
	if (mntopt_get(opts, "uid", val, sizeof(val)) &&
	    (error = parse_id("uid", val, &to->to_uid)) != 0)
		return error;
	if (mntopt_get(opts, "gid", val, sizeof(val)) &&
	    (error = parse_id("gid", val, &to->to_gid)) != 0)
		return error;
	return 0;
}

static int
tmpfs_mount(struct mount *mp, const char *source, const char *opts,
    unsigned long flags)
{
	struct tmpfs_opts to = { .to_hassize = false };
	struct rfs_args ra;
	int error;

	if ((error = mntopt_check("tmpfs", opts, tmpfs_optnames)) != 0 ||
	    (error = opts_parse(opts, &to)) != 0)
		return error;
	if (flags & MS_REMOUNT) {
		return rfs_mount_setlimits(mp,
		    to.to_hassize ? &to.to_maxpages : NULL,
		    to.to_hasinodes ? &to.to_maxnodes : NULL);
	}
	ra = (struct rfs_args){
		.ra_name = "tmpfs",
		.ra_magic = TMPFS_MAGIC,
		.ra_maxpages = to.to_maxpages,
		.ra_maxnodes = to.to_maxnodes,
		.ra_rootmode = to.to_mode,
		.ra_rootuid = to.to_uid,
		.ra_rootgid = to.to_gid,
	};
	return rfs_mount_create(mp, &ra);
}

static struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = rfs_unmount,
	.vfs_rootino = rfs_rootino,
	.vfs_statfs = rfs_statfs,
	.vfs_sync = rfs_sync,
	.vfs_loadvnode = rfs_loadvnode,
};

static int
tmpfs_init(void)
{

	return vfs_register(&tmpfs_vfsops);
}

RUMP_COMPONENT(RUMP_COMPONENT_FS, tmpfs, tmpfs_init, NULL)
