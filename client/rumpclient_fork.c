/*
 * rumpclient_fork.c: fork and exec for rumpclient programs.
 *
 * Fork: the parent asks the server for a prepared child process
 * (SP_PREFORK, a copy of its own with the descriptor table) and forks;
 * the child drops the inherited connection state (other threads did not
 * follow it), connects again and claims the prepared process with the
 * cookie (SP_HS_FORK).  Exec: the connection's descriptor is kept open
 * across execve and named in RUMPCLIENT__EXECFD ("fd:url"), so the new
 * program's rumpclient_init() continues the same kernel process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"

/* In the child: forget the parent's connection, claim our process. */
static void
rc_child(const uint64_t cookie[2])
{
	int error;

	pthread_mutex_init(&rc.lock, NULL);
	pthread_mutex_init(&rc.sendlock, NULL);
	pthread_cond_init(&rc.cv, NULL);
	LIST_INIT(&rc.waits);
	rc.reading = false;
	rc.nout = 0;
	rc_hclose(rc.fd);
	rc.fd = -1;
	error = rc_connect(rc.url, SP_HS_FORK, cookie);
	if (error != 0) {
		fprintf(stderr, "rumpclient: fork child cannot join %s: %s\n",
		    rc.url, strerror(error));
		rc.dead = true;
	}
}

pid_t
rumpclient_fork(void)
{
	unsigned char resp[RC_RESPMAX];
	uint64_t cookie[2];
	size_t len;
	pid_t pid;
	int error;

	error = rc_call(SP_PREFORK, NULL, 0, resp, &len);
	if (error == 0 && (len < 8 || (len != 24 && sp_get32(resp) == 0)))
		error = EPROTO;
	if (error == 0)
		error = (int)sp_get32(resp);
	if (error != 0) {
		errno = error;
		return -1;
	}
	cookie[0] = sp_get64(resp + 8);
	cookie[1] = sp_get64(resp + 16);
	if ((pid = rc_hfork()) == 0)
		rc_child(cookie);
	return pid;
}

pid_t
rumpclient_vfork(void)
{
	return rumpclient_fork();
}

/* envp plus RUMPCLIENT__EXECFD=fd:url (any old one dropped). */
static char **
rc_execenv(char *const envp[], int fd, char **addedp)
{
	size_t n = 0, i, j = 0;
	size_t klen = strlen(RC_EXECENV);
	char **nenv;

	while (envp[n] != NULL)
		n++;
	if ((nenv = calloc(n + 2, sizeof(*nenv))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (strncmp(envp[i], RC_EXECENV, klen) != 0 ||
		    envp[i][klen] != '=')
			nenv[j++] = envp[i];
	}
	if (asprintf(&nenv[j], "%s=%d:%s", RC_EXECENV, fd, rc.url) == -1) {
		free(nenv);
		return NULL;
	}
	*addedp = nenv[j];
	return nenv;
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	char **nenv, *added;
	int fd, error;

	pthread_mutex_lock(&rc.lock);
	fd = rc.fd;
	pthread_mutex_unlock(&rc.lock);
	if (fd == -1) {
		errno = ENOTCONN;
		return -1;
	}
	if ((nenv = rc_execenv(envp, fd, &added)) == NULL)
		return -1;
	if (rc_hfcntl(fd, F_SETFD, 0) == -1) {
		error = errno;
	} else {
		rc_hexecve(path, argv, nenv);
		error = errno;
		rc_hfcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	free(added);
	free(nenv);
	errno = error;
	return -1;
}
