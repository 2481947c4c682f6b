/*
 * t_lwproc.c: processes, lwps and credentials inside the kernel, host
 * threads entering it concurrently, system identity (uname, sysctl,
 * version), the memory limit, and host files exposed through etfs.
 * These are rumpk's own interfaces, so unlike tests/fs there is no host
 * oracle to run them against; Linux semantics are asserted where the
 * system calls have them.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "../h_macros.h"

static void
boot(void)
{

	RZ(rump_init());
}

static void
write_kfile(const char *path, const char *data)
{
	size_t len = strlen(data);
	int fd;

	RL(fd = rump_sys_open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));
	REQUIRE_EQ(rump_sys_write(fd, data, len), len);
	RL(rump_sys_close(fd));
}

/* The descriptor table of the current process has fd open. */
static bool
fd_is_open(int fd)
{

	return rump_sys_fcntl(fd, F_GETFD) != -1;
}

/* ---- descriptor tables across rfork ----------------------------------- */

ATF_TC_WITHOUT_HEAD(rfork_cfdg_child_has_empty_fd_table);
ATF_TC_BODY(rfork_cfdg_child_has_empty_fd_table, tc)
{
	char c;
	int fd;

	boot();
	write_kfile("/f", "x");
	RL(fd = rump_sys_open("/f", O_RDONLY));
	RZ(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	REQUIRE_ERRNO(rump_sys_fcntl(fd, F_GETFD), EBADF);
	REQUIRE_ERRNO(rump_sys_read(fd, &c, 1), EBADF);
	/* the lowest free descriptor of an empty table */
	REQUIRE_EQ(rump_sys_open("/f", O_RDONLY), 0);
	rump_pub_lwproc_releaselwp();
	ATF_REQUIRE(fd_is_open(fd));
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(rfork_fdg_child_gets_copy_of_fd_table);
ATF_TC_BODY(rfork_fdg_child_gets_copy_of_fd_table, tc)
{
	char buf[4];
	int fd, cfd;

	boot();
	write_kfile("/f", "abcdef");
	RL(fd = rump_sys_open("/f", O_RDONLY));
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	/* same open file: reading moves the shared offset */
	REQUIRE_EQ(rump_sys_read(fd, buf, 2), 2);
	ATF_REQUIRE(memcmp(buf, "ab", 2) == 0);
	RL(cfd = rump_sys_open("/f", O_RDONLY));
	RL(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
	ATF_REQUIRE(fd_is_open(fd));
	ATF_REQUIRE(!fd_is_open(cfd));
	REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 2);
	REQUIRE_EQ(rump_sys_read(fd, buf, 2), 2);
	ATF_REQUIRE(memcmp(buf, "cd", 2) == 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(rfork_shared_fd_table_shows_child_fds);
ATF_TC_BODY(rfork_shared_fd_table_shows_child_fds, tc)
{
	struct lwp *parent, *child;
	char c;
	int fd, pfd;

	boot();
	write_kfile("/f", "s");
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	parent = rump_pub_lwproc_curlwp();
	RZ(rump_pub_lwproc_rfork(0));
	child = rump_pub_lwproc_curlwp();
	RL(fd = rump_sys_open("/f", O_RDONLY));
	rump_pub_lwproc_switch(parent);
	ATF_REQUIRE(fd_is_open(fd));
	REQUIRE_EQ(rump_sys_read(fd, &c, 1), 1);
	REQUIRE_EQ(c, 's');
	RL(pfd = rump_sys_dup(fd));
	rump_pub_lwproc_switch(child);
	ATF_REQUIRE(fd_is_open(pfd));
	RL(rump_sys_close(pfd));
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	ATF_REQUIRE(!fd_is_open(pfd));
	/* the table outlives the child that shared it */
	ATF_REQUIRE(fd_is_open(fd));
	RL(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
}

ATF_TC_WITHOUT_HEAD(process_exit_closes_its_descriptors);
ATF_TC_BODY(process_exit_closes_its_descriptors, tc)
{
	int fd;

	boot();
	RL(rump_sys_mkdir("/mnt", 0755));
	RL(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	RZ(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	RL(fd = rump_sys_open("/mnt/f", O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, "x", 1), 1);
	RL(rump_sys_chdir("/mnt"));
	REQUIRE_ERRNO(rump_sys_umount2("/mnt", 0), EBUSY);
	rump_pub_lwproc_releaselwp();
	RL(rump_sys_umount2("/mnt", 0));
}

/* ---- pids, lwps and processes ----------------------------------------- */

ATF_TC_WITHOUT_HEAD(getpid_getppid_across_rfork);
ATF_TC_BODY(getpid_getppid_across_rfork, tc)
{
	struct lwp *child;
	pid_t ppid, cpid;

	boot();
	/* host threads without an lwp of their own run in proc 1 */
	REQUIRE_EQ(ppid = rump_sys_getpid(), 1);
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	child = rump_pub_lwproc_curlwp();
	cpid = rump_sys_getpid();
	ATF_REQUIRE(cpid > 1);
	REQUIRE_EQ(rump_sys_getppid(), ppid);
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	ATF_REQUIRE(rump_sys_getpid() != cpid && rump_sys_getpid() != ppid);
	REQUIRE_EQ(rump_sys_getppid(), cpid);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(child);
	REQUIRE_EQ(rump_sys_getpid(), cpid);
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_sys_getpid(), ppid);
}

ATF_TC_WITHOUT_HEAD(credentials_are_per_process);
ATF_TC_BODY(credentials_are_per_process, tc)
{
	struct lwp *child;

	boot();
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	child = rump_pub_lwproc_curlwp();
	RL(rump_sys_setgid(1000));
	RL(rump_sys_setuid(1000));
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	REQUIRE_EQ(rump_sys_geteuid(), 1000);
	REQUIRE_EQ(rump_sys_getgid(), 1000);
	/* children inherit their parent's credentials */
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(child);
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	rump_pub_lwproc_releaselwp();
	/* back in proc 1, which never changed its credentials */
	REQUIRE_EQ(rump_sys_getuid(), 0);
	REQUIRE_EQ(rump_sys_geteuid(), 0);
	REQUIRE_EQ(rump_sys_getgid(), 0);
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	REQUIRE_EQ(rump_sys_getuid(), 0);
	rump_pub_lwproc_releaselwp();
}

ATF_TC_WITHOUT_HEAD(nonroot_setuid_zero_fails_eperm);
ATF_TC_BODY(nonroot_setuid_zero_fails_eperm, tc)
{

	boot();
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	RL(rump_sys_setgid(1000));
	RL(rump_sys_setuid(1000));
	REQUIRE_ERRNO(rump_sys_setuid(0), EPERM);
	REQUIRE_ERRNO(rump_sys_setgid(0), EPERM);
	REQUIRE_ERRNO(rump_sys_setresuid(0, 0, 0), EPERM);
	REQUIRE_ERRNO(rump_sys_setgroups(0, NULL), EPERM);
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	/* setting one's own uid is allowed */
	RL(rump_sys_setuid(1000));
	rump_pub_lwproc_releaselwp();
}

ATF_TC_WITHOUT_HEAD(newlwp_joins_existing_process);
ATF_TC_BODY(newlwp_joins_existing_process, tc)
{
	struct lwp *l1, *l2;
	pid_t pid;
	int fd;

	boot();
	write_kfile("/f", "x");
	RZ(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	l1 = rump_pub_lwproc_curlwp();
	pid = rump_sys_getpid();
	RL(fd = rump_sys_open("/f", O_RDONLY));
	RZ(rump_pub_lwproc_newlwp(pid));
	l2 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE(l2 != NULL && l2 != l1);
	REQUIRE_EQ(rump_sys_getpid(), pid);
	ATF_REQUIRE(fd_is_open(fd));
	/* the process lives on while it has another lwp */
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(l1);
	REQUIRE_EQ(rump_sys_getpid(), pid);
	ATF_REQUIRE(fd_is_open(fd));
	RL(rump_sys_close(fd));
	rump_pub_lwproc_releaselwp();
}

ATF_TC_WITHOUT_HEAD(switch_between_two_lwps);
ATF_TC_BODY(switch_between_two_lwps, tc)
{
	struct lwp *la, *lb;
	pid_t pa, pb;

	boot();
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	la = rump_pub_lwproc_curlwp();
	pa = rump_sys_getpid();
	RL(rump_sys_setuid(1000));
	rump_pub_lwproc_switch(NULL);
	REQUIRE_EQ(rump_sys_getpid(), 1);
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	lb = rump_pub_lwproc_curlwp();
	pb = rump_sys_getpid();
	ATF_REQUIRE(la != lb && pa != pb);
	rump_pub_lwproc_switch(la);
	REQUIRE_EQ(rump_sys_getpid(), pa);
	REQUIRE_EQ(rump_sys_getuid(), 1000);
	ATF_REQUIRE(rump_pub_lwproc_curlwp() == la);
	rump_pub_lwproc_switch(lb);
	REQUIRE_EQ(rump_sys_getpid(), pb);
	REQUIRE_EQ(rump_sys_getuid(), 0);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(la);
	rump_pub_lwproc_releaselwp();
}

ATF_TC_WITHOUT_HEAD(newlwp_of_nonexistent_pid_fails_esrch);
ATF_TC_BODY(newlwp_of_nonexistent_pid_fails_esrch, tc)
{

	boot();
	REQUIRE_EQ(rump_pub_lwproc_newlwp(31337), ESRCH);
	REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TC_WITHOUT_HEAD(releasing_last_lwp_ends_process);
ATF_TC_BODY(releasing_last_lwp_ends_process, tc)
{
	pid_t pid;

	boot();
	RZ(rump_pub_lwproc_rfork(RUMP_RFFDG));
	pid = rump_sys_getpid();
	rump_pub_lwproc_releaselwp();
	REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), ESRCH);
	REQUIRE_EQ(rump_sys_getpid(), 1);
}

/* ---- host threads hammering the kernel -------------------------------- */

#define NWORKERS	8
#define NITER		400

struct worker {
	pthread_t	 w_thread;
	int		 w_id;
	bool		 w_fork;	/* run in a process of its own */
	char		 w_err[256];	/* empty: success */
};

#define WCHECK(w, i, cond) do {						\
	if (!(cond)) {							\
		snprintf((w)->w_err, sizeof((w)->w_err),		\
		    "worker %d, iteration %d: %s (errno %s)",		\
		    (w)->w_id, (i), #cond, strerror(errno));		\
		goto out;						\
	}								\
} while (0)

/*
 * Create, write, read back, stat and unlink files of varying size in the
 * shared directory /mnt/h, checking getpid() all along.
 */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned char data[8192], back[8193];
	char path[64];
	struct stat st;
	pid_t pid;
	size_t len, k;
	bool forked;
	int i, j, fd;

	i = -1;
	forked = false;
	if (w->w_fork) {
		WCHECK(w, i, rump_pub_lwproc_rfork(RUMP_RFFDG) == 0);
		forked = true;
	}
	pid = rump_sys_getpid();
	WCHECK(w, i, forked ? pid > 1 && rump_sys_getppid() == 1 : pid == 1);
	for (i = 0; i < NITER; i++) {
		snprintf(path, sizeof(path), "/mnt/h/w%d.%d", w->w_id, i % 3);
		len = 1 + (size_t)(w->w_id * 997 + i * 131) % sizeof(data);
		for (k = 0; k < len; k++)
			data[k] = (unsigned char)(w->w_id + i + k);
		fd = rump_sys_open(path, O_CREAT | O_EXCL | O_RDWR, 0644);
		WCHECK(w, i, fd != -1);
		WCHECK(w, i, rump_sys_write(fd, data, len) == (ssize_t)len);
		WCHECK(w, i, rump_sys_pread(fd, back, sizeof(back), 0) ==
		    (ssize_t)len);
		WCHECK(w, i, memcmp(data, back, len) == 0);
		WCHECK(w, i, rump_sys_close(fd) == 0);
		WCHECK(w, i, rump_sys_stat(path, &st) == 0);
		WCHECK(w, i, st.st_size == (off_t)len);
		WCHECK(w, i, rump_sys_unlink(path) == 0);
		for (j = 0; j < 10; j++)
			WCHECK(w, i, rump_sys_getpid() == pid);
	}
 out:
	if (forked)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
hammer(const char *ncpu)
{
	struct worker w[NWORKERS];
	size_t len;
	int i, n;

	RL(setenv("RUMP_NCPU", ncpu, 1));
	boot();
	len = sizeof(n);
	RL(rump_sys_sysctl("hw.ncpu", &n, &len, NULL, 0));
	REQUIRE_EQ(n, atoi(ncpu));
	RL(rump_sys_mkdir("/mnt", 0755));
	RL(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, "size=64m"));
	RL(rump_sys_mkdir("/mnt/h", 0777));
	for (i = 0; i < NWORKERS; i++) {
		w[i].w_id = i;
		w[i].w_fork = i % 2 == 1;
		w[i].w_err[0] = '\0';
		REQUIRE_EQ(pthread_create(&w[i].w_thread, NULL, worker_main,
		    &w[i]), 0);
	}
	for (i = 0; i < NWORKERS; i++)
		REQUIRE_EQ(pthread_join(w[i].w_thread, NULL), 0);
	for (i = 0; i < NWORKERS; i++)
		ATF_REQUIRE_MSG(w[i].w_err[0] == '\0', "%s", w[i].w_err);
	/* every file was removed and every descriptor closed */
	RL(rump_sys_rmdir("/mnt/h"));
	RL(rump_sys_umount2("/mnt", 0));
}

ATF_TC_WITHOUT_HEAD(threads_hammer_kernel_ncpu1);
ATF_TC_BODY(threads_hammer_kernel_ncpu1, tc)
{

	hammer("1");
}

ATF_TC_WITHOUT_HEAD(threads_hammer_kernel_ncpu2);
ATF_TC_BODY(threads_hammer_kernel_ncpu2, tc)
{

	hammer("2");
}

/* ---- identity: uname, sysctl, version --------------------------------- */

ATF_TC_WITHOUT_HEAD(uname_reports_rumpk_and_hostname);
ATF_TC_BODY(uname_reports_rumpk_and_hostname, tc)
{
	struct utsname u;

	boot();
	RL(rump_sys_uname(&u));
	ATF_REQUIRE_STREQ(u.sysname, "rumpk");
	RL(rump_sys_sethostname("testhost", 8));
	RL(rump_sys_uname(&u));
	ATF_REQUIRE_STREQ(u.nodename, "testhost");
	REQUIRE_ERRNO(rump_sys_sethostname("x", 65), EINVAL);
	RL(rump_sys_uname(&u));
	ATF_REQUIRE_STREQ(u.nodename, "testhost");
}

ATF_TC_WITHOUT_HEAD(sysctl_kern_hostname_reads_and_writes);
ATF_TC_BODY(sysctl_kern_hostname_reads_and_writes, tc)
{
	char buf[65];
	struct utsname u;
	size_t len;

	boot();
	RL(rump_sys_sethostname("viauname", 8));
	len = sizeof(buf);
	RL(rump_sys_sysctl("kern.hostname", buf, &len, NULL, 0));
	ATF_REQUIRE_STREQ(buf, "viauname");
	REQUIRE_EQ(len, strlen("viauname") + 1);
	RL(rump_sys_sysctl("kern.hostname", NULL, NULL, "viasysctl",
	    sizeof("viasysctl")));
	RL(rump_sys_uname(&u));
	ATF_REQUIRE_STREQ(u.nodename, "viasysctl");
	len = sizeof(buf);
	RL(rump_sys_sysctl("kern.hostname", buf, &len, NULL, 0));
	ATF_REQUIRE_STREQ(buf, "viasysctl");
	len = sizeof(buf);
	REQUIRE_ERRNO(rump_sys_sysctl("kern.nosuchnode", buf, &len, NULL, 0),
	    ENOENT);
}

ATF_TC_WITHOUT_HEAD(sysctl_hw_ncpu_matches_rump_ncpu);
ATF_TC_BODY(sysctl_hw_ncpu_matches_rump_ncpu, tc)
{
	size_t len;
	int n;

	RL(setenv("RUMP_NCPU", "3", 1));
	boot();
	len = sizeof(n);
	RL(rump_sys_sysctl("hw.ncpu", &n, &len, NULL, 0));
	REQUIRE_EQ(len, sizeof(n));
	REQUIRE_EQ(n, 3);
}

ATF_TC_WITHOUT_HEAD(getversion_matches_header);
ATF_TC_BODY(getversion_matches_header, tc)
{

	REQUIRE_EQ(rump_getversion(), RUMPK_VERSION);
	boot();
	REQUIRE_EQ(rump_getversion(), RUMPK_VERSION);
}

/* ---- memory limit ----------------------------------------------------- */

ATF_TC_WITHOUT_HEAD(memlimit_exhaustion_fails_cleanly_and_recovers);
ATF_TC_BODY(memlimit_exhaustion_fails_cleanly_and_recovers, tc)
{
	static char chunk[65536];
	char buf[4096];
	size_t total;
	ssize_t n;
	int fd;

	RL(setenv("RUMP_MEMLIMIT", "8m", 1));
	boot();
	RL(rump_sys_mkdir("/mnt", 0755));
	RL(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	RL(fd = rump_sys_open("/mnt/big", O_CREAT | O_WRONLY, 0644));
	memset(chunk, 'm', sizeof(chunk));
	for (total = 0; (n = rump_sys_write(fd, chunk, sizeof(chunk))) > 0;
	    total += (size_t)n)
		ATF_REQUIRE_MSG(total < (64 << 20),
		    "wrote 64 MiB under an 8 MiB memory limit");
	ATF_REQUIRE_MSG(n == -1 && (errno == ENOSPC || errno == ENOMEM),
	    "write returned %zd (%s), expected ENOSPC or ENOMEM", n,
	    strerror(errno));
	ATF_REQUIRE_MSG(total > 0 && total < (8 << 20),
	    "%zu bytes written before failing", total);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("/mnt/big"));
	memset(buf, 's', sizeof(buf));
	RL(fd = rump_sys_open("/mnt/small", O_CREAT | O_RDWR, 0644));
	REQUIRE_EQ(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	memset(buf, 0, sizeof(buf));
	REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), sizeof(buf));
	ATF_REQUIRE(buf[0] == 's' && buf[sizeof(buf) - 1] == 's');
	RL(rump_sys_close(fd));
	RL(rump_sys_umount2("/mnt", 0));
}

/* ---- etfs ------------------------------------------------------------- */

/* An absolute host path for name in the test's (host) work directory. */
static char *
host_path(char *buf, const char *name)
{
	char cwd[PATH_MAX];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE(snprintf(buf, PATH_MAX, "%s/%s", cwd, name) < PATH_MAX);
	return buf;
}

/* Fill host file path with len bytes of a position-dependent pattern. */
static void
host_fill(const char *path, size_t len)
{
	unsigned char b;
	size_t i;
	FILE *f;

	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	for (i = 0; i < len; i++) {
		b = (unsigned char)(i * 13 + i / 509);
		ATF_REQUIRE(fwrite(&b, 1, 1, f) == 1);
	}
	ATF_REQUIRE(fclose(f) == 0);
}

/* Read len bytes at off from host file path. */
static void
host_pread(const char *path, void *buf, size_t len, off_t off)
{
	int fd;

	RL(fd = open(path, O_RDONLY));
	REQUIRE_EQ(pread(fd, buf, len, off), len);
	RL(close(fd));
}

ATF_TC_WITHOUT_HEAD(etfs_reg_reads_host_content);
ATF_TC_BODY(etfs_reg_reads_host_content, tc)
{
	static char host[10000], kern[10001];
	char hp[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t done;
	int fd;

	host_fill(host_path(hp, "reg.dat"), sizeof(host));
	host_pread(hp, host, sizeof(host), 0);
	boot();
	RZ(rump_pub_etfs_register("/etfs_file", hp, RUMP_ETFS_REG));
	RL(rump_sys_stat("/etfs_file", &st));
	ATF_REQUIRE(S_ISREG(st.st_mode));
	REQUIRE_EQ(st.st_size, sizeof(host));
	RL(fd = rump_sys_open("/etfs_file", O_RDONLY));
	for (done = 0; (n = rump_sys_read(fd, kern + done,
	    sizeof(kern) - done)) > 0; done += (size_t)n)
		continue;
	RL(n);
	REQUIRE_EQ(done, sizeof(host));
	ATF_REQUIRE(memcmp(host, kern, sizeof(host)) == 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(etfs_reg_write_reaches_host_file);
ATF_TC_BODY(etfs_reg_write_reaches_host_file, tc)
{
	char hp[PATH_MAX], buf[3];
	int fd;

	host_fill(host_path(hp, "reg.dat"), 4096);
	boot();
	RZ(rump_pub_etfs_register("/etfs_file", hp, RUMP_ETFS_REG));
	RL(fd = rump_sys_open("/etfs_file", O_RDWR));
	REQUIRE_EQ(rump_sys_pwrite(fd, "XYZ", 3, 100), 3);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	host_pread(hp, buf, 3, 100);
	ATF_REQUIRE(memcmp(buf, "XYZ", 3) == 0);
}

ATF_TC_WITHOUT_HEAD(etfs_withsize_exposes_only_window);
ATF_TC_BODY(etfs_withsize_exposes_only_window, tc)
{
	static char host[500], kern[600];
	char hp[PATH_MAX];
	struct stat st;
	int fd;

	host_fill(host_path(hp, "win.dat"), 8192);
	host_pread(hp, host, sizeof(host), 1000);
	boot();
	RZ(rump_pub_etfs_register_withsize("/win", hp, RUMP_ETFS_REG, 1000,
	    sizeof(host)));
	RL(rump_sys_stat("/win", &st));
	REQUIRE_EQ(st.st_size, sizeof(host));
	RL(fd = rump_sys_open("/win", O_RDONLY));
	REQUIRE_EQ(rump_sys_pread(fd, kern, sizeof(kern), 0), sizeof(host));
	ATF_REQUIRE(memcmp(host, kern, sizeof(host)) == 0);
	REQUIRE_EQ(rump_sys_pread(fd, kern, 10, sizeof(host)), 0);
	RL(rump_sys_close(fd));
}

ATF_TC_WITHOUT_HEAD(etfs_blk_is_block_device_with_host_data);
ATF_TC_BODY(etfs_blk_is_block_device_with_host_data, tc)
{
	char hp[PATH_MAX], host[512], kern[512];
	struct stat st;
	int fd;

	host_fill(host_path(hp, "disk.img"), 65536);
	host_pread(hp, host, sizeof(host), 1024);
	boot();
	RZ(rump_pub_etfs_register("/etfsblk", hp, RUMP_ETFS_BLK));
	RL(rump_sys_stat("/etfsblk", &st));
	ATF_REQUIRE(S_ISBLK(st.st_mode));
	RL(fd = rump_sys_open("/etfsblk", O_RDWR));
	REQUIRE_EQ(rump_sys_pread(fd, kern, sizeof(kern), 1024), sizeof(kern));
	ATF_REQUIRE(memcmp(host, kern, sizeof(kern)) == 0);
	memset(kern, 0xa5, sizeof(kern));
	REQUIRE_EQ(rump_sys_pwrite(fd, kern, sizeof(kern), 2048), sizeof(kern));
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	host_pread(hp, host, sizeof(host), 2048);
	ATF_REQUIRE(memcmp(host, kern, sizeof(kern)) == 0);
}

ATF_TC_WITHOUT_HEAD(etfs_remove_makes_key_enoent);
ATF_TC_BODY(etfs_remove_makes_key_enoent, tc)
{
	char hp[PATH_MAX];
	struct stat st;

	host_fill(host_path(hp, "reg.dat"), 100);
	boot();
	RZ(rump_pub_etfs_register("/etfs_file", hp, RUMP_ETFS_REG));
	RL(rump_sys_stat("/etfs_file", &st));
	RZ(rump_pub_etfs_remove("/etfs_file"));
	REQUIRE_ERRNO(rump_sys_stat("/etfs_file", &st), ENOENT);
	REQUIRE_EQ(rump_pub_etfs_remove("/etfs_file"), ENOENT);
}

ATF_TC_WITHOUT_HEAD(etfs_register_missing_host_file_fails_enoent);
ATF_TC_BODY(etfs_register_missing_host_file_fails_enoent, tc)
{
	char hp[PATH_MAX];
	struct stat st;

	boot();
	REQUIRE_EQ(rump_pub_etfs_register("/etfs_file",
	    host_path(hp, "does-not-exist"), RUMP_ETFS_REG), ENOENT);
	REQUIRE_ERRNO(rump_sys_stat("/etfs_file", &st), ENOENT);
}

ATF_TC_WITHOUT_HEAD(etfs_dir_exposes_host_files);
ATF_TC_BODY(etfs_dir_exposes_host_files, tc)
{
	char hp[PATH_MAX], fp[PATH_MAX], buf[16];
	struct stat st;
	int fd;

	RL(mkdir(host_path(hp, "hostdir"), 0755));
	RL(fd = open(host_path(fp, "hostdir/inner.txt"),
	    O_CREAT | O_WRONLY, 0644));
	REQUIRE_EQ(write(fd, "inside", 6), 6);
	RL(close(fd));
	boot();
	RZ(rump_pub_etfs_register("/hd", hp, RUMP_ETFS_DIR));
	RL(rump_sys_stat("/hd", &st));
	ATF_REQUIRE(S_ISDIR(st.st_mode));
	RL(fd = rump_sys_open("/hd/inner.txt", O_RDONLY));
	REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 6);
	ATF_REQUIRE(memcmp(buf, "inside", 6) == 0);
	RL(rump_sys_close(fd));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, rfork_cfdg_child_has_empty_fd_table);
	ATF_TP_ADD_TC(tp, rfork_fdg_child_gets_copy_of_fd_table);
	ATF_TP_ADD_TC(tp, rfork_shared_fd_table_shows_child_fds);
	ATF_TP_ADD_TC(tp, process_exit_closes_its_descriptors);
	ATF_TP_ADD_TC(tp, getpid_getppid_across_rfork);
	ATF_TP_ADD_TC(tp, credentials_are_per_process);
	ATF_TP_ADD_TC(tp, nonroot_setuid_zero_fails_eperm);
	ATF_TP_ADD_TC(tp, newlwp_joins_existing_process);
	ATF_TP_ADD_TC(tp, switch_between_two_lwps);
	ATF_TP_ADD_TC(tp, newlwp_of_nonexistent_pid_fails_esrch);
	ATF_TP_ADD_TC(tp, releasing_last_lwp_ends_process);
	ATF_TP_ADD_TC(tp, threads_hammer_kernel_ncpu1);
	ATF_TP_ADD_TC(tp, threads_hammer_kernel_ncpu2);
	ATF_TP_ADD_TC(tp, uname_reports_rumpk_and_hostname);
	ATF_TP_ADD_TC(tp, sysctl_kern_hostname_reads_and_writes);
	ATF_TP_ADD_TC(tp, sysctl_hw_ncpu_matches_rump_ncpu);
	ATF_TP_ADD_TC(tp, getversion_matches_header);
	ATF_TP_ADD_TC(tp, memlimit_exhaustion_fails_cleanly_and_recovers);
	ATF_TP_ADD_TC(tp, etfs_reg_reads_host_content);
	ATF_TP_ADD_TC(tp, etfs_reg_write_reaches_host_file);
	ATF_TP_ADD_TC(tp, etfs_withsize_exposes_only_window);
	ATF_TP_ADD_TC(tp, etfs_blk_is_block_device_with_host_data);
	ATF_TP_ADD_TC(tp, etfs_remove_makes_key_enoent);
	ATF_TP_ADD_TC(tp, etfs_register_missing_host_file_fails_enoent);
	ATF_TP_ADD_TC(tp, etfs_dir_exposes_host_files);

	return atf_no_error();
}
