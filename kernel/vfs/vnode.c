/*
 * vnode.c: the vnode cache and the life cycle of vnodes.
 *
 * Owns every struct vnode: vcache_get() finds the vnode of (mount, inode
 * number) or loads it through the file system's vfs_loadvnode, vref() and
 * vrele() count references, the last vrele() deactivates the vnode
 * (vop_inactive) and then either reclaims it at once (vop_reclaim, free)
 * or parks it on an LRU list, and the oldest parked vnodes are reclaimed
 * when there are more than RUMP_NVNODES of them.  vflush() empties the
 * cache of one mount for unmount.  The VOP protocol and the file
 * systems' private data are not this file's business.
 *
 * A vnode's state: VS_LOADING while vfs_loadvnode runs, VS_ACTIVE, then
 * VS_RECLAIMING while vop_reclaim runs.  It stays in the hash in all
 * three, so a concurrent vcache_get() waits instead of loading a second
 * vnode for the same file.  Per mount, mnt_nvnodes counts all vnodes and
 * mnt_nactive those that are referenced or loading.
 *
 * Lock order: v_lock, then vcache_lock.  vcache_lock is a leaf: it is
 * never held across a file system call or while waiting for a vnode lock.
 */
#include <kern/types.h>
#include <kern/lock.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <abi/errno.h>
#include <rump/rumpuser.h>
#include <vfs/vnode.h>
#include <vfs/mount.h>

#define VCACHE_HASHSHIFT	12
#define VCACHE_HASHSIZE		(1U << VCACHE_HASHSHIFT)
#define VCACHE_MAXFREE		16384	/* default RUMP_NVNODES */

LIST_HEAD(vnodelist, vnode);
TAILQ_HEAD(vnodequeue, vnode);

kmutex_t vcache_lock;
static kcondvar_t vcache_cv;		/* a v_state changed; vcache_lock */
/* vcache_lock; static storage starts zeroed, i.e. as empty lists, so
 * boot does not touch its pages. */
static struct vnodelist vcache_hash[VCACHE_HASHSIZE];
static struct vnodequeue vcache_lru;	/* unreferenced, oldest first;
					   vcache_lock */
static unsigned long vcache_nfree;	/* length of vcache_lru;
					   vcache_lock */
static unsigned long vcache_maxfree;	/* constant after vcache_init */

static void
vcache_setlimit(void)
{
	char buf[32];
	uint64_t n;
	int error;

	vcache_maxfree = VCACHE_MAXFREE;
	error = rumpuser_getparam("RUMP_NVNODES", buf, sizeof(buf));
	if (error == ENOENT)
		return;
	if (error == 0)
		error = strtou64(buf, &n, true);
	if (error == 0 && n > INT_MAX)
		error = ERANGE;
	if (error != 0) {
		printf("vfs: ignoring bad RUMP_NVNODES (error %d)\n", error);
		return;
	}
	vcache_maxfree = n;
}

void
vcache_init(void)
{

	mutex_init(&vcache_lock, MUTEX_DEFAULT);
	cv_init(&vcache_cv);
	TAILQ_INIT(&vcache_lru);
	vcache_nfree = 0;
	vcache_setlimit();
}

static struct vnodelist *
vcache_bucket(const struct mount *mp, ino_t ino)
{
	uint64_t h;

	h = ((uint64_t)(uintptr_t)mp >> 4) ^ ino;
	h *= 0x9e3779b97f4a7c15ULL;
	return &vcache_hash[h >> (64 - VCACHE_HASHSHIFT)];
}

static struct vnode *
vcache_lookup(const struct mount *mp, ino_t ino)
{
	struct vnode *vp;

	KASSERT(mutex_owned(&vcache_lock));
	LIST_FOREACH(vp, vcache_bucket(mp, ino), v_hash)
		if (vp->v_mount == mp && vp->v_ino == ino)
			return vp;
	return NULL;
}

static int
vusecount(struct vnode *vp)
{

	return __atomic_load_n(&vp->v_usecount, __ATOMIC_ACQUIRE);
}

/* A new vnode, referenced by its loader, in state VS_LOADING. */
static struct vnode *
vnode_alloc(struct mount *mp, ino_t ino)
{
	struct vnode *vp;

	vp = kmem_zalloc(sizeof(*vp));
	if (vp == NULL)
		return NULL;
	rw_init(&vp->v_lock);
	vp->v_usecount = 1;
	vp->v_state = VS_LOADING;
	vp->v_type = VNON;
	vp->v_ino = ino;
	vp->v_mount = mp;
	return vp;
}

static void
vnode_free(struct vnode *vp)
{

	rw_destroy(&vp->v_lock);
	kmem_free(vp, sizeof(*vp));
}

/* Take a reference to an active vnode found in the hash. */
static void
vcache_ref_locked(struct vnode *vp)
{

	KASSERT(mutex_owned(&vcache_lock));
	KASSERT(vp->v_state == VS_ACTIVE);
	if (vusecount(vp) == 0) {
		TAILQ_REMOVE(&vcache_lru, vp, v_lru);
		vcache_nfree--;
		vp->v_mount->mnt_nactive++;
	}
	__atomic_add_fetch(&vp->v_usecount, 1, __ATOMIC_ACQ_REL);
}

static void
vcache_insert_locked(struct vnode *vp)
{

	KASSERT(mutex_owned(&vcache_lock));
	LIST_INSERT_HEAD(vcache_bucket(vp->v_mount, vp->v_ino), vp, v_hash);
	vp->v_mount->mnt_nvnodes++;
	vp->v_mount->mnt_nactive++;
}

/* Fill in a VS_LOADING vnode; on failure it leaves the cache. */
static int
vcache_load(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	int error;

	error = mp->mnt_op->vfs_loadvnode(mp, vp, vp->v_ino);
	KASSERT(error != 0 || vp->v_op != NULL);
	mutex_enter(&vcache_lock);
	if (error != 0) {
		LIST_REMOVE(vp, v_hash);
		mp->mnt_nvnodes--;
		mp->mnt_nactive--;
	} else
		vp->v_state = VS_ACTIVE;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	if (error != 0)
		vnode_free(vp);
	return error;
}

int
vcache_get(struct mount *mp, ino_t ino, struct vnode **vpp)
{
	struct vnode *vp, *nvp = NULL;
	int error;

	mutex_enter(&vcache_lock);
	for (;;) {
		vp = vcache_lookup(mp, ino);
		if (vp != NULL && vp->v_state == VS_ACTIVE) {
			vcache_ref_locked(vp);
			break;
		}
		if (vp != NULL) {
			cv_wait(&vcache_cv, &vcache_lock);
			continue;
		}
		if (nvp != NULL) {
			vcache_insert_locked(nvp);
			break;
		}
		mutex_exit(&vcache_lock);
		nvp = vnode_alloc(mp, ino);
		if (nvp == NULL)
			return ENOMEM;
		mutex_enter(&vcache_lock);
	}
	mutex_exit(&vcache_lock);
	if (vp != NULL) {
		if (nvp != NULL)
			vnode_free(nvp);
		*vpp = vp;
		return 0;
	}
	error = vcache_load(nvp);
	if (error == 0)
		*vpp = nvp;
	return error;
}

void
vref(struct vnode *vp)
{

	if (__atomic_fetch_add(&vp->v_usecount, 1, __ATOMIC_RELAXED) <= 0)
		panic("vref: vnode %p has no reference", vp);
}

/* Drop a reference unless it is the last one: true if dropped. */
static bool
vrele_notlast(struct vnode *vp)
{
	int uc;

	uc = __atomic_load_n(&vp->v_usecount, __ATOMIC_RELAXED);
	while (uc > 1) {
		if (__atomic_compare_exchange_n(&vp->v_usecount, &uc, uc - 1,
		    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return true;
	}
	if (uc != 1)
		panic("vrele: vnode %p has no reference", vp);
	return false;
}

/* vp is VS_RECLAIMING and unreferenced: let the fs let go of it, then
 * remove and free it. */
static void
vcache_reclaim(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;

	KASSERT(vp->v_state == VS_RECLAIMING);
	if (vp->v_op->vop_reclaim != NULL)
		vp->v_op->vop_reclaim(vp);
	mutex_enter(&vcache_lock);
	LIST_REMOVE(vp, v_hash);
	mp->mnt_nvnodes--;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	vnode_free(vp);
}

/* Take an unreferenced vnode off the LRU list for reclaiming. */
static void
vcache_doom_locked(struct vnode *vp)
{

	KASSERT(mutex_owned(&vcache_lock));
	TAILQ_REMOVE(&vcache_lru, vp, v_lru);
	vcache_nfree--;
	vp->v_state = VS_RECLAIMING;
}

/* Reclaim the oldest unreferenced vnodes while there are too many. */
static void
vcache_trim_locked(void)
{
	struct vnode *vp;

	while (vcache_nfree > vcache_maxfree) {
		vp = TAILQ_FIRST(&vcache_lru);
		vcache_doom_locked(vp);
		mutex_exit(&vcache_lock);
		vcache_reclaim(vp);
		mutex_enter(&vcache_lock);
	}
}

void
vrele(struct vnode *vp)
{
	bool recycle = false;

	if (vrele_notlast(vp))
		return;
	if (vp->v_op->vop_inactive != NULL) {
		vn_lock(vp, RW_WRITER);
		(void)vp->v_op->vop_inactive(vp, &recycle);
		vn_unlock(vp);
	}
	mutex_enter(&vcache_lock);
	if (vrele_notlast(vp)) {
		/* Someone found it meanwhile; they will deactivate it. */
		mutex_exit(&vcache_lock);
		return;
	}
	__atomic_store_n(&vp->v_usecount, 0, __ATOMIC_RELEASE);
	vp->v_mount->mnt_nactive--;
	if (recycle) {
		vp->v_state = VS_RECLAIMING;
		mutex_exit(&vcache_lock);
		vcache_reclaim(vp);
		return;
	}
	TAILQ_INSERT_TAIL(&vcache_lru, vp, v_lru);
	vcache_nfree++;
	vcache_trim_locked();
	mutex_exit(&vcache_lock);
}

void
vn_lock(struct vnode *vp, krw_t op)
{

	KASSERT(vusecount(vp) > 0);
	rw_enter(&vp->v_lock, op);
}

void
vn_unlock(struct vnode *vp)
{

	rw_exit(&vp->v_lock);
}

void
vput(struct vnode *vp)
{

	vn_unlock(vp);
	vrele(vp);
}

bool
vcache_busy(struct mount *mp, struct vnode *except, int refs)
{
	bool busy;
	int uc;

	mutex_enter(&vcache_lock);
	if (except == NULL) {
		busy = mp->mnt_nactive > 0;
	} else {
		uc = vusecount(except);
		busy = uc > refs || mp->mnt_nactive > (uc > 0 ? 1 : 0);
	}
	mutex_exit(&vcache_lock);
	return busy;
}

int
vcache_rekey(struct mount *mp, struct vnode *vp, ino_t newino)
{

	KASSERT(vp->v_mount == mp && vp->v_state == VS_ACTIVE);
	mutex_enter(&vcache_lock);
	if (vcache_lookup(mp, newino) != NULL) {
		mutex_exit(&vcache_lock);
		return EEXIST;
	}
	LIST_REMOVE(vp, v_hash);
	vp->v_ino = newino;
	LIST_INSERT_HEAD(vcache_bucket(mp, newino), vp, v_hash);
	mutex_exit(&vcache_lock);
	return 0;
}

/*
 * Reclaim the vnodes of mp until none is left, waiting for those that
 * others are reclaiming; EBUSY as soon as one is in use.
 */
int
vflush(struct mount *mp)
{
	struct vnodequeue doomed;
	struct vnode *vp, *next;

	mutex_enter(&vcache_lock);
	for (;;) {
		if (mp->mnt_nactive > 0) {
			mutex_exit(&vcache_lock);
			return EBUSY;
		}
		if (mp->mnt_nvnodes == 0)
			break;
		TAILQ_INIT(&doomed);
		TAILQ_FOREACH_SAFE(vp, &vcache_lru, v_lru, next) {
			if (vp->v_mount != mp)
				continue;
			vcache_doom_locked(vp);
			TAILQ_INSERT_TAIL(&doomed, vp, v_lru);
		}
		if (TAILQ_EMPTY(&doomed)) {
			cv_wait(&vcache_cv, &vcache_lock);
			continue;
		}
		mutex_exit(&vcache_lock);
		while ((vp = TAILQ_FIRST(&doomed)) != NULL) {
			TAILQ_REMOVE(&doomed, vp, v_lru);
			vcache_reclaim(vp);
		}
		mutex_enter(&vcache_lock);
	}
	mutex_exit(&vcache_lock);
	return 0;
}
