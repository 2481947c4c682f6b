/*
 * ops_file.c: FUSE operations on open files: open, create, read, write,
 * flush, release, fsync.  Every open file is one kernel descriptor in
 * a handle (handle.c); reads of one file are served in order, writes go
 * straight to the kernel.  All changes to the file system pass through
 * this mount, so the host page cache is kept across opens (keep_cache).
 * Nothing is buffered here, so close(2) needs no flush (noflush).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>

#include <rump/rump_syscalls.h>

#include "rump_fuse.h"

/* Flags of an open the host has already acted on. */
#define OPEN_STRIP	(O_CREAT | O_EXCL | O_NOCTTY)

void
rf_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int error;

	error = rf_handle_open(ino, fi->flags & ~OPEN_STRIP, fi);
	if (error != 0) {
		fuse_reply_err(req, error);
		return;
	}
	fi->keep_cache = 1;
	fi->noflush = 1;
	if (fuse_reply_open(req, fi) != 0)
		rf_handle_close(fi);
}

void
rf_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct fuse_entry_param e;
	char path[PATH_MAX];
	int error, fd = -1;

	node_ns_rdlock();
	error = node_path_name(parent, name, path, sizeof(path));
	if (error == 0) {
		fd = rump_sys_openat(AT_FDCWD, path,
		    (fi->flags & ~O_NOCTTY) | O_CREAT | O_NOFOLLOW, mode);
		error = fd == -1 ? errno : rf_chown_new(req, path);
	}
	if (error == 0)
		error = rf_entry(parent, name, &e);
	node_ns_unlock();
	if (error == 0 && (error = rf_handle_new(fd, fi)) != 0)
		node_forget(e.ino, 1);
	if (error != 0) {
		if (fd != -1)
			rump_sys_close(fd);
		fuse_reply_err(req, error);
		return;
	}
	fi->keep_cache = 1;
	fi->noflush = 1;
	if (fuse_reply_create(req, &e, fi) != 0) {
		rf_handle_close(fi);
		node_forget(e.ino, 1);
	}
}

void
rf_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	char *buf;
	ssize_t n;

	buf = malloc(size > 0 ? size : 1);
	if (buf == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&rf_handle(fi)->h_lock);
	n = rump_sys_pread(rf_handle_fd(fi), buf, size, off);
	pthread_mutex_unlock(&rf_handle(fi)->h_lock);
	if (n == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, (size_t)n);
	free(buf);
}

void
rf_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	ssize_t n;

	n = rump_sys_pwrite(rf_handle_fd(fi), buf, size, off);
	if (n == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_write(req, (size_t)n);
}

/* close(2) of one host descriptor, when the host sends it anyway: the
 * kernel file stays open until release. */
void
rf_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	fuse_reply_err(req, 0);
}

void
rf_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	fuse_reply_err(req, rf_handle_close(fi));
}

void
rf_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	int rv;

	rv = datasync ? rump_sys_fdatasync(rf_handle_fd(fi)) :
	    rump_sys_fsync(rf_handle_fd(fi));
	fuse_reply_err(req, rv == -1 ? errno : 0);
}
