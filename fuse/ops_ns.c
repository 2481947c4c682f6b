/*
 * ops_ns.c: FUSE operations that make or remove names: mknod, mkdir,
 * symlink, link, unlink, rmdir, rename.  The kernel runs as root, so a
 * new file is given to the calling user afterwards (its group too,
 * unless the directory is set-group-ID).  Removing and renaming hold the
 * namespace lock exclusively and update the node table to match.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <rump/rump_syscalls.h>

#include "rump_fuse.h"

/* Give the new file at path to the caller. */
int
rf_chown_new(fuse_req_t req, char *path)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct stat pst;
	gid_t gid = ctx->gid;
	char *slash;
	int rv;

	if (ctx->uid == 0 && ctx->gid == 0)
		return 0;
	slash = strrchr(path, '/');
	*slash = '\0';
	rv = rump_sys_stat(path, &pst);
	*slash = '/';
	if (rv == -1)
		return errno;
	if (pst.st_mode & S_ISGID)
		gid = (gid_t)-1;
	if (rump_sys_fchownat(AT_FDCWD, path, ctx->uid, gid,
	    AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	return 0;
}

enum make_kind { MK_NOD, MK_DIR, MK_SYMLINK };

/* Make (parent, name) and answer with its entry. */
static void
make(fuse_req_t req, enum make_kind kind, fuse_ino_t parent,
    const char *name, mode_t mode, dev_t rdev, const char *target)
{
	char path[PATH_MAX];
	int error, rv;

	node_ns_rdlock();
	error = node_path_name(parent, name, path, sizeof(path));
	if (error == 0) {
		if (kind == MK_DIR)
			rv = rump_sys_mkdirat(AT_FDCWD, path, mode);
		else if (kind == MK_NOD)
			rv = rump_sys_mknodat(AT_FDCWD, path, mode, rdev);
		else
			rv = rump_sys_symlinkat(target, AT_FDCWD, path);
		error = rv == -1 ? errno : rf_chown_new(req, path);
	}
	if (error != 0) {
		node_ns_unlock();
		fuse_reply_err(req, error);
		return;
	}
	rf_reply_entry(req, parent, name);
}

void
rf_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{

	make(req, MK_NOD, parent, name, mode, rdev, NULL);
}

void
rf_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{

	make(req, MK_DIR, parent, name, mode, 0, NULL);
}

void
rf_symlink(fuse_req_t req, const char *target, fuse_ino_t parent,
    const char *name)
{

	make(req, MK_SYMLINK, parent, name, 0, 0, target);
}

void
rf_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
    const char *newname)
{
	char from[PATH_MAX], to[PATH_MAX];
	int error;

	node_ns_rdlock();
	error = node_path(ino, from, sizeof(from));
	if (error == 0)
		error = node_path_name(newparent, newname, to, sizeof(to));
	if (error == 0 && rump_sys_linkat(AT_FDCWD, from, AT_FDCWD, to,
	    0) == -1)
		error = errno;
	if (error != 0) {
		node_ns_unlock();
		fuse_reply_err(req, error);
		return;
	}
	rf_reply_entry(req, newparent, newname);
}

static void
remove_name(fuse_req_t req, fuse_ino_t parent, const char *name, int flags)
{
	char path[PATH_MAX];
	int error;

	node_ns_wrlock();
	error = node_path_name(parent, name, path, sizeof(path));
	if (error == 0 && rump_sys_unlinkat(AT_FDCWD, path, flags) == -1)
		error = errno;
	if (error == 0)
		node_removed(parent, name);
	node_ns_unlock();
	fuse_reply_err(req, error);
}

void
rf_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{

	remove_name(req, parent, name, 0);
}

void
rf_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{

	remove_name(req, parent, name, AT_REMOVEDIR);
}

void
rf_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	char from[PATH_MAX], to[PATH_MAX];
	int error;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	node_ns_wrlock();
	error = node_path_name(parent, name, from, sizeof(from));
	if (error == 0)
		error = node_path_name(newparent, newname, to, sizeof(to));
	if (error == 0 && rump_sys_renameat2(AT_FDCWD, from, AT_FDCWD, to,
	    flags) == -1)
		error = errno;
	if (error == 0)
		node_renamed(parent, name, newparent, newname, flags);
	node_ns_unlock();
	fuse_reply_err(req, error);
}
