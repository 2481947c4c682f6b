/*
 * rump-fuse: mount a file system image on the host through FUSE, served
 * by rumpk's driver running in this process.  See rump-fuse(1).
 *
 * The program boots the kernel, attaches the image as a block device
 * (etfs), mounts it on RF_KMOUNT in the kernel and serves the FUSE
 * low-level protocol with libfuse's multithreaded loop.  The kernel runs
 * as root; the host checks permissions (default_permissions).  SIGTERM,
 * SIGINT, SIGHUP and a host unmount end the loop; the kernel is then
 * halted, which syncs and unmounts its file systems.  Without -f the
 * program daemonizes: the calling process waits until the mount is made
 * and exits with the verdict.
 */
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/reboot.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "rump_fuse.h"

#define MAX_WRITE	(1024 * 1024)
#define MAX_NCPU	8

static const struct fuse_lowlevel_ops rf_ops;

static pthread_t main_thread;
static atomic_bool loop_done;
static int report_fd = -1;	/* daemon: tells the caller the verdict */

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump-fuse [-fd] [-t type] [-o option,...] image "
	    "mountpoint\n"
	    "types: ext2, ext3 (read-only), msdos, vfat, tmpfs (image "
	    "\"none\");\nwithout -t the type is read from the image.\n");
	exit(status);
}

/* Without -f: fork; the parent exits with the child's verdict. */
static void
daemonize(void)
{
	unsigned char verdict = 1;
	int p[2];
	pid_t pid;

	if (pipe(p) == -1) {
		perror("rump-fuse: pipe");
		exit(1);
	}
	pid = fork();
	if (pid == -1) {
		perror("rump-fuse: fork");
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &verdict, 1) != 1)
			verdict = 1;
		_exit(verdict);
	}
	close(p[0]);
	report_fd = p[1];
	setsid();
	if (chdir("/") == -1)
		perror("rump-fuse: chdir /");
}

/* Tell a waiting caller the verdict; on success the daemon's standard
 * descriptors leave the terminal. */
static void
report(unsigned char verdict)
{
	FILE *null;

	if (report_fd == -1)
		return;
	if (verdict == 0 && (null = fopen("/dev/null", "r+")) != NULL) {
		dup2(fileno(null), 0);
		dup2(fileno(null), 1);
		dup2(fileno(null), 2);
		fclose(null);
	}
	if (write(report_fd, &verdict, 1) != 1)
		verdict = 1;
	close(report_fd);
	report_fd = -1;
}

static void __attribute__((__noreturn__))
fail(void)
{

	report(1);
	exit(1);
}

/* FAT lives in an optional component: load it from librump's directory
 * when it is there. */
static int
load_msdos(void)
{
	char path[PATH_MAX];
	const char *slash;
	Dl_info info;

	if (dladdr((void *)rump_init, &info) == 0 ||
	    (slash = strrchr(info.dli_fname, '/')) == NULL)
		return ENOENT;
	snprintf(path, sizeof(path), "%.*s/librumpfs_msdos.so.0",
	    (int)(slash - info.dli_fname), info.dli_fname);
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL) {
		fprintf(stderr, "rump-fuse: FAT needs %s: %s\n", path,
		    dlerror());
		return ENOENT;
	}
	return 0;
}

static bool
is_fat(const char *type)
{

	return strcmp(type, "msdos") == 0 || strcmp(type, "vfat") == 0;
}

static int
check_type(const char *type)
{
	static const char *const types[] = {
		"ext2", "ext3", "msdos", "vfat", "tmpfs", NULL,
	};
	const char *const *t;

	for (t = types; *t != NULL; t++)
		if (strcmp(type, *t) == 0)
			return 0;
	fprintf(stderr, "rump-fuse: unknown type %s\n", type);
	return EINVAL;
}

/* Default RUMP_NCPU: the host's processors, so requests run in parallel. */
static void
set_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char buf[16];

	if (getenv("RUMP_NCPU") != NULL)
		return;
	if (n < 1)
		n = 1;
	snprintf(buf, sizeof(buf), "%ld", n > MAX_NCPU ? MAX_NCPU : n);
	setenv("RUMP_NCPU", buf, 1);
}

/* Mount the image on RF_KMOUNT in a freshly booted kernel. */
static int
kernel_mount(const struct rf_args *a, const char *type)
{
	const char *source = RF_KDISK;
	unsigned long flags = rf_opts.ro_readonly ? MS_RDONLY : 0;
	const char *data = a->ra_kdata[0] != '\0' ? a->ra_kdata : NULL;
	int error;

	if (is_fat(type) && load_msdos() != 0)
		return ENODEV;
	set_ncpu();
	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump-fuse: rump_init: %s\n", strerror(error));
		return error;
	}
	rump_sys_umask(0);
	if (strcmp(type, "tmpfs") == 0)
		source = "tmpfs";
	else if ((error = rump_pub_etfs_register(RF_KDISK, a->ra_image,
	    RUMP_ETFS_BLK)) != 0) {
		fprintf(stderr, "rump-fuse: %s: %s\n", a->ra_image,
		    strerror(error));
		return error;
	}
	if (rump_sys_mkdir(RF_KMOUNT, 0755) == -1 ||
	    rump_sys_mount(source, RF_KMOUNT, type, flags, data) == -1) {
		error = errno;
		fprintf(stderr, "rump-fuse: mount %s (%s): %s\n", a->ra_image,
		    type, strerror(error));
		return error;
	}
	return 0;
}

static void
wake(int sig)
{
}

/* The termination signals end the session from this thread; the main
 * thread is nudged until it notices (it may not be waiting yet). */
static void *
signal_thread(void *arg)
{
	struct fuse_session *se = arg;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigwait(&set, &sig) != 0)
		return NULL;
	fuse_session_exit(se);
	while (!atomic_load(&loop_done)) {
		pthread_kill(main_thread, SIGUSR1);
		usleep(100000);
	}
	return NULL;
}

/* Block the termination signals in every thread but signal_thread: the
 * kernel's threads inherit the mask.  SIGUSR1 interrupts the loop. */
static void
setup_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	main_thread = pthread_self();
}

static void
fuse_init(void *userdata, struct fuse_conn_info *conn)
{

	conn->max_write = MAX_WRITE;
	if (conn->capable & FUSE_CAP_PARALLEL_DIROPS)
		conn->want |= FUSE_CAP_PARALLEL_DIROPS;
	conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
}

/* libfuse's arguments: the host checks permissions, the image is the
 * source shown in the mount table (unless a comma would split it), then
 * the -o options meant for libfuse. */
static struct fuse_session *
new_session(const struct rf_args *a, const char *type)
{
	char opts[RF_OPTLEN * 2 + PATH_MAX];
	char *argv[5];
	int argc = 0;
	size_t n;
	struct fuse_session *se;
	struct fuse_args args;

	n = (size_t)snprintf(opts, sizeof(opts),
	    "default_permissions,subtype=rumpk-%s", type);
	if (strchr(a->ra_image, ',') == NULL)
		n += (size_t)snprintf(opts + n, sizeof(opts) - n,
		    ",fsname=%s", a->ra_image);
	if (rf_opts.ro_readonly)
		n += (size_t)snprintf(opts + n, sizeof(opts) - n, ",ro");
	if (a->ra_fuseopts[0] != '\0')
		snprintf(opts + n, sizeof(opts) - n, ",%s", a->ra_fuseopts);
	argv[argc++] = (char *)"rump-fuse";
	argv[argc++] = (char *)"-o";
	argv[argc++] = opts;
	if (a->ra_debug)
		argv[argc++] = (char *)"-d";
	argv[argc] = NULL;
	args = (struct fuse_args)FUSE_ARGS_INIT(argc, argv);
	se = fuse_session_new(&args, &rf_ops, sizeof(rf_ops), NULL);
	fuse_opt_free_args(&args);
	return se;
}

/* Serve until unmounted or signalled; 0 on a clean end. */
static int
serve(struct fuse_session *se, const char *mountpoint)
{
	struct fuse_loop_config cfg = { .clone_fd = 0,
	    .max_idle_threads = 10 };
	pthread_t t;
	int rv;

	if (pthread_create(&t, NULL, signal_thread, se) != 0) {
		fprintf(stderr, "rump-fuse: cannot start a thread\n");
		return -1;
	}
	pthread_detach(t);
	if (fuse_session_mount(se, mountpoint) != 0)
		return -1;
	report(0);
	rv = fuse_session_loop_mt(se, &cfg);
	atomic_store(&loop_done, true);
	fuse_session_unmount(se);
	return rv;
}

static int
parse_args(int argc, char **argv, struct rf_args *a)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "dfho:t:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			a->ra_debug = a->ra_foreground = true;
			break;
		case 'f':
			a->ra_foreground = true;
			break;
		case 'h':
			usage(0);
		case 'o':
			if (rf_parse_opts(a, optarg) != 0)
				return EINVAL;
			break;
		case 't':
			a->ra_type = optarg;
			break;
		default:
			usage(1);
		}
	}
	if (argc - optind != 2)
		usage(1);
	a->ra_image = argv[optind];
	a->ra_mountpoint = argv[optind + 1];
	return a->ra_type != NULL ? check_type(a->ra_type) : 0;
}

/* The type from -t or the image; ext3 is read-only. */
static const char *
resolve_type(struct rf_args *a)
{
	const char *type = a->ra_type;
	int error;

	if (type == NULL) {
		error = rf_detect(a->ra_image, &type);
		if (error != 0) {
			fprintf(stderr, "rump-fuse: %s: %s\n", a->ra_image,
			    error == ENODEV ? "no ext2 or FAT file system "
			    "found (use -t)" : strerror(error));
			return NULL;
		}
	}
	if (strcmp(type, "ext3") == 0)
		rf_opts.ro_readonly = true;
	return type;
}

int
main(int argc, char **argv)
{
	static struct rf_args a;
	static char image[PATH_MAX], mountpoint[PATH_MAX];
	struct fuse_session *se;
	const char *type;
	int rv;

	if (parse_args(argc, argv, &a) != 0 ||
	    (type = resolve_type(&a)) == NULL)
		return 1;
	if ((strcmp(type, "tmpfs") != 0 &&
	    realpath(a.ra_image, image) == NULL) ||
	    realpath(a.ra_mountpoint, mountpoint) == NULL) {
		perror("rump-fuse");
		return 1;
	}
	if (strcmp(type, "tmpfs") != 0)
		a.ra_image = image;
	a.ra_mountpoint = mountpoint;
	if (a.ra_debug && getenv("RUMP_VERBOSE") == NULL)
		setenv("RUMP_VERBOSE", "1", 1);
	if (!a.ra_foreground)
		daemonize();
	setup_signals();
	if (kernel_mount(&a, type) != 0)
		fail();
	se = new_session(&a, type);
	if (se == NULL)
		fail();
	rv = serve(se, mountpoint);
	fuse_session_destroy(se);
	if (rump_sys_reboot((int)LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1) {
		perror("rump-fuse: halting the kernel");
		rv = -1;
	}
	if (rv != 0)
		fail();
	return 0;
}

static const struct fuse_lowlevel_ops rf_ops = {
	.init = fuse_init,
	.lookup = rf_lookup,
	.forget = rf_forget,
	.forget_multi = rf_forget_multi,
	.getattr = rf_getattr,
	.setattr = rf_setattr,
	.readlink = rf_readlink,
	.mknod = rf_mknod,
	.mkdir = rf_mkdir,
	.unlink = rf_unlink,
	.rmdir = rf_rmdir,
	.symlink = rf_symlink,
	.rename = rf_rename,
	.link = rf_link,
	.open = rf_open,
	.read = rf_read,
	.write = rf_write,
	.flush = rf_flush,
	.release = rf_release,
	.fsync = rf_fsync,
	.opendir = rf_opendir,
	.readdir = rf_readdir,
	.releasedir = rf_releasedir,
	.fsyncdir = rf_fsyncdir,
	.statfs = rf_statfs,
	.access = rf_access,
	.create = rf_create,
	.readdirplus = rf_readdirplus,
};
