/*
 * rump.stat: show the status of kernel files of the rump kernel at
 * $RUMP_SERVER, by default in the form of GNU stat (ids as numbers:
 * they are the kernel's), or with -c in a format of %-sequences.
 * See rump.stat(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.stat [-L] [-c format] file ...\n"
	    "Shows the status of kernel files.\n"
	    "  -L         follow symbolic links\n"
	    "  -c format  print format and a newline per file; sequences:\n"
	    "             %%n name, %%s size, %%a octal mode, %%A mode string,"
	    "\n"
	    "             %%u uid, %%g gid, %%i inode, %%h links, %%F type,\n"
	    "             %%Y mtime (seconds since the epoch), %%%% a %%\n");
	exit(status);
}

static void
printtime(const char *label, const struct timespec *ts)
{
	char buf[64], zone[16];
	time_t t = ts->tv_sec;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) == 0 ||
	    strftime(zone, sizeof(zone), "%z", &tm) == 0) {
		printf("%s: %lld\n", label, (long long)t);
		return;
	}
	printf("%s: %s.%09ld %s\n", label, buf, (long)ts->tv_nsec, zone);
}

static void
printdefault(const char *name, const struct stat *st)
{
	char mode[11], link[4096];
	ssize_t len;

	rt_modestr(st->st_mode, mode);
	printf("  File: %s", name);
	if (S_ISLNK(st->st_mode)) {
		len = rump_sys_readlink(name, link, sizeof(link) - 1);
		if (len >= 0) {
			link[len] = '\0';
			printf(" -> %s", link);
		}
	}
	printf("\n  Size: %-10lld\tBlocks: %-10lld IO Block: %-6ld %s\n",
	    (long long)st->st_size, (long long)st->st_blocks,
	    (long)st->st_blksize, rt_typename(st));
	printf("Device: %llxh/%llud\tInode: %-11llu Links: %lu",
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_dev,
	    (unsigned long long)st->st_ino, (unsigned long)st->st_nlink);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("     Device type: %u,%u", major(st->st_rdev),
		    minor(st->st_rdev));
	printf("\nAccess: (%04o/%s)  Uid: (%5u)   Gid: (%5u)\n",
	    (unsigned)(st->st_mode & 07777), mode, st->st_uid, st->st_gid);
	printtime("Access", &st->st_atim);
	printtime("Modify", &st->st_mtim);
	printtime("Change", &st->st_ctim);
	printf(" Birth: -\n");
}

/* One %-sequence; false if conv is not one. */
static bool
printconv(char conv, const char *name, const struct stat *st)
{
	char mode[11];

	switch (conv) {
	case 'n':
		printf("%s", name);
		break;
	case 's':
		printf("%lld", (long long)st->st_size);
		break;
	case 'a':
		printf("%o", (unsigned)(st->st_mode & 07777));
		break;
	case 'A':
		rt_modestr(st->st_mode, mode);
		printf("%s", mode);
		break;
	case 'u':
		printf("%u", st->st_uid);
		break;
	case 'g':
		printf("%u", st->st_gid);
		break;
	case 'i':
		printf("%llu", (unsigned long long)st->st_ino);
		break;
	case 'h':
		printf("%lu", (unsigned long)st->st_nlink);
		break;
	case 'F':
		printf("%s", rt_typename(st));
		break;
	case 'Y':
		printf("%lld", (long long)st->st_mtim.tv_sec);
		break;
	case '%':
		putchar('%');
		break;
	default:
		return false;
	}
	return true;
}

static void
printformat(const char *fmt, const char *name, const struct stat *st)
{
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%' || fmt[1] == '\0') {
			putchar(*fmt);
			continue;
		}
		fmt++;
		if (!printconv(*fmt, name, st)) {
			putchar('%');
			putchar(*fmt);
		}
	}
	putchar('\n');
}

/* Reject unknown %-sequences before doing anything. */
static int
checkformat(const char *fmt)
{
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%')
			continue;
		fmt++;
		if (*fmt == '\0' || strchr("nsaAugihFY%", *fmt) == NULL)
			return rt_warnx("%%%c: unsupported format sequence "
			    "(see --help)", *fmt == '\0' ? ' ' : *fmt);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = NULL;
	bool follow = false;
	struct stat st;
	int ch, i, r, status = 0;

	rt_setprog("rump.stat");
	while ((ch = getopt_long(argc, argv, "c:L", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			fmt = optarg;
			break;
		case 'L':
			follow = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	if (optind == argc)
		usage(1);
	if (fmt != NULL && checkformat(fmt) != 0)
		return 1;
	rt_connect();
	for (i = optind; i < argc; i++) {
		r = follow ? rump_sys_stat(argv[i], &st) :
		    rump_sys_lstat(argv[i], &st);
		if (r == -1)
			status = rt_warn(argv[i], errno);
		else if (fmt != NULL)
			printformat(fmt, argv[i], &st);
		else
			printdefault(argv[i], &st);
	}
	return status;
}
