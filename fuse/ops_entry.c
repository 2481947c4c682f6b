/*
 * ops_entry.c: FUSE operations on one node that change no names:
 * lookup, forget, getattr, setattr, readlink, statfs, access.  Paths come
 * from the node table under the shared namespace lock; attributes are
 * the kernel's (st_ino is the kernel's inode number), with ownership
 * replaced by -o uid=/gid= when given.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#include <rump/rump_syscalls.h>

#include "rump_fuse.h"

void
rf_fix_stat(struct stat *st)
{

	if (rf_opts.ro_has_uid)
		st->st_uid = rf_opts.ro_uid;
	if (rf_opts.ro_has_gid)
		st->st_gid = rf_opts.ro_gid;
}

/* Stat (parent, name) and take a lookup on its node (ns_lock held). */
int
rf_entry(fuse_ino_t parent, const char *name, struct fuse_entry_param *e)
{
	char path[PATH_MAX];
	int error;

	memset(e, 0, sizeof(*e));
	error = node_path_name(parent, name, path, sizeof(path));
	if (error != 0)
		return error;
	if (rump_sys_fstatat(AT_FDCWD, path, &e->attr,
	    AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	error = node_lookup(parent, name, e->attr.st_ino, &e->ino);
	if (error != 0)
		return error;
	rf_fix_stat(&e->attr);
	e->attr_timeout = rf_opts.ro_attr_timeout;
	e->entry_timeout = rf_opts.ro_entry_timeout;
	return 0;
}

/* Answer a request that made (parent, name) with its entry; the
 * namespace lock is held and released here. */
void
rf_reply_entry(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int error;

	error = rf_entry(parent, name, &e);
	node_ns_unlock();
	if (error != 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_entry(req, &e) != 0)
		node_forget(e.ino, 1);
}

void
rf_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int error;

	node_ns_rdlock();
	error = rf_entry(parent, name, &e);
	node_ns_unlock();
	if (error == ENOENT && rf_opts.ro_negative_timeout > 0) {
		memset(&e, 0, sizeof(e));
		e.entry_timeout = rf_opts.ro_negative_timeout;
		fuse_reply_entry(req, &e);
	} else if (error != 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_entry(req, &e) != 0)
		node_forget(e.ino, 1);
}

void
rf_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{

	node_forget(ino, nlookup);
	fuse_reply_none(req);
}

void
rf_forget_multi(fuse_req_t req, size_t count,
    struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		node_forget(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

/* Stat ino, by its open descriptor when there is one. */
static int
stat_node(fuse_ino_t ino, struct fuse_file_info *fi, struct stat *st)
{
	char path[PATH_MAX];
	int error;

	if (fi != NULL)
		return rump_sys_fstat(rf_handle_fd(fi), st) == -1 ? errno : 0;
	node_ns_rdlock();
	error = node_path(ino, path, sizeof(path));
	if (error == 0 && rump_sys_fstatat(AT_FDCWD, path, st,
	    AT_SYMLINK_NOFOLLOW) == -1)
		error = errno;
	node_ns_unlock();
	return error;
}

static void
reply_attr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int error;

	error = stat_node(ino, fi, &st);
	if (error != 0) {
		fuse_reply_err(req, error);
		return;
	}
	rf_fix_stat(&st);
	fuse_reply_attr(req, &st, rf_opts.ro_attr_timeout);
}

void
rf_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	reply_attr(req, ino, fi);
}

/* The times of a setattr: UTIME_OMIT for those not set. */
static void
set_times(const struct stat *attr, int to_set, struct timespec ts[2])
{

	ts[0].tv_sec = ts[1].tv_sec = 0;
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	if (to_set & FUSE_SET_ATTR_ATIME_NOW)
		ts[0].tv_nsec = UTIME_NOW;
	else if (to_set & FUSE_SET_ATTR_ATIME)
		ts[0] = attr->st_atim;
	if (to_set & FUSE_SET_ATTR_MTIME_NOW)
		ts[1].tv_nsec = UTIME_NOW;
	else if (to_set & FUSE_SET_ATTR_MTIME)
		ts[1] = attr->st_mtim;
}

/* Apply a setattr to the open descriptor fd, or else to path. */
static int
apply_setattr(int fd, const char *path, const struct stat *attr,
    int to_set)
{
	struct timespec ts[2];
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int rv = 0;

	if (to_set & FUSE_SET_ATTR_MODE)
		rv = fd >= 0 ? rump_sys_fchmod(fd, attr->st_mode) :
		    rump_sys_fchmodat(AT_FDCWD, path, attr->st_mode, 0);
	if (rv == 0 && (to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID))) {
		if (to_set & FUSE_SET_ATTR_UID)
			uid = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			gid = attr->st_gid;
		rv = fd >= 0 ? rump_sys_fchown(fd, uid, gid) :
		    rump_sys_fchownat(AT_FDCWD, path, uid, gid,
		    AT_SYMLINK_NOFOLLOW);
	}
	if (rv == 0 && (to_set & FUSE_SET_ATTR_SIZE))
		rv = fd >= 0 ? rump_sys_ftruncate(fd, attr->st_size) :
		    rump_sys_truncate(path, attr->st_size);
	if (rv == 0 && (to_set & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
	    FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW))) {
		set_times(attr, to_set, ts);
		rv = fd >= 0 ? rump_sys_futimens(fd, ts) :
		    rump_sys_utimensat(AT_FDCWD, path, ts,
		    AT_SYMLINK_NOFOLLOW);
	}
	return rv == -1 ? errno : 0;
}

void
rf_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
    struct fuse_file_info *fi)
{
	char path[PATH_MAX];
	int error;

	if (fi != NULL)
		error = apply_setattr(rf_handle_fd(fi), NULL, attr, to_set);
	else {
		node_ns_rdlock();
		error = node_path(ino, path, sizeof(path));
		if (error == 0)
			error = apply_setattr(-1, path, attr, to_set);
		node_ns_unlock();
	}
	if (error != 0)
		fuse_reply_err(req, error);
	else
		reply_attr(req, ino, fi);
}

void
rf_readlink(fuse_req_t req, fuse_ino_t ino)
{
	char path[PATH_MAX], target[PATH_MAX + 1];
	ssize_t n = -1;
	int error;

	node_ns_rdlock();
	error = node_path(ino, path, sizeof(path));
	if (error == 0) {
		n = rump_sys_readlinkat(AT_FDCWD, path, target,
		    sizeof(target) - 1);
		if (n == -1)
			error = errno;
	}
	node_ns_unlock();
	if (error != 0) {
		fuse_reply_err(req, error);
		return;
	}
	target[n] = '\0';
	fuse_reply_readlink(req, target);
}

void
rf_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statfs sfs;
	struct statvfs sv;

	if (rump_sys_statfs(RF_KMOUNT, &sfs) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = (unsigned long)sfs.f_bsize;
	sv.f_frsize = sfs.f_frsize != 0 ? (unsigned long)sfs.f_frsize :
	    (unsigned long)sfs.f_bsize;
	sv.f_blocks = sfs.f_blocks;
	sv.f_bfree = sfs.f_bfree;
	sv.f_bavail = sfs.f_bavail;
	sv.f_files = sfs.f_files;
	sv.f_ffree = sfs.f_ffree;
	sv.f_favail = sfs.f_ffree;
	sv.f_namemax = (unsigned long)sfs.f_namelen;
	fuse_reply_statfs(req, &sv);
}

void
rf_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	char path[PATH_MAX];
	int error;

	node_ns_rdlock();
	error = node_path(ino, path, sizeof(path));
	if (error == 0 && rump_sys_faccessat(AT_FDCWD, path, mask, 0) == -1)
		error = errno;
	node_ns_unlock();
	fuse_reply_err(req, error);
}
