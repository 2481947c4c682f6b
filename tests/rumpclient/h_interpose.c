/*
 * h_interpose.c: a program that interposes the libc calls an LD_PRELOAD
 * library would (read, write, close, socket, poll, fork...) with traps,
 * then uses librumpclient: connect, calls whose buffers are copied both
 * ways, fork.  librumpclient must make its own host calls directly, so
 * no trap fires.  Exits 0; 1 after naming the trapped call; 2-7 when
 * a step of the work fails.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

/* Say which call was caught, without libc's interposable write. */
static void
trap(const char *name)
{
	static const char msg[] = "h_interpose: librumpclient called ";

	syscall(SYS_write, 2, msg, sizeof(msg) - 1);
	syscall(SYS_write, 2, name, strlen(name));
	syscall(SYS_write, 2, "\n", 1);
	syscall(SYS_exit_group, 1);
}

/* The traps: each is a libc function an interposer would replace. */
ssize_t
read(int fd, void *b, size_t n)
{
	trap("read");
	return -1;
}

ssize_t
write(int fd, const void *b, size_t n)
{
	trap("write");
	return -1;
}

ssize_t
recv(int fd, void *b, size_t n, int f)
{
	trap("recv");
	return -1;
}

ssize_t
recvmsg(int fd, struct msghdr *m, int f)
{
	trap("recvmsg");
	return -1;
}

ssize_t
send(int fd, const void *b, size_t n, int f)
{
	trap("send");
	return -1;
}

ssize_t
sendmsg(int fd, const struct msghdr *m, int f)
{
	trap("sendmsg");
	return -1;
}

int
close(int fd)
{
	trap("close");
	return -1;
}

int
socket(int d, int t, int p)
{
	trap("socket");
	return -1;
}

int
connect(int fd, const struct sockaddr *a, socklen_t l)
{
	trap("connect");
	return -1;
}

int
shutdown(int fd, int how)
{
	trap("shutdown");
	return -1;
}

int
setsockopt(int fd, int l, int o, const void *v, socklen_t n)
{
	trap("setsockopt");
	return -1;
}

int
fcntl(int fd, int cmd, ...)
{
	trap("fcntl");
	return -1;
}

int
dup(int fd)
{
	trap("dup");
	return -1;
}

int
dup2(int fd, int to)
{
	trap("dup2");
	return -1;
}

int
poll(struct pollfd *p, nfds_t n, int t)
{
	trap("poll");
	return -1;
}

pid_t
getpid(void)
{
	trap("getpid");
	return -1;
}

pid_t
fork(void)
{
	trap("fork");
	return -1;
}

int
execve(const char *p, char *const a[], char *const e[])
{
	trap("execve");
	return -1;
}

int
raise(int sig)
{
	trap("raise");
	return -1;
}

int
nanosleep(const struct timespec *a, struct timespec *b)
{
	trap("nanosleep");
	return -1;
}

void *
mmap(void *a, size_t l, int p, int f, int fd, off_t o)
{
	trap("mmap");
	return MAP_FAILED;
}

ssize_t
process_vm_readv(pid_t p, const struct iovec *l, unsigned long nl,
    const struct iovec *r, unsigned long nr, unsigned long f)
{
	trap("process_vm_readv");
	return -1;
}

ssize_t
process_vm_writev(pid_t p, const struct iovec *l, unsigned long nl,
    const struct iovec *r, unsigned long nr, unsigned long f)
{
	trap("process_vm_writev");
	return -1;
}

/* What the program does: 0 or a step number that failed. */
static int
work(void)
{
	char buf[16] = "";
	struct stat st;
	pid_t pid;
	int fd, status;

	if (rumpclient_init() != 0)
		return 2;
	if ((fd = rump_sys_open("/f", O_RDWR | O_CREAT, 0600)) == -1)
		return 3;
	if (rump_sys_write(fd, "trap", 4) != 4 ||
	    rump_sys_pread(fd, buf, 4, 0) != 4 || strcmp(buf, "trap") != 0)
		return 4;
	if (rump_sys_fstat(fd, &st) != 0 || st.st_size != 4)
		return 5;
	if ((pid = rumpclient_fork()) == -1)
		return 6;
	if (pid == 0)
		syscall(SYS_exit_group, rump_sys_fstat(fd, &st) == 0 ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 7;
	return 0;
}

int
main(void)
{
	static const char msg[] = "h_interpose: a step failed\n";
	int rv = work();

	if (rv != 0)
		syscall(SYS_write, 2, msg, sizeof(msg) - 1);
	return rv;
}
