/*
 * hj_dir.c: directory streams on kernel directories.  glibc's opendir
 * reads with internal calls LD_PRELOAD cannot reach, so a kernel DIR is
 * our own struct hj_dir, filled by getdents64 in the kernel; the
 * registry (hj_dirs, under hj_dirlock) tells ours from libc's, which
 * pass through untouched.  Each hj_dir has its own lock for its buffer.
 * struct dirent and dirent64 are the kernel's linux_dirent64 on x86-64,
 * so entries are returned in place after their bounds are checked.
 * scandir and scandirat (glibc's read internally) are built on these.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define HJ_DIRBUF	32768

struct hj_dir {
	struct hj_dir	*d_next;	/* hj_dirlock */
	pthread_mutex_t	 d_lock;
	int		 d_fd;		/* constant: its fd number */
	size_t		 d_pos;		/* d_lock: next entry */
	size_t		 d_len;		/* d_lock: bytes read */
	long		 d_loc;		/* d_lock: telldir() */
	char		 d_buf[HJ_DIRBUF + sizeof(struct dirent)];
					/* d_lock; slack for the last name */
};

static pthread_mutex_t hj_dirlock = PTHREAD_MUTEX_INITIALIZER;
static struct hj_dir *hj_dirs;		/* hj_dirlock */

HJ_DECLREAL(opendir);
HJ_DECLREAL(fdopendir);
HJ_DECLREAL(readdir);
HJ_DECLREAL(readdir64);
/* Deprecated in glibc, still called by programs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
HJ_DECLREAL(readdir_r);
HJ_DECLREAL(readdir64_r);
#pragma GCC diagnostic pop
HJ_DECLREAL(closedir);
HJ_DECLREAL(rewinddir);
HJ_DECLREAL(seekdir);
HJ_DECLREAL(telldir);
HJ_DECLREAL(dirfd);
HJ_DECLREAL(getdents64);
HJ_DECLREAL(scandir);
HJ_DECLREAL(scandirat);

typedef int (*hj_dsel_t)(const struct dirent *);
typedef int (*hj_dcmp_t)(const struct dirent **, const struct dirent **);

/* Ours, or NULL: a libc stream. */
static struct hj_dir *
hj_dirfind(DIR *dp)
{
	struct hj_dir *d;

	if (hj_inside)
		return NULL;
	pthread_mutex_lock(&hj_dirlock);
	for (d = hj_dirs; d != NULL && (DIR *)d != dp; d = d->d_next)
		continue;
	pthread_mutex_unlock(&hj_dirlock);
	return d;
}

/* A stream on kernel directory number fd, or NULL with errno. */
static DIR *
hj_dirnew(int fd)
{
	struct hj_dir *d;
	struct stat st;

	if (HJ_K(rump_sys_fstat(hj_kfd(fd), &st)) == -1)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	pthread_mutex_init(&d->d_lock, NULL);
	d->d_fd = fd;
	pthread_mutex_lock(&hj_dirlock);
	d->d_next = hj_dirs;
	hj_dirs = d;
	pthread_mutex_unlock(&hj_dirlock);
	return (DIR *)d;
}

DIR *
opendir(const char *path)
{
	char kp[PATH_MAX];
	DIR *dp;
	int kd, w, fd, error;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(opendir)(path);
	if (w == -1)
		return NULL;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	if ((dp = hj_dirnew(fd)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return dp;
}

DIR *
fdopendir(int fd)
{
	if (hj_inside || hj_kfd(fd) == -1)
		return HJ_REAL(fdopendir)(fd);
	return hj_dirnew(fd);
}

/* The next entry, or NULL (errno set on error, unchanged at the end). */
static struct dirent *
hj_dirnext(struct hj_dir *d)
{
	struct dirent *de;
	ssize_t n;

	if (d->d_pos >= d->d_len) {
		n = HJ_K(rump_sys_getdents64(hj_kfd(d->d_fd), d->d_buf,
		    HJ_DIRBUF));
		if (n <= 0)
			return NULL;
		d->d_len = (size_t)n;
		d->d_pos = 0;
	}
	de = (struct dirent *)(d->d_buf + d->d_pos);
	if (d->d_len - d->d_pos < offsetof(struct dirent, d_name) + 2 ||
	    de->d_reclen < offsetof(struct dirent, d_name) + 2 ||
	    de->d_reclen > d->d_len - d->d_pos ||
	    memchr(de->d_name, '\0', de->d_reclen -
	    offsetof(struct dirent, d_name)) == NULL) {
		d->d_pos = d->d_len = 0;
		errno = EIO;
		return NULL;
	}
	d->d_pos += de->d_reclen;
	d->d_loc = de->d_off;
	return de;
}

struct dirent *
readdir(DIR *dp)
{
	struct hj_dir *d = hj_dirfind(dp);
	struct dirent *de;

	if (d == NULL)
		return HJ_REAL(readdir)(dp);
	pthread_mutex_lock(&d->d_lock);
	de = hj_dirnext(d);
	pthread_mutex_unlock(&d->d_lock);
	return de;
}

struct dirent64 *
readdir64(DIR *dp)
{
	struct hj_dir *d = hj_dirfind(dp);
	struct dirent *de;

	if (d == NULL)
		return HJ_REAL(readdir64)(dp);
	pthread_mutex_lock(&d->d_lock);
	de = hj_dirnext(d);
	pthread_mutex_unlock(&d->d_lock);
	return (struct dirent64 *)de;
}

/* readdir_r: copy the entry out under the stream's lock. */
static int
hj_dirnext_r(struct hj_dir *d, void *entry, void **result)
{
	struct dirent *de;
	int error = 0;

	pthread_mutex_lock(&d->d_lock);
	errno = 0;
	if ((de = hj_dirnext(d)) != NULL)
		memcpy(entry, de, de->d_reclen);
	else
		error = errno;
	pthread_mutex_unlock(&d->d_lock);
	*result = de != NULL ? entry : NULL;
	return error;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
int
readdir_r(DIR *dp, struct dirent *entry, struct dirent **result)
{
	struct hj_dir *d = hj_dirfind(dp);

	if (d == NULL)
		return HJ_REAL(readdir_r)(dp, entry, result);
	return hj_dirnext_r(d, entry, (void **)result);
}

int
readdir64_r(DIR *dp, struct dirent64 *entry, struct dirent64 **result)
{
	struct hj_dir *d = hj_dirfind(dp);

	if (d == NULL)
		return HJ_REAL(readdir64_r)(dp, entry, result);
	return hj_dirnext_r(d, entry, (void **)result);
}
#pragma GCC diagnostic pop

int
closedir(DIR *dp)
{
	struct hj_dir *d = hj_dirfind(dp), **pp;
	int fd;

	if (d == NULL)
		return HJ_REAL(closedir)(dp);
	pthread_mutex_lock(&hj_dirlock);
	for (pp = &hj_dirs; *pp != d; pp = &(*pp)->d_next)
		continue;
	*pp = d->d_next;
	pthread_mutex_unlock(&hj_dirlock);
	fd = d->d_fd;
	pthread_mutex_destroy(&d->d_lock);
	free(d);
	return close(fd);
}

/* Restart the stream at kernel directory offset loc. */
static void
hj_dirseek(struct hj_dir *d, long loc)
{
	pthread_mutex_lock(&d->d_lock);
	if (HJ_K(rump_sys_lseek(hj_kfd(d->d_fd), loc, SEEK_SET)) != -1) {
		d->d_pos = d->d_len = 0;
		d->d_loc = loc;
	}
	pthread_mutex_unlock(&d->d_lock);
}

void
rewinddir(DIR *dp)
{
	struct hj_dir *d = hj_dirfind(dp);

	if (d == NULL)
		HJ_REAL(rewinddir)(dp);
	else
		hj_dirseek(d, 0);
}

void
seekdir(DIR *dp, long loc)
{
	struct hj_dir *d = hj_dirfind(dp);

	if (d == NULL)
		HJ_REAL(seekdir)(dp, loc);
	else
		hj_dirseek(d, loc);
}

long
telldir(DIR *dp)
{
	struct hj_dir *d = hj_dirfind(dp);
	long loc;

	if (d == NULL)
		return HJ_REAL(telldir)(dp);
	pthread_mutex_lock(&d->d_lock);
	loc = d->d_loc;
	pthread_mutex_unlock(&d->d_lock);
	return loc;
}

int
dirfd(DIR *dp)
{
	struct hj_dir *d = hj_dirfind(dp);

	if (d == NULL)
		return HJ_REAL(dirfd)(dp);
	return d->d_fd;
}

ssize_t
getdents64(int fd, void *buf, size_t len)
{
	int k = hj_inside ? -1 : hj_kfd(fd);

	if (k == -1)
		return HJ_REAL(getdents64)(fd, buf, len);
	return HJ_K(rump_sys_getdents64(k, buf, len));
}

static int
hj_dcmp(const void *a, const void *b, void *arg)
{
	const hj_dcmp_t *cmp = arg;
	const struct dirent *x = *(struct dirent *const *)a;
	const struct dirent *y = *(struct dirent *const *)b;

	return (*cmp)(&x, &y);
}

/* scandir on an open kernel stream (closed here); -1 with errno. */
static int
hj_kscandir(DIR *dp, struct dirent ***list, hj_dsel_t sel, hj_dcmp_t cmp)
{
	struct dirent *de, *copy, **v = NULL, **nv;
	size_t n = 0, cap = 0, len;
	int error = 0;

	if (dp == NULL)
		return -1;
	errno = 0;
	while (error == 0 && (de = readdir(dp)) != NULL) {
		if (sel != NULL && sel(de) == 0)
			continue;
		len = offsetof(struct dirent, d_name) + strlen(de->d_name) + 1;
		if (n == cap) {
			cap = cap != 0 ? 2 * cap : 32;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				error = errno;
				break;
			}
			v = nv;
		}
		if ((copy = malloc(len)) == NULL) {
			error = errno;
			break;
		}
		memcpy(copy, de, len);
		copy->d_reclen = (unsigned short)len;
		v[n++] = copy;
		errno = 0;
	}
	if (error == 0)
		error = errno;
	closedir(dp);
	if (error != 0 || n > INT_MAX) {
		while (n > 0)
			free(v[--n]);
		free(v);
		errno = error != 0 ? error : EOVERFLOW;
		return -1;
	}
	if (cmp != NULL)
		qsort_r(v, n, sizeof(*v), hj_dcmp, &cmp);
	*list = v;
	return (int)n;
}

int
scandir(const char *path, struct dirent ***list, hj_dsel_t sel,
    hj_dcmp_t cmp)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(scandir)(path, list, sel, cmp);
	return w == -1 ? -1 : hj_kscandir(opendir(path), list, sel, cmp);
}

/* opendir of (dirfd, path) through the interposed openat. */
static DIR *
hj_opendirat(int dirfd, const char *path)
{
	DIR *dp;
	int fd, error;

	if ((fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
	    == -1)
		return NULL;
	if ((dp = fdopendir(fd)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return dp;
}

int
scandirat(int dirfd, const char *path, struct dirent ***list, hj_dsel_t sel,
    hj_dcmp_t cmp)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(scandirat)(dirfd, path, list, sel, cmp);
	return w == -1 ? -1 :
	    hj_kscandir(hj_opendirat(dirfd, path), list, sel, cmp);
}
