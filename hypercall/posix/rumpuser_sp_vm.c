/*
 * rumpuser_sp_vm.c: direct access to a local client's memory.
 *
 * A client on the unix socket that runs as the server's own user, in a
 * pid namespace the server sees, can be read and written with
 * process_vm_readv/writev: a copy is then one system call with no round
 * trip.  The client is named by a pidfd taken at the handshake, and each
 * copy first checks that the pidfd's process still holds its pid (it
 * cannot be reused before the client is reaped).  Anything short of a
 * full transfer (EPERM from a ptrace policy, a bad address, a client
 * gone) returns false and the caller falls back to the protocol's copy
 * requests, which give the client's own answer.  c_vmpid and c_vmfd are
 * constant once the handshake is done.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rumpuser_int.h"
#include "rumpuser_sp_int.h"

void
sp_vm_attach(struct sp_conn *c)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (!c->c_unix || c->c_fd == -1 || c->c_vmfd != -1 ||
	    getsockopt(c->c_fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1 ||
	    uc.pid <= 0 || uc.uid != geteuid())
		return;
	if ((c->c_vmfd = pidfd_open(uc.pid, 0)) != -1)
		c->c_vmpid = uc.pid;
}

void
sp_vm_detach(struct sp_conn *c)
{
	if (c->c_vmfd != -1)
		close(c->c_vmfd);
	c->c_vmfd = -1;
}

/* Move len bytes between our laddr and the client's raddr. */
static bool
sp_vm_xfer(struct sp_conn *c, void *laddr, uint64_t raddr, size_t len,
    bool write)
{
	struct iovec liov = { .iov_base = laddr, .iov_len = len };
	struct iovec riov = { .iov_base = (void *)(uintptr_t)raddr,
	    .iov_len = len };
	ssize_t n;

	if (c->c_vmfd == -1 || len == 0 ||
	    pidfd_send_signal(c->c_vmfd, 0, NULL, 0) == -1)
		return false;
	if (write)
		n = process_vm_writev(c->c_vmpid, &liov, 1, &riov, 1, 0);
	else
		n = process_vm_readv(c->c_vmpid, &liov, 1, &riov, 1, 0);
	return n == (ssize_t)len;
}

bool
sp_vm_read(struct sp_conn *c, uint64_t raddr, void *laddr, size_t len)
{
	return sp_vm_xfer(c, laddr, raddr, len, false);
}

bool
sp_vm_write(struct sp_conn *c, const void *laddr, uint64_t raddr,
    size_t len)
{
	return sp_vm_xfer(c, (void *)(uintptr_t)laddr, raddr, len, true);
}

/* The client's string at raddr, at most *lenp bytes with its NUL: true
 * and its length in *lenp, or false (not found whole: ask the client). */
bool
sp_vm_readstr(struct sp_conn *c, uint64_t raddr, char *laddr, size_t *lenp)
{
	const size_t page = 4096;
	size_t done = 0, chunk;
	char *nul;

	while (done < *lenp) {
		chunk = page - (size_t)((raddr + done) % page);
		if (chunk > *lenp - done)
			chunk = *lenp - done;
		if (!sp_vm_read(c, raddr + done, laddr + done, chunk))
			return false;
		if ((nul = memchr(laddr + done, '\0', chunk)) != NULL) {
			*lenp = (size_t)(nul - laddr) + 1;
			return true;
		}
		done += chunk;
	}
	return false;
}
