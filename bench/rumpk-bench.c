/*
 * rumpk-bench: measure rumpk against the host kernel side by side and
 * print a table of ratios.  Boot time (bench_boot.c), null system calls
 * and open+close (bench_sys.c), remote calls to a rump_server
 * (bench_remote.c).  Ratios are peer time / rumpk time, so
 * above 1 means rumpk is faster.  Run by `make bench`.
 */
#include <sys/utsname.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define MAXROWS	16

struct row {
	char	r_name[48];
	double	r_rumpk;	/* ns */
	double	r_peer;		/* ns; 0: no peer */
	char	r_peername[32];
	double	r_target;	/* ns; 0: no target */
	char	r_note[48];
};

static struct row rows[MAXROWS];
static int nrows;

void
row_add(const char *name, double rumpk, double peer, const char *peername,
    double target, const char *note)
{
	struct row *r;

	if (nrows == MAXROWS)
		die("too many rows");
	r = &rows[nrows++];
	snprintf(r->r_name, sizeof(r->r_name), "%s", name);
	r->r_rumpk = rumpk;
	r->r_peer = peer;
	snprintf(r->r_peername, sizeof(r->r_peername), "%s",
	    peername != NULL ? peername : "");
	r->r_target = target;
	snprintf(r->r_note, sizeof(r->r_note), "%s", note != NULL ? note : "");
}

/* ns as "12.3 ns", "45.6 us" or "7.89 ms". */
static const char *
fmt_time(char *buf, size_t len, double ns)
{

	if (ns < 1e3)
		snprintf(buf, len, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	return buf;
}

static void
row_print(const struct row *r)
{
	char a[16], b[16], t[16], target[32];

	if (r->r_target > 0)
		snprintf(target, sizeof(target), "<= %s %s",
		    fmt_time(t, sizeof(t), r->r_target),
		    r->r_rumpk <= r->r_target ? "met" : "MISSED");
	else
		snprintf(target, sizeof(target), "-");
	printf("%-34s %10s %10s  %-22s %7.2f  ", r->r_name,
	    fmt_time(a, sizeof(a), r->r_rumpk),
	    fmt_time(b, sizeof(b), r->r_peer), r->r_peername,
	    r->r_peer / r->r_rumpk);
	if (r->r_note[0] != '\0')
		printf("%-20s %s\n", target, r->r_note);
	else
		printf("%s\n", target);
}

void
table_print(const struct bench_opts *o)
{
	struct utsname u;
	int i;

	if (uname(&u) == -1)
		memset(&u, 0, sizeof(u));
	printf("\nrumpk bench on %s %s %s, %ld cpus; boot: median of %d; "
	    "calls: best of %d rounds\n", u.sysname, u.release, u.machine,
	    sysconf(_SC_NPROCESSORS_ONLN), o->bo_boots, o->bo_rounds);
	printf("ratio = peer / rumpk (> 1: rumpk is faster); RUMP_NCPU=1 "
	    "unless noted\n\n");
	printf("%-34s %10s %10s  %-22s %7s  %-20s %s\n", "benchmark",
	    "rumpk", "peer", "peer is", "ratio", "target", "note");
	for (i = 0; i < 120; i++)
		putchar('-');
	putchar('\n');
	for (i = 0; i < nrows; i++)
		row_print(&rows[i]);
	printf("\n2-thread speed: how fast a computing thread runs while "
	    "another computes\ntoo (1.00: this machine runs two threads "
	    "fully in parallel).\n");
}

static void
usage(FILE *f, const char *prog)
{

	fprintf(f, "usage: %s [-b boots] [-c calls] [-f files] [-o opens] "
	    "[-r rounds] [-s MiB]\n"
	    "  -b  boot samples per program (default 200)\n"
	    "  -c  null system calls per round (default 10000000)\n"
	    "  -f  ext2: files in one directory (default 10000)\n"
	    "  -o  open+close pairs per round (default 200000)\n"
	    "  -r  rounds of call loops, the best counts (default 3)\n"
	    "  -s  ext2, FAT: MiB written and read in one file "
	    "(default 256)\n",
	    prog);
}

static long
number(const char *s, const char *prog)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0) {
		usage(stderr, prog);
		exit(2);
	}
	return v;
}

/* The boot programs live next to this one. */
static const char *
own_dir(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n == -1)
		die("/proc/self/exe: %s", strerror(errno));
	path[n] = '\0';
	return dirname(path);
}

int
main(int argc, char **argv)
{
	struct bench_opts o = {
		.bo_boots = 200, .bo_calls = 10000000, .bo_opens = 200000,
		.bo_rounds = 3, .bo_mib = 256, .bo_files = 10000,
	};
	int ch;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout, argv[0]);
		return 0;
	}
	while ((ch = getopt(argc, argv, "b:c:f:ho:r:s:")) != -1) {
		switch (ch) {
		case 'b':
			o.bo_boots = (int)number(optarg, argv[0]);
			break;
		case 'c':
			o.bo_calls = number(optarg, argv[0]);
			break;
		case 'o':
			o.bo_opens = number(optarg, argv[0]);
			break;
		case 'r':
			o.bo_rounds = (int)number(optarg, argv[0]);
			break;
		case 'f':
			o.bo_files = number(optarg, argv[0]);
			break;
		case 's':
			o.bo_mib = number(optarg, argv[0]);
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	o.bo_dir = own_dir();
	bench_boot(&o);
	bench_sys(&o);
	bench_remote(&o);
	table_print(&o);
	bench_ext2(&o);
	bench_msdos(&o);
	return 0;
}
