/* SPDX-License-Identifier: MIT */
/* Default mode, a cache whose slabs keep a free list (more than 64 objects a slab): an object
 * freed a second time after it went back to its slab, with another object freed after it.
 * The second copy reaches the slab when the thread's array is flushed; it must be found on
 * the free list and dropped.  It used to be linked in again, making the free list a cycle
 * (a, b, a, b, ...: every allocation after that handed out the same two objects) and
 * counting the slab empty while an object of it was still live, so the slab's page went
 * back to the page allocator under its owner. */
#define BUG_FIRST_LINE	"BUG: KASAN: double-free in"
#define BUG_SIGNAL	0
#include "bug.h"

#define N	8

static BUG_FN void use(bool twice)
{
	struct kmem_cache *cache = kmem_cache_create("dbl_list", 16, 0, 0, NULL);
	void *a, *b, *live, *p[N];

	KT_ASSERT(cache);
	a = kmem_cache_alloc(cache, GFP_KERNEL);
	b = kmem_cache_alloc(cache, GFP_KERNEL);
	live = kmem_cache_alloc(cache, GFP_KERNEL);
	KT_ASSERT(a && b && live);
	memset(live, 0x5a, 16);
	kmem_cache_free(cache, a);
	kmem_cache_shrink(cache);		/* on its slab's free list, */
	kmem_cache_free(cache, b);
	kmem_cache_shrink(cache);		/* b in front of it */
	if (twice)
		kmem_cache_free(cache, a);
	kmem_cache_shrink(cache);		/* the slab must stay: live is in it */
	for (int i = 0; i < N; i++) {
		p[i] = kmem_cache_alloc(cache, GFP_KERNEL);
		KT_ASSERT(p[i] && p[i] != live);
		for (int j = 0; j < i; j++)
			KT_ASSERT(p[j] != p[i]);
		memset(p[i], 0xa5, 16);
	}
	for (int i = 0; i < 16; i++)
		KT_EQ(((unsigned char *)live)[i], 0x5a);
	for (int i = 0; i < N; i++)
		kmem_cache_free(cache, p[i]);
	kmem_cache_free(cache, live);
	kmem_cache_destroy(cache);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
