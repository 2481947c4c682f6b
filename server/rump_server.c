/*
 * rump_server: a rump kernel in a process of its own, serving remote
 * clients (librumpclient) at a URL until SIGTERM, SIGINT or a client's
 * reboot(2) halts it.  See rump_server(1).
 *
 * Components given with -l are loaded before boot; etfs keys given with
 * -d are registered after it.  Unless -s is given the server daemonizes:
 * the calling process waits until the kernel is up and listening and
 * exits with the verdict.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <link.h>
#include <linux/reboot.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpuser.h>

#define MAXETFS		64

struct etfs {
	char		*key;
	char		*hostpath;
	uint64_t	 offset;
	uint64_t	 size;		/* RUMP_ETFS_SIZE_ENDOFF: host size */
	bool		 sized;		/* size= gave a number */
	enum rump_etfs_type type;
};

static struct etfs	etfs[MAXETFS];
static int		netfs;
static bool		verbose;

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump_server [-sRv] [-c ncpu] [-r memlimit] "
	    "[-l library]...\n"
	    "           [-d key=KEY,hostpath=PATH,size=SIZE|host"
	    "[,offset=N][,type=blk|chr|reg]]...\n"
	    "           URL\n"
	    "URL: unix:///abs/path, unix://rel/path or tcp://addr:port\n"
	    "  -c ncpu      virtual CPUs (RUMP_NCPU)\n"
	    "  -d spec      expose a host file to the kernel (etfs)\n"
	    "  -l library   load component library (rumpfs_tmpfs or a path)\n"
	    "  -r memlimit  kernel memory limit, k/m/g suffixes "
	    "(RUMP_MEMLIMIT)\n"
	    "  -R           every client runs as root (default: a unix\n"
	    "               client's own uid/gid, TCP clients 65534)\n"
	    "  -s           stay in the foreground\n"
	    "  -v           verbose\n");
	exit(status);
}

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "rump_server: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

/* A size with an optional k/m/g suffix. */
static bool
parse_size(const char *s, uint64_t *vp)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0)
		return false;
	switch (*end) {
	case 'g': case 'G':
		v <<= 10;
		/* FALLTHROUGH */
	case 'm': case 'M':
		v <<= 10;
		/* FALLTHROUGH */
	case 'k': case 'K':
		v <<= 10;
		end++;
		break;
	}
	*vp = v;
	return *end == '\0';
}

static bool
parse_type(const char *s, enum rump_etfs_type *tp)
{
	if (strcmp(s, "blk") == 0)
		*tp = RUMP_ETFS_BLK;
	else if (strcmp(s, "chr") == 0)
		*tp = RUMP_ETFS_CHR;
	else if (strcmp(s, "reg") == 0)
		*tp = RUMP_ETFS_REG;
	else
		return false;
	return true;
}

/* One key=value of a -d spec into e; false if it is not one. */
static bool
parse_etfs_field(char *field, struct etfs *e)
{
	char *val = strchr(field, '=');

	if (val == NULL)
		return false;
	*val++ = '\0';
	if (strcmp(field, "key") == 0 && *val == '/')
		e->key = val;
	else if (strcmp(field, "hostpath") == 0 && *val != '\0')
		e->hostpath = val;
	else if (strcmp(field, "size") == 0 && strcmp(val, "host") == 0)
		e->size = RUMP_ETFS_SIZE_ENDOFF;
	else if (strcmp(field, "size") == 0 && parse_size(val, &e->size))
		e->sized = true;
	else if (strcmp(field, "offset") == 0)
		return parse_size(val, &e->offset);
	else if (strcmp(field, "type") == 0)
		return parse_type(val, &e->type);
	else
		return false;
	return true;
}

static void
parse_etfs(char *spec)
{
	struct etfs *e;
	char *field, *save = NULL;
	bool sizeseen = false;

	if (netfs == MAXETFS)
		die("too many -d options (at most %s)", "64");
	e = &etfs[netfs];
	e->type = RUMP_ETFS_BLK;
	e->size = RUMP_ETFS_SIZE_ENDOFF;
	for (field = strtok_r(spec, ",", &save); field != NULL;
	    field = strtok_r(NULL, ",", &save)) {
		sizeseen |= strncmp(field, "size=", 5) == 0;
		if (!parse_etfs_field(field, e))
			die("bad -d field \"%s\"", field);
	}
	if (e->key == NULL || e->hostpath == NULL || !sizeseen)
		die("-d needs key=/path, hostpath= and size=%s", "SIZE|host");
	netfs++;
}

/* Create or extend e's host file to hold offset + size bytes. */
static int
etfs_prepare(const struct etfs *e)
{
	off_t want = (off_t)(e->offset + e->size);
	off_t cur;
	int fd, error = 0;

	if (!e->sized)
		return 0;
	if ((fd = open(e->hostpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return errno;
	cur = lseek(fd, 0, SEEK_END);
	if (cur == -1 || (cur < want && ftruncate(fd, want) == -1))
		error = errno;
	close(fd);
	return error;
}

static int
etfs_register_all(void)
{
	const struct etfs *e;
	int i, error;

	for (i = 0; i < netfs; i++) {
		e = &etfs[i];
		error = etfs_prepare(e);
		if (error == 0)
			error = rump_pub_etfs_register_withsize(e->key,
			    e->hostpath, e->type, e->offset, e->size);
		if (error != 0) {
			fprintf(stderr, "rump_server: -d %s: %s\n", e->key,
			    strerror(error));
			return error;
		}
	}
	return 0;
}

/* dl_iterate_phdr: the directory librump was loaded from. */
static int
find_librump(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *slash = strrchr(info->dlpi_name, '/');
	char *dir = arg;

	if (slash == NULL || strcmp(slash, "/librump.so.0") != 0)
		return 0;
	snprintf(dir, PATH_MAX, "%.*s", (int)(slash - info->dlpi_name),
	    info->dlpi_name);
	return 1;
}

/* -l name: librumpNAME.so.0 beside librump, or by soname; -l path.
 * (By path: sanitizer runtimes intercept dlopen and hide our runpath.) */
static void
load_component(const char *name)
{
	char path[PATH_MAX + 64], dir[PATH_MAX] = "";

	if (strchr(name, '/') != NULL)
		snprintf(path, sizeof(path), "%s", name);
	else if (dl_iterate_phdr(find_librump, dir) != 0)
		snprintf(path, sizeof(path), "%s/lib%s.so.0", dir, name);
	else
		snprintf(path, sizeof(path), "lib%s.so.0", name);
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL)
		die("cannot load component: %s", dlerror());
	if (verbose)
		fprintf(stderr, "rump_server: loaded %s\n", path);
}

static void
setparam(const char *name, const char *value)
{
	if (setenv(name, value, 1) == -1)
		die("cannot set %s", name);
}

static void
halt(void)
{
	if (rump_sys_reboot((int)LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1 && errno != ENXIO)
		fprintf(stderr, "rump_server: halt: %s\n", strerror(errno));
}

/* Has a client halted the kernel? */
static bool
halted(void)
{
	return rump_sys_getpid() == -1 && errno == ENXIO;
}

/* Serve until a signal or a client halts the kernel. */
static void __attribute__((__noreturn__))
serve(const sigset_t *sigs)
{
	const struct timespec tick = { 0, 200 * 1000 * 1000 };
	int sig;

	for (;;) {
		sig = sigtimedwait(sigs, NULL, &tick);
		if (sig > 0) {
			if (verbose)
				fprintf(stderr, "rump_server: signal %d, "
				    "halting\n", sig);
			halt();
			exit(0);
		}
		if (halted())
			exit(0);
	}
}

static int
boot(const char *url)
{
	int error;

	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump_server: kernel boot failed: %s\n",
		    strerror(error));
		return error;
	}
	if ((error = etfs_register_all()) != 0)
		return error;
	if ((error = rump_init_server(url)) != 0)
		fprintf(stderr, "rump_server: cannot listen at %s: %s\n", url,
		    strerror(error));
	return error;
}

static void
parse_args(int argc, char **argv, bool *fgp)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:d:hl:r:Rsv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (!parse_size(optarg, &v) || v == 0)
				die("bad -c value \"%s\"", optarg);
			setparam("RUMP_NCPU", optarg);
			break;
		case 'd':
			parse_etfs(optarg);
			break;
		case 'h':
			usage(0);
		case 'l':
			load_component(optarg);
			break;
		case 'r':
			if (!parse_size(optarg, &v))
				die("bad -r value \"%s\"", optarg);
			setparam("RUMP_MEMLIMIT", optarg);
			break;
		case 'R':
			setparam("RUMPUSER_SP_MAPROOT", "1");
			break;
		case 's':
			*fgp = true;
			break;
		case 'v':
			verbose = true;
			setparam("RUMP_VERBOSE", "1");
			break;
		default:
			usage(1);
		}
	}
	if (optind != argc - 1)
		usage(1);
}

int
main(int argc, char **argv)
{
	bool foreground = false;
	const char *url;
	sigset_t sigs;
	int error;

	parse_args(argc, argv, &foreground);
	url = argv[optind];
	if (strncmp(url, "unix://", 7) != 0 && strncmp(url, "tcp://", 6) != 0)
		die("bad URL \"%s\": want unix://path or tcp://addr:port",
		    url);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if (!foreground && (error = rumpuser_daemonize_begin()) != 0)
		die("cannot daemonize: %s", strerror(error));
	error = boot(url);
	if (!foreground)
		rumpuser_daemonize_done(error);
	if (error != 0)
		exit(1);
	if (verbose)
		fprintf(stderr, "rump_server: serving at %s\n", url);
	serve(&sigs);
}
