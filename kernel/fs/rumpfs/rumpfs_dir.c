/*
 * rumpfs_dir.c: directories of the in-memory file system.
 *
 * Owns directory entries: a list in ascending cookie order (the order
 * readdir returns them in) plus a chained name hash that doubles as the
 * directory grows, so that lookups stay O(1) in directories of any size.
 * A small directory, or one whose hash could not be allocated, is
 * searched through its list instead; growing the hash never fails an
 * insertion.
 *
 * Cookies are per directory, start at 2 ("." is 0, ".." is 1) and are
 * never reused.  readdir resumes at the first entry whose cookie is at
 * least the offset it is given, so entries removed during a scan never
 * make it repeat or skip the others, and entries added during a scan
 * appear at its end.  A hint remembers where the last scan stopped so
 * that reading a large directory in pieces is linear.
 *
 * Link counts of removed names are dropped here; the other link counts
 * and timestamps belong to the vnode operations (rumpfs_vnops.c).  The
 * directory's vnode lock protects everything except the hint (rm_lock).
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <abi/dirent.h>
#include <abi/errno.h>
#include <vfs/vnode.h>
#include <fs/rumpfs/rumpfs.h>

#define DIR_LINEAR_MAX	8	/* entries searched without a hash */
#define DIR_HASH_MIN	16

static uint32_t
name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261U;	/* FNV-1a */

	while (len-- > 0) {
		h ^= (unsigned char)*name++;
		h *= 16777619U;
	}
	return h;
}

static size_t
dirent_size(size_t namelen)
{

	return sizeof(struct rfs_dirent) + namelen + 1;
}

static bool
dirent_is(const struct rfs_dirent *de, uint32_t hash, const char *name,
    size_t len)
{

	return de->de_hash == hash && de->de_namelen == len &&
	    memcmp(de->de_name, name, len) == 0;
}

static void
hash_insert(struct rfs_dir *d, struct rfs_dirent *de)
{
	struct rfs_dirent **head;

	head = &d->rd_hash[de->de_hash & (d->rd_hashsize - 1)];
	de->de_hnext = *head;
	*head = de;
}

static void
hash_remove(struct rfs_dir *d, struct rfs_dirent *de)
{
	struct rfs_dirent **pp;

	pp = &d->rd_hash[de->de_hash & (d->rd_hashsize - 1)];
	while (*pp != de)
		pp = &(*pp)->de_hnext;
	*pp = de->de_hnext;
}

/* Double the hash (or make the first one); without memory, carry on. */
static void
hash_grow(struct rfs_dir *d)
{
	struct rfs_dirent **old = d->rd_hash, *de;
	size_t oldsize = d->rd_hashsize, size;

	size = oldsize == 0 ? DIR_HASH_MIN : oldsize * 2;
	if ((d->rd_hash = kmem_zalloc(size * sizeof(*d->rd_hash))) == NULL) {
		d->rd_hash = old;
		return;
	}
	d->rd_hashsize = size;
	TAILQ_FOREACH(de, &d->rd_list, de_list)
		hash_insert(d, de);
	if (old != NULL)
		kmem_free(old, oldsize * sizeof(*old));
}

void
rfs_dir_init(struct rfs_node *dn)
{
	struct rfs_dir *d = &dn->rn_dir;

	TAILQ_INIT(&d->rd_list);
	d->rd_hash = NULL;
	d->rd_hashsize = 0;
	d->rd_nentries = 0;
	d->rd_nextcookie = 2;
	d->rd_hint = NULL;
	d->rd_hintoff = 0;
	dn->rn_size = 2 * RFS_DIRENT_SIZE;
}

struct rfs_dirent *
rfs_dir_lookup(struct rfs_node *dn, const char *name, size_t len)
{
	struct rfs_dir *d = &dn->rn_dir;
	struct rfs_dirent *de;
	uint32_t hash = name_hash(name, len);

	if (d->rd_hash == NULL) {
		TAILQ_FOREACH(de, &d->rd_list, de_list) {
			if (dirent_is(de, hash, name, len))
				return de;
		}
		return NULL;
	}
	de = d->rd_hash[hash & (d->rd_hashsize - 1)];
	for (; de != NULL; de = de->de_hnext) {
		if (dirent_is(de, hash, name, len))
			return de;
	}
	return NULL;
}

int
rfs_dir_enter(struct rfs_node *dn, const char *name, size_t len,
    struct rfs_node *n)
{
	struct rfs_dir *d = &dn->rn_dir;
	struct rfs_dirent *de;

	if ((de = kmem_alloc(dirent_size(len))) == NULL)
		return ENOMEM;
	memcpy(de->de_name, name, len);
	de->de_name[len] = '\0';
	de->de_namelen = len;
	de->de_hash = name_hash(name, len);
	de->de_node = n;
	de->de_cookie = d->rd_nextcookie++;
	if (d->rd_nentries >= MAX(d->rd_hashsize, DIR_LINEAR_MAX))
		hash_grow(d);
	TAILQ_INSERT_TAIL(&d->rd_list, de, de_list);
	if (d->rd_hash != NULL)
		hash_insert(d, de);
	d->rd_nentries++;
	dn->rn_size += RFS_DIRENT_SIZE;
	return 0;
}

void
rfs_dir_remove(struct rfs_node *dn, struct rfs_dirent *de)
{
	struct rfs_mount *rm = dn->rn_mount;
	struct rfs_dir *d = &dn->rn_dir;

	mutex_enter(&rm->rm_lock);
	if (d->rd_hint == de)
		d->rd_hint = TAILQ_NEXT(de, de_list);
	mutex_exit(&rm->rm_lock);
	if (d->rd_hash != NULL)
		hash_remove(d, de);
	TAILQ_REMOVE(&d->rd_list, de, de_list);
	d->rd_nentries--;
	dn->rn_size -= RFS_DIRENT_SIZE;
	kmem_free(de, dirent_size(de->de_namelen));
}

void
rfs_dir_droplink(struct rfs_node *dn, struct rfs_node *n)
{

	if (n->rn_type == VDIR) {
		rfs_node_orphan(n);
		rfs_node_addlink(dn, -1);
	} else {
		rfs_node_addlink(n, -1);
	}
}

void
rfs_dir_unlink(struct rfs_node *dn, struct rfs_dirent *de)
{
	struct rfs_node *n = de->de_node;

	rfs_dir_remove(dn, de);
	rfs_dir_droplink(dn, n);
}

/* The first entry with a cookie of at least off. */
static struct rfs_dirent *
dir_seek(struct rfs_node *dn, off_t off)
{
	struct rfs_mount *rm = dn->rn_mount;
	struct rfs_dir *d = &dn->rn_dir;
	struct rfs_dirent *de = NULL;

	mutex_enter(&rm->rm_lock);
	if (d->rd_hint != NULL && d->rd_hintoff == off)
		de = d->rd_hint;
	mutex_exit(&rm->rm_lock);
	if (de != NULL)
		return de;
	TAILQ_FOREACH(de, &d->rd_list, de_list) {
		if (de->de_cookie >= off)
			break;
	}
	return de;
}

static void
dir_sethint(struct rfs_node *dn, struct rfs_dirent *de, off_t off)
{
	struct rfs_mount *rm = dn->rn_mount;

	mutex_enter(&rm->rm_lock);
	dn->rn_dir.rd_hint = de;
	dn->rn_dir.rd_hintoff = off;
	mutex_exit(&rm->rm_lock);
}

static bool
emit(struct dirctx *dc, ino_t ino, int dtype, const char *name, size_t len,
    off_t next)
{

	if (!dirctx_emit(dc, ino, dtype, name, len, next))
		return false;
	dc->dc_offset = next;
	return true;
}

int
rfs_dir_readdir(struct rfs_node *dn, struct dirctx *dc)
{
	struct rfs_dirent *de;
	struct rfs_node *n;
	off_t off = dc->dc_offset;

	if (off < 0)
		return EINVAL;
	if (dn->rn_nlink == 0)
		return ENOENT;
	if (off == 0) {
		if (!emit(dc, dn->rn_ino, DT_DIR, ".", 1, 1))
			return 0;
		off = 1;
	}
	if (off == 1) {
		if (!emit(dc, rfs_node_parentino(dn), DT_DIR, "..", 2, 2))
			return 0;
		off = 2;
	}
	for (de = dir_seek(dn, off); de != NULL; de = TAILQ_NEXT(de, de_list)) {
		n = de->de_node;
		if (!emit(dc, n->rn_ino, vtype_to_dt(n->rn_type), de->de_name,
		    de->de_namelen, de->de_cookie + 1))
			break;
		off = de->de_cookie + 1;
	}
	dir_sethint(dn, de, off);
	dc->dc_eof = de == NULL;
	rfs_node_accessed(dn);
	return 0;
}

void
rfs_dir_free(struct rfs_node *dn)
{
	struct rfs_dir *d = &dn->rn_dir;
	struct rfs_dirent *de;

	while ((de = TAILQ_FIRST(&d->rd_list)) != NULL) {
		TAILQ_REMOVE(&d->rd_list, de, de_list);
		kmem_free(de, dirent_size(de->de_namelen));
	}
	if (d->rd_hash != NULL)
		kmem_free(d->rd_hash, d->rd_hashsize * sizeof(*d->rd_hash));
	d->rd_hash = NULL;
	d->rd_hashsize = 0;
	d->rd_nentries = 0;
}
