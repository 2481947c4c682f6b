/*
 * hj_desc.c: calls that manage descriptors rather than move data:
 * close, close_range, closefrom, dup, dup2, dup3, fcntl, ioctl, mmap of
 * a kernel file (private mappings are copies), and sendmsg, which must
 * not pass a kernel descriptor to another host process.  Host closes and
 * dup2s first move librumpclient's own descriptors out of the way
 * (rumpclient__closenotify); range closes skip them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_DECLREAL(close);
HJ_DECLREAL(close_range);
HJ_DECLREAL(closefrom);
HJ_DECLREAL(dup);
HJ_DECLREAL(dup2);
HJ_DECLREAL(dup3);
HJ_DECLREAL(fcntl);
HJ_DECLREAL(fcntl64);
HJ_DECLREAL(ioctl);
HJ_DECLREAL(mmap);
HJ_DECLREAL(mmap64);
HJ_DECLREAL(sendmsg);

static int
hj_k(int fd)
{
	return hj_inside ? -1 : hj_kfd(fd);
}

#define HJ_MAXOWN	8	/* librumpclient descriptors we skip */

/* Before a host close or dup2 onto fd: move librumpclient's away. */
static void
hj_spare(int fd, int variant)
{
	if (!hj_inside && hj_connected())
		HJ_K(rumpclient__closenotify(&fd, variant));
}

int
close(int fd)
{
	if (hj_k(fd) == -1) {
		hj_spare(fd, RUMPCLIENT_CLOSE_CLOSE);
		return HJ_REAL(close)(fd);
	}
	return hj_fdclose(fd);
}

/*
 * close_range on the host around librumpclient's descriptors; 0 or -1.
 */
static int
hj_hostrange(unsigned int lo, unsigned int hi, int flags)
{
	int own[HJ_MAXOWN], n = 0, i, j, t, rv = 0;

	if (!hj_inside && hj_connected())
		n = HJ_K(rumpclient__fds(own, HJ_MAXOWN));
	n = n < 0 ? 0 : n > HJ_MAXOWN ? HJ_MAXOWN : n;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && own[j - 1] > own[j]; j--) {
			t = own[j];
			own[j] = own[j - 1];
			own[j - 1] = t;
		}
	for (i = 0; i < n && rv == 0; i++) {
		if ((unsigned int)own[i] < lo || (unsigned int)own[i] > hi)
			continue;
		if ((unsigned int)own[i] > lo)
			rv = HJ_REAL(close_range)(lo, (unsigned int)own[i] - 1,
			    flags);
		if ((unsigned int)own[i] == hi)
			return rv;
		lo = (unsigned int)own[i] + 1;
	}
	return rv == 0 ? HJ_REAL(close_range)(lo, hi, flags) : rv;
}

int
close_range(unsigned int lo, unsigned int hi, int flags)
{
	unsigned int fd;
	int k;

	if (hj_inside)
		return HJ_REAL(close_range)(lo, hi, flags);
	if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
		for (fd = lo; fd <= hi && fd < HJ_MAXFD; fd++)
			if ((k = hj_kfd((int)fd)) != -1)
				HJ_K(rump_sys_fcntl(k, F_SETFD, FD_CLOEXEC));
	} else if (lo <= hi)
		hj_fdclose_range(lo, hi);
	return hj_hostrange(lo, hi, flags);
}

void
closefrom(int lo)
{
	if (hj_inside || lo < 0) {
		HJ_REAL(closefrom)(lo);
		return;
	}
	hj_fdclose_range((unsigned int)lo, HJ_MAXFD);
	(void)hj_hostrange((unsigned int)lo, ~0U, 0);
}

int
dup(int fd)
{
	int k = hj_k(fd), k2;

	if (k == -1)
		return HJ_REAL(dup)(fd);
	if ((k2 = HJ_K(rump_sys_dup(k))) == -1)
		return -1;
	return hj_fdinstall(k2, 0, false);
}

/* dup2/dup3 with a kernel descriptor on one side or both. */
static int
hj_dup3(int fd, int to, int flags, bool isdup2)
{
	int k = hj_k(fd), k2;

	if (k == -1) {
		hj_spare(to, RUMPCLIENT_CLOSE_DUP2);
		if ((isdup2 ? HJ_REAL(dup2)(fd, to) :
		    HJ_REAL(dup3)(fd, to, flags)) == -1)
			return -1;
		hj_fdforget(to);
		return to;
	}
	if (fd == to) {
		if (!isdup2) {
			errno = EINVAL;
			return -1;
		}
		return to;
	}
	if ((flags & ~O_CLOEXEC) != 0 || to < 0) {
		errno = (flags & ~O_CLOEXEC) != 0 ? EINVAL : EBADF;
		return -1;
	}
	if ((k2 = HJ_K(rump_sys_fcntl(k, (flags & O_CLOEXEC) ?
	    F_DUPFD_CLOEXEC : F_DUPFD, 0))) == -1)
		return -1;
	hj_spare(to, RUMPCLIENT_CLOSE_DUP2);
	if (hj_fdinstall_at(to, k2, (flags & O_CLOEXEC) != 0) == -1)
		return -1;
	return to;
}

int
dup2(int fd, int to)
{
	if (hj_inside)
		return HJ_REAL(dup2)(fd, to);
	if (hj_kfd(fd) == -1 && hj_kfd(to) == -1) {
		hj_spare(to, RUMPCLIENT_CLOSE_DUP2);
		return HJ_REAL(dup2)(fd, to);
	}
	return hj_dup3(fd, to, 0, true);
}

int
dup3(int fd, int to, int flags)
{
	if (hj_inside)
		return HJ_REAL(dup3)(fd, to, flags);
	if (hj_kfd(fd) == -1 && hj_kfd(to) == -1) {
		hj_spare(to, RUMPCLIENT_CLOSE_DUP2);
		return HJ_REAL(dup3)(fd, to, flags);
	}
	return hj_dup3(fd, to, flags, false);
}

/* fcntl on kernel descriptor k (number fd). */
static int
hj_kfcntl(int fd, int k, int cmd, unsigned long arg)
{
	int k2;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((long)arg < 0 || arg >= HJ_MAXFD) {
			errno = EINVAL;
			return -1;
		}
		if ((k2 = HJ_K(rump_sys_fcntl(k, cmd, 0))) == -1)
			return -1;
		return hj_fdinstall(k2, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_SETFD:
		return hj_fdsetfd(fd, k, (int)arg);
	default:
		return HJ_K(rump_sys_fcntl(k, cmd, arg));
	}
}

int
fcntl(int fd, int cmd, ...)
{
	unsigned long arg;
	va_list ap;
	int k = hj_k(fd);

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (k == -1)
		return HJ_REAL(fcntl)(fd, cmd, arg);
	return hj_kfcntl(fd, k, cmd, arg);
}

int
fcntl64(int fd, int cmd, ...)
{
	unsigned long arg;
	va_list ap;
	int k = hj_k(fd);

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (k == -1)
		return HJ_REAL(fcntl64)(fd, cmd, arg);
	return hj_kfcntl(fd, k, cmd, arg);
}

/*
 * ioctl: terminal requests (0x54xx) on a kernel file fail with ENOTTY
 * (so isatty() is 0) except FIONREAD and FIONBIO, which the kernel
 * knows; the rest go to the kernel.
 */
int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int k = hj_k(fd);

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (k == -1)
		return HJ_REAL(ioctl)(fd, req, arg);
	if ((req & 0xff00) == 0x5400 && req != FIONREAD && req != FIONBIO) {
		errno = ENOTTY;
		return -1;
	}
	return HJ_K(rump_sys_ioctl(k, req, arg));
}

/*
 * A private mapping of a kernel file is an anonymous mapping filled
 * with its contents; shared mappings cannot be kept coherent: ENODEV.
 */
static void *
hj_kmmap(void *addr, size_t len, int prot, int flags, int k, off_t off)
{
	size_t done = 0;
	ssize_t r = 0;
	void *p;
	int error;

	if (len == 0) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if ((flags & MAP_TYPE) != MAP_PRIVATE) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	p = HJ_REAL(mmap)(addr, len, PROT_READ | PROT_WRITE,
	    (flags & ~MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return p;
	while (done < len) {
		r = HJ_K(rump_sys_pread(k, (char *)p + done, len - done,
		    off + (off_t)done));
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	if ((done < len && r == -1) || mprotect(p, len, prot) == -1) {
		error = errno;
		munmap(p, len);
		errno = error;
		return MAP_FAILED;
	}
	return p;
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int k = (flags & MAP_ANONYMOUS) != 0 ? -1 : hj_k(fd);

	if (k == -1)
		return HJ_REAL(mmap)(addr, len, prot, flags, fd, off);
	return hj_kmmap(addr, len, prot, flags, k, off);
}

void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	int k = (flags & MAP_ANONYMOUS) != 0 ? -1 : hj_k(fd);

	if (k == -1)
		return HJ_REAL(mmap64)(addr, len, prot, flags, fd, off);
	return hj_kmmap(addr, len, prot, flags, k, off);
}

/* Does msg pass a kernel descriptor (SCM_RIGHTS)? */
static bool
hj_passeskfd(const struct msghdr *msg)
{
	struct cmsghdr *c;
	size_t i, n;
	int fd;

	for (c = CMSG_FIRSTHDR(msg); c != NULL;
	    c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (hj_kfd(fd) != -1)
				return true;
		}
	}
	return false;
}

ssize_t
sendmsg(int s, const struct msghdr *msg, int flags)
{
	static bool noted;

	if (hj_inside || msg == NULL || msg->msg_control == NULL ||
	    !hj_passeskfd(msg))
		return HJ_REAL(sendmsg)(s, msg, flags);
	if (!__atomic_exchange_n(&noted, true, __ATOMIC_RELAXED))
		hj_note("a rump kernel descriptor cannot be passed to a "
		    "host process (SCM_RIGHTS)");
	errno = EBADF;
	return -1;
}
