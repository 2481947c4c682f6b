/*
 * rump.dd: copy blocks between the host and the rump kernel at
 * $RUMP_SERVER, or within the kernel, in the manner of dd(1).  if= and
 * of= name kernel paths, or host paths as "host:PATH"; without them
 * the host's standard input and output are used.  See rump.dd(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/rumptool.h"

#define MAXBS	(1024ULL * 1024 * 1024)

struct ddargs {
	const char	*in;		/* NULL: standard input */
	const char	*out;		/* NULL: standard output */
	uint64_t	 bs;
	uint64_t	 count;		/* UINT64_MAX: to the end */
	uint64_t	 skip;
	uint64_t	 seek;
	bool		 notrunc;
	bool		 fsync;
	bool		 quiet;		/* status=none */
	bool		 progress;	/* status=progress */
};

/* Records copied: full blocks and partial ones. */
struct ddstats {
	uint64_t	 infull, inpart, outfull, outpart, bytes;
};

static void __attribute__((__noreturn__))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: rump.dd [if=FILE] [of=FILE] [bs=N] [count=N] [skip=N] "
	    "[seek=N]\n"
	    "               [conv=notrunc,fsync] [status=none|progress]\n"
	    "Copies blocks of bs bytes (default 512).  FILE is a kernel path "
	    "of the rump\nkernel at $RUMP_SERVER, or \"host:PATH\" for a host"
	    " path; without if= or\nof=, the host's standard input or output."
	    "  N may end in c, w, b, k, K, M, G.\n"
	    "  count  copy at most N blocks      skip  skip N input blocks\n"
	    "  seek   skip N output blocks       conv  notrunc: do not "
	    "truncate of=,\n"
	    "                                          fsync: sync it at the "
	    "end\n");
	exit(status);
}

static int
parseconv(char *list, struct ddargs *a)
{
	char *c, *save = NULL;

	for (c = strtok_r(list, ",", &save); c != NULL;
	    c = strtok_r(NULL, ",", &save)) {
		if (strcmp(c, "notrunc") == 0)
			a->notrunc = true;
		else if (strcmp(c, "fsync") == 0)
			a->fsync = true;
		else
			return rt_warnx("conv=%s: not supported (notrunc, "
			    "fsync)", c);
	}
	return 0;
}

static int
parsenum(const char *op, const char *val, uint64_t *np)
{
	if (rt_parsesize(val, np) != 0)
		return rt_warnx("%s=%s: invalid number", op, val);
	return 0;
}

/* One operand "name=value"; the exit status. */
static int
parseop(char *arg, struct ddargs *a)
{
	char *val = strchr(arg, '=');

	if (val == NULL)
		return rt_warnx("%s: not an operand (name=value)", arg);
	*val++ = '\0';
	if (strcmp(arg, "if") == 0)
		a->in = val;
	else if (strcmp(arg, "of") == 0)
		a->out = val;
	else if (strcmp(arg, "bs") == 0)
		return parsenum(arg, val, &a->bs);
	else if (strcmp(arg, "count") == 0)
		return parsenum(arg, val, &a->count);
	else if (strcmp(arg, "skip") == 0)
		return parsenum(arg, val, &a->skip);
	else if (strcmp(arg, "seek") == 0)
		return parsenum(arg, val, &a->seek);
	else if (strcmp(arg, "conv") == 0)
		return parseconv(val, a);
	else if (strcmp(arg, "status") == 0 && strcmp(val, "none") == 0)
		a->quiet = true;
	else if (strcmp(arg, "status") == 0 && strcmp(val, "progress") == 0)
		a->progress = true;
	else
		return rt_warnx("%s=%s: unknown operand", arg, val);
	return 0;
}

static int
parseargs(int argc, char **argv, struct ddargs *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->bs = 512;
	a->count = UINT64_MAX;
	for (i = 1; i < argc; i++) {
		if (parseop(argv[i], a) != 0)
			return 1;
	}
	if (a->bs == 0 || a->bs > MAXBS)
		return rt_warnx("bs=%llu: must be 1 to 1G",
		    (unsigned long long)a->bs);
	if (a->skip > INT64_MAX / a->bs || a->seek > INT64_MAX / a->bs)
		return rt_warnx("skip or seek too large");
	return 0;
}

/* Open a file operand; -1 after reporting. */
static int
openop(const char *op, const char *arg, int flags, const struct rt_fs **fsp)
{
	const char *path = rt_path(arg, fsp);
	int fd;

	if (path == NULL) {
		rt_warnx("%s=%s: empty path", op, arg);
		return -1;
	}
	fd = (*fsp)->open(path, flags, 0666);
	if (fd == -1)
		rt_warn(arg, errno);
	return fd;
}

/* Skip n bytes of input: seek, or read them where that fails. */
static int
skipin(const struct rt_fs *fs, int fd, uint64_t n, char *buf, uint64_t bs)
{
	ssize_t r;

	if (n == 0 || fs->lseek(fd, (off_t)n, SEEK_SET) != -1)
		return 0;
	while (n > 0) {
		r = fs->read(fd, buf, n < bs ? n : bs);
		if (r == -1)
			return errno;
		if (r == 0)
			break;
		n -= (uint64_t)r;
	}
	return 0;
}

/* Read up to len bytes, retrying interrupted reads; -1 on error. */
static ssize_t
readblock(const struct rt_fs *fs, int fd, char *buf, size_t len)
{
	ssize_t r;

	do
		r = fs->read(fd, buf, len);
	while (r == -1 && errno == EINTR);
	return r;
}

static void
report(const struct ddstats *s, double secs)
{
	fprintf(stderr, "%llu+%llu records in\n%llu+%llu records out\n"
	    "%llu bytes copied, %.3f s, %.1f MB/s\n",
	    (unsigned long long)s->infull, (unsigned long long)s->inpart,
	    (unsigned long long)s->outfull, (unsigned long long)s->outpart,
	    (unsigned long long)s->bytes, secs,
	    secs > 0 ? (double)s->bytes / secs / 1e6 : 0.0);
}

/* The copy loop; the exit status. */
static int
copy(const struct ddargs *a, const struct rt_fs *ifs, int ifd,
    const struct rt_fs *ofs, int ofd, struct ddstats *s)
{
	char *buf = rt_malloc((size_t)a->bs);
	struct rt_progress p;
	uint64_t n;
	ssize_t r;
	int error, status = 0;

	error = skipin(ifs, ifd, a->skip * a->bs, buf, a->bs);
	if (error != 0) {
		free(buf);
		return rt_warn(a->in != NULL ? a->in : "standard input",
		    error);
	}
	rt_progress_init(&p, "rump.dd", 0, a->progress);
	p.enabled = a->progress;	/* only when asked, as dd(1) */
	for (n = 0; n < a->count; n++) {
		r = readblock(ifs, ifd, buf, (size_t)a->bs);
		if (r == -1) {
			status = rt_warn(a->in != NULL ? a->in :
			    "standard input", errno);
			break;
		}
		if (r == 0)
			break;
		if ((uint64_t)r == a->bs)
			s->infull++;
		else
			s->inpart++;
		error = rt_writeall(ofs, ofd, buf, (size_t)r);
		if (error != 0) {
			status = rt_warn(a->out != NULL ? a->out :
			    "standard output", error);
			break;
		}
		if ((uint64_t)r == a->bs)
			s->outfull++;
		else
			s->outpart++;
		s->bytes += (uint64_t)r;
		rt_progress_update(&p, (uint64_t)r);
	}
	rt_progress_end(&p);
	free(buf);
	return status;
}

/* Position and (without conv=notrunc) truncate the output. */
static int
prepout(const struct ddargs *a, const struct rt_fs *fs, int fd)
{
	off_t off = (off_t)(a->seek * a->bs);
	struct stat st;

	if (a->seek > 0 && fs->lseek(fd, off, SEEK_SET) == -1)
		return rt_warn(a->out != NULL ? a->out : "standard output",
		    errno);
	if (a->out == NULL || a->notrunc || fs->fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode))
		return 0;
	if (fs->ftruncate(fd, off) == -1)
		return rt_warn(a->out, errno);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct rt_fs *ifs = &rt_host, *ofs = &rt_host;
	int ifd = STDIN_FILENO, ofd = STDOUT_FILENO, status;
	struct ddstats s;
	struct ddargs a;
	double start;

	rt_setprog("rump.dd");
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	if (parseargs(argc, argv, &a) != 0)
		return 1;
	rt_connect();
	if (a.in != NULL &&
	    (ifd = openop("if", a.in, O_RDONLY, &ifs)) == -1)
		return 1;
	if (a.out != NULL &&
	    (ofd = openop("of", a.out, O_WRONLY | O_CREAT, &ofs)) == -1)
		return 1;
	if (prepout(&a, ofs, ofd) != 0)
		return 1;
	memset(&s, 0, sizeof(s));
	start = rt_now();
	status = copy(&a, ifs, ifd, ofs, ofd, &s);
	if (status == 0 && a.fsync && ofs->fsync(ofd) == -1)
		status = rt_warn(a.out != NULL ? a.out : "standard output",
		    errno);
	if (a.out != NULL && ofs->close(ofd) == -1 && status == 0)
		status = rt_warn(a.out, errno);
	if (!a.quiet)
		report(&s, rt_now() - start);
	return status;
}
