/* SPDX-License-Identifier: MIT */
/*
 * kmemleak leaves SLAB_NOLEAKTRACE caches alone, as 6.1's (kmemleak_alloc_recursive does
 * not track their objects): an object of one still allocated at exit is no leak, with or
 * without kmemleak.stacks=on.  An object of an ordinary cache still is (both were leaks).
 */
#include <stdio.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static void *keep[2];	/* still allocated at exit */

int main(void)
{
	struct kmem_cache *quiet = kmem_cache_create("quiet", 40, 0, SLAB_NOLEAKTRACE, NULL);
	struct kmem_cache *loud = kmem_cache_create("loud", 40, 0, 0, NULL);
	char *out;

	KT_ASSERT(quiet && loud);
	keep[0] = kmem_cache_alloc(quiet, GFP_KERNEL);
	keep[1] = kmem_cache_alloc(loud, GFP_KERNEL);
	KT_ASSERT(keep[0] && keep[1]);
	kt_capture_begin();
	KT_EQ(ukmem_exit(), 1);			/* loud's object only */
	out = kt_capture_end();
	KT_CONTAINS(out, "kmemleak: 1 new suspected memory leaks");
	free(out);
	printf("test_kmemleak_noleaktrace: ok\n");
	return 0;
}
