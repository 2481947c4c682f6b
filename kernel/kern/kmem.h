/*
 * kmem.h: the kernel memory allocator.
 *
 * Size classes for small objects, direct hypercall allocation for large
 * ones.  All memory counts against RUMP_MEMLIMIT: when the limit would be
 * exceeded kmem_alloc() returns NULL and callers return ENOMEM, so the
 * host never runs out of memory on the kernel's behalf.  The size passed
 * to kmem_free() must equal the size allocated.
 */
#ifndef _KERN_KMEM_H_
#define _KERN_KMEM_H_

#include <kern/types.h>

void	*kmem_alloc(size_t);
void	*kmem_zalloc(size_t);
void	 kmem_free(void *, size_t);
/* Duplicate a NUL-terminated string; free with kmem_strfree(). */
char	*kmem_strdup(const char *);
void	 kmem_strfree(char *);

/* Bytes in use (for statistics and tests), and the limit (0 = none). */
uint64_t kmem_inuse(void);
uint64_t kmem_limit(void);

/* Boot-time initialisation with the limit in bytes (0 = unlimited). */
void	 kmem_init(uint64_t);

#endif /* _KERN_KMEM_H_ */
