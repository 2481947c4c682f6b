/*
 * rumpuser_bio.c: asynchronous block I/O.
 *
 * rumpuser_bio() queues a request and returns; a small pool of worker
 * threads, started on first use, performs it with pread/pwrite and calls
 * the kernel's biodone from the worker, holding no virtual CPU.  The
 * pool size is RUMP_BIOTHREADS (1..BIO_MAXTHREADS), default 4.
 *
 * Locking: bioq.lock protects the queue; it is never held during I/O
 * or while calling back into the kernel.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "rumpuser_int.h"

#define BIO_DEFTHREADS	4
#define BIO_MAXTHREADS	64

struct biorequest {
	struct biorequest	*next;
	int			 fd;
	int			 op;
	char			*data;
	size_t			 len;
	int64_t			 off;
	rump_biodone_fn		 biodone;
	void			*arg;
};

static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cv;		/* signalled on enqueue */
	struct biorequest	*head;		/* oldest request */
	struct biorequest	**tailp;	/* where the next one goes */
	int			 nworkers;	/* set once, by bio_start */
} bioq = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.tailp = &bioq.head,
};

static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

/* Transfer the whole request; a read that meets end of file is short. */
static int
bio_transfer(const struct biorequest *req, size_t *donep)
{
	size_t done = 0;
	ssize_t n;
	int error = 0;

	while (done < req->len && error == 0) {
		if (req->op & RUMPUSER_BIO_WRITE)
			n = pwrite(req->fd, req->data + done, req->len - done,
			    req->off + (int64_t)done);
		else
			n = pread(req->fd, req->data + done, req->len - done,
			    req->off + (int64_t)done);
		if (n == -1 && errno != EINTR)
			error = errno;
		else if (n == 0)
			break;
		else if (n > 0)
			done += (size_t)n;
	}
	*donep = done;
	return error;
}

static int
bio_sync(int fd)
{
	while (fdatasync(fd) == -1) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

static void
bio_perform(const struct biorequest *req)
{
	size_t done;
	int error;

	error = bio_transfer(req, &done);
	if (error == 0 && (req->op & RUMPUSER_BIO_WRITE) &&
	    (req->op & RUMPUSER_BIO_SYNC))
		error = bio_sync(req->fd);
	req->biodone(req->arg, done, errtokern(error));
}

/* Wait for the oldest request and take it off the queue. */
static struct biorequest *
bio_dequeue(void)
{
	struct biorequest *req;

	pthread_mutex_lock(&bioq.lock);
	while (bioq.head == NULL)
		pthread_cond_wait(&bioq.cv, &bioq.lock);
	req = bioq.head;
	if ((bioq.head = req->next) == NULL)
		bioq.tailp = &bioq.head;
	pthread_mutex_unlock(&bioq.lock);
	return req;
}

static void *
bio_worker(void *unused)
{
	struct biorequest *req;

	while ((req = bio_dequeue()) != NULL) {
		bio_perform(req);
		free(req);
	}
	return NULL;
}

static int
bio_poolsize(void)
{
	const char *s = getenv("RUMP_BIOTHREADS");
	int n;

	if (s == NULL || (n = atoi(s)) < 1)
		return BIO_DEFTHREADS;
	return n < BIO_MAXTHREADS ? n : BIO_MAXTHREADS;
}

static void
bio_start(void)
{
	pthread_attr_t attr;
	pthread_t pt;
	int i, n = bio_poolsize();

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < n; i++) {
		if (pthread_create(&pt, &attr, bio_worker, NULL) != 0)
			break;
		pthread_setname_np(pt, "rumpuser_bio");
	}
	pthread_attr_destroy(&attr);
	bioq.nworkers = i;
}

/* Fail a request that cannot be queued; biodone never holds a CPU. */
static void
bio_fail(rump_biodone_fn biodone, void *arg, int error)
{
	int nlocks;

	cpu_release(&nlocks, NULL);
	biodone(arg, 0, errtokern(error));
	cpu_retake(nlocks, NULL);
}

void
rumpuser_bio(int fd, int op, void *data, size_t len, int64_t off,
    rump_biodone_fn biodone, void *arg)
{
	struct biorequest *req;

	pthread_once(&bio_once, bio_start);
	if (bioq.nworkers == 0) {
		bio_fail(biodone, arg, EAGAIN);
		return;
	}
	if ((req = malloc(sizeof(*req))) == NULL) {
		bio_fail(biodone, arg, ENOMEM);
		return;
	}
	*req = (struct biorequest){ .fd = fd, .op = op, .data = data,
	    .len = len, .off = off, .biodone = biodone, .arg = arg };
	pthread_mutex_lock(&bioq.lock);
	*bioq.tailp = req;
	bioq.tailp = &req->next;
	pthread_cond_signal(&bioq.cv);
	pthread_mutex_unlock(&bioq.lock);
}
