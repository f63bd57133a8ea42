/* SPDX-License-Identifier: MIT */
/* kmem_cache_free with a cache the object is not from: the kernel's cache_from_obj warning,
 * then the object goes back to the cache it is from (6.1's kmem_cache_free frees it there),
 * so both caches are empty at their destroy: no "Slab cache still has objects". */
#define BUG_FIRST_LINE	"cache_from_obj: Wrong slab cache. bug_a but object is from bug_b"
#define BUG_SIGNAL	0
#define BUG_PROBLEMS	"1"	/* the warning alone: nothing leaked, no busy cache */
#include "bug.h"

static BUG_FN void use(bool wrong)
{
	struct kmem_cache *a = kmem_cache_create("bug_a", 48, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("bug_b", 48, 0, 0, NULL);
	void *o = kmem_cache_alloc(b, GFP_KERNEL);

	kmem_cache_free(wrong ? a : b, o);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
