/*
 * rumpuser.h: the hypercall interface, version 17.
 *
 * This header is the whole contract between the rump kernel and its host.
 * The kernel (built with _KERNEL, freestanding) calls only the functions
 * declared here; a platform hosts rumpk by implementing them.  The shape
 * follows NetBSD's rumpuser(3) v17; errors are returned as errno values in
 * the kernel's (Linux) numbering.
 */
#ifndef _RUMP_RUMPUSER_H_
#define _RUMP_RUMPUSER_H_

#ifdef _KERNEL
#include <kern/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#endif

#define RUMPUSER_VERSION 17

struct lwp;

/* Upcalls from the hypercall layer into the kernel. */
struct rumpuser_hyperup {
	void	(*hyp_schedule)(void);
	void	(*hyp_unschedule)(void);
	void	(*hyp_backend_unschedule)(int, int *, void *);
	void	(*hyp_backend_schedule)(int, void *);
	void	(*hyp_lwproc_switch)(struct lwp *);
	void	(*hyp_lwproc_release)(void);
	int	(*hyp_lwproc_rfork)(void *, int, const char *);
	int	(*hyp_lwproc_newlwp)(pid_t);
	struct lwp *(*hyp_lwproc_curlwp)(void);
	int	(*hyp_syscall)(int, void *, long *);
	void	(*hyp_lwpexit)(void);
	void	(*hyp_execnotify)(const char *);
	pid_t	(*hyp_getpid)(void);
	void	*hyp__extra[8];
};

int	rumpuser_init(int, const struct rumpuser_hyperup *);

/* Memory. */
int	rumpuser_malloc(size_t, int, void **);
void	rumpuser_free(void *, size_t);

/* Files and I/O. */
#define RUMPUSER_OPEN_RDONLY	0x0000
#define RUMPUSER_OPEN_WRONLY	0x0001
#define RUMPUSER_OPEN_RDWR	0x0002
#define RUMPUSER_OPEN_ACCMODE	0x0003
#define RUMPUSER_OPEN_CREATE	0x0004
#define RUMPUSER_OPEN_EXCL	0x0008
#define RUMPUSER_OPEN_BIO	0x0010

int	rumpuser_open(const char *, int, int *);
int	rumpuser_close(int);

#define RUMPUSER_FT_OTHER	0
#define RUMPUSER_FT_DIR		1
#define RUMPUSER_FT_REG		2
#define RUMPUSER_FT_BLK		3
#define RUMPUSER_FT_CHR		4

int	rumpuser_getfileinfo(const char *, uint64_t *, int *);

#define RUMPUSER_BIO_READ	0x01
#define RUMPUSER_BIO_WRITE	0x02
#define RUMPUSER_BIO_SYNC	0x04

typedef void (*rump_biodone_fn)(void *, size_t, int);
void	rumpuser_bio(int, int, void *, size_t, int64_t, rump_biodone_fn,
	    void *);

struct rumpuser_iovec {
	void	*iov_base;
	size_t	 iov_len;
};
#define RUMPUSER_IOV_NOSEEK	-1

int	rumpuser_iovread(int, struct rumpuser_iovec *, size_t, int64_t,
	    size_t *);
int	rumpuser_iovwrite(int, const struct rumpuser_iovec *, size_t, int64_t,
	    size_t *);

#define RUMPUSER_SYNCFD_READ	0x01
#define RUMPUSER_SYNCFD_WRITE	0x02
#define RUMPUSER_SYNCFD_BARRIER	0x04
#define RUMPUSER_SYNCFD_SYNC	0x08

int	rumpuser_syncfd(int, int, uint64_t, uint64_t);

/* Clocks. */
#define RUMPUSER_CLOCK_RELWALL	0
#define RUMPUSER_CLOCK_ABSMONO	1

int	rumpuser_clock_gettime(int, int64_t *, long *);
int	rumpuser_clock_sleep(int, int64_t, long);

/* Parameters, termination, console, signals, randomness, errno. */
#define RUMPUSER_PARAM_NCPU	"_RUMPUSER_NCPU"
#define RUMPUSER_PARAM_HOSTNAME	"_RUMPUSER_HOSTNAME"

int	rumpuser_getparam(const char *, void *, size_t);

#define RUMPUSER_PANIC		(-1)
void	rumpuser_exit(int) __attribute__((__noreturn__));
void	rumpuser_putchar(int);
void	rumpuser_dprintf(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
int	rumpuser_kill(int64_t, int);

#define RUMPUSER_RANDOM_HARD	0x01
#define RUMPUSER_RANDOM_NOWAIT	0x02

int	rumpuser_getrandom(void *, size_t, int, size_t *);
void	rumpuser_seterrno(int);

/* Threads and the current lwp. */
int	rumpuser_thread_create(void *(*)(void *), void *, const char *, int,
	    int, int, void **);
void	rumpuser_thread_exit(void) __attribute__((__noreturn__));
int	rumpuser_thread_join(void *);

enum rumplwpop {
	RUMPUSER_LWP_CREATE,
	RUMPUSER_LWP_DESTROY,
	RUMPUSER_LWP_SET,
	RUMPUSER_LWP_CLEAR
};
void	rumpuser_curlwpop(int, struct lwp *);
struct lwp *rumpuser_curlwp(void);

/* Synchronisation. */
struct rumpuser_mtx;
#define RUMPUSER_MTX_SPIN	0x01
#define RUMPUSER_MTX_KMUTEX	0x02

void	rumpuser_mutex_init(struct rumpuser_mtx **, int);
void	rumpuser_mutex_enter(struct rumpuser_mtx *);
void	rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *);
int	rumpuser_mutex_tryenter(struct rumpuser_mtx *);
void	rumpuser_mutex_exit(struct rumpuser_mtx *);
void	rumpuser_mutex_destroy(struct rumpuser_mtx *);
void	rumpuser_mutex_owner(struct rumpuser_mtx *, struct lwp **);

struct rumpuser_rw;
enum rumprwlock {
	RUMPUSER_RW_READER,
	RUMPUSER_RW_WRITER
};

void	rumpuser_rw_init(struct rumpuser_rw **);
void	rumpuser_rw_enter(int, struct rumpuser_rw *);
int	rumpuser_rw_tryenter(int, struct rumpuser_rw *);
int	rumpuser_rw_tryupgrade(struct rumpuser_rw *);
void	rumpuser_rw_downgrade(struct rumpuser_rw *);
void	rumpuser_rw_exit(struct rumpuser_rw *);
void	rumpuser_rw_destroy(struct rumpuser_rw *);
void	rumpuser_rw_held(int, struct rumpuser_rw *, int *);

struct rumpuser_cv;

void	rumpuser_cv_init(struct rumpuser_cv **);
void	rumpuser_cv_destroy(struct rumpuser_cv *);
void	rumpuser_cv_wait(struct rumpuser_cv *, struct rumpuser_mtx *);
void	rumpuser_cv_wait_nowrap(struct rumpuser_cv *, struct rumpuser_mtx *);
int	rumpuser_cv_timedwait(struct rumpuser_cv *, struct rumpuser_mtx *,
	    int64_t, int64_t);
void	rumpuser_cv_signal(struct rumpuser_cv *);
void	rumpuser_cv_broadcast(struct rumpuser_cv *);
void	rumpuser_cv_has_waiters(struct rumpuser_cv *, int *);

/* Dynamic loading and daemons. */
typedef void (*rump_modinit_fn)(const void *const *, size_t);
typedef int (*rump_symload_fn)(void *, uint64_t, char *, uint64_t);
typedef void (*rump_compload_fn)(const void *);

void	rumpuser_dl_bootstrap(rump_modinit_fn, rump_symload_fn,
	    rump_compload_fn);
int	rumpuser_daemonize_begin(void);
int	rumpuser_daemonize_done(int);

/* Remote clients, server side (sysproxy). */
int	rumpuser_sp_init(const char *, const char *, const char *,
	    const char *);
int	rumpuser_sp_copyin(void *, const void *, void *, size_t);
int	rumpuser_sp_copyinstr(void *, const void *, void *, size_t *);
int	rumpuser_sp_copyout(void *, const void *, void *, size_t);
int	rumpuser_sp_copyoutstr(void *, const void *, void *, size_t *);
int	rumpuser_sp_anonmmap(void *, size_t, void **);
int	rumpuser_sp_raise(void *, int);
void	rumpuser_sp_fini(void *);

#endif /* _RUMP_RUMPUSER_H_ */
