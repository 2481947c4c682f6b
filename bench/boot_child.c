/*
 * boot_child.c: the program whose start-up rumpk-bench times.  It boots
 * a kernel and exits.  Built twice: boot-kern links only librump and
 * librumpuser; boot-tmpfs (-DBOOT_TMPFS) links vfs and tmpfs too and
 * also mounts a tmpfs on /tmp, the whole being its "boot".
 *
 * usage: boot-kern [-r fd]   -r: write the in-process boot time (a
 * uint64_t in ns, CLOCK_MONOTONIC around the boot) to descriptor fd.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Boot; returns 0 or prints what failed and returns -1. */
static int
boot(void)
{
	int error;

	error = rump_init();
	if (error != 0) {
		fprintf(stderr, "boot: rump_init: %s\n", strerror(error));
		return -1;
	}
#ifdef BOOT_TMPFS
	if (rump_sys_mkdir("/tmp", 0777) == -1 && errno != EEXIST) {
		fprintf(stderr, "boot: mkdir /tmp: %s\n", strerror(errno));
		return -1;
	}
	if (rump_sys_mount("tmpfs", "/tmp", "tmpfs", 0, "size=16m") == -1) {
		fprintf(stderr, "boot: mount tmpfs: %s\n", strerror(errno));
		return -1;
	}
#endif
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t t0, ns;
	int fd = -1;

	if (argc == 3 && strcmp(argv[1], "-r") == 0)
		fd = atoi(argv[2]);
	else if (argc != 1) {
		fprintf(stderr, "usage: %s [-r fd]\n", argv[0]);
		return 2;
	}
	t0 = now_ns();
	if (boot() == -1)
		return 1;
	ns = now_ns() - t0;
	if (fd >= 0 && write(fd, &ns, sizeof(ns)) != sizeof(ns)) {
		fprintf(stderr, "boot: write: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
