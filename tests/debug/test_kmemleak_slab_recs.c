/* SPDX-License-Identifier: MIT */
/*
 * kmemleak's records of slab objects live in an array beside their slab (src/debug/kmemleak.c),
 * made when an object of the slab first gets a record and given up when the slab goes back
 * to the page allocator.  With kmemleak.stacks=on every allocation records its stack.  A
 cache's objects are flagged (kmemleak_not_leak, kmemleak_ignore), freed, and the cache
 * destroyed, so its slabs go; a second cache of another object size then takes the same
 * pages.  Its objects (some at the addresses of the flagged ones) are all reported when they
 * leak, with their own size and stack: nothing of the first cache's records is left over.
 * Before that, an object flagged, freed and allocated again inside a live slab is reported
 * with the second allocation's stack.
 */
#include <string.h>
#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define NR	200

static noinline void *alloc_first(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	__asm__ volatile("" : : "r"(p) : "memory");	/* no tail call: this frame is in the stack */
	return p;
}

/* Each with its own flags, so that no compiler folds the three into one function. */
static noinline void *alloc_second(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOWARN);

	__asm__ volatile("" : : "r"(p) : "memory");	/* no tail call: this frame is in the stack */
	return p;
}

static noinline void *alloc_again(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c, GFP_KERNEL | __GFP_ZERO);

	__asm__ volatile("" : : "r"(p) : "memory");	/* no tail call: this frame is in the stack */
	return p;
}

static unsigned long count(const char *hay, const char *needle)
{
	unsigned long n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

int main(void)
{
	struct kmem_cache *live = kmem_cache_create("recs_live", 96, 0, 0, NULL);
	struct kmem_cache *a = kmem_cache_create("recs_a", 192, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("recs_b", 200, 0, 0, NULL);
	static void *pa[NR], *pb[NR];
	unsigned long reused = 0;
	char *out, line[96];
	void *x, *y;

	KT_ASSERT(live && a && b);
	/* inside a live slab: the flag goes with the object, the next one has its own record */
	x = alloc_first(live);
	KT_ASSERT(x);
	kmemleak_not_leak(x);
	kmem_cache_free(live, x);
	y = alloc_again(live);
	KT_ASSERT(y == x);		/* a hooked thread takes the slab's last free object */

	/* a's slabs go with their records; b takes their pages */
	for (int i = 0; i < NR; i++) {
		KT_ASSERT((pa[i] = alloc_first(a)) != NULL);
		if (i % 2)
			kmemleak_not_leak(pa[i]);
		else
			kmemleak_ignore(pa[i]);
	}
	for (int i = 0; i < NR; i++)
		kmem_cache_free(a, pa[i]);
	kmem_cache_destroy(a);
	for (int i = 0; i < NR; i++) {
		KT_ASSERT((pb[i] = alloc_second(b)) != NULL);
		for (int j = 0; j < NR; j++)
			reused += pb[i] == pa[j];
	}
	KT_ASSERT(reused > 0);		/* b's objects at addresses of a's flagged ones */
	KT_EQ(ukmem_report_count(), 0);
	kt_capture_begin();
	KT_EQ(ukmem_exit(), NR + 1);
	out = kt_capture_end();
	snprintf(line, sizeof(line), "kmemleak: %d new suspected memory leaks", NR + 1);
	KT_CONTAINS(out, line);
	snprintf(line, sizeof(line), "unreferenced object 0x%08lx (size 96)", (unsigned long)y);
	KT_CONTAINS(out, line);
	KT_CONTAINS(out, "alloc_again");
	KT_CONTAINS(out, "alloc_second");
	KT_NOT_CONTAINS(out, "alloc_first");
	KT_EQ(count(out, "(size 200)"), 16);	/* a group's first 16, then "... and 184 more" */
	KT_CONTAINS(out, "... and 184 more unreferenced objects (36800 bytes)");
	KT_NOT_CONTAINS(out, "(size 192)");
	free(out);
	printf("test_kmemleak_slab_recs: ok (%lu of b's objects where a's were)\n", reused);
	return 0;
}
