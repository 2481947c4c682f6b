/*
 * rumpfs_node.c: nodes of the in-memory file system, the per-mount inode
 * table, and the pages of regular files.
 *
 * Owns inode numbers (per mount, monotonic from RFS_ROOTINO, never
 * reused), the ino -> node hash that vfs_loadvnode searches, node
 * lifetime (a node is freed once it has neither links nor a vnode), link
 * counts, timestamps, the tmpfs page and inode limits, the memory kept
 * back for the rest of the kernel, and file data: 4 KiB pages in a
 * radix tree whose height grows with the file.  Holes are NULL and read
 * as zeros; bytes past the end of file in the last page are always zero,
 * so extending a file needs no work.  Directory
 * entries are rumpfs_dir.c's; the vnode operations rumpfs_vnops.c's.
 * Locking as described in rumpfs.h.
 */
#include <kern/types.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/stat.h>
#include <abi/statfs.h>
#include <vfs/mount.h>
#include <vfs/vnode.h>
#include <fs/rumpfs/rumpfs.h>

#define PAGE_SIZE	RFS_PAGE_SIZE
#define RADIX_SHIFT	9
#define RADIX_FANOUT	(1 << RADIX_SHIFT)
#define RADIX_MAXHEIGHT	4
#define RELATIME_SEC	(24 * 60 * 60)
/* Share of RUMP_MEMLIMIT (1/32) left to the rest of the kernel. */
#define MEM_RESERVE_SHIFT	5

/* An interior node of the radix tree is a page of pointers. */
CTASSERT(RADIX_FANOUT * sizeof(void *) == PAGE_SIZE);
CTASSERT((uint64_t)RFS_MAXFILESIZE / PAGE_SIZE <=
    (uint64_t)1 << (RADIX_SHIFT * RADIX_MAXHEIGHT));

static char zeropage[PAGE_SIZE];	/* never written: reads of holes */

/*
 * Nodes and pages leave some memory to the rest of the kernel, so that a
 * file system that filled RUMP_MEMLIMIT can still be cleaned up (removing
 * a file needs memory for its path name).
 */
static int
mem_check(void)
{
	uint64_t limit = kmem_limit();

	if (limit != 0 && kmem_inuse() + (limit >> MEM_RESERVE_SHIFT) > limit)
		return ENOMEM;
	return 0;
}

/* ---- inode table ----------------------------------------------------- */

static struct rfs_nodelist *
ino_bucket(struct rfs_mount *rm, ino_t ino)
{

	KASSERT(mutex_owned(&rm->rm_lock));
	return &rm->rm_hash[ino & (rm->rm_hashsize - 1)];
}

/* Double the inode hash if it is crowded; without memory, carry on. */
static void
ino_hash_grow(struct rfs_mount *rm)
{
	struct rfs_nodelist *new, *old;
	struct rfs_node *n;
	size_t i, size, oldsize;

	mutex_enter(&rm->rm_lock);
	size = rm->rm_hashsize * 2;
	mutex_exit(&rm->rm_lock);
	if ((new = kmem_alloc(size * sizeof(*new))) == NULL)
		return;
	for (i = 0; i < size; i++)
		LIST_INIT(&new[i]);
	mutex_enter(&rm->rm_lock);
	old = rm->rm_hash;
	oldsize = rm->rm_hashsize;
	if (oldsize * 2 != size) {
		mutex_exit(&rm->rm_lock);
		kmem_free(new, size * sizeof(*new));
		return;
	}
	for (i = 0; i < oldsize; i++) {
		while ((n = LIST_FIRST(&old[i])) != NULL) {
			LIST_REMOVE(n, rn_hashlink);
			LIST_INSERT_HEAD(&new[n->rn_ino & (size - 1)], n,
			    rn_hashlink);
		}
	}
	rm->rm_hash = new;
	rm->rm_hashsize = size;
	mutex_exit(&rm->rm_lock);
	kmem_free(old, oldsize * sizeof(*old));
}

/* Number the node and enter it in the table; ENOSPC past nr_inodes. */
static int
ino_insert(struct rfs_mount *rm, struct rfs_node *n)
{
	bool crowded;

	mutex_enter(&rm->rm_lock);
	if (rm->rm_maxnodes != 0 && rm->rm_nnodes >= rm->rm_maxnodes) {
		mutex_exit(&rm->rm_lock);
		return ENOSPC;
	}
	n->rn_ino = rm->rm_nextino++;
	LIST_INSERT_HEAD(ino_bucket(rm, n->rn_ino), n, rn_hashlink);
	rm->rm_nnodes++;
	crowded = rm->rm_nnodes > 2 * rm->rm_hashsize;
	mutex_exit(&rm->rm_lock);
	if (crowded)
		ino_hash_grow(rm);
	return 0;
}

int
rfs_node_getvnode(struct rfs_mount *rm, ino_t ino,
    struct rfs_node **np)
{
	struct rfs_node *n;

	mutex_enter(&rm->rm_lock);
	LIST_FOREACH(n, ino_bucket(rm, ino), rn_hashlink) {
		if (n->rn_ino == ino)
			break;
	}
	if (n == NULL || n->rn_nlink == 0) {
		mutex_exit(&rm->rm_lock);
		return ENOENT;
	}
	KASSERT(!n->rn_hasvnode);
	n->rn_hasvnode = true;
	mutex_exit(&rm->rm_lock);
	*np = n;
	return 0;
}

bool
rfs_node_putvnode(struct rfs_node *n)
{
	struct rfs_mount *rm = n->rn_mount;
	bool dead;

	mutex_enter(&rm->rm_lock);
	n->rn_hasvnode = false;
	dead = n->rn_nlink == 0;
	mutex_exit(&rm->rm_lock);
	return dead;
}

/* ---- node lifetime --------------------------------------------------- */

int
rfs_node_alloc(struct rfs_mount *rm, const struct rfs_newnode *nn,
    struct rfs_node **np)
{
	struct rfs_node *n = NULL;
	struct timespec now;
	int error;

	if ((error = mem_check()) != 0)
		goto fail;
	if ((n = kmem_zalloc(sizeof(*n))) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	n->rn_mount = rm;
	n->rn_type = nn->nn_type;
	n->rn_vops = nn->nn_vops != NULL ? nn->nn_vops : &rfs_vnodeops;
	n->rn_rdev = nn->nn_rdev;
	n->rn_etfs = nn->nn_etfs;
	n->rn_nlink = 1;
	n->rn_mode = nn->nn_mode & ALLPERMS;
	n->rn_uid = nn->nn_uid;
	n->rn_gid = nn->nn_gid;
	getnanotime(&now);
	n->rn_atime = n->rn_mtime = n->rn_ctime = n->rn_btime = now;
	if (n->rn_type == VDIR) {
		n->rn_nlink = 2;
		rfs_dir_init(n);
	} else if (n->rn_type == VLNK) {
		n->rn_target = nn->nn_target;
		n->rn_size = (off_t)strlen(nn->nn_target);
	} else {
		n->rn_size = nn->nn_size;
	}
	if ((error = ino_insert(rm, n)) != 0)
		goto fail;
	*np = n;
	return 0;
fail:
	if (n != NULL)
		kmem_free(n, sizeof(*n));
	rfs_newnode_discard(nn);
	return error;
}

void
rfs_newnode_discard(const struct rfs_newnode *nn)
{

	if (nn->nn_target != NULL)
		kmem_strfree(nn->nn_target);
	if (nn->nn_etfs != NULL)
		etfs_free(nn->nn_etfs);
}

void
rfs_node_destroy(struct rfs_node *n)
{
	struct rfs_mount *rm = n->rn_mount;

	mutex_enter(&rm->rm_lock);
	LIST_REMOVE(n, rn_hashlink);
	rm->rm_nnodes--;
	mutex_exit(&rm->rm_lock);
	if (n->rn_type == VREG && n->rn_etfs == NULL)
		rfs_data_truncate(n, 0);
	else if (n->rn_type == VDIR)
		rfs_dir_free(n);
	else if (n->rn_type == VLNK)
		kmem_strfree(n->rn_target);
	if (n->rn_etfs != NULL)
		etfs_free(n->rn_etfs);
	kmem_free(n, sizeof(*n));
}

/*
 * Drop the link an entry of a dying directory holds on child; true if
 * the child must go too (it has no vnode that will free it later).
 */
static bool
entry_release(struct rfs_node *child)
{
	struct rfs_mount *rm = child->rn_mount;
	bool dead;

	mutex_enter(&rm->rm_lock);
	if (child->rn_type == VDIR) {
		child->rn_nlink = 0;
		child->rn_parent = NULL;
	} else {
		child->rn_nlink--;
	}
	dead = child->rn_nlink == 0 && !child->rn_hasvnode;
	mutex_exit(&rm->rm_lock);
	return dead;
}

/*
 * Only etfs directories die with entries in them (rmdir wants them
 * empty), but those can nest: work through a list, not recursion.
 */
void
rfs_node_release(struct rfs_node *n)
{
	struct rfs_node *todo;
	struct rfs_dirent *de;

	n->rn_freenext = NULL;
	todo = n;
	while ((n = todo) != NULL) {
		todo = n->rn_freenext;
		if (n->rn_type == VDIR) {
			TAILQ_FOREACH(de, &n->rn_dir.rd_list, de_list) {
				if (entry_release(de->de_node)) {
					de->de_node->rn_freenext = todo;
					todo = de->de_node;
				}
			}
		}
		rfs_node_destroy(n);
	}
}

/* ---- attributes ------------------------------------------------------ */

void
rfs_node_addlink(struct rfs_node *n, int delta)
{
	struct rfs_mount *rm = n->rn_mount;

	mutex_enter(&rm->rm_lock);
	n->rn_nlink += (nlink_t)(int64_t)delta;
	mutex_exit(&rm->rm_lock);
}

void
rfs_node_orphan(struct rfs_node *n)
{
	struct rfs_mount *rm = n->rn_mount;

	mutex_enter(&rm->rm_lock);
	n->rn_nlink = 0;
	n->rn_parent = NULL;
	mutex_exit(&rm->rm_lock);
}

ino_t
rfs_node_parentino(struct rfs_node *n)
{
	struct rfs_mount *rm = n->rn_mount;
	ino_t ino;

	mutex_enter(&rm->rm_lock);
	ino = n->rn_parent != NULL ? n->rn_parent->rn_ino : 0;
	mutex_exit(&rm->rm_lock);
	return ino;
}

void
rfs_node_setparent(struct rfs_node *n, struct rfs_node *parent)
{
	struct rfs_mount *rm = n->rn_mount;

	mutex_enter(&rm->rm_lock);
	n->rn_parent = parent;
	mutex_exit(&rm->rm_lock);
}

void
rfs_node_touch(struct rfs_node *n, int what)
{
	struct timespec now;

	getnanotime(&now);
	if (what & RFS_TOUCH_MTIME)
		n->rn_mtime = now;
	if (what & RFS_TOUCH_CTIME)
		n->rn_ctime = now;
}

static bool
ts_le(const struct timespec *a, const struct timespec *b)
{

	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

void
rfs_node_accessed(struct rfs_node *n)
{
	struct rfs_mount *rm = n->rn_mount;
	struct mount *mp = rm->rm_mp;
	struct timespec now;

	if ((mp->mnt_flag & MS_NOATIME) || vfs_isrdonly(mp) ||
	    (n->rn_type == VDIR && (mp->mnt_flag & MS_NODIRATIME)))
		return;
	getnanotime(&now);
	mutex_enter(&rm->rm_lock);
	if (ts_le(&n->rn_atime, &n->rn_mtime) ||
	    ts_le(&n->rn_atime, &n->rn_ctime) ||
	    now.tv_sec - n->rn_atime.tv_sec >= RELATIME_SEC)
		n->rn_atime = now;
	mutex_exit(&rm->rm_lock);
}

void
rfs_node_getatime(struct rfs_node *n, struct timespec *ts)
{
	struct rfs_mount *rm = n->rn_mount;

	mutex_enter(&rm->rm_lock);
	*ts = n->rn_atime;
	mutex_exit(&rm->rm_lock);
}

void
rfs_node_setatime(struct rfs_node *n, const struct timespec *ts)
{
	struct rfs_mount *rm = n->rn_mount;

	mutex_enter(&rm->rm_lock);
	n->rn_atime = *ts;
	mutex_exit(&rm->rm_lock);
}

/* ---- file data ------------------------------------------------------- */

static int
pages_reserve(struct rfs_mount *rm, uint64_t npages)
{
	int error = 0;

	mutex_enter(&rm->rm_lock);
	if (rm->rm_maxpages != 0 && rm->rm_npages + npages > rm->rm_maxpages)
		error = ENOSPC;
	else
		rm->rm_npages += npages;
	mutex_exit(&rm->rm_lock);
	return error;
}

static void
pages_unreserve(struct rfs_mount *rm, uint64_t npages)
{

	mutex_enter(&rm->rm_lock);
	rm->rm_npages -= npages;
	mutex_exit(&rm->rm_lock);
}

/* Pages covered by a tree of this height. */
static uint64_t
radix_span(int height)
{

	return (uint64_t)1 << (RADIX_SHIFT * height);
}

static unsigned int
radix_index(uint64_t pgno, int height)
{

	return (unsigned int)(pgno >> (RADIX_SHIFT * height)) &
	    (RADIX_FANOUT - 1);
}

static char *
page_find(const struct rfs_data *d, uint64_t pgno)
{
	void *p = d->rd_root;
	int h = d->rd_height;

	if (pgno >= radix_span(h))
		return NULL;
	while (h > 0 && p != NULL) {
		h--;
		p = ((void **)p)[radix_index(pgno, h)];
	}
	return p;
}

/* Add levels on top until the tree covers pgno. */
static int
radix_grow(struct rfs_data *d, uint64_t pgno)
{
	void **node;

	while (pgno >= radix_span(d->rd_height)) {
		KASSERT(d->rd_height < RADIX_MAXHEIGHT);
		if (d->rd_root != NULL) {
			if ((node = kmem_zalloc(PAGE_SIZE)) == NULL)
				return ENOMEM;
			node[0] = d->rd_root;
			d->rd_root = node;
		}
		d->rd_height++;
	}
	return 0;
}

/* The slot of page pgno, making the interior nodes on the way. */
static int
radix_slot(struct rfs_data *d, uint64_t pgno, void ***slotp)
{
	void **slot;
	int h, error;

	if ((error = radix_grow(d, pgno)) != 0)
		return error;
	slot = &d->rd_root;
	for (h = d->rd_height; h > 0; h--) {
		if (*slot == NULL && (*slot = kmem_zalloc(PAGE_SIZE)) == NULL)
			return ENOMEM;
		slot = &((void **)*slot)[radix_index(pgno, h - 1)];
	}
	*slotp = slot;
	return 0;
}

/*
 * Free the pages numbered `first' and up in the subtree at *slot (of the
 * given height, starting at page `base'), and the interior nodes left
 * with nothing to hold.  Returns the number of pages freed.
 */
static uint64_t
radix_trim(void **slot, int height, uint64_t base, uint64_t first)
{
	void **node = *slot;
	uint64_t span, freed = 0;
	unsigned int i;

	if (node == NULL || base + radix_span(height) <= first)
		return 0;
	if (height > 0) {
		span = radix_span(height - 1);
		i = first > base ? (unsigned int)((first - base) / span) : 0;
		for (; i < RADIX_FANOUT; i++)
			freed += radix_trim(&node[i], height - 1,
			    base + i * span, first);
		if (base < first)
			return freed;
	} else {
		freed = 1;
	}
	kmem_free(node, PAGE_SIZE);
	*slot = NULL;
	return freed;
}

/* Page pgno of the file, allocated (zeroed) if it is a hole. */
static int
page_get(struct rfs_node *n, uint64_t pgno, char **pagep)
{
	struct rfs_mount *rm = n->rn_mount;
	void **slot;
	int error;

	if ((error = radix_slot(&n->rn_data, pgno, &slot)) != 0)
		return error;
	if (*slot == NULL) {
		if ((error = mem_check()) != 0 ||
		    (error = pages_reserve(rm, 1)) != 0)
			return error;
		if ((*slot = kmem_zalloc(PAGE_SIZE)) == NULL) {
			pages_unreserve(rm, 1);
			return ENOMEM;
		}
		n->rn_data.rd_npages++;
	}
	*pagep = *slot;
	return 0;
}

int
rfs_data_read(struct rfs_node *n, struct uio *uio)
{
	char *page;
	off_t off;
	size_t pgoff, len;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && uio->uio_offset < n->rn_size) {
		off = uio->uio_offset;
		pgoff = (size_t)(off % PAGE_SIZE);
		len = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
		len = MIN(len, (uint64_t)(n->rn_size - off));
		if ((page = page_find(&n->rn_data, (uint64_t)off / PAGE_SIZE))
		    == NULL)
			page = zeropage;
		if ((error = uiomove(page + pgoff, len, uio)) != 0)
			break;
	}
	rfs_node_accessed(n);
	return error;
}

/* Write what fits in the page at the uio's offset. */
static int
write_chunk(struct rfs_node *n, struct uio *uio)
{
	off_t off = uio->uio_offset, pagebase, zfrom;
	size_t pgoff, len;
	char *page;
	int error;

	pgoff = (size_t)(off % PAGE_SIZE);
	pagebase = off - (off_t)pgoff;
	len = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
	len = MIN(len, (uint64_t)(RFS_MAXFILESIZE - off));
	if ((error = page_get(n, (uint64_t)off / PAGE_SIZE, &page)) != 0)
		return error;
	error = uiomove(page + pgoff, len, uio);
	if (uio->uio_offset > off && uio->uio_offset > n->rn_size)
		n->rn_size = uio->uio_offset;
	if (error != 0 && off + (off_t)len > n->rn_size) {
		/* A failed copy may have left bytes past the end of file. */
		zfrom = MAX(off, n->rn_size);
		memset(page + (zfrom - pagebase), 0,
		    (size_t)(off + (off_t)len - zfrom));
	}
	return error;
}

int
rfs_data_write(struct rfs_node *n, struct uio *uio, int ioflag)
{
	size_t resid = uio->uio_resid;
	int error = 0;

	if (ioflag & IO_APPEND)
		uio->uio_offset = n->rn_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && error == 0) {
		if (uio->uio_offset >= RFS_MAXFILESIZE)
			error = EFBIG;
		else
			error = write_chunk(n, uio);
	}
	if (uio->uio_resid != resid)
		rfs_node_touch(n, RFS_TOUCH_MTIME | RFS_TOUCH_CTIME);
	return error;
}

int
rfs_data_truncate(struct rfs_node *n, off_t size)
{
	struct rfs_data *d = &n->rn_data;
	uint64_t freed;
	size_t pgoff;
	char *page;

	if (size < 0)
		return EINVAL;
	if (size > RFS_MAXFILESIZE)
		return EFBIG;
	/* Unconditionally: a failed write may have left a page past EOF. */
	freed = radix_trim(&d->rd_root, d->rd_height, 0,
	    howmany((uint64_t)size, PAGE_SIZE));
	if (d->rd_root == NULL)
		d->rd_height = 0;
	d->rd_npages -= freed;
	pages_unreserve(n->rn_mount, freed);
	pgoff = (size_t)(size % PAGE_SIZE);
	page = page_find(d, (uint64_t)size / PAGE_SIZE);
	if (size < n->rn_size && pgoff != 0 && page != NULL)
		memset(page + pgoff, 0, PAGE_SIZE - pgoff);
	n->rn_size = size;
	return 0;
}
