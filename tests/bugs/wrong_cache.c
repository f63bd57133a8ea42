/* SPDX-License-Identifier: MIT */
/* kmem_cache_free with a cache the object is not from: the kernel's cache_from_obj warning;
 * the free is refused and both caches stay intact. */
#define BUG_FIRST_LINE	"cache_from_obj: Wrong slab cache. bug_a but object is from bug_b"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool wrong)
{
	struct kmem_cache *a = kmem_cache_create("bug_a", 48, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("bug_b", 48, 0, 0, NULL);
	void *o = kmem_cache_alloc(b, GFP_KERNEL);

	if (wrong)
		kmem_cache_free(a, o);
	kmem_cache_free(b, o);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
