/* SPDX-License-Identifier: MIT */
/*
 * mempool under ukmem's own fault injection (mm/mempool.c's semantics).  One program, run
 * three ways (tests.cmake):
 *  - "nth" (no command line): fail-nth makes mempool_alloc's first try fail: the reserve's
 *    element comes out, silently (mempool asks with __GFP_NOWARN, which the kernel's
 *    fault injection honours), and with the reserve empty the second try with the caller's
 *    full gfp gets a fresh element; GFP_ATOMIC gets NULL instead.  Then ukmem_fail_sweep
 *    over code that creates pools, overdraws them and destroys them: no run sees NULL from
 *    a sleeping mempool_alloc, no run leaks, including a pool that outlives the sweep; and
 *    mempool_resize's growth under failures returns what 6.1's does.
 *  - "always" (failslab= and fail_page_alloc= fail everything, ignore-gfp-wait=0): the
 *    reserve goes out element by element, then GFP_ATOMIC/GFP_NOWAIT get NULL and
 *    GFP_KERNEL/GFP_NOIO wait until another thread frees an element; threads sharing a
 *    small pool all make progress.  Slab, kmalloc and page pools (the slab pool's cache is
 *    a kmalloc cache: kmem_cache_create fails too).
 *  - "gfpwait" (failslab= fails everything but ignore-gfp-wait=1, the kernel's default):
 *    only the first, non-sleeping try fails; with the reserve empty GFP_KERNEL gets a fresh
 *    element at once and GFP_ATOMIC still gets NULL.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool in_reserve(mempool_t *pool, void *e, void *const *saved, int n)
{
	(void)pool;
	for (int i = 0; i < n; i++)
		if (saved[i] == e)
			return true;
	return false;
}

struct freer {
	mempool_t *pool;
	void *element;
	int delay_ms;
};

static void *free_later(void *arg)
{
	struct freer *f = arg;

	usleep(f->delay_ms * 1000);
	mempool_free(f->element, f->pool);
	return NULL;
}

/* The reserve is empty and everything fails: a sleeping alloc waits for @f's free. */
static void wait_for_free(mempool_t *pool, void *element, gfp_t gfp)
{
	struct freer f = { pool, element, 150 };
	pthread_t t;
	double t0;
	void *got;

	KT_EQ(pool->curr_nr, 0);
	KT_EQ(pthread_create(&t, NULL, free_later, &f), 0);
	t0 = now();
	got = mempool_alloc(pool, gfp);
	KT_ASSERT(now() - t0 >= 0.1);
	KT_ASSERT(got == element);	/* the freed element went to the reserve, then to us */
	pthread_join(t, NULL);
	KT_EQ(pool->curr_nr, 0);
	mempool_free(got, pool);
}

/* ---- fail-nth ---- */
static void nth_reserve_then_fresh(void)
{
	mempool_t *pool = mempool_create_kmalloc_pool(2, 96);
	void *saved[2], *a, *b, *c;
	char *out;

	KT_ASSERT(pool);
	memcpy(saved, pool->elements, sizeof(saved));

	/* The first try fails: an element of the reserve, and no report (__GFP_NOWARN). */
	kt_capture_begin();
	ukmem_set_fail_nth(1);
	a = mempool_alloc(pool, GFP_KERNEL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "FAULT_INJECTION");
	free(out);
	KT_ASSERT(in_reserve(pool, a, saved, 2));
	KT_EQ(pool->curr_nr, 1);

	/* No fault: the allocator's element, the reserve untouched. */
	b = mempool_alloc(pool, GFP_KERNEL);
	KT_ASSERT(b && !in_reserve(pool, b, saved, 2));
	KT_EQ(pool->curr_nr, 1);
	mempool_free(b, pool);		/* the reserve is short: b refills it */
	KT_EQ(pool->curr_nr, 2);
	KT_ASSERT(pool->elements[1] == b);

	ukmem_set_fail_nth(1);
	c = mempool_alloc(pool, GFP_NOIO);	/* the reserve's top: b */
	KT_ASSERT(c == b);
	ukmem_set_fail_nth(1);
	b = mempool_alloc(pool, GFP_NOIO);	/* its last element */
	KT_ASSERT(b == saved[0]);
	KT_EQ(pool->curr_nr, 0);

	/* Reserve empty: the first try fails, the second (full gfp) is the allocator's. */
	ukmem_set_fail_nth(1);
	kt_capture_begin();
	{
		void *d = mempool_alloc(pool, GFP_KERNEL);

		KT_ASSERT(d && d != a && d != b && d != c);
		KT_EQ(ukmem_get_fail_nth(), 0);
		mempool_free(d, pool);		/* back to the reserve */
		KT_EQ(pool->curr_nr, 1);
		d = mempool_alloc(pool, GFP_KERNEL);
		KT_EQ(pool->curr_nr, 1);	/* no fault: the allocator's */
		mempool_free(d, pool);
	}
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "FAULT_INJECTION");
	free(out);
	ukmem_set_fail_nth(0);
	mempool_free(a, pool);
	mempool_free(b, pool);
	mempool_free(c, pool);
	KT_EQ(pool->curr_nr, 2);

	mempool_destroy(pool);

	/* Without __GFP_NOWARN the injected failure is reported, as the kernel's. */
	kt_capture_begin();
	ukmem_set_fail_nth(1);
	KT_ASSERT(kmalloc(96, GFP_KERNEL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "FAULT_INJECTION: forcing a failure.");
	free(out);
}

/* GFP_ATOMIC may neither retry nor sleep: a failed first try with the reserve empty is NULL. */
static void nth_atomic_null(void)
{
	mempool_t *pool = mempool_create_kmalloc_pool(1, 64);
	void *saved, *a, *b;

	KT_ASSERT(pool);
	saved = pool->elements[0];
	ukmem_set_fail_nth(1);
	a = mempool_alloc(pool, GFP_ATOMIC);
	KT_ASSERT(a == saved);
	KT_EQ(pool->curr_nr, 0);
	ukmem_set_fail_nth(1);
	KT_ASSERT(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	b = mempool_alloc(pool, GFP_ATOMIC);	/* no fault: the allocator's */
	KT_ASSERT(b && b != a);
	mempool_free(a, pool);
	mempool_free(b, pool);
	KT_EQ(pool->curr_nr, 1);
	mempool_destroy(pool);
}

/* ---- the sweep ---- */
static struct kmem_cache *sweep_cache;
static mempool_t *long_lived, *long_lived_pages;
static int sweep_runs;

/* Creates three pools, takes more than each reserve holds with sleeping gfps, frees in an
 * order that refills the reserves with fresh elements, destroys them; also overdraws a pool
 * created before the sweep. */
static int pools_user(void *arg)
{
	mempool_t *km, *slab, *pg;
	void *e[6];

	(void)arg;
	sweep_runs++;
	km = mempool_create_kmalloc_pool(2, 128);
	if (!km)
		return -ENOMEM;
	slab = mempool_create_slab_pool(2, sweep_cache);
	if (!slab)
		goto err_km;
	pg = mempool_create_page_pool(1, 1);
	if (!pg)
		goto err_slab;
	for (int i = 0; i < 4; i++) {
		e[i] = mempool_alloc(i % 2 ? slab : km, i % 2 ? GFP_NOIO : GFP_KERNEL);
		KT_ASSERT(e[i]);
		memset(e[i], i, 128);
	}
	e[4] = mempool_alloc(pg, GFP_KERNEL);
	e[5] = mempool_alloc(pg, GFP_KERNEL);
	KT_ASSERT(e[4] && e[5]);
	memset(page_address((struct page *)e[4]), 4, 2 * PAGE_SIZE);
	for (int i = 0; i < 4; i++)
		mempool_free(e[i], i % 2 ? slab : km);
	mempool_free(e[5], pg);
	mempool_free(e[4], pg);
	mempool_destroy(pg);
	mempool_destroy(slab);
	mempool_destroy(km);

	/* A pool that outlives the run: what goes into its reserve belongs to it. */
	for (int i = 0; i < 3; i++) {
		e[i] = mempool_alloc(long_lived, GFP_KERNEL);
		KT_ASSERT(e[i]);
	}
	for (int i = 0; i < 3; i++)
		mempool_free(e[i], long_lived);
	KT_EQ(long_lived->curr_nr, 2);
	for (int i = 0; i < 3; i++) {
		e[i] = mempool_alloc(long_lived_pages, GFP_KERNEL);
		KT_ASSERT(e[i]);
	}
	for (int i = 0; i < 3; i++)
		mempool_free(e[i], long_lived_pages);
	KT_EQ(long_lived_pages->curr_nr, 2);
	return 0;
err_slab:
	mempool_destroy(slab);
err_km:
	mempool_destroy(km);
	return -ENOMEM;
}

/* A run that keeps an element of the long-lived pool leaks it, even when it came from the
 * reserve (filled before the sweep). */
static int keeps_one(void *arg)
{
	void **kept = arg;
	void *e = mempool_alloc(long_lived, GFP_KERNEL);

	KT_ASSERT(e);
	if (*kept)
		mempool_free(e, long_lived);
	else
		*kept = e;
	return 0;
}

static void sweep(void)
{
	void *kept = NULL;
	char *out;
	int faulty;

	sweep_cache = kmem_cache_create("mp_sweep", 128, 0, 0, NULL);
	long_lived = mempool_create_kmalloc_pool(2, 200);
	long_lived_pages = mempool_create_page_pool(2, 0);
	KT_ASSERT(sweep_cache && long_lived && long_lived_pages);
	kt_capture_begin();
	faulty = ukmem_fail_sweep(pools_user, NULL);
	out = kt_capture_end();
	KT_EQ(faulty, 0);
	KT_ASSERT(sweep_runs >= 12);	/* pools, element arrays, reserves, allocs */
	KT_NOT_CONTAINS(out, "were not returned");
	free(out);

	/* fail-nth=1: keeps_one takes a reserve element and keeps it: run 1 leaks it. */
	ukmem_set_fail_nth(0);
	kt_capture_begin();
	faulty = ukmem_fail_sweep(keeps_one, &kept);
	out = kt_capture_end();
	KT_EQ(faulty, 1);
	KT_CONTAINS(out, "run 1 (fail-nth=1, fault injected, returned 0): 1 object(s)");
	KT_CONTAINS(out, "keeps_one");
	KT_CONTAINS(out, "backtrace:\n    [<");
	KT_CONTAINS(strstr(out, "backtrace:"), "] mempool_alloc+");	/* its new owner */
	KT_NOT_CONTAINS(out, "kmemleak_update_trace");
	free(out);
	mempool_free(kept, long_lived);
	mempool_destroy(long_lived);
	mempool_destroy(long_lived_pages);
	kmem_cache_destroy(sweep_cache);
}

/* ---- failslab and fail_page_alloc failing everything ---- */
static void always_one_pool(mempool_t *pool, int min_nr)
{
	void *saved[4], *got[4];
	char *out;

	KT_ASSERT(pool && min_nr <= 4);
	KT_EQ(pool->curr_nr, min_nr);
	memcpy(saved, pool->elements, min_nr * sizeof(void *));
	kt_capture_begin();
	for (int i = 0; i < min_nr; i++) {
		got[i] = mempool_alloc(pool, i % 2 ? GFP_NOIO : GFP_KERNEL);
		KT_ASSERT(in_reserve(pool, got[i], saved, min_nr));
	}
	KT_EQ(pool->curr_nr, 0);
	KT_ASSERT(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	KT_ASSERT(mempool_alloc(pool, GFP_NOWAIT) == NULL);
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "FAULT_INJECTION");	/* mempool asks with __GFP_NOWARN */
	free(out);
	wait_for_free(pool, got[0], GFP_KERNEL);
	got[0] = mempool_alloc(pool, GFP_NOIO);		/* the reserve's again */
	KT_ASSERT(in_reserve(pool, got[0], saved, min_nr));
	wait_for_free(pool, got[0], GFP_NOIO);	/* got[0] is back in the reserve */
	for (int i = 1; i < min_nr; i++)
		mempool_free(got[i], pool);
	KT_EQ(pool->curr_nr, min_nr);
	mempool_destroy(pool);
}

struct sharer {
	mempool_t *pool;
	int id, rounds;
};

static void *share(void *arg)
{
	struct sharer *s = arg;

	for (int i = 0; i < s->rounds; i++) {
		unsigned char *a = mempool_alloc(s->pool, i % 2 ? GFP_NOIO : GFP_KERNEL);

		KT_ASSERT(a);
		memset(a, s->id, 64);
		usleep(200);
		KT_EQ(a[0], s->id);
		KT_EQ(a[63], s->id);
		mempool_free(a, s->pool);
	}
	return NULL;
}

static void always(void)
{
	struct kmem_cache *kc = kmalloc_caches[KMALLOC_NORMAL][8];	/* kmalloc-256 */
	struct sharer s[4];
	pthread_t t[4];
	mempool_t *pool;
	char *out;

	/* Everything fails, also what is not a mempool's: a GFP_KERNEL kmalloc, reported, and
	 * a new cache (6.1's allocation of its kmem_cache_node is failslab's): the slab pool
	 * below takes a kmalloc cache. */
	kt_capture_begin();
	KT_ASSERT(kmalloc(64, GFP_KERNEL) == NULL);
	KT_ASSERT(alloc_pages(GFP_KERNEL, 0) == NULL);
	KT_ASSERT(kmem_cache_create("mp_always", 200, 0, 0, NULL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "name failslab, interval 1, probability 100");
	KT_CONTAINS(out, "name fail_page_alloc, interval 1, probability 100");
	KT_CONTAINS(out, "kmem_cache_create_usercopy(mp_always) failed with error -12\n");
	free(out);
	KT_ASSERT(mempool_create_kmalloc_pool(2, 64) == NULL);

	/* Pools set up with __GFP_NOFAIL (never failed), used under failure. */
	always_one_pool(mempool_create_node(2, mempool_kmalloc, mempool_kfree, (void *)64,
					    GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE), 2);
	always_one_pool(mempool_create_node(3, mempool_alloc_slab, mempool_free_slab, kc,
					    GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE), 3);
	always_one_pool(mempool_create_node(2, mempool_alloc_pages, mempool_free_pages,
					    (void *)1L, GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE), 2);

	/* Four threads share a reserve of two: they wait in turn.  (Taking two elements at
	 * once would deadlock, as in the kernel: a reserve of three split one-one-one.) */
	pool = mempool_create_node(2, mempool_kmalloc, mempool_kfree, (void *)64,
				   GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE);
	KT_ASSERT(pool);
	for (int i = 0; i < 4; i++) {
		s[i] = (struct sharer){ pool, i + 1, 200 };
		KT_EQ(pthread_create(&t[i], NULL, share, &s[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	KT_EQ(pool->curr_nr, 2);
	mempool_destroy(pool);
}

/* ---- failslab failing everything, ignore-gfp-wait=1 ---- */
static void gfpwait(void)
{
	mempool_t *pool = mempool_create_node(2, mempool_kmalloc, mempool_kfree, (void *)64,
					      GFP_KERNEL, NUMA_NO_NODE);
	void *saved[2], *a, *b, *c, *d;
	double t0;

	KT_ASSERT(pool);		/* GFP_KERNEL is not failed */
	KT_ASSERT(kmalloc(64, GFP_ATOMIC) == NULL);
	memcpy(saved, pool->elements, sizeof(saved));
	a = mempool_alloc(pool, GFP_KERNEL);	/* the first try has no __GFP_DIRECT_RECLAIM */
	b = mempool_alloc(pool, GFP_KERNEL);
	KT_ASSERT(in_reserve(pool, a, saved, 2) && in_reserve(pool, b, saved, 2));
	KT_ASSERT(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	t0 = now();
	c = mempool_alloc(pool, GFP_KERNEL);	/* the second try may reclaim: not failed */
	d = mempool_alloc(pool, GFP_NOIO);
	KT_ASSERT(now() - t0 < 1.0);		/* no wait */
	KT_ASSERT(c && d && !in_reserve(pool, c, saved, 2) && !in_reserve(pool, d, saved, 2));
	mempool_free(a, pool);
	mempool_free(b, pool);
	mempool_free(c, pool);
	mempool_free(d, pool);
	KT_EQ(pool->curr_nr, 2);
	mempool_destroy(pool);
}

/* Growing with mempool_resize: a failed element allocation is not an error (6.1 returns 0
 * and keeps the new min_nr; mempool_free tops the reserve up), a failed element array is
 * -ENOMEM with nothing changed. */
static void nth_resize(void)
{
	mempool_t *pool = mempool_create_kmalloc_pool(2, 64);
	void *a;

	KT_ASSERT(pool);
	ukmem_set_fail_nth(2);		/* 1: the new array, 2: the first new element */
	KT_EQ(mempool_resize(pool, 4), 0);
	KT_EQ(ukmem_get_fail_nth(), 0);
	KT_EQ(pool->min_nr, 4);
	KT_EQ(pool->curr_nr, 2);
	a = kmalloc(64, GFP_KERNEL);
	mempool_free(a, pool);		/* short reserve: a joins it */
	KT_EQ(pool->curr_nr, 3);
	ukmem_set_fail_nth(1);
	KT_EQ(mempool_resize(pool, 8), -ENOMEM);
	KT_EQ(pool->min_nr, 4);
	KT_EQ(pool->curr_nr, 3);
	KT_EQ(mempool_resize(pool, 5), 0);
	KT_EQ(pool->curr_nr, 5);
	mempool_destroy(pool);
}

int main(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");

	if (cmdline && strstr(cmdline, "ignore-gfp-wait=0")) {
		always();
	} else if (cmdline && strstr(cmdline, "failslab=")) {
		gfpwait();
	} else {
		nth_reserve_then_fresh();
		nth_atomic_null();
		nth_resize();
		sweep();
		KT_EQ(ukmem_exit(), 1);		/* keeps_one's leak, counted once */
		return 0;
	}
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
