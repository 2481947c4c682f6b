/*
 * cprng.c: random numbers for the kernel, taken from the host with
 * rumpuser_getrandom() on every call (no state, no lock).  The host
 * failing to deliver random bytes is fatal.
 */

#include <kern/types.h>
#include <kern/kern.h>
#include <lib/lib.h>
#include <rump/rumpuser.h>

void
cprng_fast(void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got;
	int error;

	while (len > 0) {
		got = 0;
		error = rumpuser_getrandom(p, len, RUMPUSER_RANDOM_NOWAIT,
		    &got);
		if (error != 0 || got == 0 || got > len)
			panic("cprng: host random source failed (error %d, "
			    "%zu of %zu bytes)", error, got, len);
		p += got;
		len -= got;
	}
}

uint32_t
cprng_fast32(void)
{
	uint32_t v;

	cprng_fast(&v, sizeof(v));
	return v;
}
