/*
 * rumpclient_serve.c: the server's requests into this process's memory.
 *
 * While a system call runs, the kernel reads and writes the caller's
 * buffers by asking us (SP_COPYIN, SP_COPYINSTR, SP_COPYOUT,
 * SP_COPYOUTSTR), may ask for anonymous memory (SP_ANONMMAP) or for a
 * signal (SP_RAISE).  Memory is accessed with process_vm_readv/writev on
 * ourselves, so a bad address is an EFAULT reply, never a crash (where
 * those calls are unavailable, only the first page is refused).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rumpclient_int.h"

#define RC_PAGE		4096

/* Copy len bytes from (write: to) our own address addr; 0 or EFAULT. */
static int
rc_memxfer(uint64_t addr, void *buf, size_t len, bool write)
{
	void *mem = (void *)(uintptr_t)addr;
	ssize_t n;

	n = rc_hvmxfer(buf, addr, len, write);
	if (n == (ssize_t)len)
		return 0;
	if (n != -1 || (errno != ENOSYS && errno != EPERM))
		return EFAULT;
	if (addr < RC_PAGE || addr + len < addr)
		return EFAULT;
	if (write)
		memcpy(mem, buf, len);
	else
		memcpy(buf, mem, len);
	return 0;
}

static int
rc_reply(int fd, int type, uint64_t reqno, int error, const void *data,
    size_t len)
{
	unsigned char head[8];

	sp_put32(head, (uint32_t)error);
	sp_put32(head + 4, 0);
	return rc_send(fd, type, reqno, head, sizeof(head), data,
	    error == 0 ? len : 0);
}

/* The string at addr, at most max bytes with its NUL, into buf. */
static int
rc_readstr(uint64_t addr, char *buf, size_t max, size_t *lenp)
{
	size_t done = 0, chunk;
	char *nul;

	while (done < max) {
		chunk = RC_PAGE - (size_t)((addr + done) % RC_PAGE);
		if (chunk > max - done)
			chunk = max - done;
		if (rc_memxfer(addr + done, buf + done, chunk, false) != 0)
			return EFAULT;
		if ((nul = memchr(buf + done, '\0', chunk)) != NULL) {
			*lenp = (size_t)(nul - buf) + 1;
			return 0;
		}
		done += chunk;
	}
	return ENAMETOOLONG;
}

static int
rc_copyin(int fd, const struct sp_hdr *h, const unsigned char *p)
{
	uint64_t addr = sp_get64(p), len = sp_get64(p + 8);
	size_t slen = 0;
	char *buf;
	int error;

	if (len > SP_MAXCOPY)
		return EPROTO;
	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		return ENOMEM;
	if (h->type == SP_COPYIN) {
		error = rc_memxfer(addr, buf, len, false);
		slen = len;
	} else
		error = rc_readstr(addr, buf, len, &slen);
	error = rc_reply(fd, h->type + 1, h->reqno, error, buf, slen);
	free(buf);
	return error;
}

static int
rc_copyout(int fd, const struct sp_hdr *h)
{
	unsigned char head[8];
	size_t len = h->len - 8;
	char *buf;
	int error;

	if (h->len < 8 || len > SP_MAXCOPY)
		return EPROTO;
	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		return ENOMEM;
	error = rc_read(fd, head, sizeof(head));
	if (error == 0)
		error = rc_read(fd, buf, len);
	if (error == 0)
		error = rc_reply(fd, h->type + 1, h->reqno,
		    rc_memxfer(sp_get64(head), buf, len, true), NULL, 0);
	free(buf);
	return error;
}

static int
rc_anonmmap(int fd, const struct sp_hdr *h, const unsigned char *p)
{
	unsigned char addr[8];
	void *m;

	m = rc_hmmap_anon(sp_get64(p));
	if (m == MAP_FAILED)
		return rc_reply(fd, SP_ANONMMAP_RESP, h->reqno, errno, NULL, 0);
	sp_put64(addr, (uint64_t)(uintptr_t)m);
	return rc_reply(fd, SP_ANONMMAP_RESP, h->reqno, 0, addr, sizeof(addr));
}

int
rc_serve(int fd, const struct sp_hdr *h)
{
	unsigned char p[16];
	int error;

	if (h->type == SP_COPYOUT || h->type == SP_COPYOUTSTR)
		return rc_copyout(fd, h);
	if ((h->type == SP_COPYIN || h->type == SP_COPYINSTR) && h->len == 16) {
		if ((error = rc_read(fd, p, 16)) != 0)
			return error;
		return rc_copyin(fd, h, p);
	}
	if ((h->type == SP_ANONMMAP || h->type == SP_RAISE) && h->len == 8) {
		if ((error = rc_read(fd, p, 8)) != 0)
			return error;
		if (h->type == SP_ANONMMAP)
			return rc_anonmmap(fd, h, p);
		rc_hraise((int)sp_get32(p));
		return 0;
	}
	return EPROTO;
}
