/*
 * rump_syscalls.c: the rump_sys_* functions of the local API.  Each one
 * packs its arguments into the raw argument words of the Linux system
 * call and enters the kernel through rump_syscall_local(); the prototypes
 * come from <rump/rump_syscalls.h> so the compiler checks them.
 *
 * Compiled a second time with -DRUMPCLIENT (without the rumpns_ renaming)
 * for librumpclient: then each call goes to a remote kernel through
 * rumpclient_sys(), which also needs the number of argument words.
 */
#include <kern/types.h>
#include <kern/syscall.h>
#include <abi/fcntl.h>
#include <rump/rump_syscalls.h>

#define A(x)	((register_t)(x))
#define P(x)	((register_t)(uintptr_t)(x))
#ifdef RUMPCLIENT
#include <rump/rumpclient.h>
#define NARGS(...) \
	(sizeof((const register_t[]){ __VA_ARGS__ }) / sizeof(register_t))
#define SYS(num, ...) \
	rumpclient_sys(SYS_##num, (const register_t[]){ __VA_ARGS__ }, \
	    NARGS(__VA_ARGS__))
#define SYS0(num) \
	rumpclient_sys(SYS_##num, NULL, 0)
#else
#define SYS(num, ...) \
	rump_syscall_local(SYS_##num, (const register_t[]){ __VA_ARGS__ })
#define SYS0(num) \
	rump_syscall_local(SYS_##num, (const register_t[]){ 0 })
#endif

static mode_t
openmode(int flags, va_list ap)
{

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

int
rump_sys_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = openmode(flags, ap);
	va_end(ap);
	return (int)SYS(open, P(path), A(flags), A(mode));
}

int
rump_sys_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = openmode(flags, ap);
	va_end(ap);
	return (int)SYS(openat, A(dirfd), P(path), A(flags), A(mode));
}

int
rump_sys_creat(const char *path, mode_t mode)
{

	return (int)SYS(creat, P(path), A(mode));
}

int
rump_sys_close(int fd)
{

	return (int)SYS(close, A(fd));
}

ssize_t
rump_sys_read(int fd, void *buf, size_t n)
{

	return SYS(read, A(fd), P(buf), A(n));
}

ssize_t
rump_sys_write(int fd, const void *buf, size_t n)
{

	return SYS(write, A(fd), P(buf), A(n));
}

ssize_t
rump_sys_pread(int fd, void *buf, size_t n, off_t off)
{

	return SYS(pread64, A(fd), P(buf), A(n), A(off));
}

ssize_t
rump_sys_pwrite(int fd, const void *buf, size_t n, off_t off)
{

	return SYS(pwrite64, A(fd), P(buf), A(n), A(off));
}

ssize_t
rump_sys_readv(int fd, const struct iovec *iov, int cnt)
{

	return SYS(readv, A(fd), P(iov), A(cnt));
}

ssize_t
rump_sys_writev(int fd, const struct iovec *iov, int cnt)
{

	return SYS(writev, A(fd), P(iov), A(cnt));
}

off_t
rump_sys_lseek(int fd, off_t off, int whence)
{

	return SYS(lseek, A(fd), A(off), A(whence));
}

int
rump_sys_stat(const char *path, struct stat *st)
{

	return (int)SYS(stat, P(path), P(st));
}

int
rump_sys_lstat(const char *path, struct stat *st)
{

	return (int)SYS(lstat, P(path), P(st));
}

int
rump_sys_fstat(int fd, struct stat *st)
{

	return (int)SYS(fstat, A(fd), P(st));
}

int
rump_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{

	return (int)SYS(newfstatat, A(dirfd), P(path), P(st), A(flags));
}

int
rump_sys_statx(int dirfd, const char *path, int flags, unsigned int mask,
    struct statx *stx)
{

	return (int)SYS(statx, A(dirfd), P(path), A(flags), A(mask), P(stx));
}

ssize_t
rump_sys_getdents64(int fd, void *buf, size_t n)
{

	return SYS(getdents64, A(fd), P(buf), A(n));
}

int
rump_sys_mkdir(const char *path, mode_t mode)
{

	return (int)SYS(mkdir, P(path), A(mode));
}

int
rump_sys_mkdirat(int dirfd, const char *path, mode_t mode)
{

	return (int)SYS(mkdirat, A(dirfd), P(path), A(mode));
}

int
rump_sys_mknod(const char *path, mode_t mode, dev_t dev)
{

	return (int)SYS(mknod, P(path), A(mode), A(dev));
}

int
rump_sys_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{

	return (int)SYS(mknodat, A(dirfd), P(path), A(mode), A(dev));
}

int
rump_sys_rmdir(const char *path)
{

	return (int)SYS(rmdir, P(path));
}

int
rump_sys_unlink(const char *path)
{

	return (int)SYS(unlink, P(path));
}

int
rump_sys_unlinkat(int dirfd, const char *path, int flags)
{

	return (int)SYS(unlinkat, A(dirfd), P(path), A(flags));
}

int
rump_sys_rename(const char *from, const char *to)
{

	return (int)SYS(rename, P(from), P(to));
}

int
rump_sys_renameat(int fromfd, const char *from, int tofd, const char *to)
{

	return (int)SYS(renameat, A(fromfd), P(from), A(tofd), P(to));
}

int
rump_sys_renameat2(int fromfd, const char *from, int tofd, const char *to,
    unsigned int flags)
{

	return (int)SYS(renameat2, A(fromfd), P(from), A(tofd), P(to),
	    A(flags));
}

int
rump_sys_link(const char *from, const char *to)
{

	return (int)SYS(link, P(from), P(to));
}

int
rump_sys_linkat(int fromfd, const char *from, int tofd, const char *to,
    int flags)
{

	return (int)SYS(linkat, A(fromfd), P(from), A(tofd), P(to), A(flags));
}

int
rump_sys_symlink(const char *target, const char *path)
{

	return (int)SYS(symlink, P(target), P(path));
}

int
rump_sys_symlinkat(const char *target, int dirfd, const char *path)
{

	return (int)SYS(symlinkat, P(target), A(dirfd), P(path));
}

ssize_t
rump_sys_readlink(const char *path, char *buf, size_t n)
{

	return SYS(readlink, P(path), P(buf), A(n));
}

ssize_t
rump_sys_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{

	return SYS(readlinkat, A(dirfd), P(path), P(buf), A(n));
}

int
rump_sys_chmod(const char *path, mode_t mode)
{

	return (int)SYS(chmod, P(path), A(mode));
}

int
rump_sys_fchmod(int fd, mode_t mode)
{

	return (int)SYS(fchmod, A(fd), A(mode));
}

int
rump_sys_fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{

	return (int)SYS(fchmodat, A(dirfd), P(path), A(mode), A(flags));
}

int
rump_sys_chown(const char *path, uid_t uid, gid_t gid)
{

	return (int)SYS(chown, P(path), A(uid), A(gid));
}

int
rump_sys_lchown(const char *path, uid_t uid, gid_t gid)
{

	return (int)SYS(lchown, P(path), A(uid), A(gid));
}

int
rump_sys_fchown(int fd, uid_t uid, gid_t gid)
{

	return (int)SYS(fchown, A(fd), A(uid), A(gid));
}

int
rump_sys_fchownat(int dirfd, const char *path, uid_t uid, gid_t gid,
    int flags)
{

	return (int)SYS(fchownat, A(dirfd), P(path), A(uid), A(gid),
	    A(flags));
}

int
rump_sys_utimensat(int dirfd, const char *path, const struct timespec *ts,
    int flags)
{

	return (int)SYS(utimensat, A(dirfd), P(path), P(ts), A(flags));
}

int
rump_sys_futimens(int fd, const struct timespec *ts)
{

	return (int)SYS(utimensat, A(fd), P(NULL), P(ts), A(0));
}

int
rump_sys_truncate(const char *path, off_t len)
{

	return (int)SYS(truncate, P(path), A(len));
}

int
rump_sys_ftruncate(int fd, off_t len)
{

	return (int)SYS(ftruncate, A(fd), A(len));
}

int
rump_sys_fsync(int fd)
{

	return (int)SYS(fsync, A(fd));
}

int
rump_sys_fdatasync(int fd)
{

	return (int)SYS(fdatasync, A(fd));
}

void
rump_sys_sync(void)
{

	(void)SYS0(sync);
}

int
rump_sys_syncfs(int fd)
{

	return (int)SYS(syncfs, A(fd));
}

int
rump_sys_chdir(const char *path)
{

	return (int)SYS(chdir, P(path));
}

int
rump_sys_fchdir(int fd)
{

	return (int)SYS(fchdir, A(fd));
}

long
rump_sys_getcwd(char *buf, size_t n)
{

	return SYS(getcwd, P(buf), A(n));
}

mode_t
rump_sys_umask(mode_t mask)
{

	return (mode_t)SYS(umask, A(mask));
}

int
rump_sys_access(const char *path, int mode)
{

	return (int)SYS(access, P(path), A(mode));
}

int
rump_sys_faccessat(int dirfd, const char *path, int mode, int flags)
{

	return (int)SYS(faccessat2, A(dirfd), P(path), A(mode), A(flags));
}

int
rump_sys_statfs(const char *path, struct statfs *sf)
{

	return (int)SYS(statfs, P(path), P(sf));
}

int
rump_sys_fstatfs(int fd, struct statfs *sf)
{

	return (int)SYS(fstatfs, A(fd), P(sf));
}

int
rump_sys_mount(const char *src, const char *dst, const char *type,
    unsigned long flags, const void *data)
{

	return (int)SYS(mount, P(src), P(dst), P(type), A(flags), P(data));
}

int
rump_sys_umount(const char *path)
{

	return (int)SYS(umount2, P(path), A(0));
}

int
rump_sys_umount2(const char *path, int flags)
{

	return (int)SYS(umount2, P(path), A(flags));
}

int
rump_sys_pipe(int *fds)
{

	return (int)SYS(pipe, P(fds));
}

int
rump_sys_pipe2(int *fds, int flags)
{

	return (int)SYS(pipe2, P(fds), A(flags));
}

int
rump_sys_poll(struct pollfd *fds, unsigned long n, int timeout)
{

	return (int)SYS(poll, P(fds), A(n), A(timeout));
}

int
rump_sys_dup(int fd)
{

	return (int)SYS(dup, A(fd));
}

int
rump_sys_dup2(int fd, int to)
{

	return (int)SYS(dup2, A(fd), A(to));
}

int
rump_sys_dup3(int fd, int to, int flags)
{

	return (int)SYS(dup3, A(fd), A(to), A(flags));
}

int
rump_sys_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)SYS(fcntl, A(fd), A(cmd), A(arg));
}

int
rump_sys_ioctl(int fd, unsigned long cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return (int)SYS(ioctl, A(fd), A(cmd), P(arg));
}

pid_t
rump_sys_getpid(void)
{

	return (pid_t)SYS0(getpid);
}

pid_t
rump_sys_getppid(void)
{

	return (pid_t)SYS0(getppid);
}

uid_t
rump_sys_getuid(void)
{

	return (uid_t)SYS0(getuid);
}

uid_t
rump_sys_geteuid(void)
{

	return (uid_t)SYS0(geteuid);
}

gid_t
rump_sys_getgid(void)
{

	return (gid_t)SYS0(getgid);
}

gid_t
rump_sys_getegid(void)
{

	return (gid_t)SYS0(getegid);
}

int
rump_sys_setuid(uid_t uid)
{

	return (int)SYS(setuid, A(uid));
}

int
rump_sys_setgid(gid_t gid)
{

	return (int)SYS(setgid, A(gid));
}

int
rump_sys_setreuid(uid_t r, uid_t e)
{

	return (int)SYS(setreuid, A(r), A(e));
}

int
rump_sys_setregid(gid_t r, gid_t e)
{

	return (int)SYS(setregid, A(r), A(e));
}

int
rump_sys_setresuid(uid_t r, uid_t e, uid_t s)
{

	return (int)SYS(setresuid, A(r), A(e), A(s));
}

int
rump_sys_setresgid(gid_t r, gid_t e, gid_t s)
{

	return (int)SYS(setresgid, A(r), A(e), A(s));
}

int
rump_sys_getgroups(int n, gid_t *list)
{

	return (int)SYS(getgroups, A(n), P(list));
}

int
rump_sys_setgroups(size_t n, const gid_t *list)
{

	return (int)SYS(setgroups, A(n), P(list));
}

int
rump_sys_uname(struct utsname *u)
{

	return (int)SYS(uname, P(u));
}

int
rump_sys_sethostname(const char *name, size_t len)
{

	return (int)SYS(sethostname, P(name), A(len));
}

int
rump_sys_clock_gettime(int clk, struct timespec *ts)
{

	return (int)SYS(clock_gettime, A(clk), P(ts));
}

int
rump_sys_nanosleep(const struct timespec *req, struct timespec *rem)
{

	return (int)SYS(nanosleep, P(req), P(rem));
}

int
rump_sys_reboot(int magic, int magic2, unsigned int cmd, void *arg)
{

	return (int)SYS(reboot, A((unsigned int)magic),
	    A((unsigned int)magic2), A(cmd), P(arg));
}

int
rump_sys_sysctl(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{

	return (int)SYS(rump_sysctl, P(name), P(oldp), P(oldlenp), P(newp),
	    A(newlen));
}
