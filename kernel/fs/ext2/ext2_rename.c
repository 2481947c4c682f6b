/*
 * ext2_rename.c: rename(2) and renameat2(2) on ext2.
 *
 * vfs holds the mount's rename lock and the four vnodes locked (see
 * vnode.h) and has checked the types and that a directory does not move
 * into itself.  The new name is made to point at the file first (a new
 * entry, or the replaced one rewritten), then the old name goes, then a
 * moved directory's ".." and the link counts of the parents are fixed:
 * a crash in between leaves an extra name, which e2fsck repairs, never a
 * lost file.  RENAME_EXCHANGE rewrites both entries.
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <vfs/vnode.h>
#include <fs/ext2/ext2.h>

static bool
isdir(const struct ext2_node *en)
{

	return en != NULL && en->en_type == VDIR;
}

/* Point directory en's ".." at newparent. */
static int
set_dotdot(struct ext2_node *en, struct ext2_node *newparent)
{
	struct ext2_slot es;
	int error;

	error = ext2_dir_lookup(en, "..", 2, &es);
	if (error == ENOENT)
		return ext2_corrupt(en->en_mount, "directory inode %llu has "
		    "no \"..\"", (unsigned long long)en->en_ino);
	if (error != 0)
		return error;
	return ext2_dir_rewrite(en, &es, newparent->en_ino, VDIR);
}

static void
addlink(struct ext2_node *en, int n)
{

	ext2_n_setnlink(en, (uint32_t)((int)ext2_n_nlink(en) + n));
}

/* Would fdn/tdn get too many links when their subdirectories move? */
static int
check_links(struct ext2_node *fdn, struct ext2_node *tdn, int tdelta)
{

	if (fdn == tdn)
		return 0;
	if (tdelta > 0 && ext2_n_nlink(tdn) >= EXT2_LINK_MAX)
		return EMLINK;
	if (tdelta < 0 && ext2_n_nlink(fdn) >= EXT2_LINK_MAX)
		return EMLINK;
	return 0;
}

static int
finish(struct ext2_node *fdn, struct ext2_node *tdn, struct ext2_node *fn,
    struct ext2_node *tn)
{
	int error;

	ext2_n_touch(fdn, EXT2_TOUCH_M | EXT2_TOUCH_C);
	ext2_n_touch(tdn, EXT2_TOUCH_M | EXT2_TOUCH_C);
	ext2_n_touch(fn, EXT2_TOUCH_C);
	if ((error = ext2_update(fn)) != 0 ||
	    (tn != NULL && (error = ext2_update(tn)) != 0) ||
	    (error = ext2_update(tdn)) != 0)
		return error;
	return fdn == tdn ? 0 : ext2_update(fdn);
}

static int
rename_exchange(struct ext2_node *fdn, const struct ext2_slot *fes,
    struct ext2_node *fn, struct ext2_node *tdn,
    const struct ext2_slot *tes, struct ext2_node *tn)
{
	int delta = (int)isdir(fn) - (int)isdir(tn);
	int error;

	if ((error = check_links(fdn, tdn, delta)) != 0)
		return error;
	if ((error = ext2_dir_rewrite(fdn, fes, tn->en_ino, tn->en_type))
	    != 0 ||
	    (error = ext2_dir_rewrite(tdn, tes, fn->en_ino, fn->en_type)) != 0)
		return error;
	if (fdn != tdn) {
		if ((isdir(fn) && (error = set_dotdot(fn, tdn)) != 0) ||
		    (isdir(tn) && (error = set_dotdot(tn, fdn)) != 0))
			return error;
		addlink(tdn, delta);
		addlink(fdn, -delta);
	}
	ext2_n_touch(tn, EXT2_TOUCH_C);
	return finish(fdn, tdn, fn, tn);
}

static int
rename_move(struct ext2_node *fdn, const char *fname, size_t flen,
    const struct ext2_slot *fes, struct ext2_node *fn, struct ext2_node *tdn,
    const char *tname, size_t tlen, const struct ext2_slot *tes,
    struct ext2_node *tn)
{
	struct ext2_slot es = *fes;
	int error;

	if (tn != NULL) {
		if (isdir(tn) && (error = ext2_dir_isempty(tn)) != 0)
			return error;
		error = ext2_dir_rewrite(tdn, tes, fn->en_ino, fn->en_type);
		if (error == 0)
			error = ext2_droplink(tdn, tn);
	} else {
		if (isdir(fn) && (error = check_links(fdn, tdn, 1)) != 0)
			return error;
		if (tlen > EXT2_NAME_LEN)
			return ENAMETOOLONG;
		error = ext2_dir_enter(tdn, tname, tlen, fn->en_ino,
		    fn->en_type);
		/* A split of a hash-indexed block may move the old entry. */
		if (error == 0 && fdn == tdn)
			error = ext2_entry_of(fdn, fname, flen, fn, &es);
	}
	if (error != 0 || (error = ext2_dir_remove(fdn, &es)) != 0)
		return error;
	if (isdir(fn) && fdn != tdn) {
		if ((error = set_dotdot(fn, tdn)) != 0)
			return error;
		addlink(fdn, -1);
		addlink(tdn, 1);
	}
	return finish(fdn, tdn, fn, tn);
}

int
ext2_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned int flags)
{
	struct ext2_node *fdn = VTOEN(fdvp), *tdn = VTOEN(tdvp);
	struct ext2_node *fn = VTOEN(fvp);
	struct ext2_node *tn = tvp != NULL ? VTOEN(tvp) : NULL;
	struct ext2_slot fes, tes;
	int error;

	if (flags & RENAME_WHITEOUT) {
		printf("%s: RENAME_WHITEOUT is not supported\n",
		    fdn->en_mount->em_name);
		return EOPNOTSUPP;
	}
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return EINVAL;
	if (fdn->en_mount->em_ronly)
		return EROFS;
	if (tdn->en_type != VDIR)
		return ENOTDIR;
	if (ext2_n_nlink(tdn) == 0)
		return ENOENT;
	if ((error = ext2_entry_of(fdn, fname, flen, fn, &fes)) != 0 ||
	    (tn != NULL &&
	    (error = ext2_entry_of(tdn, tname, tlen, tn, &tes)) != 0))
		return error;
	if ((error = ext2_n_canchange(fdn)) != 0 ||
	    (error = ext2_n_canchange(tdn)) != 0 ||
	    (error = ext2_n_canchange(fn)) != 0 ||
	    (tn != NULL && (error = ext2_n_canchange(tn)) != 0))
		return error;
	if (flags & RENAME_EXCHANGE) {
		if (tn == NULL)
			return ENOENT;
		return rename_exchange(fdn, &fes, fn, tdn, &tes, tn);
	}
	return rename_move(fdn, fname, flen, &fes, fn, tdn, tname, tlen,
	    tn != NULL ? &tes : NULL, tn);
}
