/* SPDX-License-Identifier: MIT */
/*
 * mempool: the kernel's guarantee.  With an allocator that fails every time, mempool_alloc
 * with GFP_KERNEL still returns: first the reserve's elements, then, when the reserve is
 * empty, it sleeps until another thread frees one and hands that one out.  Without
 * __GFP_DIRECT_RECLAIM it returns NULL instead.  Two threads churning over an allocator that
 * fails half the time never see NULL.  The kmalloc, slab and page pools, resizing, and a
 * reserve that cannot be filled.
 */
#include <pthread.h>
#include <time.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static struct {
	int fail;		/* 0: never, 1: always, 2: every other call */
	unsigned long calls, failed, live;
} flaky;

static void *flaky_alloc(gfp_t gfp, void *data)
{
	unsigned long n = __atomic_fetch_add(&flaky.calls, 1, __ATOMIC_RELAXED);
	int mode = __atomic_load_n(&flaky.fail, __ATOMIC_RELAXED);

	if (mode == 1 || (mode == 2 && n % 2)) {
		__atomic_fetch_add(&flaky.failed, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	__atomic_fetch_add(&flaky.live, 1, __ATOMIC_RELAXED);
	return kmalloc((size_t)data, gfp);
}

static void flaky_free(void *element, void *data)
{
	(void)data;
	__atomic_fetch_sub(&flaky.live, 1, __ATOMIC_RELAXED);
	kfree(element);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct freer {
	mempool_t *pool;
	void *element;
};

static void *free_later(void *arg)
{
	struct freer *f = arg;

	usleep(100 * 1000);
	mempool_free(f->element, f->pool);
	return NULL;
}

static void never_null(void)
{
	mempool_t *pool = mempool_create(2, flaky_alloc, flaky_free, (void *)64);
	struct freer f = { pool };
	void *a, *b, *c;
	pthread_t t;
	double t0;

	KT_ASSERT(pool);
	KT_EQ(pool->curr_nr, 2);
	__atomic_store_n(&flaky.fail, 1, __ATOMIC_RELAXED);
	a = mempool_alloc(pool, GFP_KERNEL);
	b = mempool_alloc(pool, GFP_NOIO);
	KT_ASSERT(a && b && a != b);
	KT_EQ(pool->curr_nr, 0);
	KT_ASSERT(mempool_alloc(pool, GFP_ATOMIC) == NULL);	/* may not sleep: NULL */
	KT_ASSERT(mempool_alloc(pool, GFP_NOWAIT) == NULL);

	/* Everything fails and the reserve is empty: wait for the other thread's free. */
	f.element = b;
	KT_EQ(pthread_create(&t, NULL, free_later, &f), 0);
	t0 = now();
	c = mempool_alloc(pool, GFP_KERNEL);
	KT_ASSERT(now() - t0 >= 0.05);
	KT_ASSERT(c == b);
	pthread_join(t, NULL);
	KT_ASSERT(flaky.failed >= 4);

	__atomic_store_n(&flaky.fail, 0, __ATOMIC_RELAXED);
	mempool_free(a, pool);		/* refills the reserve */
	mempool_free(c, pool);
	KT_EQ(pool->curr_nr, 2);
	mempool_destroy(pool);
	KT_EQ(flaky.live, 0);
}

static void *churn(void *arg)
{
	mempool_t *pool = arg;

	for (int i = 0; i < 20000; i++) {
		char *p = mempool_alloc(pool, GFP_KERNEL);

		KT_ASSERT(p);
		p[0] = (char)i;
		p[63] = (char)i;
		mempool_free(p, pool);
	}
	return NULL;
}

static void two_threads_flaky(void)
{
	mempool_t *pool = mempool_create(2, flaky_alloc, flaky_free, (void *)64);
	pthread_t t[2];

	__atomic_store_n(&flaky.fail, 2, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, churn, pool), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	__atomic_store_n(&flaky.fail, 0, __ATOMIC_RELAXED);
	KT_ASSERT(flaky.failed > 1000);
	mempool_destroy(pool);
	KT_EQ(flaky.live, 0);
}

static void standard_pools(void)
{
	struct kmem_cache *kc = kmem_cache_create("mp_obj", 200, 0, 0, NULL);
	mempool_t *slab = mempool_create_slab_pool(3, kc);
	mempool_t *km = mempool_create_kmalloc_pool(3, 300);
	mempool_t *pg = mempool_create_page_pool(2, 1);
	mempool_t embedded;
	void *o[8];

	KT_ASSERT(kc && slab && km && pg);
	for (int i = 0; i < 8; i++) {
		o[i] = mempool_alloc(slab, GFP_KERNEL);
		memset(o[i], i, 200);
	}
	for (int i = 0; i < 8; i++)
		mempool_free(o[i], slab);
	KT_EQ(slab->curr_nr, 3);
	o[0] = mempool_alloc(km, GFP_KERNEL);
	KT_ASSERT(ksize(o[0]) >= 300);
	mempool_free(o[0], km);
	o[0] = mempool_alloc(pg, GFP_KERNEL);
	memset(page_address((struct page *)o[0]), 1, 2 * PAGE_SIZE);
	mempool_free(o[0], pg);

	KT_EQ(mempool_resize(km, 6), 0);
	KT_EQ(km->min_nr, 6);
	KT_EQ(km->curr_nr, 6);
	KT_EQ(mempool_resize(km, 1), 0);
	KT_EQ(km->curr_nr, 1);

	KT_EQ(mempool_init_kmalloc_pool(&embedded, 4, 32), 0);
	KT_ASSERT(mempool_initialized(&embedded));
	KT_ASSERT(mempool_is_saturated(&embedded));
	mempool_exit(&embedded);
	KT_ASSERT(!mempool_initialized(&embedded));

	/* A reserve that cannot be filled: NULL, nothing kept. */
	__atomic_store_n(&flaky.fail, 2, __ATOMIC_RELAXED);
	KT_ASSERT(mempool_create(4, flaky_alloc, flaky_free, (void *)16) == NULL);
	__atomic_store_n(&flaky.fail, 0, __ATOMIC_RELAXED);
	KT_EQ(flaky.live, 0);

	mempool_destroy(slab);
	mempool_destroy(km);
	mempool_destroy(pg);
	mempool_destroy(NULL);
	kmem_cache_destroy(kc);
}

int main(void)
{
	never_null();
	two_threads_flaky();
	standard_pools();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
