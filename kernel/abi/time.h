/*
 * time.h: struct timespec/timeval and clock ids as on Linux x86-64.
 */
#ifndef _ABI_TIME_H_
#define _ABI_TIME_H_

#include <kern/types.h>

struct timespec {
	int64_t	tv_sec;
	long	tv_nsec;
};

struct timeval {
	int64_t	tv_sec;
	long	tv_usec;
};

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1

#endif /* _ABI_TIME_H_ */
