/*
 * mount.c: mounted file systems.  Owns the file system type registry,
 * the mount list and the life cycle of struct mount: mounting the root
 * (vfs_mountroot) and other file systems (vfs_domount), remounting,
 * unmounting (vfs_dounmount, vfs_unmountall), busying a mount, syncing,
 * and parsing mount option strings.  The vnodes of a mount belong to the
 * vnode cache (vnode.c); crossing mount points in lookups is namei.c's.
 *
 * A mount is created and set up (vfs_mount, root vnode) before anything
 * can see it, then attached: covered->v_mountedhere, the mount list.
 * Unmount detaches it under mount_lock only if no vnode of it is in use,
 * so that nothing can reach it any more, and then tears it down.
 *
 * Locks: mountop_lock (taken exclusive) lets one mount, remount or
 * unmount run at a time.  mount_lock protects the type registry, the
 * mount list, mount_nextid, rootvnode, the mnt_vnodecovered <->
 * v_mountedhere links and mnt_gone (which is also only written with
 * mnt_busy held exclusive).  Lock order: mountop_lock, mnt_busy, vnode
 * locks, mount_lock, vcache_lock.
 */
#include <kern/types.h>
#include <kern/lock.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/stat.h>
#include <abi/statfs.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>

/* The mount(2) flags a mount keeps in mnt_flag. */
#define MNT_KEPTFLAGS	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
			 MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME | \
			 MS_RELATIME)

LIST_HEAD(vfslist, vfsops);
TAILQ_HEAD(mountlist, mount);

kmutex_t mount_lock;
struct vnode *rootvnode;		/* mount_lock */

static krwlock_t mountop_lock;
static struct vfslist vfs_types;	/* mount_lock */
static struct mountlist mountlist;	/* newest first; mount_lock */
static uint64_t mount_nextid;		/* mount_lock */

void
mount_init(void)
{

	mutex_init(&mount_lock, MUTEX_DEFAULT);
	rw_init(&mountop_lock);
	LIST_INIT(&vfs_types);
	TAILQ_INIT(&mountlist);
	mount_nextid = 1;
}

static struct vfsops *
vfs_find_locked(const char *name)
{
	struct vfsops *vfs;

	KASSERT(mutex_owned(&mount_lock));
	LIST_FOREACH(vfs, &vfs_types, vfs_list)
		if (strcmp(vfs->vfs_name, name) == 0)
			return vfs;
	return NULL;
}

/* The registered type `name', or NULL with a console message. */
static const struct vfsops *
vfs_find(const char *name)
{
	struct vfsops *vfs;

	mutex_enter(&mount_lock);
	vfs = vfs_find_locked(name);
	mutex_exit(&mount_lock);
	if (vfs == NULL)
		printf("vfs: unknown file system type \"%s\"\n", name);
	return vfs;
}

int
vfs_register(struct vfsops *vfs)
{
	int error = 0;

	if (vfs->vfs_name == NULL ||
	    strlen(vfs->vfs_name) >= sizeof(((struct mount *)NULL)->mnt_fstype))
		return EINVAL;
	mutex_enter(&mount_lock);
	if (vfs_find_locked(vfs->vfs_name) != NULL)
		error = EEXIST;
	else
		LIST_INSERT_HEAD(&vfs_types, vfs, vfs_list);
	mutex_exit(&mount_lock);
	return error;
}

int
vfs_busy(struct mount *mp)
{

	rw_enter(&mp->mnt_busy, RW_READER);
	if (mp->mnt_gone) {
		rw_exit(&mp->mnt_busy);
		return ENOENT;
	}
	return 0;
}

void
vfs_unbusy(struct mount *mp)
{

	rw_exit(&mp->mnt_busy);
}

bool
vfs_isrdonly(const struct mount *mp)
{

	return (__atomic_load_n(&mp->mnt_flag, __ATOMIC_RELAXED) &
	    MS_RDONLY) != 0;
}

struct mount *
vfs_mountofroot(struct vnode *vp)
{

	return (vp->v_vflag & VV_ROOT) ? vp->v_mount : NULL;
}

struct vnode *
vfs_getroot(void)
{
	struct vnode *vp;

	mutex_enter(&mount_lock);
	vp = rootvnode;
	if (vp != NULL)
		vref(vp);
	mutex_exit(&mount_lock);
	return vp;
}

static unsigned long
mount_cleanflags(unsigned long flags)
{

	/* Old callers put a magic number in the upper half. */
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	return flags;
}

static int
mount_sync(struct mount *mp, bool wait)
{

	if (mp->mnt_op->vfs_sync == NULL)
		return 0;
	return mp->mnt_op->vfs_sync(mp, wait);
}

static struct mount *
mount_alloc(const struct vfsops *vfs, const char *source,
    unsigned long flags)
{
	struct mount *mp;

	mp = kmem_zalloc(sizeof(*mp));
	if (mp == NULL)
		return NULL;
	if (source != NULL && (mp->mnt_source = kmem_strdup(source)) == NULL) {
		kmem_free(mp, sizeof(*mp));
		return NULL;
	}
	rw_init(&mp->mnt_busy);
	mutex_init(&mp->mnt_renamelock, MUTEX_DEFAULT);
	mp->mnt_op = vfs;
	mp->mnt_flag = flags & MNT_KEPTFLAGS;
	strlcpy(mp->mnt_fstype, vfs->vfs_name, sizeof(mp->mnt_fstype));
	mutex_enter(&mount_lock);
	mp->mnt_id = mount_nextid++;
	mutex_exit(&mount_lock);
	mp->mnt_dev = makedev(0, mp->mnt_id);
	return mp;
}

static void
mount_free(struct mount *mp)
{

	rw_destroy(&mp->mnt_busy);
	mutex_destroy(&mp->mnt_renamelock);
	if (mp->mnt_source != NULL)
		kmem_strfree(mp->mnt_source);
	kmem_free(mp, sizeof(*mp));
}

/* Reclaim every vnode of a mount nothing refers to any more, let the
 * file system go and free the mount. */
static void
mount_teardown(struct mount *mp, int mntflags)
{
	int error;

	if (vflush(mp) != 0)
		panic("vfs: unreachable %s mount %p has vnodes in use",
		    mp->mnt_fstype, mp);
	error = mp->mnt_op->vfs_unmount(mp, mntflags);
	if (error != 0)
		printf("vfs: %s: error %d while unmounting\n",
		    mp->mnt_fstype, error);
	mount_free(mp);
}

static int
mount_loadroot(struct mount *mp)
{
	struct vnode *vp;
	int error;

	error = vcache_get(mp, mp->mnt_op->vfs_rootino(mp), &vp);
	if (error != 0)
		return error;
	if (vp->v_type != VDIR) {
		printf("vfs: %s: the root is not a directory\n",
		    mp->mnt_fstype);
		vrele(vp);
		return EUCLEAN;
	}
	vp->v_vflag |= VV_ROOT;
	mp->mnt_root = vp;
	return 0;
}

/* Create a mount of type vfs, not yet attached anywhere. */
static int
mount_setup(const struct vfsops *vfs, const char *source,
    unsigned long flags, const char *options, struct mount **mpp)
{
	struct mount *mp;
	int error;

	mp = mount_alloc(vfs, source, flags);
	if (mp == NULL)
		return ENOMEM;
	error = vfs->vfs_mount(mp, source, options, flags);
	if (error != 0) {
		mount_free(mp);
		return error;
	}
	error = mount_loadroot(mp);
	if (error != 0) {
		mount_teardown(mp, MNT_FORCE);
		return error;
	}
	*mpp = mp;
	return 0;
}

int
vfs_mountroot(const char *fstype)
{
	const struct vfsops *vfs;
	struct mount *mp;
	int error;

	if ((vfs = vfs_find(fstype)) == NULL)
		return ENODEV;
	rw_enter(&mountop_lock, RW_WRITER);
	if (rootvnode != NULL)
		error = EBUSY;
	else
		error = mount_setup(vfs, fstype, 0, NULL, &mp);
	if (error == 0) {
		vref(mp->mnt_root);
		mutex_enter(&mount_lock);
		TAILQ_INSERT_HEAD(&mountlist, mp, mnt_list);
		rootvnode = mp->mnt_root;
		mutex_exit(&mount_lock);
	}
	rw_exit(&mountop_lock);
	return error;
}

int
vfs_domount(struct vnode *covered, const char *fstype, const char *source,
    unsigned long flags, const char *options)
{
	const struct vfsops *vfs;
	struct mount *mp;
	int error;

	flags = mount_cleanflags(flags);
	if (flags & MS_REMOUNT)
		return EINVAL;
	if (flags & MS_BIND) {
		printf("vfs: mount: bind mounts (MS_BIND) are not supported\n");
		return EOPNOTSUPP;
	}
	if (covered->v_type != VDIR)
		return ENOTDIR;
	if ((vfs = vfs_find(fstype)) == NULL)
		return ENODEV;
	rw_enter(&mountop_lock, RW_WRITER);
	mutex_enter(&mount_lock);
	error = covered->v_mountedhere != NULL ? EBUSY : 0;
	mutex_exit(&mount_lock);
	if (error == 0)
		error = mount_setup(vfs, source, flags, options, &mp);
	if (error == 0) {
		vref(covered);
		mutex_enter(&mount_lock);
		mp->mnt_vnodecovered = covered;
		covered->v_mountedhere = mp;
		TAILQ_INSERT_HEAD(&mountlist, mp, mnt_list);
		mutex_exit(&mount_lock);
	}
	rw_exit(&mountop_lock);
	return error;
}

int
vfs_remount(struct mount *mp, unsigned long flags, const char *options)
{
	int error = 0;

	flags = mount_cleanflags(flags) & ~(unsigned long)MS_REMOUNT;
	if (flags & MS_BIND) {
		printf("vfs: mount: bind remounts (MS_BIND) are not "
		    "supported\n");
		return EOPNOTSUPP;
	}
	rw_enter(&mountop_lock, RW_WRITER);
	rw_enter(&mp->mnt_busy, RW_WRITER);
	if ((flags & MS_RDONLY) && !vfs_isrdonly(mp))
		error = mount_sync(mp, true);
	if (error == 0)
		error = mp->mnt_op->vfs_mount(mp, mp->mnt_source, options,
		    flags | MS_REMOUNT);
	if (error == 0)
		__atomic_store_n(&mp->mnt_flag, flags & MNT_KEPTFLAGS,
		    __ATOMIC_RELAXED);
	rw_exit(&mp->mnt_busy);
	rw_exit(&mountop_lock);
	return error;
}

/*
 * Make mp unreachable if nothing but `refs' references to its root is
 * left: a mount on one of its directories holds that directory, so it
 * counts as a vnode in use.
 */
static int
mount_detach(struct mount *mp, int refs)
{

	mutex_enter(&mount_lock);
	if (vcache_busy(mp, mp->mnt_root, refs)) {
		mutex_exit(&mount_lock);
		return EBUSY;
	}
	if (mp->mnt_vnodecovered != NULL)
		mp->mnt_vnodecovered->v_mountedhere = NULL;
	if (rootvnode == mp->mnt_root)
		rootvnode = NULL;
	TAILQ_REMOVE(&mountlist, mp, mnt_list);
	mp->mnt_gone = true;
	mutex_exit(&mount_lock);
	return 0;
}

/* Unmount mp; the caller's reference to the root is consumed on
 * success only. */
static int
mount_unmount(struct mount *mp, int mntflags)
{
	struct vnode *root = mp->mnt_root;
	struct vnode *covered = mp->mnt_vnodecovered;
	int error, refs;

	/* The mount's reference, the caller's, and rootvnode's. */
	refs = root == rootvnode ? 3 : 2;
	rw_enter(&mp->mnt_busy, RW_WRITER);
	error = mount_sync(mp, true);
	if (error == 0 || (mntflags & MNT_FORCE))
		error = mount_detach(mp, refs);
	rw_exit(&mp->mnt_busy);
	if (error != 0)
		return error;
	mp->mnt_root = NULL;
	while (refs-- > 0)
		vrele(root);
	if (covered != NULL)
		vrele(covered);
	mount_teardown(mp, mntflags);
	return 0;
}

int
vfs_dounmount(struct mount *mp, int mntflags)
{
	struct vnode *root = mp->mnt_root;
	int error;

	if (mntflags & (MNT_DETACH | MNT_EXPIRE)) {
		printf("vfs: umount: MNT_DETACH and MNT_EXPIRE are not "
		    "supported\n");
		error = EOPNOTSUPP;
	} else if (mntflags & ~(MNT_FORCE | UMOUNT_NOFOLLOW)) {
		error = EINVAL;
	} else {
		rw_enter(&mountop_lock, RW_WRITER);
		error = mount_unmount(mp, mntflags);
		rw_exit(&mountop_lock);
	}
	if (error != 0)
		vrele(root);
	return error;
}

/* The skip+1'th mount of the list, newest first, with a reference to
 * its root; NULL at the end. */
static struct mount *
mount_nth(int skip)
{
	struct mount *mp;

	mutex_enter(&mount_lock);
	mp = TAILQ_FIRST(&mountlist);
	while (mp != NULL && skip-- > 0)
		mp = TAILQ_NEXT(mp, mnt_list);
	if (mp != NULL)
		vref(mp->mnt_root);
	mutex_exit(&mount_lock);
	return mp;
}

/*
 * Unmount everything, newest first: a mount is always newer than the
 * one it sits on, so children go before their parents and the root file
 * system goes last.  A mount that cannot go stays, with a message.
 */
void
vfs_unmountall(void)
{
	char fstype[sizeof(((struct mount *)NULL)->mnt_fstype)];
	struct mount *mp;
	uint64_t id;
	int error, skip = 0;

	while ((mp = mount_nth(skip)) != NULL) {
		strlcpy(fstype, mp->mnt_fstype, sizeof(fstype));
		id = mp->mnt_id;
		error = vfs_dounmount(mp, MNT_FORCE);
		if (error != 0) {
			printf("vfs: cannot unmount %s (mount %llu): "
			    "error %d\n", fstype, (unsigned long long)id,
			    error);
			skip++;
		}
	}
}

/*
 * Sync every mount.  One that is being mounted, remounted or unmounted
 * right now is skipped: those operations sync it themselves.
 */
void
vfs_syncall(bool wait)
{
	struct mount *mp, *next;
	int error;

	mutex_enter(&mount_lock);
	for (mp = TAILQ_FIRST(&mountlist); mp != NULL; mp = next) {
		next = TAILQ_NEXT(mp, mnt_list);
		if (!rw_tryenter(&mp->mnt_busy, RW_READER))
			continue;
		mutex_exit(&mount_lock);
		error = mount_sync(mp, wait);
		if (error != 0)
			printf("vfs: sync of %s failed: error %d\n",
			    mp->mnt_fstype, error);
		mutex_enter(&mount_lock);
		/* Held busy, mp stayed on the list. */
		next = TAILQ_NEXT(mp, mnt_list);
		rw_exit(&mp->mnt_busy);
	}
	mutex_exit(&mount_lock);
}

/* One "key" or "key=value" of a mount option string. */
struct mntopt {
	const char	*mo_key;
	size_t		 mo_keylen;
	const char	*mo_val;	/* "" for a bare key */
	size_t		 mo_vallen;
};

/* Split the next option off *optsp: false at the end. */
static bool
mntopt_next(const char **optsp, struct mntopt *mo)
{
	const char *s = *optsp, *end, *eq;

	while (*s == ',')
		s++;
	if (*s == '\0')
		return false;
	end = strchr(s, ',');
	if (end == NULL)
		end = s + strlen(s);
	eq = memchr(s, '=', (size_t)(end - s));
	mo->mo_key = s;
	mo->mo_keylen = (size_t)((eq != NULL ? eq : end) - s);
	mo->mo_val = eq != NULL ? eq + 1 : end;
	mo->mo_vallen = (size_t)(end - mo->mo_val);
	*optsp = end;
	return true;
}

static bool
mntopt_is(const struct mntopt *mo, const char *key)
{

	return strlen(key) == mo->mo_keylen &&
	    memcmp(key, mo->mo_key, mo->mo_keylen) == 0;
}

bool
mntopt_get(const char *opts, const char *key, char *val, size_t len)
{
	struct mntopt mo;
	bool found = false;
	size_t n;

	if (opts == NULL)
		return false;
	while (mntopt_next(&opts, &mo)) {
		if (!mntopt_is(&mo, key))
			continue;
		found = true;
		if (len == 0)
			continue;
		n = MIN(mo.mo_vallen, len - 1);
		memcpy(val, mo.mo_val, n);
		val[n] = '\0';
	}
	return found;
}

int
mntopt_check(const char *fstype, const char *opts,
    const char *const *known)
{
	struct mntopt mo;
	size_t i;

	if (opts == NULL)
		return 0;
	while (mntopt_next(&opts, &mo)) {
		for (i = 0; known[i] != NULL; i++)
			if (mntopt_is(&mo, known[i]))
				break;
		if (known[i] == NULL) {
			printf("%s: unknown mount option \"%.*s\"\n", fstype,
			    (int)MIN(mo.mo_keylen, NAME_MAX), mo.mo_key);
			return EINVAL;
		}
		if (mo.mo_vallen >= MNTOPT_VALMAX) {
			printf("%s: mount option %s: value too long\n",
			    fstype, known[i]);
			return EINVAL;
		}
	}
	return 0;
}
