/* SPDX-License-Identifier: MIT */
/*
 * The reserve's poisoning, under slub_debug=P (6.1 does it when built with
 * CONFIG_SLUB_DEBUG_ON): an element of a kmalloc or slab pool sits in the reserve filled with
 * POISON_FREE (POISON_END last) and comes out of it filled with POISON_INUSE; a write through
 * a pointer kept after mempool_free() put it back is "BUG: mempool element poison mismatch"
 * when the element leaves the reserve again (mempool_alloc, or mempool_destroy).  Without a
 * poisoning cache nothing is written.
 */
#include <linux/mempool.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

/* The reserve's element, taken by making the allocator's first try fail. */
static char *from_reserve(mempool_t *pool)
{
	char *e;

	ukmem_set_fail_nth(1);
	e = mempool_alloc(pool, GFP_KERNEL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	return e;
}

static void kmalloc_pool(void)
{
	mempool_t *pool = mempool_create_kmalloc_pool(1, 100);
	unsigned long before = ukmem_report_count();
	char *e, *out;

	KT_ASSERT(pool);
	e = from_reserve(pool);
	for (size_t i = 0; i < ksize(e); i++)	/* clean poison: no report, now in use */
		KT_EQ((unsigned char)e[i], POISON_INUSE);
	mempool_free(e, pool);			/* back to the reserve, poisoned */
	KT_EQ(pool->curr_nr, 1);
	KT_EQ((unsigned char)e[0], POISON_FREE);
	KT_EQ((unsigned char)e[ksize(e) - 1], POISON_END);
	e[20] = 'X';				/* the stale pointer's write */
	kt_capture_begin();
	KT_ASSERT(from_reserve(pool) == e);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: mempool element poison mismatch\n");
	KT_CONTAINS(out, "Mempool ");
	KT_CONTAINS(out, " size 128\n");
	KT_CONTAINS(out, ": ... 0x6b 6b 6b 6b 6b 6b 6b 6b 58 6b 6b 6b 6b 6b 6b 6b ...\n");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	mempool_free(e, pool);
	e[0] = 'Y';				/* found when the pool goes */
	kt_capture_begin();
	mempool_destroy(pool);
	out = kt_capture_end();
	KT_CONTAINS(out, " nr=0 @ ");
	KT_CONTAINS(out, ": 0x59 6b 6b 6b 6b 6b 6b 6b ...\n");
	KT_EQ(ukmem_report_count(), before + 2);
	free(out);
}

static void slab_pool(void)
{
	struct kmem_cache *cache = kmem_cache_create("poolobj", 40, 0, 0, NULL);
	mempool_t *pool = mempool_create_slab_pool(2, cache);
	unsigned long before = ukmem_report_count();
	char *a, *b;

	KT_ASSERT(cache && pool);
	a = mempool_alloc(pool, GFP_KERNEL);	/* from the cache */
	b = from_reserve(pool);
	KT_EQ(pool->curr_nr, 1);
	KT_EQ(ksize(b), 40);
	KT_EQ((unsigned char)b[0], POISON_INUSE);
	KT_EQ((unsigned char)b[39], POISON_INUSE);
	mempool_free(b, pool);			/* the reserve had room for one */
	KT_EQ((unsigned char)b[39], POISON_END);
	mempool_free(a, pool);			/* full: back to the cache */
	KT_EQ(pool->curr_nr, 2);
	mempool_destroy(pool);			/* both clean */
	kmem_cache_destroy(cache);
	KT_EQ(ukmem_report_count(), before);
}

int main(void)
{
	KT_EQ(ukmem_init("slub_debug=P"), 0);
	kmalloc_pool();
	slab_pool();
	KT_EQ(ukmem_exit(), 2);
	return 0;
}
