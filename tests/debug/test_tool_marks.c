/* SPDX-License-Identifier: MIT */
/*
 * What a watching AddressSanitizer is told about ukmem's memory (src/debug/annotate.h), byte
 * by byte, where the kernel's KASAN draws the same line:
 *  - a freed SLAB_TYPESAFE_BY_RCU object stays readable inside an RCU reader, also while its
 *    emptied slab waits for the grace period; its red zone does not; a freed kmalloc object
 *    is off limits at once;
 *  - vmalloc(1000): the first 1000 bytes usable, the rest of the page not; vmap and
 *    vm_map_ram: their whole pages, also at an address where a freed vmalloc area left its
 *    tail marked; get_vm_area(100): the 100 bytes asked for;
 *  - krealloc moving kmalloc(100) copies its class, slack included, unreported (as 6.1,
 *    with KASAN's checks off); kfree_sensitive clears the whole object (6.1's calls ksize
 *    first);
 *  - with init_on_free=1 in UKMEM_CMDLINE, objects freed through the debug paths (a tool
 *    watching makes every cache a debug cache) are zeroed too: a freed object comes back
 *    zeroed.
 * The program also makes each of these accesses, so a tool that disagrees reports it: in a
 * build without ASan the marks cannot be read and only the accesses are made, which the gcc
 * build runs under memcheck too (test_tool_marks_valgrind; memcheck also sees a freed
 * SLAB_TYPESAFE_BY_RCU object's bytes as defined, or the comparison of one would report).
 */
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <ukmem.h>
#include "ktest.h"

#pragma weak __asan_address_is_poisoned
#pragma weak __asan_region_is_poisoned

static bool asan(void)
{
	return __asan_address_is_poisoned != NULL;
}

static void marks_usable(const void *p, size_t len, const char *what)
{
	if (asan() && __asan_region_is_poisoned((void *)p, len))
		KT_FAIL("%s: %p (%zu bytes) has a poisoned byte at %p", what, p, len,
			__asan_region_is_poisoned((void *)p, len));
}

/* Usable, and read byte by byte (a watching tool reports a read it disagrees with). */
static void expect_usable(const void *p, size_t len, const char *what)
{
	marks_usable(p, len, what);
	for (size_t i = 0; i < len; i++)
		(void)((volatile const char *)p)[i];
}

static void expect_poisoned(const void *p, const char *what)
{
	if (asan() && !__asan_address_is_poisoned(p))
		KT_FAIL("%s: %p is not poisoned", what, p);
}

struct rcu_free {
	struct kmem_cache *c;
	void *obj;
};

static void *free_and_shrink(void *arg)
{
	struct rcu_free *f = arg;

	kmem_cache_free(f->c, f->obj);
	kmem_cache_shrink(f->c);	/* the empty slab goes back after a grace period */
	return NULL;
}

static void check_typesafe(void)
{
	struct kmem_cache *c = kmem_cache_create("marks_rcu", 100, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	char *p = kmem_cache_alloc(c, GFP_KERNEL), *q;
	struct rcu_free f = { c, p };
	pthread_t t;

	KT_ASSERT(p);
	memset(p, 0x5a, 100);
	rcu_read_lock();
	kmem_cache_free(c, p);
	expect_usable(p, 100, "a freed SLAB_TYPESAFE_BY_RCU object");
	KT_EQ(p[99], 0x5a);			/* its bytes survive the free */
	expect_poisoned(p + 100, "its right red zone");
	rcu_read_unlock();

	q = kmem_cache_alloc(c, GFP_KERNEL);	/* the same object back (no quarantine) */
	KT_ASSERT(q);
	if (asan())
		KT_ASSERT(q == p);
	rcu_read_lock();
	f.obj = q;
	KT_EQ(pthread_create(&t, NULL, free_and_shrink, &f), 0);
	KT_EQ(pthread_join(t, NULL), 0);
	expect_usable(q, 100, "a freed SLAB_TYPESAFE_BY_RCU object whose slab waits for a grace period");
	expect_poisoned(q + 100, "its right red zone while the slab waits");
	rcu_read_unlock();
	kmem_cache_destroy(c);
}

static void check_kmalloc(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KT_ASSERT(p);
	expect_usable(p, 64, "a live kmalloc object");
	expect_poisoned(p + 64, "the red zone of a live kmalloc object");
	rcu_read_lock();
	kfree(p);
	expect_poisoned(p, "a freed kmalloc object inside an RCU reader");
	rcu_read_unlock();
}

/* krealloc that moves an object copies its whole class, as 6.1's with KASAN's checks off:
 * no tool report for the slack; kfree_sensitive clears the whole object, slack included,
 * as 6.1's (after its ksize). */
static void check_krealloc_and_sensitive(void)
{
	char *p = kmalloc(100, GFP_KERNEL);

	KT_ASSERT(p);
	memset(p, 0x11, 100);
	p = krealloc(p, 300, GFP_KERNEL);
	KT_ASSERT(p);
	expect_usable(p, 300, "an object krealloc moved");
	KT_EQ(p[99], 0x11);
	kfree(p);
	kfree_sensitive(kmalloc(100, GFP_KERNEL));
}

static void check_init_on_free(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");

	if (!cmdline || !strstr(cmdline, "init_on_free=1"))
		return;
	for (int i = 0; i < 200; i++) {	/* through the quarantine and back */
		unsigned char *p = kmalloc(48, GFP_KERNEL);

		KT_ASSERT(p);
		for (int k = 0; k < 48; k++)
			if (p[k])
				KT_FAIL("allocation %d: byte %d is 0x%x after init_on_free", i, k, p[k]);
		memset(p, 0xa5, 48);
		kfree(p);
	}
}

static void check_vmalloc(void)
{
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	struct vm_struct *area;
	char *v = vmalloc(1000), *m, *r;

	KT_ASSERT(v && pages[0] && pages[1]);
	expect_usable(v, 1000, "vmalloc(1000)");
	expect_poisoned(v + 1000, "byte 1000 of vmalloc(1000)");
	vfree(v);
	vm_unmap_aliases();		/* the lazy area's span is free again */

	m = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	KT_ASSERT(m);
	printf("vmap at %p, %s the freed vmalloc area\n", m, m == v ? "where" : "not where");
	memset(m, 1, 2 * PAGE_SIZE);
	expect_usable(m, 2 * PAGE_SIZE, "vmap of two pages");
	vunmap(m);
	vm_unmap_aliases();

	r = vm_map_ram(pages, 2, NUMA_NO_NODE);
	KT_ASSERT(r);
	memset(r, 2, 2 * PAGE_SIZE);
	expect_usable(r, 2 * PAGE_SIZE, "vm_map_ram of two pages");
	vm_unmap_ram(r, 2);
	vm_unmap_aliases();

	area = get_vm_area(100, VM_IOREMAP);
	KT_ASSERT(area);
	marks_usable(area->addr, 100, "get_vm_area(100)");	/* nothing mapped: marks only */
	expect_poisoned((char *)area->addr + 100, "byte 100 of get_vm_area(100)");
	free_vm_area(area);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

int main(void)
{
	check_typesafe();
	check_kmalloc();
	check_krealloc_and_sensitive();
	check_init_on_free();
	check_vmalloc();
	KT_EQ(ukmem_exit(), 0);
	printf("test_tool_marks: ok (%s)\n", asan() ? "ASan's marks checked" : "accesses only");
	return 0;
}
