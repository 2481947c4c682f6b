/*
 * rt_copy.c: the copy loop between two descriptors on either side, in
 * RT_BUFSIZE pieces, and the progress line shown on a terminal for
 * copies that take longer than a second (at most four updates a second).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "rumptool.h"

#define PROGRESS_DELAY		1.0
#define PROGRESS_INTERVAL	0.25
#define MIB			(1024.0 * 1024.0)

double
rt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Prepare a progress line for a copy of total bytes (0: unknown); it is
 * shown when stderr is a terminal, or always with force.
 */
void
rt_progress_init(struct rt_progress *p, const char *label, uint64_t total,
    bool force)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->enabled = force || isatty(STDERR_FILENO);
	p->shown = false;
	p->start = rt_now();
	p->last = p->start;
}

static void
progress_print(struct rt_progress *p, double now)
{
	double secs = now - p->start;
	double rate = secs > 0 ? (double)p->done / secs / 1e6 : 0;

	fprintf(stderr, "\r%s: %.1f MiB", p->label, (double)p->done / MIB);
	if (p->total > 0 && p->done <= p->total)
		fprintf(stderr, " of %.1f MiB (%d%%)", (double)p->total / MIB,
		    (int)(p->done * 100 / p->total));
	fprintf(stderr, ", %.1f MB/s   ", rate);
	p->shown = true;
	p->last = now;
}

void
rt_progress_update(struct rt_progress *p, uint64_t delta)
{
	double now;

	p->done += delta;
	if (!p->enabled)
		return;
	now = rt_now();
	if (now - p->start >= PROGRESS_DELAY &&
	    now - p->last >= PROGRESS_INTERVAL)
		progress_print(p, now);
}

/* Finish the line if one was shown. */
void
rt_progress_end(struct rt_progress *p)
{
	if (!p->shown)
		return;
	progress_print(p, rt_now());
	fputc('\n', stderr);
}

/* Write all of buf; 0 or an errno. */
int
rt_writeall(const struct rt_fs *fs, int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = fs->write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno;
		if (n == 0)
			return EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copy everything from sfd to dfd; 0 or an errno, with *wrerrp telling
 * whether writing (rather than reading) failed.
 */
int
rt_copyfd(const struct rt_fs *sfs, int sfd, const struct rt_fs *dfs,
    int dfd, struct rt_progress *p, bool *wrerrp)
{
	char *buf = rt_malloc(RT_BUFSIZE);
	ssize_t n;
	int error = 0;

	*wrerrp = false;
	for (;;) {
		n = sfs->read(sfd, buf, RT_BUFSIZE);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = n == -1 ? errno : 0;
			break;
		}
		error = rt_writeall(dfs, dfd, buf, (size_t)n);
		if (error != 0) {
			*wrerrp = true;
			break;
		}
		if (p != NULL)
			rt_progress_update(p, (uint64_t)n);
	}
	free(buf);
	return error;
}
