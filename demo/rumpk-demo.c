/*
 * rumpk-demo: a narrated session with a rump kernel inside this process.
 * It boots, mounts a tmpfs, exposes a host file through etfs, works on
 * files (mkdir, copy, append, rename, links, ls -l, stat, df), shows
 * processes and credentials inside the kernel (rfork, setuid, EACCES),
 * writes through etfs to the host file, and halts.
 *
 * The session is the table `steps` below: each step runs commands and
 * prints them as `rumpk$ command  -> outcome`; a step that goes wrong
 * says why and the demo exits 1.  New steps go into the table.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/reboot.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define GREETING	"/host/greeting"	/* the etfs key */
#define HOST_TEXT	"Hello from a file on the host.\n"
#define APPEND_TEXT	"This line was appended inside rumpk.\n"
#define ETFS_TEXT	"This line was written through etfs.\n"
#define ROOT_TEXT	"Only root may change this.\n"
#define USER_UID	1000

struct demo {
	char		 d_hostpath[PATH_MAX];	/* host file behind GREETING */
	uint64_t	 d_boot_ns;		/* rump_init() */
	uint64_t	 d_mount_ns;		/* mkdir + mount of /tmp */
};

struct step {
	const char	*s_name;
	int		(*s_run)(struct demo *);
};

/* ---- narration ----------------------------------------------------- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *
errname(int e)
{
	const char *s = strerrorname_np(e);

	return s != NULL ? s : "E?";
}

static void
vcommand(const char *prompt, const char *fmt, va_list ap)
{
	char cmd[256];

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	printf("%s %-46s", prompt, cmd);
}

/*
 * Print a command and its outcome; rv is what the call returned (-1 and
 * errno: failure).  Returns 0, or -1 on failure.
 */
static int
did(long rv, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vcommand("rumpk$", fmt, ap);
	va_end(ap);
	if (rv == -1) {
		printf(" -> FAILED: %s (%s)\n", errname(e), strerror(e));
		return -1;
	}
	if (rv == 0)
		printf(" -> ok\n");
	else
		printf(" -> %ld\n", rv);
	return 0;
}

/* Like did(), but the command must fail with errno want. */
static int
refused(long rv, int want, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vcommand("rumpk$", fmt, ap);
	va_end(ap);
	if (rv != -1) {
		printf(" -> %ld: SHOULD HAVE FAILED with %s\n", rv,
		    errname(want));
		return -1;
	}
	if (e != want) {
		printf(" -> %s (%s): EXPECTED %s\n", errname(e), strerror(e),
		    errname(want));
		return -1;
	}
	printf(" -> %s (%s), as it should\n", errname(e), strerror(e));
	return 0;
}

/* A command run on the host side, for contrast. */
static void
host(const char *fmt, ...)
{
	va_list ap;

	printf(" host$ ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Output of the last command, indented. */
static void
out(const char *fmt, ...)
{
	va_list ap;

	printf("         ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Print text line by line as command output. */
static void
out_text(const char *text)
{
	const char *nl;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		if (nl == NULL)
			nl = text + strlen(text);
		out("| %.*s", (int)(nl - text), text);
		text = *nl == '\n' ? nl + 1 : nl;
	}
}

/* An API call returning an errno value, as a system call's -1/errno. */
static long
errno_rv(int error)
{

	if (error == 0)
		return 0;
	errno = error;
	return -1;
}

/* ---- file helpers (the kernel's files) ----------------------------- */

/* Read up to len - 1 bytes of path into buf, NUL-terminated. */
static long
rump_slurp(const char *path, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n = 0;
	int fd, e;

	if ((fd = rump_sys_open(path, O_RDONLY)) == -1)
		return -1;
	while (done < len - 1) {
		n = rump_sys_read(fd, buf + done, len - 1 - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	e = errno;
	rump_sys_close(fd);
	errno = e;
	buf[done] = '\0';
	return n == -1 ? -1 : (long)done;
}

/* cat path: print it; it must hold expect unless that is NULL. */
static int
cat(const char *path, const char *expect)
{
	char buf[4096];
	long n;

	n = rump_slurp(path, buf, sizeof(buf));
	if (did(n == -1 ? -1 : 0, "cat %s", path) == -1)
		return -1;
	out_text(buf);
	if (expect != NULL && strcmp(buf, expect) != 0) {
		out("WRONG CONTENTS: expected:");
		out_text(expect);
		return -1;
	}
	return 0;
}

/* Write all of buf to the open file fd. */
static long
rump_write_all(int fd, const void *buf, size_t len)
{
	size_t done;
	ssize_t n;

	for (done = 0; done < len; done += (size_t)n) {
		n = rump_sys_write(fd, (const char *)buf + done, len - done);
		if (n == -1)
			return -1;
	}
	return (long)done;
}

/* Append text to path (created with mode if missing). */
static long
rump_append(const char *path, const char *text, mode_t mode)
{
	long rv;
	int fd, e;

	fd = rump_sys_open(path, O_WRONLY | O_APPEND | O_CREAT, mode);
	if (fd == -1)
		return -1;
	rv = rump_write_all(fd, text, strlen(text));
	e = errno;
	if (rump_sys_close(fd) == -1)
		return -1;
	errno = e;
	return rv == -1 ? -1 : 0;
}

/* cp src dst with read/write in small chunks; returns 0 or -1. */
static long
rump_copy(const char *src, const char *dst)
{
	char buf[512];
	ssize_t n;
	int in, outfd, e;

	if ((in = rump_sys_open(src, O_RDONLY)) == -1)
		return -1;
	outfd = rump_sys_open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (outfd == -1) {
		e = errno;
		rump_sys_close(in);
		errno = e;
		return -1;
	}
	while ((n = rump_sys_read(in, buf, sizeof(buf))) > 0) {
		if (rump_write_all(outfd, buf, (size_t)n) == -1) {
			n = -1;
			break;
		}
	}
	e = errno;
	rump_sys_close(in);
	rump_sys_close(outfd);
	errno = e;
	return n == -1 ? -1 : 0;
}

/* mkdir -p path. */
static long
rump_mkdir_p(const char *path)
{
	char buf[PATH_MAX], c;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", path);
	for (i = 1; ; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		c = buf[i];
		buf[i] = '\0';
		if (rump_sys_mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		if (c == '\0')
			return 0;
		buf[i] = c;
	}
}

/* ---- ls -lR -------------------------------------------------------- */

/* A struct dirent64 record as getdents64 returns it. */
struct dent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

struct names {
	char	**n_v;
	size_t	  n_len, n_cap;
};

static int
names_add(struct names *nm, const char *name)
{
	char **v;

	if (nm->n_len == nm->n_cap) {
		nm->n_cap = nm->n_cap == 0 ? 16 : 2 * nm->n_cap;
		v = realloc(nm->n_v, nm->n_cap * sizeof(*v));
		if (v == NULL)
			return -1;
		nm->n_v = v;
	}
	if ((nm->n_v[nm->n_len] = strdup(name)) == NULL)
		return -1;
	nm->n_len++;
	return 0;
}

static void
names_free(struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n_len; i++)
		free(nm->n_v[i]);
	free(nm->n_v);
}

static int
cmp_name(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory path, without "." and "..", sorted. */
static int
read_names(const char *path, struct names *nm)
{
	char buf[4096];
	struct dent64 *d;
	ssize_t n, off;
	int fd, e;

	if ((fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dent64 *)(buf + off);
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (names_add(nm, d->d_name) == -1) {
				n = -1;
				errno = ENOMEM;
				break;
			}
		}
		if (n == -1)
			break;
	}
	e = errno;
	rump_sys_close(fd);
	errno = e;
	if (n == -1)
		return -1;
	qsort(nm->n_v, nm->n_len, sizeof(*nm->n_v), cmp_name);
	return 0;
}

static void
mode_string(mode_t m, char *s)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	    S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISVTX)
		s[9] = (m & S_IXOTH) ? 't' : 'T';
	s[10] = '\0';
}

/* One ls -l line for path (shown as name). */
static int
ls_line(const char *path, const char *name)
{
	char mode[11], when[32], target[PATH_MAX];
	struct stat st;
	struct tm tm;
	ssize_t n;

	if (rump_sys_lstat(path, &st) == -1)
		return -1;
	mode_string(st.st_mode, mode);
	gmtime_r(&st.st_mtim.tv_sec, &tm);
	strftime(when, sizeof(when), "%b %e %H:%M", &tm);
	target[0] = '\0';
	if (S_ISLNK(st.st_mode)) {
		n = rump_sys_readlink(path, target, sizeof(target) - 1);
		if (n == -1)
			return -1;
		target[n] = '\0';
	}
	out("%s %2lu %4u %4u %6lld %s %s%s%s", mode, (unsigned long)st.st_nlink,
	    (unsigned)st.st_uid, (unsigned)st.st_gid, (long long)st.st_size,
	    when, name, target[0] != '\0' ? " -> " : "", target);
	return 0;
}

/* ls -lR dir: one block per directory, subdirectories after. */
static int
ls_lR(const char *dir)
{
	struct names nm = { NULL, 0, 0 };
	char path[PATH_MAX];
	struct stat st;
	size_t i;
	int rv = -1;

	if (read_names(dir, &nm) == -1)
		goto done;
	out("%s:", dir);
	for (i = 0; i < nm.n_len; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, nm.n_v[i]);
		if (ls_line(path, nm.n_v[i]) == -1)
			goto done;
	}
	for (i = 0; i < nm.n_len; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, nm.n_v[i]);
		if (rump_sys_lstat(path, &st) == -1)
			goto done;
		if (S_ISDIR(st.st_mode) && ls_lR(path) == -1)
			goto done;
	}
	rv = 0;
done:
	names_free(&nm);
	return rv;
}

/* ---- the steps ----------------------------------------------------- */

static int
step_boot(struct demo *d)
{
	uint64_t t0;
	int error, v;

	t0 = now_ns();
	error = rump_init();
	d->d_boot_ns = now_ns() - t0;
	if (did(errno_rv(error), "boot (rump_init)") == -1)
		return -1;
	v = rump_getversion();
	out("rumpk %d.%d.%d booted in %.1f us", v / 10000, v / 100 % 100,
	    v % 100, d->d_boot_ns / 1e3);
	return 0;
}

static int
step_uname(struct demo *d)
{
	struct utsname u;

	if (did(rump_sys_uname(&u), "uname -a") == -1)
		return -1;
	out("%s %s %s %s %s", u.sysname, u.nodename, u.release, u.version,
	    u.machine);
	return did(rump_sys_getpid(), "echo $$  (getpid)");
}

static int
step_mount(struct demo *d)
{
	uint64_t t0;

	t0 = now_ns();
	if (did(rump_mkdir_p("/tmp"), "mkdir -p /tmp") == -1 ||
	    did(rump_sys_mount("tmpfs", "/tmp", "tmpfs", 0, "size=16m"),
	    "mount -t tmpfs -o size=16m tmpfs /tmp") == -1)
		return -1;
	d->d_mount_ns = now_ns() - t0;
	return 0;
}

/* The host file behind GREETING, in $TMPDIR or /tmp. */
static int
host_file_create(struct demo *d)
{
	const char *dir = getenv("TMPDIR");
	size_t len = strlen(HOST_TEXT);
	int fd;

	snprintf(d->d_hostpath, sizeof(d->d_hostpath), "%s/rumpk-demo.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(d->d_hostpath)) == -1) {
		printf("mkstemp %s: %s\n", d->d_hostpath, strerror(errno));
		d->d_hostpath[0] = '\0';
		return -1;
	}
	if (write(fd, HOST_TEXT, len) != (ssize_t)len || close(fd) == -1) {
		printf("%s: %s\n", d->d_hostpath, strerror(errno));
		return -1;
	}
	return 0;
}

/* Show the host file in the kernel as GREETING. */
static int
step_etfs(struct demo *d)
{

	if (host_file_create(d) == -1)
		return -1;
	host("echo '%.*s' > %s", (int)strlen(HOST_TEXT) - 1, HOST_TEXT,
	    d->d_hostpath);
	if (did(errno_rv(rump_pub_etfs_register(GREETING, d->d_hostpath,
	    RUMP_ETFS_REG)), "etfs register %s = host:%s", GREETING,
	    d->d_hostpath) == -1)
		return -1;
	return cat(GREETING, HOST_TEXT);
}

static int
step_files(struct demo *d)
{

	if (did(rump_mkdir_p("/tmp/a/b/c"), "mkdir -p /tmp/a/b/c") == -1 ||
	    did(rump_copy(GREETING, "/tmp/a/greeting.txt"),
	    "cp %s /tmp/a/greeting.txt", GREETING) == -1 ||
	    did(rump_append("/tmp/a/greeting.txt", APPEND_TEXT, 0644),
	    "echo '...appended...' >> /tmp/a/greeting.txt") == -1 ||
	    did(rump_sys_rename("/tmp/a/greeting.txt", "/tmp/a/b/hello.txt"),
	    "mv /tmp/a/greeting.txt /tmp/a/b/hello.txt") == -1 ||
	    did(rump_sys_symlink("b/hello.txt", "/tmp/a/hello"),
	    "ln -s b/hello.txt /tmp/a/hello") == -1 ||
	    did(rump_sys_link("/tmp/a/b/hello.txt", "/tmp/a/b/c/hard.txt"),
	    "ln /tmp/a/b/hello.txt /tmp/a/b/c/hard.txt") == -1)
		return -1;
	return cat("/tmp/a/hello", HOST_TEXT APPEND_TEXT);
}

static int
step_ls(struct demo *d)
{

	if (did(0, "ls -lR /tmp/a") == -1)
		return -1;
	if (ls_lR("/tmp/a") == -1) {
		out("ls: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
step_stat(struct demo *d)
{
	const char *path = "/tmp/a/b/hello.txt";
	char mode[11], when[40];
	struct stat st;
	struct tm tm;

	if (did(rump_sys_stat(path, &st), "stat %s", path) == -1)
		return -1;
	mode_string(st.st_mode, mode);
	out("Size: %lld  Blocks: %lld  IO Block: %ld  Inode: %llu  Links: %lu",
	    (long long)st.st_size, (long long)st.st_blocks,
	    (long)st.st_blksize, (unsigned long long)st.st_ino,
	    (unsigned long)st.st_nlink);
	out("Access: (%04o/%s)  Uid: %u  Gid: %u  Device: %#llx",
	    (unsigned)(st.st_mode & 07777), mode, (unsigned)st.st_uid,
	    (unsigned)st.st_gid, (unsigned long long)st.st_dev);
	gmtime_r(&st.st_mtim.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	out("Modify: %s.%09ld UTC", when, st.st_mtim.tv_nsec);
	return 0;
}

static int
step_df(struct demo *d)
{
	struct statfs sf;
	unsigned long long kb, used, avail;

	if (did(rump_sys_statfs("/tmp", &sf), "df /tmp  (statfs)") == -1)
		return -1;
	kb = (unsigned long long)sf.f_blocks * sf.f_bsize / 1024;
	used = (unsigned long long)(sf.f_blocks - sf.f_bfree) * sf.f_bsize /
	    1024;
	avail = (unsigned long long)sf.f_bavail * sf.f_bsize / 1024;
	out("%-10s %10s %8s %10s %5s %s", "Filesystem", "1K-blocks", "Used",
	    "Available", "Use%", "Mounted on");
	out("%-10s %10llu %8llu %10llu %4llu%% %s",
	    sf.f_type == TMPFS_MAGIC ? "tmpfs" : "?", kb, used, avail,
	    kb != 0 ? (100 * used + kb - 1) / kb : 0, "/tmp");
	out("inodes: %llu total, %llu free; block size %ld",
	    (unsigned long long)sf.f_files, (unsigned long long)sf.f_ffree,
	    (long)sf.f_bsize);
	if (sf.f_type != TMPFS_MAGIC) {
		out("f_type %#lx is not TMPFS_MAGIC", (unsigned long)sf.f_type);
		return -1;
	}
	return 0;
}

/* In a child process as uid 1000: root's file is readable, not writable. */
static int
as_user(void)
{
	const char *path = "/tmp/a/root-only";

	if (did(rump_sys_getpid(), "echo $$  (getpid, the child)") == -1 ||
	    did(rump_sys_getppid(), "echo $PPID  (getppid)") == -1 ||
	    did(rump_sys_setuid(USER_UID), "setuid %d", USER_UID) == -1 ||
	    did(rump_sys_getuid(), "id -u") == -1)
		return -1;
	if (rump_sys_getuid() != USER_UID) {
		out("uid did not change");
		return -1;
	}
	if (cat(path, ROOT_TEXT) == -1)
		return -1;
	return refused(rump_sys_open(path, O_WRONLY | O_APPEND), EACCES,
	    "echo hi >> %s", path);
}

static int
step_user(struct demo *d)
{
	pid_t parent;
	int rv;

	if (did(rump_append("/tmp/a/root-only", ROOT_TEXT, 0644),
	    "echo '%.*s' > /tmp/a/root-only", (int)strlen(ROOT_TEXT) - 1,
	    ROOT_TEXT) == -1)
		return -1;
	if (ls_line("/tmp/a/root-only", "/tmp/a/root-only") == -1) {
		out("ls: %s", strerror(errno));
		return -1;
	}
	parent = rump_sys_getpid();
	if (did(errno_rv(rump_pub_lwproc_rfork(RUMP_RFFDG)),
	    "fork  (rump_pub_lwproc_rfork)") == -1)
		return -1;
	rv = as_user();
	rump_pub_lwproc_releaselwp();
	did(0, "exit  (rump_pub_lwproc_releaselwp)");
	if (rv == -1)
		return -1;
	if (rump_sys_getpid() != parent || rump_sys_geteuid() != 0) {
		out("not back in pid %d as root", (int)parent);
		return -1;
	}
	return did(rump_sys_getpid(), "echo $$  (back in the parent)");
}

/* Append through etfs; the host sees it. */
static int
step_etfs_write(struct demo *d)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if (did(rump_append(GREETING, ETFS_TEXT, 0644),
	    "echo '%.*s' >> %s", (int)strlen(ETFS_TEXT) - 1, ETFS_TEXT,
	    GREETING) == -1)
		return -1;
	host("cat %s", d->d_hostpath);
	if ((fd = open(d->d_hostpath, O_RDONLY)) == -1 ||
	    (n = read(fd, buf, sizeof(buf) - 1)) == -1) {
		out("%s: %s", d->d_hostpath, strerror(errno));
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	out_text(buf);
	if (strcmp(buf, HOST_TEXT ETFS_TEXT) != 0) {
		out("the host file does not hold what the kernel wrote");
		return -1;
	}
	return 0;
}

static int
step_halt(struct demo *d)
{

	if (did(rump_sys_reboot((int)LINUX_REBOOT_MAGIC1,
	    (int)LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_HALT, NULL),
	    "halt  (reboot LINUX_REBOOT_CMD_HALT)") == -1)
		return -1;
	return refused(rump_sys_getpid(), ENXIO, "echo $$  (after halt)");
}

static const struct step steps[] = {
	{ "boot",			step_boot },
	{ "uname",			step_uname },
	{ "mount tmpfs",		step_mount },
	{ "etfs host file",		step_etfs },
	{ "file work",			step_files },
	{ "ls -lR",			step_ls },
	{ "stat",			step_stat },
	{ "df",				step_df },
	{ "rfork and setuid",		step_user },
	{ "write through etfs",		step_etfs_write },
	{ "halt",			step_halt },
};

int
main(int argc, char **argv)
{
	struct demo d;
	uint64_t t0;
	size_t i, n = sizeof(steps) / sizeof(steps[0]);

	if (argc > 1) {
		printf("usage: %s\nBoots a rump kernel in this process and "
		    "narrates a session with it.\n", argv[0]);
		return strcmp(argv[1], "--help") == 0 ? 0 : 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&d, 0, sizeof(d));
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		printf("\n# %zu/%zu: %s\n", i + 1, n, steps[i].s_name);
		if (steps[i].s_run(&d) == -1)
			break;
	}
	if (d.d_hostpath[0] != '\0')
		unlink(d.d_hostpath);
	if (i < n) {
		fprintf(stderr, "\nrumpk-demo: FAILED at step %zu/%zu (%s)\n",
		    i + 1, n, steps[i].s_name);
		return 1;
	}
	printf("\nrumpk-demo: all %zu steps ok; boot (rump_init) %.1f us, "
	    "tmpfs mounted in %.1f us, whole session %.2f ms\n", n,
	    d.d_boot_ns / 1e3, d.d_mount_ns / 1e3, (now_ns() - t0) / 1e6);
	return 0;
}
