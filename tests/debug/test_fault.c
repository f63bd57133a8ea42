/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: per-thread fail-nth counts every allocation point (slab, from a full
 * per-thread array too; pages; vmalloc; GFP_ATOMIC as well as GFP_KERNEL) and fails exactly
 * the n-th, with the kernel's "FAULT_INJECTION: forcing a failure." report and a stack;
 * get_vm_area, vmap and vm_map_ram are one point each, as 6.1's kzalloc of the area's
 * vm_struct, and kmem_cache_create one (its kmem_cache_node), with 6.1's warning; __GFP_NOFAIL is never failed or counted; fail-nth reads back 0 once fired and is
 * per-thread.  failslab= and fail_page_alloc= with the kernel's interval, probability, space
 * and times, ignore-gfp-wait (default 1), ignore-gfp-highmem, min-order, verbose and the
 * caller filter.  Injected faults are not problems for ukmem_exit.  A driver's own
 * DECLARE_FAULT_ATTR + should_fail.  Each case with its own command line runs in a child
 * that starts ukmem itself.
 */
#include <pthread.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

static void start(void *cmdline)
{
	KT_EQ(ukmem_init(cmdline), 0);
}

/* ---- fail-nth ---- */
static noinline void *victim_alloc(gfp_t gfp)
{
	return kmalloc(64, gfp);
}

/* Areas without pages of their own: one point each (6.1's kzalloc of the vm_struct). */
static noinline void vm_points(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct vm_struct *area;
	void *p;

	ukmem_set_fail_nth(1);
	KT_ASSERT(get_vm_area(2 * PAGE_SIZE, VM_IOREMAP) == NULL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	ukmem_set_fail_nth(1);
	KT_ASSERT(vmap(&page, 1, VM_MAP, PAGE_KERNEL) == NULL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	ukmem_set_fail_nth(1);
	KT_ASSERT(vm_map_ram(&page, 1, NUMA_NO_NODE) == NULL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	ukmem_set_fail_nth(3);				/* counted once each */
	area = get_vm_area(PAGE_SIZE, VM_IOREMAP);
	p = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	KT_ASSERT(area && p);
	KT_EQ(ukmem_get_fail_nth(), 1);
	ukmem_set_fail_nth(0);
	vunmap(p);
	free_vm_area(area);
	__free_page(page);
}

/* A new cache: one point (6.1's kmem_cache_node), then the warning with the stack. */
static noinline void cache_point(void)
{
	struct kmem_cache *c;

	ukmem_set_fail_nth(1);
	KT_ASSERT(kmem_cache_create("nth_cache", 40, 0, 0, NULL) == NULL);
	KT_EQ(ukmem_get_fail_nth(), 0);
	ukmem_set_fail_nth(2);
	c = kmem_cache_create("nth_cache", 40, 0, 0, NULL);
	KT_ASSERT(c);
	KT_EQ(ukmem_get_fail_nth(), 1);
	ukmem_set_fail_nth(0);
	kmem_cache_destroy(c);
}

static void fail_nth_child(void *arg)
{
	void *keep[200], *p;
	struct page *page;

	start(arg);
	/* Fill this thread's kmalloc-64 array: the fast path would serve from it. */
	for (int i = 0; i < 200; i++)
		keep[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		kfree(keep[i]);
	ukmem_set_fail_nth(3);
	KT_EQ(ukmem_get_fail_nth(), 3);
	p = victim_alloc(GFP_KERNEL);
	KT_ASSERT(p);
	KT_EQ(ukmem_get_fail_nth(), 2);
	kfree(p);
	page = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);	/* never failed, not counted */
	KT_ASSERT(page);
	__free_pages(page, 0);
	KT_EQ(ukmem_get_fail_nth(), 2);
	p = victim_alloc(GFP_ATOMIC);				/* counted, whatever the flags */
	KT_ASSERT(p);
	kfree(p);
	KT_EQ(ukmem_get_fail_nth(), 1);
	KT_ASSERT(victim_alloc(GFP_KERNEL) == NULL);		/* the third */
	KT_EQ(ukmem_get_fail_nth(), 0);
	p = victim_alloc(GFP_KERNEL);				/* off again */
	KT_ASSERT(p);
	kfree(p);
	for (int i = 100; i < 200; i++)
		kfree(keep[i]);

	ukmem_set_fail_nth(1);
	KT_ASSERT(alloc_pages(GFP_KERNEL, 0) == NULL);
	ukmem_set_fail_nth(1);
	KT_ASSERT(vmalloc(3 * PAGE_SIZE) == NULL);
	ukmem_set_fail_nth(1);
	KT_ASSERT(kmalloc(100000, GFP_KERNEL) == NULL);	/* a large kmalloc: pages */
	ukmem_set_fail_nth(2);
	p = kmem_cache_alloc(kmalloc_caches[KMALLOC_NORMAL][7], GFP_KERNEL);
	KT_ASSERT(p);
	kfree(p);
	ukmem_set_fail_nth(0);
	vm_points();
	cache_point();
	KT_EQ(ukmem_exit(), 0);				/* injected faults are no problems */
	exit(0);
}

/* While hooked, frees go straight to the slabs: a double free is still caught, and the
 * object is not handed out twice. */
static void hooked_double_free_child(void *arg)
{
	void *p, *a, *b;

	start(arg);
	ukmem_set_fail_nth(1000);
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	kfree(p);
	a = kmalloc(32, GFP_KERNEL);
	b = kmalloc(32, GFP_KERNEL);
	KT_ASSERT(a != b);
	kfree(a);
	kfree(b);
	ukmem_set_fail_nth(0);
	exit(ukmem_exit());
}

static void *other_thread(void *arg)
{
	void *p;

	KT_EQ(ukmem_get_fail_nth(), 0);			/* per-thread */
	p = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(p);
	kfree(p);
	return NULL;
}

static void fail_nth_thread_child(void *arg)
{
	pthread_t t;

	start(arg);
	ukmem_set_fail_nth(1);
	KT_EQ(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, NULL);
	KT_EQ(ukmem_get_fail_nth(), 1);
	KT_ASSERT(kmalloc(64, GFP_KERNEL) == NULL);
	exit(0);
}

static void test_fail_nth(void)
{
	char *out = kt_child_output(fail_nth_child, "");

	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 8);
	KT_CONTAINS(out, " vm_points+");		/* its three areas, silently NULL */
	KT_NOT_CONTAINS(out, "vmap allocation");
	KT_CONTAINS(out, "kmem_cache_create_usercopy(nth_cache) failed with error -12\n");
	KT_CONTAINS(out, " cache_point+");
	KT_CONTAINS(out, "FAULT_INJECTION: forcing a failure.\nname failslab, interval 1, probability 0, space 0, times 1\n");
	KT_CONTAINS(out, "name fail_page_alloc, interval 1, probability 0, space 0, times 1\n");
	KT_CONTAINS(out, "Call Trace:\n");
	KT_CONTAINS(out, " fail_nth_child+");
	KT_CONTAINS(out, "test_fault.c:");
	KT_NOT_CONTAINS(out, "page allocation failure");	/* as the kernel: injection only */
	free(out);
	out = kt_child_output(fail_nth_thread_child, "");
	KT_EQ(kt_count(out, "FAULT_INJECTION"), 1);
	free(out);
	{
		int status = kt_run_child(hooked_double_free_child, (void *)"", &out);

		KT_ASSERT(WIFEXITED(status));
		KT_EQ(WEXITSTATUS(status), 1);
		KT_CONTAINS(out, "BUG: KASAN: double-free in ");
		free(out);
	}
}

/* ---- failslab= and fail_page_alloc= ---- */
static int fails(int n, void *(*fn)(void))
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		void *p = fn();

		failed += !p;
		kfree(p);
	}
	return failed;
}

static void *k_kernel(void) { return kmalloc(64, GFP_KERNEL); }
static void *k_atomic(void) { return kmalloc(64, GFP_ATOMIC); }

static void times_child(void *arg)
{
	start(arg);
	KT_EQ(fails(10, k_kernel), 0);		/* ignore-gfp-wait=1 (the default) */
	KT_EQ(fails(10, k_atomic), 2);		/* times=2 */
	exit(ukmem_exit());
}

static void interval_child(void *arg)
{
	start(arg);
	KT_EQ(fails(30, k_kernel), 10);		/* every 3rd, ignore-gfp-wait=0 */
	exit(ukmem_exit());
}

static void space_child(void *arg)
{
	start(arg);
	/* space=256: an allocation passes while more than its size is left (256, 192, 128) */
	KT_EQ(fails(3, k_atomic), 0);
	KT_EQ(fails(4, k_atomic), 4);
	exit(ukmem_exit());
}

/* Not tail calls: the caller filter looks for these frames on the stack. */
static noinline void *victim(void)
{
	void *p = kmalloc(64, GFP_ATOMIC);

	barrier();
	return p;
}

static noinline void *bystander(void)
{
	void *p = kmalloc(64, GFP_ATOMIC);

	barrier();
	return p;
}

static void caller_child(void *arg)
{
	start(arg);
	KT_EQ(fails(10, bystander), 0);
	KT_EQ(fails(10, victim), 10);
	exit(ukmem_exit());
}

/* failslab.cache-filter=1: only caches slub_debug=A marks (SLAB_FAILSLAB) are candidates;
 * fail-nth still counts every cache. */
static void cache_filter_child(void *arg)
{
	struct kmem_cache *marked, *plain;
	int failed = 0;
	void *p;

	start(arg);
	marked = kmem_cache_create("marked", 64, 0, 0, NULL);
	plain = kmem_cache_create("plain", 64, 0, 0, NULL);
	KT_ASSERT(marked && plain);
	for (int i = 0; i < 5; i++) {
		p = kmem_cache_alloc(plain, GFP_ATOMIC);
		KT_ASSERT(p);
		kmem_cache_free(plain, p);
		p = kmem_cache_alloc(marked, GFP_ATOMIC);
		failed += !p;
		if (p)
			kmem_cache_free(marked, p);
	}
	KT_EQ(failed, 5);
	KT_EQ(fails(5, k_atomic), 0);			/* kmalloc-64 is not marked */
	ukmem_set_fail_nth(1);
	KT_ASSERT(kmem_cache_alloc(plain, GFP_ATOMIC) == NULL);	/* fail-nth: no filter */
	kmem_cache_destroy(plain);
	kmem_cache_destroy(marked);
	exit(ukmem_exit());
}

static void pages_child(void *arg)
{
	struct page *page;

	start(arg);
	page = alloc_pages(GFP_ATOMIC, 0);		/* min-order=1 (the default) */
	KT_ASSERT(page);
	__free_pages(page, 0);
	KT_ASSERT(alloc_pages(GFP_ATOMIC, 1) == NULL);
	page = alloc_pages(GFP_KERNEL, 1);		/* ignore-gfp-wait */
	KT_ASSERT(page);
	__free_pages(page, 1);
	page = alloc_pages(GFP_ATOMIC | __GFP_HIGHMEM, 1);	/* ignore-gfp-highmem */
	KT_ASSERT(page);
	__free_pages(page, 1);
	page = alloc_pages(GFP_ATOMIC | __GFP_NOFAIL, 1);
	KT_ASSERT(page);
	__free_pages(page, 1);
	exit(ukmem_exit());
}

static void test_cmdline_attrs(void)
{
	char *out = kt_child_output(times_child, "failslab=1,100,0,2 failslab.verbose=1");

	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 2);
	KT_CONTAINS(out, "name failslab, interval 1, probability 100, space 0, times 2\n");
	KT_CONTAINS(out, "name failslab, interval 1, probability 100, space 0, times 1\n");
	KT_NOT_CONTAINS(out, "Call Trace:");		/* verbose=1: the message only */
	free(out);
	out = kt_child_output(interval_child, "failslab=3,100,0,-1 failslab.ignore-gfp-wait=0 failslab.verbose=0");
	KT_NOT_CONTAINS(out, "FAULT_INJECTION");
	free(out);
	out = kt_child_output(space_child, "failslab=1,100,256,-1 failslab.verbose=0");
	free(out);
	out = kt_child_output(caller_child, "failslab=1,100,0,-1 failslab.caller=victim,nothing_else failslab.verbose=0");
	free(out);
	out = kt_child_output(cache_filter_child, "failslab=1,100,0,-1 failslab.cache-filter=1 "
			      "slub_debug=A,marked failslab.verbose=0");
	free(out);
	out = kt_child_output(pages_child, "fail_page_alloc=1,100,0,-1");
	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\n"), 1);
	KT_CONTAINS(out, "name fail_page_alloc, interval 1, probability 100, space 0, times -1\n");
	free(out);
}

/* ---- a driver's own attribute ---- */
static DECLARE_FAULT_ATTR(fail_foo);

static void own_attr_child(void *arg)
{
	char spec[] = "2,100,0,3";
	int failed = 0;

	start(arg);
	KT_EQ(should_fail(&fail_foo, 1), false);	/* probability 0 */
	KT_EQ(setup_fault_attr(&fail_foo, spec), 1);
	fail_foo.dname = "fail_foo";
	for (int i = 0; i < 20; i++)
		failed += should_fail(&fail_foo, 1);
	KT_EQ(failed, 3);				/* every 2nd, 3 times */
	ukmem_set_fail_nth(2);				/* counts should_fail too */
	KT_EQ(should_fail(&fail_foo, 1), false);
	KT_EQ(should_fail(&fail_foo, 1), true);
	exit(0);
}

static void test_own_attr(void)
{
	char *out = kt_child_output(own_attr_child, "");

	KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure.\nname fail_foo, interval 2, probability 100"), 4);
	KT_CONTAINS(out, " own_attr_child+");
	free(out);
}

static void test_bad_cmdline(void)
{
	KT_EQ(ukmem_init("failslab.verbose=3"), -EINVAL);
	KT_EQ(ukmem_init("fail_page_alloc.min-order=x"), -EINVAL);
	KT_EQ(ukmem_init("failslab.caller=a;b"), -EINVAL);
	KT_EQ(ukmem_init("failslab.cache-filter=2"), -EINVAL);
	KT_EQ(ukmem_init("failslab.nonsense=1"), -EINVAL);
	KT_EQ(ukmem_init("kmemleak.stacks=maybe"), -EINVAL);
}

int main(void)
{
	test_fail_nth();
	test_cmdline_attrs();
	test_own_attr();
	test_bad_cmdline();
	return 0;
}
