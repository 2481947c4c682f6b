/*
 * hj_tmp.c: unique temporary names in the kernel: mkstemp, mkostemp,
 * mkstemps, mkostemps (and their 64-bit names) and mkdtemp.  glibc's
 * create the file with internal calls, so for a kernel template the
 * name is made here (six random letters from getrandom) and created with
 * the interposed open or mkdir, retrying while the name exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "hijack.h"

#define HJ_TMPTRIES	1000

static const char hj_letters[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

HJ_DECLREAL(mkstemp);
HJ_DECLREAL(mkstemp64);
HJ_DECLREAL(mkostemp);
HJ_DECLREAL(mkostemp64);
HJ_DECLREAL(mkstemps);
HJ_DECLREAL(mkstemps64);
HJ_DECLREAL(mkostemps);
HJ_DECLREAL(mkostemps64);
HJ_DECLREAL(mkdtemp);

/* Is template a kernel path? */
static bool
hj_ktmpl(const char *tmpl)
{
	char kp[PATH_MAX];
	int kd;

	return hj_kpath(AT_FDCWD, &tmpl, kp, &kd) != HJ_HOST;
}

/*
 * Fill the six X before the suffix of tmpl and create it (dir: a
 * directory, else a file opened with flags); the descriptor, 0 for a
 * directory, or -1 with errno.
 */
static int
hj_ktemp(char *tmpl, int suffixlen, int flags, bool dir)
{
	size_t len = strlen(tmpl);
	unsigned char rnd[6];
	char *x;
	int i, try, fd;

	if (suffixlen < 0 || len < 6 + (size_t)suffixlen) {
		errno = EINVAL;
		return -1;
	}
	x = tmpl + len - suffixlen - 6;
	for (i = 0; i < 6; i++)
		if (x[i] != 'X') {
			errno = EINVAL;
			return -1;
		}
	for (try = 0; try < HJ_TMPTRIES; try++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -1;
		for (i = 0; i < 6; i++)
			x[i] = hj_letters[rnd[i] % (sizeof(hj_letters) - 1)];
		fd = dir ? mkdir(tmpl, 0700) : open(tmpl, (flags &
		    ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

int
mkstemp(char *tmpl)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkstemp)(tmpl);
	return hj_ktemp(tmpl, 0, 0, false);
}

int
mkstemp64(char *tmpl)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkstemp64)(tmpl);
	return hj_ktemp(tmpl, 0, 0, false);
}

int
mkostemp(char *tmpl, int flags)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkostemp)(tmpl, flags);
	return hj_ktemp(tmpl, 0, flags, false);
}

int
mkostemp64(char *tmpl, int flags)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkostemp64)(tmpl, flags);
	return hj_ktemp(tmpl, 0, flags, false);
}

int
mkstemps(char *tmpl, int suffixlen)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkstemps)(tmpl, suffixlen);
	return hj_ktemp(tmpl, suffixlen, 0, false);
}

int
mkstemps64(char *tmpl, int suffixlen)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkstemps64)(tmpl, suffixlen);
	return hj_ktemp(tmpl, suffixlen, 0, false);
}

int
mkostemps(char *tmpl, int suffixlen, int flags)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkostemps)(tmpl, suffixlen, flags);
	return hj_ktemp(tmpl, suffixlen, flags, false);
}

int
mkostemps64(char *tmpl, int suffixlen, int flags)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkostemps64)(tmpl, suffixlen, flags);
	return hj_ktemp(tmpl, suffixlen, flags, false);
}

char *
mkdtemp(char *tmpl)
{
	if (!hj_ktmpl(tmpl))
		return HJ_REAL(mkdtemp)(tmpl);
	return hj_ktemp(tmpl, 0, 0, true) == -1 ? NULL : tmpl;
}
