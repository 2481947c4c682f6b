/*
 * hj_exec.c: new processes and programs.  fork and vfork make the child
 * a kernel process with a copy of the descriptor table
 * (rumpclient_fork); the exec family keeps the kernel process
 * (rumpclient_exec) and passes the descriptor map and the cwd in the
 * environment (RUMPHIJACK__FDS, RUMPHIJACK__KCWD).  glibc's execvp,
 * execl* and posix_spawn reach execve internally, so they are
 * reimplemented here on top of the interposed fork and execve.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "hijack.h"

extern char **environ;

HJ_DECLREAL(fork);
HJ_DECLREAL(execve);
HJ_DECLREAL(fexecve);

pid_t
fork(void)
{
	if (hj_inside || !hj_connected())
		return HJ_REAL(fork)();
	return HJ_K(rumpclient_fork());
}

/* A vfork child may not return from this frame: it is a fork. */
pid_t
vfork(void)
{
	return fork();
}

static bool
hj_isours(const char *e)
{
	return strncmp(e, HJ_ENVFDS "=", sizeof(HJ_ENVFDS)) == 0 ||
	    strncmp(e, HJ_ENVKCWD "=", sizeof(HJ_ENVKCWD)) == 0;
}

/* envp without our variables, plus the current state; NULL: ENOMEM. */
static char **
hj_execenv(char *const envp[], char **fdsp, char **cwdp)
{
	size_t n = 0, i, j = 0;
	char **nenv, *fds;
	int w = hj_cwd_where();

	while (envp != NULL && envp[n] != NULL)
		n++;
	if ((nenv = calloc(n + 3, sizeof(*nenv))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!hj_isours(envp[i]))
			nenv[j++] = envp[i];
	*fdsp = *cwdp = NULL;
	if ((fds = hj_fdexport()) != NULL && fds[0] != '\0' &&
	    asprintf(fdsp, "%s=%s", HJ_ENVFDS, fds) != -1)
		nenv[j++] = *fdsp;
	free(fds);
	if (w != HJ_HOST && asprintf(cwdp, "%s=%d", HJ_ENVKCWD, w) != -1)
		nenv[j++] = *cwdp;
	return nenv;
}

int
execve(const char *path, char *const argv[], char *const envp[])
{
	char kp[PATH_MAX], **nenv, *fds, *cwd;
	int kd, w, error;

	if (hj_inside || !hj_connected())
		return HJ_REAL(execve)(path, argv, envp);
	if ((w = hj_kpath(AT_FDCWD, &path, kp, &kd)) == -1)
		return -1;
	if (w != HJ_HOST) {
		hj_note("cannot run %s: programs in the rump kernel cannot "
		    "be executed", path);
		errno = ENOTSUP;
		return -1;
	}
	if ((nenv = hj_execenv(envp, &fds, &cwd)) == NULL)
		return -1;
	HJ_K(rumpclient_exec(path, argv, nenv));
	error = errno;
	free(fds);
	free(cwd);
	free(nenv);
	errno = error;
	return -1;
}

int
fexecve(int fd, char *const argv[], char *const envp[])
{
	if (hj_inside || hj_kfd(fd) == -1)
		return HJ_REAL(fexecve)(fd, argv, envp);
	errno = ENOTSUP;
	return -1;
}

int
execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* ENOEXEC: run file as a shell script, as execvp does. */
static void
hj_execsh(const char *file, char *const argv[], char *const envp[])
{
	size_t n = 0;
	char **nargv;

	while (argv[n] != NULL)
		n++;
	if ((nargv = calloc(n + 2, sizeof(*nargv))) == NULL)
		return;
	nargv[0] = (char *)"sh";
	nargv[1] = (char *)file;
	memcpy(nargv + 2, argv + (n > 0), (n > 0 ? n - 1 : 0) *
	    sizeof(*nargv));
	execve("/bin/sh", nargv, envp);
	free(nargv);
}

int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	char buf[PATH_MAX];
	const char *path, *p, *end;
	bool eacces = false;
	size_t dl;

	if (file[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/') != NULL) {
		execve(file, argv, envp);
		if (errno == ENOEXEC)
			hj_execsh(file, argv, envp);
		return -1;
	}
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		dl = (size_t)(end - p);
		if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)dl, p,
		    dl > 0 ? "/" : "", file) < (int)sizeof(buf)) {
			execve(buf, argv, envp);
			if (errno == ENOEXEC)
				hj_execsh(buf, argv, envp);
			if (errno == EACCES)
				eacces = true;
			else if (errno != ENOENT && errno != ENOTDIR &&
			    errno != ESTALE && errno != ENODEV &&
			    errno != ETIMEDOUT)
				return -1;
		}
		if (*end == '\0')
			break;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}

int
execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* The arguments after arg0 up to NULL as an argv; NULL: ENOMEM. */
static char **
hj_vargv(const char *arg0, va_list ap, char ***envpp)
{
	va_list aq;
	size_t n = 1, i;
	char **argv;

	va_copy(aq, ap);
	while (va_arg(aq, char *) != NULL)
		n++;
	va_end(aq);
	if ((argv = calloc(n + 1, sizeof(*argv))) == NULL)
		return NULL;
	argv[0] = (char *)arg0;
	for (i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	if (envpp != NULL)
		*envpp = va_arg(ap, char **);
	return argv;
}

int
execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv;

	va_start(ap, arg0);
	argv = hj_vargv(arg0, ap, NULL);
	va_end(ap);
	if (argv == NULL)
		return -1;
	execve(path, argv, environ);
	free(argv);
	return -1;
}

int
execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	char **argv;

	va_start(ap, arg0);
	argv = hj_vargv(arg0, ap, NULL);
	va_end(ap);
	if (argv == NULL)
		return -1;
	execvpe(file, argv, environ);
	free(argv);
	return -1;
}

int
execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv, **envp;

	va_start(ap, arg0);
	argv = hj_vargv(arg0, ap, &envp);
	va_end(ap);
	if (argv == NULL)
		return -1;
	execve(path, argv, envp);
	free(argv);
	return -1;
}
