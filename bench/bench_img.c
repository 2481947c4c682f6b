/*
 * bench_img.c: what the file-system image benchmarks (bench_ext2.c,
 * bench_msdos.c) share: quiet shell commands and their timing, dropping
 * the host's caches, host files of repeated chunks, and a rumpk kernel
 * with an image file attached through etfs and mounted.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

int caches_dropped;

int
sh(const char *fmt, ...)
{
	char cmd[3 * PATH_MAX];
	va_list ap;
	int n, status;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd) - 20, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd) - 20)
		die("command too long");
	strcat(cmd, " >/dev/null 2>&1");
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

double
timed(const char *what, const char *cmd)
{
	uint64_t t0;

	t0 = now_ns();
	if (sh("%s", cmd) != 0)
		die("%s failed: %s", what, cmd);
	return (double)(now_ns() - t0);
}

void
drop_caches(void)
{
	int fd;

	sync();
	if (geteuid() != 0 ||
	    (fd = open("/proc/sys/vm/drop_caches", O_WRONLY)) == -1)
		return;
	if (write(fd, "3\n", 2) == 2)
		caches_dropped = 1;
	close(fd);
}

void
img_attach(const char *key, const char *img, const char *mnt)
{
	int error;

	if ((error = rump_init()) != 0)
		die("rump_init: %s", strerror(error));
	if ((error = rump_pub_etfs_register(key, img, RUMP_ETFS_BLK)) != 0)
		die("etfs %s: %s", img, strerror(error));
	if (rump_sys_mkdir(mnt, 0755) == -1)
		die("mkdir %s: %s", mnt, strerror(errno));
}

void
img_mount(const char *key, const char *mnt, const char *type)
{

	if (rump_sys_mount(key, mnt, type, 0, NULL) == -1)
		die("rumpk: mount %s: %s", type, strerror(errno));
}

void
img_umount(const char *mnt)
{

	if (rump_sys_umount2(mnt, 0) == -1)
		die("rumpk: umount: %s", strerror(errno));
}

void
write_chunks(const char *path, const void *chunk, size_t len,
    unsigned long n)
{
	unsigned long i;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		die("%s: %s", path, strerror(errno));
	for (i = 0; i < n; i++)
		if (write(fd, chunk, len) != (ssize_t)len)
			die("write %s: %s", path, strerror(errno));
	close(fd);
}
