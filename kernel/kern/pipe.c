/*
 * pipe.c: pipes, and the pipe and pipe2 system calls.
 *
 * A pipe is a 64 KiB ring buffer (allocated on the first write) shared
 * by two files, a read end and a write end.  Reads block until there is
 * data or no writer is left (end of file); writes block until there is
 * room, and a write of at most PIPE_BUF bytes goes in all at once.  With
 * O_NONBLOCK both fail with EAGAIN instead of blocking.  Writing with no
 * reader left fails with EPIPE (there are no signals).  The pipe is
 * freed when both ends are closed.  Changes that matter to poll() are
 * announced with selnotify().
 *
 * Locking: p_lock protects everything in struct pipe except the
 * constants; readers sleep on p_rcv, writers on p_wcv.  Data is copied
 * to and from the caller with p_lock held, which keeps each transfer
 * whole with respect to other readers and writers.
 */

#include <kern/types.h>
#include <kern/file.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/misc.h>
#include <abi/stat.h>

#define PIPE_SIZE	(64 * 1024)	/* ring buffer */
#define PIPE_BUF	4096		/* writes up to this are atomic */
#define FIONREAD	0x541B		/* Linux: bytes ready to read */

struct pipe {
	kmutex_t	 p_lock;
	kcondvar_t	 p_rcv;		/* readers wait for data or EOF */
	kcondvar_t	 p_wcv;		/* writers wait for room or EPIPE */
	char		*p_buf;		/* PIPE_SIZE bytes, NULL until used */
	size_t		 p_start;	/* first byte of data in p_buf */
	size_t		 p_count;	/* bytes of data */
	bool		 p_rclosed;	/* the read end is closed */
	bool		 p_wclosed;	/* the write end is closed */
	uint64_t	 p_ino;		/* inode number for fstat (constant) */
	struct timespec	 p_atime;	/* last read */
	struct timespec	 p_mtime;	/* last write, or creation */
};

static uint64_t pipe_nextino;	/* atomic */

static int	pipe_read(struct file *, struct uio *, int);
static int	pipe_write(struct file *, struct uio *, int);
static int	pipe_ioctl(struct file *, unsigned long, void *);
static int	pipe_poll(struct file *, int);
static int	pipe_stat(struct file *, struct stat *);
static int	pipe_close(struct file *);

static const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_seek = NULL,
	.fo_close = pipe_close,
};

static struct pipe *
pipe_alloc(void)
{
	struct pipe *p;

	if ((p = kmem_zalloc(sizeof(*p))) == NULL)
		return NULL;
	mutex_init(&p->p_lock, MUTEX_DEFAULT);
	cv_init(&p->p_rcv);
	cv_init(&p->p_wcv);
	p->p_ino = __atomic_add_fetch(&pipe_nextino, 1, __ATOMIC_RELAXED);
	getnanotime(&p->p_mtime);
	p->p_atime = p->p_mtime;
	return p;
}

static void
pipe_free(struct pipe *p)
{

	if (p->p_buf != NULL)
		kmem_free(p->p_buf, PIPE_SIZE);
	cv_destroy(&p->p_wcv);
	cv_destroy(&p->p_rcv);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

/* Move up to n buffered bytes out to uio; p_lock held. */
static int
pipe_drain(struct pipe *p, struct uio *uio, size_t n)
{
	size_t chunk, before, moved;
	int error = 0;

	while (n > 0 && error == 0) {
		chunk = MIN(n, PIPE_SIZE - p->p_start);
		before = uio->uio_resid;
		error = uiomove(p->p_buf + p->p_start, chunk, uio);
		moved = before - uio->uio_resid;
		if (moved == 0)
			break;
		p->p_start = (p->p_start + moved) % PIPE_SIZE;
		p->p_count -= moved;
		n -= moved;
	}
	if (p->p_count == 0)
		p->p_start = 0;
	return error;
}

/* Move up to n bytes in from uio behind the buffered data; p_lock held. */
static int
pipe_fill(struct pipe *p, struct uio *uio, size_t n)
{
	size_t tail, chunk, before, moved;
	int error = 0;

	while (n > 0 && error == 0) {
		tail = (p->p_start + p->p_count) % PIPE_SIZE;
		chunk = MIN(n, PIPE_SIZE - tail);
		before = uio->uio_resid;
		error = uiomove(p->p_buf + tail, chunk, uio);
		moved = before - uio->uio_resid;
		if (moved == 0)
			break;
		p->p_count += moved;
		n -= moved;
	}
	return error;
}

/* Wait until there is data or no writer; p_lock held.  0, EAGAIN or
 * EINTR (the process was killed). */
static int
pipe_wait_data(struct file *fp, struct pipe *p)
{
	int error;

	while (p->p_count == 0 && !p->p_wclosed) {
		if (fp->f_flag & O_NONBLOCK)
			return EAGAIN;
		if ((error = cv_wait_sig(&p->p_rcv, &p->p_lock)) != 0)
			return error;
	}
	return 0;
}

static int
pipe_read(struct file *fp, struct uio *uio, int flags)
{
	struct pipe *p = fp->f_data;
	int error;

	if (uio->uio_resid == 0)
		return 0;
	mutex_enter(&p->p_lock);
	if ((error = pipe_wait_data(fp, p)) != 0 || p->p_count == 0) {
		mutex_exit(&p->p_lock);
		return error;
	}
	error = pipe_drain(p, uio, MIN(p->p_count, uio->uio_resid));
	getnanotime(&p->p_atime);
	cv_broadcast(&p->p_wcv);
	mutex_exit(&p->p_lock);
	selnotify();
	return error;
}

/* Wait until a write of `total` bytes may put something in; p_lock held.
 * 0 when it may, or EPIPE/EAGAIN/EINTR. */
static int
pipe_wait_room(struct file *fp, struct pipe *p, size_t total)
{
	size_t room;
	int error;

	for (;;) {
		if (p->p_rclosed)
			return EPIPE;
		room = PIPE_SIZE - p->p_count;
		if (room > 0 && (total > PIPE_BUF || room >= total))
			return 0;
		if (fp->f_flag & O_NONBLOCK)
			return EAGAIN;
		if ((error = cv_wait_sig(&p->p_wcv, &p->p_lock)) != 0)
			return error;
	}
}

static int
pipe_write(struct file *fp, struct uio *uio, int flags)
{
	struct pipe *p = fp->f_data;
	size_t total = uio->uio_resid;
	bool wrote = false;
	int error = 0;

	if (total == 0)
		return 0;
	mutex_enter(&p->p_lock);
	if (p->p_buf == NULL && !p->p_rclosed &&
	    (p->p_buf = kmem_alloc(PIPE_SIZE)) == NULL) {
		mutex_exit(&p->p_lock);
		return ENOMEM;
	}
	while (uio->uio_resid > 0) {
		if ((error = pipe_wait_room(fp, p, total)) != 0)
			break;
		error = pipe_fill(p, uio,
		    MIN(PIPE_SIZE - p->p_count, uio->uio_resid));
		wrote = true;
		cv_broadcast(&p->p_rcv);
		if (error != 0)
			break;
	}
	if (wrote)
		getnanotime(&p->p_mtime);
	mutex_exit(&p->p_lock);
	if (wrote)
		selnotify();
	return error;
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pipe *p = fp->f_data;
	int n;

	if (cmd != FIONREAD)
		return ENOTTY;
	mutex_enter(&p->p_lock);
	n = (int)p->p_count;
	mutex_exit(&p->p_lock);
	return copyout(&n, data, sizeof(n));
}

static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *p = fp->f_data;
	int revents = 0;

	mutex_enter(&p->p_lock);
	if (FREAD(fp)) {
		if (p->p_count > 0)
			revents |= POLLIN | POLLRDNORM;
		if (p->p_wclosed)
			revents |= POLLHUP;
	}
	if (FWRITE(fp)) {
		if (PIPE_SIZE - p->p_count >= PIPE_BUF)
			revents |= POLLOUT | POLLWRNORM;
		if (p->p_rclosed)
			revents |= POLLERR;
	}
	mutex_exit(&p->p_lock);
	return revents & events;
}

static int
pipe_stat(struct file *fp, struct stat *st)
{
	struct pipe *p = fp->f_data;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	st->st_nlink = 1;
	st->st_uid = fp->f_cred->cr_euid;
	st->st_gid = fp->f_cred->cr_egid;
	st->st_ino = p->p_ino;
	st->st_blksize = PIPE_BUF;
	/* st_size stays 0 as on Linux; FIONREAD tells what is buffered. */
	mutex_enter(&p->p_lock);
	st->st_atim = p->p_atime;
	st->st_mtim = p->p_mtime;
	st->st_ctim = p->p_mtime;
	mutex_exit(&p->p_lock);
	return 0;
}

static int
pipe_close(struct file *fp)
{
	struct pipe *p = fp->f_data;
	bool last;

	mutex_enter(&p->p_lock);
	if (FREAD(fp))
		p->p_rclosed = true;
	else
		p->p_wclosed = true;
	last = p->p_rclosed && p->p_wclosed;
	cv_broadcast(&p->p_rcv);
	cv_broadcast(&p->p_wcv);
	mutex_exit(&p->p_lock);
	if (last)
		pipe_free(p);
	else
		selnotify();
	return 0;
}

/* Open both ends of a new pipe as files. */
static int
pipe_files(unsigned int fflag, struct file **rfp, struct file **wfp)
{
	struct pipe *p;

	if ((p = pipe_alloc()) == NULL)
		return ENOMEM;
	if ((*rfp = file_alloc(DTYPE_PIPE, O_RDONLY | fflag, &pipeops,
	    p)) == NULL)
		goto fail_pipe;
	if ((*wfp = file_alloc(DTYPE_PIPE, O_WRONLY | fflag, &pipeops,
	    p)) == NULL)
		goto fail_rfile;
	return 0;

fail_rfile:
	file_abort(*rfp);
fail_pipe:
	pipe_free(p);
	return ENOMEM;
}

static int
dopipe(int *ufds, int flags)
{
	struct file *rf, *wf;
	int fds[2], fdflags;
	int error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return EINVAL;
	fdflags = (flags & O_CLOEXEC) ? FD_CLOEXEC : 0;
	if ((error = pipe_files((unsigned int)flags & O_NONBLOCK, &rf,
	    &wf)) != 0)
		return error;
	if ((error = fd_install(rf, 0, fdflags, &fds[0])) != 0)
		goto out;
	if ((error = fd_install(wf, 0, fdflags, &fds[1])) != 0)
		goto fail_fd0;
	if ((error = copyout(fds, ufds, sizeof(fds))) == 0)
		goto out;
	fd_close(fds[1]);
fail_fd0:
	fd_close(fds[0]);
out:
	file_rele(wf);
	file_rele(rf);
	return error;
}

static int
sys_pipe(struct lwp *l, const register_t *args, register_t *retval)
{

	retval[0] = 0;
	return dopipe(SYSARG(int *, 0), 0);
}

static int
sys_pipe2(struct lwp *l, const register_t *args, register_t *retval)
{

	retval[0] = 0;
	return dopipe(SYSARG(int *, 0), SYSARG(int, 1));
}

void
kern_syscalls_pipe_init(void)
{

	syscall_register(SYS_pipe, sys_pipe, "pipe");
	syscall_register(SYS_pipe2, sys_pipe2, "pipe2");
}
