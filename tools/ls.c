/*
 * rump.ls: list kernel files and directories of the rump kernel at
 * $RUMP_SERVER, sorted by name, one per line; -l in the form of ls -l
 * with owners and groups as numbers (they are the kernel's ids).
 * See rump.ls(1).
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

struct opts {
	bool	all;		/* -a */
	bool	dirself;	/* -d */
	bool	inode;		/* -i */
	bool	longfmt;	/* -l, -n */
	bool	recurse;	/* -R */
};

/* One name to print and, where needed, its status. */
struct entry {
	const char	*name;	/* as printed */
	char		*path;	/* for lstat and readlink */
	struct stat	 st;
	bool		 isdir;	/* to list as a directory */
};

/* Column widths of a long listing. */
struct widths {
	int	ino, nlink, uid, gid, size;
};

static struct opts	o;
static bool		printed;	/* output so far: blank line first */

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.ls [-1adilnR] [path ...]\n"
	    "Lists kernel paths of the rump kernel at $RUMP_SERVER "
	    "(default \".\").\n"
	    "  -1  one name per line (always the case)\n"
	    "  -a  include names starting with a dot\n"
	    "  -d  list directories themselves, not their contents\n"
	    "  -i  print inode numbers\n"
	    "  -l  long format: mode, links, uid, gid, size, mtime, name\n"
	    "  -n  long format (ids are always numeric)\n"
	    "  -R  list subdirectories recursively\n");
	exit(status);
}

static int
numwidth(unsigned long long v)
{
	char buf[32];

	return snprintf(buf, sizeof(buf), "%llu", v);
}

static void
sizestr(const struct stat *st, char *buf, size_t len)
{
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		snprintf(buf, len, "%u, %u", major(st->st_rdev),
		    minor(st->st_rdev));
	else
		snprintf(buf, len, "%lld", (long long)st->st_size);
}

static void
maxwidth(int *w, int v)
{
	if (v > *w)
		*w = v;
}

static void
getwidths(const struct entry *ents, size_t n, struct widths *w)
{
	char buf[64];
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < n; i++) {
		maxwidth(&w->ino, numwidth(ents[i].st.st_ino));
		maxwidth(&w->nlink, numwidth(ents[i].st.st_nlink));
		maxwidth(&w->uid, numwidth(ents[i].st.st_uid));
		maxwidth(&w->gid, numwidth(ents[i].st.st_gid));
		sizestr(&ents[i].st, buf, sizeof(buf));
		maxwidth(&w->size, (int)strlen(buf));
	}
}

static void
printlink(const struct entry *e)
{
	char target[4096];
	ssize_t len;

	len = rump_sys_readlink(e->path, target, sizeof(target) - 1);
	if (len == -1) {
		rt_warn(e->path, errno);
		return;
	}
	target[len] = '\0';
	printf(" -> %s", target);
}

static void
printlong(const struct entry *e, const struct widths *w)
{
	char mode[11], size[64], date[64];
	time_t t = e->st.st_mtim.tv_sec;
	struct tm tm;

	rt_modestr(e->st.st_mode, mode);
	sizestr(&e->st, size, sizeof(size));
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%b %e %H:%M", &tm) == 0)
		strcpy(date, "?");
	printf("%s %*lu %*u %*u %*s %s %s", mode, w->nlink,
	    (unsigned long)e->st.st_nlink, w->uid, e->st.st_uid, w->gid,
	    e->st.st_gid, w->size, size, date, e->name);
	if (S_ISLNK(e->st.st_mode))
		printlink(e);
}

static void
printents(const struct entry *ents, size_t n)
{
	struct widths w;
	size_t i;

	getwidths(ents, n, &w);
	for (i = 0; i < n; i++) {
		printed = true;
		if (o.inode)
			printf("%*llu ", w.ino,
			    (unsigned long long)ents[i].st.st_ino);
		if (o.longfmt)
			printlong(&ents[i], &w);
		else
			printf("%s", ents[i].name);
		putchar('\n');
	}
}

static void
freeents(struct entry *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ents[i].path);
	free(ents);
}

/* The entries of directory path to print; the exit status. */
static int
readents(const char *path, struct rt_dirent *d, size_t nd,
    struct entry **entsp, size_t *np)
{
	struct entry *ents = rt_malloc((nd + 1) * sizeof(*ents));
	size_t i, n = 0;
	int status = 0;

	for (i = 0; i < nd; i++) {
		if (!o.all && d[i].name[0] == '.')
			continue;
		ents[n].name = d[i].name;
		ents[n].path = rt_join(path, d[i].name);
		if (rump_sys_lstat(ents[n].path, &ents[n].st) == -1) {
			status = rt_warn(ents[n].path, errno);
			free(ents[n].path);
			continue;
		}
		ents[n].isdir = S_ISDIR(ents[n].st.st_mode) &&
		    strcmp(d[i].name, ".") != 0 && strcmp(d[i].name, "..") != 0;
		n++;
	}
	*entsp = ents;
	*np = n;
	return status;
}

static unsigned long long
totalblocks(const struct entry *ents, size_t n)
{
	unsigned long long blocks = 0;
	size_t i;

	for (i = 0; i < n; i++)
		blocks += (unsigned long long)ents[i].st.st_blocks;
	return (blocks + 1) / 2;
}

/* List directory path (and with -R its subdirectories); exit status. */
static int
listdir(const char *path, bool header)
{
	struct rt_dirent *d;
	struct entry *ents;
	size_t i, nd, n;
	int error, status;

	if (header) {
		printf("%s%s:\n", printed ? "\n" : "", path);
		printed = true;
	}
	error = rt_readdir(&rt_kern, path, &d, &nd);
	if (error != 0)
		return rt_warn(path, error);
	status = readents(path, d, nd, &ents, &n);
	if (o.longfmt)
		printf("total %llu\n", totalblocks(ents, n));
	printents(ents, n);
	for (i = 0; o.recurse && i < n; i++) {
		if (ents[i].isdir)
			status |= listdir(ents[i].path, true);
	}
	freeents(ents, n);
	rt_freedir(d, nd);
	return status;
}

static int
argcmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Status of each operand: files are listed first, then directories. */
static int
listargs(char **args, size_t nargs)
{
	struct entry *ents = rt_malloc(nargs * sizeof(*ents));
	size_t i, n = 0;
	int r, status = 0;

	for (i = 0; i < nargs; i++) {
		ents[n].name = args[i];
		ents[n].path = rt_strdup(args[i]);
		if (o.longfmt || o.dirself)
			r = rump_sys_lstat(args[i], &ents[n].st);
		else
			r = rump_sys_stat(args[i], &ents[n].st);
		if (r == -1) {
			status = rt_warn(args[i], errno);
			free(ents[n].path);
			continue;
		}
		ents[n].isdir = S_ISDIR(ents[n].st.st_mode) && !o.dirself;
		n++;
	}
	qsort(ents, n, sizeof(*ents), argcmp);
	for (i = 0; i < n; i++) {
		if (!ents[i].isdir)
			printents(&ents[i], 1);
	}
	for (i = 0; i < n; i++) {
		if (ents[i].isdir)
			status |= listdir(ents[i].path, n > 1 || o.recurse);
	}
	freeents(ents, n);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		RT_HELP_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	static char *dot[] = { "." };
	int ch;

	rt_setprog("rump.ls");
	while ((ch = getopt_long(argc, argv, "1adilnR", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '1':
			break;
		case 'a':
			o.all = true;
			break;
		case 'd':
			o.dirself = true;
			break;
		case 'i':
			o.inode = true;
			break;
		case 'l':
		case 'n':
			o.longfmt = true;
			break;
		case 'R':
			o.recurse = true;
			break;
		case RT_HELP:
			usage(0);
		default:
			usage(1);
		}
	}
	rt_connect();
	if (optind == argc)
		return listargs(dot, 1);
	return listargs(argv + optind, (size_t)(argc - optind));
}
