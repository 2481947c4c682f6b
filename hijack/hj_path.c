/*
 * hj_path.c: which paths belong to the kernel, and the cwd.
 *
 * Owns the lexical normalisation of paths, their classification
 * (hj_path), the tracked cwd (hj_cwd, as the program sees it: a host
 * path or a path under the kernel prefix) and the calls that read or
 * change it: chdir, fchdir, getcwd, get_current_dir_name, realpath.
 * hj_cwdlock (a rwlock) protects hj_cwd and hj_cwdk.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define HJ_MAXLINKS	40

static pthread_rwlock_t hj_cwdlock = PTHREAD_RWLOCK_INITIALIZER;
static char hj_cwd[PATH_MAX];		/* hj_cwdlock; "" until known */
static int hj_cwdw;			/* hj_cwdlock: enum hj_where */

HJ_DECLREAL(chdir);
HJ_DECLREAL(fchdir);
HJ_DECLREAL(getcwd);
HJ_DECLREAL(get_current_dir_name);
HJ_DECLREAL(realpath);

/*
 * Normalise the absolute path in into out (len bytes): no "//", "."
 * or ".." components ("/.." is "/"); a trailing "/" is kept.
 */
static int
hj_normalise(const char *in, char *out, size_t len)
{
	size_t o = 0, n;
	const char *p = in;
	bool slash = in[strlen(in) - 1] == '/';

	while (*p != '\0') {
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[--o] != '/')
				continue;
			p += n;
			continue;
		}
		if (o + n + 2 >= len)
			return ENAMETOOLONG;
		out[o++] = '/';
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	else if (slash)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* Does path start with the component-wise prefix pfx?  Then its rest. */
static const char *
hj_under(const char *path, const char *pfx)
{
	size_t n = strlen(pfx);

	if (n == 1)
		return path;
	if (strncmp(path, pfx, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return NULL;
	return path[n] == '\0' ? "/" : path + n;
}

static int
hj_copy(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dst, src);
	return HJ_KERN;
}

/*
 * Classify the absolute path abs by its normalised form norm; the kernel
 * path into kbuf.  The kernel gets abs itself past the prefix when abs
 * starts with it, so that ".." after a symbolic link resolves as POSIX
 * says; the normalised form only when abs reached the prefix through
 * "..".  A host path that passes through the prefix (or is relative to
 * a kernel cwd) is HJ_HOSTNORM, with its normalised form in kbuf.
 */
static int
hj_classify(const char *abs, const char *norm, bool kcwd, char *kbuf,
    size_t len)
{
	const char *pfx = hj_prefix(), *rest;
	size_t i;

	if (pfx[0] != '\0' && hj_under(norm, pfx) != NULL) {
		if ((rest = hj_under(abs, pfx)) == NULL)
			rest = hj_under(norm, pfx);
		return hj_copy(kbuf, len, rest);
	}
	for (i = 0; i < hj_nblanket(); i++)
		if (hj_under(norm, hj_blanket(i)) != NULL)
			return hj_copy(kbuf, len, hj_under(abs, hj_blanket(i))
			    != NULL ? abs : norm) == -1 ? -1 : HJ_KBLANKET;
	/* Out of the kernel by "..": the host cannot resolve abs. */
	if ((pfx[0] != '\0' && hj_under(abs, pfx) != NULL) || kcwd)
		return hj_copy(kbuf, len, norm) == -1 ? -1 : HJ_HOSTNORM;
	return HJ_HOST;
}

static void
hj_cwd_init(void)
{
	char buf[PATH_MAX];

	pthread_rwlock_wrlock(&hj_cwdlock);
	if (hj_cwd[0] == '\0' && HJ_REAL(getcwd)(buf, sizeof(buf)) != NULL)
		strcpy(hj_cwd, buf);
	pthread_rwlock_unlock(&hj_cwdlock);
}

/* "cwd/path" into out, or 0 when the cwd is unknown. */
static int
hj_join(const char *path, char *out, size_t len)
{
	int n, try;

	for (try = 0; try < 2; try++) {
		pthread_rwlock_rdlock(&hj_cwdlock);
		n = hj_cwd[0] == '\0' ? 0 :
		    snprintf(out, len, "%s/%s", hj_cwd, path);
		pthread_rwlock_unlock(&hj_cwdlock);
		if (n != 0)
			break;
		hj_cwd_init();
	}
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return n;
}

/*
 * Where does (dirfd, path) go?  HJ_HOST: pass the call to libc
 * unchanged; HJ_HOSTNORM: to libc with the path in kbuf.  HJ_KERN,
 * HJ_KBLANKET: use kbuf (len bytes) relative to *kdirfd in the kernel.
 * -1 with errno: bad path.
 */
int
hj_path(int dirfd, const char *path, char *kbuf, size_t len, int *kdirfd)
{
	char joined[PATH_MAX], norm[PATH_MAX];
	const char *abs = path;
	int k, n;

	*kdirfd = AT_FDCWD;
	if (path == NULL)
		return HJ_HOST;
	if (path[0] == '\0') {
		/* AT_EMPTY_PATH on a kernel descriptor: the kernel decides. */
		if ((*kdirfd = hj_kfd(dirfd)) == -1) {
			*kdirfd = AT_FDCWD;
			return HJ_HOST;
		}
		kbuf[0] = '\0';
		return HJ_KERN;
	}
	hj_config();
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		if ((k = hj_kfd(dirfd)) == -1)
			return HJ_HOST;
		*kdirfd = k;
		return hj_copy(kbuf, len, path);
	}
	if (path[0] != '/') {
		if ((n = hj_join(path, joined, sizeof(joined))) <= 0)
			return n;
		abs = joined;
	}
	if ((n = hj_normalise(abs, norm, sizeof(norm))) != 0) {
		errno = n;
		return -1;
	}
	return hj_classify(abs, norm, abs != path && hj_cwd_where() != HJ_HOST,
	    kbuf, len);
}

/* The host cwd changed: track it. */
void
hj_cwd_host(void)
{
	pthread_rwlock_wrlock(&hj_cwdlock);
	hj_cwd[0] = '\0';
	hj_cwdw = HJ_HOST;
	pthread_rwlock_unlock(&hj_cwdlock);
}

/* The program's view of kernel path kp reached as w (HJ_KERN: under
 * the prefix; HJ_KBLANKET: as it is) into out. */
static int
hj_view(int w, const char *kp, char *out, size_t len)
{
	const char *pfx = hj_prefix();
	int n;

	if (w == HJ_KBLANKET || strcmp(pfx, "/") == 0)
		n = snprintf(out, len, "%s", kp);
	else
		n = snprintf(out, len, "%s%s", pfx,
		    strcmp(kp, "/") == 0 ? "" : kp);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The cwd is now the kernel's, reached as w. */
static int
hj_cwd_kernel(int w)
{
	char kcwd[PATH_MAX];
	int error;

	if (HJ_K(rump_sys_getcwd(kcwd, sizeof(kcwd))) < 0)
		return -1;
	pthread_rwlock_wrlock(&hj_cwdlock);
	error = hj_view(w, kcwd, hj_cwd, sizeof(hj_cwd));
	hj_cwdw = error == 0 ? w : HJ_HOST;
	if (error != 0)
		hj_cwd[0] = '\0';
	pthread_rwlock_unlock(&hj_cwdlock);
	return error;
}

/* After exec: the parent's cwd was in the kernel (which kept it). */
void
hj_cwd_restore(int w)
{
	(void)hj_cwd_kernel(w);
}

/* Where the cwd is (enum hj_where). */
int
hj_cwd_where(void)
{
	int w;

	pthread_rwlock_rdlock(&hj_cwdlock);
	w = hj_cwdw;
	pthread_rwlock_unlock(&hj_cwdlock);
	return w;
}

int
chdir(const char *path)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == -1)
		return -1;
	if (w == HJ_HOST) {
		if (HJ_REAL(chdir)(path) == -1)
			return -1;
		hj_cwd_host();
		return 0;
	}
	if (hj_connect() == -1 || HJ_K(rump_sys_chdir(kp)) == -1)
		return -1;
	return hj_cwd_kernel(w);
}

int
fchdir(int fd)
{
	int k;

	if (hj_inside || (k = hj_kfd(fd)) == -1) {
		if (HJ_REAL(fchdir)(fd) == -1)
			return -1;
		if (!hj_inside)
			hj_cwd_host();
		return 0;
	}
	if (HJ_K(rump_sys_fchdir(k)) == -1)
		return -1;
	return hj_cwd_kernel(hj_prefix()[0] != '\0' ? HJ_KERN : HJ_KBLANKET);
}

/* The cwd as the program sees it into buf, or NULL. */
static char *
hj_kgetcwd(char *buf, size_t size)
{
	size_t n;

	pthread_rwlock_rdlock(&hj_cwdlock);
	n = strlen(hj_cwd) + 1;
	if (buf == NULL)
		buf = malloc(size > n ? size : n);
	if (buf == NULL || (size != 0 && size < n)) {
		pthread_rwlock_unlock(&hj_cwdlock);
		errno = buf == NULL ? ENOMEM : ERANGE;
		return NULL;
	}
	memcpy(buf, hj_cwd, n);
	pthread_rwlock_unlock(&hj_cwdlock);
	return buf;
}

char *
getcwd(char *buf, size_t size)
{
	if (hj_inside || hj_cwd_where() == HJ_HOST)
		return HJ_REAL(getcwd)(buf, size);
	if (buf != NULL && size == 0) {
		errno = EINVAL;
		return NULL;
	}
	return hj_kgetcwd(buf, size);
}

char *
get_current_dir_name(void)
{
	if (hj_inside || hj_cwd_where() == HJ_HOST)
		return HJ_REAL(get_current_dir_name)();
	return hj_kgetcwd(NULL, 0);
}

/*
 * realpath of a kernel path (kp, seen by the program under the prefix
 * or blanket vp): walk it, following symbolic links in the kernel.
 */
static int
hj_kwalk(char *kp, char *out, size_t len)
{
	char work[PATH_MAX], link[PATH_MAX], rest[PATH_MAX];
	struct stat st;
	size_t o = 0, n;
	ssize_t ln;
	int links = 0;
	char *p;

	if (strlen(kp) >= sizeof(work))
		return ENAMETOOLONG;
	strcpy(work, kp);
	p = work;
	out[0] = '\0';
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if ((n = strcspn(p, "/")) == 0)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[--o] != '/')
				continue;
			out[o] = '\0';
			p += n;
			continue;
		}
		if (o + n + 2 >= len)
			return ENAMETOOLONG;
		out[o++] = '/';
		memcpy(out + o, p, n);
		out[o + n] = '\0';
		p += n;
		if (HJ_K(rump_sys_lstat(out, &st)) == -1)
			return errno;
		if (!S_ISLNK(st.st_mode)) {
			o += n;
			continue;
		}
		if (++links > HJ_MAXLINKS)
			return ELOOP;
		ln = HJ_K(rump_sys_readlink(out, link, sizeof(link) - 1));
		if (ln < 0)
			return errno;
		link[ln] = '\0';
		if (snprintf(rest, sizeof(rest), "%s/%s", link, p) >=
		    (int)sizeof(rest))
			return ENAMETOOLONG;
		strcpy(work, rest);
		p = work;
		o = link[0] == '/' ? 0 : o - 1;
		out[o] = '\0';
	}
	if (o == 0)
		strcpy(out, "/");
	return 0;
}

char *
realpath(const char *path, char *resolved)
{
	char kp[PATH_MAX], res[PATH_MAX], *ret;
	int kd, w, error;

	if (hj_inside)
		return HJ_REAL(realpath)(path, resolved);
	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == -1)
		return NULL;
	if (w == HJ_HOST)
		return HJ_REAL(realpath)(path, resolved);
	if (hj_connect() == -1)
		return NULL;
	if ((error = hj_kwalk(kp, res, sizeof(res))) != 0) {
		errno = error;
		return NULL;
	}
	ret = resolved != NULL ? resolved : malloc(PATH_MAX);
	if (ret == NULL)
		return NULL;
	if (hj_view(w, res, ret, PATH_MAX) == -1) {
		if (resolved == NULL)
			free(ret);
		return NULL;
	}
	return ret;
}

/*
 * For a call on (dirfd, *pathp): HJ_HOST (pass it to libc with *pathp,
 * which may now point to the normalised path in kp), -1 with errno, or
 * HJ_KERN/HJ_KBLANKET with the kernel path in kp (PATH_MAX bytes)
 * relative to *kd and the server connected.
 */
int
hj_kpath(int dirfd, const char **pathp, char *kp, int *kd)
{
	int w;

	if (hj_inside)
		return HJ_HOST;
	w = hj_path(dirfd, *pathp, kp, PATH_MAX, kd);
	if (w == HJ_HOSTNORM) {
		*pathp = kp;
		return HJ_HOST;
	}
	if (w > 0 && hj_connect() == -1)
		return -1;
	return w;
}
