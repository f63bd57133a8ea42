/* SPDX-License-Identifier: MIT */
/*
 * slub_debug with cache lists (FZPU for kmalloc-64 and the dbg_* caches, T for "traced"):
 * the debug layout shows in slabinfo, other caches keep theirs, objects come poisoned and
 * naturally aligned, ksize/krealloc/bulk/kfree_rcu/constructors work on debug caches without
 * a report, a red-zone overwrite gives exactly one report with its track and is repaired, a
 * cache's own SLAB_RED_ZONE... flags debug it too, and trace prints every alloc and free of
 * the traced cache.
 */
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <ukmem.h>
#include "ktest.h"

static void ctor(void *p)
{
	memset(p, 0x3c, 40);
}

struct rcu_obj {
	struct rcu_head rcu;
	char data[40];
};

int main(void)
{
	struct kmem_cache *c, *t;
	unsigned char *p, *q;
	void *bulk[20];
	char *out;

	KT_EQ(ukmem_init("ukmem.annotate=0 slub_debug=FZPU,kmalloc-64,dbg_*;T,traced"), 0);
	/* the layout (SLUB's, with natural alignment for kmalloc's power-of-two classes) */
	KT_EQ(kt_slabinfo("kmalloc-64", 2), 256);
	KT_EQ(kt_slabinfo("kmalloc-128", 2), 128);
	KT_EQ(kt_slabinfo("kmalloc-32", 2), 32);

	p = kmalloc(64, GFP_KERNEL);
	KT_EQ((unsigned long)p % 64, 0);
	KT_EQ(p[0], 0x6b);		/* POISON_FREE ... POISON_END, as SLUB hands them out */
	KT_EQ(p[63], 0xa5);
	KT_EQ(ksize(p), 64);
	KT_ASSERT(krealloc(p, 40, GFP_KERNEL) == p);
	memset(p, 0x42, 64);
	q = krealloc(p, 100, GFP_KERNEL);
	KT_ASSERT(q && q != p);
	KT_EQ(q[63], 0x42);
	kfree(q);
	KT_EQ(ukmem_report_count(), 0);

	/* one overwrite, one report, repaired: the object is freed and the next free is clean */
	p = kmalloc(64, GFP_KERNEL);
	kt_capture_begin();
	__asm__ __volatile__("" : "+r"(p));
	p[64] = 0x11;
	kfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG kmalloc-64 (Not tainted): Right Redzone overwritten");
	KT_CONTAINS(out, "First byte 0x11 instead of 0xcc");
	KT_CONTAINS(out, "Allocated in main+");
	KT_CONTAINS(out, "Redzone  ");
	KT_CONTAINS(out, "FIX kmalloc-64: Restoring Right Redzone");
	free(out);
	KT_EQ(ukmem_report_count(), 1);
	kfree(kmalloc(64, GFP_KERNEL));
	KT_EQ(ukmem_report_count(), 1);

	/* a debug cache with a constructor, bulk operations and kfree_rcu */
	c = kmem_cache_create("dbg_ctor", 40, 0, 0, ctor);
	KT_EQ(kt_slabinfo("dbg_ctor", 2) > 40, 1);
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 20, bulk), 20);
	for (int i = 0; i < 20; i++)
		KT_EQ(((unsigned char *)bulk[i])[39], 0x3c);
	kmem_cache_free_bulk(c, 20, bulk);
	kmem_cache_destroy(c);
	for (int i = 0; i < 10; i++) {
		struct rcu_obj *o = kmalloc(sizeof(*o), GFP_KERNEL);

		kfree_rcu(o, rcu);
	}
	rcu_barrier();
	KT_EQ(ukmem_report_count(), 1);

	/* a cache asking for debugging in its own flags, without slub_debug naming it */
	c = kmem_cache_create("flagged", 40, 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER |
			      SLAB_CONSISTENCY_CHECKS, NULL);
	KT_ASSERT(kt_slabinfo("flagged", 2) > 40);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kt_capture_begin();
	__asm__ __volatile__("" : "+r"(p));
	p[-1] = 0;
	kmem_cache_free(c, p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG flagged (Tainted: G    B             ): Left Redzone overwritten");
	free(out);
	KT_EQ(ukmem_report_count(), 2);
	kmem_cache_destroy(c);

	/* trace */
	t = kmem_cache_create("traced", 24, 0, 0, NULL);
	kt_capture_begin();
	p = kmem_cache_alloc(t, GFP_KERNEL);
	kmem_cache_free(t, p);
	out = kt_capture_end();
	KT_CONTAINS(out, "TRACE traced alloc 0x");
	KT_CONTAINS(out, "TRACE traced free 0x");
	free(out);
	kmem_cache_destroy(t);
	KT_EQ(ukmem_report_count(), 2);

	/* a write after free, found by the next allocation: the object is kept out of use,
	 * and that is not a leak (it was reported as one at exit) */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	__asm__ __volatile__("" : "+r"(p));
	p[3] = 'U';
	kt_capture_begin();
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "Poison overwritten");
	KT_CONTAINS(out, "kept out of use");
	free(out);
	KT_EQ(ukmem_report_count(), 3);
	KT_EQ(ukmem_exit(), 3);		/* no leak report for the object kept out of use */
	printf("test_slub_debug: ok\n");
	return 0;
}
