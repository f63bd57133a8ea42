/* SPDX-License-Identifier: MIT */
/*
 * An area's vm_struct is one kmalloc'd object, owned as 6.1 owns it: get_vm_area() and
 * find_vm_area() return it, remove_vm_area() hands that same object to the caller, who
 * kfree()s it (free_vm_area() is remove_vm_area() + kfree()); remove_vm_area() finds the
 * area from any address inside it, as 6.1's lookup does.  Each pattern runs in a child
 * that ends with ukmem_exit(): no report, no leak.  A descriptor the caller forgets is a
 * kmemleak report; a live area at exit is one leak, not two; fail-nth counts a vmalloc's
 * points as before, and a get_vm_area as one.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "vmtest.h"

/* Runs fn in a child that starts ukmem and exits with ukmem_exit()'s count. */
static void run_body(void *arg)
{
	KT_EQ(ukmem_init(NULL), 0);
	((void (*)(void))arg)();
	exit(ukmem_exit());
}

static char *child(void (*fn)(void), int problems)
{
	char *out;
	int status = kt_run_child(run_body, (void *)fn, &out);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != problems)
		KT_FAIL("child: status %#x, expected exit %d; output:\n%s", status, problems, out);
	return out;
}

static void clean(void (*fn)(void))
{
	char *out = child(fn, 0);

	KT_EQ(strlen(out), 0);
	free(out);
}

/* 6.1's own pattern (__vunmap, free_vm_area): the removed descriptor is the area's. */
static noinline void get_remove_kfree(void)
{
	struct vm_struct *vm = get_vm_area(2 * PAGE_SIZE, VM_IOREMAP), *got;

	KT_ASSERT(vm && find_vm_area(vm->addr) == vm);
	got = remove_vm_area(vm->addr);
	KT_ASSERT(got == vm);
	KT_ASSERT(!find_vm_area(got->addr));
	kfree(got);
}

static noinline void vmalloc_remove_kfree(void)
{
	char *p = vmalloc(3 * PAGE_SIZE);
	struct vm_struct *vm = find_vm_area(p), *got;

	KT_ASSERT(p && vm);
	memset(p, 5, 3 * PAGE_SIZE);
	got = remove_vm_area(p);
	KT_ASSERT(got == vm && got->addr == p && got->nr_pages == 3 && got->pages);
	for (unsigned int i = 0; i < got->nr_pages; i++) {
		KT_EQ(*(char *)page_address(got->pages[i]), 5);
		__free_page(got->pages[i]);
	}
	kvfree(got->pages);
	kfree(got);
}

/* 6.1 finds the area that contains the address: inside, or in its guard page. */
static noinline void remove_interior(void)
{
	struct vm_struct *vm = get_vm_area(3 * PAGE_SIZE, 0), *got;

	KT_ASSERT(vm && get_vm_area_size(vm) == 3 * PAGE_SIZE);
	got = remove_vm_area((char *)vm->addr + PAGE_SIZE + 8);
	KT_ASSERT(got == vm);
	kfree(got);
	vm = get_vm_area(PAGE_SIZE, 0);
	KT_ASSERT(vm && remove_vm_area((char *)vm->addr + PAGE_SIZE) == vm);	/* the guard */
	kfree(vm);
}

static noinline void free_vm_area_kinds(void)
{
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	struct vm_struct *vm;
	void *p;

	free_vm_area(get_vm_area(PAGE_SIZE, VM_IOREMAP));
	free_vm_area(get_vm_area_caller(3 * PAGE_SIZE, VM_MAP, __builtin_return_address(0)));
	KT_ASSERT(pages[0] && pages[1]);
	p = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	vm = find_vm_area(p);
	KT_ASSERT(p && vm && vm->addr == p);
	free_vm_area(vm);			/* unmaps; the pages stay the caller's */
	KT_ASSERT(!find_vm_area(p));
	__free_page(pages[0]);
	__free_page(pages[1]);
}

/* Areas freed every way, many times over: the descriptors of lazily freed areas that are
 * reused and purged are never counted as leaks. */
static noinline void churn(void)
{
	for (int i = 0; i < 200; i++) {
		void *p = vmalloc((i % 5 + 1) * PAGE_SIZE);
		struct vm_struct *vm = get_vm_area(PAGE_SIZE, 0);

		KT_ASSERT(p && vm);
		vfree(p);
		if (i % 2)
			vunmap(vm->addr);
		else
			free_vm_area(vm);
	}
	vm_unmap_aliases();
}

/* The descriptor remove_vm_area() handed over and nobody kfree()d: kmemleak's report. */
static noinline void forget_descriptor(void)
{
	struct vm_struct *vm = get_vm_area(PAGE_SIZE, VM_IOREMAP);

	KT_ASSERT(vm && remove_vm_area(vm->addr) == vm);
}

static noinline void live_area_at_exit(void)
{
	KT_ASSERT(vmalloc(PAGE_SIZE));
	KT_ASSERT(get_vm_area(PAGE_SIZE, VM_IOREMAP));	/* not a tracked allocation */
}

/* A stale or copied descriptor is refused with a warning, the area left alone. */
static noinline void free_wrong_descriptor(void)
{
	struct vm_struct *vm = get_vm_area(PAGE_SIZE, VM_IOREMAP), copy;

	KT_ASSERT(vm);
	copy = *vm;
	free_vm_area(&copy);
	KT_ASSERT(find_vm_area(vm->addr) == vm);
	KT_EQ(ukmem_report_count(), 1);
	free_vm_area(vm);
}

/* Under a spinlock each call that may sleep is one "sleeping function called from invalid
 * context" report, as 6.1's (the descriptor's kmalloc is not a second one). */
static DEFINE_SPINLOCK(lock);

static noinline void atomic_context(void)
{
	struct vm_struct *vm, *got;
	char *p;

	spin_lock(&lock);
	vm = get_vm_area(PAGE_SIZE, 0);
	spin_unlock(&lock);
	KT_EQ(ukmem_report_count(), 1);
	spin_lock(&lock);
	p = vmalloc(PAGE_SIZE);
	spin_unlock(&lock);
	KT_EQ(ukmem_report_count(), 2);
	spin_lock(&lock);
	got = remove_vm_area(p);
	spin_unlock(&lock);
	KT_EQ(ukmem_report_count(), 3);
	KT_ASSERT(vm && p && got);
	__free_page(got->pages[0]);
	kvfree(got->pages);
	kfree(got);
	free_vm_area(vm);
}

/* fail-nth: a vmalloc's first point is its area (6.1's vm_struct); the descriptor's kmalloc
 * is that point, not a second one; a failure leaves nothing behind.  get_vm_area's area is
 * one point too (6.1's kzalloc of its vm_struct), its descriptor again not a second. */
static noinline void fail_nth_points(void)
{
	struct vm_struct *vm;

	ukmem_set_fail_nth(1);
	KT_ASSERT(!vmalloc_node(PAGE_SIZE, NUMA_NO_NODE));
	KT_EQ(ukmem_get_fail_nth(), 0);
	ukmem_set_fail_nth(2);
	vm = get_vm_area(PAGE_SIZE, 0);		/* one point */
	KT_ASSERT(vm);
	KT_EQ(ukmem_get_fail_nth(), 1);
	ukmem_set_fail_nth(0);
	free_vm_area(vm);
}

int main(void)
{
	char *out;

	clean(get_remove_kfree);
	clean(vmalloc_remove_kfree);
	clean(remove_interior);
	clean(free_vm_area_kinds);
	clean(churn);

	out = child(forget_descriptor, 1);
	KT_CONTAINS(out, "unreferenced object 0x");
	KT_CONTAINS(out, "(size 64):");
	free(out);

	out = child(live_area_at_exit, 1);		/* the vmalloc'd page, once */
	KT_EQ(kt_count(out, "unreferenced object 0x"), 1);
	KT_CONTAINS(out, " (size 4096):");
	free(out);

	out = child(free_wrong_descriptor, 1);
	KT_CONTAINS(out, "free_vm_area: ");
	KT_CONTAINS(out, "is not the vm_struct of the vm area at");
	free(out);

	out = child(atomic_context, 3);
	KT_EQ(kt_count(out, "BUG: sleeping function called from invalid context"), 3);
	free(out);

	out = child(fail_nth_points, 0);
	KT_NOT_CONTAINS(out, "unreferenced object");
	free(out);
	printf("test_vm_struct: ok\n");
	return 0;
}
