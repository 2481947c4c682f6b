/*
 * rumpuser_file.c: host files for the kernel (etfs, block devices).
 *
 * Owns open/close, file type and size queries, and the synchronous
 * vectored I/O and sync calls.  Host I/O may block, so those release
 * the virtual CPU around the system call.  Asynchronous block I/O is in
 * rumpuser_bio.c.
 */
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/fs.h>

#include "rumpuser_int.h"

/* The kernel's iovec is passed to the host as is. */
_Static_assert(sizeof(struct rumpuser_iovec) == sizeof(struct iovec),
    "rumpuser_iovec is not a struct iovec");
_Static_assert(offsetof(struct rumpuser_iovec, iov_len) ==
    offsetof(struct iovec, iov_len), "rumpuser_iovec is not a struct iovec");

static int
open_flags(int mode, int *flagsp)
{
	static const int accmode[] = { O_RDONLY, O_WRONLY, O_RDWR };
	int flags;

	if ((mode & RUMPUSER_OPEN_ACCMODE) == RUMPUSER_OPEN_ACCMODE)
		return EINVAL;
	flags = accmode[mode & RUMPUSER_OPEN_ACCMODE] | O_CLOEXEC;
	if (mode & RUMPUSER_OPEN_CREATE)
		flags |= O_CREAT;
	if (mode & RUMPUSER_OPEN_EXCL)
		flags |= O_EXCL;
	*flagsp = flags;
	return 0;
}

/* Opening may block (a fifo, a slow device): release the CPU. */
int
rumpuser_open(const char *name, int mode, int *fdp)
{
	int error, flags, fd, nlocks;

	if ((error = open_flags(mode, &flags)) != 0)
		return errtokern(error);
	cpu_release(&nlocks, NULL);
	fd = open(name, flags, 0644);
	cpu_retake(nlocks, NULL);
	if (fd == -1)
		return errtokern(errno);
	*fdp = fd;
	return 0;
}

int
rumpuser_close(int fd)
{
	if (close(fd) == -1)
		return errtokern(errno);
	return 0;
}

static int
blkdev_size(const char *name, uint64_t *sizep)
{
	int fd, error = 0;

	if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1)
		return errno;
	if (ioctl(fd, BLKGETSIZE64, sizep) == -1)
		error = errno;
	close(fd);
	return error;
}

int
rumpuser_getfileinfo(const char *name, uint64_t *sizep, int *typep)
{
	struct stat sb;
	uint64_t size = 0;
	int type, error = 0;

	if (stat(name, &sb) == -1)
		return errtokern(errno);
	switch (sb.st_mode & S_IFMT) {
	case S_IFREG:
		type = RUMPUSER_FT_REG;
		size = (uint64_t)sb.st_size;
		break;
	case S_IFBLK:
		type = RUMPUSER_FT_BLK;
		if (sizep != NULL)
			error = blkdev_size(name, &size);
		break;
	case S_IFDIR:
		type = RUMPUSER_FT_DIR;
		break;
	case S_IFCHR:
		type = RUMPUSER_FT_CHR;
		break;
	default:
		type = RUMPUSER_FT_OTHER;
		break;
	}
	if (error != 0)
		return errtokern(error);
	if (sizep != NULL)
		*sizep = size;
	if (typep != NULL)
		*typep = type;
	return 0;
}

/* Vectored I/O at off, or at the file position for RUMPUSER_IOV_NOSEEK. */
static int
iov_io(int fd, const struct iovec *iov, size_t iovlen, int64_t off,
    int dowrite, size_t *retv)
{
	ssize_t n;
	int nlocks;

	if (iovlen > INT_MAX)
		return errtokern(EINVAL);
	cpu_release(&nlocks, NULL);
	do {
		if (off == RUMPUSER_IOV_NOSEEK)
			n = dowrite ? writev(fd, iov, (int)iovlen) :
			    readv(fd, iov, (int)iovlen);
		else
			n = dowrite ? pwritev(fd, iov, (int)iovlen, off) :
			    preadv(fd, iov, (int)iovlen, off);
	} while (n == -1 && errno == EINTR);
	cpu_retake(nlocks, NULL);
	if (n == -1)
		return errtokern(errno);
	*retv = (size_t)n;
	return 0;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	return iov_io(fd, (const struct iovec *)ruiov, iovlen, off, 0, retv);
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	return iov_io(fd, (const struct iovec *)ruiov, iovlen, off, 1, retv);
}

/* Ranges are not used: the host syncs the whole file. */
int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	int rv, nlocks;

	if ((flags & (RUMPUSER_SYNCFD_WRITE | RUMPUSER_SYNCFD_BARRIER |
	    RUMPUSER_SYNCFD_SYNC)) == 0)
		return 0;
	cpu_release(&nlocks, NULL);
	do {
		if (flags & RUMPUSER_SYNCFD_SYNC)
			rv = fsync(fd);
		else
			rv = fdatasync(fd);
	} while (rv == -1 && errno == EINTR);
	cpu_retake(nlocks, NULL);
	if (rv == -1)
		return errtokern(errno);
	return 0;
}
