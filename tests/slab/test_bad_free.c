/* SPDX-License-Identifier: MIT */
/*
 * Bad frees are reported in KASAN's shape and change nothing: a double free of the most
 * recently freed object, a pointer inside an object, a stack, static, heap or page-allocator
 * address, the middle of a large kmalloc.  kmem_cache_free to the wrong cache is 6.1's
 * cache_from_obj warning, and the object is freed into its own cache (a kfree of it after
 * is a double free).  After each, the allocator still hands out distinct objects and live
 * objects keep their contents.
 */
#include <stdint.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <ukmem.h>
/* Keeps the helpers' calls out of tail position, so the report names the helper. */
#define NO_TAIL()	__asm__ __volatile__("" ::: "memory")
#include "ktest.h"

#define NLIVE 64

static unsigned char *live[NLIVE];
static int failures;

static void fill_live(void)
{
	for (int i = 0; i < NLIVE; i++) {
		live[i] = kmalloc(64, GFP_KERNEL);
		memset(live[i], i, 64);
	}
}

/* Nothing was damaged: live objects intact, new objects distinct from them and each other. */
static void check_unharmed(void)
{
	unsigned char *fresh[300];

	for (int i = 0; i < NLIVE; i++)
		for (int j = 0; j < 64; j++)
			KT_EQ(live[i][j], i);
	for (int i = 0; i < 300; i++) {
		fresh[i] = kmalloc(64, GFP_KERNEL);
		for (int j = 0; j < NLIVE; j++)
			KT_ASSERT(fresh[i] != live[j]);
		for (int j = 0; j < i; j++)
			KT_ASSERT(fresh[i] != fresh[j]);
		memset(fresh[i], 0xee, 64);
	}
	for (int i = 0; i < 300; i++)
		kfree(fresh[i]);
	for (int i = 0; i < NLIVE; i++)
		for (int j = 0; j < 64; j++)
			KT_EQ(live[i][j], i);
}

static void expect_report(void (*fn)(void *), void *arg, const char *first_line, const char *detail)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	fn(arg);
	out = kt_capture_end();
	KT_CONTAINS(out, first_line);
	KT_CONTAINS(out, "Free of addr");
	KT_CONTAINS(out, "Call Trace:");
	if (detail)
		KT_CONTAINS(out, detail);
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	check_unharmed();
	failures++;
}

static noinline void do_kfree(void *p) { kfree(p); NO_TAIL(); }

static noinline void double_free(void *arg)
{
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	kfree(p);
	NO_TAIL();
}

static noinline void double_free_cache(void *arg)
{
	struct kmem_cache *c = arg;
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	kmem_cache_free(c, p);
	kmem_cache_free(c, p);
	NO_TAIL();
}

static noinline void bulk_double(void *arg)
{
	struct kmem_cache *c = arg;
	void *p[3];

	if (kmem_cache_alloc_bulk(c, GFP_KERNEL, 2, p) != 2)
		KT_FAIL("bulk allocation");
	p[2] = p[1];
	kmem_cache_free_bulk(c, 3, p);
	NO_TAIL();
}

/* The object kmem_cache_free was given with the wrong cache (freed into its own). */
static void *wrong_obj;

static noinline void wrong_cache(void *arg)
{
	struct kmem_cache *c = arg;

	wrong_obj = kmalloc(64, GFP_KERNEL);
	kmem_cache_free(c, wrong_obj);
	NO_TAIL();
}

static noinline void stack_free(void *arg)
{
	char buf[64] = "";

	kfree(buf);
	NO_TAIL();
}

static noinline void page_free(void *arg)
{
	unsigned long page = __get_free_page(GFP_KERNEL);

	kfree((void *)page);
	free_page(page);
}

/* kfree of a page inside a block of the page allocator (order 2, not compound): the page
 * is allocated, so an invalid free (it was called a double free of memory not allocated:
 * the block's other pages have no reference count of their own). */
static noinline void page_block_free(void *arg)
{
	unsigned long block = __get_free_pages(GFP_KERNEL, 2);

	kfree((void *)(block + 2 * PAGE_SIZE));
	free_pages(block, 2);
}

/* kfree of a page freed already: a double free. */
static noinline void freed_page_free(void *arg)
{
	unsigned long page = __get_free_page(GFP_KERNEL);

	free_page(page);
	kfree((void *)page);
	NO_TAIL();
}

/* A double free with another free between, then ukmem_exit on the same thread: found by the
 * shut-down at the latest (the default mode finds it when the thread's array is emptied,
 * which ukmem_exit now does: before, nothing reported it). */
static noinline void double_then_exit(void *arg)
{
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL), *c = kmalloc(64, GFP_KERNEL);

	kfree(a);
	kfree(b);
	kfree(c);
	kfree(b);
	ukmem_exit();	/* also reports the parent's live objects as leaks */
	exit(0);
}

static noinline void large_double(void *arg)
{
	void *p = kmalloc(50000, GFP_KERNEL);

	kfree(p);
	kfree(p);
	NO_TAIL();
}

static char static_buf[128];

int main(void)
{
	struct kmem_cache *c;
	char *heap = malloc(64), *large;
	unsigned char *obj;

	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : ""), 0);	/* ukmem.annotate=0 under ASan */
	c = kmem_cache_create("victim", 64, 0, 0, NULL);
	fill_live();
	check_unharmed();

	expect_report(double_free, NULL, "BUG: KASAN: double-free in double_free", "most recently freed");
	expect_report(double_free_cache, c, "BUG: KASAN: double-free in double_free_cache", NULL);
	expect_report(bulk_double, c, "BUG: KASAN: double-free in bulk_double", NULL);
	obj = kmalloc(64, GFP_KERNEL);
	expect_report(do_kfree, obj + 8, "BUG: KASAN: invalid-free in do_kfree",
		      "The buggy address is located 8 bytes inside of");
	expect_report(do_kfree, obj + 63, "BUG: KASAN: invalid-free", "belongs to the cache kmalloc-64");
	kfree(obj);
	expect_report(stack_free, NULL, "BUG: KASAN: invalid-free in stack_free", "not in the direct map");
	expect_report(do_kfree, static_buf, "BUG: KASAN: invalid-free", "not in the direct map");
	expect_report(do_kfree, heap, "BUG: KASAN: invalid-free", "not in the direct map");
	expect_report(do_kfree, (void *)0x1000, "BUG: KASAN: invalid-free", NULL);
	expect_report(page_free, NULL, "BUG: KASAN: invalid-free in page_free", "page allocator");
	expect_report(page_block_free, NULL, "BUG: KASAN: invalid-free in page_block_free",
		      "page allocator");
	expect_report(freed_page_free, NULL, "BUG: KASAN: double-free in freed_page_free",
		      "not allocated");
	large = kmalloc(40000, GFP_KERNEL);
	expect_report(do_kfree, large + 4096, "BUG: KASAN: invalid-free", "inside a large kmalloc");
	kfree(large);
	expect_report(large_double, NULL, "BUG: KASAN: double-free in large_double", NULL);
	{
		unsigned long before = ukmem_report_count();
		char *out;

		kt_capture_begin();
		wrong_cache(c);
		out = kt_capture_end();
		KT_CONTAINS(out, "Wrong slab cache. victim but object is from kmalloc-64");
		KT_EQ(ukmem_report_count(), before + 1);
		free(out);
		failures++;
		/* 6.1 frees the object into kmalloc-64 after the warning: a kfree now is a
		 * double free (the wrong-cache free was ignored: this kfree freed it) */
		expect_report(do_kfree, wrong_obj, "BUG: KASAN: double-free in do_kfree", NULL);
	}
	{	/* kmem_cache_free of no slab object: no word of "the object" or its cache */
		char stack_obj[64], *out;

		kt_capture_begin();
		kmem_cache_free(c, stack_obj);
		out = kt_capture_end();
		KT_CONTAINS(out, "BUG: KASAN: invalid-free");
		KT_NOT_CONTAINS(out, "belongs to the cache");
		free(out);
		failures++;
	}
	{
		char *out;
		int status = kt_run_child(double_then_exit, NULL, &out);

		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		KT_CONTAINS(out, "BUG: KASAN: double-free in ");
		free(out);
	}
	for (int i = 0; i < NLIVE; i++)
		kfree(live[i]);
	kmem_cache_destroy(c);
	free(heap);
	KT_EQ(ukmem_report_count(), failures);
	printf("test_bad_free: ok\n");
	return 0;
}
