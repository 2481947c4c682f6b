/*
 * ext2_atime.c: access times, as Linux keeps them.
 *
 * Owns the access-time policy of a mount and the updates of i_atime
 * when files are read, directories listed and symlinks followed:
 *  relatime (default)  only if the access time is not after the change
 *                      or modification time, or is a day old or more;
 *  strictatime         on every access;
 *  noatime             never (MS_NOATIME, or the option);
 *  nodiratime          (MS_NODIRATIME, or the option) never for
 *                      directories, with any of the above.
 * Read-only mounts never write.  An access time that cannot be written
 * is reported on the console; the read itself still succeeds.
 *
 * Lock: readers hold the vnode lock shared, so i_atime (and writing the
 * inode for it) is also protected by em_atlock, taken after the vnode
 * lock and before any buffer.  Everything else in the inode is stable
 * under a shared vnode lock.
 */
#include <kern/types.h>
#include <kern/kern.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/statfs.h>
#include <vfs/mount.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

#define DAY	(24 * 60 * 60)

void
ext2_atime_opts(struct ext2_mount *em, const char *opts, unsigned long flags)
{

	em->em_atime = EXT2_ATIME_REL;
	if (mntopt_get(opts, "strictatime", NULL, 0))
		em->em_atime = EXT2_ATIME_STRICT;
	if ((flags & MS_NOATIME) || mntopt_get(opts, "noatime", NULL, 0))
		em->em_atime = EXT2_ATIME_NONE;
	em->em_nodiratime = (flags & MS_NODIRATIME) != 0 ||
	    mntopt_get(opts, "nodiratime", NULL, 0);
}

static int
tscmp(const struct timespec *a, const struct timespec *b)
{

	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec < b->tv_nsec ? -1 : 1;
	return 0;
}

/* Does the policy want the access time set to now? */
static bool
need_update(struct ext2_node *en, const struct timespec *now)
{
	struct timespec at, mt, ct;

	ext2_n_gettime(en, EXT2_ATIME, &at);
	if (tscmp(&at, now) == 0)
		return false;
	if (en->en_mount->em_atime == EXT2_ATIME_STRICT)
		return true;
	ext2_n_gettime(en, EXT2_MTIME, &mt);
	ext2_n_gettime(en, EXT2_CTIME, &ct);
	return tscmp(&mt, &at) >= 0 || tscmp(&ct, &at) >= 0 ||
	    now->tv_sec - at.tv_sec >= DAY;
}

void
ext2_accessed(struct ext2_node *en)
{
	struct ext2_mount *em = en->en_mount;
	struct timespec now;

	if (em->em_ronly || em->em_atime == EXT2_ATIME_NONE ||
	    (em->em_nodiratime && en->en_type == VDIR) ||
	    ext2_n_nlink(en) == 0)
		return;
	getnanotime(&now);
	mutex_enter(&em->em_atlock);
	if (need_update(en, &now)) {
		ext2_n_settime(en, EXT2_ATIME, &now);
		(void)ext2_update(en);
	}
	mutex_exit(&em->em_atlock);
}

void
ext2_atime_get(struct ext2_node *en, struct timespec *ts)
{

	mutex_enter(&en->en_mount->em_atlock);
	ext2_n_gettime(en, EXT2_ATIME, ts);
	mutex_exit(&en->en_mount->em_atlock);
}
