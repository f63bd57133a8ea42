/* SPDX-License-Identifier: MIT */
/*
 * Fault injection point by point as 6.1 (lib/fault-inject.c, mm/failslab.c, mm/slub.c,
 * should_fail_alloc_page):
 *  - kmem_cache_alloc_bulk is one failslab point per call (slab_pre_alloc_hook once, with
 *    the cache's object size): fail-nth counts the call once, failslab's space is used once
 *    per call, and a failed call returns 0 with one report.
 *  - failslab's size is the cache's object size: a kmalloc's size class, not the size asked.
 *  - fail_page_alloc's size is 1 << order (pages, not bytes): space=N lets an allocation
 *    through while more than its pages are left, large kmallocs included.
 *  - setup_fault_attr reads "%lu,%lu,%d,%d" with the kernel's sscanf: no '+', no '-' before
 *    the unsigned numbers, blanks (the kernel's, 0xa0 too) before a number, overflow wraps,
 *    anything after the fourth number ignored, a probability above 100 kept; 0 and
 *    "FAULT_INJECTION: failed to parse arguments" when a field is missing, nothing printed
 *    on success.  failslab= on the command line reads its numbers the same way.
 *  - The filters and flags of 6.1's __should_failslab and __should_fail_alloc_page (pinned):
 *    __GFP_NOWARN fails silently (FAULT_NOWARN) but still uses up one of `times`;
 *    __GFP_NOFAIL is never failed nor counted by fail-nth; fail_page_alloc's min-order
 *    defaults to 1 and min-order=0 makes order-0 pages candidates.
 * Each case with its own command line runs in a child that starts ukmem itself.
 */
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

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

/* failslab=1,100,256,-1: kmalloc(100) is a kmalloc-128 object, 128 bytes of space. */
static void kmalloc_class_child(void *cmdline)
{
	void *p;

	KT_EQ(ukmem_init(cmdline), 0);
	p = kmalloc(100, GFP_ATOMIC);			/* 256 > 128 */
	KT_ASSERT(p);
	kfree(p);
	KT_ASSERT(kmalloc(100, GFP_ATOMIC) == NULL);	/* 128 is not more than 128 */
	exit(ukmem_exit());
}

static void test_bulk(void)
{
	char *out = kt_child_output(bulk_nth_child, "failslab.verbose=1");

	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "FAULT_INJECTION: forcing a failure.\n"
			 "name failslab, interval 1, probability 0, space 0, times 1\n");
	free(out);
	out = kt_child_output(bulk_space_child, "failslab=1,100,288,-1 failslab.verbose=1");
	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "name failslab, interval 1, probability 100, space 96, times -1\n");
	free(out);
	out = kt_child_output(kmalloc_class_child, "failslab=1,100,256,-1 failslab.verbose=1");
	KT_CONTAINS(out, "name failslab, interval 1, probability 100, space 128, times -1\n");
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
	char *out = kt_child_output(pages_space_child, "fail_page_alloc=1,100,10,-1 fail_page_alloc.verbose=1");

	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "FAULT_INJECTION: forcing a failure.\n"
			 "name fail_page_alloc, interval 1, probability 100, space 2, times -1\n");
	free(out);
	out = kt_child_output(kmalloc_large_space_child, "fail_page_alloc=1,100,5,-1 fail_page_alloc.verbose=1");
	KT_CONTAINS(out, "name fail_page_alloc, interval 1, probability 100, space 1, times -1\n");
	free(out);
}

/* ---- setup_fault_attr ---- */
struct parse_case {
	const char *str;
	int ret;
	unsigned long interval, probability;
	int space, times;
};

static const struct parse_case parse_cases[] = {
	{ "2,100,0,3", 1, 2, 100, 0, 3 },
	{ "1,2,3,4junk", 1, 1, 2, 3, 4 },		/* what follows is not read */
	{ "1,2,3,4,5", 1, 1, 2, 3, 4 },
	{ "1, 2,\t3,\n4", 1, 1, 2, 3, 4 },		/* blanks before a number */
	{ "1,\xa0" "2,3,4", 1, 1, 2, 3, 4 },		/* the kernel's isspace(0xa0) */
	{ "1,200,0,-1", 1, 1, 200, 0, -1 },		/* kept above 100 */
	{ "1,2,-3,-5", 1, 1, 2, -3, -5 },
	{ "1,2,3,4294967297", 1, 1, 2, 3, 1 },		/* a %d keeps the low 32 bits */
	{ "1,2,3,99999999999999999999", 1, 1, 2, 3, 1661992959 },	/* wraps modulo 2^64 */
	{ "1,18446744073709551617,0,1", 1, 1, 1, 0, 1 },
	{ "1,2,3", 0 },
	{ "1,2,3,", 0 },
	{ "1,2,3,-", 0 },
	{ "1 ,2,3,4", 0 },				/* a ',' must follow at once */
	{ "-1,2,3,4", 0 },				/* no sign before a %lu */
	{ "+1,2,3,4", 0 },
	{ "1,+2,3,4", 0 },
	{ "1,2,+3,4", 0 },				/* nor '+' before a %d */
	{ "0x10,2,3,4", 0 },
	{ "", 0 },
};

static void parse_child(void *arg)
{
	const struct parse_case *c = arg;
	struct fault_attr attr = FAULT_ATTR_INITIALIZER;
	char buf[64];

	KT_EQ(ukmem_init(""), 0);
	snprintf(buf, sizeof(buf), "%s", c->str);
	fprintf(stderr, "<<");
	KT_EQ(setup_fault_attr(&attr, buf), c->ret);
	fprintf(stderr, ">>");
	if (c->ret) {
		KT_EQ(attr.interval, c->interval);
		KT_EQ(attr.probability, c->probability);
		KT_EQ(atomic_read(&attr.space), c->space);
		KT_EQ(atomic_read(&attr.times), c->times);
	} else {				/* untouched */
		KT_EQ(attr.interval, 1);
		KT_EQ(attr.probability, 0);
		KT_EQ(atomic_read(&attr.times), 1);
	}
	exit(0);
}

static void test_setup_fault_attr(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		char *out;
		int status = kt_run_child(parse_child, (void *)c, &out);

		if (!WIFEXITED(status) || WEXITSTATUS(status))
			KT_FAIL("setup_fault_attr(\"%s\"): child failed:\n%s", c->str, out);
		if (c->ret)
			KT_CONTAINS(out, "<<>>");	/* nothing printed */
		else
			KT_CONTAINS(out, "<<FAULT_INJECTION: failed to parse arguments\n>>");
		free(out);
	}
}

/* A probability above 100 fails every candidate and is reported as given. */
static DECLARE_FAULT_ATTR(fail_over);

static void over_child(void *arg)
{
	char spec[] = "1,200,0,2";
	int failed = 0;

	KT_EQ(ukmem_init(""), 0);
	KT_EQ(setup_fault_attr(&fail_over, spec), 1);
	fail_over.dname = "fail_over";
	fail_over.verbose = 1;
	for (int i = 0; i < 10; i++)
		failed += should_fail(&fail_over, 1);
	KT_EQ(failed, 2);
	exit(0);
}

/* failslab= wraps its numbers as the kernel's sscanf. */
static void wrap_child(void *cmdline)
{
	KT_EQ(ukmem_init(cmdline), 0);
	KT_ASSERT(kmalloc(64, GFP_ATOMIC) == NULL);
	exit(ukmem_exit());
}

static void test_probability_and_cmdline(void)
{
	char *out = kt_child_output(over_child, "");

	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 2);
	KT_CONTAINS(out, "name fail_over, interval 1, probability 200, space 0, times 2\n");
	KT_CONTAINS(out, "name fail_over, interval 1, probability 200, space 0, times 1\n");
	free(out);
	out = kt_child_output(wrap_child, "failslab=1,100,0,99999999999999999999 failslab.verbose=1");
	KT_CONTAINS(out, "name failslab, interval 1, probability 100, space 0, times 1661992959\n");
	free(out);
}

/* ---- flags and filters ---- */
static void nowarn_child(void *cmdline)
{
	void *p;

	KT_EQ(ukmem_init(cmdline), 0);
	KT_ASSERT(kmalloc(64, GFP_ATOMIC | __GFP_NOWARN) == NULL);	/* silent, times 2 -> 1 */
	fprintf(stderr, "--\n");
	KT_ASSERT(kmalloc(64, GFP_ATOMIC) == NULL);			/* reported, times 1 */
	p = kmalloc(64, GFP_ATOMIC);					/* times 0: no more */
	KT_ASSERT(p);
	kfree(p);
	ukmem_set_fail_nth(2);
	p = kmalloc(64, GFP_KERNEL | __GFP_NOFAIL);			/* not counted */
	KT_ASSERT(p);
	kfree(p);
	KT_EQ(ukmem_get_fail_nth(), 2);
	p = kmalloc(64, GFP_KERNEL | __GFP_NOWARN);			/* counted */
	KT_ASSERT(p);
	kfree(p);
	KT_ASSERT(kmalloc(64, GFP_KERNEL | __GFP_NOWARN) == NULL);	/* fails, silently */
	KT_EQ(ukmem_get_fail_nth(), 0);
	exit(ukmem_exit());
}

static void min_order_child(void *cmdline)
{
	KT_EQ(ukmem_init(cmdline), 0);
	KT_ASSERT(alloc_pages(GFP_ATOMIC, 0) == NULL);		/* min-order=0 */
	exit(ukmem_exit());
}

static void test_flags(void)
{
	char *out = kt_child_output(nowarn_child, "failslab=1,100,0,2 failslab.verbose=1");

	KT_CONTAINS(out, "--\nFAULT_INJECTION: forcing a failure.\n"
			 "name failslab, interval 1, probability 100, space 0, times 1\n");
	KT_EQ(kt_count(out, "FAULT_INJECTION"), 1);
	free(out);
	out = kt_child_output(min_order_child, "fail_page_alloc=1,100,0,1 fail_page_alloc.min-order=0 "
				     "fail_page_alloc.verbose=1");
	KT_CONTAINS(out, "name fail_page_alloc, interval 1, probability 100, space 0, times 1\n");
	free(out);
}

int main(void)
{
	test_bulk();
	test_page_space();
	test_setup_fault_attr();
	test_probability_and_cmdline();
	test_flags();
	return 0;
}
