/*
 * rump_syscalls.h: system calls into the rump kernel.  Signatures, flags,
 * structures and errno values are Linux's (x86-64 layouts), so a Linux
 * program passes its own <fcntl.h> flags and struct stat.  Each call
 * returns what the Linux system call returns, or -1 with errno set.
 */
#ifndef _RUMP_RUMP_SYSCALLS_H_
#define _RUMP_RUMP_SYSCALLS_H_

#ifdef _KERNEL
#include <kern/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct stat;
struct statx;
struct statfs;
struct iovec;
struct pollfd;
struct timespec;
struct utsname;

int	rump_sys_open(const char *, int, ...);
int	rump_sys_openat(int, const char *, int, ...);
int	rump_sys_creat(const char *, mode_t);
int	rump_sys_close(int);
ssize_t	rump_sys_read(int, void *, size_t);
ssize_t	rump_sys_write(int, const void *, size_t);
ssize_t	rump_sys_pread(int, void *, size_t, off_t);
ssize_t	rump_sys_pwrite(int, const void *, size_t, off_t);
ssize_t	rump_sys_readv(int, const struct iovec *, int);
ssize_t	rump_sys_writev(int, const struct iovec *, int);
off_t	rump_sys_lseek(int, off_t, int);
int	rump_sys_stat(const char *, struct stat *);
int	rump_sys_lstat(const char *, struct stat *);
int	rump_sys_fstat(int, struct stat *);
int	rump_sys_fstatat(int, const char *, struct stat *, int);
int	rump_sys_statx(int, const char *, int, unsigned int, struct statx *);
ssize_t	rump_sys_getdents64(int, void *, size_t);
int	rump_sys_mkdir(const char *, mode_t);
int	rump_sys_mkdirat(int, const char *, mode_t);
int	rump_sys_mknod(const char *, mode_t, dev_t);
int	rump_sys_mknodat(int, const char *, mode_t, dev_t);
int	rump_sys_rmdir(const char *);
int	rump_sys_unlink(const char *);
int	rump_sys_unlinkat(int, const char *, int);
int	rump_sys_rename(const char *, const char *);
int	rump_sys_renameat(int, const char *, int, const char *);
int	rump_sys_renameat2(int, const char *, int, const char *, unsigned int);
int	rump_sys_link(const char *, const char *);
int	rump_sys_linkat(int, const char *, int, const char *, int);
int	rump_sys_symlink(const char *, const char *);
int	rump_sys_symlinkat(const char *, int, const char *);
ssize_t	rump_sys_readlink(const char *, char *, size_t);
ssize_t	rump_sys_readlinkat(int, const char *, char *, size_t);
int	rump_sys_chmod(const char *, mode_t);
int	rump_sys_fchmod(int, mode_t);
int	rump_sys_fchmodat(int, const char *, mode_t, int);
int	rump_sys_chown(const char *, uid_t, gid_t);
int	rump_sys_lchown(const char *, uid_t, gid_t);
int	rump_sys_fchown(int, uid_t, gid_t);
int	rump_sys_fchownat(int, const char *, uid_t, gid_t, int);
int	rump_sys_utimensat(int, const char *, const struct timespec *, int);
int	rump_sys_futimens(int, const struct timespec *);
int	rump_sys_truncate(const char *, off_t);
int	rump_sys_ftruncate(int, off_t);
int	rump_sys_fsync(int);
int	rump_sys_fdatasync(int);
void	rump_sys_sync(void);
int	rump_sys_syncfs(int);
int	rump_sys_chdir(const char *);
int	rump_sys_fchdir(int);
/* Linux semantics: returns the length including the NUL, or -1. */
long	rump_sys_getcwd(char *, size_t);
mode_t	rump_sys_umask(mode_t);
int	rump_sys_access(const char *, int);
int	rump_sys_faccessat(int, const char *, int, int);
int	rump_sys_statfs(const char *, struct statfs *);
int	rump_sys_fstatfs(int, struct statfs *);
int	rump_sys_mount(const char *, const char *, const char *,
	    unsigned long, const void *);
int	rump_sys_umount(const char *);
int	rump_sys_umount2(const char *, int);
int	rump_sys_pipe(int *);
int	rump_sys_pipe2(int *, int);
int	rump_sys_poll(struct pollfd *, unsigned long, int);
int	rump_sys_dup(int);
int	rump_sys_dup2(int, int);
int	rump_sys_dup3(int, int, int);
int	rump_sys_fcntl(int, int, ...);
int	rump_sys_ioctl(int, unsigned long, ...);
pid_t	rump_sys_getpid(void);
pid_t	rump_sys_getppid(void);
uid_t	rump_sys_getuid(void);
uid_t	rump_sys_geteuid(void);
gid_t	rump_sys_getgid(void);
gid_t	rump_sys_getegid(void);
int	rump_sys_setuid(uid_t);
int	rump_sys_setgid(gid_t);
int	rump_sys_setreuid(uid_t, uid_t);
int	rump_sys_setregid(gid_t, gid_t);
int	rump_sys_setresuid(uid_t, uid_t, uid_t);
int	rump_sys_setresgid(gid_t, gid_t, gid_t);
int	rump_sys_getgroups(int, gid_t *);
int	rump_sys_setgroups(size_t, const gid_t *);
int	rump_sys_uname(struct utsname *);
int	rump_sys_sethostname(const char *, size_t);
int	rump_sys_clock_gettime(int, struct timespec *);
int	rump_sys_nanosleep(const struct timespec *, struct timespec *);
/* Linux reboot(2): LINUX_REBOOT_CMD_HALT syncs, unmounts and stops the
 * kernel, then returns 0; LINUX_REBOOT_CMD_POWER_OFF also exits the host
 * process with status 0. */
int	rump_sys_reboot(int, int, unsigned int, void *);
/* rumpk's sysctl by name, e.g. "kern.hostname"; like sysctlbyname(3). */
int	rump_sys_sysctl(const char *, void *, size_t *, const void *, size_t);
/*
 * Listing the sysctl tree: with the name RUMP_SYSCTL_NEXT and newp a
 * node's name ("" for the start), oldp receives the name of the next
 * node in a depth-first walk, children in name order (ENOENT after the
 * last); with RUMP_SYSCTL_INFO and newp a node's name, oldp receives
 * its struct rump_sysctlinfo.
 */
#define RUMP_SYSCTL_NEXT	".next"
#define RUMP_SYSCTL_INFO	".info"
#define RUMP_CTLTYPE_NODE	0	/* interior node, no value */
#define RUMP_CTLTYPE_INT	1	/* int */
#define RUMP_CTLTYPE_STRING	2	/* NUL-terminated string */
#define RUMP_CTLTYPE_QUAD	3	/* int64_t */
#define RUMP_CTLTYPE_BOOL	4	/* one byte, 0 or 1 */
#define RUMP_CTLFLAG_READWRITE	0x01	/* writable */
#define RUMP_CTLFLAG_ANYWRITE	0x04	/* by anyone, not only euid 0 */
struct rump_sysctlinfo {
	int32_t		si_type;	/* RUMP_CTLTYPE_* */
	uint32_t	si_flags;	/* RUMP_CTLFLAG_* */
	char		si_descr[120];	/* description, NUL-terminated */
};

/* Raw entry: Linux x86-64 syscall number and argument words. */
long	rump_syscall(int, const long *);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_SYSCALLS_H_ */
