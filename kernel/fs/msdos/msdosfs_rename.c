/*
 * msdosfs_rename.c: rename.
 *
 * vfs holds the mount's rename lock and all four vnodes locked, and has
 * checked what the VOP protocol in vnode.h says.  A rename replaces the
 * target (an empty directory, or a file whose clusters are freed when
 * its last reference goes), writes the new entry (long name and 8.3
 * name made afresh), removes the old one, and then renumbers a file
 * (its inode number is where its entry is: vcache_rekey) or, for a
 * directory moved to another parent, rewrites its "..".  RENAME_EXCHANGE
 * swaps what the two 8.3 entries point to, each keeping its name (long
 * name, 8.3 name and case bits).  A rename that only changes the case
 * of a name is a rename of a file onto itself, which vfs turns into a
 * no-op.
 */
#include <kern/types.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <vfs/mount.h>
#include <vfs/vnode.h>
#include <fs/msdos/msdosfs.h>

/* Take the target's name away (it is replaced). */
static int
rename_drop_target(struct msdos_node *tdn, const char *tname, size_t tlen,
    struct vnode *tvp)
{
	struct msdos_node *tn = VTODN(tvp);
	struct msdos_slot ms;
	int error;

	if ((error = msdos_entry_of(tdn, tname, tlen, tn, &ms)) != 0)
		return error;
	if (tn->dn_type == VDIR && (error = msdos_dir_isempty(tn)) != 0)
		return error;
	if ((error = msdos_dir_remove(tdn, &ms)) != 0)
		return error;
	msdos_node_orphan(tvp);
	if (tn->dn_type == VDIR && tdn->dn_nsubdirs > 0)
		tdn->dn_nsubdirs--;
	return 0;
}

/* The moved node is now at pos in tdn. */
static int
rename_move_node(struct vnode *fvp, struct msdos_node *fdn,
    struct msdos_node *tdn, const struct fat_dirent *de, uint64_t pos)
{
	struct msdos_node *fn = VTODN(fvp);
	struct msdos_mount *md = fn->dn_mount;
	int error = 0;

	fn->dn_de = *de;
	fn->dn_pos = pos;
	fn->dn_dircl = tdn->dn_start;
	if (fn->dn_type != VDIR) {
		if (vcache_rekey(fvp->v_mount, fvp, msdos_fileino(pos)) != 0)
			return msdos_corrupt(md, "entry at %llu already in use",
			    (unsigned long long)pos);
		return 0;
	}
	if (fdn != tdn) {
		error = msdos_dir_setparent(md, fn->dn_start, tdn->dn_start);
		if (fdn->dn_nsubdirs > 0)
			fdn->dn_nsubdirs--;
		tdn->dn_nsubdirs++;
	}
	return error;
}

/* Node n moves to the entry ms of directory dn, keeping that name. */
static void
exchange_one(struct msdos_node *n, struct msdos_node *dn,
    const struct msdos_slot *ms)
{

	memcpy(n->dn_de.de_name, ms->ms_de.de_name, sizeof(n->dn_de.de_name));
	n->dn_de.de_ntres = ms->ms_de.de_ntres;
	n->dn_pos = ms->ms_pos;
	n->dn_dircl = dn->dn_start;
}

/* Renumber the files of an exchange: through a spare orphan number,
 * since each takes the other's. */
static int
exchange_rekey(struct vnode *fvp, struct vnode *tvp)
{
	struct msdos_node *fn = VTODN(fvp), *tn = VTODN(tvp);
	struct msdos_mount *md = fn->dn_mount;
	uint64_t spare;
	int error = 0;

	mutex_enter(&md->md_lock);
	spare = md->md_norphan++;
	mutex_exit(&md->md_lock);
	if (fn->dn_type != VDIR)
		error = vcache_rekey(fvp->v_mount, fvp,
		    (ino_t)(MSDOS_ORPHANINO + spare));
	if (error == 0 && tn->dn_type != VDIR)
		error = vcache_rekey(tvp->v_mount, tvp,
		    msdos_fileino(tn->dn_pos));
	if (error == 0 && fn->dn_type != VDIR)
		error = vcache_rekey(fvp->v_mount, fvp,
		    msdos_fileino(fn->dn_pos));
	if (error != 0)
		return msdos_corrupt(md, "exchange: entry already in use");
	return 0;
}

/* Directories that changed parents: "..", subdirectory counts. */
static int
exchange_parents(struct msdos_node *fdn, struct msdos_node *fn,
    struct msdos_node *tdn, struct msdos_node *tn)
{
	struct msdos_mount *md = fn->dn_mount;
	int error = 0;

	if (fdn == tdn)
		return 0;
	if (fn->dn_type == VDIR) {
		error = msdos_dir_setparent(md, fn->dn_start, tdn->dn_start);
		fdn->dn_nsubdirs--;
		tdn->dn_nsubdirs++;
	}
	if (tn->dn_type == VDIR) {
		if (error == 0)
			error = msdos_dir_setparent(md, tn->dn_start,
			    fdn->dn_start);
		tdn->dn_nsubdirs--;
		fdn->dn_nsubdirs++;
	}
	return error;
}

static int
rename_exchange(struct msdos_node *fdn, struct msdos_slot *fms,
    struct vnode *fvp, struct msdos_node *tdn, const char *tname,
    size_t tlen, struct vnode *tvp)
{
	struct msdos_node *fn = VTODN(fvp), *tn = VTODN(tvp);
	struct msdos_slot tms;
	int error;

	if ((error = msdos_entry_of(tdn, tname, tlen, tn, &tms)) != 0)
		return error;
	exchange_one(fn, tdn, &tms);
	exchange_one(tn, fdn, fms);
	if ((error = exchange_rekey(fvp, tvp)) != 0 ||
	    (error = exchange_parents(fdn, fn, tdn, tn)) != 0 ||
	    (error = msdos_node_update(fn)) != 0)
		return error;
	return msdos_node_update(tn);
}

static void
rename_touch(struct msdos_node *fdn, struct msdos_node *tdn)
{

	msdos_node_touch(fdn);
	fdn->dn_de.de_attr &= ~ATTR_ARCHIVE;
	(void)msdos_node_update(fdn);
	if (tdn != fdn) {
		msdos_node_touch(tdn);
		tdn->dn_de.de_attr &= ~ATTR_ARCHIVE;
		(void)msdos_node_update(tdn);
	}
}

int
msdos_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp, unsigned int flags)
{
	struct msdos_node *fdn = VTODN(fdvp), *tdn = VTODN(tdvp);
	struct msdos_node *fn = VTODN(fvp);
	struct msdos_mount *md = fdn->dn_mount;
	struct msdos_slot fms;
	struct fat_dirent de;
	uint64_t pos;
	int error;

	if (md->md_ronly)
		return EROFS;
	if (tdn->dn_orphan)
		return ENOENT;
	if ((error = msdos_entry_of(fdn, fname, flen, fn, &fms)) != 0)
		return error;
	if (flags & RENAME_EXCHANGE) {
		error = rename_exchange(fdn, &fms, fvp, tdn, tname, tlen, tvp);
		rename_touch(fdn, tdn);
		return error;
	}
	if (tvp != NULL &&
	    (error = rename_drop_target(tdn, tname, tlen, tvp)) != 0)
		return error;
	de = fn->dn_de;
	msdos_de_setstart(&de, fn->dn_start);
	setle32(de.de_size, fn->dn_type == VDIR ? 0 : fn->dn_size);
	if ((error = msdos_dir_enter(tdn, tname, tlen, &de, &pos)) != 0)
		return error;
	if ((error = msdos_dir_remove(fdn, &fms)) != 0)
		return error;
	error = rename_move_node(fvp, fdn, tdn, &de, pos);
	rename_touch(fdn, tdn);
	return error;
}
