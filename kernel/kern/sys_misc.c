/*
 * sys_misc.c: small system calls about the kernel itself: uname,
 * sethostname, rump_sysctl (sysctl by name), clock_gettime, nanosleep.
 * The host name and the sysctl values live in sysctl.c; everything here
 * goes through sysctl_lookup() so that it is read and written under the
 * tree's lock.
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <kern/kmem.h>
#include <kern/lwp.h>
#include <kern/syscall.h>
#include <kern/uio.h>
#include <lib/lib.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/time.h>

#define NSEC_PER_SEC	1000000000ULL
#define HOSTNAME_MAX	(UTSNAME_LEN - 1)	/* Linux __NEW_UTS_LEN */
#define SYSCTL_NAMEMAX	128		/* longest name, with the NUL */
#define SYSCTL_VALMAX	(64 * 1024)	/* largest value moved at once */

static int
sys_uname(struct lwp *l, const register_t *args, register_t *retval)
{
	struct utsname *u;
	size_t len;
	int error;

	if ((u = kmem_zalloc(sizeof(*u))) == NULL)
		return ENOMEM;
	strlcpy(u->sysname, ostype, sizeof(u->sysname));
	len = sizeof(u->nodename);
	if ((error = sysctl_lookup("kern.hostname", u->nodename, &len, NULL,
	    0)) != 0)
		goto out;
	strlcpy(u->release, osrelease, sizeof(u->release));
	strlcpy(u->version, osversion, sizeof(u->version));
	strlcpy(u->machine, machine, sizeof(u->machine));
	strlcpy(u->domainname, "(none)", sizeof(u->domainname));
	error = copyout(u, SYSARG(struct utsname *, 0), sizeof(*u));
	retval[0] = 0;
out:
	kmem_free(u, sizeof(*u));
	return error;
}

/* sethostname(name, len): root only; len at most 64, no NUL needed. */
static int
sys_sethostname(struct lwp *l, const register_t *args, register_t *retval)
{
	char name[HOSTNAME_MAX + 1];
	long len = SYSARG(long, 1);
	int error;

	if (l->l_cred->cr_euid != 0)
		return EPERM;
	if (len < 0 || len > HOSTNAME_MAX)
		return EINVAL;
	if ((error = copyin(SYSARG(const char *, 0), name, (size_t)len)) != 0)
		return error;
	name[len] = '\0';
	retval[0] = 0;
	return sysctl_lookup("kern.hostname", NULL, NULL, name,
	    (size_t)len + 1);
}

/* Copy in a sysctl value to set; *bufp is NULL when there is none. */
static int
sysctl_copyin_new(const void *unewp, size_t newlen, void **bufp)
{
	void *buf;
	int error;

	*bufp = NULL;
	if (unewp == NULL)
		return 0;
	if (newlen > SYSCTL_VALMAX)
		return EINVAL;
	if ((buf = kmem_alloc(MAX(newlen, 1))) == NULL)
		return ENOMEM;
	if ((error = copyin(unewp, buf, newlen)) != 0) {
		kmem_free(buf, MAX(newlen, 1));
		return error;
	}
	*bufp = buf;
	return 0;
}

/*
 * rump_sysctl(name, oldp, oldlenp, newp, newlen): like sysctlbyname(3).
 * The old value goes through a kernel buffer of at most SYSCTL_VALMAX
 * bytes; *oldlenp is updated on success and on ENOMEM.
 */
static int
sys_rump_sysctl(struct lwp *l, const register_t *args, register_t *retval)
{
	char name[SYSCTL_NAMEMAX];
	void *uoldp = SYSARG(void *, 1);
	size_t *uoldlenp = SYSARG(size_t *, 2);
	size_t newlen = SYSARG(size_t, 4);
	size_t oldlen = 0, bufsize = 0;
	void *oldbuf = NULL, *newbuf;
	int error;

	if ((error = copyinstr(SYSARG(const char *, 0), name, sizeof(name),
	    NULL)) != 0)
		return error;
	if (uoldp != NULL && uoldlenp == NULL)
		return EINVAL;
	if (uoldlenp != NULL &&
	    (error = copyin(uoldlenp, &oldlen, sizeof(oldlen))) != 0)
		return error;
	if ((error = sysctl_copyin_new(SYSARG(const void *, 3), newlen,
	    &newbuf)) != 0)
		return error;
	if (uoldp != NULL) {
		oldlen = MIN(oldlen, SYSCTL_VALMAX);
		bufsize = MAX(oldlen, 1);
		if ((oldbuf = kmem_alloc(bufsize)) == NULL) {
			error = ENOMEM;
			goto out;
		}
	}
	error = sysctl_lookup(name, oldbuf, uoldlenp != NULL ? &oldlen : NULL,
	    newbuf, newlen);
	if (error == 0 && oldbuf != NULL)
		error = copyout(oldbuf, uoldp, oldlen);
	if ((error == 0 || error == ENOMEM) && uoldlenp != NULL &&
	    copyout(&oldlen, uoldlenp, sizeof(oldlen)) != 0)
		error = EFAULT;
	retval[0] = 0;
out:
	if (oldbuf != NULL)
		kmem_free(oldbuf, bufsize);
	if (newbuf != NULL)
		kmem_free(newbuf, MAX(newlen, 1));
	return error;
}

static int
sys_clock_gettime(struct lwp *l, const register_t *args, register_t *retval)
{
	struct timespec ts;
	uint64_t ns;

	switch (SYSARG(int, 0)) {
	case CLOCK_REALTIME:
		getnanotime(&ts);
		break;
	case CLOCK_MONOTONIC:
		ns = getnanouptime();
		ts.tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
		break;
	default:
		return EINVAL;
	}
	retval[0] = 0;
	return copyout(&ts, SYSARG(struct timespec *, 1), sizeof(ts));
}

/* nanosleep(req, rem): only the death of the process interrupts a
 * sleep (EINTR, with the time left in rem). */
static int
sys_nanosleep(struct lwp *l, const register_t *args, register_t *retval)
{
	struct timespec ts, *rem = SYSARG(struct timespec *, 1);
	uint64_t ns, left;
	int error;

	if ((error = copyin(SYSARG(const struct timespec *, 0), &ts,
	    sizeof(ts))) != 0)
		return error;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
		return EINVAL;
	if ((uint64_t)ts.tv_sec >= UINT64_MAX / NSEC_PER_SEC)
		ns = UINT64_MAX;
	else
		ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	if ((error = kpause_sig_ns(ns, &left)) != 0) {
		ts.tv_sec = (int64_t)(left / NSEC_PER_SEC);
		ts.tv_nsec = (long)(left % NSEC_PER_SEC);
		if (rem != NULL && copyout(&ts, rem, sizeof(ts)) != 0)
			return EFAULT;
		return error;
	}
	retval[0] = 0;
	return 0;
}

void
kern_syscalls_misc_init(void)
{

	syscall_register(SYS_uname, sys_uname, "uname");
	syscall_register(SYS_sethostname, sys_sethostname, "sethostname");
	syscall_register(SYS_rump_sysctl, sys_rump_sysctl, "rump_sysctl");
	syscall_register(SYS_clock_gettime, sys_clock_gettime,
	    "clock_gettime");
	syscall_register(SYS_nanosleep, sys_nanosleep, "nanosleep");
}
