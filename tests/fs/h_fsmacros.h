/*
 * h_fsmacros.h: run one test body against every mountable file system.
 *
 * FSTEST(name, "description") declares `static void name(const char *mnt)`
 * and generates one ATF test case per file system in FSTEST_FSLIST
 * (name_rumpfs, name_tmpfs, ...).  Each case boots a kernel, prepares the
 * file system with its root directory at mnt, runs the body and tears the
 * file system down again (the body must close every descriptor it opened).
 * FSTEST_ADD(tp, name) adds all of them to the test program.
 *
 * The bodies speak only rump_sys_*, so the same source also compiles
 * against the host kernel with -DFSTEST_HOST: rump_sys_foo becomes libc's
 * foo, and "/" of the test is a private tmpfs in a private mount namespace
 * (needs root).  That is the oracle: a body that fails on Linux asserts the
 * wrong thing.  Build and run it with
 *	cc -std=c11 -D_GNU_SOURCE -DFSTEST_HOST -Iinclude tests/fs/t_vfs.c \
 *	    -latf-c -o t_vfs && kyua test   (with a Kyuafile naming t_vfs)
 *
 * Adding a file system: a setup (and teardown) function, a struct
 * fstest_fs, and one line in FSTEST_FSLIST.  One that cannot do something
 * (FAT has no hard links) says so in its fs_flags; bodies call
 * fs_skip_if()/fs_xfail_if() so that the gap shows up in the report
 * instead of passing silently.
 */
#ifndef _TESTS_FS_H_FSMACROS_H_
#define _TESTS_FS_H_FSMACROS_H_

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include <atf-c.h>

#ifdef FSTEST_HOST
#include <sys/mount.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>

#define rump_sys_open		open
#define rump_sys_openat		openat
#define rump_sys_creat		creat
#define rump_sys_close		close
#define rump_sys_read		read
#define rump_sys_write		write
#define rump_sys_pread		pread
#define rump_sys_pwrite		pwrite
#define rump_sys_readv		readv
#define rump_sys_writev		writev
#define rump_sys_lseek		lseek
#define rump_sys_stat		stat
#define rump_sys_lstat		lstat
#define rump_sys_fstat		fstat
#define rump_sys_fstatat	fstatat
#define rump_sys_statx		statx
#define rump_sys_getdents64	getdents64
#define rump_sys_mkdir		mkdir
#define rump_sys_mkdirat	mkdirat
#define rump_sys_mknod		mknod
#define rump_sys_mknodat	mknodat
#define rump_sys_rmdir		rmdir
#define rump_sys_unlink		unlink
#define rump_sys_unlinkat	unlinkat
#define rump_sys_rename		rename
#define rump_sys_renameat	renameat
#define rump_sys_renameat2	renameat2
#define rump_sys_link		link
#define rump_sys_linkat		linkat
#define rump_sys_symlink	symlink
#define rump_sys_symlinkat	symlinkat
#define rump_sys_readlink	readlink
#define rump_sys_readlinkat	readlinkat
#define rump_sys_chmod		chmod
#define rump_sys_fchmod		fchmod
#define rump_sys_fchmodat	fchmodat
#define rump_sys_chown		chown
#define rump_sys_lchown		lchown
#define rump_sys_fchown		fchown
#define rump_sys_fchownat	fchownat
#define rump_sys_utimensat	utimensat
#define rump_sys_futimens	futimens
#define rump_sys_truncate	truncate
#define rump_sys_ftruncate	ftruncate
#define rump_sys_fsync		fsync
#define rump_sys_fdatasync	fdatasync
#define rump_sys_sync		sync
#define rump_sys_syncfs		syncfs
#define rump_sys_chdir		chdir
#define rump_sys_fchdir		fchdir
#define rump_sys_getcwd(buf, len) syscall(SYS_getcwd, (buf), (len))
#define rump_sys_umask		umask
#define rump_sys_access		access
#define rump_sys_faccessat	faccessat
#define rump_sys_statfs		statfs
#define rump_sys_fstatfs	fstatfs
#define rump_sys_mount		mount
#define rump_sys_umount		umount
#define rump_sys_umount2	umount2
#define rump_sys_pipe		pipe
#define rump_sys_pipe2		pipe2
#define rump_sys_poll		poll
#define rump_sys_dup		dup
#define rump_sys_dup2		dup2
#define rump_sys_dup3		dup3
#define rump_sys_fcntl		fcntl
#define rump_sys_clock_gettime	clock_gettime
#define rump_init()		fstest_host_init()

/*
 * become_user() changes the host process's credentials, and ATF writes
 * its result file with them: a failing requirement takes back root first.
 */
static inline int
fstest_host_regain_root(void)
{

	if (setresuid(0, 0, 0) == -1 || setresgid(0, 0, 0) == -1)
		return -1;
	return 0;
}

#undef ATF_REQUIRE_MSG
#define ATF_REQUIRE_MSG(expression, fmt, ...) do {			\
	if (!(expression)) {						\
		(void)fstest_host_regain_root();			\
		atf_tc_fail_requirement(__FILE__, __LINE__, fmt,	\
		    ##__VA_ARGS__);					\
	}								\
} while (0)
#undef ATF_REQUIRE
#define ATF_REQUIRE(expression)						\
	ATF_REQUIRE_MSG(expression, "%s", #expression " not met")
#else
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#endif

#include "../h_macros.h"

/* Capability gaps of a file system (fs_flags). */
#define FS_NO_HARDLINKS	0x01	/* link(2) is not supported */
#define FS_NO_SYMLINKS	0x02	/* symlink(2) is not supported */
#define FS_NO_UNIXPERMS	0x04	/* no owners and mode bits */
#define FS_SIZE_LIMITED	0x08	/* files end below 4 GiB */
#define FS_NO_DEVNODES	0x10	/* mknod: no FIFOs or device nodes */
#define FS_NO_CTIME	0x20	/* ctime is the mtime: chmod leaves it */
#define FS_NO_ATIME	0x40	/* atime is a date: no time of day */
#define FS_INO_BY_NAME	0x80	/* st_ino changes when a file is renamed */

struct fstest_fs {
	const char	*fs_name;
	unsigned int	 fs_flags;	/* FS_* gaps */
	long		 fs_magic;	/* statfs f_type; 0: not checked */
	uint64_t	 fs_size;	/* statfs size in bytes; 0: unknown */
	long		 fs_tgran;	/* timestamp granularity, ns */
	void		(*fs_setup)(char *mnt);
	void		(*fs_teardown)(const char *mnt);	/* or NULL */
};

/* The file system the running test case uses. */
static const struct fstest_fs *fstest_cur;

#ifdef FSTEST_HOST
static char fstest_hostroot[] = "/tmp/fstest.XXXXXX";

static inline void
fstest_host_cleanup(void)
{

	umount2(fstest_hostroot, MNT_DETACH);
	rmdir(fstest_hostroot);
}

/*
 * Stands in for rump_init(): a private mount namespace (mounts die with
 * the process) and a fresh tmpfs that plays the kernel's "/".
 */
static inline int
fstest_host_init(void)
{

	if (geteuid() != 0)
		atf_tc_skip("host mode needs root (mount(2), setuid(2))");
	RL(unshare(CLONE_NEWNS));
	RL(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ATF_REQUIRE(mkdtemp(fstest_hostroot) != NULL);
	atexit(fstest_host_cleanup);
	RL(mount("tmpfs", fstest_hostroot, "tmpfs", 0, "size=256m,mode=755"));
	umask(022);
	return 0;
}
#endif

/* Boot the kernel (for test cases that do not use FSTEST). */
static inline void
fs_boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_MSG(error == 0, "rump_init: %s", strerror(error));
}

/* buf = path, an absolute path in the kernel's name space. */
static inline char *
fs_rootpath(char *buf, const char *path)
{

#ifdef FSTEST_HOST
	snprintf(buf, PATH_MAX, "%s%s", fstest_hostroot, path);
#else
	snprintf(buf, PATH_MAX, "%s", path);
#endif
	return buf;
}

/* buf = mnt/rel; returns buf. */
static inline char *
mkpath(char *buf, const char *mnt, const char *rel)
{

	ATF_REQUIRE(snprintf(buf, PATH_MAX, "%s/%s", mnt, rel) < PATH_MAX);
	return buf;
}

/* Create or truncate path (mode 0644) and fill it with data. */
static inline void
write_file(const char *path, const void *data, size_t len)
{
	ssize_t n;
	int fd;

	RL(fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	RL(n = rump_sys_write(fd, data, len));
	REQUIRE_EQ(n, len);
	RL(rump_sys_close(fd));
}

/* Read up to len bytes from the start of path; returns the count. */
static inline size_t
read_file(const char *path, void *buf, size_t len)
{
	size_t done;
	ssize_t n;
	int fd;

	RL(fd = rump_sys_open(path, O_RDONLY));
	for (done = 0; done < len; done += (size_t)n) {
		RL(n = rump_sys_read(fd, (char *)buf + done, len - done));
		if (n == 0)
			break;
	}
	RL(rump_sys_close(fd));
	return done;
}

/* path must hold exactly the len bytes at data. */
static inline void
check_file(const char *path, const void *data, size_t len)
{
	char buf[4096];

	ATF_REQUIRE(len < sizeof(buf));
	REQUIRE_EQ(read_file(path, buf, sizeof(buf)), len);
	ATF_REQUIRE_MSG(memcmp(buf, data, len) == 0, "%s: wrong contents",
	    path);
}

static inline struct stat
stat_of(const char *path)
{
	struct stat st;

	RL(rump_sys_stat(path, &st));
	return st;
}

static inline struct stat
lstat_of(const char *path)
{
	struct stat st;

	RL(rump_sys_lstat(path, &st));
	return st;
}

static inline struct stat
fstat_of(int fd)
{
	struct stat st;

	RL(rump_sys_fstat(fd, &st));
	return st;
}

/* Skip the test, visibly, on a file system with any gap in flags. */
static inline void
fs_skip_if(unsigned int flags, const char *why)
{

	if (fstest_cur != NULL && (fstest_cur->fs_flags & flags) != 0)
		atf_tc_skip("%s: %s", fstest_cur->fs_name, why);
}

/* The rest of the test is expected to fail on such a file system. */
static inline void
fs_xfail_if(unsigned int flags, const char *why)
{

	if (fstest_cur != NULL && (fstest_cur->fs_flags & flags) != 0)
		atf_tc_expect_fail("%s: %s", fstest_cur->fs_name, why);
}

/*
 * Wait until a new timestamp differs from one taken before: the file
 * system's granularity plus 20 ms for clocks that tick coarsely.
 */
static inline void
fs_tick(void)
{
	long ns;
	struct timespec ts;

	ns = 20000000L + (fstest_cur != NULL ? fstest_cur->fs_tgran : 0);
	ts.tv_sec = ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/*
 * Continue as an unprivileged user: uid:gid, no supplementary groups.
 * In the kernel this is a new process (rfork with a copy of the fd
 * table), so become_root() simply ends it.  On the host the saved uid
 * stays 0 so that root can come back.
 */
static inline void
become_user(uid_t uid, gid_t gid)
{

#ifdef FSTEST_HOST
	RL(setgroups(0, NULL));
	RL(setresgid(gid, gid, 0));
	RL(setresuid(uid, uid, 0));
#else
	int error;

	error = rump_pub_lwproc_rfork(RUMP_RFFDG);
	ATF_REQUIRE_MSG(error == 0, "rfork: %s", strerror(error));
	RL(rump_sys_setgroups(0, NULL));
	RL(rump_sys_setgid(gid));
	RL(rump_sys_setuid(uid));
#endif
}

/* Back to root after become_user(). */
static inline void
become_root(void)
{

#ifdef FSTEST_HOST
	RL(setresuid(0, 0, 0));
	RL(setresgid(0, 0, 0));
#else
	rump_pub_lwproc_releaselwp();
#endif
}

/* ---- the file systems ------------------------------------------------- */

/* rumpfs is the root file system: test in a directory of it. */
static inline void
fstest_rumpfs_setup(char *mnt)
{

	RL(rump_sys_mkdir(fs_rootpath(mnt, "/rfs"), 0777));
}

static inline void
fstest_tmpfs_setup(char *mnt)
{

	RL(rump_sys_mkdir(fs_rootpath(mnt, "/mnt"), 0777));
	RL(rump_sys_mount("tmpfs", mnt, "tmpfs", 0, "size=64m"));
}

static inline void
fstest_tmpfs_teardown(const char *mnt)
{

	RL(rump_sys_umount2(mnt, 0));
}

static const struct fstest_fs fstest_rumpfs = {
	.fs_name = "rumpfs",
	.fs_tgran = 1,
	.fs_setup = fstest_rumpfs_setup,
};

static const struct fstest_fs fstest_tmpfs = {
	.fs_name = "tmpfs",
	.fs_magic = TMPFS_MAGIC,
	.fs_size = 64 << 20,
	.fs_tgran = 1,
	.fs_setup = fstest_tmpfs_setup,
	.fs_teardown = fstest_tmpfs_teardown,
};

#ifndef FSTEST_HOST
/*
 * ext2: an image made by mke2fs (Debian's e2fsprogs: 256-byte inodes,
 * so timestamps keep their nanoseconds) in the test case's directory,
 * exposed as a block device through etfs and mounted on /ext2.  The
 * tests run in its directory "t" (the root holds lost+found).  Teardown
 * unmounts it and runs e2fsck on the image: every test of the suite
 * also checks that what rumpk wrote is a valid ext2 file system.
 */
#define FSTEST_EXT2_IMG	"fstest-ext2.img"
/* e2fsprogs live in sbin, which may not be in a user's PATH. */
#define FSTEST_E2ENV	"PATH=\"$PATH:/sbin:/usr/sbin\" "

/*
 * The disk file systems' setup: run mkfs (cmd), expose img as the block
 * device /dev/fstest, mount it as type on top and make the test
 * directory top/t, which mnt receives.
 */
static inline void
fstest_image_setup(char *mnt, const char *cmd, const char *img,
    const char *top, const char *type)
{
	char root[PATH_MAX], sub[PATH_MAX];
	int error;

	ATF_REQUIRE_MSG(system(cmd) == 0, "%s failed", cmd);
	error = rump_pub_etfs_register("/dev/fstest", img, RUMP_ETFS_BLK);
	ATF_REQUIRE_MSG(error == 0, "etfs: %s", strerror(error));
	RL(rump_sys_mkdir(fs_rootpath(root, top), 0777));
	RL(rump_sys_mount("/dev/fstest", root, type, 0, NULL));
	snprintf(sub, sizeof(sub), "%s/t", top);
	RL(rump_sys_mkdir(fs_rootpath(mnt, sub), 0777));
}

/*
 * Their teardown: unmount top and run the checker cmd; the first
 * outlen - 1 bytes it prints go to out.  Returns its status (pclose).
 */
static inline int
fstest_image_check(const char *top, const char *cmd, char *out,
    size_t outlen)
{
	char rest[4096], root[PATH_MAX];
	size_t n;
	FILE *fp;

	RL(rump_sys_umount2(fs_rootpath(root, top), 0));
	fp = popen(cmd, "r");
	ATF_REQUIRE(fp != NULL);
	n = fread(out, 1, outlen - 1, fp);
	out[n] = '\0';
	while (fread(rest, 1, sizeof(rest), fp) > 0)
		continue;
	return pclose(fp);
}

static inline void
fstest_ext2_setup(char *mnt, int bsize)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), FSTEST_E2ENV
	    "E2FSPROGS_FAKE_TIME=1700000000 mke2fs -q -F -t ext2 -b %d %s 64M",
	    bsize, FSTEST_EXT2_IMG);
	fstest_image_setup(mnt, cmd, FSTEST_EXT2_IMG, "/ext2", "ext2");
}

static inline void
fstest_ext2_1k_setup(char *mnt)
{

	fstest_ext2_setup(mnt, 1024);
}

static inline void
fstest_ext2_4k_setup(char *mnt)
{

	fstest_ext2_setup(mnt, 4096);
}

/* Unmount, then e2fsck must find nothing to fix. */
static inline void
fstest_ext2_teardown(const char *mnt)
{
	char out[4096];
	int status;

	status = fstest_image_check("/ext2",
	    FSTEST_E2ENV "e2fsck -fn " FSTEST_EXT2_IMG " 2>&1",
	    out, sizeof(out));
	ATF_REQUIRE_MSG(status == 0, "e2fsck -fn: status %d:\n%s", status,
	    out);
}

static const struct fstest_fs fstest_ext2_1k = {
	.fs_name = "ext2_1k",
	.fs_magic = EXT2_SUPER_MAGIC,
	.fs_tgran = 1,
	.fs_setup = fstest_ext2_1k_setup,
	.fs_teardown = fstest_ext2_teardown,
};

static const struct fstest_fs fstest_ext2_4k = {
	.fs_name = "ext2_4k",
	.fs_magic = EXT2_SUPER_MAGIC,
	.fs_tgran = 1,
	.fs_setup = fstest_ext2_4k_setup,
	.fs_teardown = fstest_ext2_teardown,
};

/*
 * FAT16 and FAT32: a 64 MiB image made by mkfs.fat (fixed volume id) in
 * the test case's directory, a block device through etfs, mounted as
 * "vfat" on /fat; the tests run in its directory "t".  Teardown unmounts
 * it and fsck.fat -n must print nothing but its banner and summary.
 */
#define FSTEST_FAT_IMG	"fstest-fat.img"

static inline void
fstest_msdos_setup(char *mnt, int bits)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), FSTEST_E2ENV "mkfs.fat -F %d -i 1234abcd "
	    "-C %s 65536 >/dev/null", bits, FSTEST_FAT_IMG);
	fstest_image_setup(mnt, cmd, FSTEST_FAT_IMG, "/fat", "vfat");
}

static inline void
fstest_msdos16_setup(char *mnt)
{

	fstest_msdos_setup(mnt, 16);
}

static inline void
fstest_msdos32_setup(char *mnt)
{

	fstest_msdos_setup(mnt, 32);
}

/* Unmount; fsck.fat -n reports a problem as a third line or status 1. */
static inline void
fstest_msdos_teardown(const char *mnt)
{
	char out[4096];
	const char *cp;
	int lines, status;

	status = fstest_image_check("/fat",
	    FSTEST_E2ENV "fsck.fat -n " FSTEST_FAT_IMG " 2>&1",
	    out, sizeof(out));
	for (lines = 0, cp = out; (cp = strchr(cp, '\n')) != NULL; cp++)
		lines++;
	ATF_REQUIRE_MSG(status == 0 && lines == 2,
	    "fsck.fat -n: status %d:\n%s", status, out);
}

/*
 * What FAT lacks: links, owners and modes (mount options give them),
 * device nodes and FIFOs, 4 GiB files; times tick in 2 s and the ctime
 * is the mtime; inode numbers follow the directory entry (rename).
 */
#define FSTEST_FAT_FLAGS	(FS_NO_HARDLINKS | FS_NO_SYMLINKS |	\
	FS_NO_UNIXPERMS | FS_SIZE_LIMITED | FS_NO_DEVNODES |		\
	FS_NO_CTIME | FS_NO_ATIME | FS_INO_BY_NAME)

static const struct fstest_fs fstest_msdos16 = {
	.fs_name = "msdos16",
	.fs_flags = FSTEST_FAT_FLAGS,
	.fs_magic = MSDOS_SUPER_MAGIC,
	.fs_tgran = 2000000000L,
	.fs_setup = fstest_msdos16_setup,
	.fs_teardown = fstest_msdos_teardown,
};

static const struct fstest_fs fstest_msdos32 = {
	.fs_name = "msdos32",
	.fs_flags = FSTEST_FAT_FLAGS,
	.fs_magic = MSDOS_SUPER_MAGIC,
	.fs_tgran = 2000000000L,
	.fs_setup = fstest_msdos32_setup,
	.fs_teardown = fstest_msdos_teardown,
};

#define FSTEST_DISKFS(X, a, b)						\
	X(ext2_1k, a, b)						\
	X(ext2_4k, a, b)						\
	X(msdos16, a, b)						\
	X(msdos32, a, b)
#else
#define FSTEST_DISKFS(X, a, b)
#endif

/* Every file system the suite runs on: X(fs, a, b) for each. */
#define FSTEST_FSLIST(X, a, b)						\
	X(rumpfs, a, b)							\
	X(tmpfs, a, b)							\
	FSTEST_DISKFS(X, a, b)

static inline void
fstest_run(const struct fstest_fs *fs, void (*body)(const char *))
{
	char mnt[PATH_MAX];

	fstest_cur = fs;
	fs_boot();
	fs->fs_setup(mnt);
	body(mnt);
	if (fs->fs_teardown != NULL)
		fs->fs_teardown(mnt);
}

#define FSTEST_CASE_(fs, name, descr)					\
ATF_TC(name##_##fs);							\
ATF_TC_HEAD(name##_##fs, tc)						\
{									\
									\
	atf_tc_set_md_var(tc, "descr", "%s (%s)", descr, #fs);		\
}									\
ATF_TC_BODY(name##_##fs, tc)						\
{									\
									\
	fstest_run(&fstest_##fs, name);					\
}

#define FSTEST_ADD_(fs, tp, name)	ATF_TP_ADD_TC(tp, name##_##fs);

#define FSTEST(name, descr)						\
static void name(const char *);						\
FSTEST_FSLIST(FSTEST_CASE_, name, descr)				\
static void								\
name(const char *mnt)

#define FSTEST_ADD(tp, name)	FSTEST_FSLIST(FSTEST_ADD_, tp, name)

#endif /* _TESTS_FS_H_FSMACROS_H_ */
