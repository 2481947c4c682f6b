/*
 * hj_shell.c: system, popen and pclose.  glibc starts the shell with an
 * internal posix_spawn, whose child would be a new kernel process
 * without the caller's descriptors and directory; while connected they
 * are done here with the interposed fork and execve.  hj_popens (under
 * hj_popenlock) maps our popen streams to their children; other
 * streams go to glibc's pclose.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hijack.h"

struct hj_popen {
	struct hj_popen	*p_next;	/* hj_popenlock */
	FILE		*p_fp;		/* constant */
	pid_t		 p_pid;		/* constant */
};

static pthread_mutex_t hj_popenlock = PTHREAD_MUTEX_INITIALIZER;
static struct hj_popen *hj_popens;	/* hj_popenlock */

HJ_DECLREAL(system);
HJ_DECLREAL(popen);
HJ_DECLREAL(pclose);

static bool
hj_ours(void)
{
	return !hj_inside && hj_connected();
}

int
system(const char *cmd)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	sigset_t chld, omask;
	int status = -1;
	pid_t pid;

	if (!hj_ours())
		return HJ_REAL(system)(cmd);
	if (cmd == NULL)
		return access("/bin/sh", X_OK) == 0;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	sigprocmask(SIG_BLOCK, &chld, &omask);
	if ((pid = fork()) == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		sigprocmask(SIG_SETMASK, &omask, NULL);
		execl("/bin/sh", "sh", "-c", "--", cmd, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	sigprocmask(SIG_SETMASK, &omask, NULL);
	return status;
}

/* The child: its end of the pipe on fd 0 or 1, then the shell. */
static void
hj_popenchild(const char *cmd, int end, int target)
{
	struct hj_popen *p;

	/* Streams of earlier popens are not the child's (POSIX). */
	for (p = hj_popens; p != NULL; p = p->p_next)
		close(fileno(p->p_fp));
	if (end == target)
		fcntl(end, F_SETFD, 0);
	else if (dup2(end, target) == -1)
		_exit(127);
	execl("/bin/sh", "sh", "-c", "--", cmd, (char *)NULL);
	_exit(127);
}

FILE *
popen(const char *cmd, const char *mode)
{
	struct hj_popen *p;
	bool rd;
	int fds[2], error;
	pid_t pid;

	if (!hj_ours())
		return HJ_REAL(popen)(cmd, mode);
	if ((mode[0] != 'r' && mode[0] != 'w') ||
	    strspn(mode + 1, "e") != strlen(mode + 1)) {
		errno = EINVAL;
		return NULL;
	}
	rd = mode[0] == 'r';
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		free(p);
		return NULL;
	}
	pthread_mutex_lock(&hj_popenlock);
	if ((pid = fork()) == 0)
		hj_popenchild(cmd, fds[rd ? 1 : 0], rd ? 1 : 0);
	error = errno;
	close(fds[rd ? 1 : 0]);
	if (pid == -1 || (p->p_fp = fdopen(fds[rd ? 0 : 1], rd ? "r" : "w"))
	    == NULL) {
		if (pid == -1)
			errno = error;
		pthread_mutex_unlock(&hj_popenlock);
		close(fds[rd ? 0 : 1]);
		free(p);
		return NULL;
	}
	if (strchr(mode, 'e') == NULL)
		fcntl(fds[rd ? 0 : 1], F_SETFD, 0);
	p->p_pid = pid;
	p->p_next = hj_popens;
	hj_popens = p;
	pthread_mutex_unlock(&hj_popenlock);
	return p->p_fp;
}

int
pclose(FILE *fp)
{
	struct hj_popen *p, **pp;
	int status;

	pthread_mutex_lock(&hj_popenlock);
	for (pp = &hj_popens; *pp != NULL && (*pp)->p_fp != fp;
	    pp = &(*pp)->p_next)
		continue;
	p = *pp;
	if (p != NULL)
		*pp = p->p_next;
	pthread_mutex_unlock(&hj_popenlock);
	if (p == NULL)
		return HJ_REAL(pclose)(fp);
	fclose(fp);
	while (waitpid(p->p_pid, &status, 0) == -1) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	free(p);
	return status;
}
