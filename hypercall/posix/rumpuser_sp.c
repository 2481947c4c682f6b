/*
 * rumpuser_sp.c: the sysproxy listener.
 *
 * Owns rumpuser_sp_init() (parsing the URL, creating the listening
 * socket), the accept thread that starts one receiver thread per client
 * (rumpuser_sp_conn.c), the server's settings (timeout, map-to-root) and
 * rumpuser_sp_fini().  URLs: unix:///abs/path, unix://rel/path,
 * tcp://a.b.c.d:port, tcp://[v6addr]:port.  A unix socket is created
 * mode 0600; an existing socket nobody listens on is replaced, any other
 * existing file is left alone (EEXIST).
 *
 * Environment: RUMPUSER_SP_TIMEOUT_MS (reply and frame timeout),
 * RUMPUSER_SP_MAPROOT=1 (every client runs as root; rump_server -R).
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser_int.h"
#include "rumpuser_sp_int.h"

#define SP_MAXCONN	1024	/* clients at once */

bool sp_maproot;
char sp_banner[SP_BANNERMAX];

static pthread_mutex_t	sp_lock = PTHREAD_MUTEX_INITIALIZER;
static int		sp_listenfd = -1;	/* sp_lock */
static bool		sp_listenunix;		/* constant after init */
static char		sp_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int		sp_nconn;		/* sp_lock */
static int		sp_timeout_ms = SP_TIMEOUT_MS;	/* constant */

int
sp_timeout(void)
{
	return sp_timeout_ms;
}

int64_t
sp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
sp_conn_admit(void)
{
	int error = 0;

	pthread_mutex_lock(&sp_lock);
	if (sp_nconn >= SP_MAXCONN)
		error = EAGAIN;
	else
		sp_nconn++;
	pthread_mutex_unlock(&sp_lock);
	return error;
}

void
sp_conn_gone(void)
{
	pthread_mutex_lock(&sp_lock);
	sp_nconn--;
	pthread_mutex_unlock(&sp_lock);
}

static void
sp_settings(void)
{
	const char *s;
	char *end;
	long v;

	if ((s = getenv("RUMPUSER_SP_TIMEOUT_MS")) != NULL) {
		v = strtol(s, &end, 10);
		if (*s != '\0' && *end == '\0' && v > 0 && v <= INT_MAX)
			sp_timeout_ms = (int)v;
		else
			fprintf(stderr, "rumpuser_sp: ignoring bad "
			    "RUMPUSER_SP_TIMEOUT_MS\n");
	}
	s = getenv("RUMPUSER_SP_MAPROOT");
	sp_maproot = s != NULL && strcmp(s, "1") == 0;
}

/* ---- unix sockets ---------------------------------------------------- */

/* Is somebody listening on the socket at path? */
static bool
unix_inuse(const struct sockaddr_un *sun)
{
	int fd, rv;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return true;
	rv = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	return rv == 0 || errno != ECONNREFUSED;
}

/* Make room for the socket: 0, EEXIST (not ours to replace), EADDRINUSE. */
static int
unix_clear(const struct sockaddr_un *sun)
{
	struct stat st;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : errno;
	if (!S_ISSOCK(st.st_mode))
		return EEXIST;
	if (unix_inuse(sun))
		return EADDRINUSE;
	if (unlink(sun->sun_path) == -1)
		return errno;
	return 0;
}

static int
unix_listen(const char *path, int *fdp)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t omask;
	int fd, error, rv;

	if (*path == '\0')
		return EINVAL;
	if (*path != '/') {
		if (getcwd(sun.sun_path, sizeof(sun.sun_path)) == NULL)
			return ENAMETOOLONG;
		strncat(sun.sun_path, "/", sizeof(sun.sun_path) - 1 -
		    strlen(sun.sun_path));
	}
	if (strlen(sun.sun_path) + strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;
	strcat(sun.sun_path, path);
	if ((error = unix_clear(&sun)) != 0)
		return error;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return errno;
	omask = umask(077);
	rv = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(omask);
	if (rv == -1 || chmod(sun.sun_path, 0600) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		error = errno;
		if (rv == 0)
			unlink(sun.sun_path);
		close(fd);
		return error;
	}
	memcpy(sp_path, sun.sun_path, sizeof(sp_path));
	*fdp = fd;
	return 0;
}

/* ---- tcp ------------------------------------------------------------- */

/* Split "host:port" or "[v6]:port" into host and port (in buf). */
static int
tcp_split(const char *hp, char *buf, size_t len, char **hostp,
    char **portp)
{
	char *colon;

	if (strlen(hp) >= len)
		return ENAMETOOLONG;
	strcpy(buf, hp);
	if (*buf == '[') {
		if ((colon = strstr(buf, "]:")) == NULL)
			return EINVAL;
		*colon = '\0';
		*hostp = buf + 1;
		*portp = colon + 2;
	} else {
		if ((colon = strrchr(buf, ':')) == NULL)
			return EINVAL;
		*colon = '\0';
		*hostp = buf;
		*portp = colon + 1;
	}
	if (**hostp == '\0' || **portp == '\0')
		return EINVAL;
	return 0;
}

static int
tcp_listen(const char *hp, int *fdp)
{
	struct addrinfo hints, *ai;
	char buf[256], *host, *port;
	int fd, error, one = 1;

	if ((error = tcp_split(hp, buf, sizeof(buf), &host, &port)) != 0)
		return error;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return EINVAL;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		error = errno;
		freeaddrinfo(ai);
		return error;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, SOMAXCONN) == -1) {
		error = errno;
		close(fd);
		freeaddrinfo(ai);
		return error;
	}
	freeaddrinfo(ai);
	*fdp = fd;
	return 0;
}

/* ---- accepting ------------------------------------------------------- */

static void
sp_start_conn(int fd)
{
	struct sp_conn *c;
	pthread_t pt;
	int one = 1;

	if (!sp_listenunix)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (sp_conn_admit() != 0) {
		close(fd);
		return;
	}
	if ((c = sp_conn_alloc(fd, sp_listenunix)) == NULL) {
		close(fd);
		sp_conn_gone();
		return;
	}
	if (pthread_create(&pt, NULL, sp_conn_main, c) != 0) {
		sp_conn_free(c);
		sp_conn_gone();
		return;
	}
	pthread_detach(pt);
}

/* Accept until rumpuser_sp_fini() shuts the listening socket down. */
static void *
sp_accept_main(void *arg)
{
	int lfd = (int)(intptr_t)arg, fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			sp_start_conn(fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			usleep(100 * 1000);
			continue;
		}
		break;
	}
	pthread_mutex_lock(&sp_lock);
	if (sp_listenfd == lfd)
		sp_listenfd = -1;
	pthread_mutex_unlock(&sp_lock);
	close(lfd);
	return NULL;
}

static int
sp_listen(const char *url, int *fdp)
{
	if (strncmp(url, "unix://", 7) == 0) {
		sp_listenunix = true;
		return unix_listen(url + 7, fdp);
	}
	if (strncmp(url, "tcp://", 6) == 0)
		return tcp_listen(url + 6, fdp);
	return EINVAL;
}

int
rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
    const char *machine)
{
	pthread_t pt;
	int fd, error;

	pthread_mutex_lock(&sp_lock);
	if (sp_listenfd != -1) {
		pthread_mutex_unlock(&sp_lock);
		return errtokern(EBUSY);
	}
	sp_settings();
	snprintf(sp_banner, sizeof(sp_banner), "%s %s %s", ostype, osrelease,
	    machine);
	if ((error = sp_listen(url, &fd)) != 0) {
		pthread_mutex_unlock(&sp_lock);
		return errtokern(error);
	}
	error = pthread_create(&pt, NULL, sp_accept_main, (void *)(intptr_t)fd);
	if (error != 0) {
		if (sp_listenunix)
			unlink(sp_path);
		close(fd);
		pthread_mutex_unlock(&sp_lock);
		return errtokern(error);
	}
	pthread_detach(pt);
	sp_listenfd = fd;
	pthread_mutex_unlock(&sp_lock);
	return 0;
}

/*
 * NULL: stop accepting clients and remove the unix socket (the kernel
 * calls this when it halts); connected clients keep their connections
 * until the server exits.  A client cookie: drop that client.
 */
void
rumpuser_sp_fini(void *client)
{
	if (client != NULL) {
		sp_conn_kill(client);
		return;
	}
	pthread_mutex_lock(&sp_lock);
	if (sp_listenfd != -1) {
		shutdown(sp_listenfd, SHUT_RDWR);
		if (sp_listenunix)
			unlink(sp_path);
		sp_listenfd = -1;
	}
	pthread_mutex_unlock(&sp_lock);
}
