/*
 * kmem.c: the kernel memory allocator.
 *
 * Objects up to KMEM_SLAB_MAX bytes come from size classes carved out of
 * 64 KiB slabs (aligned, so an object finds its slab by masking its
 * address).  Slabs are cut from 1 MiB chunks taken from the host; a slab
 * that becomes entirely free (other than its class's last partial one)
 * returns to the slab stash for any class to reuse.  A new slab hands out
 * objects from a bump pointer, so its pages are touched only as they are
 * used; freed objects go on the slab's free list.  Larger objects are
 * allocated directly from the host.  Every byte taken from the host (whole
 * chunks, large objects) counts against the limit (RUMP_MEMLIMIT);
 * allocation past it fails with NULL.
 *
 * With KMEM_DIRECT (sanitizer builds) every object is a separate host
 * allocation so that the sanitizer sees each object's bounds.
 *
 * Locking: each class has a spin mutex protecting its slab list and the
 * free lists of its slabs; stash_lock protects the stash and is taken
 * inside a class lock; kmem_used is atomic.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <rump/rumpuser.h>

#define KMEM_SLAB_SIZE	65536
#define KMEM_SLAB_MAX	4096
#define KMEM_ALIGN	16
#define KMEM_CHUNK	(16 * KMEM_SLAB_SIZE)

struct slab;

struct kmem_class {
	kmutex_t		 kc_lock;
	size_t			 kc_size;	/* constant */
	TAILQ_HEAD(, slab)	 kc_partial;	/* slabs with free objects */
};

struct slab {
	struct kmem_class	*sl_class;	/* constant */
	TAILQ_ENTRY(slab)	 sl_link;	/* kc_lock, while partial */
	void			*sl_free;	/* kc_lock: freed objects */
	char			*sl_bump;	/* kc_lock: never used yet */
	unsigned int		 sl_nfree;	/* kc_lock: free + unused */
	unsigned int		 sl_nobj;	/* constant */
};

static const size_t kmem_sizes[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048,
	3072, 4096
};
#define KMEM_NCLASSES	__arraycount(kmem_sizes)

static struct kmem_class kmem_classes[KMEM_NCLASSES];
/* size / 16 -> class index, for sizes up to KMEM_SLAB_MAX */
static uint8_t kmem_index[KMEM_SLAB_MAX / KMEM_ALIGN + 1];
static uint64_t kmem_used;	/* atomic: bytes taken from the host */
static kmutex_t stash_lock;
static void *stash_free;	/* stash_lock: returned slabs, linked */
static char *stash_bump;	/* stash_lock: uncut part of the chunk */
static char *stash_end;
static uint64_t kmem_max;	/* 0: unlimited; constant after init */

static bool
kmem_charge(size_t n)
{
	uint64_t now;

	now = __atomic_add_fetch(&kmem_used, n, __ATOMIC_RELAXED);
	if (kmem_max != 0 && now > kmem_max) {
		__atomic_sub_fetch(&kmem_used, n, __ATOMIC_RELAXED);
		return false;
	}
	return true;
}

static void
kmem_uncharge(size_t n)
{

	__atomic_sub_fetch(&kmem_used, n, __ATOMIC_RELAXED);
}

static void *
kmem_host_alloc(size_t n, int align)
{
	void *p;

	if (!kmem_charge(n))
		return NULL;
	if (rumpuser_malloc(n, align, &p) != 0) {
		kmem_uncharge(n);
		return NULL;
	}
	return p;
}

static void
kmem_host_free(void *p, size_t n)
{

	rumpuser_free(p, n);
	kmem_uncharge(n);
}

/* A slab's worth of memory from the stash, cutting a new chunk if
 * needed. */
static void *
stash_get(void)
{
	void *mem;

	mutex_enter(&stash_lock);
	mem = stash_free;
	if (mem != NULL)
		stash_free = *(void **)mem;
	else {
		if (stash_bump == stash_end) {
			stash_bump = kmem_host_alloc(KMEM_CHUNK,
			    KMEM_SLAB_SIZE);
			stash_end = stash_bump == NULL ? NULL :
			    stash_bump + KMEM_CHUNK;
		}
		mem = stash_bump;
		if (mem != NULL)
			stash_bump += KMEM_SLAB_SIZE;
	}
	mutex_exit(&stash_lock);
	return mem;
}

static void
stash_put(void *mem)
{

	mutex_enter(&stash_lock);
	*(void **)mem = stash_free;
	stash_free = mem;
	mutex_exit(&stash_lock);
}

static struct slab *
slab_create(struct kmem_class *kc)
{
	struct slab *sl;
	size_t hdr;

	sl = stash_get();
	if (sl == NULL)
		return NULL;
	hdr = roundup(sizeof(*sl), KMEM_ALIGN);
	sl->sl_class = kc;
	sl->sl_free = NULL;
	sl->sl_bump = (char *)sl + hdr;
	sl->sl_nobj = (unsigned int)((KMEM_SLAB_SIZE - hdr) / kc->kc_size);
	sl->sl_nfree = sl->sl_nobj;
	return sl;
}

static void *
slab_take(struct slab *sl)
{
	void *obj;

	obj = sl->sl_free;
	if (obj != NULL)
		sl->sl_free = *(void **)obj;
	else {
		obj = sl->sl_bump;
		sl->sl_bump += sl->sl_class->kc_size;
	}
	sl->sl_nfree--;
	return obj;
}

static void *
slab_alloc(struct kmem_class *kc)
{
	struct slab *sl;
	void *obj;

	mutex_enter(&kc->kc_lock);
	sl = TAILQ_FIRST(&kc->kc_partial);
	if (sl == NULL) {
		sl = slab_create(kc);
		if (sl == NULL) {
			mutex_exit(&kc->kc_lock);
			return NULL;
		}
		TAILQ_INSERT_HEAD(&kc->kc_partial, sl, sl_link);
	}
	obj = slab_take(sl);
	if (sl->sl_nfree == 0)
		TAILQ_REMOVE(&kc->kc_partial, sl, sl_link);
	mutex_exit(&kc->kc_lock);
	return obj;
}

static void
slab_free(void *obj)
{
	struct slab *sl;
	struct kmem_class *kc;
	bool release = false;

	sl = (struct slab *)((uintptr_t)obj & ~(uintptr_t)(KMEM_SLAB_SIZE - 1));
	kc = sl->sl_class;
	mutex_enter(&kc->kc_lock);
	*(void **)obj = sl->sl_free;
	sl->sl_free = obj;
	if (sl->sl_nfree++ == 0)
		TAILQ_INSERT_TAIL(&kc->kc_partial, sl, sl_link);
	if (sl->sl_nfree == sl->sl_nobj &&
	    (TAILQ_FIRST(&kc->kc_partial) != sl ||
	    TAILQ_NEXT(sl, sl_link) != NULL)) {
		TAILQ_REMOVE(&kc->kc_partial, sl, sl_link);
		release = true;
	}
	mutex_exit(&kc->kc_lock);
	if (release)
		stash_put(sl);
}

static inline bool
kmem_use_slab(size_t n)
{
#ifdef KMEM_DIRECT
	return false;
#else
	return n <= KMEM_SLAB_MAX;
#endif
}

void *
kmem_alloc(size_t n)
{

	KASSERT(n != 0);
	if (kmem_use_slab(n))
		return slab_alloc(&kmem_classes[kmem_index[howmany(n,
		    KMEM_ALIGN)]]);
	if (n > SIZE_MAX - KMEM_ALIGN)
		return NULL;
	return kmem_host_alloc(roundup(n, KMEM_ALIGN), 0);
}

void *
kmem_zalloc(size_t n)
{
	void *p;

	p = kmem_alloc(n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

void
kmem_free(void *p, size_t n)
{

	KASSERT(p != NULL && n != 0);
	if (kmem_use_slab(n))
		slab_free(p);
	else
		kmem_host_free(p, roundup(n, KMEM_ALIGN));
}

char *
kmem_strdup(const char *s)
{
	size_t n;
	char *p;

	n = strlen(s) + 1;
	p = kmem_alloc(n);
	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

void
kmem_strfree(char *s)
{

	kmem_free(s, strlen(s) + 1);
}

uint64_t
kmem_inuse(void)
{

	return __atomic_load_n(&kmem_used, __ATOMIC_RELAXED);
}

uint64_t
kmem_limit(void)
{

	return kmem_max;
}

void
kmem_init(uint64_t limit)
{
	size_t i, s, c;

	kmem_max = limit;
	mutex_init(&stash_lock, MUTEX_SPIN);
	for (i = 0, c = 0; i < KMEM_NCLASSES; i++) {
		kmem_classes[i].kc_size = kmem_sizes[i];
		mutex_init(&kmem_classes[i].kc_lock, MUTEX_SPIN);
		TAILQ_INIT(&kmem_classes[i].kc_partial);
	}
	for (s = 0; s <= KMEM_SLAB_MAX / KMEM_ALIGN; s++) {
		while (kmem_sizes[c] < s * KMEM_ALIGN)
			c++;
		kmem_index[s] = (uint8_t)c;
	}
}
