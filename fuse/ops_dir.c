/*
 * ops_dir.c: FUSE operations on open directories: opendir, readdir,
 * readdirplus, releasedir, fsyncdir.  An open directory is one kernel
 * descriptor in a handle (handle.c).  FUSE offsets are the kernel's
 * getdents64 d_off cookies, so each readdir seeks the descriptor to the
 * offset it is given and reads from there, under the handle's lock:
 * offsets stay valid across calls and entries that did not fit in one
 * answer come again in the next.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "rump_fuse.h"

/* Linux's struct dirent64, as the kernel's getdents64 writes it. */
struct kdirent {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;
	uint8_t		d_type;
	char		d_name[];
};

void
rf_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int error;

	error = rf_handle_open(ino, O_RDONLY | O_DIRECTORY, fi);
	if (error != 0) {
		fuse_reply_err(req, error);
		return;
	}
	if (fuse_reply_open(req, fi) != 0)
		rf_handle_close(fi);
}

static bool
is_dot(const char *name)
{

	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Add one entry to out; returns its size, larger than room when it did
 * not fit (nothing is then added and no lookup is kept). */
static size_t
add_entry(fuse_req_t req, fuse_ino_t dir, bool plus, const struct kdirent *d,
    char *out, size_t room)
{
	struct fuse_entry_param e;
	size_t len;
	bool looked = false;

	memset(&e, 0, sizeof(e));
	e.attr.st_ino = (ino_t)d->d_ino;
	e.attr.st_mode = (mode_t)d->d_type << 12;
	if (!plus)
		return fuse_add_direntry(req, out, room, d->d_name, &e.attr,
		    d->d_off);
	if (!is_dot(d->d_name) && rf_entry(dir, d->d_name, &e) == 0)
		looked = true;
	else {
		memset(&e, 0, sizeof(e));
		e.attr.st_ino = (ino_t)d->d_ino;
		e.attr.st_mode = (mode_t)d->d_type << 12;
	}
	len = fuse_add_direntry_plus(req, out, room, d->d_name, &e, d->d_off);
	if (len > room && looked)
		node_forget(e.ino, 1);
	return len;
}

/* Fill out (size bytes) from the kernel directory at offset off. */
static int
fill(fuse_req_t req, fuse_ino_t dir, int fd, bool plus, off_t off,
    char *out, size_t size, size_t *usedp)
{
	char *kbuf;
	const struct kdirent *d;
	size_t used = 0, len;
	ssize_t n, pos;
	int error = 0;

	kbuf = malloc(size);
	if (kbuf == NULL)
		return ENOMEM;
	if (rump_sys_lseek(fd, off, SEEK_SET) == -1 ||
	    (n = rump_sys_getdents64(fd, kbuf, size)) == -1) {
		free(kbuf);
		return errno;
	}
	for (pos = 0; pos < n; pos += d->d_reclen) {
		d = (const struct kdirent *)(const void *)(kbuf + pos);
		if (d->d_reclen < offsetof(struct kdirent, d_name) + 1 ||
		    d->d_reclen > (size_t)(n - pos)) {
			error = EIO;
			break;
		}
		len = add_entry(req, dir, plus, d, out + used, size - used);
		if (len > size - used)
			break;
		used += len;
	}
	free(kbuf);
	*usedp = used;
	return used > 0 ? 0 : error;
}

static void
readdir_common(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi, bool plus)
{
	char *out;
	size_t used = 0;
	int error;

	out = malloc(size > 0 ? size : 1);
	if (out == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (plus)
		node_ns_rdlock();
	pthread_mutex_lock(&rf_handle(fi)->h_lock);
	error = fill(req, ino, rf_handle_fd(fi), plus, off, out, size, &used);
	pthread_mutex_unlock(&rf_handle(fi)->h_lock);
	if (plus)
		node_ns_unlock();
	if (error != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_buf(req, out, used);
	free(out);
}

void
rf_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{

	readdir_common(req, ino, size, off, fi, false);
}

void
rf_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{

	readdir_common(req, ino, size, off, fi, true);
}

void
rf_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	fuse_reply_err(req, rf_handle_close(fi));
}

void
rf_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{

	fuse_reply_err(req, rump_sys_fsync(rf_handle_fd(fi)) == -1 ? errno :
	    0);
}
