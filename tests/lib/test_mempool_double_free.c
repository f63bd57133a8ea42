/* SPDX-License-Identifier: MIT */
/*
 * mempool_free of an element twice, while the reserve is short.  6.1 puts it in the reserve
 * both times (or, when the first free went back to the allocator, puts the freed memory in
 * the reserve), and mempool_alloc then hands the same memory to two owners.  Here:
 *  - an element the reserve holds already is a warning, "mempool_free: ADDR is in the pool's
 *    reserve already (freed twice); left there", and the reserve holds it once;
 *  - an element of a slab or kmalloc pool that is no live object (freed already) is a
 *    warning, "mempool_free: ADDR is no live object of the pool's cache (freed already?); not
 *    taken into the reserve", and is neither taken in nor freed again.
 * Either way no two mempool_alloc calls return the same memory.
 * And an element freed to an embedded pool after mempool_exit() (a completion that outlives
 * the teardown): 6.1 writes it into the freed reserve array; here it is a warning and the
 * element goes back to its allocator (ukmem_exit finds no leak).
 */
#include <linux/mempool.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static int budget;

/* An allocator that fails once the reserve is filled, so the reserve is what is handed out. */
static void *tight_alloc(gfp_t gfp, void *data)
{
	(void)data;
	if (budget <= 0)
		return NULL;
	budget--;
	return kmalloc(64, gfp);
}

static void tight_free(void *element, void *data)
{
	(void)data;
	kfree(element);
}

/* Twice into the reserve: the second is reported and ignored. */
static void twice_into_reserve(void)
{
	unsigned long before = ukmem_report_count();
	mempool_t *pool;
	void *a, *b, *c, *d;
	char *out;

	budget = 2;
	pool = mempool_create(2, tight_alloc, tight_free, NULL);
	KT_ASSERT(pool);
	a = mempool_alloc(pool, GFP_ATOMIC);
	b = mempool_alloc(pool, GFP_ATOMIC);
	KT_ASSERT(a && b && a != b);
	KT_EQ(pool->curr_nr, 0);
	mempool_free(a, pool);
	kt_capture_begin();
	mempool_free(a, pool);
	out = kt_capture_end();
	KT_CONTAINS(out, "is in the pool's reserve already (freed twice); left there");
	KT_EQ(ukmem_report_count(), before + 1);
	KT_EQ(pool->curr_nr, 1);
	c = mempool_alloc(pool, GFP_ATOMIC);
	d = mempool_alloc(pool, GFP_ATOMIC);
	KT_ASSERT(c == a);
	KT_ASSERT(d == NULL);			/* not a second copy of a */
	mempool_free(c, pool);
	mempool_free(b, pool);
	mempool_destroy(pool);
	free(out);
}

/* The first free went to the allocator (the reserve was full), the second comes when the
 * reserve is short: the freed object is not taken in. */
static void freed_then_reserve(void)
{
	unsigned long before = ukmem_report_count();
	mempool_t *pool = mempool_create_kmalloc_pool(1, 64);
	void *a, *r;
	char *out;

	KT_ASSERT(pool);
	a = mempool_alloc(pool, GFP_KERNEL);		/* from kmalloc; the reserve stays full */
	mempool_free(a, pool);				/* reserve full: kfree */
	KT_EQ(pool->curr_nr, 1);
	ukmem_set_fail_nth(1);				/* the next try fails: the reserve's */
	r = mempool_alloc(pool, GFP_ATOMIC);
	KT_ASSERT(r);
	KT_EQ(pool->curr_nr, 0);
	kt_capture_begin();
	mempool_free(a, pool);				/* a is freed memory */
	out = kt_capture_end();
	KT_CONTAINS(out, "is no live object of the pool's cache (freed already?); not taken into the reserve");
	KT_EQ(ukmem_report_count(), before + 1);
	KT_EQ(pool->curr_nr, 0);			/* a is not in the reserve */
	mempool_free(r, pool);
	KT_EQ(pool->curr_nr, 1);
	mempool_destroy(pool);
	free(out);
}

/* Elements still out when an embedded pool is torn down, freed afterwards. */
static void free_after_exit(void)
{
	unsigned long before = ukmem_report_count();
	mempool_t pool;
	void *a, *b;
	char *out;

	KT_EQ(mempool_init_kmalloc_pool(&pool, 2, 64), 0);
	a = mempool_alloc(&pool, GFP_KERNEL);
	b = mempool_alloc(&pool, GFP_KERNEL);
	mempool_exit(&pool);
	KT_ASSERT(!mempool_initialized(&pool));
	kt_capture_begin();
	mempool_free(a, &pool);
	mempool_free(b, &pool);
	out = kt_capture_end();
	KT_CONTAINS(out, "freed to a pool that has no reserve (after mempool_exit?): it goes back to the allocator");
	KT_EQ(ukmem_report_count(), before + 2);
	free(out);
}

int main(void)
{
	twice_into_reserve();
	freed_then_reserve();
	free_after_exit();
	KT_EQ(ukmem_exit(), 4);
	return 0;
}
