/*
 * msdosfs_enter.c: entering a name into a directory.
 *
 * Owns finding room for a new entry and writing it: one 8.3 entry when
 * the name fits 8.3 with one case per part (the NT case bits record
 * lower-case parts), else the long name entries followed by a generated
 * 8.3 name that is unique in the directory (the specification's basis
 * name, with a ~N tail when it lost characters or is taken).  One scan
 * finds a run of free slots and the tails in use; a directory without
 * room grows by a zeroed cluster (the FAT12/16 root cannot: ENOSPC).
 * With the directory's name index (msdosfs_dirhash.c) the scan starts
 * at the index's free hint, names in use are asked of the index, and
 * the new entry and clusters are added to it.
 *
 * Locks: the directory's vnode lock, exclusive; its dn_hlock.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <fs/msdos/msdosfs.h>

/* The largest ~N tried for a generated 8.3 name. */
#define MAXTAIL		65536

/* What a scan for a new entry finds: a run of free slots and the ~N
 * tails in use. */
struct freescan {
	uint32_t	 fs_need;	/* slots needed */
	uint32_t	 fs_runfirst;	/* current free run */
	uint32_t	 fs_runlen;
	uint32_t	 fs_firstfree;	/* the first free slot seen */
	bool		 fs_found;	/* run of fs_need found */
	uint32_t	 fs_end;	/* slots in the directory */
	uint32_t	 fs_lastcl;	/* its last cluster */
	const uint8_t	*fs_basis;	/* NULL: no name to generate */
	bool		 fs_basisused;
	uint8_t		*fs_tails;	/* bitmap of ~N in use */
};

/* The N of name11 if it is basis with tail ~N (as msdos_name_tail
 * makes it), else 0. */
static uint32_t
tail_of(const uint8_t *basis, const uint8_t *name11)
{
	uint32_t n = 0, bl = 8, tl;
	int i, t = -1;

	if (memcmp(basis + 8, name11 + 8, 3) != 0)
		return 0;
	for (i = 0; i < 8; i++)
		if (name11[i] == '~')
			t = i;
	if (t < 0 || name11[t + 1] == '0' ||
	    memcmp(basis, name11, (size_t)t) != 0)
		return 0;
	for (i = t + 1; i < 8 && name11[i] >= '0' && name11[i] <= '9'; i++) {
		n = n * 10 + (uint32_t)(name11[i] - '0');
		if (n >= MAXTAIL)
			return 0;
	}
	tl = (uint32_t)(i - t);
	for (; i < 8; i++)
		if (name11[i] != ' ')
			return 0;
	while (bl > 0 && basis[bl - 1] == ' ')
		bl--;
	if (n == 0 || (uint32_t)t != MIN(bl, 8 - tl))
		return 0;
	return n;
}

static void
freescan_slot(struct freescan *fs, const struct fat_dirent *de, uint32_t idx,
    bool ended)
{
	bool isfree = ended || de->de_name[0] == SLOT_FREE ||
	    de->de_name[0] == SLOT_END;
	uint32_t n;

	if (isfree && fs->fs_firstfree == UINT32_MAX)
		fs->fs_firstfree = idx;
	if (!fs->fs_found && isfree) {
		if (fs->fs_runlen == 0)
			fs->fs_runfirst = idx;
		if (++fs->fs_runlen >= fs->fs_need)
			fs->fs_found = true;
	} else if (!fs->fs_found)
		fs->fs_runlen = 0;
	if (isfree || fs->fs_basis == NULL ||
	    (de->de_attr & ATTR_LFN_MASK) == ATTR_LFN)
		return;
	if (memcmp(de->de_name, fs->fs_basis, 11) == 0)
		fs->fs_basisused = true;
	if ((n = tail_of(fs->fs_basis, de->de_name)) != 0)
		fs->fs_tails[n / 8] |= (uint8_t)(1 << (n % 8));
}

/* Scan the slots of dn from `from' for a free run and the names in
 * use. */
static int
freescan_run(struct msdos_node *dn, struct freescan *fs, uint32_t from)
{
	struct fat_dirent *de;
	struct dirit it;
	bool ended = false;
	uint32_t idx;
	int error;

	msdos_dirit_initdn(&it, dn);
	for (idx = from;; idx++) {
		if ((error = msdos_dirit_slot(&it, idx, &de, NULL)) != 0)
			break;
		if (fs->fs_found && (ended || fs->fs_basis == NULL))
			break;
		freescan_slot(fs, de, idx, ended);
		if (de->de_name[0] == SLOT_END)
			ended = true;
	}
	fs->fs_end = idx;
	fs->fs_lastcl = it.it_cl;
	msdos_dirit_release(&it);
	if (error == ENOENT || error == 0)
		return 0;
	return error;
}

/* Add a zeroed cluster after *lastp, the last of directory dn. */
static int
dir_grow(struct msdos_node *dn, uint32_t *lastp)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t cl;
	int error;

	if (dn->dn_start == 0)
		return ENOSPC;
	if ((uint64_t)(dn->dn_nclust + 1) * md->md_csize / DIRENT_SIZE >
	    65536)
		return ENOSPC;
	if ((error = msdos_clalloc(md, *lastp, &cl)) != 0)
		return error;
	*lastp = cl;
	if ((error = msdos_clzero(md, cl)) != 0)
		return error;
	dn->dn_nclust++;
	if (dn->dn_hash != NULL)
		msdos_dh_mapadd(dn->dn_hash, cl);
	return 0;
}

/* Find (or make, growing dn) need free slots: *firstp. */
static int
find_free(struct msdos_node *dn, struct freescan *fs, uint32_t *firstp)
{
	struct msdos_mount *md = dn->dn_mount;
	uint32_t have, last;
	int error;

	fs->fs_firstfree = UINT32_MAX;
	error = freescan_run(dn, fs, dn->dn_hash != NULL ?
	    msdos_dh_freehint(dn->dn_hash) : 0);
	if (error != 0)
		return error;
	if (fs->fs_found) {
		*firstp = fs->fs_runfirst;
		return 0;
	}
	have = fs->fs_runlen;
	*firstp = have > 0 ? fs->fs_runfirst : fs->fs_end;
	last = fs->fs_lastcl;
	while (have < fs->fs_need) {
		if ((error = dir_grow(dn, &last)) != 0)
			return error;
		have += md->md_csize / DIRENT_SIZE;
	}
	return 0;
}

/* pick_short through the name index. */
static int
pick_short_dh(struct msdos_dirhash *dh, const uint8_t *basis, bool lossy,
    uint8_t *name11)
{
	uint32_t n, i;

	if (!lossy && !msdos_dh_has83(dh, basis)) {
		memcpy(name11, basis, 11);
		return 0;
	}
	n = msdos_dh_tailhint(dh, basis);
	for (i = 1; i < MAXTAIL; i++, n++) {
		if (n >= MAXTAIL)
			n = 1;
		msdos_name_tail(basis, n, name11);
		if (!msdos_dh_has83(dh, name11)) {
			msdos_dh_settail(dh, basis, n);
			return 0;
		}
	}
	return EEXIST;
}

/* Pick the 8.3 name of a long name: the basis alone, or with ~N. */
static int
pick_short(struct freescan *fs, bool lossy, uint8_t *name11)
{
	uint32_t n;

	if (!lossy && !fs->fs_basisused) {
		memcpy(name11, fs->fs_basis, 11);
		return 0;
	}
	for (n = 1; n < MAXTAIL; n++)
		if ((fs->fs_tails[n / 8] & (1 << (n % 8))) == 0) {
			msdos_name_tail(fs->fs_basis, n, name11);
			return 0;
		}
	return EEXIST;
}

/* Write the long name entries and the 8.3 entry from slot first on. */
static int
write_entries(struct msdos_node *dn, uint32_t first, const uint16_t *u,
    size_t n, int nlfn, const struct fat_dirent *de, uint64_t *posp)
{
	uint8_t sum = msdos_name_chksum(de->de_name);
	struct fat_dirent *slot;
	struct dirit it;
	int i, error = 0;

	msdos_dirit_initdn(&it, dn);
	for (i = 0; i < nlfn && error == 0; i++) {
		error = msdos_dirit_slot(&it, first + (uint32_t)i, &slot, NULL);
		if (error == 0) {
			msdos_lfn_fill((struct fat_lfnent *)slot, u, n,
			    nlfn - i, i == 0, sum);
			it.it_dirty = true;
		}
	}
	if (error == 0)
		error = msdos_dirit_slot(&it, first + (uint32_t)nlfn, &slot,
		    posp);
	if (error == 0) {
		*slot = *de;
		it.it_dirty = true;
	}
	msdos_dirit_release(&it);
	return error == ENOENT ? MSDOS_ECORRUPT : error;
}

/* Enter the new entry (written at slot first) into dn's name index;
 * the index is dropped if it cannot be kept. */
static void
enter_index(struct msdos_node *dn, const struct freescan *fs, uint32_t first,
    const uint16_t *u, size_t n, int nlfn, const uint8_t *name11)
{
	struct msdos_dirhash *dh = dn->dn_hash;
	uint32_t ff = fs->fs_firstfree;

	if (dh == NULL)
		return;
	if (msdos_dh_add(dh, nlfn > 0 ? msdos_dh_hash16(u, n) : 0, first,
	    first + (uint32_t)nlfn, name11, true) != 0) {
		msdos_dir_hashdrop(dn);
		return;
	}
	msdos_dh_setfree(dh, ff == UINT32_MAX || ff == first ?
	    first + fs->fs_need : ff);
}

/* msdos_dir_enter with dn_hlock held. */
static int
dir_enter(struct msdos_node *dn, const uint16_t *u, size_t n,
    struct fat_dirent *de, uint64_t *posp)
{
	struct freescan fs;
	uint8_t basis[11];
	uint32_t first;
	bool lossy = false;
	int nlfn = 0, error;

	memset(&fs, 0, sizeof(fs));
	if (!msdos_name_is83(u, n, de->de_name, &de->de_ntres)) {
		de->de_ntres = 0;
		lossy = msdos_name_basis(u, n, basis);
		nlfn = (int)howmany(n, LFN_CHARS);
		if (dn->dn_hash == NULL) {
			fs.fs_basis = basis;
			if ((fs.fs_tails = kmem_zalloc(MAXTAIL / 8)) == NULL)
				return ENOMEM;
		}
	}
	fs.fs_need = (uint32_t)nlfn + 1;
	error = find_free(dn, &fs, &first);
	if (error == 0 && nlfn > 0)
		error = fs.fs_basis != NULL ? pick_short(&fs, lossy,
		    de->de_name) : pick_short_dh(dn->dn_hash, basis, lossy,
		    de->de_name);
	if (fs.fs_tails != NULL)
		kmem_free(fs.fs_tails, MAXTAIL / 8);
	if (error != 0)
		return error;
	if ((error = write_entries(dn, first, u, n, nlfn, de, posp)) != 0) {
		msdos_dir_hashdrop(dn);
		return error;
	}
	enter_index(dn, &fs, first, u, n, nlfn, de->de_name);
	return 0;
}

int
msdos_dir_enter(struct msdos_node *dn, const char *name, size_t len,
    struct fat_dirent *de, uint64_t *posp)
{
	uint16_t u[LFN_MAXUNITS];
	size_t n;
	int error;

	if ((error = msdos_name_utf16(name, len, u, &n)) != 0)
		return error;
	mutex_enter(&dn->dn_hlock);
	error = dir_enter(dn, u, n, de, posp);
	mutex_exit(&dn->dn_hlock);
	return error;
}
