/*
 * rumpuser_clock.c: time for the kernel.
 *
 * RELWALL is the host's wall clock (sleeps on it are relative); ABSMONO
 * is the monotonic clock (sleeps on it run until an absolute time).
 */
#include <time.h>

#include "rumpuser_int.h"

static int
host_clock(int clk, clockid_t *idp)
{
	switch (clk) {
	case RUMPUSER_CLOCK_RELWALL:
		*idp = CLOCK_REALTIME;
		return 0;
	case RUMPUSER_CLOCK_ABSMONO:
		*idp = CLOCK_MONOTONIC;
		return 0;
	default:
		return EINVAL;
	}
}

int
rumpuser_clock_gettime(int clk, int64_t *sec, long *nsec)
{
	struct timespec ts;
	clockid_t id;
	int error;

	if ((error = host_clock(clk, &id)) != 0)
		return errtokern(error);
	if (clock_gettime(id, &ts) == -1)
		return errtokern(errno);
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

/* Sleeps are restarted after a signal, for the remaining time. */
int
rumpuser_clock_sleep(int clk, int64_t sec, long nsec)
{
	struct timespec ts = { .tv_sec = sec, .tv_nsec = nsec };
	int error, nlocks;

	if (clk != RUMPUSER_CLOCK_RELWALL && clk != RUMPUSER_CLOCK_ABSMONO)
		return errtokern(EINVAL);
	cpu_release(&nlocks, NULL);
	do {
		if (clk == RUMPUSER_CLOCK_RELWALL)
			error = nanosleep(&ts, &ts) == -1 ? errno : 0;
		else
			error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &ts, NULL);
	} while (error == EINTR);
	cpu_retake(nlocks, NULL);
	return errtokern(error);
}
