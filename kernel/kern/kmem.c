/*
 * kmem.c: the kernel memory allocator.
 *
 * Objects up to KMEM_SLAB_MAX bytes come from size classes carved out of
 * 64 KiB slabs (aligned, so an object finds its slab by masking its
 * address); a slab that becomes entirely free goes back to the host unless
 * it is the class's last partial slab.  Larger objects are allocated
 * directly from the host.  Every byte taken from the host counts against
 * the limit (RUMP_MEMLIMIT); allocation past it fails with NULL.
 *
 * With KMEM_DIRECT (sanitizer builds) every object is a separate host
 * allocation so that the sanitizer sees each object's bounds.
 *
 * Locking: each class has a spin mutex protecting its slab list and the
 * free lists of its slabs; kmem_used is atomic.
 */
#include <kern/types.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <lib/lib.h>
#include <lib/queue.h>
#include <rump/rumpuser.h>

#define KMEM_SLAB_SIZE	65536
#define KMEM_SLAB_MAX	1024
#define KMEM_ALIGN	16

struct slab;

struct kmem_class {
	kmutex_t		 kc_lock;
	size_t			 kc_size;	/* constant */
	TAILQ_HEAD(, slab)	 kc_partial;	/* slabs with free objects */
};

struct slab {
	struct kmem_class	*sl_class;	/* constant */
	TAILQ_ENTRY(slab)	 sl_link;	/* kc_lock, while partial */
	void			*sl_free;	/* kc_lock: free objects */
	unsigned int		 sl_nfree;	/* kc_lock */
	unsigned int		 sl_nobj;	/* constant */
};

static const size_t kmem_sizes[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024
};
#define KMEM_NCLASSES	__arraycount(kmem_sizes)

static struct kmem_class kmem_classes[KMEM_NCLASSES];
/* size / 16 -> class index, for sizes up to KMEM_SLAB_MAX */
static uint8_t kmem_index[KMEM_SLAB_MAX / KMEM_ALIGN + 1];
static uint64_t kmem_used;	/* atomic: bytes taken from the host */
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

static struct slab *
slab_create(struct kmem_class *kc)
{
	struct slab *sl;
	char *obj, *end;

	sl = kmem_host_alloc(KMEM_SLAB_SIZE, KMEM_SLAB_SIZE);
	if (sl == NULL)
		return NULL;
	sl->sl_class = kc;
	sl->sl_free = NULL;
	sl->sl_nobj = 0;
	obj = (char *)sl + roundup(sizeof(*sl), KMEM_ALIGN);
	end = (char *)sl + KMEM_SLAB_SIZE;
	for (; obj + kc->kc_size <= end; obj += kc->kc_size) {
		*(void **)obj = sl->sl_free;
		sl->sl_free = obj;
		sl->sl_nobj++;
	}
	sl->sl_nfree = sl->sl_nobj;
	return sl;
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
	obj = sl->sl_free;
	sl->sl_free = *(void **)obj;
	if (--sl->sl_nfree == 0)
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
		kmem_host_free(sl, KMEM_SLAB_SIZE);
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
