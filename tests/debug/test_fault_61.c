/* SPDX-License-Identifier: MIT */
/*
 * Fault injection point by point as 6.1 (lib/fault-inject.c, mm/failslab.c, mm/slub.c,
 * should_fail_alloc_page):
 *  - kmem_cache_alloc_bulk is one failslab point per call (slab_pre_alloc_hook once, with
 *    the cache's object size): fail-nth counts the call once, failslab's space is used once
 *    per call, and a failed call returns 0 with one report.
 *  - fail_page_alloc's size is 1 << order (pages, not bytes): space=N lets an allocation
 *    through while more than its pages are left, large kmallocs included.
 * Each case with its own command line runs in a child that starts ukmem itself.
 */
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static int count_str(const char *out, const char *s)
{
	int n = 0;

	for (const char *p = strstr(out, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

/* Run @fn in a child that starts ukmem with @cmdline; returns its output. */
static char *child(void (*fn)(void *), const char *cmdline)
{
	char *out;
	int status = kt_run_child(fn, (void *)cmdline, &out);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		KT_FAIL("child for \"%s\" failed (status %#x)", cmdline, status);
	return out;
}

/* ---- kmem_cache_alloc_bulk: one point per call ---- */
static void bulk_nth_child(void *cmdline)
{
	struct kmem_cache *c;
	void *p[8];

	KT_EQ(ukmem_init(cmdline), 0);
	c = kmem_cache_create("bulk61", 96, 0, 0, NULL);
	KT_ASSERT(c);
	ukmem_set_fail_nth(2);
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 8, p), 8);	/* the first point: all 8 */
	KT_EQ(ukmem_get_fail_nth(), 1);
	kmem_cache_free_bulk(c, 8, p);
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 8, p), 0);	/* the second: none */
	KT_EQ(ukmem_get_fail_nth(), 0);
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 8, p), 8);	/* off again */
	kmem_cache_free_bulk(c, 8, p);
	kmem_cache_destroy(c);
	exit(ukmem_exit());
}

/* failslab=1,100,288,-1: the space is used once per call (96 bytes), not per object. */
static void bulk_space_child(void *cmdline)
{
	struct kmem_cache *c;
	void *p[8];

	KT_EQ(ukmem_init(cmdline), 0);
	c = kmem_cache_create("bulk61", 96, 0, 0, NULL);
	KT_ASSERT(c);
	for (int i = 0; i < 2; i++) {		/* 288 > 96, then 192 > 96: both pass */
		KT_EQ(kmem_cache_alloc_bulk(c, GFP_ATOMIC, 8, p), 8);
		kmem_cache_free_bulk(c, 8, p);
	}
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_ATOMIC, 8, p), 0);	/* 96 is not more than 96 */
	kmem_cache_destroy(c);
	exit(ukmem_exit());
}

static void test_bulk(void)
{
	char *out = child(bulk_nth_child, "failslab.verbose=1");

	KT_EQ(count_str(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "FAULT_INJECTION: forcing a failure.\n"
			 "name failslab, interval 1, probability 0, space 0, times 1\n");
	free(out);
	out = child(bulk_space_child, "failslab=1,100,288,-1 failslab.verbose=1");
	KT_EQ(count_str(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "name failslab, interval 1, probability 100, space 96, times -1\n");
	free(out);
}

/* ---- fail_page_alloc's space counts pages ---- */
static void pages_space_child(void *cmdline)
{
	struct page *page;

	KT_EQ(ukmem_init(cmdline), 0);
	for (int i = 0; i < 2; i++) {			/* 10 > 4, then 6 > 4 */
		page = alloc_pages(GFP_ATOMIC, 2);
		KT_ASSERT(page);
		__free_pages(page, 2);
	}
	KT_ASSERT(alloc_pages(GFP_ATOMIC, 2) == NULL);	/* 2 left: not more than 4 */
	page = alloc_pages(GFP_ATOMIC, 0);		/* min-order=1: never a candidate */
	KT_ASSERT(page);
	__free_pages(page, 0);
	exit(ukmem_exit());
}

/* A large kmalloc is a page allocation of its order: 16 KiB is 4 pages. */
static void kmalloc_large_space_child(void *cmdline)
{
	void *p;

	KT_EQ(ukmem_init(cmdline), 0);
	p = kmalloc(16384, GFP_ATOMIC);			/* 5 > 4 */
	KT_ASSERT(p);
	kfree(p);
	KT_ASSERT(kmalloc(16384, GFP_ATOMIC) == NULL);	/* 1 is not more than 4 */
	exit(ukmem_exit());
}

static void test_page_space(void)
{
	char *out = child(pages_space_child, "fail_page_alloc=1,100,10,-1 fail_page_alloc.verbose=1");

	KT_EQ(count_str(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "FAULT_INJECTION: forcing a failure.\n"
			 "name fail_page_alloc, interval 1, probability 100, space 2, times -1\n");
	free(out);
	out = child(kmalloc_large_space_child, "fail_page_alloc=1,100,5,-1 fail_page_alloc.verbose=1");
	KT_CONTAINS(out, "name fail_page_alloc, interval 1, probability 100, space 1, times -1\n");
	free(out);
}

int main(void)
{
	test_bulk();
	test_page_space();
	return 0;
}
