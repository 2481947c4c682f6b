/*
 * t_vfs.c: the file system semantics every mountable file system shares,
 * one behaviour per test case, each run on every file system (FSTEST).
 * Expected results are Linux's; build with -DFSTEST_HOST to check them
 * against the host kernel (see h_fsmacros.h).  Descriptor-only behaviour
 * (pipes, EBADF) runs once, on the root file system.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "h_fsmacros.h"

/* getdents64 records, as the Linux kernel lays them out. */
struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* One directory entry as read back by read_dents(). */
struct dent {
	char		name[NAME_MAX + 1];
	unsigned char	type;
	int64_t		off;
	uint64_t	ino;
};

#define NDENTS	1100
static struct dent dents[NDENTS];

#define USER1	1000
#define USER2	1001

/*
 * Read directory fd from its current offset to the end with getdents64
 * calls of bufsize bytes, checking every record; store the entries in
 * ents (at most max) and return their number.
 */
static size_t
read_dents(int fd, size_t bufsize, struct dent *ents, size_t max)
{
	char buf[8192];
	const struct linux_dirent64 *d;
	size_t n, pos, namelen;
	ssize_t len;

	ATF_REQUIRE(bufsize <= sizeof(buf));
	n = 0;
	for (;;) {
		RL(len = rump_sys_getdents64(fd, buf, bufsize));
		if (len == 0)
			return n;
		ATF_REQUIRE((size_t)len <= bufsize);
		for (pos = 0; pos < (size_t)len; pos += d->d_reclen) {
			d = (const struct linux_dirent64 *)(buf + pos);
			namelen = strnlen(d->d_name, NAME_MAX + 1);
			ATF_REQUIRE_MSG(namelen > 0 && namelen <= NAME_MAX,
			    "bad d_name length %zu", namelen);
			ATF_REQUIRE_MSG(d->d_reclen % 8 == 0 &&
			    d->d_reclen >= offsetof(struct linux_dirent64,
			    d_name) + namelen + 1 &&
			    pos + d->d_reclen <= (size_t)len,
			    "bad d_reclen %u for %s", d->d_reclen, d->d_name);
			ATF_REQUIRE(n < max);
			memcpy(ents[n].name, d->d_name, namelen + 1);
			ents[n].type = d->d_type;
			ents[n].off = d->d_off;
			ents[n].ino = d->d_ino;
			n++;
		}
	}
}

/* How often name occurs among the n entries. */
static int
dent_count(const struct dent *ents, size_t n, const char *name)
{
	size_t i;
	int count;

	count = 0;
	for (i = 0; i < n; i++)
		if (strcmp(ents[i].name, name) == 0)
			count++;
	return count;
}

/* The entry called name, which must occur exactly once. */
static const struct dent *
dent_find(const struct dent *ents, size_t n, const char *name)
{
	size_t i;

	ATF_REQUIRE_MSG(dent_count(ents, n, name) == 1, "%s listed %d times",
	    name, dent_count(ents, n, name));
	for (i = 0; strcmp(ents[i].name, name) != 0; i++)
		continue;
	return &ents[i];
}

/* Read directory path completely with buffers of bufsize bytes. */
static size_t
list_dir(const char *path, size_t bufsize)
{
	size_t n;
	int fd;

	RL(fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY));
	n = read_dents(fd, bufsize, dents, NDENTS);
	RL(rump_sys_close(fd));
	return n;
}

/* -1, 0 or 1 as a is before, equal to or after b. */
static int
tscmp(const struct timespec *a, const struct timespec *b)
{

	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec < b->tv_nsec ? -1 : 1;
	return 0;
}

/* Set path's atime and mtime to an old, fixed time (not following). */
static void
set_old_times(const char *path)
{
	struct timespec ts[2] = {
		{ .tv_sec = 1000000000, .tv_nsec = 0 },
		{ .tv_sec = 1000000000, .tv_nsec = 0 },
	};

	RL(rump_sys_utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW));
}

/*
 * got must be sec.nsec as the file system stores it: rounded down to its
 * timestamp granularity.
 */
static void
require_times(const struct timespec *got, time_t sec, long nsec)
{
	long gran = fstest_cur != NULL ? fstest_cur->fs_tgran : 1;
	long long t;

	t = ((long long)sec * 1000000000LL + nsec) / gran * gran;
	sec = (time_t)(t / 1000000000LL);
	nsec = (long)(t % 1000000000LL);
	ATF_REQUIRE_MSG(got->tv_sec == sec && got->tv_nsec == nsec,
	    "time is %jd.%09ld, expected %jd.%09ld", (intmax_t)got->tv_sec,
	    got->tv_nsec, (intmax_t)sec, nsec);
}

/* An atime of sec as stored: only the date (UTC) on FS_NO_ATIME. */
static time_t
atime_floor(time_t sec)
{

	if (fstest_cur != NULL && (fstest_cur->fs_flags & FS_NO_ATIME) != 0)
		return sec - sec % 86400;
	return sec;
}

/* An atime must be sec.nsec, or that date on FS_NO_ATIME. */
static void
require_atime(const struct timespec *got, time_t sec, long nsec)
{

	if (atime_floor(sec) != sec) {
		require_times(got, atime_floor(sec), 0);
		return;
	}
	require_times(got, sec, nsec);
}

/* The parent directory of an absolute path, in buf. */
static char *
parent_of(char *buf, const char *path)
{
	char *slash;

	snprintf(buf, PATH_MAX, "%s", path);
	slash = strrchr(buf, '/');
	ATF_REQUIRE(slash != NULL);
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return buf;
}

/* Mount a small tmpfs on the directory mnt/rel (created here). */
static char *
mount_tmpfs_at(char *buf, const char *mnt, const char *rel)
{

	RL(rump_sys_mkdir(mkpath(buf, mnt, rel), 0777));
	RL(rump_sys_mount("tmpfs", buf, "tmpfs", 0, "size=1m"));
	return buf;
}

/* ---- open and openat -------------------------------------------------- */

FSTEST(open_creat_creates_empty_regular_file,
    "O_CREAT creates an empty regular file with mode & ~umask, owned by "
    "the caller")
{
	char p[PATH_MAX];
	struct stat st;
	int fd;

	rump_sys_umask(022);
	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_WRONLY, 0666));
	st = fstat_of(fd);
	RL(rump_sys_close(fd));
	ATF_REQUIRE(S_ISREG(st.st_mode));
	REQUIRE_EQ(st.st_size, 0);
	REQUIRE_EQ(st.st_nlink, 1);
	REQUIRE_EQ(st.st_uid, 0);
	REQUIRE_EQ(st.st_gid, 0);
	fs_xfail_if(FS_NO_UNIXPERMS, "the mode comes from the mount's fmask");
	REQUIRE_EQ(st.st_mode & 07777, 0644);
}

FSTEST(open_creat_existing_keeps_mode_and_data,
    "O_CREAT without O_EXCL opens an existing file unchanged")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "data", 4);
	RL(rump_sys_chmod(p, 0555));
	RL(fd = rump_sys_open(p, O_CREAT | O_RDWR, 0777));
	RL(rump_sys_close(fd));
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 0555);
	check_file(p, "data", 4);
}

FSTEST(open_excl_existing_fails_eexist,
    "O_CREAT|O_EXCL on an existing file fails with EEXIST")
{
	char p[PATH_MAX];

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_open(p, O_CREAT | O_EXCL | O_RDWR, 0644),
	    EEXIST);
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_open(p, O_CREAT | O_EXCL | O_RDONLY, 0644),
	    EEXIST);
}

FSTEST(open_trunc_truncates_to_zero,
    "O_TRUNC on an existing file discards its contents")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "hello world", 11);
	RL(fd = rump_sys_open(p, O_WRONLY | O_TRUNC));
	REQUIRE_EQ(fstat_of(fd).st_size, 0);
	RL(rump_sys_close(fd));
	REQUIRE_EQ(stat_of(p).st_size, 0);
}

FSTEST(open_append_writes_at_end_after_lseek,
    "O_APPEND writes at the end of file even after lseek to 0")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "abc", 3);
	RL(fd = rump_sys_open(p, O_WRONLY | O_APPEND));
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_EQ(rump_sys_write(fd, "def", 3), 3);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 6);
	REQUIRE_EQ(rump_sys_lseek(fd, 1, SEEK_SET), 1);
	REQUIRE_EQ(rump_sys_write(fd, "g", 1), 1);
	RL(rump_sys_close(fd));
	check_file(p, "abcdefg", 7);
}

FSTEST(open_directory_on_file_fails_enotdir,
    "O_DIRECTORY on a regular file fails with ENOTDIR")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_open(p, O_RDONLY | O_DIRECTORY), ENOTDIR);
	RL(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_close(fd));
}

FSTEST(open_nofollow_on_symlink_fails_eloop,
    "O_NOFOLLOW fails with ELOOP on a symlink as last component only")
{
	char p[PATH_MAX];
	int fd;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/f"), "x", 1);
	RL(rump_sys_symlink("f", mkpath(p, mnt, "d/l")));
	REQUIRE_ERRNO(rump_sys_open(p, O_RDONLY | O_NOFOLLOW), ELOOP);
	RL(rump_sys_symlink("d", mkpath(p, mnt, "dl")));
	RL(fd = rump_sys_open(mkpath(p, mnt, "dl/f"), O_RDONLY | O_NOFOLLOW));
	RL(rump_sys_close(fd));
}

FSTEST(open_cloexec_sets_fd_cloexec,
    "O_CLOEXEC sets FD_CLOEXEC; without it the flag is clear")
{
	char p[PATH_MAX];
	int fd, fd2;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY | O_CLOEXEC));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFD), FD_CLOEXEC);
	RL(fd2 = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_fcntl(fd2, F_GETFD), 0);
	RL(rump_sys_close(fd));
	RL(rump_sys_close(fd2));
}

FSTEST(open_nonblock_reported_by_getfl,
    "F_GETFL reports O_NONBLOCK and the access mode given to open")
{
	char p[PATH_MAX];
	int fd, fl;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY | O_NONBLOCK));
	RL(fl = rump_sys_fcntl(fd, F_GETFL));
	REQUIRE_EQ(fl & O_ACCMODE, O_RDONLY);
	ATF_REQUIRE(fl & O_NONBLOCK);
	ATF_REQUIRE(!(fl & O_APPEND));
	RL(rump_sys_close(fd));
	RL(fd = rump_sys_open(p, O_WRONLY | O_APPEND));
	RL(fl = rump_sys_fcntl(fd, F_GETFL));
	REQUIRE_EQ(fl & O_ACCMODE, O_WRONLY);
	ATF_REQUIRE(fl & O_APPEND);
	ATF_REQUIRE(!(fl & O_NONBLOCK));
	RL(rump_sys_close(fd));
}

FSTEST(write_on_rdonly_fd_fails_ebadf,
    "write on a descriptor opened O_RDONLY fails with EBADF")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_write(fd, "y", 1), EBADF);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, "y", 1, 0), EBADF);
	RL(rump_sys_close(fd));
	check_file(p, "x", 1);
}

FSTEST(read_on_wronly_fd_fails_ebadf,
    "read on a descriptor opened O_WRONLY fails with EBADF")
{
	char p[PATH_MAX], c;
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_WRONLY));
	REQUIRE_ERRNO(rump_sys_read(fd, &c, 1), EBADF);
	RL(rump_sys_close(fd));
}

FSTEST(open_missing_fails_enoent,
    "opening a missing file, or creating in a missing directory, or an "
    "empty path fails with ENOENT")
{
	char p[PATH_MAX];

	REQUIRE_ERRNO(rump_sys_open(mkpath(p, mnt, "nope"), O_RDONLY), ENOENT);
	REQUIRE_ERRNO(rump_sys_open(mkpath(p, mnt, "nodir/f"),
	    O_CREAT | O_RDWR, 0644), ENOENT);
	REQUIRE_ERRNO(rump_sys_open("", O_RDONLY), ENOENT);
}

FSTEST(open_file_with_trailing_slash_fails_enotdir,
    "a regular file named with a trailing slash fails with ENOTDIR")
{
	char p[PATH_MAX];
	struct stat st;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_open(mkpath(p, mnt, "f/"), O_RDONLY), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_open(mkpath(p, mnt, "f/x"), O_RDONLY),
	    ENOTDIR);
}

FSTEST(open_long_component_fails_enametoolong,
    "a 255-byte name works, a 256-byte one fails with ENAMETOOLONG")
{
	char name[NAME_MAX + 2], p[PATH_MAX];
	int fd;

	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	RL(fd = rump_sys_open(mkpath(p, mnt, name), O_CREAT | O_RDWR, 0644));
	RL(rump_sys_close(fd));
	REQUIRE_EQ(list_dir(mnt, 4096), 3);
	REQUIRE_EQ(dent_count(dents, 3, name), 1);
	name[NAME_MAX] = 'n';
	name[NAME_MAX + 1] = '\0';
	REQUIRE_ERRNO(rump_sys_open(mkpath(p, mnt, name), O_CREAT | O_RDWR,
	    0644), ENAMETOOLONG);
	REQUIRE_ERRNO(rump_sys_mkdir(p, 0755), ENAMETOOLONG);
}

FSTEST(open_long_path_fails_enametoolong,
    "a 4095-byte path works, a 4096-byte one fails with ENAMETOOLONG")
{
	char p[PATH_MAX + 1];
	size_t len;
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	/* mnt////...////f: only the length grows */
	len = strlen(mnt);
	memset(p + len, '/', PATH_MAX - len);
	p[PATH_MAX - 2] = 'f';
	p[PATH_MAX - 1] = '\0';
	REQUIRE_EQ(strlen(p), PATH_MAX - 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_close(fd));
	p[PATH_MAX - 2] = '/';
	p[PATH_MAX - 1] = 'f';
	p[PATH_MAX] = '\0';
	REQUIRE_ERRNO(rump_sys_open(p, O_RDONLY), ENAMETOOLONG);
}

FSTEST(open_dir_for_writing_fails_eisdir,
    "opening a directory O_WRONLY or O_RDWR fails with EISDIR")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_open(p, O_WRONLY), EISDIR);
	REQUIRE_ERRNO(rump_sys_open(p, O_RDWR), EISDIR);
	REQUIRE_ERRNO(rump_sys_open(p, O_CREAT | O_RDWR, 0644), EISDIR);
}

FSTEST(openat_resolves_relative_to_dirfd,
    "openat resolves relative paths from dirfd, absolute ones from /, "
    "and fails with ENOTDIR for a file dirfd")
{
	char p[PATH_MAX];
	int dfd, fd, ffd;

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(dfd = rump_sys_open(p, O_RDONLY | O_DIRECTORY));
	RL(fd = rump_sys_openat(dfd, "f", O_CREAT | O_WRONLY, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "at", 2), 2);
	RL(rump_sys_close(fd));
	check_file(mkpath(p, mnt, "d/f"), "at", 2);
	RL(ffd = rump_sys_openat(dfd, p, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_openat(ffd, "x", O_RDONLY), ENOTDIR);
	RL(fd = rump_sys_openat(AT_FDCWD, p, O_RDONLY));
	REQUIRE_EQ(fstat_of(fd).st_ino, fstat_of(ffd).st_ino);
	RL(rump_sys_close(fd));
	RL(rump_sys_close(ffd));
	RL(rump_sys_close(dfd));
}

FSTEST(close_twice_fails_ebadf,
    "closing a descriptor a second time fails with EBADF")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_close(fd), EBADF);
}

/* ---- read, write and lseek -------------------------------------------- */

FSTEST(write_read_roundtrip_large_file,
    "300 KB written in odd-sized pieces read back identically")
{
	static unsigned char data[300000], back[300000];
	static const size_t piece[] = { 1, 4095, 4097, 65536, 100000 };
	char p[PATH_MAX];
	size_t i, done;
	ssize_t n;
	int fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	for (i = done = 0; done < sizeof(data); done += (size_t)n, i++) {
		n = (ssize_t)(i < 5 ? piece[i] : sizeof(data) - done);
		REQUIRE_EQ(rump_sys_write(fd, data + done, (size_t)n), n);
	}
	REQUIRE_EQ(fstat_of(fd).st_size, sizeof(data));
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	for (done = 0; done < sizeof(back); done += (size_t)n) {
		RL(n = rump_sys_read(fd, back + done, 1000));
		ATF_REQUIRE(n > 0);
	}
	REQUIRE_EQ(rump_sys_read(fd, back, 1), 0);
	ATF_REQUIRE(memcmp(data, back, sizeof(data)) == 0);
	RL(rump_sys_close(fd));
}

FSTEST(pread_pwrite_leave_offset_alone,
    "pread and pwrite use their own offset and keep the file offset")
{
	char p[PATH_MAX], buf[8];
	int fd;

	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "0123456789", 10), 10);
	REQUIRE_EQ(rump_sys_lseek(fd, 2, SEEK_SET), 2);
	REQUIRE_EQ(rump_sys_pwrite(fd, "ab", 2, 5), 2);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4, 4), 4);
	ATF_REQUIRE(memcmp(buf, "4ab7", 4) == 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 2);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 4, 10), 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 8, 8), 2);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, 1, -1), EINVAL);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 1, -1), EINVAL);
	RL(rump_sys_close(fd));
	check_file(p, "01234ab789", 10);
}

FSTEST(readv_writev_scatter_and_gather,
    "writev gathers and readv scatters in iovec order; more than IOV_MAX "
    "iovecs fail with EINVAL")
{
	static struct iovec many[IOV_MAX + 1];
	char p[PATH_MAX], a[3], b[10];
	struct iovec wv[3] = {
		{ .iov_base = "abc", .iov_len = 3 },
		{ .iov_base = "", .iov_len = 0 },
		{ .iov_base = "defgh", .iov_len = 5 },
	};
	struct iovec rv[2] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};
	int fd;

	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_writev(fd, wv, 3), 8);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_EQ(rump_sys_readv(fd, rv, 2), 8);
	ATF_REQUIRE(memcmp(a, "abc", 3) == 0);
	ATF_REQUIRE(memcmp(b, "defgh", 5) == 0);
	REQUIRE_ERRNO(rump_sys_readv(fd, many, IOV_MAX + 1), EINVAL);
	RL(rump_sys_close(fd));
	check_file(p, "abcdefgh", 8);
}

FSTEST(read_at_eof_returns_zero,
    "read at or past the end of file returns 0")
{
	char p[PATH_MAX], buf[4];
	int fd;

	write_file(mkpath(p, mnt, "f"), "ab", 2);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 2);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 100, SEEK_SET), 100);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	RL(rump_sys_close(fd));
}

FSTEST(read_on_directory_fails_eisdir,
    "read on a directory descriptor fails with EISDIR")
{
	char buf[16];
	int fd;

	RL(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	REQUIRE_ERRNO(rump_sys_read(fd, buf, sizeof(buf)), EISDIR);
	RL(rump_sys_close(fd));
}

FSTEST(lseek_set_cur_end,
    "lseek with SEEK_SET, SEEK_CUR and SEEK_END returns the new offset")
{
	char p[PATH_MAX], c;
	int fd;

	write_file(mkpath(p, mnt, "f"), "0123456789", 10);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_lseek(fd, 5, SEEK_SET), 5);
	REQUIRE_EQ(rump_sys_lseek(fd, 3, SEEK_CUR), 8);
	REQUIRE_EQ(rump_sys_lseek(fd, -2, SEEK_CUR), 6);
	REQUIRE_EQ(rump_sys_read(fd, &c, 1), 1);
	REQUIRE_EQ(c, '6');
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), 10);
	REQUIRE_EQ(rump_sys_lseek(fd, -1, SEEK_END), 9);
	REQUIRE_EQ(rump_sys_read(fd, &c, 1), 1);
	REQUIRE_EQ(c, '9');
	RL(rump_sys_close(fd));
}

FSTEST(lseek_past_eof_then_write_leaves_zero_hole,
    "writing after seeking past the end leaves a hole that reads as zeros")
{
	static char buf[(1 << 20) + 100];
	char p[PATH_MAX];
	size_t i;
	int fd;

	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "head", 4), 4);
	REQUIRE_EQ(rump_sys_lseek(fd, sizeof(buf), SEEK_SET), sizeof(buf));
	REQUIRE_EQ(fstat_of(fd).st_size, 4);
	REQUIRE_EQ(rump_sys_write(fd, "x", 1), 1);
	REQUIRE_EQ(fstat_of(fd).st_size, sizeof(buf) + 1);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), sizeof(buf));
	ATF_REQUIRE(memcmp(buf, "head", 4) == 0);
	for (i = 4; i < sizeof(buf); i++)
		ATF_REQUIRE_MSG(buf[i] == 0, "byte %zu of the hole is %#x", i,
		    (unsigned char)buf[i]);
	RL(rump_sys_close(fd));
}

FSTEST(lseek_negative_fails_einval,
    "lseek to a negative offset or with a bad whence fails with EINVAL "
    "and keeps the offset")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "0123456789", 10);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_lseek(fd, 4, SEEK_SET), 4);
	REQUIRE_ERRNO(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	REQUIRE_ERRNO(rump_sys_lseek(fd, -5, SEEK_CUR), EINVAL);
	REQUIRE_ERRNO(rump_sys_lseek(fd, -11, SEEK_END), EINVAL);
	REQUIRE_ERRNO(rump_sys_lseek(fd, 0, 77), EINVAL);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 4);
	RL(rump_sys_close(fd));
}

FSTEST(pwrite_beyond_4gib_offset,
    "offsets beyond 4 GiB work: sparse write at 5 GiB reads back")
{
	const off_t off = (off_t)5 << 30;
	char p[PATH_MAX], buf[4];
	int fd;

	fs_skip_if(FS_SIZE_LIMITED, "files end below 4 GiB");
	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_pwrite(fd, "end", 3, off), 3);
	REQUIRE_EQ(fstat_of(fd).st_size, off + 3);
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), off), 3);
	ATF_REQUIRE(memcmp(buf, "end", 3) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 1, off - 1), 1);
	REQUIRE_EQ(buf[0], 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), off + 3);
	RL(rump_sys_close(fd));
}

/* ---- stat, lstat, fstatat, statx -------------------------------------- */

FSTEST(stat_reports_file_type_bits,
    "st_mode holds S_IFREG for files and S_IFDIR for directories")
{
	char p[PATH_MAX];

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_EQ(stat_of(p).st_mode & S_IFMT, S_IFREG);
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_EQ(stat_of(p).st_mode & S_IFMT, S_IFDIR);
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 0755);
	REQUIRE_EQ(stat_of(mnt).st_mode & S_IFMT, S_IFDIR);
}

FSTEST(stat_dir_nlink_is_two_plus_subdirs,
    "a directory's st_nlink is 2 plus its subdirectories; files do not "
    "count")
{
	char p[PATH_MAX], d[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	REQUIRE_EQ(stat_of(d).st_nlink, 2);
	write_file(mkpath(p, mnt, "d/f"), "x", 1);
	REQUIRE_EQ(stat_of(d).st_nlink, 2);
	RL(rump_sys_mkdir(mkpath(p, mnt, "d/a"), 0755));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d/b"), 0755));
	REQUIRE_EQ(stat_of(d).st_nlink, 4);
	RL(rump_sys_rmdir(mkpath(p, mnt, "d/a")));
	REQUIRE_EQ(stat_of(d).st_nlink, 3);
}

FSTEST(stat_size_blocks_and_blksize,
    "st_size follows writes, st_blocks covers the data, st_blksize > 0")
{
	static char data[10000];
	char p[PATH_MAX];
	struct stat st;

	memset(data, 'z', sizeof(data));
	write_file(mkpath(p, mnt, "f"), data, sizeof(data));
	st = stat_of(p);
	REQUIRE_EQ(st.st_size, sizeof(data));
	ATF_REQUIRE(st.st_blksize > 0);
	ATF_REQUIRE_MSG(st.st_blocks * 512 >= (blkcnt_t)sizeof(data),
	    "st_blocks %jd too small", (intmax_t)st.st_blocks);
}

FSTEST(stat_ino_unique_and_stable,
    "st_ino differs between files, is the same via stat and fstat, and "
    "survives rename")
{
	char p[PATH_MAX], q[PATH_MAX];
	ino_t ino[3];
	int fd;

	write_file(mkpath(p, mnt, "a"), "", 0);
	write_file(mkpath(p, mnt, "b"), "", 0);
	RL(rump_sys_mkdir(mkpath(p, mnt, "c"), 0755));
	ino[0] = stat_of(mkpath(p, mnt, "a")).st_ino;
	ino[1] = stat_of(mkpath(p, mnt, "b")).st_ino;
	ino[2] = stat_of(mkpath(p, mnt, "c")).st_ino;
	ATF_REQUIRE(ino[0] != ino[1] && ino[1] != ino[2] && ino[0] != ino[2]);
	ATF_REQUIRE(ino[2] != stat_of(mnt).st_ino);
	RL(fd = rump_sys_open(mkpath(p, mnt, "a"), O_RDONLY));
	REQUIRE_EQ(fstat_of(fd).st_ino, ino[0]);
	RL(rump_sys_close(fd));
	fs_xfail_if(FS_INO_BY_NAME, "the inode number is the entry's place");
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_rename(p, mkpath(q, mnt, "c/a2")));
	REQUIRE_EQ(stat_of(q).st_ino, ino[0]);
	REQUIRE_EQ(fstat_of(fd).st_ino, ino[0]);
	REQUIRE_EQ(stat_of(q).st_dev, stat_of(mnt).st_dev);
	RL(rump_sys_close(fd));
}

FSTEST(fstatat_symlink_nofollow_stats_link,
    "fstatat follows symlinks unless AT_SYMLINK_NOFOLLOW, resolves from "
    "dirfd, and stats dirfd itself with AT_EMPTY_PATH")
{
	char p[PATH_MAX];
	struct stat st;
	int dfd;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	write_file(mkpath(p, mnt, "f"), "xyz", 3);
	RL(rump_sys_symlink("f", mkpath(p, mnt, "l")));
	RL(dfd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fstatat(dfd, "l", &st, 0));
	ATF_REQUIRE(S_ISREG(st.st_mode));
	REQUIRE_EQ(st.st_size, 3);
	RL(rump_sys_fstatat(dfd, "l", &st, AT_SYMLINK_NOFOLLOW));
	ATF_REQUIRE(S_ISLNK(st.st_mode));
	REQUIRE_EQ(st.st_size, 1);
	RL(rump_sys_fstatat(dfd, "", &st, AT_EMPTY_PATH));
	REQUIRE_EQ(st.st_ino, stat_of(mnt).st_ino);
	REQUIRE_ERRNO(rump_sys_fstatat(dfd, "", &st, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys_fstatat(dfd, "f", &st, 0x40000000), EINVAL);
	RL(rump_sys_close(dfd));
}

FSTEST(statx_reports_basic_fields,
    "statx fills the basic fields requested, agreeing with stat")
{
	char p[PATH_MAX];
	struct statx stx;
	struct stat st;

	write_file(mkpath(p, mnt, "f"), "statx!", 6);
	st = stat_of(p);
	memset(&stx, 0xff, sizeof(stx));
	RL(rump_sys_statx(AT_FDCWD, p, 0, STATX_BASIC_STATS, &stx));
	REQUIRE_EQ(stx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	REQUIRE_EQ(stx.stx_mode, st.st_mode);
	REQUIRE_EQ(stx.stx_size, 6);
	REQUIRE_EQ(stx.stx_nlink, 1);
	REQUIRE_EQ(stx.stx_ino, st.st_ino);
	REQUIRE_EQ(stx.stx_uid, 0);
	REQUIRE_EQ(stx.stx_blksize, st.st_blksize);
	REQUIRE_EQ(stx.stx_blocks, st.st_blocks);
	REQUIRE_EQ(stx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	REQUIRE_EQ(stx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	REQUIRE_EQ(stx.stx_ctime.tv_sec, st.st_ctim.tv_sec);
	REQUIRE_EQ(stx.stx_atime.tv_sec, st.st_atim.tv_sec);
	RL(rump_sys_statx(AT_FDCWD, mnt, 0, STATX_BASIC_STATS, &stx));
	ATF_REQUIRE(S_ISDIR(stx.stx_mode));
	REQUIRE_EQ(stx.stx_nlink, stat_of(mnt).st_nlink);
	REQUIRE_ERRNO(rump_sys_statx(AT_FDCWD, mkpath(p, mnt, "nope"), 0,
	    STATX_BASIC_STATS, &stx), ENOENT);
}

FSTEST(write_updates_mtime_and_ctime,
    "write sets mtime and ctime to now and leaves atime alone")
{
	char p[PATH_MAX];
	struct stat before, after;
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	set_old_times(p);
	before = stat_of(p);
	fs_tick();
	RL(fd = rump_sys_open(p, O_WRONLY));
	REQUIRE_EQ(rump_sys_write(fd, "y", 1), 1);
	RL(rump_sys_close(fd));
	after = stat_of(p);
	ATF_REQUIRE(after.st_mtim.tv_sec > 1000000000);
	ATF_REQUIRE(tscmp(&after.st_ctim, &before.st_ctim) > 0);
	require_atime(&after.st_atim, 1000000000, 0);
}

FSTEST(chmod_updates_ctime_only,
    "chmod changes ctime but not mtime or atime")
{
	char p[PATH_MAX];
	struct stat before, after;

	fs_skip_if(FS_NO_CTIME, "ctime is the mtime: chmod cannot move it");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	set_old_times(p);
	before = stat_of(p);
	fs_tick();
	RL(rump_sys_chmod(p, 0600));
	after = stat_of(p);
	ATF_REQUIRE(tscmp(&after.st_ctim, &before.st_ctim) > 0);
	require_times(&after.st_mtim, 1000000000, 0);
	require_atime(&after.st_atim, 1000000000, 0);
}

FSTEST(create_and_unlink_update_parent_mtime,
    "creating and removing a name updates the directory's mtime")
{
	char d[PATH_MAX], p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	set_old_times(d);
	write_file(mkpath(p, mnt, "d/f"), "x", 1);
	ATF_REQUIRE(stat_of(d).st_mtim.tv_sec > 1000000000);
	set_old_times(d);
	RL(rump_sys_unlink(p));
	ATF_REQUIRE(stat_of(d).st_mtim.tv_sec > 1000000000);
}

/* ---- getdents64 ------------------------------------------------------- */

FSTEST(getdents_lists_dot_and_dotdot,
    "an empty directory lists exactly . and .., with the right inodes")
{
	char d[PATH_MAX];
	const struct dent *de;
	size_t n;

	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	n = list_dir(d, 4096);
	REQUIRE_EQ(n, 2);
	de = dent_find(dents, n, ".");
	REQUIRE_EQ(de->type, DT_DIR);
	REQUIRE_EQ(de->ino, stat_of(d).st_ino);
	de = dent_find(dents, n, "..");
	REQUIRE_EQ(de->type, DT_DIR);
	REQUIRE_EQ(de->ino, stat_of(mnt).st_ino);
}

FSTEST(getdents_lists_1000_names_once_with_small_buffer,
    "1000 names read 256 bytes at a time each appear exactly once")
{
	char d[PATH_MAX], p[PATH_MAX], name[16];
	size_t n;
	int i, fd;

	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "d/file%04d", i);
		RL(fd = rump_sys_open(mkpath(p, mnt, name), O_CREAT | O_WRONLY,
		    0644));
		RL(rump_sys_close(fd));
	}
	n = list_dir(d, 256);
	REQUIRE_EQ(n, 1002);
	REQUIRE_EQ(dent_count(dents, n, "."), 1);
	REQUIRE_EQ(dent_count(dents, n, ".."), 1);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "file%04d", i);
		ATF_REQUIRE_MSG(dent_count(dents, n, name) == 1,
		    "%s listed %d times", name,
		    dent_count(dents, n, name));
	}
}

FSTEST(getdents_reports_d_type,
    "d_type is DT_REG, DT_DIR or DT_LNK as the entry is")
{
	char p[PATH_MAX];
	size_t n;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(rump_sys_symlink("f", mkpath(p, mnt, "l")));
	n = list_dir(mnt, 4096);
	REQUIRE_EQ(dent_find(dents, n, "f")->type, DT_REG);
	REQUIRE_EQ(dent_find(dents, n, "d")->type, DT_DIR);
	REQUIRE_EQ(dent_find(dents, n, "l")->type, DT_LNK);
}

FSTEST(getdents_lseek_zero_restarts_listing,
    "lseek(dirfd, 0, SEEK_SET) makes getdents64 list everything again")
{
	char p[PATH_MAX], name[16];
	size_t n1, n2;
	int i, fd;

	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		write_file(mkpath(p, mnt, name), "", 0);
	}
	RL(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	n1 = read_dents(fd, 512, dents, NDENTS);
	REQUIRE_EQ(n1, 52);
	REQUIRE_EQ(read_dents(fd, 512, dents, NDENTS), 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	n2 = read_dents(fd, 512, dents, NDENTS);
	REQUIRE_EQ(n2, n1);
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		REQUIRE_EQ(dent_count(dents, n2, name), 1);
	}
	RL(rump_sys_close(fd));
}

FSTEST(getdents_lseek_to_d_off_resumes_after_entry,
    "lseek to an entry's d_off makes the next getdents64 start with the "
    "entry after it")
{
	static struct dent all[64];
	char p[PATH_MAX], name[16];
	size_t n, i;
	int fd;

	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "f%zu", i);
		write_file(mkpath(p, mnt, name), "", 0);
	}
	RL(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	n = read_dents(fd, 4096, all, 64);
	REQUIRE_EQ(n, 22);
	for (i = 0; i + 1 < n; i += 5) {
		REQUIRE_EQ(rump_sys_lseek(fd, all[i].off, SEEK_SET),
		    all[i].off);
		REQUIRE_EQ(read_dents(fd, 4096, dents, NDENTS), n - i - 1);
		ATF_REQUIRE_STREQ(dents[0].name, all[i + 1].name);
	}
	RL(rump_sys_close(fd));
}

FSTEST(getdents_buffer_too_small_fails_einval,
    "getdents64 with room for no entry fails with EINVAL")
{
	char buf[16];
	int fd;

	RL(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)), EINVAL);
	RL(rump_sys_close(fd));
}

FSTEST(getdents_on_file_fails_enotdir,
    "getdents64 on a regular file fails with ENOTDIR")
{
	char p[PATH_MAX], buf[512];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	RL(rump_sys_close(fd));
}

/* ---- mkdir, rmdir, unlink --------------------------------------------- */

FSTEST(mkdir_existing_fails_eexist,
    "mkdir of an existing directory or file fails with EEXIST")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_mkdir(p, 0755), EEXIST);
	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_mkdir(p, 0755), EEXIST);
}

FSTEST(mkdir_missing_parent_fails_enoent,
    "mkdir below a missing directory fails with ENOENT")
{
	char p[PATH_MAX];

	REQUIRE_ERRNO(rump_sys_mkdir(mkpath(p, mnt, "no/d"), 0755), ENOENT);
}

FSTEST(mkdir_applies_umask,
    "mkdir's mode is masked by the umask; the sticky bit is kept")
{
	char p[PATH_MAX];

	fs_xfail_if(FS_NO_UNIXPERMS, "the mode comes from the mount's dmask");
	rump_sys_umask(027);
	RL(rump_sys_mkdir(mkpath(p, mnt, "a"), 0777));
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 0750);
	rump_sys_umask(0);
	RL(rump_sys_mkdir(mkpath(p, mnt, "b"), 01777));
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 01777);
	rump_sys_umask(022);
}

FSTEST(mkdir_with_trailing_slash_creates_dir,
    "mkdir(\"d/\") creates d")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d/"), 0755));
	ATF_REQUIRE(S_ISDIR(stat_of(mkpath(p, mnt, "d")).st_mode));
}

FSTEST(mkdirat_resolves_relative_to_dirfd,
    "mkdirat creates relative to dirfd")
{
	char p[PATH_MAX];
	int dfd;

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(dfd = rump_sys_open(p, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdirat(dfd, "sub", 0700));
	ATF_REQUIRE(S_ISDIR(stat_of(mkpath(p, mnt, "d/sub")).st_mode));
	REQUIRE_ERRNO(rump_sys_mkdirat(dfd, "sub", 0700), EEXIST);
	RL(rump_sys_close(dfd));
	fs_xfail_if(FS_NO_UNIXPERMS, "the mode comes from the mount's dmask");
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 0700);
}

FSTEST(rmdir_removes_empty_dir,
    "rmdir removes an empty directory and drops the parent's link count")
{
	char p[PATH_MAX];
	struct stat st;
	nlink_t nlink;

	nlink = stat_of(mnt).st_nlink;
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_EQ(stat_of(mnt).st_nlink, nlink + 1);
	RL(rump_sys_rmdir(p));
	REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
	REQUIRE_EQ(stat_of(mnt).st_nlink, nlink);
}

FSTEST(rmdir_nonempty_fails_enotempty,
    "rmdir of a directory with entries fails with ENOTEMPTY")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_rmdir(mkpath(p, mnt, "d")), ENOTEMPTY);
	RL(rump_sys_unlink(mkpath(p, mnt, "d/f")));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d/e"), 0755));
	REQUIRE_ERRNO(rump_sys_rmdir(mkpath(p, mnt, "d")), ENOTEMPTY);
}

FSTEST(rmdir_file_fails_enotdir,
    "rmdir of a regular file fails with ENOTDIR")
{
	char p[PATH_MAX];

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_rmdir(p), ENOTDIR);
	check_file(p, "x", 1);
}

FSTEST(rmdir_dot_fails_einval,
    "rmdir of a path ending in \".\" fails with EINVAL, \"..\" with "
    "ENOTEMPTY")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_rmdir(mkpath(p, mnt, "d/.")), EINVAL);
	REQUIRE_ERRNO(rump_sys_rmdir(mkpath(p, mnt, "d/..")), ENOTEMPTY);
	ATF_REQUIRE(S_ISDIR(stat_of(mkpath(p, mnt, "d")).st_mode));
}

FSTEST(rmdir_mount_point_fails_ebusy,
    "rmdir of a directory with a file system mounted on it fails with "
    "EBUSY")
{
	char m[PATH_MAX];

	mount_tmpfs_at(m, mnt, "m");
	REQUIRE_ERRNO(rump_sys_rmdir(m), EBUSY);
	RL(rump_sys_umount2(m, 0));
	RL(rump_sys_rmdir(m));
}

FSTEST(removed_dir_stays_open_but_refuses_entries,
    "an open directory can be removed; it then has no links, getdents64 "
    "fails with ENOENT and creating in it fails with ENOENT")
{
	char p[PATH_MAX], buf[512];
	int dfd;

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(dfd = rump_sys_open(p, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_rmdir(p));
	REQUIRE_EQ(fstat_of(dfd).st_nlink, 0);
	REQUIRE_ERRNO(rump_sys_getdents64(dfd, buf, sizeof(buf)), ENOENT);
	REQUIRE_ERRNO(rump_sys_openat(dfd, "f", O_CREAT | O_RDWR, 0644),
	    ENOENT);
	REQUIRE_ERRNO(rump_sys_mkdirat(dfd, "e", 0755), ENOENT);
	RL(rump_sys_close(dfd));
}

FSTEST(unlink_dir_fails_eisdir,
    "unlink of a directory fails with EISDIR")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_unlink(p), EISDIR);
	REQUIRE_ERRNO(rump_sys_unlink(mkpath(p, mnt, "nope")), ENOENT);
}

FSTEST(unlinkat_removedir_removes_dir,
    "unlinkat removes files, and directories only with AT_REMOVEDIR")
{
	char p[PATH_MAX];
	struct stat st;
	int dfd;

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(dfd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	REQUIRE_ERRNO(rump_sys_unlinkat(dfd, "d", 0), EISDIR);
	REQUIRE_ERRNO(rump_sys_unlinkat(dfd, "f", AT_REMOVEDIR), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_unlinkat(dfd, "f", 0x1000000), EINVAL);
	RL(rump_sys_unlinkat(dfd, "d", AT_REMOVEDIR));
	RL(rump_sys_unlinkat(dfd, "f", 0));
	REQUIRE_ERRNO(rump_sys_stat(mkpath(p, mnt, "d"), &st), ENOENT);
	REQUIRE_ERRNO(rump_sys_stat(mkpath(p, mnt, "f"), &st), ENOENT);
	RL(rump_sys_close(dfd));
}

FSTEST(unlink_open_file_keeps_data_readable,
    "an unlinked open file keeps its data, with st_nlink 0")
{
	char p[PATH_MAX], buf[8];
	int fd;

	write_file(mkpath(p, mnt, "f"), "still here", 10);
	RL(fd = rump_sys_open(p, O_RDWR));
	RL(rump_sys_unlink(p));
	REQUIRE_EQ(fstat_of(fd).st_nlink, 0);
	REQUIRE_EQ(list_dir(mnt, 4096), 2);
	REQUIRE_EQ(rump_sys_pread(fd, buf, 5, 6), 4);
	ATF_REQUIRE(memcmp(buf, "here", 4) == 0);
	REQUIRE_EQ(rump_sys_pwrite(fd, "more", 4, 10), 4);
	REQUIRE_EQ(fstat_of(fd).st_size, 14);
	RL(rump_sys_close(fd));
}

/* ---- rename ----------------------------------------------------------- */

FSTEST(rename_file_over_file_replaces,
    "renaming a file over another replaces it; the old target lives on "
    "through an open descriptor")
{
	char a[PATH_MAX], b[PATH_MAX], buf[4];
	struct stat st;
	int fd;

	write_file(mkpath(a, mnt, "a"), "AAA", 3);
	write_file(mkpath(b, mnt, "b"), "BBB", 3);
	RL(fd = rump_sys_open(b, O_RDONLY));
	RL(rump_sys_rename(a, b));
	REQUIRE_ERRNO(rump_sys_stat(a, &st), ENOENT);
	check_file(b, "AAA", 3);
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 3);
	ATF_REQUIRE(memcmp(buf, "BBB", 3) == 0);
	REQUIRE_EQ(fstat_of(fd).st_nlink, 0);
	RL(rump_sys_close(fd));
}

FSTEST(rename_dir_over_empty_dir_replaces,
    "renaming a directory over an empty directory replaces it")
{
	char a[PATH_MAX], b[PATH_MAX], p[PATH_MAX];
	struct stat st;
	nlink_t nlink;

	RL(rump_sys_mkdir(mkpath(a, mnt, "a"), 0755));
	write_file(mkpath(p, mnt, "a/f"), "x", 1);
	RL(rump_sys_mkdir(mkpath(b, mnt, "b"), 0755));
	nlink = stat_of(mnt).st_nlink;
	RL(rump_sys_rename(a, b));
	REQUIRE_ERRNO(rump_sys_stat(a, &st), ENOENT);
	check_file(mkpath(p, mnt, "b/f"), "x", 1);
	REQUIRE_EQ(stat_of(mnt).st_nlink, nlink - 1);
	REQUIRE_EQ(stat_of(b).st_nlink, 2);
}

FSTEST(rename_dir_over_nonempty_dir_fails_enotempty,
    "renaming a directory over a non-empty one fails with ENOTEMPTY")
{
	char a[PATH_MAX], b[PATH_MAX], p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(a, mnt, "a"), 0755));
	RL(rump_sys_mkdir(mkpath(b, mnt, "b"), 0755));
	write_file(mkpath(p, mnt, "b/f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_rename(a, b), ENOTEMPTY);
	ATF_REQUIRE(S_ISDIR(stat_of(a).st_mode));
	check_file(p, "x", 1);
}

FSTEST(rename_file_over_dir_fails_eisdir,
    "renaming a file over a directory fails with EISDIR")
{
	char f[PATH_MAX], d[PATH_MAX];

	write_file(mkpath(f, mnt, "f"), "x", 1);
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_rename(f, d), EISDIR);
	check_file(f, "x", 1);
}

FSTEST(rename_dir_over_file_fails_enotdir,
    "renaming a directory over a file fails with ENOTDIR")
{
	char f[PATH_MAX], d[PATH_MAX];

	write_file(mkpath(f, mnt, "f"), "x", 1);
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_rename(d, f), ENOTDIR);
	ATF_REQUIRE(S_ISDIR(stat_of(d).st_mode));
}

FSTEST(rename_dir_into_own_subdir_fails_einval,
    "moving a directory below itself fails with EINVAL")
{
	char a[PATH_MAX], p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(a, mnt, "a"), 0755));
	RL(rump_sys_mkdir(mkpath(p, mnt, "a/b"), 0755));
	REQUIRE_ERRNO(rump_sys_rename(a, mkpath(p, mnt, "a/b/c")), EINVAL);
	REQUIRE_ERRNO(rump_sys_rename(a, mkpath(p, mnt, "a/x")), EINVAL);
	ATF_REQUIRE(S_ISDIR(stat_of(mkpath(p, mnt, "a/b")).st_mode));
}

FSTEST(rename_missing_source_fails_enoent,
    "renaming a missing name, or into a missing directory, fails with "
    "ENOENT")
{
	char a[PATH_MAX], b[PATH_MAX];

	REQUIRE_ERRNO(rump_sys_rename(mkpath(a, mnt, "nope"),
	    mkpath(b, mnt, "b")), ENOENT);
	write_file(a, "x", 1);
	REQUIRE_ERRNO(rump_sys_rename(a, mkpath(b, mnt, "nodir/b")), ENOENT);
	check_file(a, "x", 1);
}

FSTEST(renameat2_noreplace_existing_fails_eexist,
    "RENAME_NOREPLACE fails with EEXIST if the target exists, and "
    "renames otherwise")
{
	char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX];

	write_file(mkpath(a, mnt, "a"), "A", 1);
	write_file(mkpath(b, mnt, "b"), "B", 1);
	REQUIRE_ERRNO(rump_sys_renameat2(AT_FDCWD, a, AT_FDCWD, b,
	    RENAME_NOREPLACE), EEXIST);
	check_file(a, "A", 1);
	check_file(b, "B", 1);
	RL(rump_sys_renameat2(AT_FDCWD, a, AT_FDCWD, mkpath(c, mnt, "c"),
	    RENAME_NOREPLACE));
	check_file(c, "A", 1);
}

FSTEST(renameat2_exchange_swaps_names,
    "RENAME_EXCHANGE swaps a file and a directory atomically")
{
	char f[PATH_MAX], d[PATH_MAX], p[PATH_MAX];

	write_file(mkpath(f, mnt, "f"), "F", 1);
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/in"), "I", 1);
	RL(rump_sys_renameat2(AT_FDCWD, f, AT_FDCWD, d, RENAME_EXCHANGE));
	check_file(d, "F", 1);
	check_file(mkpath(p, mnt, "f/in"), "I", 1);
	REQUIRE_ERRNO(rump_sys_renameat2(AT_FDCWD, f, AT_FDCWD,
	    mkpath(p, mnt, "nope"), RENAME_EXCHANGE), ENOENT);
	REQUIRE_ERRNO(rump_sys_renameat2(AT_FDCWD, f, AT_FDCWD, d,
	    RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
}

FSTEST(rename_to_itself_is_noop,
    "renaming a file or directory to itself succeeds and changes nothing")
{
	char a[PATH_MAX], d[PATH_MAX];

	write_file(mkpath(a, mnt, "a"), "A", 1);
	RL(rump_sys_rename(a, a));
	check_file(a, "A", 1);
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	RL(rump_sys_rename(d, d));
	ATF_REQUIRE(S_ISDIR(stat_of(d).st_mode));
}

FSTEST(rename_between_links_of_same_file_is_noop,
    "renaming onto another hard link of the same file succeeds and keeps "
    "both names")
{
	char a[PATH_MAX], b[PATH_MAX];

	fs_skip_if(FS_NO_HARDLINKS, "no hard links");
	write_file(mkpath(a, mnt, "a"), "A", 1);
	RL(rump_sys_link(a, mkpath(b, mnt, "b")));
	RL(rump_sys_rename(a, b));
	check_file(a, "A", 1);
	check_file(b, "A", 1);
	REQUIRE_EQ(stat_of(a).st_nlink, 2);
}

FSTEST(rename_dir_across_parents_updates_dotdot,
    "moving a directory to another parent repoints its .. and moves a "
    "link count from the old parent to the new one")
{
	char a[PATH_MAX], b[PATH_MAX], p[PATH_MAX], q[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(a, mnt, "a"), 0755));
	RL(rump_sys_mkdir(mkpath(b, mnt, "b"), 0755));
	RL(rump_sys_mkdir(mkpath(p, mnt, "a/d"), 0755));
	REQUIRE_EQ(stat_of(a).st_nlink, 3);
	RL(rump_sys_rename(p, mkpath(q, mnt, "b/d")));
	REQUIRE_EQ(stat_of(a).st_nlink, 2);
	REQUIRE_EQ(stat_of(b).st_nlink, 3);
	REQUIRE_EQ(stat_of(mkpath(p, mnt, "b/d/..")).st_ino, stat_of(b).st_ino);
	REQUIRE_EQ(list_dir(mkpath(p, mnt, "b/d"), 4096), 2);
	REQUIRE_EQ(dent_find(dents, 2, "..")->ino, stat_of(b).st_ino);
}

FSTEST(rename_across_mounts_fails_exdev,
    "rename between two mounted file systems fails with EXDEV")
{
	char m[PATH_MAX], f[PATH_MAX], p[PATH_MAX];

	mount_tmpfs_at(m, mnt, "m");
	write_file(mkpath(f, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_rename(f, mkpath(p, mnt, "m/f")), EXDEV);
	write_file(p, "y", 1);
	REQUIRE_ERRNO(rump_sys_rename(p, mkpath(f, mnt, "g")), EXDEV);
	RL(rump_sys_umount2(m, 0));
}

FSTEST(renameat_resolves_relative_to_dirfds,
    "renameat resolves each name from its own dirfd")
{
	char p[PATH_MAX];
	int afd, bfd;

	RL(rump_sys_mkdir(mkpath(p, mnt, "a"), 0755));
	RL(afd = rump_sys_open(p, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdir(mkpath(p, mnt, "b"), 0755));
	RL(bfd = rump_sys_open(p, O_RDONLY | O_DIRECTORY));
	write_file(mkpath(p, mnt, "a/f"), "x", 1);
	RL(rump_sys_renameat(afd, "f", bfd, "g"));
	check_file(mkpath(p, mnt, "b/g"), "x", 1);
	RL(rump_sys_close(afd));
	RL(rump_sys_close(bfd));
}

/* ---- link ------------------------------------------------------------- */

FSTEST(link_counts_names_in_nlink,
    "link adds a name to the same inode and unlink removes one")
{
	char a[PATH_MAX], b[PATH_MAX];

	fs_skip_if(FS_NO_HARDLINKS, "no hard links");
	write_file(mkpath(a, mnt, "a"), "A", 1);
	RL(rump_sys_link(a, mkpath(b, mnt, "b")));
	REQUIRE_EQ(stat_of(a).st_nlink, 2);
	REQUIRE_EQ(stat_of(b).st_ino, stat_of(a).st_ino);
	write_file(b, "B", 1);
	check_file(a, "B", 1);
	RL(rump_sys_unlink(a));
	REQUIRE_EQ(stat_of(b).st_nlink, 1);
	check_file(b, "B", 1);
}

FSTEST(link_to_dir_fails_eperm,
    "hard links to directories fail with EPERM")
{
	char d[PATH_MAX], p[PATH_MAX];

	fs_skip_if(FS_NO_HARDLINKS, "no hard links");
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_link(d, mkpath(p, mnt, "l")), EPERM);
	REQUIRE_EQ(stat_of(d).st_nlink, 2);
}

FSTEST(link_existing_target_fails_eexist,
    "link to an existing name fails with EEXIST, from a missing one with "
    "ENOENT")
{
	char a[PATH_MAX], b[PATH_MAX];

	fs_skip_if(FS_NO_HARDLINKS, "no hard links");
	write_file(mkpath(a, mnt, "a"), "A", 1);
	write_file(mkpath(b, mnt, "b"), "B", 1);
	REQUIRE_ERRNO(rump_sys_link(a, b), EEXIST);
	check_file(b, "B", 1);
	REQUIRE_ERRNO(rump_sys_link(mkpath(a, mnt, "nope"),
	    mkpath(b, mnt, "c")), ENOENT);
}

FSTEST(link_across_mounts_fails_exdev,
    "link between two mounted file systems fails with EXDEV")
{
	char m[PATH_MAX], f[PATH_MAX], p[PATH_MAX];

	fs_skip_if(FS_NO_HARDLINKS, "no hard links");
	mount_tmpfs_at(m, mnt, "m");
	write_file(mkpath(f, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_link(f, mkpath(p, mnt, "m/f")), EXDEV);
	RL(rump_sys_umount2(m, 0));
}

FSTEST(linkat_symlink_follow_links_target,
    "linkat links a symlink itself, or its target with AT_SYMLINK_FOLLOW")
{
	char p[PATH_MAX];
	int dfd;

	fs_skip_if(FS_NO_HARDLINKS | FS_NO_SYMLINKS, "no hard or symlinks");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_symlink("f", mkpath(p, mnt, "l")));
	RL(dfd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_linkat(dfd, "l", dfd, "ll", 0));
	ATF_REQUIRE(S_ISLNK(lstat_of(mkpath(p, mnt, "ll")).st_mode));
	RL(rump_sys_linkat(dfd, "l", dfd, "lf", AT_SYMLINK_FOLLOW));
	ATF_REQUIRE(S_ISREG(lstat_of(mkpath(p, mnt, "lf")).st_mode));
	REQUIRE_EQ(stat_of(mkpath(p, mnt, "f")).st_nlink, 2);
	RL(rump_sys_close(dfd));
}

/* ---- symlink and readlink --------------------------------------------- */

FSTEST(symlink_relative_target_resolves_from_link_dir,
    "a relative symlink target is resolved from the link's directory")
{
	char p[PATH_MAX], buf[16];
	int dfd;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/f"), "rel", 3);
	RL(rump_sys_symlink("f", mkpath(p, mnt, "d/l")));
	check_file(p, "rel", 3);
	REQUIRE_EQ(lstat_of(p).st_size, 1);
	REQUIRE_EQ(rump_sys_readlink(p, buf, sizeof(buf)), 1);
	REQUIRE_EQ(buf[0], 'f');
	RL(dfd = rump_sys_open(mkpath(p, mnt, "d"), O_RDONLY | O_DIRECTORY));
	RL(rump_sys_symlinkat("../d/f", dfd, "l2"));
	REQUIRE_EQ(rump_sys_readlinkat(dfd, "l2", buf, sizeof(buf)), 6);
	ATF_REQUIRE(memcmp(buf, "../d/f", 6) == 0);
	check_file(mkpath(p, mnt, "d/l2"), "rel", 3);
	RL(rump_sys_close(dfd));
}

FSTEST(symlink_absolute_target_resolves_from_root,
    "an absolute symlink target is resolved from the root")
{
	char f[PATH_MAX], l[PATH_MAX], buf[PATH_MAX];

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	write_file(mkpath(f, mnt, "f"), "abs", 3);
	RL(rump_sys_symlink(f, mkpath(l, mnt, "l")));
	check_file(l, "abs", 3);
	REQUIRE_EQ(rump_sys_readlink(l, buf, sizeof(buf)), strlen(f));
	ATF_REQUIRE(memcmp(buf, f, strlen(f)) == 0);
	REQUIRE_EQ(lstat_of(l).st_size, strlen(f));
}

FSTEST(symlink_dangling_stat_fails_enoent_lstat_works,
    "a dangling symlink: stat fails with ENOENT, lstat describes the link")
{
	char l[PATH_MAX];
	struct stat st;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_symlink("nowhere", mkpath(l, mnt, "l")));
	REQUIRE_ERRNO(rump_sys_stat(l, &st), ENOENT);
	st = lstat_of(l);
	ATF_REQUIRE(S_ISLNK(st.st_mode));
	REQUIRE_EQ(st.st_size, 7);
	REQUIRE_EQ(st.st_mode & 0777, 0777);
}

FSTEST(open_creat_through_dangling_symlink_creates_target,
    "O_CREAT through a dangling symlink creates its target; with O_EXCL "
    "it fails with EEXIST")
{
	char l[PATH_MAX], p[PATH_MAX];
	int fd;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_symlink("target", mkpath(l, mnt, "l")));
	REQUIRE_ERRNO(rump_sys_open(l, O_CREAT | O_EXCL | O_WRONLY, 0644),
	    EEXIST);
	RL(fd = rump_sys_open(l, O_CREAT | O_WRONLY, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "t", 1), 1);
	RL(rump_sys_close(fd));
	check_file(mkpath(p, mnt, "target"), "t", 1);
	ATF_REQUIRE(S_ISLNK(lstat_of(l).st_mode));
}

FSTEST(symlink_loop_fails_eloop,
    "resolving a symlink cycle fails with ELOOP")
{
	char a[PATH_MAX], b[PATH_MAX], p[PATH_MAX];
	struct stat st;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_symlink("b", mkpath(a, mnt, "a")));
	RL(rump_sys_symlink("a", mkpath(b, mnt, "b")));
	REQUIRE_ERRNO(rump_sys_stat(a, &st), ELOOP);
	REQUIRE_ERRNO(rump_sys_open(b, O_RDONLY), ELOOP);
	RL(rump_sys_symlink("self", mkpath(p, mnt, "self")));
	REQUIRE_ERRNO(rump_sys_open(p, O_CREAT | O_RDWR, 0644), ELOOP);
	REQUIRE_ERRNO(rump_sys_stat(mkpath(p, mnt, "a/x"), &st), ELOOP);
}

FSTEST(readlink_on_non_symlink_fails_einval,
    "readlink of a file or directory fails with EINVAL")
{
	char p[PATH_MAX], buf[16];

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_readlink(p, buf, sizeof(buf)), EINVAL);
	REQUIRE_ERRNO(rump_sys_readlink(mnt, buf, sizeof(buf)), EINVAL);
}

FSTEST(readlink_truncates_without_nul,
    "readlink into a short buffer returns the first bytes, unterminated; "
    "a zero-size buffer fails with EINVAL")
{
	char l[PATH_MAX], buf[8];

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_symlink("abcdef", mkpath(l, mnt, "l")));
	memset(buf, 'X', sizeof(buf));
	REQUIRE_EQ(rump_sys_readlink(l, buf, 3), 3);
	ATF_REQUIRE(memcmp(buf, "abcXXXXX", 8) == 0);
	memset(buf, 'X', sizeof(buf));
	REQUIRE_EQ(rump_sys_readlink(l, buf, sizeof(buf)), 6);
	ATF_REQUIRE(memcmp(buf, "abcdefXX", 8) == 0);
	REQUIRE_ERRNO(rump_sys_readlink(l, buf, 0), EINVAL);
}

FSTEST(path_through_symlinked_dir_resolves,
    "a symlink to a directory works as a path component; with a trailing "
    "slash even lstat follows it")
{
	char p[PATH_MAX];
	struct stat st;
	int fd;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/f"), "via", 3);
	RL(rump_sys_symlink("d", mkpath(p, mnt, "l")));
	check_file(mkpath(p, mnt, "l/f"), "via", 3);
	RL(fd = rump_sys_open(mkpath(p, mnt, "l/new"), O_CREAT | O_RDWR,
	    0644));
	RL(rump_sys_close(fd));
	st = stat_of(mkpath(p, mnt, "d/new"));
	ATF_REQUIRE(S_ISREG(st.st_mode));
	ATF_REQUIRE(S_ISLNK(lstat_of(mkpath(p, mnt, "l")).st_mode));
	ATF_REQUIRE(S_ISDIR(lstat_of(mkpath(p, mnt, "l/")).st_mode));
	REQUIRE_EQ(stat_of(mkpath(p, mnt, "l/..")).st_ino,
	    stat_of(mnt).st_ino);
}

FSTEST(symlink_over_existing_name_fails_eexist,
    "symlink onto an existing name fails with EEXIST; an empty target "
    "fails with ENOENT")
{
	char p[PATH_MAX];

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_symlink("t", p), EEXIST);
	check_file(p, "x", 1);
	REQUIRE_ERRNO(rump_sys_symlink("", mkpath(p, mnt, "e")), ENOENT);
}

/* ---- device nodes and fifos ------------------------------------------- */

FSTEST(mknod_creates_fifo_and_device_nodes,
    "mknod makes FIFOs and device nodes that stat and getdents64 report")
{
	char p[PATH_MAX];
	struct stat st;
	size_t n;

	fs_skip_if(FS_NO_DEVNODES, "no FIFOs or device nodes");
	RL(rump_sys_mknod(mkpath(p, mnt, "fifo"), S_IFIFO | 0644, 0));
	ATF_REQUIRE(S_ISFIFO(stat_of(p).st_mode));
	RL(rump_sys_mknod(mkpath(p, mnt, "null"), S_IFCHR | 0666,
	    makedev(1, 3)));
	st = stat_of(p);
	ATF_REQUIRE(S_ISCHR(st.st_mode));
	REQUIRE_EQ(major(st.st_rdev), 1);
	REQUIRE_EQ(minor(st.st_rdev), 3);
	RL(rump_sys_mknod(mkpath(p, mnt, "blk"), S_IFBLK | 0600,
	    makedev(7, 0)));
	ATF_REQUIRE(S_ISBLK(stat_of(p).st_mode));
	n = list_dir(mnt, 4096);
	REQUIRE_EQ(dent_find(dents, n, "fifo")->type, DT_FIFO);
	REQUIRE_EQ(dent_find(dents, n, "null")->type, DT_CHR);
	REQUIRE_EQ(dent_find(dents, n, "blk")->type, DT_BLK);
}

/* ---- chmod, chown, utimensat ------------------------------------------ */

FSTEST(chmod_fchmod_fchmodat_set_permission_bits,
    "chmod, fchmod and fchmodat set the 07777 bits and keep the type")
{
	char p[PATH_MAX];
	int fd;

	fs_xfail_if(FS_NO_UNIXPERMS, "no mode bits");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_chmod(p, 0600));
	REQUIRE_EQ(stat_of(p).st_mode, S_IFREG | 0600);
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_fchmod(fd, 04751));
	REQUIRE_EQ(fstat_of(fd).st_mode, S_IFREG | 04751);
	RL(rump_sys_close(fd));
	RL(rump_sys_fchmodat(AT_FDCWD, p, 0444, 0));
	REQUIRE_EQ(stat_of(p).st_mode, S_IFREG | 0444);
	RL(rump_sys_chmod(p, S_IFDIR | 0640));
	REQUIRE_EQ(stat_of(p).st_mode, S_IFREG | 0640);
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(rump_sys_chmod(p, 01700));
	REQUIRE_EQ(stat_of(p).st_mode, S_IFDIR | 01700);
}

FSTEST(chmod_through_symlink_changes_target,
    "chmod follows a symlink and changes the target")
{
	char f[PATH_MAX], l[PATH_MAX];

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	write_file(mkpath(f, mnt, "f"), "x", 1);
	RL(rump_sys_symlink("f", mkpath(l, mnt, "l")));
	RL(rump_sys_chmod(l, 0604));
	REQUIRE_EQ(stat_of(f).st_mode & 07777, 0604);
	REQUIRE_EQ(lstat_of(l).st_mode & 07777, 0777);
}

FSTEST(chown_fchown_set_owner_and_group,
    "chown and fchown set uid and gid; -1 leaves a field unchanged")
{
	char p[PATH_MAX];
	struct stat st;
	int fd;

	fs_skip_if(FS_NO_UNIXPERMS, "no owners");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_chown(p, USER1, USER1));
	st = stat_of(p);
	REQUIRE_EQ(st.st_uid, USER1);
	REQUIRE_EQ(st.st_gid, USER1);
	RL(rump_sys_chown(p, (uid_t)-1, USER2));
	st = stat_of(p);
	REQUIRE_EQ(st.st_uid, USER1);
	REQUIRE_EQ(st.st_gid, USER2);
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_fchown(fd, USER2, (gid_t)-1));
	st = fstat_of(fd);
	REQUIRE_EQ(st.st_uid, USER2);
	REQUIRE_EQ(st.st_gid, USER2);
	RL(rump_sys_close(fd));
	RL(rump_sys_fchownat(AT_FDCWD, p, 0, 0, 0));
	REQUIRE_EQ(stat_of(p).st_uid, 0);
}

FSTEST(chown_clears_setuid_bit,
    "changing the owner of a file clears its set-user-ID bit, even as root")
{
	char p[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no owners");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_chmod(p, 04755));
	RL(rump_sys_chown(p, USER1, (gid_t)-1));
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 0755);
}

FSTEST(lchown_changes_link_not_target,
    "lchown changes the symlink's owner; chown through it the target's")
{
	char f[PATH_MAX], l[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS | FS_NO_SYMLINKS, "no owners or symlinks");
	write_file(mkpath(f, mnt, "f"), "x", 1);
	RL(rump_sys_symlink("f", mkpath(l, mnt, "l")));
	RL(rump_sys_lchown(l, USER1, USER1));
	REQUIRE_EQ(lstat_of(l).st_uid, USER1);
	REQUIRE_EQ(lstat_of(l).st_gid, USER1);
	REQUIRE_EQ(stat_of(f).st_uid, 0);
	RL(rump_sys_chown(l, USER2, USER2));
	REQUIRE_EQ(stat_of(f).st_uid, USER2);
	REQUIRE_EQ(lstat_of(l).st_uid, USER1);
}

FSTEST(utimensat_sets_explicit_times,
    "utimensat sets atime and mtime to the nanosecond")
{
	char p[PATH_MAX];
	struct timespec ts[2] = {
		{ .tv_sec = 1000000000, .tv_nsec = 123456789 },
		{ .tv_sec = 1500000000, .tv_nsec = 987654321 },
	};
	struct stat st;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_utimensat(AT_FDCWD, p, ts, 0));
	st = stat_of(p);
	require_atime(&st.st_atim, 1000000000, 123456789);
	require_times(&st.st_mtim, 1500000000, 987654321);
	ts[0].tv_nsec = 1000000000;
	REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, p, ts, 0), EINVAL);
}

FSTEST(utimensat_utime_now_and_omit,
    "UTIME_NOW sets the current time, UTIME_OMIT leaves a time alone, "
    "NULL sets both to now")
{
	char p[PATH_MAX];
	struct timespec now, ts[2];
	struct stat st;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	set_old_times(p);
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_sec = 0;
	ts[1].tv_nsec = UTIME_OMIT;
	RL(rump_sys_clock_gettime(CLOCK_REALTIME, &now));
	RL(rump_sys_utimensat(AT_FDCWD, p, ts, 0));
	st = stat_of(p);
	ATF_REQUIRE_MSG(st.st_atim.tv_sec >= atime_floor(now.tv_sec - 1) &&
	    st.st_atim.tv_sec <= now.tv_sec + 1, "atime %jd, now %jd",
	    (intmax_t)st.st_atim.tv_sec, (intmax_t)now.tv_sec);
	require_times(&st.st_mtim, 1000000000, 0);
	set_old_times(p);
	RL(rump_sys_utimensat(AT_FDCWD, p, NULL, 0));
	st = stat_of(p);
	ATF_REQUIRE(st.st_atim.tv_sec >= atime_floor(now.tv_sec - 1));
	ATF_REQUIRE(st.st_mtim.tv_sec >= now.tv_sec - 2);
}

FSTEST(utimensat_symlink_nofollow_sets_link_times,
    "utimensat with AT_SYMLINK_NOFOLLOW sets the link's times, not the "
    "target's")
{
	char f[PATH_MAX], l[PATH_MAX];
	struct timespec ts[2] = {
		{ .tv_sec = 1200000000, .tv_nsec = 0 },
		{ .tv_sec = 1300000000, .tv_nsec = 0 },
	};
	struct stat st;

	fs_skip_if(FS_NO_SYMLINKS, "no symbolic links");
	write_file(mkpath(f, mnt, "f"), "x", 1);
	RL(rump_sys_symlink("f", mkpath(l, mnt, "l")));
	RL(rump_sys_utimensat(AT_FDCWD, l, ts, AT_SYMLINK_NOFOLLOW));
	st = lstat_of(l);
	require_times(&st.st_mtim, 1300000000, 0);
	ATF_REQUIRE(stat_of(f).st_mtim.tv_sec != 1300000000);
	RL(rump_sys_utimensat(AT_FDCWD, l, ts, 0));
	st = stat_of(f);
	require_atime(&st.st_atim, 1200000000, 0);
	require_times(&st.st_mtim, 1300000000, 0);
}

FSTEST(futimens_sets_times,
    "futimens sets the times of an open file")
{
	char p[PATH_MAX];
	struct timespec ts[2] = {
		{ .tv_sec = 1100000000, .tv_nsec = 5 },
		{ .tv_sec = 1100000001, .tv_nsec = 6 },
	};
	struct stat st;
	int fd;

	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	RL(rump_sys_futimens(fd, ts));
	st = fstat_of(fd);
	require_atime(&st.st_atim, 1100000000, 5);
	require_times(&st.st_mtim, 1100000001, 6);
	RL(rump_sys_close(fd));
}

/* ---- truncate and ftruncate ------------------------------------------- */

FSTEST(truncate_shrinks_file,
    "truncate to a smaller size drops the tail")
{
	char p[PATH_MAX];

	write_file(mkpath(p, mnt, "f"), "0123456789", 10);
	RL(rump_sys_truncate(p, 4));
	check_file(p, "0123", 4);
}

FSTEST(truncate_grows_file_with_zeros,
    "truncate and ftruncate to a larger size extend with zero bytes, also "
    "over data cut off before")
{
	char p[PATH_MAX], buf[5000];
	size_t i;
	int fd;

	write_file(mkpath(p, mnt, "f"), "0123456789", 10);
	RL(rump_sys_truncate(p, 4));
	RL(fd = rump_sys_open(p, O_RDWR));
	RL(rump_sys_ftruncate(fd, sizeof(buf)));
	REQUIRE_EQ(fstat_of(fd).st_size, sizeof(buf));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), sizeof(buf));
	ATF_REQUIRE(memcmp(buf, "0123", 4) == 0);
	for (i = 4; i < sizeof(buf); i++)
		ATF_REQUIRE_MSG(buf[i] == 0, "byte %zu is %#x", i,
		    (unsigned char)buf[i]);
	RL(rump_sys_close(fd));
}

FSTEST(truncate_negative_fails_einval,
    "truncate and ftruncate to a negative size fail with EINVAL")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "abc", 3);
	REQUIRE_ERRNO(rump_sys_truncate(p, -1), EINVAL);
	RL(fd = rump_sys_open(p, O_RDWR));
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, -1), EINVAL);
	RL(rump_sys_close(fd));
	REQUIRE_EQ(stat_of(p).st_size, 3);
}

FSTEST(truncate_dir_fails_eisdir,
    "truncate of a directory fails with EISDIR")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_truncate(p, 0), EISDIR);
}

FSTEST(ftruncate_readonly_fd_fails_einval,
    "ftruncate on a descriptor not open for writing fails with EINVAL")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "abc", 3);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, 0), EINVAL);
	RL(rump_sys_close(fd));
	REQUIRE_EQ(stat_of(p).st_size, 3);
}

/* ---- fsync, sync ------------------------------------------------------ */

FSTEST(fsync_fdatasync_sync_succeed,
    "fsync and fdatasync on files and directories, sync and syncfs "
    "succeed and keep the data")
{
	char p[PATH_MAX];
	int fd, dfd;

	RL(fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "sync", 4), 4);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_fdatasync(fd));
	RL(rump_sys_syncfs(fd));
	RL(dfd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fsync(dfd));
	rump_sys_sync();
	RL(rump_sys_close(dfd));
	RL(rump_sys_close(fd));
	check_file(p, "sync", 4);
}

/* ---- working directory ------------------------------------------------ */

FSTEST(chdir_relative_paths_resolve_against_cwd,
    "after chdir, relative paths start at the new working directory")
{
	char p[PATH_MAX];
	int cwd, fd;

	RL(cwd = rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(rump_sys_chdir(p));
	RL(fd = rump_sys_open("f", O_CREAT | O_WRONLY, 0644));
	RL(rump_sys_close(fd));
	RL(rump_sys_mkdir("sub", 0755));
	ATF_REQUIRE(S_ISREG(stat_of(mkpath(p, mnt, "d/f")).st_mode));
	ATF_REQUIRE(S_ISDIR(stat_of(mkpath(p, mnt, "d/sub")).st_mode));
	REQUIRE_EQ(stat_of("..").st_ino, stat_of(mnt).st_ino);
	RL(rump_sys_chdir("sub"));
	REQUIRE_EQ(stat_of("../f").st_ino,
	    stat_of(mkpath(p, mnt, "d/f")).st_ino);
	RL(rump_sys_fchdir(cwd));
	RL(rump_sys_close(cwd));
}

FSTEST(getcwd_returns_path,
    "getcwd returns the absolute path and its length including the NUL; "
    "a short buffer fails with ERANGE")
{
	char p[PATH_MAX], buf[PATH_MAX];
	int cwd;

	RL(cwd = rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d/e"), 0755));
	RL(rump_sys_chdir(p));
	REQUIRE_EQ(rump_sys_getcwd(buf, sizeof(buf)), strlen(p) + 1);
	ATF_REQUIRE_STREQ(buf, p);
	REQUIRE_ERRNO(rump_sys_getcwd(buf, 1), ERANGE);
	REQUIRE_ERRNO(rump_sys_getcwd(buf, strlen(p)), ERANGE);
	RL(rump_sys_chdir(".."));
	REQUIRE_EQ(rump_sys_getcwd(buf, sizeof(buf)), strlen(mnt) + 3);
	ATF_REQUIRE_STREQ(buf, mkpath(p, mnt, "d"));
	RL(rump_sys_fchdir(cwd));
	RL(rump_sys_close(cwd));
}

FSTEST(getcwd_of_removed_dir_fails_enoent,
    "getcwd fails with ENOENT once the working directory is removed")
{
	char p[PATH_MAX], buf[PATH_MAX];
	int cwd;

	RL(cwd = rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(rump_sys_chdir(p));
	RL(rump_sys_rmdir(p));
	REQUIRE_ERRNO(rump_sys_getcwd(buf, sizeof(buf)), ENOENT);
	REQUIRE_ERRNO(rump_sys_open("f", O_CREAT | O_RDWR, 0644), ENOENT);
	RL(rump_sys_fchdir(cwd));
	RL(rump_sys_close(cwd));
}

FSTEST(fchdir_changes_cwd,
    "fchdir to a directory descriptor changes the working directory; to a "
    "file it fails with ENOTDIR")
{
	char p[PATH_MAX];
	int cwd, dfd, fd;

	RL(cwd = rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	RL(dfd = rump_sys_open(p, O_RDONLY | O_DIRECTORY));
	write_file(mkpath(p, mnt, "d/f"), "fd", 2);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_fchdir(fd), ENOTDIR);
	RL(rump_sys_fchdir(dfd));
	check_file("f", "fd", 2);
	RL(rump_sys_fchdir(cwd));
	RL(rump_sys_close(fd));
	RL(rump_sys_close(dfd));
	RL(rump_sys_close(cwd));
}

FSTEST(chdir_to_file_fails_enotdir,
    "chdir to a regular file fails with ENOTDIR, to a missing name with "
    "ENOENT")
{
	char p[PATH_MAX];

	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_chdir(p), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_chdir(mkpath(p, mnt, "nope")), ENOENT);
}

/* ---- access ----------------------------------------------------------- */

FSTEST(access_checks_existence_and_x_bits_for_root,
    "for root, F_OK/R_OK/W_OK pass on any file but X_OK needs an x bit; "
    "a missing file fails with ENOENT")
{
	char p[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_chmod(p, 0));
	RL(rump_sys_access(p, F_OK));
	RL(rump_sys_access(p, R_OK | W_OK));
	REQUIRE_ERRNO(rump_sys_access(p, X_OK), EACCES);
	RL(rump_sys_chmod(p, 0010));
	RL(rump_sys_faccessat(AT_FDCWD, p, X_OK, 0));
	REQUIRE_ERRNO(rump_sys_access(mkpath(p, mnt, "nope"), F_OK), ENOENT);
	REQUIRE_ERRNO(rump_sys_access(mnt, 0100), EINVAL);
}

FSTEST(root_overrides_rw_and_search_but_not_exec,
    "root reads and writes a mode 0 file and searches a mode 0 directory, "
    "but cannot execute a file without x bits")
{
	char p[PATH_MAX];
	int fd;

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_chmod(p, 0644));
	REQUIRE_ERRNO(rump_sys_access(p, X_OK), EACCES);
	RL(rump_sys_chmod(p, 0));
	RL(fd = rump_sys_open(p, O_RDWR));
	RL(rump_sys_close(fd));
	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/f"), "y", 1);
	RL(rump_sys_chmod(mkpath(p, mnt, "d"), 0));
	RL(rump_sys_access(p, X_OK));
	check_file(mkpath(p, mnt, "d/f"), "y", 1);
}

/* ---- non-root permission checks --------------------------------------- */

FSTEST(nonroot_read_0600_root_file_fails_eacces,
    "a user cannot open another user's 0600 file")
{
	char p[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	write_file(mkpath(p, mnt, "f"), "secret", 6);
	RL(rump_sys_chmod(p, 0600));
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_open(p, O_RDONLY), EACCES);
	REQUIRE_ERRNO(rump_sys_open(p, O_WRONLY), EACCES);
	REQUIRE_ERRNO(rump_sys_truncate(p, 0), EACCES);
	become_root();
	check_file(p, "secret", 6);
}

FSTEST(nonroot_create_in_root_0755_dir_fails_eacces,
    "a user cannot create, remove or rename names in root's 0755 "
    "directory")
{
	char d[PATH_MAX], p[PATH_MAX], q[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	write_file(mkpath(q, mnt, "d/f"), "x", 1);
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_open(mkpath(p, mnt, "d/new"),
	    O_CREAT | O_WRONLY, 0644), EACCES);
	REQUIRE_ERRNO(rump_sys_mkdir(p, 0755), EACCES);
	REQUIRE_ERRNO(rump_sys_unlink(q), EACCES);
	REQUIRE_ERRNO(rump_sys_rename(q, p), EACCES);
	check_file(q, "x", 1);
	become_root();
}

FSTEST(nonroot_without_search_permission_fails_eacces,
    "without x on a directory a user cannot reach names in it; without r "
    "it cannot list it")
{
	char d[PATH_MAX], p[PATH_MAX];
	struct stat st;

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0755));
	write_file(mkpath(p, mnt, "d/f"), "x", 1);
	RL(rump_sys_chmod(d, 0754));
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_stat(p, &st), EACCES);
	REQUIRE_ERRNO(rump_sys_chdir(d), EACCES);
	become_root();
	RL(rump_sys_chmod(d, 0711));
	become_user(USER1, USER1);
	check_file(p, "x", 1);
	REQUIRE_ERRNO(rump_sys_open(d, O_RDONLY | O_DIRECTORY), EACCES);
	become_root();
}

FSTEST(nonroot_permission_class_first_match_wins,
    "the owner class applies to the owner even if group or others may "
    "do more; group bits apply to group members")
{
	char p[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	write_file(mkpath(p, mnt, "own"), "x", 1);
	RL(rump_sys_chown(p, USER1, USER1));
	RL(rump_sys_chmod(p, 0077));
	write_file(mkpath(p, mnt, "grp"), "x", 1);
	RL(rump_sys_chown(p, 0, USER1));
	RL(rump_sys_chmod(p, 0060));
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_access(mkpath(p, mnt, "own"), R_OK), EACCES);
	REQUIRE_ERRNO(rump_sys_open(p, O_RDONLY), EACCES);
	RL(rump_sys_access(mkpath(p, mnt, "grp"), R_OK | W_OK));
	RL(rump_sys_faccessat(AT_FDCWD, p, R_OK | W_OK, 0));
	REQUIRE_ERRNO(rump_sys_access(p, X_OK), EACCES);
	become_root();
	become_user(USER2, USER2);
	REQUIRE_ERRNO(rump_sys_access(p, R_OK), EACCES);
	RL(rump_sys_access(mkpath(p, mnt, "own"), R_OK | W_OK | X_OK));
	become_root();
}

FSTEST(sticky_dir_other_user_cannot_unlink_eperm,
    "in a sticky world-writable directory a user cannot remove or rename "
    "another user's file")
{
	char t[PATH_MAX], p[PATH_MAX], q[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	RL(rump_sys_mkdir(mkpath(t, mnt, "tmp"), 0777));
	RL(rump_sys_chmod(t, 01777));
	become_user(USER1, USER1);
	write_file(mkpath(p, mnt, "tmp/mine"), "1", 1);
	become_root();
	become_user(USER2, USER2);
	REQUIRE_ERRNO(rump_sys_unlink(p), EPERM);
	REQUIRE_ERRNO(rump_sys_rename(p, mkpath(q, mnt, "tmp/stolen")), EPERM);
	become_root();
	check_file(p, "1", 1);
}

FSTEST(sticky_dir_user_can_unlink_own_file,
    "in a sticky directory users remove their own files, and the "
    "directory's owner removes anyone's")
{
	char t[PATH_MAX], p[PATH_MAX];
	struct stat st;

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	RL(rump_sys_mkdir(mkpath(t, mnt, "tmp"), 0777));
	RL(rump_sys_chmod(t, 01777));
	become_user(USER2, USER2);
	write_file(mkpath(p, mnt, "tmp/own"), "2", 1);
	RL(rump_sys_unlink(p));
	write_file(p, "2", 1);
	become_root();
	RL(rump_sys_chown(t, USER1, USER1));
	become_user(USER1, USER1);
	RL(rump_sys_unlink(p));
	become_root();
	REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
}

FSTEST(nonroot_chmod_others_file_fails_eperm,
    "a user may chmod its own file but not another user's")
{
	char d[PATH_MAX], p[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no mode bits");
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0777));
	RL(rump_sys_chmod(d, 0777));
	write_file(mkpath(p, mnt, "d/root"), "x", 1);
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_chmod(p, 0777), EPERM);
	write_file(mkpath(p, mnt, "d/user"), "x", 1);
	RL(rump_sys_chmod(p, 0600));
	REQUIRE_EQ(stat_of(p).st_mode & 07777, 0600);
	become_root();
	REQUIRE_EQ(stat_of(mkpath(p, mnt, "d/root")).st_mode & 07777, 0644);
}

FSTEST(nonroot_chown_fails_eperm,
    "a user cannot give a file away or to a group it is not in")
{
	char d[PATH_MAX], p[PATH_MAX];

	fs_skip_if(FS_NO_UNIXPERMS, "no owners");
	RL(rump_sys_mkdir(mkpath(d, mnt, "d"), 0777));
	RL(rump_sys_chmod(d, 0777));
	become_user(USER1, USER1);
	write_file(mkpath(p, mnt, "d/f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_chown(p, USER2, (gid_t)-1), EPERM);
	REQUIRE_ERRNO(rump_sys_chown(p, (uid_t)-1, 0), EPERM);
	RL(rump_sys_chown(p, USER1, USER1));
	become_root();
	REQUIRE_EQ(stat_of(p).st_uid, USER1);
}

FSTEST(nonroot_utimensat_needs_owner_for_explicit_times,
    "a user with write permission may set times to now but not to "
    "explicit values on a file it does not own")
{
	char p[PATH_MAX];
	struct timespec ts[2] = {
		{ .tv_sec = 1, .tv_nsec = 0 },
		{ .tv_sec = 1, .tv_nsec = 0 },
	};

	fs_skip_if(FS_NO_UNIXPERMS, "no owners");
	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(rump_sys_chmod(p, 0666));
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, p, ts, 0), EPERM);
	RL(rump_sys_utimensat(AT_FDCWD, p, NULL, 0));
	become_root();
	RL(rump_sys_chmod(p, 0644));
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_utimensat(AT_FDCWD, p, NULL, 0), EACCES);
	become_root();
}

FSTEST(nonroot_mount_fails_eperm,
    "mount and umount2 by a user fail with EPERM")
{
	char m[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(m, mnt, "m"), 0777));
	become_user(USER1, USER1);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", m, "tmpfs", 0, NULL), EPERM);
	REQUIRE_ERRNO(rump_sys_umount2(mnt, 0), EPERM);
	become_root();
}

/* ---- statfs, mount, umount -------------------------------------------- */

FSTEST(statfs_reports_sizes,
    "statfs and fstatfs agree and report a sane block size and counts")
{
	static char data[1 << 20];
	char p[PATH_MAX];
	struct statfs sf, fsf, after;
	int fd;

	RL(rump_sys_statfs(mnt, &sf));
	ATF_REQUIRE(sf.f_bsize > 0);
	ATF_REQUIRE(sf.f_bfree <= sf.f_blocks);
	ATF_REQUIRE(sf.f_bavail <= sf.f_bfree);
	REQUIRE_EQ(sf.f_namelen, NAME_MAX);
	RL(fd = rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fstatfs(fd, &fsf));
	RL(rump_sys_close(fd));
	REQUIRE_EQ(fsf.f_type, sf.f_type);
	REQUIRE_EQ(fsf.f_blocks, sf.f_blocks);
	REQUIRE_EQ(fsf.f_bsize, sf.f_bsize);
	if (fstest_cur->fs_magic != 0)
		REQUIRE_EQ(sf.f_type, fstest_cur->fs_magic);
	if (fstest_cur->fs_size == 0)
		return;
	REQUIRE_EQ((uint64_t)sf.f_blocks * sf.f_bsize, fstest_cur->fs_size);
	write_file(mkpath(p, mnt, "f"), data, sizeof(data));
	RL(rump_sys_statfs(mnt, &after));
	ATF_REQUIRE_MSG((sf.f_bfree - after.f_bfree) * sf.f_bsize >=
	    sizeof(data), "f_bfree %ju -> %ju after writing 1 MiB",
	    (uintmax_t)sf.f_bfree, (uintmax_t)after.f_bfree);
}

FSTEST(mount_covers_dir_until_umount,
    "a mount hides the directory's contents, has its own st_dev, and "
    "umount uncovers them")
{
	char m[PATH_MAX], p[PATH_MAX];
	struct stat st;

	RL(rump_sys_mkdir(mkpath(m, mnt, "m"), 0755));
	write_file(mkpath(p, mnt, "m/under"), "u", 1);
	RL(rump_sys_mount("tmpfs", m, "tmpfs", 0, "size=1m"));
	REQUIRE_ERRNO(rump_sys_stat(p, &st), ENOENT);
	REQUIRE_EQ(list_dir(m, 4096), 2);
	ATF_REQUIRE(stat_of(m).st_dev != stat_of(mnt).st_dev);
	REQUIRE_EQ(stat_of(mkpath(p, mnt, "m/..")).st_ino,
	    stat_of(mnt).st_ino);
	write_file(mkpath(p, mnt, "m/over"), "o", 1);
	RL(rump_sys_umount2(m, 0));
	check_file(mkpath(p, mnt, "m/under"), "u", 1);
	REQUIRE_ERRNO(rump_sys_stat(mkpath(p, mnt, "m/over"), &st), ENOENT);
}

FSTEST(dotdot_at_mount_root_leaves_mount,
    ".. in the root directory of the file system is the directory above "
    "it")
{
	char p[PATH_MAX], parent[PATH_MAX];
	struct stat st;

	st = stat_of(mkpath(p, mnt, ".."));
	REQUIRE_EQ(st.st_ino, stat_of(parent_of(parent, mnt)).st_ino);
	REQUIRE_EQ(st.st_dev, stat_of(parent).st_dev);
}

FSTEST(umount_busy_fs_fails_ebusy,
    "umount of a file system with an open file or a working directory in "
    "it fails with EBUSY; MNT_FORCE does not change that for tmpfs")
{
	char m[PATH_MAX], p[PATH_MAX];
	int fd, cwd;

	mount_tmpfs_at(m, mnt, "m");
	RL(fd = rump_sys_open(mkpath(p, mnt, "m/f"), O_CREAT | O_RDWR, 0644));
	REQUIRE_ERRNO(rump_sys_umount2(m, 0), EBUSY);
	REQUIRE_ERRNO(rump_sys_umount2(m, MNT_FORCE), EBUSY);
	RL(rump_sys_close(fd));
	RL(cwd = rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_chdir(m));
	REQUIRE_ERRNO(rump_sys_umount2(m, 0), EBUSY);
	RL(rump_sys_fchdir(cwd));
	RL(rump_sys_close(cwd));
	RL(rump_sys_umount2(m, 0));
}

FSTEST(umount_non_mount_point_fails_einval,
    "umount2 of a directory that is not a mount point fails with EINVAL")
{
	char p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(p, mnt, "d"), 0755));
	REQUIRE_ERRNO(rump_sys_umount2(p, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_umount2(mkpath(p, mnt, "nope"), 0), ENOENT);
}

FSTEST(mount_bad_type_or_point_fails,
    "mount of an unknown type fails with ENODEV, on a missing directory "
    "with ENOENT, on a file with ENOTDIR")
{
	char m[PATH_MAX], p[PATH_MAX];

	RL(rump_sys_mkdir(mkpath(m, mnt, "m"), 0755));
	REQUIRE_ERRNO(rump_sys_mount("x", m, "nosuchfs", 0, NULL), ENODEV);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", mkpath(p, mnt, "nope"), "tmpfs",
	    0, NULL), ENOENT);
	write_file(mkpath(p, mnt, "f"), "x", 1);
	REQUIRE_ERRNO(rump_sys_mount("tmpfs", p, "tmpfs", 0, NULL), ENOTDIR);
}

/* ---- poll on files ---------------------------------------------------- */

FSTEST(poll_regular_file_always_ready,
    "poll reports a regular file readable and writable at once")
{
	char p[PATH_MAX];
	struct pollfd pfd;

	RL(pfd.fd = rump_sys_open(mkpath(p, mnt, "f"), O_CREAT | O_RDWR,
	    0644));
	pfd.events = POLLIN | POLLOUT;
	pfd.revents = 0;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	REQUIRE_EQ(pfd.revents & (POLLIN | POLLOUT), POLLIN | POLLOUT);
	RL(rump_sys_close(pfd.fd));
}

/* ---- dup and fcntl ---------------------------------------------------- */

FSTEST(dup_shares_offset_and_status_flags,
    "dup'ed descriptors share the file offset and status flags but not "
    "FD_CLOEXEC")
{
	char p[PATH_MAX];
	int fd, fd2;

	RL(fd = rump_sys_open(mkpath(p, mnt, "f"),
	    O_CREAT | O_RDWR | O_CLOEXEC, 0644));
	RL(fd2 = rump_sys_dup(fd));
	ATF_REQUIRE(fd2 != fd);
	REQUIRE_EQ(rump_sys_fcntl(fd2, F_GETFD), 0);
	REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	REQUIRE_EQ(rump_sys_lseek(fd2, 0, SEEK_CUR), 3);
	REQUIRE_EQ(rump_sys_lseek(fd2, 1, SEEK_SET), 1);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 1);
	RL(rump_sys_fcntl(fd2, F_SETFL, O_APPEND));
	ATF_REQUIRE(rump_sys_fcntl(fd, F_GETFL) & O_APPEND);
	RL(rump_sys_close(fd));
	REQUIRE_EQ(rump_sys_write(fd2, "d", 1), 1);
	RL(rump_sys_close(fd2));
	check_file(p, "abcd", 4);
}

FSTEST(dup2_same_fd_returns_fd,
    "dup2(fd, fd) returns fd; dup2 onto an open descriptor replaces it")
{
	char p[PATH_MAX], q[PATH_MAX], c;
	int fd, fd2;

	write_file(mkpath(p, mnt, "a"), "A", 1);
	write_file(mkpath(q, mnt, "b"), "B", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(fd2 = rump_sys_open(q, O_RDONLY | O_CLOEXEC));
	REQUIRE_EQ(rump_sys_dup2(fd, fd), fd);
	REQUIRE_EQ(rump_sys_dup2(fd, fd2), fd2);
	REQUIRE_EQ(rump_sys_fcntl(fd2, F_GETFD), 0);
	REQUIRE_EQ(rump_sys_read(fd2, &c, 1), 1);
	REQUIRE_EQ(c, 'A');
	REQUIRE_ERRNO(rump_sys_dup2(fd, -1), EBADF);
	RL(rump_sys_close(fd));
	REQUIRE_ERRNO(rump_sys_dup2(fd, fd), EBADF);
	RL(rump_sys_close(fd2));
}

FSTEST(dup3_same_fd_fails_einval,
    "dup3(fd, fd, ...) and dup3 with unknown flags fail with EINVAL")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_ERRNO(rump_sys_dup3(fd, fd, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys_dup3(fd, fd, O_CLOEXEC), EINVAL);
	REQUIRE_ERRNO(rump_sys_dup3(fd, 20, O_APPEND), EINVAL);
	RL(rump_sys_close(fd));
}

FSTEST(dup3_cloexec_sets_fd_cloexec,
    "dup3 with O_CLOEXEC sets FD_CLOEXEC on the new descriptor only")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_dup3(fd, 20, O_CLOEXEC), 20);
	REQUIRE_EQ(rump_sys_fcntl(20, F_GETFD), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFD), 0);
	REQUIRE_EQ(rump_sys_dup3(fd, 20, 0), 20);
	REQUIRE_EQ(rump_sys_fcntl(20, F_GETFD), 0);
	RL(rump_sys_close(20));
	RL(rump_sys_close(fd));
}

FSTEST(fcntl_dupfd_returns_lowest_at_or_above_minimum,
    "F_DUPFD returns the lowest free descriptor >= its argument; "
    "F_DUPFD_CLOEXEC also sets FD_CLOEXEC")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_DUPFD, 100), 100);
	REQUIRE_EQ(rump_sys_fcntl(fd, F_DUPFD, 100), 101);
	REQUIRE_EQ(rump_sys_fcntl(101, F_GETFD), 0);
	REQUIRE_EQ(rump_sys_fcntl(fd, F_DUPFD_CLOEXEC, 100), 102);
	REQUIRE_EQ(rump_sys_fcntl(102, F_GETFD), FD_CLOEXEC);
	RL(rump_sys_close(100));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_DUPFD, 100), 100);
	REQUIRE_ERRNO(rump_sys_fcntl(fd, F_DUPFD, -1), EINVAL);
	RL(rump_sys_close(100));
	RL(rump_sys_close(101));
	RL(rump_sys_close(102));
	RL(rump_sys_close(fd));
}

FSTEST(fcntl_setfd_toggles_cloexec,
    "F_SETFD sets and clears FD_CLOEXEC, F_GETFD reports it")
{
	char p[PATH_MAX];
	int fd;

	write_file(mkpath(p, mnt, "f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFD), 0);
	RL(rump_sys_fcntl(fd, F_SETFD, FD_CLOEXEC));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFD), FD_CLOEXEC);
	RL(rump_sys_fcntl(fd, F_SETFD, 0));
	REQUIRE_EQ(rump_sys_fcntl(fd, F_GETFD), 0);
	RL(rump_sys_close(fd));
}

FSTEST(fcntl_setfl_toggles_append_and_nonblock,
    "F_SETFL changes O_APPEND and O_NONBLOCK but never the access mode")
{
	char p[PATH_MAX];
	int fd, fl;

	write_file(mkpath(p, mnt, "f"), "ab", 2);
	RL(fd = rump_sys_open(p, O_WRONLY));
	RL(rump_sys_fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDWR));
	RL(fl = rump_sys_fcntl(fd, F_GETFL));
	REQUIRE_EQ(fl & (O_APPEND | O_NONBLOCK), O_APPEND | O_NONBLOCK);
	REQUIRE_EQ(fl & O_ACCMODE, O_WRONLY);
	REQUIRE_EQ(rump_sys_write(fd, "c", 1), 1);
	RL(rump_sys_fcntl(fd, F_SETFL, 0));
	RL(fl = rump_sys_fcntl(fd, F_GETFL));
	REQUIRE_EQ(fl & (O_APPEND | O_NONBLOCK), 0);
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_EQ(rump_sys_write(fd, "X", 1), 1);
	RL(rump_sys_close(fd));
	check_file(p, "Xbc", 3);
}

/* ---- descriptor-only behaviour, run once ------------------------------ */

ATF_TC_WITHOUT_HEAD(rmdir_root_fails_ebusy);
ATF_TC_BODY(rmdir_root_fails_ebusy, tc)
{

	fs_boot();
	REQUIRE_ERRNO(rump_sys_rmdir("/"), EBUSY);
}

ATF_TC_WITHOUT_HEAD(umask_returns_previous);
ATF_TC_BODY(umask_returns_previous, tc)
{

	fs_boot();
	REQUIRE_EQ(rump_sys_umask(027), 022);
	REQUIRE_EQ(rump_sys_umask(0777), 027);
	REQUIRE_EQ(rump_sys_umask(01777), 0777);
	REQUIRE_EQ(rump_sys_umask(022), 0777);
}

ATF_TC_WITHOUT_HEAD(pipe_transfers_data);
ATF_TC_BODY(pipe_transfers_data, tc)
{
	char buf[16];
	struct stat st;
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	REQUIRE_EQ(rump_sys_write(p[1], "through", 7), 7);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 7);
	ATF_REQUIRE(memcmp(buf, "through", 7) == 0);
	RL(rump_sys_fstat(p[0], &st));
	ATF_REQUIRE(S_ISFIFO(st.st_mode));
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	REQUIRE_ERRNO(rump_sys_write(p[0], "x", 1), EBADF);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
}

ATF_TC_WITHOUT_HEAD(pipe_read_returns_eof_after_writer_closes);
ATF_TC_BODY(pipe_read_returns_eof_after_writer_closes, tc)
{
	char buf[16];
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	REQUIRE_EQ(rump_sys_write(p[1], "last", 4), 4);
	RL(rump_sys_close(p[1]));
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 4);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 0);
	RL(rump_sys_close(p[0]));
}

ATF_TC_WITHOUT_HEAD(pipe_write_after_reader_closes_fails_epipe);
ATF_TC_BODY(pipe_write_after_reader_closes_fails_epipe, tc)
{
	int p[2];

	/* Only the error return is under test, not signal delivery. */
	signal(SIGPIPE, SIG_IGN);
	fs_boot();
	RL(rump_sys_pipe(p));
	RL(rump_sys_close(p[0]));
	REQUIRE_ERRNO(rump_sys_write(p[1], "x", 1), EPIPE);
	RL(rump_sys_close(p[1]));
}

ATF_TC_WITHOUT_HEAD(pipe2_sets_cloexec_and_nonblock);
ATF_TC_BODY(pipe2_sets_cloexec_and_nonblock, tc)
{
	char c;
	int p[2];

	fs_boot();
	RL(rump_sys_pipe2(p, O_CLOEXEC | O_NONBLOCK));
	REQUIRE_EQ(rump_sys_fcntl(p[0], F_GETFD), FD_CLOEXEC);
	REQUIRE_EQ(rump_sys_fcntl(p[1], F_GETFD), FD_CLOEXEC);
	ATF_REQUIRE(rump_sys_fcntl(p[0], F_GETFL) & O_NONBLOCK);
	REQUIRE_ERRNO(rump_sys_read(p[0], &c, 1), EAGAIN);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	REQUIRE_ERRNO(rump_sys_pipe2(p, O_APPEND), EINVAL);
}

ATF_TC_WITHOUT_HEAD(pipe_full_nonblocking_write_fails_eagain);
ATF_TC_BODY(pipe_full_nonblocking_write_fails_eagain, tc)
{
	char buf[1024];
	struct pollfd pfd;
	size_t total;
	ssize_t n;
	int p[2];

	fs_boot();
	RL(rump_sys_pipe2(p, O_NONBLOCK));
	memset(buf, 'f', sizeof(buf));
	for (total = 0; (n = rump_sys_write(p[1], buf, sizeof(buf))) > 0;
	    total += (size_t)n)
		ATF_REQUIRE(total < (1 << 24));
	REQUIRE_EQ(n, -1);
	REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE_MSG(total >= PIPE_BUF, "pipe took only %zu bytes", total);
	pfd.fd = p[1];
	pfd.events = POLLOUT;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), sizeof(buf));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
}

ATF_TC_WITHOUT_HEAD(pipe_lseek_fails_espipe);
ATF_TC_BODY(pipe_lseek_fails_espipe, tc)
{
	char c = 0;
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	REQUIRE_ERRNO(rump_sys_lseek(p[0], 0, SEEK_SET), ESPIPE);
	REQUIRE_ERRNO(rump_sys_pwrite(p[1], &c, 1, 0), ESPIPE);
	REQUIRE_ERRNO(rump_sys_pread(p[0], &c, 1, 0), ESPIPE);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
}

ATF_TC_WITHOUT_HEAD(poll_pipe_pollout_then_pollin);
ATF_TC_BODY(poll_pipe_pollout_then_pollin, tc)
{
	struct pollfd pfd[2];
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	pfd[0].fd = p[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = p[1];
	pfd[1].events = POLLOUT;
	REQUIRE_EQ(rump_sys_poll(pfd, 2, 0), 1);
	REQUIRE_EQ(pfd[0].revents, 0);
	REQUIRE_EQ(pfd[1].revents, POLLOUT);
	REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	REQUIRE_EQ(rump_sys_poll(pfd, 2, 0), 2);
	REQUIRE_EQ(pfd[0].revents, POLLIN);
	REQUIRE_EQ(pfd[1].revents, POLLOUT);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
}

ATF_TC_WITHOUT_HEAD(poll_pipe_pollhup_after_writer_closes);
ATF_TC_BODY(poll_pipe_pollhup_after_writer_closes, tc)
{
	struct pollfd pfd;
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	RL(rump_sys_close(p[1]));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 1000), 1);
	ATF_REQUIRE(pfd.revents & POLLHUP);
	RL(rump_sys_close(p[0]));
}

ATF_TC_WITHOUT_HEAD(poll_pipe_pollerr_after_reader_closes);
ATF_TC_BODY(poll_pipe_pollerr_after_reader_closes, tc)
{
	struct pollfd pfd;
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	RL(rump_sys_close(p[0]));
	pfd.fd = p[1];
	pfd.events = POLLOUT;
	REQUIRE_EQ(rump_sys_poll(&pfd, 1, 1000), 1);
	ATF_REQUIRE(pfd.revents & POLLERR);
	RL(rump_sys_close(p[1]));
}

ATF_TC_WITHOUT_HEAD(poll_bad_fd_reports_pollnval);
ATF_TC_BODY(poll_bad_fd_reports_pollnval, tc)
{
	struct pollfd pfd[2];
	int p[2];

	fs_boot();
	RL(rump_sys_pipe(p));
	RL(rump_sys_close(p[0]));
	pfd[0].fd = p[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = -1;
	pfd[1].events = POLLIN;
	pfd[1].revents = POLLIN;
	REQUIRE_EQ(rump_sys_poll(pfd, 2, 0), 1);
	REQUIRE_EQ(pfd[0].revents, POLLNVAL);
	REQUIRE_EQ(pfd[1].revents, 0);
	RL(rump_sys_close(p[1]));
}

/* Every descriptor call fails with EBADF on fd; relative paths are used. */
static void
require_ebadf(int fd)
{
	char buf[512];
	struct iovec iov = { .iov_base = buf, .iov_len = 1 };
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct statx stx;
	struct statfs sf;
	struct stat st;

	REQUIRE_ERRNO(rump_sys_close(fd), EBADF);
	REQUIRE_ERRNO(rump_sys_read(fd, buf, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_write(fd, buf, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_pread(fd, buf, 1, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_pwrite(fd, buf, 1, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_readv(fd, &iov, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_writev(fd, &iov, 1), EBADF);
	REQUIRE_ERRNO(rump_sys_lseek(fd, 0, SEEK_SET), EBADF);
	REQUIRE_ERRNO(rump_sys_fstat(fd, &st), EBADF);
	REQUIRE_ERRNO(rump_sys_fstatat(fd, "x", &st, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_statx(fd, "x", 0, STATX_BASIC_STATS, &stx),
	    EBADF);
	REQUIRE_ERRNO(rump_sys_fstatfs(fd, &sf), EBADF);
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)), EBADF);
	REQUIRE_ERRNO(rump_sys_fchmod(fd, 0644), EBADF);
	REQUIRE_ERRNO(rump_sys_fchown(fd, 0, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_futimens(fd, ts), EBADF);
	REQUIRE_ERRNO(rump_sys_ftruncate(fd, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fsync(fd), EBADF);
	REQUIRE_ERRNO(rump_sys_fdatasync(fd), EBADF);
	REQUIRE_ERRNO(rump_sys_syncfs(fd), EBADF);
	REQUIRE_ERRNO(rump_sys_fchdir(fd), EBADF);
	REQUIRE_ERRNO(rump_sys_dup(fd), EBADF);
	REQUIRE_ERRNO(rump_sys_dup2(fd, 30), EBADF);
	REQUIRE_ERRNO(rump_sys_dup3(fd, 30, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fcntl(fd, F_GETFD), EBADF);
	REQUIRE_ERRNO(rump_sys_fcntl(fd, F_DUPFD, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_openat(fd, "x", O_RDONLY), EBADF);
	REQUIRE_ERRNO(rump_sys_mkdirat(fd, "x", 0755), EBADF);
	REQUIRE_ERRNO(rump_sys_mknodat(fd, "x", S_IFIFO | 0644, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_unlinkat(fd, "x", 0), EBADF);
	REQUIRE_ERRNO(rump_sys_renameat(fd, "x", AT_FDCWD, "y"), EBADF);
	REQUIRE_ERRNO(rump_sys_linkat(fd, "x", AT_FDCWD, "y", 0), EBADF);
	REQUIRE_ERRNO(rump_sys_symlinkat("t", fd, "x"), EBADF);
	REQUIRE_ERRNO(rump_sys_readlinkat(fd, "x", buf, sizeof(buf)), EBADF);
	REQUIRE_ERRNO(rump_sys_fchmodat(fd, "x", 0644, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_fchownat(fd, "x", 0, 0, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_faccessat(fd, "x", F_OK, 0), EBADF);
	REQUIRE_ERRNO(rump_sys_utimensat(fd, "x", ts, 0), EBADF);
}

ATF_TC_WITHOUT_HEAD(bad_fds_fail_ebadf);
ATF_TC_BODY(bad_fds_fail_ebadf, tc)
{
	char p[PATH_MAX];
	int fd;

	fs_boot();
	write_file(fs_rootpath(p, "/f"), "x", 1);
	RL(fd = rump_sys_open(p, O_RDONLY));
	RL(rump_sys_close(fd));
	require_ebadf(-1);
	require_ebadf(fd);
	require_ebadf(1 << 20);
}

ATF_TP_ADD_TCS(tp)
{

	FSTEST_ADD(tp, open_creat_creates_empty_regular_file);
	FSTEST_ADD(tp, open_creat_existing_keeps_mode_and_data);
	FSTEST_ADD(tp, open_excl_existing_fails_eexist);
	FSTEST_ADD(tp, open_trunc_truncates_to_zero);
	FSTEST_ADD(tp, open_append_writes_at_end_after_lseek);
	FSTEST_ADD(tp, open_directory_on_file_fails_enotdir);
	FSTEST_ADD(tp, open_nofollow_on_symlink_fails_eloop);
	FSTEST_ADD(tp, open_cloexec_sets_fd_cloexec);
	FSTEST_ADD(tp, open_nonblock_reported_by_getfl);
	FSTEST_ADD(tp, write_on_rdonly_fd_fails_ebadf);
	FSTEST_ADD(tp, read_on_wronly_fd_fails_ebadf);
	FSTEST_ADD(tp, open_missing_fails_enoent);
	FSTEST_ADD(tp, open_file_with_trailing_slash_fails_enotdir);
	FSTEST_ADD(tp, open_long_component_fails_enametoolong);
	FSTEST_ADD(tp, open_long_path_fails_enametoolong);
	FSTEST_ADD(tp, open_dir_for_writing_fails_eisdir);
	FSTEST_ADD(tp, openat_resolves_relative_to_dirfd);
	FSTEST_ADD(tp, close_twice_fails_ebadf);

	FSTEST_ADD(tp, write_read_roundtrip_large_file);
	FSTEST_ADD(tp, pread_pwrite_leave_offset_alone);
	FSTEST_ADD(tp, readv_writev_scatter_and_gather);
	FSTEST_ADD(tp, read_at_eof_returns_zero);
	FSTEST_ADD(tp, read_on_directory_fails_eisdir);
	FSTEST_ADD(tp, lseek_set_cur_end);
	FSTEST_ADD(tp, lseek_past_eof_then_write_leaves_zero_hole);
	FSTEST_ADD(tp, lseek_negative_fails_einval);
	FSTEST_ADD(tp, pwrite_beyond_4gib_offset);

	FSTEST_ADD(tp, stat_reports_file_type_bits);
	FSTEST_ADD(tp, stat_dir_nlink_is_two_plus_subdirs);
	FSTEST_ADD(tp, stat_size_blocks_and_blksize);
	FSTEST_ADD(tp, stat_ino_unique_and_stable);
	FSTEST_ADD(tp, fstatat_symlink_nofollow_stats_link);
	FSTEST_ADD(tp, statx_reports_basic_fields);
	FSTEST_ADD(tp, write_updates_mtime_and_ctime);
	FSTEST_ADD(tp, chmod_updates_ctime_only);
	FSTEST_ADD(tp, create_and_unlink_update_parent_mtime);

	FSTEST_ADD(tp, getdents_lists_dot_and_dotdot);
	FSTEST_ADD(tp, getdents_lists_1000_names_once_with_small_buffer);
	FSTEST_ADD(tp, getdents_reports_d_type);
	FSTEST_ADD(tp, getdents_lseek_zero_restarts_listing);
	FSTEST_ADD(tp, getdents_lseek_to_d_off_resumes_after_entry);
	FSTEST_ADD(tp, getdents_buffer_too_small_fails_einval);
	FSTEST_ADD(tp, getdents_on_file_fails_enotdir);

	FSTEST_ADD(tp, mkdir_existing_fails_eexist);
	FSTEST_ADD(tp, mkdir_missing_parent_fails_enoent);
	FSTEST_ADD(tp, mkdir_applies_umask);
	FSTEST_ADD(tp, mkdir_with_trailing_slash_creates_dir);
	FSTEST_ADD(tp, mkdirat_resolves_relative_to_dirfd);
	FSTEST_ADD(tp, rmdir_removes_empty_dir);
	FSTEST_ADD(tp, rmdir_nonempty_fails_enotempty);
	FSTEST_ADD(tp, rmdir_file_fails_enotdir);
	FSTEST_ADD(tp, rmdir_dot_fails_einval);
	FSTEST_ADD(tp, rmdir_mount_point_fails_ebusy);
	FSTEST_ADD(tp, removed_dir_stays_open_but_refuses_entries);
	FSTEST_ADD(tp, unlink_dir_fails_eisdir);
	FSTEST_ADD(tp, unlinkat_removedir_removes_dir);
	FSTEST_ADD(tp, unlink_open_file_keeps_data_readable);

	FSTEST_ADD(tp, rename_file_over_file_replaces);
	FSTEST_ADD(tp, rename_dir_over_empty_dir_replaces);
	FSTEST_ADD(tp, rename_dir_over_nonempty_dir_fails_enotempty);
	FSTEST_ADD(tp, rename_file_over_dir_fails_eisdir);
	FSTEST_ADD(tp, rename_dir_over_file_fails_enotdir);
	FSTEST_ADD(tp, rename_dir_into_own_subdir_fails_einval);
	FSTEST_ADD(tp, rename_missing_source_fails_enoent);
	FSTEST_ADD(tp, renameat2_noreplace_existing_fails_eexist);
	FSTEST_ADD(tp, renameat2_exchange_swaps_names);
	FSTEST_ADD(tp, rename_to_itself_is_noop);
	FSTEST_ADD(tp, rename_between_links_of_same_file_is_noop);
	FSTEST_ADD(tp, rename_dir_across_parents_updates_dotdot);
	FSTEST_ADD(tp, rename_across_mounts_fails_exdev);
	FSTEST_ADD(tp, renameat_resolves_relative_to_dirfds);

	FSTEST_ADD(tp, link_counts_names_in_nlink);
	FSTEST_ADD(tp, link_to_dir_fails_eperm);
	FSTEST_ADD(tp, link_existing_target_fails_eexist);
	FSTEST_ADD(tp, link_across_mounts_fails_exdev);
	FSTEST_ADD(tp, linkat_symlink_follow_links_target);

	FSTEST_ADD(tp, symlink_relative_target_resolves_from_link_dir);
	FSTEST_ADD(tp, symlink_absolute_target_resolves_from_root);
	FSTEST_ADD(tp, symlink_dangling_stat_fails_enoent_lstat_works);
	FSTEST_ADD(tp, open_creat_through_dangling_symlink_creates_target);
	FSTEST_ADD(tp, symlink_loop_fails_eloop);
	FSTEST_ADD(tp, readlink_on_non_symlink_fails_einval);
	FSTEST_ADD(tp, readlink_truncates_without_nul);
	FSTEST_ADD(tp, path_through_symlinked_dir_resolves);
	FSTEST_ADD(tp, symlink_over_existing_name_fails_eexist);
	FSTEST_ADD(tp, mknod_creates_fifo_and_device_nodes);

	FSTEST_ADD(tp, chmod_fchmod_fchmodat_set_permission_bits);
	FSTEST_ADD(tp, chmod_through_symlink_changes_target);
	FSTEST_ADD(tp, chown_fchown_set_owner_and_group);
	FSTEST_ADD(tp, chown_clears_setuid_bit);
	FSTEST_ADD(tp, lchown_changes_link_not_target);
	FSTEST_ADD(tp, utimensat_sets_explicit_times);
	FSTEST_ADD(tp, utimensat_utime_now_and_omit);
	FSTEST_ADD(tp, utimensat_symlink_nofollow_sets_link_times);
	FSTEST_ADD(tp, futimens_sets_times);

	FSTEST_ADD(tp, truncate_shrinks_file);
	FSTEST_ADD(tp, truncate_grows_file_with_zeros);
	FSTEST_ADD(tp, truncate_negative_fails_einval);
	FSTEST_ADD(tp, truncate_dir_fails_eisdir);
	FSTEST_ADD(tp, ftruncate_readonly_fd_fails_einval);
	FSTEST_ADD(tp, fsync_fdatasync_sync_succeed);

	FSTEST_ADD(tp, chdir_relative_paths_resolve_against_cwd);
	FSTEST_ADD(tp, getcwd_returns_path);
	FSTEST_ADD(tp, getcwd_of_removed_dir_fails_enoent);
	FSTEST_ADD(tp, fchdir_changes_cwd);
	FSTEST_ADD(tp, chdir_to_file_fails_enotdir);

	FSTEST_ADD(tp, access_checks_existence_and_x_bits_for_root);
	FSTEST_ADD(tp, root_overrides_rw_and_search_but_not_exec);
	FSTEST_ADD(tp, nonroot_read_0600_root_file_fails_eacces);
	FSTEST_ADD(tp, nonroot_create_in_root_0755_dir_fails_eacces);
	FSTEST_ADD(tp, nonroot_without_search_permission_fails_eacces);
	FSTEST_ADD(tp, nonroot_permission_class_first_match_wins);
	FSTEST_ADD(tp, sticky_dir_other_user_cannot_unlink_eperm);
	FSTEST_ADD(tp, sticky_dir_user_can_unlink_own_file);
	FSTEST_ADD(tp, nonroot_chmod_others_file_fails_eperm);
	FSTEST_ADD(tp, nonroot_chown_fails_eperm);
	FSTEST_ADD(tp, nonroot_utimensat_needs_owner_for_explicit_times);
	FSTEST_ADD(tp, nonroot_mount_fails_eperm);

	FSTEST_ADD(tp, statfs_reports_sizes);
	FSTEST_ADD(tp, mount_covers_dir_until_umount);
	FSTEST_ADD(tp, dotdot_at_mount_root_leaves_mount);
	FSTEST_ADD(tp, umount_busy_fs_fails_ebusy);
	FSTEST_ADD(tp, umount_non_mount_point_fails_einval);
	FSTEST_ADD(tp, mount_bad_type_or_point_fails);

	FSTEST_ADD(tp, poll_regular_file_always_ready);
	FSTEST_ADD(tp, dup_shares_offset_and_status_flags);
	FSTEST_ADD(tp, dup2_same_fd_returns_fd);
	FSTEST_ADD(tp, dup3_same_fd_fails_einval);
	FSTEST_ADD(tp, dup3_cloexec_sets_fd_cloexec);
	FSTEST_ADD(tp, fcntl_dupfd_returns_lowest_at_or_above_minimum);
	FSTEST_ADD(tp, fcntl_setfd_toggles_cloexec);
	FSTEST_ADD(tp, fcntl_setfl_toggles_append_and_nonblock);

	ATF_TP_ADD_TC(tp, rmdir_root_fails_ebusy);
	ATF_TP_ADD_TC(tp, umask_returns_previous);
	ATF_TP_ADD_TC(tp, pipe_transfers_data);
	ATF_TP_ADD_TC(tp, pipe_read_returns_eof_after_writer_closes);
	ATF_TP_ADD_TC(tp, pipe_write_after_reader_closes_fails_epipe);
	ATF_TP_ADD_TC(tp, pipe2_sets_cloexec_and_nonblock);
	ATF_TP_ADD_TC(tp, pipe_full_nonblocking_write_fails_eagain);
	ATF_TP_ADD_TC(tp, pipe_lseek_fails_espipe);
	ATF_TP_ADD_TC(tp, poll_pipe_pollout_then_pollin);
	ATF_TP_ADD_TC(tp, poll_pipe_pollhup_after_writer_closes);
	ATF_TP_ADD_TC(tp, poll_pipe_pollerr_after_reader_closes);
	ATF_TP_ADD_TC(tp, poll_bad_fd_reports_pollnval);
	ATF_TP_ADD_TC(tp, bad_fds_fail_ebadf);

	return atf_no_error();
}
