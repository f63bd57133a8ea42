/* SPDX-License-Identifier: MIT */
/*
 * The kv* family: kmalloc for small requests (physically contiguous, in the direct map),
 * vmalloc for large ones; kvfree frees either; kvmalloc beyond INT_MAX warns and fails;
 * non-blocking requests never fall back to vmalloc; kvrealloc keeps content; kvfree_rcu of
 * vmalloc memory frees it after a grace period, also when its tracking record cannot be
 * allocated.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include "vmtest.h"

struct big {
	struct rcu_head rcu;
	char data[SZ_8M];
};

int main(void)
{
	char *s, *l, *out;
	unsigned long reports;

	KT_EQ(ukmem_init(""), 0);
	s = kvmalloc(100, GFP_KERNEL);
	KT_ASSERT(s && !is_vmalloc_addr(s) && virt_addr_valid(s));
	kvfree(s);
	s = kvzalloc(PAGE_SIZE, GFP_KERNEL);		/* a page: kmalloc, never vmalloc */
	KT_ASSERT(s && !is_vmalloc_addr(s));
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		KT_EQ(s[i], 0);
	kvfree(s);

	/* Larger than kmalloc can ever give: vmalloc. */
	l = kvmalloc(SZ_32M, GFP_KERNEL);
	KT_ASSERT(l && is_vmalloc_addr(l));
	memset(l, 7, SZ_32M);
	KT_ASSERT(find_vm_area(l) && (find_vm_area(l)->flags & VM_ALLOC));
	l = kvrealloc(l, SZ_32M, SZ_32M + SZ_1M, GFP_KERNEL);
	KT_ASSERT(l && is_vmalloc_addr(l));
	KT_EQ(l[SZ_32M - 1], 7);
	kvfree(l);

	s = kvcalloc(1000, 1000, GFP_KERNEL);
	KT_ASSERT(s);
	for (int i = 0; i < 1000 * 1000; i += 4096)
		KT_EQ(s[i], 0);
	kvfree_sensitive(s, 1000 * 1000);
	{
		volatile size_t n = SIZE_MAX / 8;

		KT_ASSERT(kvmalloc_array(n, 16, GFP_KERNEL) == NULL);
	}
	kvfree(NULL);

	/* Non-blocking: kmalloc only. */
	KT_ASSERT(kvmalloc(SZ_32M, GFP_ATOMIC | __GFP_NOWARN) == NULL);

	/* More than INT_MAX: a warning and NULL (none with __GFP_NOWARN). */
	reports = ukmem_report_count();
	kt_capture_begin();
	s = kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL);
	out = kt_capture_end();
	KT_ASSERT(s == NULL);
	KT_CONTAINS(out, "WARNING:");
	KT_CONTAINS(out, "kvmalloc_node");
	KT_EQ(ukmem_report_count(), reports + 1);
	free(out);
	KT_ASSERT(kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);

	/* kvfree_rcu of a vmalloc object. */
	{
		struct big *b = kvmalloc(sizeof(*b), GFP_KERNEL);

		KT_ASSERT(b && is_vmalloc_addr(b));
		kvfree_rcu(b, rcu);
		rcu_barrier();
		vm_unmap_aliases();
		KT_ASSERT(find_vm_area(b) == NULL);
	}
	/* The same when the record kvfree_rcu keeps of a vmalloc object cannot be allocated
	 * (the first injection point fails): the two-argument form may not sleep, so it queues
	 * the object's own rcu_head, as 6.1 links it; the object is freed all the same (it was
	 * a warning, and the object leaked). */
	{
		struct big *b = kvmalloc(sizeof(*b), GFP_KERNEL);
		struct big *c = kvmalloc(sizeof(*c), GFP_KERNEL);

		KT_ASSERT(b && is_vmalloc_addr(b) && c && is_vmalloc_addr(c));
		b->data[0] = 1;
		kt_capture_begin();
		ukmem_set_fail_nth(1);
		kvfree_rcu(b, rcu);
		ukmem_set_fail_nth(1);
		kvfree_rcu(c, rcu);
		ukmem_set_fail_nth(0);
		out = kt_capture_end();
		KT_EQ(kt_count(out, "FAULT_INJECTION: forcing a failure"), 0);	/* __GFP_NOWARN */
		KT_EQ(ukmem_report_count(), reports + 1);
		free(out);
		rcu_barrier();
		vm_unmap_aliases();
		KT_ASSERT(find_vm_area(b) == NULL);
		KT_ASSERT(find_vm_area(c) == NULL);
	}
	KT_EQ(ukmem_exit(), (int)ukmem_report_count());	/* only the INT_MAX warning */
	KT_EQ(ukmem_report_count(), reports + 1);
	printf("test_kvmalloc: ok\n");
	return 0;
}
