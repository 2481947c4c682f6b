/*
 * rumpclient_host.c: librumpclient's own calls into the host kernel.
 *
 * A library that interposes libc (librumphijack, LD_PRELOAD) turns the
 * program's read, close, poll... into rump system calls.  librumpclient
 * must not be caught by that, so every host system call it makes goes
 * through the raw wrappers here (syscall(2), never the libc symbol of
 * the same name).  fork is the exception: glibc's fork runs the
 * pthread_atfork handlers and resets its own locks in the child, so the
 * real libc fork is looked up past any interposer.  The wrappers return
 * as the libc calls do (-1 with errno).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/lib-names.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rumpclient_int.h"

int
rc_hsocket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}

int
rc_hconnect(int fd, const struct sockaddr *sa, socklen_t len)
{
	return (int)syscall(SYS_connect, fd, sa, len);
}

int
rc_hsetsockopt(int fd, int level, int name, const void *val,
    socklen_t len)
{
	return (int)syscall(SYS_setsockopt, fd, level, name, val, len);
}

int
rc_hshutdown(int fd, int how)
{
	return (int)syscall(SYS_shutdown, fd, how);
}

ssize_t
rc_hread(int fd, void *buf, size_t len)
{
	return syscall(SYS_read, fd, buf, len);
}

ssize_t
rc_hsendmsg(int fd, const struct msghdr *msg, int flags)
{
	return syscall(SYS_sendmsg, fd, msg, flags);
}

int
rc_hclose(int fd)
{
	return (int)syscall(SYS_close, fd);
}

int
rc_hfcntl(int fd, int cmd, long arg)
{
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}

pid_t
rc_hgetpid(void)
{
	return (pid_t)syscall(SYS_getpid);
}

int
rc_hexecve(const char *path, char *const argv[], char *const envp[])
{
	return (int)syscall(SYS_execve, path, argv, envp);
}

int
rc_hsleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	return (int)syscall(SYS_nanosleep, &ts, NULL);
}

ssize_t
rc_hvmxfer(void *local, uint64_t remote, size_t len, bool write)
{
	struct iovec l = { local, len };
	struct iovec r = { (void *)(uintptr_t)remote, len };

	return syscall(write ? SYS_process_vm_writev : SYS_process_vm_readv,
	    rc_hgetpid(), &l, 1UL, &r, 1UL, 0UL);
}

void *
rc_hmmap_anon(size_t len)
{
	return (void *)syscall(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
}

int
rc_hraise(int sig)
{
	return (int)syscall(SYS_tgkill, rc_hgetpid(), syscall(SYS_gettid),
	    sig);
}

/*
 * The real fork: the next definition after ours, else libc's own (when
 * this library was loaded after libc, as a dependency of an LD_PRELOAD
 * interposer is), else whatever the program links (a static program).
 */
pid_t
rc_hfork(void)
{
	static pid_t (*realfork)(void);
	pid_t (*f)(void);
	void *libc;

	if ((f = __atomic_load_n(&realfork, __ATOMIC_ACQUIRE)) == NULL) {
		f = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
		libc = dlopen(LIBC_SO, RTLD_LAZY | RTLD_NOLOAD);
		if (f == NULL && libc != NULL)
			f = (pid_t (*)(void))dlsym(libc, "fork");
		if (libc != NULL)
			dlclose(libc);
		if (f == NULL)
			f = fork;
		__atomic_store_n(&realfork, f, __ATOMIC_RELEASE);
	}
	return f();
}
