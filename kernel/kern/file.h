/*
 * file.h: open files and per-process descriptor tables.
 *
 * A struct file is an open file description (offset, status flags, ops);
 * descriptors in a filedesc point at files.  Files are reference counted:
 * fd_getfile() returns a held file that the caller drops with fd_putfile().
 * A filedesc may be shared by several procs (rfork without RFFDG/RFCFDG).
 *
 * Locking: fd_lock protects the descriptor array; f_lock protects
 * f_offset and f_flag updates; f_count is atomic.
 */
#ifndef _KERN_FILE_H_
#define _KERN_FILE_H_

#include <kern/types.h>
#include <kern/lock.h>

struct file;
struct uio;
struct stat;
struct cred;

struct fileops {
	int	(*fo_read)(struct file *, struct uio *, int);
	int	(*fo_write)(struct file *, struct uio *, int);
	/* The argument is the caller's word (a user pointer for most). */
	int	(*fo_ioctl)(struct file *, unsigned long, void *);
	/* Return the events in `events` that are ready now. */
	int	(*fo_poll)(struct file *, int);
	int	(*fo_stat)(struct file *, struct stat *);
	/* lseek: compute the new offset, store it in f_offset (taking
	 * f_lock itself) and in *newoff.  NULL = not seekable (ESPIPE). */
	int	(*fo_seek)(struct file *, off_t, int, off_t *);
	int	(*fo_close)(struct file *);
};

/* fo_read/fo_write flag: use and advance f_offset (not pread/pwrite) */
#define FOF_UPDATE_OFFSET	0x01

/* f_type */
#define DTYPE_VNODE	1
#define DTYPE_PIPE	2

struct file {
	kmutex_t		 f_lock;
	int			 f_count;	/* atomic */
	int			 f_type;	/* DTYPE_* (constant) */
	unsigned int		 f_flag;	/* O_ACCMODE|O_APPEND|O_NONBLOCK.. */
	off_t			 f_offset;	/* f_lock */
	const struct fileops	*f_ops;		/* constant */
	void			*f_data;	/* vnode, pipe, ... (constant) */
	struct cred		*f_cred;	/* opener's credentials */
};

#define FREAD(fp)	(((fp)->f_flag & O_ACCMODE) != O_WRONLY)
#define FWRITE(fp)	(((fp)->f_flag & O_ACCMODE) != O_RDONLY)

#define FD_DEFAULT_MAX	1024	/* RLIMIT_NOFILE */

struct fdentry {
	struct file	*fe_file;
	int		 fe_flags;	/* FD_CLOEXEC */
};

struct filedesc {
	kmutex_t	 fd_lock;
	int		 fd_refcnt;	/* procs sharing it, atomic */
	int		 fd_nfiles;	/* size of fd_ofiles */
	int		 fd_freefile;	/* lowest possibly free slot */
	struct fdentry	*fd_ofiles;
};

/* A new file with one reference, cred held; NULL on ENOMEM. */
struct file *file_alloc(int type, unsigned int flag, const struct fileops *,
	    void *data);
/* Free a file from file_alloc that was never installed or opened. */
void	file_abort(struct file *);
void	file_hold(struct file *);
void	file_rele(struct file *);	/* closes on the last reference */

/* Descriptors of the current process. */
struct file *fd_getfile(int);		/* held, or NULL (EBADF) */
void	fd_putfile(struct file *);
/* Install fp at the lowest free fd >= minfd; takes a new reference. */
int	fd_install(struct file *, int minfd, int fdflags, int *fdp);
/* Put fp at exactly fd, closing what was there (dup2). */
int	fd_replace(int fd, struct file *, int fdflags);
int	fd_close(int);
int	fd_getflags(int, int *);
int	fd_setflags(int, int);

void	file_init(void);		/* boot */
struct filedesc *fd_alloc(void);
struct filedesc *fd_copy(struct filedesc *);
void	fd_hold(struct filedesc *);
void	fd_release(struct filedesc *);	/* closes all on the last ref */
void	fd_closeall(struct filedesc *);

#endif /* _KERN_FILE_H_ */
