/*
 * hijack.h: librumphijack, an LD_PRELOAD library that sends the file
 * calls of unmodified, dynamically linked glibc programs to a rump
 * kernel through librumpclient.  Private to the library's sources.
 *
 * Design:
 * - Real libc functions are found lazily with dlsym(RTLD_NEXT) and kept
 *   in per-function pointers (HJ_REAL); races only store the same value.
 *   Nothing happens at load time except picking up state an exec'ing
 *   parent left in the environment, so host paths work from the first
 *   instruction (library constructors run before main).
 * - Recursion guard: hj_inside (thread-local) is raised around every
 *   call into librumpclient (HJ_K); an interposed function entered while
 *   it is raised goes straight to libc.  (librumpclient makes its own
 *   host calls raw, except fork.)  Before a host close, dup2 or range
 *   close, rumpclient__closenotify() moves its socket out of the way.
 * - RUMPHIJACK is parsed on first use (hj_config); bad syntax prints a
 *   message and exits 1.  The server is contacted on the first kernel
 *   path or descriptor (hj_connect).
 * - Paths: absolute paths are normalised lexically ("//", ".", "..");
 *   under the path= prefix (component-wise) they go to the kernel with
 *   the prefix stripped, under a blanket= prefix with it kept.  Relative
 *   paths are joined to the tracked cwd (hj_cwd: a host path, or the
 *   prefix plus the kernel cwd) and classified the same way.  The
 *   kernel gets the path as written past the prefix (so ".." after a
 *   symlink is the kernel's to resolve); a host path that went through
 *   the prefix ("/rump/..") or a kernel cwd goes to libc normalised.
 * - Descriptors: each kernel descriptor the program sees owns a host
 *   placeholder descriptor (a /dev/null open) at the same number, so the
 *   host never hands that number out and host descriptors at or above
 *   fdoff just work.  The number is the lowest free one at or above
 *   kernel fd + fdoff (default 256: kernel fds 0..767 stay below
 *   FD_SETSIZE for select).  hj_fdk[] maps numbers to kernel fds; the
 *   placeholder's FD_CLOEXEC mirrors the kernel's.  Across exec the map
 *   of descriptors without close-on-exec travels in RUMPHIJACK__FDS.
 * - stdio: while fd 0, 1 or 2 is a kernel descriptor, stdin/stdout/
 *   stderr are replaced by fopencookie streams on it (glibc's stdio
 *   reaches the descriptor through internal calls LD_PRELOAD cannot see).
 *   DIR streams on kernel directories are likewise our own (hj_dir.c).
 * Locks (each file's own, never nested): hj_cfglock, hj_connlock,
 * hj_cwdlock, hj_fdlock, hj_dirlock and each stream's d_lock,
 * hj_filelock, hj_spawnlock, hj_popenlock (held across the fork).
 */
#ifndef _HIJACK_H_
#define _HIJACK_H_

#include <dlfcn.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define HJ_MAXFD	4096		/* host numbers we can map */
#define HJ_FDOFF	256		/* default fdoff */
#define HJ_ENVFDS	"RUMPHIJACK__FDS"
#define HJ_ENVKCWD	"RUMPHIJACK__KCWD"

/* Where a path goes. */
enum hj_where {
	HJ_HOST,
	HJ_KERN,		/* under path=: prefix stripped */
	HJ_KBLANKET,		/* under blanket=: path kept */
	HJ_HOSTNORM		/* host, but by its normalised form */
};

/* Nothing declared here is part of the library's interface. */
#pragma GCC visibility push(hidden)

extern __thread int hj_inside;

/* The real libc function fn (declared by libc or by hijack.h). */
#define HJ_DECLREAL(fn)	static __typeof__(fn) *real_##fn
#define HJ_REAL(fn)							\
	(__atomic_load_n(&real_##fn, __ATOMIC_RELAXED) != NULL ?	\
	    real_##fn : (real_##fn = (__typeof__(fn) *)hj_dlnext(#fn)))

/* Evaluate a librumpclient call with the recursion guard raised. */
#define HJ_K(call) __extension__ ({					\
	__typeof__(call) hj_r_;						\
	hj_inside++;							\
	hj_r_ = (call);							\
	hj_inside--;							\
	hj_r_;								\
})

/* hj_init.c */
void	*hj_dlnext(const char *);
void	 hj_config(void);
int	 hj_connect(void);
bool	 hj_connected(void);
int	 hj_fdoff(void);
const char *hj_prefix(void);
size_t	 hj_nblanket(void);
const char *hj_blanket(size_t);
void	 hj_note(const char *, ...) __attribute__((format(printf, 1, 2)));

/* hj_path.c */
int	 hj_path(int, const char *, char *, size_t, int *);
int	 hj_kpath(int, const char **, char *, int *);
void	 hj_cwd_host(void);
void	 hj_cwd_restore(int);
int	 hj_cwd_where(void);

/* hj_fd.c */
int	 hj_kfd(int);
int	 hj_fdinstall(int, int, bool);
int	 hj_fdinstall_at(int, int, bool);
void	 hj_fdforget(int);
int	 hj_fdclose(int);
int	 hj_fdsetfd(int, int, int);
void	 hj_fdclose_range(unsigned int, unsigned int);
char	*hj_fdexport(void);
void	 hj_fdimport(const char *);

/* hj_stdio.c */
FILE	*hj_fcookie(int, const char *, bool);
void	 hj_stdswap(int, bool);

#pragma GCC visibility pop

/* Legacy glibc entry points (not declared by glibc 2.36 headers). */
struct stat;
struct stat64;
int	__xstat(int, const char *, struct stat *);
int	__lxstat(int, const char *, struct stat *);
int	__fxstat(int, int, struct stat *);
int	__fxstatat(int, int, const char *, struct stat *, int);
int	__xstat64(int, const char *, struct stat64 *);
int	__lxstat64(int, const char *, struct stat64 *);
int	__fxstat64(int, int, struct stat64 *);
int	__fxstatat64(int, int, const char *, struct stat64 *, int);
int	__open_2(const char *, int);
int	__open64_2(const char *, int);
int	__openat_2(int, const char *, int);
int	__openat64_2(int, const char *, int);

/* Fortified entry points (declared by glibc only under _FORTIFY_SOURCE). */
struct pollfd;
struct timespec;
ssize_t	__read_chk(int, void *, size_t, size_t);
ssize_t	__pread_chk(int, void *, size_t, off_t, size_t);
ssize_t	__pread64_chk(int, void *, size_t, off64_t, size_t);
ssize_t	__readlink_chk(const char *, char *, size_t, size_t);
ssize_t	__readlinkat_chk(int, const char *, char *, size_t, size_t);
char	*__getcwd_chk(char *, size_t, size_t);
char	*__realpath_chk(const char *, char *, size_t);
int	__poll_chk(struct pollfd *, unsigned long, int, size_t);
int	__ppoll_chk(struct pollfd *, unsigned long, const struct timespec *,
	    const __sigset_t *, size_t);

#endif /* _HIJACK_H_ */
