/*
 * rumpuser_thread.c: host threads and each thread's current lwp.
 *
 * Threads are pthreads; a joinable thread's pthread_t is its cookie.
 * The current lwp is a thread-local pointer.  A thread that exits while
 * it still has one tells the kernel through the hyp_lwpexit upcall, from
 * a pthread key destructor, so that the kernel can free implicit lwps.
 * Priority and CPU hints are left to the host scheduler.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "rumpuser_int.h"

_Static_assert(sizeof(pthread_t) <= sizeof(void *),
    "a pthread_t does not fit in a thread cookie");

/* initial-exec: curlwp is read on every system call, and this library is
 * loaded at program start, so a direct %fs-relative access is safe. */
#define TLS_IE	__attribute__((__tls_model__("initial-exec")))
static __thread struct lwp	*curlwp TLS_IE;
static __thread int		 lwpexit_armed TLS_IE;	/* key value set */

static pthread_key_t		 lwpexit_key;
static pthread_once_t		 lwpexit_once = PTHREAD_ONCE_INIT;

int
rumpuser_thread_create(void *(*fn)(void *), void *arg, const char *name,
    int mustjoin, int priority, int cpuidx, void **cookie)
{
	char shortname[16];
	pthread_t pt;
	int error;

	if ((error = pthread_create(&pt, NULL, fn, arg)) != 0)
		return errtokern(error);
	if (name != NULL) {
		strncpy(shortname, name, sizeof(shortname) - 1);
		shortname[sizeof(shortname) - 1] = '\0';
		pthread_setname_np(pt, shortname);
	}
	if (mustjoin)
		*cookie = (void *)(uintptr_t)pt;
	else
		pthread_detach(pt);
	return 0;
}

void
rumpuser_thread_exit(void)
{
	pthread_exit(NULL);
}

int
rumpuser_thread_join(void *cookie)
{
	pthread_t pt = (pthread_t)(uintptr_t)cookie;
	int error, nlocks;

	if ((error = pthread_tryjoin_np(pt, NULL)) != EBUSY)
		return errtokern(error);
	cpu_release(&nlocks, NULL);
	error = pthread_join(pt, NULL);
	cpu_retake(nlocks, NULL);
	return errtokern(error);
}

/* Runs in an exiting thread that set a current lwp at least once. */
static void
lwpexit_destructor(void *unused)
{
	if (curlwp != NULL && rumpuser__hyp.hyp_lwpexit != NULL)
		rumpuser__hyp.hyp_lwpexit();
}

static void
lwpexit_keycreate(void)
{
	pthread_key_create(&lwpexit_key, lwpexit_destructor);
}

static void
lwpexit_arm(void)
{
	pthread_once(&lwpexit_once, lwpexit_keycreate);
	pthread_setspecific(lwpexit_key, &lwpexit_key);
	lwpexit_armed = 1;
}

void
rumpuser_curlwpop(int op, struct lwp *l)
{
	switch (op) {
	case RUMPUSER_LWP_CREATE:
	case RUMPUSER_LWP_DESTROY:
		break;
	case RUMPUSER_LWP_SET:
		if (!lwpexit_armed)
			lwpexit_arm();
		curlwp = l;
		break;
	case RUMPUSER_LWP_CLEAR:
		curlwp = NULL;
		break;
	}
}

struct lwp *
rumpuser_curlwp(void)
{
	return curlwp;
}
