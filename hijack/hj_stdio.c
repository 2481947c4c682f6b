/*
 * hj_stdio.c: stdio streams on kernel files.  glibc's FILE reaches its
 * descriptor through internal calls, so a stream on a kernel file is a
 * fopencookie stream whose functions make kernel calls.  Owns fopen,
 * fopen64, freopen, freopen64, fdopen, fclose, fileno and
 * fileno_unlocked (a cookie stream has no descriptor of its own: the
 * registry hj_files, under hj_filelock, maps it to its number), and the
 * swapping of stdin/stdout/stderr while fd 0, 1 or 2 is a kernel
 * descriptor (hj_std, under hj_filelock).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

struct hj_file {
	struct hj_file	*f_next;	/* hj_filelock */
	FILE		*f_fp;		/* constant */
	int		 f_fd;		/* constant: its fd number */
	bool		 f_own;		/* constant: fclose closes */
};

static pthread_mutex_t hj_filelock = PTHREAD_MUTEX_INITIALIZER;
static struct hj_file *hj_files;	/* hj_filelock */
static FILE *hj_std[3];			/* hj_filelock: replaced ones */

HJ_DECLREAL(fopen);
HJ_DECLREAL(fopen64);
HJ_DECLREAL(freopen);
HJ_DECLREAL(freopen64);
HJ_DECLREAL(fdopen);
HJ_DECLREAL(fclose);
HJ_DECLREAL(fileno);
HJ_DECLREAL(fileno_unlocked);

static ssize_t
hj_cread(void *c, char *buf, size_t len)
{
	struct hj_file *f = c;
	int k = hj_kfd(f->f_fd);

	if (k == -1) {
		errno = EBADF;
		return -1;
	}
	return HJ_K(rump_sys_read(k, buf, len));
}

static ssize_t
hj_cwrite(void *c, const char *buf, size_t len)
{
	struct hj_file *f = c;
	int k = hj_kfd(f->f_fd);
	ssize_t n;

	if (k == -1) {
		errno = EBADF;
		return -1;
	}
	n = HJ_K(rump_sys_write(k, buf, len));
	return n < 0 ? 0 : n;
}

static int
hj_cseek(void *c, off64_t *off, int whence)
{
	struct hj_file *f = c;
	int k = hj_kfd(f->f_fd);
	off_t r;

	if (k == -1) {
		errno = EBADF;
		return -1;
	}
	if ((r = HJ_K(rump_sys_lseek(k, *off, whence))) == -1)
		return -1;
	*off = r;
	return 0;
}

static int
hj_cclose(void *c)
{
	struct hj_file *f = c, **pp;
	int rv = 0;

	pthread_mutex_lock(&hj_filelock);
	for (pp = &hj_files; *pp != NULL && *pp != f; pp = &(*pp)->f_next)
		continue;
	if (*pp != NULL)
		*pp = f->f_next;
	pthread_mutex_unlock(&hj_filelock);
	if (f->f_own)
		rv = close(f->f_fd);
	free(f);
	return rv;
}

/* A stream on kernel descriptor number fd; own: fclose closes fd. */
FILE *
hj_fcookie(int fd, const char *mode, bool own)
{
	cookie_io_functions_t io = {
		.read = hj_cread,
		.write = hj_cwrite,
		.seek = hj_cseek,
		.close = hj_cclose,
	};
	struct hj_file *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->f_fd = fd;
	f->f_own = own;
	if ((f->f_fp = fopencookie(f, mode, io)) == NULL) {
		free(f);
		return NULL;
	}
	pthread_mutex_lock(&hj_filelock);
	f->f_next = hj_files;
	hj_files = f;
	pthread_mutex_unlock(&hj_filelock);
	return f->f_fp;
}

/* open(2) flags for an fopen mode, or -1. */
static int
hj_fmode(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = 0;
		break;
	case 'w':
		flags = O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	flags |= strchr(mode, '+') != NULL ? O_RDWR :
	    mode[0] == 'r' ? O_RDONLY : O_WRONLY;
	if (strchr(mode, 'x') != NULL)
		flags |= O_EXCL;
	if (strchr(mode, 'e') != NULL)
		flags |= O_CLOEXEC;
	return flags;
}

/* fopen of a kernel path: true with the stream (or NULL) in *fpp. */
static bool
hj_kfopen(const char **pathp, const char *mode, FILE **fpp)
{
	char kp[PATH_MAX];
	int kd, w, flags, fd, error;

	if ((w = hj_kpath(AT_FDCWD, pathp, kp, &kd)) == HJ_HOST)
		return false;
	*fpp = NULL;
	if (w == -1)
		return true;
	if ((flags = hj_fmode(mode)) == -1) {
		errno = EINVAL;
		return true;
	}
	if ((fd = open(*pathp, flags, 0666)) == -1)
		return true;
	if ((*fpp = hj_fcookie(fd, mode, true)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return true;
}

FILE *
fopen(const char *path, const char *mode)
{
	FILE *fp;

	if (hj_kfopen(&path, mode, &fp))
		return fp;
	return HJ_REAL(fopen)(path, mode);
}

FILE *
fopen64(const char *path, const char *mode)
{
	FILE *fp;

	if (hj_kfopen(&path, mode, &fp))
		return fp;
	return HJ_REAL(fopen64)(path, mode);
}

static struct hj_file *
hj_filefind(FILE *fp)
{
	struct hj_file *f;

	if (hj_inside)
		return NULL;
	pthread_mutex_lock(&hj_filelock);
	for (f = hj_files; f != NULL && f->f_fp != fp; f = f->f_next)
		continue;
	pthread_mutex_unlock(&hj_filelock);
	return f;
}

/*
 * freopen onto a kernel file, or of a kernel stream: the old stream is
 * closed and a new one returned (for stdin/stdout/stderr the standard
 * descriptor is redirected, so the standard stream follows).
 */
static FILE *
hj_kfreopen(const char *path, const char *mode, FILE *fp)
{
	int std = fp == stdin ? 0 : fp == stdout ? 1 : fp == stderr ? 2 : -1;
	FILE *nfp;
	int fd;

	if (std != -1 && path != NULL) {
		fflush(fp);
		if ((fd = open(path, hj_fmode(mode), 0666)) == -1)
			return NULL;
		if (dup2(fd, std) == -1 || close(fd) == -1)
			return NULL;
		return std == 0 ? stdin : std == 1 ? stdout : stderr;
	}
	if (path == NULL) {
		errno = EBADF;
		return NULL;
	}
	fclose(fp);
	nfp = fopen(path, mode);
	return nfp;
}

FILE *
freopen(const char *path, const char *mode, FILE *fp)
{
	char kp[PATH_MAX];
	int kd;

	if (hj_filefind(fp) == NULL &&
	    hj_kpath(AT_FDCWD, &path, kp, &kd) == HJ_HOST)
		return HJ_REAL(freopen)(path, mode, fp);
	return hj_kfreopen(path, mode, fp);
}

FILE *
freopen64(const char *path, const char *mode, FILE *fp)
{
	char kp[PATH_MAX];
	int kd;

	if (hj_filefind(fp) == NULL &&
	    hj_kpath(AT_FDCWD, &path, kp, &kd) == HJ_HOST)
		return HJ_REAL(freopen64)(path, mode, fp);
	return hj_kfreopen(path, mode, fp);
}

FILE *
fdopen(int fd, const char *mode)
{
	if (hj_inside || hj_kfd(fd) == -1)
		return HJ_REAL(fdopen)(fd, mode);
	if (hj_fmode(mode) == -1) {
		errno = EINVAL;
		return NULL;
	}
	return hj_fcookie(fd, mode, true);
}

int
fclose(FILE *fp)
{
	int i;

	if (hj_filefind(fp) != NULL) {
		pthread_mutex_lock(&hj_filelock);
		for (i = 0; i < 3; i++)
			if (hj_std[i] != NULL &&
			    (i == 0 ? stdin : i == 1 ? stdout : stderr) == fp)
				hj_std[i] = NULL;
		pthread_mutex_unlock(&hj_filelock);
	}
	return HJ_REAL(fclose)(fp);
}

int
fileno(FILE *fp)
{
	struct hj_file *f = hj_filefind(fp);

	if (f == NULL)
		return HJ_REAL(fileno)(fp);
	return f->f_fd;
}

int
fileno_unlocked(FILE *fp)
{
	struct hj_file *f = hj_filefind(fp);

	if (f == NULL)
		return HJ_REAL(fileno_unlocked)(fp);
	return f->f_fd;
}

/*
 * fd (0, 1 or 2) becomes a kernel descriptor (on) or stops being one:
 * put a cookie stream in place of the standard stream, or the original
 * back.  Output is flushed first either way.
 */
void
hj_stdswap(int fd, bool on)
{
	FILE **sp = fd == 0 ? &stdin : fd == 1 ? &stdout : &stderr;
	FILE *nfp;

	pthread_mutex_lock(&hj_filelock);
	if (on && hj_std[fd] == NULL) {
		pthread_mutex_unlock(&hj_filelock);
		if (fd != 0)
			fflush(*sp);
		nfp = hj_fcookie(fd, fd == 0 ? "r" : "w", false);
		if (nfp == NULL)
			return;
		if (fd == 2)
			setvbuf(nfp, NULL, _IONBF, 0);
		pthread_mutex_lock(&hj_filelock);
		hj_std[fd] = *sp;
		*sp = nfp;
	} else if (!on && hj_std[fd] != NULL) {
		nfp = *sp;
		*sp = hj_std[fd];
		hj_std[fd] = NULL;
		pthread_mutex_unlock(&hj_filelock);
		HJ_REAL(fclose)(nfp);
		return;
	}
	pthread_mutex_unlock(&hj_filelock);
}
