/* SPDX-License-Identifier: MIT */
/* Default mode: an object freed twice whose second copy waits in a thread's array of free
 * objects while its slab empties and goes back to the page allocator.  The cheap free checks
 * pass (the slab is alive at the second free); when the array is flushed (here: the thread
 * exits) the copy must be found and dropped, not given to a page that is no longer a slab
 * (the flush used to dereference the missing slab and crash the process, or to write into
 * the struct page of whatever owned the page now).  The page, reused meanwhile, keeps its
 * contents and the cache goes on working. */
#define BUG_FIRST_LINE	"BUG: KASAN: double-free in"
#define BUG_SIGNAL	0
#include <pthread.h>
#include "bug.h"

static struct kmem_cache *cache;
static void *second;
static pthread_barrier_t freed, go;

static void *free_again(void *arg)
{
	if (arg)
		kmem_cache_free(cache, second);	/* into this thread's array */
	pthread_barrier_wait(&freed);
	pthread_barrier_wait(&go);
	return NULL;				/* the array is flushed at exit */
}

static BUG_FN void use(bool twice)
{
	unsigned long page;
	pthread_t t;
	void *a, *b, *x, *y;

	cache = kmem_cache_create("dbl_gone", 128, 0, 0, NULL);
	KT_ASSERT(cache);
	a = kmem_cache_alloc(cache, GFP_KERNEL);
	b = kmem_cache_alloc(cache, GFP_KERNEL);
	KT_ASSERT(a && b && virt_to_page(a) == virt_to_page(b));
	kmem_cache_free(cache, b);
	kmem_cache_shrink(cache);		/* b is free in its slab */
	second = b;
	pthread_barrier_init(&freed, NULL, 2);
	pthread_barrier_init(&go, NULL, 2);
	KT_EQ(pthread_create(&t, NULL, free_again, twice ? cache : NULL), 0);
	pthread_barrier_wait(&freed);
	kmem_cache_free(cache, a);
	KT_EQ(kmem_cache_shrink(cache), 0);	/* the slab is empty: its page goes back */
	page = __get_free_page(GFP_KERNEL);	/* most likely that very page */
	KT_ASSERT(page);
	memset((void *)page, 0x5a, PAGE_SIZE);
	pthread_barrier_wait(&go);
	pthread_join(t, NULL);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		KT_EQ(((unsigned char *)page)[i], 0x5a);
	x = kmem_cache_alloc(cache, GFP_KERNEL);
	y = kmem_cache_alloc(cache, GFP_KERNEL);
	KT_ASSERT(x && y && x != y);
	kmem_cache_free(cache, x);
	kmem_cache_free(cache, y);
	free_page(page);
	kmem_cache_destroy(cache);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
