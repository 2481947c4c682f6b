/*
 * bench_boot.c: boot time.  Each sample forks and execs a program:
 * /bin/true (the peer: the cost of any process at all), boot-kern (a
 * kernel with only librump) and boot-tmpfs (kernel, vfs, tmpfs mounted
 * on /tmp).  The parent times fork..waitpid (whole process); the boot
 * programs time their own boot and send it back on a pipe (in-process).
 * The three programs take turns so that drift hits them alike.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define TARGET_BOOT_NS	200000.0	/* kern+vfs+tmpfs, in-process */

enum { PROG_TRUE, PROG_KERN, PROG_TMPFS, NPROG };

struct prog {
	char	 p_path[PATH_MAX];
	double	*p_whole;	/* whole-process samples, ns */
	double	*p_inproc;	/* in-process samples, ns (boot programs) */
};

static _Noreturn void
spawn_exec(const char *path, int fd)
{
	char fdstr[16];

	if (fd < 0) {
		execl(path, path, (char *)NULL);
	} else {
		snprintf(fdstr, sizeof(fdstr), "%d", fd);
		execl(path, path, "-r", fdstr, (char *)NULL);
	}
	_exit(127);
}

/* Run path once; *inproc gets its own boot time when inproc != NULL. */
static double
spawn_once(const char *path, double *inproc)
{
	uint64_t t0, t1, ns = 0;
	int fds[2] = { -1, -1 }, status;
	pid_t pid;

	if (inproc != NULL && pipe(fds) == -1)
		die("pipe: %s", strerror(errno));
	t0 = now_ns();
	pid = fork();
	if (pid == -1)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		spawn_exec(path, fds[1]);
	}
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid: %s", strerror(errno));
	t1 = now_ns();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("%s failed, status %#x", path, status);
	if (inproc != NULL) {
		close(fds[1]);
		if (read(fds[0], &ns, sizeof(ns)) != sizeof(ns))
			die("%s: no boot time reported", path);
		close(fds[0]);
		*inproc = (double)ns;
	}
	return (double)(t1 - t0);
}

static void
prog_init(struct prog *p, const char *dir, const char *name, int n)
{

	if (dir == NULL)
		snprintf(p->p_path, sizeof(p->p_path), "%s", name);
	else
		snprintf(p->p_path, sizeof(p->p_path), "%s/%s", dir, name);
	if (access(p->p_path, X_OK) == -1)
		die("%s: %s", p->p_path, strerror(errno));
	p->p_whole = calloc((size_t)n, sizeof(double));
	p->p_inproc = calloc((size_t)n, sizeof(double));
	if (p->p_whole == NULL || p->p_inproc == NULL)
		die("out of memory");
}

static void
prog_free(struct prog *p)
{

	free(p->p_whole);
	free(p->p_inproc);
}

/* "+479 us over /bin/true" */
static void
over_note(char *buf, size_t len, double ns, double base)
{
	double d = ns - base;

	if (d > -1e6 && d < 1e6)
		snprintf(buf, len, "%+.0f us over /bin/true", d / 1e3);
	else
		snprintf(buf, len, "%+.2f ms over /bin/true", d / 1e6);
}

static void
add_rows(struct prog *pr, int n)
{
	double t, k, f, ik, itf;
	char note[64];

	t = median(pr[PROG_TRUE].p_whole, (size_t)n);
	k = median(pr[PROG_KERN].p_whole, (size_t)n);
	f = median(pr[PROG_TMPFS].p_whole, (size_t)n);
	ik = median(pr[PROG_KERN].p_inproc, (size_t)n);
	itf = median(pr[PROG_TMPFS].p_inproc, (size_t)n);

	row_add("boot kern, in-process", ik, t, "spawn /bin/true", 0, NULL);
	row_add("boot kern+vfs+tmpfs, in-process", itf, t,
	    "spawn /bin/true", TARGET_BOOT_NS, "NetBSD rump ~4.4 ms");
	over_note(note, sizeof(note), k, t);
	row_add("boot kern, whole process", k, t, "spawn /bin/true", 0,
	    note);
	over_note(note, sizeof(note), f, t);
	row_add("boot kern+vfs+tmpfs, whole process", f, t,
	    "spawn /bin/true", 0, note);
}

void
bench_boot(const struct bench_opts *o)
{
	struct prog pr[NPROG];
	int i, j;

	prog_init(&pr[PROG_TRUE], NULL, "/bin/true", o->bo_boots);
	prog_init(&pr[PROG_KERN], o->bo_dir, "boot-kern", o->bo_boots);
	prog_init(&pr[PROG_TMPFS], o->bo_dir, "boot-tmpfs", o->bo_boots);
	/* One unmeasured round warms the page cache and the loader. */
	for (i = -1; i < o->bo_boots; i++) {
		for (j = 0; j < NPROG; j++) {
			double in = 0, whole;

			whole = spawn_once(pr[j].p_path,
			    j == PROG_TRUE ? NULL : &in);
			if (i < 0)
				continue;
			pr[j].p_whole[i] = whole;
			pr[j].p_inproc[i] = in;
		}
	}
	add_rows(pr, o->bo_boots);
	for (j = 0; j < NPROG; j++)
		prog_free(&pr[j]);
}
