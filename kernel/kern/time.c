/*
 * time.c: the kernel's view of time, read from the host clocks through
 * rumpuser_clock_gettime(), and kpause_ns() for sleeping without a
 * channel.  Time is kept as nanoseconds in a uint64_t (monotonic) or a
 * struct timespec (wall clock).
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <lib/lib.h>
#include <abi/time.h>
#include <rump/rumpuser.h>

#define NSEC_PER_SEC	1000000000ULL

uint64_t
getnanouptime(void)
{
	int64_t sec;
	long nsec;
	int error;

	error = rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	if (error != 0)
		panic("getnanouptime: host monotonic clock failed: %d", error);
	return (uint64_t)sec * NSEC_PER_SEC + (uint64_t)nsec;
}

void
getnanotime(struct timespec *ts)
{
	int64_t sec;
	long nsec;
	int error;

	error = rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec);
	if (error != 0)
		panic("getnanotime: host wall clock failed: %d", error);
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

/* Sleep for ns nanoseconds; the hypercall gives up the CPU meanwhile. */
void
kpause_ns(uint64_t ns)
{
	uint64_t deadline;

	if (ns == 0)
		return;
	deadline = getnanouptime();
	deadline = ns > UINT64_MAX - deadline ? UINT64_MAX : deadline + ns;
	rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    (int64_t)(deadline / NSEC_PER_SEC),
	    (long)(deadline % NSEC_PER_SEC));
}
