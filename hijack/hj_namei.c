/*
 * hj_namei.c: calls that change names and attributes by path: mkdir,
 * mknod, mkfifo, rmdir, unlink, remove, rename, link, symlink, readlink,
 * the chmod, chown and utimes families and truncate (with their *at
 * forms, and the descriptor forms fchmod, fchown, futimens).  A rename
 * or link between the host and the kernel fails with EXDEV, as across
 * file systems.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HJ_DECLREAL(mkdir);
HJ_DECLREAL(mkdirat);
HJ_DECLREAL(mknod);
HJ_DECLREAL(mknodat);
HJ_DECLREAL(mkfifo);
HJ_DECLREAL(mkfifoat);
HJ_DECLREAL(rmdir);
HJ_DECLREAL(remove);
HJ_DECLREAL(lchmod);
HJ_DECLREAL(unlink);
HJ_DECLREAL(unlinkat);
HJ_DECLREAL(rename);
HJ_DECLREAL(renameat);
HJ_DECLREAL(renameat2);
HJ_DECLREAL(link);
HJ_DECLREAL(linkat);
HJ_DECLREAL(symlink);
HJ_DECLREAL(symlinkat);
HJ_DECLREAL(readlink);
HJ_DECLREAL(readlinkat);
HJ_DECLREAL(chmod);
HJ_DECLREAL(fchmod);
HJ_DECLREAL(fchmodat);
HJ_DECLREAL(chown);
HJ_DECLREAL(lchown);
HJ_DECLREAL(fchown);
HJ_DECLREAL(fchownat);
HJ_DECLREAL(utimensat);
HJ_DECLREAL(futimens);
HJ_DECLREAL(utimes);
HJ_DECLREAL(lutimes);
HJ_DECLREAL(futimes);
HJ_DECLREAL(utime);
HJ_DECLREAL(futimesat);
HJ_DECLREAL(truncate);
HJ_DECLREAL(truncate64);

static int
hj_k(int fd)
{
	return hj_inside ? -1 : hj_kfd(fd);
}

int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(mkdirat)(dirfd, path, mode);
	return w == -1 ? -1 : HJ_K(rump_sys_mkdirat(kd, kp, mode));
}

int
mkdir(const char *path, mode_t mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(mkdir)(path, mode);
	return w == -1 ? -1 : HJ_K(rump_sys_mkdirat(kd, kp, mode));
}

int
mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(mknodat)(dirfd, path, mode, dev);
	return w == -1 ? -1 : HJ_K(rump_sys_mknodat(kd, kp, mode, dev));
}

int
mknod(const char *path, mode_t mode, dev_t dev)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(mknod)(path, mode, dev);
	return w == -1 ? -1 : HJ_K(rump_sys_mknodat(kd, kp, mode, dev));
}

int
mkfifoat(int dirfd, const char *path, mode_t mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(mkfifoat)(dirfd, path, mode);
	return w == -1 ? -1 :
	    HJ_K(rump_sys_mknodat(kd, kp, S_IFIFO | (mode & 07777), 0));
}

int
mkfifo(const char *path, mode_t mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(mkfifo)(path, mode);
	return w == -1 ? -1 :
	    HJ_K(rump_sys_mknodat(kd, kp, S_IFIFO | (mode & 07777), 0));
}

/* remove(3): unlink, or rmdir for a directory, as glibc does. */
int
remove(const char *path)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(remove)(path);
	if (w == -1)
		return -1;
	if (HJ_K(rump_sys_unlinkat(kd, kp, 0)) == 0)
		return 0;
	if (errno != EISDIR)
		return -1;
	return HJ_K(rump_sys_unlinkat(kd, kp, AT_REMOVEDIR));
}

int
rmdir(const char *path)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(rmdir)(path);
	return w == -1 ? -1 :
	    HJ_K(rump_sys_unlinkat(kd, kp, AT_REMOVEDIR));
}

int
unlinkat(int dirfd, const char *path, int flags)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(unlinkat)(dirfd, path, flags);
	return w == -1 ? -1 : HJ_K(rump_sys_unlinkat(kd, kp, flags));
}

int
unlink(const char *path)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(unlink)(path);
	return w == -1 ? -1 : HJ_K(rump_sys_unlinkat(kd, kp, 0));
}

/*
 * Classify both paths of a rename or link: HJ_HOST (both host), -1
 * (errno set; EXDEV when they are on different sides), or kernel with
 * both kernel paths ready.
 */
static int
hj_kpath2(int d1, const char **p1, char *k1, int *kd1, int d2,
    const char **p2, char *k2, int *kd2)
{
	int w1, w2;

	if ((w1 = hj_kpath(d1, p1, k1, kd1)) == -1 ||
	    (w2 = hj_kpath(d2, p2, k2, kd2)) == -1)
		return -1;
	if ((w1 == HJ_HOST) != (w2 == HJ_HOST)) {
		errno = EXDEV;
		return -1;
	}
	return w1;
}

int
renameat2(int d1, const char *p1, int d2, const char *p2, unsigned int flags)
{
	char k1[PATH_MAX], k2[PATH_MAX];
	int kd1, kd2, w;

	w = hj_kpath2(d1, &p1, k1, &kd1, d2, &p2, k2, &kd2);
	if (w == HJ_HOST)
		return HJ_REAL(renameat2)(d1, p1, d2, p2, flags);
	return w == -1 ? -1 :
	    HJ_K(rump_sys_renameat2(kd1, k1, kd2, k2, flags));
}

int
renameat(int d1, const char *p1, int d2, const char *p2)
{
	char k1[PATH_MAX], k2[PATH_MAX];
	int kd1, kd2, w;

	w = hj_kpath2(d1, &p1, k1, &kd1, d2, &p2, k2, &kd2);
	if (w == HJ_HOST)
		return HJ_REAL(renameat)(d1, p1, d2, p2);
	return w == -1 ? -1 : HJ_K(rump_sys_renameat(kd1, k1, kd2, k2));
}

int
rename(const char *p1, const char *p2)
{
	char k1[PATH_MAX], k2[PATH_MAX];
	int kd1, kd2, w;

	w = hj_kpath2(AT_FDCWD, &p1, k1, &kd1, AT_FDCWD, &p2, k2, &kd2);
	if (w == HJ_HOST)
		return HJ_REAL(rename)(p1, p2);
	return w == -1 ? -1 : HJ_K(rump_sys_renameat(kd1, k1, kd2, k2));
}

int
linkat(int d1, const char *p1, int d2, const char *p2, int flags)
{
	char k1[PATH_MAX], k2[PATH_MAX];
	int kd1, kd2, w;

	w = hj_kpath2(d1, &p1, k1, &kd1, d2, &p2, k2, &kd2);
	if (w == HJ_HOST)
		return HJ_REAL(linkat)(d1, p1, d2, p2, flags);
	return w == -1 ? -1 :
	    HJ_K(rump_sys_linkat(kd1, k1, kd2, k2, flags));
}

int
link(const char *p1, const char *p2)
{
	char k1[PATH_MAX], k2[PATH_MAX];
	int kd1, kd2, w;

	w = hj_kpath2(AT_FDCWD, &p1, k1, &kd1, AT_FDCWD, &p2, k2, &kd2);
	if (w == HJ_HOST)
		return HJ_REAL(link)(p1, p2);
	return w == -1 ? -1 : HJ_K(rump_sys_linkat(kd1, k1, kd2, k2, 0));
}

/* The target of a symbolic link is its contents, never translated. */
int
symlinkat(const char *target, int dirfd, const char *path)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(symlinkat)(target, dirfd, path);
	return w == -1 ? -1 : HJ_K(rump_sys_symlinkat(target, kd, kp));
}

int
symlink(const char *target, const char *path)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(symlink)(target, path);
	return w == -1 ? -1 : HJ_K(rump_sys_symlinkat(target, kd, kp));
}

ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(readlinkat)(dirfd, path, buf, len);
	return w == -1 ? -1 : HJ_K(rump_sys_readlinkat(kd, kp, buf, len));
}

ssize_t
readlink(const char *path, char *buf, size_t len)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(readlink)(path, buf, len);
	return w == -1 ? -1 : HJ_K(rump_sys_readlinkat(kd, kp, buf, len));
}

int
fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(fchmodat)(dirfd, path, mode, flags);
	return w == -1 ? -1 : HJ_K(rump_sys_fchmodat(kd, kp, mode, flags));
}

int
chmod(const char *path, mode_t mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(chmod)(path, mode);
	return w == -1 ? -1 : HJ_K(rump_sys_fchmodat(kd, kp, mode, 0));
}

int
lchmod(const char *path, mode_t mode)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(lchmod)(path, mode);
	return w == -1 ? -1 : HJ_K(rump_sys_fchmodat(kd, kp, mode,
	    AT_SYMLINK_NOFOLLOW));
}

int
fchmod(int fd, mode_t mode)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(fchmod)(fd, mode);
	return HJ_K(rump_sys_fchmod(k, mode));
}

int
fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(fchownat)(dirfd, path, uid, gid, flags);
	return w == -1 ? -1 :
	    HJ_K(rump_sys_fchownat(kd, kp, uid, gid, flags));
}

int
chown(const char *path, uid_t uid, gid_t gid)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(chown)(path, uid, gid);
	return w == -1 ? -1 : HJ_K(rump_sys_fchownat(kd, kp, uid, gid, 0));
}

int
lchown(const char *path, uid_t uid, gid_t gid)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(lchown)(path, uid, gid);
	return w == -1 ? -1 : HJ_K(rump_sys_fchownat(kd, kp, uid, gid,
	    AT_SYMLINK_NOFOLLOW));
}

int
fchown(int fd, uid_t uid, gid_t gid)
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(fchown)(fd, uid, gid);
	return HJ_K(rump_sys_fchown(k, uid, gid));
}

int
utimensat(int dirfd, const char *path, const struct timespec ts[2],
    int flags)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(dirfd, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(utimensat)(dirfd, path, ts, flags);
	return w == -1 ? -1 : HJ_K(rump_sys_utimensat(kd, kp, ts, flags));
}

int
futimens(int fd, const struct timespec ts[2])
{
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(futimens)(fd, ts);
	return HJ_K(rump_sys_futimens(k, ts));
}

/* timevals (or NULL: now) as the timespecs utimensat takes. */
static const struct timespec *
hj_tv2ts(const struct timeval tv[2], struct timespec ts[2])
{
	int i;

	if (tv == NULL)
		return NULL;
	for (i = 0; i < 2; i++) {
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return ts;
}

/* utimes-style calls with timevals on a kernel path; -2: not kernel. */
static int
hj_kutimes(int dirfd, const char **pathp, const struct timeval tv[2],
    int flags)
{
	struct timespec ts[2];
	char kp[PATH_MAX];
	int kd, w;

	if (tv != NULL && (tv[0].tv_usec < 0 || tv[0].tv_usec >= 1000000 ||
	    tv[1].tv_usec < 0 || tv[1].tv_usec >= 1000000)) {
		errno = EINVAL;
		return -1;
	}
	if ((w = hj_kpath(dirfd, pathp, kp, &kd)) == HJ_HOST)
		return -2;
	return w == -1 ? -1 :
	    HJ_K(rump_sys_utimensat(kd, kp, hj_tv2ts(tv, ts), flags));
}

int
utimes(const char *path, const struct timeval tv[2])
{
	int rv = hj_kutimes(AT_FDCWD, &path, tv, 0);

	return rv != -2 ? rv : HJ_REAL(utimes)(path, tv);
}

int
lutimes(const char *path, const struct timeval tv[2])
{
	int rv = hj_kutimes(AT_FDCWD, &path, tv, AT_SYMLINK_NOFOLLOW);

	return rv != -2 ? rv : HJ_REAL(lutimes)(path, tv);
}

int
futimesat(int dirfd, const char *path, const struct timeval tv[2])
{
	int rv = hj_kutimes(dirfd, &path, tv, 0);

	return rv != -2 ? rv : HJ_REAL(futimesat)(dirfd, path, tv);
}

int
futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];
	int k = hj_k(fd);

	if (k == -1)
		return HJ_REAL(futimes)(fd, tv);
	return HJ_K(rump_sys_futimens(k, hj_tv2ts(tv, ts)));
}

int
utime(const char *path, const struct utimbuf *ub)
{
	struct timeval tv[2];
	int rv;

	if (ub != NULL) {
		tv[0].tv_sec = ub->actime;
		tv[1].tv_sec = ub->modtime;
		tv[0].tv_usec = tv[1].tv_usec = 0;
	}
	rv = hj_kutimes(AT_FDCWD, &path, ub != NULL ? tv : NULL, 0);
	return rv != -2 ? rv : HJ_REAL(utime)(path, ub);
}

int
truncate(const char *path, off_t len)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(truncate)(path, len);
	return w == -1 ? -1 : HJ_K(rump_sys_truncate(kp, len));
}

int
truncate64(const char *path, off64_t len)
{
	char kp[PATH_MAX];
	int kd, w;

	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == HJ_HOST)
		return HJ_REAL(truncate64)(path, len);
	return w == -1 ? -1 : HJ_K(rump_sys_truncate(kp, len));
}
