/*
 * node.c: the FUSE node table.  A node is a kernel inode the host kernel
 * looked up, found by its inode number; it knows the names (parent
 * node, name) it was looked up by, so the hard links of a file are one
 * node with one set of attributes in the host.  A node's kernel path is
 * its first name's, built by walking up to the root: renaming a
 * directory moves everything below it.  A node lives while the host
 * holds lookups on it or another node's name has it as parent.  A node
 * whose last known name is removed leaves the inode index (the number
 * may be reused) and answers ESTALE for paths; its open files keep
 * working through their kernel descriptors.  Node ids are node
 * addresses; the root is FUSE_ROOT_ID.
 *
 * Locks, in order: ns_lock is held shared by every operation that turns
 * a node into a path and uses it, and exclusive by those that change
 * names (unlink, rmdir, rename), so a path cannot change between being
 * built and being used.  tbl_lock protects the two indexes and the
 * nodes and names.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rump_fuse.h"

struct node {
	uint64_t	 n_ino;		/* constant: kernel inode number */
	bool		 n_indexed;	/* tbl_lock: in the inode index */
	struct node	*n_inext;	/* tbl_lock: inode index chain */
	struct name	*n_names;	/* tbl_lock: known names, path first */
	uint64_t	 n_nlookup;	/* tbl_lock: lookups the host holds */
	uint64_t	 n_nchild;	/* tbl_lock: names with this parent */
};

struct name {
	struct node	*nm_parent;	/* tbl_lock */
	struct node	*nm_node;	/* tbl_lock */
	struct name	*nm_hnext;	/* tbl_lock: name index chain */
	struct name	*nm_next;	/* tbl_lock: nm_node's names */
	char		 nm_str[];	/* constant */
};

/* A hash index: chains of names or nodes. */
struct index {
	void		**ix_tbl;	/* tbl_lock: buckets */
	size_t		  ix_size;	/* tbl_lock: a power of 2, or 0 */
	size_t		  ix_count;	/* tbl_lock: entries */
};

#define IX_MINSIZE	1024

static pthread_rwlock_t ns_lock =
    PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static pthread_mutex_t tbl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct node root;		/* never freed or indexed */
static struct index names;		/* (parent, string) -> name */
static struct index inodes;		/* ino -> node */

static void release(struct node *);

void
node_ns_rdlock(void)
{

	pthread_rwlock_rdlock(&ns_lock);
}

void
node_ns_wrlock(void)
{

	pthread_rwlock_wrlock(&ns_lock);
}

void
node_ns_unlock(void)
{

	pthread_rwlock_unlock(&ns_lock);
}

static struct node *
node_of(fuse_ino_t ino)
{

	if (ino == FUSE_ROOT_ID)
		return &root;
	return (struct node *)(uintptr_t)ino;
}

static fuse_ino_t
id_of(struct node *n)
{

	if (n == &root)
		return FUSE_ROOT_ID;
	return (fuse_ino_t)(uintptr_t)n;
}

static size_t
mix(uint64_t h)
{

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return (size_t)(h ^ (h >> 33));
}

/* FNV-1a over the name, mixed with the parent's address. */
static size_t
name_hash(const struct node *parent, const char *str)
{
	uint64_t h = 14695981039346656037ULL ^ (uintptr_t)parent;

	while (*str != '\0') {
		h ^= (unsigned char)*str++;
		h *= 1099511628211ULL;
	}
	return mix(h);
}

static void **
name_bucket(const struct node *parent, const char *str)
{

	return &names.ix_tbl[name_hash(parent, str) & (names.ix_size - 1)];
}

static void **
ino_bucket(uint64_t ino)
{

	return &inodes.ix_tbl[mix(ino) & (inodes.ix_size - 1)];
}

/* Make room for one more entry; false without memory. */
static bool
grow(struct index *ix, bool is_names)
{
	void **old = ix->ix_tbl, **b;
	size_t oldsize = ix->ix_size, i;
	struct name *nm, *nmnext;
	struct node *n, *nnext;

	if (ix->ix_count < ix->ix_size)
		return true;
	ix->ix_tbl = calloc(oldsize == 0 ? IX_MINSIZE : oldsize * 2,
	    sizeof(void *));
	if (ix->ix_tbl == NULL) {
		ix->ix_tbl = old;
		return ix->ix_count < ix->ix_size;
	}
	ix->ix_size = oldsize == 0 ? IX_MINSIZE : oldsize * 2;
	for (i = 0; i < oldsize; i++) {
		if (is_names) {
			for (nm = old[i]; nm != NULL; nm = nmnext) {
				nmnext = nm->nm_hnext;
				b = name_bucket(nm->nm_parent, nm->nm_str);
				nm->nm_hnext = *b;
				*b = nm;
			}
		} else {
			for (n = old[i]; n != NULL; n = nnext) {
				nnext = n->n_inext;
				b = ino_bucket(n->n_ino);
				n->n_inext = *b;
				*b = n;
			}
		}
	}
	free(old);
	return true;
}

static struct name *
find_name(struct node *parent, const char *str)
{
	struct name *nm;

	if (names.ix_size == 0)
		return NULL;
	for (nm = *name_bucket(parent, str); nm != NULL; nm = nm->nm_hnext)
		if (nm->nm_parent == parent && strcmp(nm->nm_str, str) == 0)
			return nm;
	return NULL;
}

static struct node *
find_ino(uint64_t ino)
{
	struct node *n;

	if (inodes.ix_size == 0)
		return NULL;
	for (n = *ino_bucket(ino); n != NULL; n = n->n_inext)
		if (n->n_ino == ino)
			return n;
	return NULL;
}

static void
unindex_ino(struct node *n)
{
	struct node **pp;

	if (!n->n_indexed)
		return;
	for (pp = (struct node **)ino_bucket(n->n_ino); *pp != n;
	    pp = &(*pp)->n_inext)
		continue;
	*pp = n->n_inext;
	n->n_indexed = false;
	inodes.ix_count--;
}

/* Give n the name (parent, str), its path from now on. */
static int
add_name(struct node *n, struct node *parent, const char *str)
{
	size_t len = strlen(str) + 1;
	struct name *nm;
	void **b;

	if (!grow(&names, true) ||
	    (nm = malloc(sizeof(*nm) + len)) == NULL)
		return ENOMEM;
	memcpy(nm->nm_str, str, len);
	nm->nm_parent = parent;
	nm->nm_node = n;
	nm->nm_next = n->n_names;
	n->n_names = nm;
	parent->n_nchild++;
	b = name_bucket(parent, str);
	nm->nm_hnext = *b;
	*b = nm;
	names.ix_count++;
	return 0;
}

/* Take nm out of the index and its node's list (parents not released). */
static void
unlink_name(struct name *nm)
{
	struct name **pp;

	for (pp = (struct name **)name_bucket(nm->nm_parent, nm->nm_str);
	    *pp != nm; pp = &(*pp)->nm_hnext)
		continue;
	*pp = nm->nm_hnext;
	names.ix_count--;
	for (pp = &nm->nm_node->n_names; *pp != nm; pp = &(*pp)->nm_next)
		continue;
	*pp = nm->nm_next;
	nm->nm_parent->n_nchild--;
}

/* The kernel no longer has nm: drop it, and nodes nothing holds. */
static void
drop_name(struct name *nm)
{
	struct node *n = nm->nm_node, *parent = nm->nm_parent;

	unlink_name(nm);
	free(nm);
	if (n->n_names == NULL)
		unindex_ino(n);
	release(n);
	release(parent);
}

/* Free n once the host forgot it and no name has it as parent. */
static void
release(struct node *n)
{

	struct name *nm;
	struct node *parent;

	if (n == &root || n->n_nlookup > 0 || n->n_nchild > 0)
		return;
	while ((nm = n->n_names) != NULL) {
		parent = nm->nm_parent;
		unlink_name(nm);
		free(nm);
		release(parent);
	}
	unindex_ino(n);
	free(n);
}

/* Write the kernel path of n into buf (tbl_lock held). */
static int
build_path(struct node *n, char *buf, size_t len)
{
	size_t pos = len, l, ml = strlen(RF_KMOUNT);
	struct name *nm;

	if (len < ml + 1)
		return ENAMETOOLONG;
	buf[--pos] = '\0';
	for (; n != &root; n = nm->nm_parent) {
		nm = n->n_names;
		if (nm == NULL)
			return ESTALE;
		l = strlen(nm->nm_str);
		if (pos < l + 1 + ml)
			return ENAMETOOLONG;
		pos -= l;
		memcpy(buf + pos, nm->nm_str, l);
		buf[--pos] = '/';
	}
	pos -= ml;
	memcpy(buf + pos, RF_KMOUNT, ml);
	memmove(buf, buf + pos, len - pos);
	return 0;
}

int
node_path(fuse_ino_t ino, char *buf, size_t len)
{
	int error;

	pthread_mutex_lock(&tbl_lock);
	error = build_path(node_of(ino), buf, len);
	pthread_mutex_unlock(&tbl_lock);
	return error;
}

int
node_path_name(fuse_ino_t parent, const char *name, char *buf, size_t len)
{
	size_t l, nl = strlen(name);
	int error;

	if (nl == 0 || strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return EINVAL;
	error = node_path(parent, buf, len);
	if (error != 0)
		return error;
	l = strlen(buf);
	if (l + 1 + nl + 1 > len)
		return ENAMETOOLONG;
	buf[l] = '/';
	memcpy(buf + l + 1, name, nl + 1);
	return 0;
}

/* The node of inode ino, made if new (tbl_lock held). */
static struct node *
get_node(uint64_t ino)
{
	struct node *n = find_ino(ino);
	void **b;

	if (n != NULL)
		return n;
	if (!grow(&inodes, false) || (n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->n_ino = ino;
	n->n_indexed = true;
	b = ino_bucket(ino);
	n->n_inext = *b;
	*b = n;
	inodes.ix_count++;
	return n;
}

/* (parent, name) is kernel inode ino: its node, with one more lookup. */
int
node_lookup(fuse_ino_t parent, const char *name, uint64_t ino,
    fuse_ino_t *idp)
{
	struct node *p = node_of(parent), *n;
	struct name *nm;
	int error = 0;

	pthread_mutex_lock(&tbl_lock);
	nm = find_name(p, name);
	if (nm != NULL && nm->nm_node->n_ino != ino) {
		drop_name(nm);
		nm = NULL;
	}
	if (nm != NULL)
		n = nm->nm_node;
	else if ((n = get_node(ino)) == NULL)
		error = ENOMEM;
	else if ((error = add_name(n, p, name)) != 0)
		release(n);
	if (error == 0) {
		n->n_nlookup++;
		*idp = id_of(n);
	}
	pthread_mutex_unlock(&tbl_lock);
	return error;
}

void
node_forget(fuse_ino_t ino, uint64_t nlookup)
{
	struct node *n = node_of(ino);

	pthread_mutex_lock(&tbl_lock);
	if (n != &root) {
		n->n_nlookup -= nlookup < n->n_nlookup ? nlookup :
		    n->n_nlookup;
		release(n);
	}
	pthread_mutex_unlock(&tbl_lock);
}

/* The kernel removed (parent, name). */
void
node_removed(fuse_ino_t parent, const char *name)
{
	struct name *nm;

	pthread_mutex_lock(&tbl_lock);
	nm = find_name(node_of(parent), name);
	if (nm != NULL)
		drop_name(nm);
	pthread_mutex_unlock(&tbl_lock);
}

/* Give nm's node the name (parent, str) instead of nm. */
static void
move_name(struct name *nm, struct node *parent, const char *str)
{
	struct node *n = nm->nm_node;

	/* hold n: dropping its last name must not free it */
	n->n_nlookup++;
	drop_name(nm);
	if (add_name(n, parent, str) == 0 && !n->n_indexed &&
	    find_ino(n->n_ino) == NULL && grow(&inodes, false)) {
		n->n_inext = *ino_bucket(n->n_ino);
		*ino_bucket(n->n_ino) = n;
		n->n_indexed = true;
		inodes.ix_count++;
	}
	n->n_nlookup--;
	release(n);
}

/* RENAME_EXCHANGE: the names a and b swap their nodes. */
static void
swap_names(struct name *a, struct name *b)
{
	struct node *na = a->nm_node, *nb = b->nm_node;
	struct name **pp;

	for (pp = &na->n_names; *pp != a; pp = &(*pp)->nm_next)
		continue;
	*pp = a->nm_next;
	for (pp = &nb->n_names; *pp != b; pp = &(*pp)->nm_next)
		continue;
	*pp = b->nm_next;
	a->nm_node = nb;
	a->nm_next = nb->n_names;
	nb->n_names = a;
	b->nm_node = na;
	b->nm_next = na->n_names;
	na->n_names = b;
}

/* The kernel renamed (op, oname) to (np, nname) with renameat2 flags. */
void
node_renamed(fuse_ino_t op, const char *oname, fuse_ino_t np,
    const char *nname, unsigned int flags)
{
	struct node *fromp = node_of(op), *top = node_of(np);
	struct name *from, *to;

	pthread_mutex_lock(&tbl_lock);
	from = find_name(fromp, oname);
	to = find_name(top, nname);
	if ((flags & RENAME_EXCHANGE) && from != NULL && to != NULL)
		swap_names(from, to);
	else if (flags & RENAME_EXCHANGE) {
		if (from != NULL)
			move_name(from, top, nname);
		if (to != NULL)
			move_name(to, fromp, oname);
	} else {
		if (to != NULL)
			drop_name(to);
		if (from != NULL)
			move_name(from, top, nname);
	}
	pthread_mutex_unlock(&tbl_lock);
}
