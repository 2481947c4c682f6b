/*
 * file.c: open file descriptions and per-process descriptor tables.
 *
 * Freed files are kept in a small cache with their lock still
 * initialised, so that opening a file usually needs neither an allocation
 * nor a new lock from the host.
 *
 * Lock order: fd_lock, then f_lock.  A file's last reference is dropped
 * outside fd_lock (closing may sleep).
 */
#include <kern/types.h>
#include <kern/file.h>
#include <kern/lwp.h>
#include <kern/kmem.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>

#define FD_INITIAL	32
#define FILE_CACHE_MAX	256

static kmutex_t file_cache_lock;
static struct file *file_cache;		/* file_cache_lock, via f_data */
static int file_cache_n;		/* file_cache_lock */

void
file_init(void)
{

	mutex_init(&file_cache_lock, MUTEX_SPIN);
}

static struct file *
file_get(void)
{
	struct file *fp;

	mutex_enter(&file_cache_lock);
	fp = file_cache;
	if (fp != NULL) {
		file_cache = fp->f_data;
		file_cache_n--;
	}
	mutex_exit(&file_cache_lock);
	if (fp != NULL)
		return fp;
	fp = kmem_alloc(sizeof(*fp));
	if (fp != NULL)
		mutex_init(&fp->f_lock, MUTEX_DEFAULT);
	return fp;
}

static void
file_put(struct file *fp)
{

	cred_free(fp->f_cred);
	mutex_enter(&file_cache_lock);
	if (file_cache_n < FILE_CACHE_MAX) {
		fp->f_data = file_cache;
		file_cache = fp;
		file_cache_n++;
		fp = NULL;
	}
	mutex_exit(&file_cache_lock);
	if (fp != NULL) {
		mutex_destroy(&fp->f_lock);
		kmem_free(fp, sizeof(*fp));
	}
}

struct file *
file_alloc(int type, unsigned int flag, const struct fileops *ops, void *data)
{
	struct file *fp;

	fp = file_get();
	if (fp == NULL)
		return NULL;
	fp->f_count = 1;
	fp->f_offset = 0;
	fp->f_type = type;
	fp->f_flag = flag;
	fp->f_ops = ops;
	fp->f_data = data;
	fp->f_cred = curcred;
	cred_hold(fp->f_cred);
	return fp;
}

/* Free a file that was never opened (its f_data is not set up). */
void
file_abort(struct file *fp)
{

	KASSERT(fp->f_count == 1);
	file_put(fp);
}

void
file_hold(struct file *fp)
{

	__atomic_add_fetch(&fp->f_count, 1, __ATOMIC_RELAXED);
}

void
file_rele(struct file *fp)
{

	if (__atomic_sub_fetch(&fp->f_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	fp->f_ops->fo_close(fp);
	file_put(fp);
}

static struct filedesc *
fd_new(int nfiles)
{
	struct filedesc *fdp;

	fdp = kmem_zalloc(sizeof(*fdp));
	if (fdp == NULL)
		return NULL;
	fdp->fd_ofiles = kmem_zalloc(sizeof(struct fdentry) * (size_t)nfiles);
	if (fdp->fd_ofiles == NULL) {
		kmem_free(fdp, sizeof(*fdp));
		return NULL;
	}
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = nfiles;
	return fdp;
}

struct filedesc *
fd_alloc(void)
{

	return fd_new(FD_INITIAL);
}

struct filedesc *
fd_copy(struct filedesc *src)
{
	struct filedesc *fdp;
	int i, n;

	mutex_enter(&src->fd_lock);
	n = src->fd_nfiles;
	mutex_exit(&src->fd_lock);
	fdp = fd_new(n);
	if (fdp == NULL)
		return NULL;
	mutex_enter(&src->fd_lock);
	n = MIN(n, src->fd_nfiles);
	for (i = 0; i < n; i++) {
		fdp->fd_ofiles[i] = src->fd_ofiles[i];
		if (fdp->fd_ofiles[i].fe_file != NULL)
			file_hold(fdp->fd_ofiles[i].fe_file);
	}
	fdp->fd_freefile = src->fd_freefile;
	mutex_exit(&src->fd_lock);
	return fdp;
}

void
fd_hold(struct filedesc *fdp)
{

	__atomic_add_fetch(&fdp->fd_refcnt, 1, __ATOMIC_RELAXED);
}

void
fd_release(struct filedesc *fdp)
{
	int i;

	if (__atomic_sub_fetch(&fdp->fd_refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (i = 0; i < fdp->fd_nfiles; i++)
		if (fdp->fd_ofiles[i].fe_file != NULL)
			file_rele(fdp->fd_ofiles[i].fe_file);
	kmem_free(fdp->fd_ofiles, sizeof(struct fdentry) *
	    (size_t)fdp->fd_nfiles);
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp, sizeof(*fdp));
}

/* Close every descriptor of a table (shutdown). */
void
fd_closeall(struct filedesc *fdp)
{
	struct file *fp;
	int i;

	for (i = 0; ; i++) {
		mutex_enter(&fdp->fd_lock);
		if (i >= fdp->fd_nfiles) {
			mutex_exit(&fdp->fd_lock);
			return;
		}
		fp = fdp->fd_ofiles[i].fe_file;
		fdp->fd_ofiles[i].fe_file = NULL;
		mutex_exit(&fdp->fd_lock);
		if (fp != NULL)
			file_rele(fp);
	}
}

struct file *
fd_getfile(int fd)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp = NULL;

	if (__predict_false(fd < 0))
		return NULL;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles) {
		fp = fdp->fd_ofiles[fd].fe_file;
		if (fp != NULL)
			file_hold(fp);
	}
	mutex_exit(&fdp->fd_lock);
	return fp;
}

void
fd_putfile(struct file *fp)
{

	file_rele(fp);
}

/* Make room for descriptor fd; fd_lock held, may drop and retake it. */
static int
fd_grow(struct filedesc *fdp, int fd)
{
	struct fdentry *new, *old;
	int n, oldn;

	if (fd >= FD_DEFAULT_MAX)
		return EMFILE;
	while (fd >= fdp->fd_nfiles) {
		oldn = fdp->fd_nfiles;
		n = MIN(oldn * 2, FD_DEFAULT_MAX);
		while (n <= fd)
			n = MIN(n * 2, FD_DEFAULT_MAX);
		mutex_exit(&fdp->fd_lock);
		new = kmem_zalloc(sizeof(*new) * (size_t)n);
		mutex_enter(&fdp->fd_lock);
		if (new == NULL)
			return ENOMEM;
		if (fdp->fd_nfiles != oldn) {
			kmem_free(new, sizeof(*new) * (size_t)n);
			continue;
		}
		old = fdp->fd_ofiles;
		memcpy(new, old, sizeof(*new) * (size_t)oldn);
		fdp->fd_ofiles = new;
		fdp->fd_nfiles = n;
		kmem_free(old, sizeof(*old) * (size_t)oldn);
	}
	return 0;
}

int
fd_install(struct file *fp, int minfd, int fdflags, int *fdp_out)
{
	struct filedesc *fdp = curproc->p_fd;
	int fd, error;

	if (minfd < 0 || minfd >= FD_DEFAULT_MAX)
		return EINVAL;
	mutex_enter(&fdp->fd_lock);
	fd = MAX(minfd, fdp->fd_freefile);
	for (;;) {
		while (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd].fe_file)
			fd++;
		if (fd < fdp->fd_nfiles)
			break;
		error = fd_grow(fdp, fd);
		if (error != 0) {
			mutex_exit(&fdp->fd_lock);
			return error;
		}
	}
	file_hold(fp);
	fdp->fd_ofiles[fd].fe_file = fp;
	fdp->fd_ofiles[fd].fe_flags = fdflags;
	if (minfd <= fdp->fd_freefile)
		fdp->fd_freefile = fd + 1;
	mutex_exit(&fdp->fd_lock);
	*fdp_out = fd;
	return 0;
}

int
fd_replace(int fd, struct file *fp, int fdflags)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *old;
	int error;

	if (fd < 0 || fd >= FD_DEFAULT_MAX)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	error = fd_grow(fdp, fd);
	if (error != 0) {
		mutex_exit(&fdp->fd_lock);
		return error;
	}
	file_hold(fp);
	old = fdp->fd_ofiles[fd].fe_file;
	fdp->fd_ofiles[fd].fe_file = fp;
	fdp->fd_ofiles[fd].fe_flags = fdflags;
	mutex_exit(&fdp->fd_lock);
	if (old != NULL)
		file_rele(old);
	return 0;
}

int
fd_close(int fd)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp = NULL;

	if (fd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles) {
		fp = fdp->fd_ofiles[fd].fe_file;
		fdp->fd_ofiles[fd].fe_file = NULL;
		fdp->fd_ofiles[fd].fe_flags = 0;
		if (fp != NULL && fd < fdp->fd_freefile)
			fdp->fd_freefile = fd;
	}
	mutex_exit(&fdp->fd_lock);
	if (fp == NULL)
		return EBADF;
	file_rele(fp);
	return 0;
}

int
fd_getflags(int fd, int *flagsp)
{
	struct filedesc *fdp = curproc->p_fd;
	int error = EBADF;

	if (fd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd].fe_file != NULL) {
		*flagsp = fdp->fd_ofiles[fd].fe_flags;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_setflags(int fd, int flags)
{
	struct filedesc *fdp = curproc->p_fd;
	int error = EBADF;

	if (fd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd].fe_file != NULL) {
		fdp->fd_ofiles[fd].fe_flags = flags & FD_CLOEXEC;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}
