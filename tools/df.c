/*
 * rump.df: show the space of the file systems holding kernel paths of
 * the rump kernel at $RUMP_SERVER (statfs).  The kernel has no mount
 * table to read, so a line names the file system's type and the path
 * asked about.  See rump.df(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/statfs.h>

#include <rump/rump_syscalls.h>

#include "lib/rumptool.h"

static const struct fstype {
	long		magic;
	const char	*name;
} fstypes[] = {
	{ 0xef53, "ext2" },
	{ 0x01021994, "tmpfs" },
	{ 0x858458f6, "rumpfs" },
	{ 0x4d44, "msdos" },
};

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.df [-h] [path ...]\n"
	    "Shows total, used and available space of the file systems "
	    "holding the\nkernel paths (default \"/\"), in 1 KiB blocks.\n"
	    "  -h  sizes with K, M, G, T suffixes (powers of 1024)\n");
	exit(status);
}

static const char *
typename(long magic)
{
	size_t i;

	for (i = 0; i < sizeof(fstypes) / sizeof(fstypes[0]); i++) {
		if (fstypes[i].magic == magic)
			return fstypes[i].name;
	}
	return "unknown";
}

/* bytes in the form df -h uses: 1 decimal below 10, rounded up. */
static void
human(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u + 1 < sizeof(units) - 1) {
		v /= 1024;
		u++;
	}
	if (v < 10)
		snprintf(buf, len, "%.1f%c", (double)(uint64_t)(v * 10 +
		    0.999) / 10, units[u]);
	else
		snprintf(buf, len, "%.0f%c", (double)(uint64_t)(v + 0.999),
		    units[u]);
}

static void
sizecol(uint64_t blocks, uint64_t bsize, bool hflag, char *buf, size_t len)
{
	if (hflag)
		human(blocks * bsize, buf, len);
	else
		snprintf(buf, len, "%llu",
		    (unsigned long long)(blocks * bsize / 1024));
}

static int
dfpath(const char *path, bool hflag)
{
	char total[32], used[32], avail[32], pct[8] = "-";
	struct statfs sf;
	uint64_t bsize, usedblk;

	if (rump_sys_statfs(path, &sf) == -1)
		return rt_warn(path, errno);
	bsize = (uint64_t)(sf.f_frsize > 0 ? sf.f_frsize : sf.f_bsize);
	usedblk = sf.f_blocks >= sf.f_bfree ? sf.f_blocks - sf.f_bfree : 0;
	sizecol(sf.f_blocks, bsize, hflag, total, sizeof(total));
	sizecol(usedblk, bsize, hflag, used, sizeof(used));
	sizecol(sf.f_bavail, bsize, hflag, avail, sizeof(avail));
	if (usedblk + sf.f_bavail > 0)
		snprintf(pct, sizeof(pct), "%llu%%", (unsigned long long)
		    ((usedblk * 100 + usedblk + sf.f_bavail - 1) /
		    (usedblk + sf.f_bavail)));
	printf("%-10s %10s %10s %10s %4s %s\n", typename(sf.f_type), total,
	    used, avail, pct, path);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	bool hflag = false;
	int ch, i, status = 0;

	rt_setprog("rump.df");
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			hflag = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	rt_connect();
	printf("%-10s %10s %10s %10s %4s %s\n", "Filesystem",
	    hflag ? "Size" : "1K-blocks", "Used", "Available", "Use%",
	    "Path");
	if (optind == argc)
		return dfpath("/", hflag);
	for (i = optind; i < argc; i++)
		status |= dfpath(argv[i], hflag);
	return status;
}
