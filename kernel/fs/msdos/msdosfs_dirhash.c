/*
 * msdosfs_dirhash.c: the in-core name index of a directory.
 *
 * Owns the index msdosfs_dir.c builds on a directory's first lookup and
 * keeps exact as names are entered and removed: every 8.3 entry is kept
 * with the hash of its long name (UTF-16, ASCII case folded) and of its
 * 8.3 name (as users see it, folded), so a lookup checks only the few
 * entries whose hash matches; the exact 8.3 names, so a generated
 * NAME~N is checked for use without a scan (and the last N given per
 * basis is remembered); the first slot that may be free; and the
 * directory's cluster map, so any slot is reached without following
 * the chain (a prefix of it when memory ran short: dirit_load follows
 * the chain past it).  The index is only a filter: msdosfs_dir.c checks every
 * candidate against the disk, and a directory without one (memory
 * short, MSDOS_DH_MAXBYTES reached) is scanned.
 *
 * Lock: the directory node's dn_hlock (see msdosfs.h).
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <fs/msdos/msdosfs.h>

/* Memory for the indexes of one mount, at most. */
#define MSDOS_DH_MAXBYTES	(32 * 1024 * 1024)
#define DH_MINBUCKETS		16

/* One 8.3 entry; all fields under the directory's dn_hlock. */
struct dh_ent {
	struct dh_ent	*e_lnext;	/* chain of its long-name bucket */
	struct dh_ent	*e_snext;	/* chain of its 8.3-name bucket */
	uint32_t	 e_lhash;	/* long name hash */
	uint32_t	 e_shash;	/* 8.3 name hash */
	uint32_t	 e_first;	/* first slot (long name) */
	uint32_t	 e_idx;		/* slot of the 8.3 entry */
	bool		 e_file;	/* a file or directory (not a label
					   or dot entry): in a long-name
					   chain, found by lookups */
	uint8_t		 e_name11[11];
};

/* All fields under the directory's dn_hlock (dh_md: constant). */
struct msdos_dirhash {
	struct msdos_mount *dh_md;
	struct dh_ent	**dh_lbkt;	/* by long name hash */
	struct dh_ent	**dh_sbkt;	/* by 8.3 name hash */
	uint32_t	 dh_nbkt;	/* a power of two */
	uint32_t	 dh_count;	/* entries */
	size_t		 dh_bytes;	/* counted in md_dhbytes */
	uint32_t	 dh_free;	/* no free slot before it */
	uint8_t		 dh_basis[11];	/* the last basis given a tail */
	uint32_t	 dh_tail;	/* and that tail */
	uint32_t	*dh_map;	/* block -> cluster */
	uint32_t	 dh_nmap;
	uint32_t	 dh_mapcap;
	bool		 dh_mapshort;	/* memory ran short: the map
					   covers the first dh_nmap */
};

/* Charge n more bytes to the mount: false past the limit. */
static bool
dh_charge(struct msdos_dirhash *dh, size_t n)
{
	size_t total;

	total = __atomic_add_fetch(&dh->dh_md->md_dhbytes, n,
	    __ATOMIC_RELAXED);
	if (total > MSDOS_DH_MAXBYTES) {
		__atomic_sub_fetch(&dh->dh_md->md_dhbytes, n,
		    __ATOMIC_RELAXED);
		return false;
	}
	dh->dh_bytes += n;
	return true;
}

static void
dh_uncharge(struct msdos_dirhash *dh, size_t n)
{

	__atomic_sub_fetch(&dh->dh_md->md_dhbytes, n, __ATOMIC_RELAXED);
	dh->dh_bytes -= n;
}

/* Memory charged to the mount; NULL when short. */
static void *
dh_alloc(struct msdos_dirhash *dh, size_t n)
{
	void *p;

	if (!dh_charge(dh, n))
		return NULL;
	if ((p = kmem_zalloc(n)) == NULL)
		dh_uncharge(dh, n);
	return p;
}

static void
dh_free(struct msdos_dirhash *dh, void *p, size_t n)
{

	kmem_free(p, n);
	dh_uncharge(dh, n);
}

static uint32_t
fold(uint32_t c)
{

	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

uint32_t
msdos_dh_hash16(const uint16_t *u, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ fold(u[i])) * 16777619u;
	return h;
}

uint32_t
msdos_dh_hash8(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ fold((uint8_t)s[i])) * 16777619u;
	return h;
}

/* The hash of the 8.3 name name11 as users see it. */
static uint32_t
hash83(const uint8_t *name11)
{
	struct fat_dirent de;
	char buf[13];

	memset(&de, 0, sizeof(de));
	memcpy(de.de_name, name11, 11);
	return msdos_dh_hash8(buf, msdos_name_short(&de, buf));
}

struct msdos_dirhash *
msdos_dh_create(struct msdos_mount *md)
{
	struct msdos_dirhash *dh, tmp;
	size_t bsz = DH_MINBUCKETS * sizeof(struct dh_ent *);

	memset(&tmp, 0, sizeof(tmp));
	tmp.dh_md = md;
	if ((dh = dh_alloc(&tmp, sizeof(*dh))) == NULL)
		return NULL;
	*dh = tmp;
	dh->dh_nbkt = DH_MINBUCKETS;
	dh->dh_lbkt = dh_alloc(dh, bsz);
	dh->dh_sbkt = dh_alloc(dh, bsz);
	if (dh->dh_lbkt == NULL || dh->dh_sbkt == NULL) {
		msdos_dh_destroy(dh);
		return NULL;
	}
	return dh;
}

void
msdos_dh_destroy(struct msdos_dirhash *dh)
{
	size_t bsz = dh->dh_nbkt * sizeof(struct dh_ent *);
	struct dh_ent *e;
	uint32_t i;

	for (i = 0; dh->dh_sbkt != NULL && i < dh->dh_nbkt; i++)
		while ((e = dh->dh_sbkt[i]) != NULL) {
			dh->dh_sbkt[i] = e->e_snext;
			dh_free(dh, e, sizeof(*e));
		}
	if (dh->dh_lbkt != NULL)
		dh_free(dh, dh->dh_lbkt, bsz);
	if (dh->dh_sbkt != NULL)
		dh_free(dh, dh->dh_sbkt, bsz);
	if (dh->dh_map != NULL)
		dh_free(dh, dh->dh_map, dh->dh_mapcap * sizeof(uint32_t));
	KASSERT(dh->dh_bytes == sizeof(*dh));
	__atomic_sub_fetch(&dh->dh_md->md_dhbytes, sizeof(*dh),
	    __ATOMIC_RELAXED);
	kmem_free(dh, sizeof(*dh));
}

/* Twice the buckets (keeping the old ones when memory is short). */
static void
dh_rehash(struct msdos_dirhash *dh)
{
	uint32_t i, n = dh->dh_nbkt * 2, m = n - 1;
	size_t osz = dh->dh_nbkt * sizeof(struct dh_ent *);
	struct dh_ent **lb, **sb, *e;

	lb = dh_alloc(dh, 2 * osz);
	sb = dh_alloc(dh, 2 * osz);
	if (lb == NULL || sb == NULL) {
		if (lb != NULL)
			dh_free(dh, lb, 2 * osz);
		if (sb != NULL)
			dh_free(dh, sb, 2 * osz);
		return;
	}
	for (i = 0; i < dh->dh_nbkt; i++)
		while ((e = dh->dh_sbkt[i]) != NULL) {
			dh->dh_sbkt[i] = e->e_snext;
			e->e_snext = sb[e->e_shash & m];
			sb[e->e_shash & m] = e;
			if (e->e_file) {
				e->e_lnext = lb[e->e_lhash & m];
				lb[e->e_lhash & m] = e;
			}
		}
	dh_free(dh, dh->dh_lbkt, osz);
	dh_free(dh, dh->dh_sbkt, osz);
	dh->dh_lbkt = lb;
	dh->dh_sbkt = sb;
	dh->dh_nbkt = n;
}

int
msdos_dh_add(struct msdos_dirhash *dh, uint32_t lhash, uint32_t first,
    uint32_t idx, const uint8_t *name11, bool file)
{
	uint32_t m;
	struct dh_ent *e;

	if ((e = dh_alloc(dh, sizeof(*e))) == NULL)
		return ENOMEM;
	e->e_lhash = lhash;
	e->e_shash = hash83(name11);
	e->e_first = first;
	e->e_idx = idx;
	e->e_file = file;
	memcpy(e->e_name11, name11, 11);
	if (dh->dh_count >= 2 * dh->dh_nbkt)
		dh_rehash(dh);
	m = dh->dh_nbkt - 1;
	e->e_snext = dh->dh_sbkt[e->e_shash & m];
	dh->dh_sbkt[e->e_shash & m] = e;
	if (file) {
		e->e_lnext = dh->dh_lbkt[lhash & m];
		dh->dh_lbkt[lhash & m] = e;
	}
	dh->dh_count++;
	return 0;
}

void
msdos_dh_remove(struct msdos_dirhash *dh, uint32_t idx, const uint8_t *name11)
{
	uint32_t m = dh->dh_nbkt - 1;
	struct dh_ent **pp, *e;

	for (pp = &dh->dh_sbkt[hash83(name11) & m]; (e = *pp) != NULL;
	    pp = &e->e_snext)
		if (e->e_idx == idx)
			break;
	if (e == NULL)
		return;
	*pp = e->e_snext;
	if (e->e_file) {
		for (pp = &dh->dh_lbkt[e->e_lhash & m]; *pp != e;
		    pp = &(*pp)->e_lnext)
			continue;
		*pp = e->e_lnext;
	}
	dh->dh_count--;
	dh_free(dh, e, sizeof(*e));
}

bool
msdos_dh_find(struct msdos_dirhash *dh, uint32_t lhash, bool haslong,
    uint32_t shash, uint32_t from, uint32_t *firstp, uint32_t *idxp)
{
	uint32_t m = dh->dh_nbkt - 1;
	struct dh_ent *e, *best = NULL;

	for (e = haslong ? dh->dh_lbkt[lhash & m] : NULL; e != NULL;
	    e = e->e_lnext)
		if (e->e_lhash == lhash && e->e_idx >= from &&
		    (best == NULL || e->e_idx < best->e_idx))
			best = e;
	for (e = dh->dh_sbkt[shash & m]; e != NULL; e = e->e_snext)
		if (e->e_file && e->e_shash == shash && e->e_idx >= from &&
		    (best == NULL || e->e_idx < best->e_idx))
			best = e;
	if (best == NULL)
		return false;
	*firstp = best->e_first;
	*idxp = best->e_idx;
	return true;
}

bool
msdos_dh_has83(struct msdos_dirhash *dh, const uint8_t *name11)
{
	uint32_t h = hash83(name11);
	struct dh_ent *e;

	for (e = dh->dh_sbkt[h & (dh->dh_nbkt - 1)]; e != NULL; e = e->e_snext)
		if (e->e_shash == h && memcmp(e->e_name11, name11, 11) == 0)
			return true;
	return false;
}

uint32_t
msdos_dh_tailhint(struct msdos_dirhash *dh, const uint8_t *basis)
{

	return memcmp(dh->dh_basis, basis, 11) == 0 ? dh->dh_tail + 1 : 1;
}

void
msdos_dh_settail(struct msdos_dirhash *dh, const uint8_t *basis, uint32_t n)
{

	memcpy(dh->dh_basis, basis, 11);
	dh->dh_tail = n;
}

uint32_t
msdos_dh_freehint(const struct msdos_dirhash *dh)
{

	return dh->dh_free;
}

void
msdos_dh_setfree(struct msdos_dirhash *dh, uint32_t idx)
{

	dh->dh_free = idx;
}

void
msdos_dh_mapadd(struct msdos_dirhash *dh, uint32_t cl)
{
	uint32_t cap = dh->dh_mapcap, *map;

	if (dh->dh_mapshort)
		return;
	if (dh->dh_nmap == cap) {
		cap = cap == 0 ? 16 : cap * 2;
		if ((map = dh_alloc(dh, cap * sizeof(*map))) == NULL) {
			dh->dh_mapshort = true;
			return;
		}
		if (dh->dh_map != NULL) {
			memcpy(map, dh->dh_map, dh->dh_nmap * sizeof(*map));
			dh_free(dh, dh->dh_map, dh->dh_mapcap * sizeof(*map));
		}
		dh->dh_map = map;
		dh->dh_mapcap = cap;
	}
	dh->dh_map[dh->dh_nmap++] = cl;
}

void
msdos_dh_usemap(const struct msdos_dirhash *dh, struct dirit *it)
{

	it->it_map = dh->dh_map;
	it->it_nmap = dh->dh_nmap;
}
