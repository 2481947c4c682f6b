/*
 * rumpuser_mem.c: memory for the kernel, straight from the host's malloc.
 *
 * The kernel does its own pooling and accounting (RUMP_MEMLIMIT); this
 * file only honours the alignment it asks for.
 */
#include <stdlib.h>

#include "rumpuser_int.h"

/* alignment: 0 for pointer alignment, else a power of two. */
int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	size_t align = (size_t)alignment;
	int error;

	if (alignment < 0 || (align & (align - 1)) != 0)
		return errtokern(EINVAL);
	if (align < sizeof(void *))
		align = sizeof(void *);
	error = posix_memalign(memp, align, len);
	return errtokern(error);
}

void
rumpuser_free(void *mem, size_t len)
{
	free(mem);
}
