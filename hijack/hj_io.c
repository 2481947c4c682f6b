/*
 * hj_io.c: calls on descriptors: read, write and their positioned and
 * vectored forms, lseek, fsync, ftruncate, posix_fadvise, the calls the
 * kernel lacks (fallocate, flock: emulated or refused), and the copy
 * shortcuts (copy_file_range, sendfile) that cannot cross into the
 * kernel.  A kernel descriptor number goes to the kernel, anything else
 * to libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_DECLREAL(read);
HJ_DECLREAL(write);
HJ_DECLREAL(pread);
HJ_DECLREAL(pread64);
HJ_DECLREAL(pwrite);
HJ_DECLREAL(pwrite64);
HJ_DECLREAL(readv);
HJ_DECLREAL(writev);
HJ_DECLREAL(preadv);
HJ_DECLREAL(preadv64);
HJ_DECLREAL(pwritev);
HJ_DECLREAL(pwritev64);
HJ_DECLREAL(lseek);
HJ_DECLREAL(lseek64);
HJ_DECLREAL(fsync);
HJ_DECLREAL(fdatasync);
HJ_DECLREAL(syncfs);
HJ_DECLREAL(sync);
HJ_DECLREAL(ftruncate);
HJ_DECLREAL(ftruncate64);
HJ_DECLREAL(posix_fadvise);
HJ_DECLREAL(posix_fadvise64);
HJ_DECLREAL(fallocate);
HJ_DECLREAL(fallocate64);
HJ_DECLREAL(posix_fallocate);
HJ_DECLREAL(posix_fallocate64);
HJ_DECLREAL(flock);
HJ_DECLREAL(copy_file_range);
HJ_DECLREAL(sendfile);
HJ_DECLREAL(sendfile64);

/* The kernel descriptor for fd, or -1 when the call goes to libc. */
static int
hj_k(int fd)
{
	return hj_inside ? -1 : hj_kfd(fd);
}

ssize_t
read(int fd, void *buf, size_t len)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(read)(fd, buf, len);
	return HJ_K(rump_sys_read(k, buf, len));
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(write)(fd, buf, len);
	return HJ_K(rump_sys_write(k, buf, len));
}

ssize_t
pread(int fd, void *buf, size_t len, off_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(pread)(fd, buf, len, off);
	return HJ_K(rump_sys_pread(k, buf, len, off));
}

ssize_t
pread64(int fd, void *buf, size_t len, off64_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(pread64)(fd, buf, len, off);
	return HJ_K(rump_sys_pread(k, buf, len, off));
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(pwrite)(fd, buf, len, off);
	return HJ_K(rump_sys_pwrite(k, buf, len, off));
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(pwrite64)(fd, buf, len, off);
	return HJ_K(rump_sys_pwrite(k, buf, len, off));
}

ssize_t
readv(int fd, const struct iovec *iov, int n)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(readv)(fd, iov, n);
	return HJ_K(rump_sys_readv(k, iov, n));
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(writev)(fd, iov, n);
	return HJ_K(rump_sys_writev(k, iov, n));
}

/* preadv/pwritev on kernel descriptor k, one pread/pwrite per vector. */
static ssize_t
hj_kpv(int k, const struct iovec *iov, int n, off_t off, bool wr)
{
	ssize_t total = 0, r;
	int i;

	if (n < 0 || n > IOV_MAX || off < 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++) {
		r = wr ? HJ_K(rump_sys_pwrite(k, iov[i].iov_base,
		    iov[i].iov_len, off + total)) :
		    HJ_K(rump_sys_pread(k, iov[i].iov_base, iov[i].iov_len,
		    off + total));
		if (r == -1)
			return total > 0 ? total : -1;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

ssize_t
preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(preadv)(fd, iov, n, off);
	return hj_kpv(k, iov, n, off, false);
}

ssize_t
preadv64(int fd, const struct iovec *iov, int n, off64_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(preadv64)(fd, iov, n, off);
	return hj_kpv(k, iov, n, off, false);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(pwritev)(fd, iov, n, off);
	return hj_kpv(k, iov, n, off, true);
}

ssize_t
pwritev64(int fd, const struct iovec *iov, int n, off64_t off)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(pwritev64)(fd, iov, n, off);
	return hj_kpv(k, iov, n, off, true);
}

off_t
lseek(int fd, off_t off, int whence)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(lseek)(fd, off, whence);
	return HJ_K(rump_sys_lseek(k, off, whence));
}

off64_t
lseek64(int fd, off64_t off, int whence)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(lseek64)(fd, off, whence);
	return HJ_K(rump_sys_lseek(k, off, whence));
}

int
fsync(int fd)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(fsync)(fd);
	return HJ_K(rump_sys_fsync(k));
}

int
fdatasync(int fd)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(fdatasync)(fd);
	return HJ_K(rump_sys_fdatasync(k));
}

int
syncfs(int fd)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(syncfs)(fd);
	return HJ_K(rump_sys_syncfs(k));
}

void
sync(void)
{
	HJ_REAL(sync)();
	if (!hj_inside && hj_connected()) {
		hj_inside++;
		rump_sys_sync();
		hj_inside--;
	}
}

int
ftruncate(int fd, off_t len)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(ftruncate)(fd, len);
	return HJ_K(rump_sys_ftruncate(k, len));
}

int
ftruncate64(int fd, off64_t len)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(ftruncate64)(fd, len);
	return HJ_K(rump_sys_ftruncate(k, len));
}

/* posix_fadvise on a kernel descriptor: advice is only advice. */
static int
hj_kfadvise(int k, off_t len, int advice)
{
	if (HJ_K(rump_sys_fcntl(k, F_GETFL)) == -1)
		return errno;
	if (len < 0 || advice < POSIX_FADV_NORMAL ||
	    advice > POSIX_FADV_NOREUSE)
		return EINVAL;
	return 0;
}

int
posix_fadvise(int fd, off_t off, off_t len, int advice)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(posix_fadvise)(fd, off, len, advice);
	return hj_kfadvise(k, len, advice);
}

int
posix_fadvise64(int fd, off64_t off, off64_t len, int advice)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(posix_fadvise64)(fd, off, len, advice);
	return hj_kfadvise(k, len, advice);
}

/*
 * The kernel has no fallocate: mode 0 (allocate, extending the size)
 * is done by extending the file, sparsely; hole punching and the other
 * modes fail with EOPNOTSUPP, so callers (cp) write zeros instead.
 * Returns 0 or an errno.
 */
static int
hj_kfallocate(int k, int mode, off_t off, off_t len)
{
	struct stat st;

	if (off < 0 || len <= 0)
		return EINVAL;
	if (mode != 0)
		return EOPNOTSUPP;
	if (HJ_K(rump_sys_fstat(k, &st)) == -1)
		return errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
	if (off > st.st_size - len &&
	    HJ_K(rump_sys_ftruncate(k, off + len)) == -1)
		return errno;
	return 0;
}

int
fallocate(int fd, int mode, off_t off, off_t len)
{
	int k = hj_k(fd), error;

	if (k == -1)
		return HJ_REAL(fallocate)(fd, mode, off, len);
	if ((error = hj_kfallocate(k, mode, off, len)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
fallocate64(int fd, int mode, off64_t off, off64_t len)
{
	int k = hj_k(fd), error;

	if (k == -1)
		return HJ_REAL(fallocate64)(fd, mode, off, len);
	if ((error = hj_kfallocate(k, mode, off, len)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
posix_fallocate(int fd, off_t off, off_t len)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(posix_fallocate)(fd, off, len);
	return hj_kfallocate(k, 0, off, len);
}

int
posix_fallocate64(int fd, off64_t off, off64_t len)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(posix_fallocate64)(fd, off, len);
	return hj_kfallocate(k, 0, off, len);
}

/* The kernel has no locks (fcntl locks fail with ENOLCK there too). */
int
flock(int fd, int op)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(flock)(fd, op);
	if (HJ_K(rump_sys_fcntl(k, F_GETFL)) == -1)
		return -1;
	errno = ENOLCK;
	return -1;
}

/*
 * In-kernel copy shortcuts: a kernel descriptor on either side fails
 * as Linux does across file systems, so callers fall back to read and
 * write.
 */
ssize_t
copy_file_range(int in, off64_t *inoff, int out, off64_t *outoff,
    size_t len, unsigned int flags)
{
	if (hj_k(in) == -1 && hj_k(out) == -1)
		return HJ_REAL(copy_file_range)(in, inoff, out, outoff, len,
		    flags);
	errno = EXDEV;
	return -1;
}

ssize_t
sendfile(int out, int in, off_t *off, size_t count)
{
	if (hj_k(in) == -1 && hj_k(out) == -1)
		return HJ_REAL(sendfile)(out, in, off, count);
	errno = EINVAL;
	return -1;
}

ssize_t
sendfile64(int out, int in, off64_t *off, size_t count)
{
	if (hj_k(in) == -1 && hj_k(out) == -1)
		return HJ_REAL(sendfile64)(out, in, off, count);
	errno = EINVAL;
	return -1;
}
