/*
 * fuse_ops: the metadata half of bench_fuse.sh, timed in one process so
 * that process start-up is not measured.  Prints the elapsed
 * nanoseconds of one of:
 *   openclose FILE N	open and close FILE N times
 *   create DIR N	create and close N empty files DIR/fK
 *   list DIR		read DIR and stat every entry
 *   unlink DIR N	remove DIR/f0 .. DIR/fN-1
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void __attribute__((__noreturn__))
fail(const char *what)
{

	perror(what);
	exit(1);
}

static void
openclose(const char *file, long n)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		if ((fd = open(file, O_RDONLY)) == -1)
			fail(file);
		close(fd);
	}
}

static void
create_files(const char *dir, long n)
{
	char path[4096];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1)
			fail(path);
		close(fd);
	}
}

static void
list(const char *dir)
{
	struct dirent *d;
	struct stat st;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		fail(dir);
	while ((d = readdir(dp)) != NULL)
		if (fstatat(dirfd(dp), d->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1)
			fail(d->d_name);
	closedir(dp);
}

static void
unlink_files(const char *dir, long n)
{
	char path[4096];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if (unlink(path) == -1)
			fail(path);
	}
}

int
main(int argc, char **argv)
{
	uint64_t t0;
	long n;

	if (argc < 3) {
		fprintf(stderr, "usage: fuse_ops openclose|create|list|unlink "
		    "PATH [N]\n");
		return 1;
	}
	n = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
	t0 = now();
	if (strcmp(argv[1], "openclose") == 0)
		openclose(argv[2], n);
	else if (strcmp(argv[1], "create") == 0)
		create_files(argv[2], n);
	else if (strcmp(argv[1], "list") == 0)
		list(argv[2]);
	else if (strcmp(argv[1], "unlink") == 0)
		unlink_files(argv[2], n);
	else
		return 1;
	printf("%llu\n", (unsigned long long)(now() - t0));
	return 0;
}
