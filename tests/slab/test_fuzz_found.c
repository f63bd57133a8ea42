/* SPDX-License-Identifier: MIT */
/*
 * Regressions for what the shadow-model fuzzer (tests/fuzz) and the generated first-call test
 * found in the slab allocator; the fuzzer's minimised inputs are in tests/fuzz/regressions.
 *  1. A double kfree of the most recently freed object was not reported, and the object
 *     went into the thread's array twice (kmalloc then returned it twice), when a flush
 *     request (any kmem_cache_shrink) was pending: the slow path gave the arrays back first.
 *  2. A SLAB_TYPESAFE_BY_RCU cache's slabs, freed after a grace period on liburcu's thread,
 *     stayed on that thread's page lists: after kmem_cache_destroy and rcu_barrier, meminfo
 *     still counted them as used.
 *  3. kfree of a direct kmalloc_large() of a small size (an order-0 page) was refused as an
 *     invalid free.
 *  4. kvrealloc(NULL, 0, n), how a growing buffer starts, passed NULL to memcpy (undefined
 *     behaviour: UBSan, in the sanitizer build).
 *  5. As 1, through kmem_cache_free_bulk: the object freed last, freed again in a bulk free
 *     while a flush request was pending, went into the array a second time unreported.
 */
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/swap.h>
#include <linux/rcupdate.h>
#include <ukmem.h>
#include "ktest.h"

static void double_free_with_flush_pending(void)
{
	void *q = kmalloc(563, GFP_KERNEL), *p = kmalloc(563, GFP_KERNEL), *a, *b;
	unsigned long reports;

	kfree(q);
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][6]);	/* asks every thread to flush */
	reports = ukmem_report_count();
	kt_capture_begin();
	kfree(p);
	kfree(p);
	free(kt_capture_end());
	KT_EQ(ukmem_report_count(), reports + 1);
	a = kmalloc(563, GFP_KERNEL);
	b = kmalloc(563, GFP_KERNEL);
	KT_NE(a, b);
	kfree(a);
	kfree(b);
}

static void typesafe_by_rcu_pages_come_back(void)
{
	struct kmem_cache *s;
	unsigned long before;
	void *objs[512];

	drain_local_pages(NULL);
	rcu_barrier();
	before = nr_free_pages();
	s = kmem_cache_create("fuzz_found_rcu", 200, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	KT_ASSERT(s);
	for (int i = 0; i < 512; i++)
		KT_ASSERT(objs[i] = kmem_cache_alloc(s, GFP_KERNEL));
	for (int i = 0; i < 512; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	rcu_barrier();
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), before);
}

static void small_kmalloc_large(void)
{
	unsigned long reports = ukmem_report_count();
	void *p = kmalloc_large(64, GFP_KERNEL);

	KT_ASSERT(p);
	KT_ASSERT(ksize(p) >= 64);
	kfree(p);
	KT_EQ(ukmem_report_count(), reports);
}

static void bulk_double_free_with_flush_pending(void)
{
	struct kmem_cache *s = kmem_cache_create("fuzz_found_bulk", 100, 0, 0, NULL);
	void *q = kmem_cache_alloc(s, GFP_KERNEL), *p = kmem_cache_alloc(s, GFP_KERNEL), *a, *b;
	unsigned long reports;

	kmem_cache_free(s, q);		/* the thread's hot object (src/slab/slab.h) */
	kmem_cache_free(s, p);		/* the array, beneath the hot object */
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][6]);	/* asks every thread to flush */
	/* The shrink spilled the hot object q onto the array, on top of p: q is the object the
	 * thread freed last as its allocator sees it (the next allocation returns it), so q is
	 * the one freed again.  Before the hot object existed, p was on top. */
	reports = ukmem_report_count();
	kt_capture_begin();
	kmem_cache_free_bulk(s, 1, &q);
	free(kt_capture_end());
	KT_EQ(ukmem_report_count(), reports + 1);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KT_NE(a, b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

static void kvrealloc_from_null(void)
{
	char *p = kvrealloc(NULL, 0, 100, GFP_KERNEL);

	KT_ASSERT(p);
	memset(p, 1, 100);
	p = kvrealloc(p, 100, 1 << 20, GFP_KERNEL);	/* and on into vmalloc */
	KT_ASSERT(p && p[99] == 1);
	kvfree(p);
}

int main(void)
{
	double_free_with_flush_pending();
	typesafe_by_rcu_pages_come_back();
	small_kmalloc_large();
	kvrealloc_from_null();
	bulk_double_free_with_flush_pending();
	KT_EQ(ukmem_exit(), 2);		/* the double frees */
	printf("test_fuzz_found: ok\n");
	return 0;
}
