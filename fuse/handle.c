/*
 * handle.c: open files and directories.  The fi->fh of an open file or
 * directory points to its rf_handle, which holds the kernel descriptor.
 * Reads of one file are served one at a time, in the order the host
 * sends them, so that the kernel's read-ahead sees a sequential stream
 * (concurrent, reordered reads of one file defeat it and made cold reads
 * two to three times slower); the same lock makes readdir's seek and
 * read one step.  Reads of different files run in parallel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include <rump/rump_syscalls.h>

#include "rump_fuse.h"

/* Give the kernel descriptor fd a handle in fi; ENOMEM leaves fd open. */
int
rf_handle_new(int fd, struct fuse_file_info *fi)
{
	struct rf_handle *h;

	h = malloc(sizeof(*h));
	if (h == NULL)
		return ENOMEM;
	h->h_fd = fd;
	pthread_mutex_init(&h->h_lock, NULL);
	fi->fh = (uint64_t)(uintptr_t)h;
	return 0;
}

/* Open node ino in the kernel with flags and give it a handle in fi. */
int
rf_handle_open(fuse_ino_t ino, int flags, struct fuse_file_info *fi)
{
	char path[PATH_MAX];
	int error, fd = -1;

	node_ns_rdlock();
	error = node_path(ino, path, sizeof(path));
	if (error == 0) {
		fd = rump_sys_openat(AT_FDCWD, path, flags | O_NOFOLLOW);
		if (fd == -1)
			error = errno;
	}
	node_ns_unlock();
	if (error == 0 && (error = rf_handle_new(fd, fi)) != 0)
		rump_sys_close(fd);
	return error;
}

struct rf_handle *
rf_handle(const struct fuse_file_info *fi)
{

	return (struct rf_handle *)(uintptr_t)fi->fh;
}

int
rf_handle_fd(const struct fuse_file_info *fi)
{

	return rf_handle(fi)->h_fd;
}

/* Close the descriptor and free the handle; the close error, or 0. */
int
rf_handle_close(struct fuse_file_info *fi)
{
	struct rf_handle *h = rf_handle(fi);
	int error;

	error = rump_sys_close(h->h_fd) == -1 ? errno : 0;
	pthread_mutex_destroy(&h->h_lock);
	free(h);
	return error;
}
