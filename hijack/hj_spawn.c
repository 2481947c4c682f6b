/*
 * hj_spawn.c: posix_spawn and posix_spawnp.  glibc's run the child with
 * clone and an internal execve, which would lose the kernel connection,
 * so while connected they are done with the interposed fork and
 * execve.  The file actions are opaque, so the add functions are
 * interposed too and recorded in a shadow list per actions object
 * (hj_sfas, under hj_spawnlock); objects made without us go to glibc.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hijack.h"

extern char **environ;

enum hj_tag { HJ_SOPEN, HJ_SCLOSE, HJ_SDUP2, HJ_SCHDIR, HJ_SFCHDIR,
    HJ_SCLOSEFROM };

struct hj_sact {
	struct hj_sact	*a_next;	/* constant once added */
	enum hj_tag	 a_tag;
	int		 a_fd;
	int		 a_newfd;	/* dup2 target */
	int		 a_oflag;
	mode_t		 a_mode;
	char		*a_path;	/* open, chdir */
};

struct hj_sfa {
	struct hj_sfa	*s_next;	/* hj_spawnlock */
	const posix_spawn_file_actions_t *s_fa; /* constant */
	struct hj_sact	*s_head;	/* hj_spawnlock */
	struct hj_sact	**s_tail;	/* hj_spawnlock */
};

static pthread_mutex_t hj_spawnlock = PTHREAD_MUTEX_INITIALIZER;
static struct hj_sfa *hj_sfas;		/* hj_spawnlock */

HJ_DECLREAL(posix_spawn);
HJ_DECLREAL(posix_spawnp);
HJ_DECLREAL(posix_spawn_file_actions_init);
HJ_DECLREAL(posix_spawn_file_actions_destroy);
HJ_DECLREAL(posix_spawn_file_actions_addopen);
HJ_DECLREAL(posix_spawn_file_actions_addclose);
HJ_DECLREAL(posix_spawn_file_actions_adddup2);
HJ_DECLREAL(posix_spawn_file_actions_addchdir_np);
HJ_DECLREAL(posix_spawn_file_actions_addfchdir_np);
HJ_DECLREAL(posix_spawn_file_actions_addclosefrom_np);

/* hj_spawnlock held. */
static struct hj_sfa *
hj_sfafind(const posix_spawn_file_actions_t *fa)
{
	struct hj_sfa *s;

	for (s = hj_sfas; s != NULL && s->s_fa != fa; s = s->s_next)
		continue;
	return s;
}

int
posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	struct hj_sfa *s;
	int error;

	if ((error = HJ_REAL(posix_spawn_file_actions_init)(fa)) != 0)
		return error;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		HJ_REAL(posix_spawn_file_actions_destroy)(fa);
		return ENOMEM;
	}
	s->s_fa = fa;
	s->s_tail = &s->s_head;
	pthread_mutex_lock(&hj_spawnlock);
	s->s_next = hj_sfas;
	hj_sfas = s;
	pthread_mutex_unlock(&hj_spawnlock);
	return 0;
}

int
posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	struct hj_sfa *s, **pp;
	struct hj_sact *a;

	pthread_mutex_lock(&hj_spawnlock);
	for (pp = &hj_sfas; *pp != NULL && (*pp)->s_fa != fa;
	    pp = &(*pp)->s_next)
		continue;
	s = *pp;
	if (s != NULL)
		*pp = s->s_next;
	pthread_mutex_unlock(&hj_spawnlock);
	while (s != NULL && (a = s->s_head) != NULL) {
		s->s_head = a->a_next;
		free(a->a_path);
		free(a);
	}
	free(s);
	return HJ_REAL(posix_spawn_file_actions_destroy)(fa);
}

/* Record an action (glibc has accepted it); ENOMEM. */
static int
hj_sadd(posix_spawn_file_actions_t *fa, enum hj_tag tag, int fd, int newfd,
    const char *path, int oflag, mode_t mode)
{
	struct hj_sact *a;
	struct hj_sfa *s;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (path != NULL && (a->a_path = strdup(path)) == NULL)) {
		free(a);
		return ENOMEM;
	}
	a->a_tag = tag;
	a->a_fd = fd;
	a->a_newfd = newfd;
	a->a_oflag = oflag;
	a->a_mode = mode;
	pthread_mutex_lock(&hj_spawnlock);
	if ((s = hj_sfafind(fa)) != NULL) {
		*s->s_tail = a;
		s->s_tail = &a->a_next;
	}
	pthread_mutex_unlock(&hj_spawnlock);
	if (s == NULL) {
		free(a->a_path);
		free(a);
	}
	return 0;
}

int
posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd,
    const char *path, int oflag, mode_t mode)
{
	int error;

	error = HJ_REAL(posix_spawn_file_actions_addopen)(fa, fd, path, oflag,
	    mode);
	return error != 0 ? error :
	    hj_sadd(fa, HJ_SOPEN, fd, -1, path, oflag, mode);
}

int
posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	int error;

	error = HJ_REAL(posix_spawn_file_actions_addclose)(fa, fd);
	return error != 0 ? error : hj_sadd(fa, HJ_SCLOSE, fd, -1, NULL, 0, 0);
}

int
posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd,
    int newfd)
{
	int error;

	error = HJ_REAL(posix_spawn_file_actions_adddup2)(fa, fd, newfd);
	return error != 0 ? error :
	    hj_sadd(fa, HJ_SDUP2, fd, newfd, NULL, 0, 0);
}

int
posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa,
    const char *path)
{
	int error;

	error = HJ_REAL(posix_spawn_file_actions_addchdir_np)(fa, path);
	return error != 0 ? error :
	    hj_sadd(fa, HJ_SCHDIR, -1, -1, path, 0, 0);
}

int
posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa,
    int fd)
{
	int error;

	error = HJ_REAL(posix_spawn_file_actions_addfchdir_np)(fa, fd);
	return error != 0 ? error :
	    hj_sadd(fa, HJ_SFCHDIR, fd, -1, NULL, 0, 0);
}

int
posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa,
    int fd)
{
	int error;

	error = HJ_REAL(posix_spawn_file_actions_addclosefrom_np)(fa, fd);
	return error != 0 ? error :
	    hj_sadd(fa, HJ_SCLOSEFROM, fd, -1, NULL, 0, 0);
}

/* In the child: one file action; 0 or an errno. */
static int
hj_sdo(const struct hj_sact *a)
{
	int fd;

	switch (a->a_tag) {
	case HJ_SOPEN:
		if ((fd = open(a->a_path, a->a_oflag, a->a_mode)) == -1)
			return errno;
		if (fd != a->a_fd && (dup2(fd, a->a_fd) == -1 ||
		    close(fd) == -1))
			return errno;
		return 0;
	case HJ_SCLOSE:
		close(a->a_fd);
		return 0;
	case HJ_SDUP2:
		if (a->a_fd == a->a_newfd)
			return fcntl(a->a_fd, F_SETFD, 0) == -1 ? errno : 0;
		return dup2(a->a_fd, a->a_newfd) == -1 ? errno : 0;
	case HJ_SCHDIR:
		return chdir(a->a_path) == -1 ? errno : 0;
	case HJ_SFCHDIR:
		return fchdir(a->a_fd) == -1 ? errno : 0;
	case HJ_SCLOSEFROM:
		closefrom(a->a_fd);
		return 0;
	}
	return EINVAL;
}

/* In the child: the attributes; 0 or an errno. */
static int
hj_sattr(const posix_spawnattr_t *at)
{
	struct sched_param sp;
	sigset_t set;
	short flags;
	pid_t pg;
	int sig, pol;

	if (at == NULL || posix_spawnattr_getflags(at, &flags) != 0)
		return 0;
	if ((flags & POSIX_SPAWN_SETSID) != 0 && setsid() == -1)
		return errno;
	if ((flags & POSIX_SPAWN_SETPGROUP) != 0 &&
	    (posix_spawnattr_getpgroup(at, &pg) != 0 ||
	    setpgid(0, pg) == -1))
		return errno;
	if ((flags & POSIX_SPAWN_RESETIDS) != 0 &&
	    (setgid(getgid()) == -1 || setuid(getuid()) == -1))
		return errno;
	if ((flags & POSIX_SPAWN_SETSCHEDULER) != 0 &&
	    (posix_spawnattr_getschedpolicy(at, &pol) != 0 ||
	    posix_spawnattr_getschedparam(at, &sp) != 0 ||
	    sched_setscheduler(0, pol, &sp) == -1))
		return errno;
	if ((flags & POSIX_SPAWN_SETSIGDEF) != 0 &&
	    posix_spawnattr_getsigdefault(at, &set) == 0)
		for (sig = 1; sig < NSIG; sig++)
			if (sigismember(&set, sig) == 1)
				signal(sig, SIG_DFL);
	if ((flags & POSIX_SPAWN_SETSIGMASK) != 0 &&
	    posix_spawnattr_getsigmask(at, &set) == 0)
		sigprocmask(SIG_SETMASK, &set, NULL);
	return 0;
}

/* The child's side: never returns; its errno goes up the pipe. */
static void
hj_schild(int wfd, const char *path, const struct hj_sfa *s,
    const posix_spawnattr_t *at, char *const argv[], char *const envp[],
    bool search)
{
	const struct hj_sact *a;
	int error;

	error = hj_sattr(at);
	for (a = s != NULL ? s->s_head : NULL; error == 0 && a != NULL;
	    a = a->a_next)
		error = hj_sdo(a);
	if (error == 0) {
		if (search)
			execvpe(path, argv, envp != NULL ? envp : environ);
		else
			execve(path, argv, envp != NULL ? envp : environ);
		error = errno;
	}
	(void)!write(wfd, &error, sizeof(error));
	_exit(127);
}

static int
hj_spawn(pid_t *pidp, const char *path, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *at, char *const argv[], char *const envp[],
    bool search)
{
	struct hj_sfa *s = NULL;
	int p[2], error = 0;
	ssize_t n;
	pid_t pid;

	if (fa != NULL) {
		pthread_mutex_lock(&hj_spawnlock);
		s = hj_sfafind(fa);
		pthread_mutex_unlock(&hj_spawnlock);
	}
	if (pipe2(p, O_CLOEXEC) == -1)
		return errno;
	if ((pid = fork()) == -1) {
		error = errno;
		close(p[0]);
		close(p[1]);
		return error;
	}
	if (pid == 0)
		hj_schild(p[1], path, s, at, argv, envp, search);
	close(p[1]);
	while ((n = read(p[0], &error, sizeof(error))) == -1 &&
	    errno == EINTR)
		continue;
	close(p[0]);
	if (n == sizeof(error)) {
		waitpid(pid, NULL, 0);
		return error;
	}
	if (pidp != NULL)
		*pidp = pid;
	return 0;
}

/* Does an action name a kernel path? */
static bool
hj_skernel(const struct hj_sfa *s)
{
	const struct hj_sact *a;
	char kp[PATH_MAX];
	int kd, w;

	for (a = s->s_head; a != NULL; a = a->a_next) {
		if (a->a_path == NULL)
			continue;
		w = hj_path(AT_FDCWD, a->a_path, kp, sizeof(kp), &kd);
		if (w == HJ_KERN || w == HJ_KBLANKET)
			return true;
	}
	return false;
}

/*
 * Do we run it (the actions are known, and we are connected or an
 * action needs the kernel)?  Else glibc does.
 */
static bool
hj_spawnable(const posix_spawn_file_actions_t *fa)
{
	struct hj_sfa *s;
	bool kernel = false;

	if (hj_inside)
		return false;
	if (fa != NULL) {
		pthread_mutex_lock(&hj_spawnlock);
		if ((s = hj_sfafind(fa)) != NULL)
			kernel = hj_skernel(s);
		pthread_mutex_unlock(&hj_spawnlock);
		if (s == NULL)
			return false;
	}
	if (kernel && !hj_connected())
		(void)hj_connect();
	return hj_connected();
}

int
posix_spawn(pid_t *pidp, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[])
{
	if (!hj_spawnable(fa))
		return HJ_REAL(posix_spawn)(pidp, path, fa, at, argv, envp);
	return hj_spawn(pidp, path, fa, at, argv, envp, false);
}

int
posix_spawnp(pid_t *pidp, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
    char *const argv[], char *const envp[])
{
	if (!hj_spawnable(fa))
		return HJ_REAL(posix_spawnp)(pidp, file, fa, at, argv, envp);
	return hj_spawn(pidp, file, fa, at, argv, envp, true);
}
