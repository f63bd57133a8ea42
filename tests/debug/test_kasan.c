/* SPDX-License-Identifier: MIT */
/*
 * kasan=on: freed objects wait in the quarantine (not reused at once) and count as free in
 * slabinfo; a cache whose freed objects are quarantined is destroyed cleanly; a double free
 * names both stacks; a write after free is found when the object leaves the quarantine (here
 * at ukmem_exit, which drains it).  A SLAB_TYPESAFE_BY_RCU cache's objects skip the
 * quarantine, as in KASAN (reused at once, bytes intact), and a double free of one is still
 * reported.  krealloc and ksize of a freed object are KASAN's use-after-free and fail.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static __attribute__((__noinline__)) void free_twice(void *p)
{
	kfree(p);
	__asm__ __volatile__("" ::: "memory");
}

int main(void)
{
	unsigned char *p, *q[100], *late;
	struct kmem_cache *c;
	void *objs[50];
	char *out;
	long before;

	KT_EQ(ukmem_init("ukmem.annotate=0 kasan=on kasan.quarantine=256K"), 0);
	before = kt_slabinfo("kmalloc-96", 0);
	p = kmalloc(96, GFP_KERNEL);
	KT_EQ(kt_slabinfo("kmalloc-96", 0), before + 1);
	kfree(p);
	KT_EQ(kt_slabinfo("kmalloc-96", 0), before);		/* quarantined counts as free */
	for (int i = 0; i < 100; i++) {
		q[i] = kmalloc(96, GFP_KERNEL);
		KT_ASSERT(q[i] != p);			/* not reused while quarantined */
	}
	for (int i = 0; i < 100; i++)
		kfree(q[i]);

	c = kmem_cache_create("kasan_c", 200, 0, 0, NULL);
	for (int i = 0; i < 50; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 50; i++)
		kmem_cache_free(c, objs[i]);
	kt_capture_begin();
	kmem_cache_destroy(c);
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "Objects remaining");
	free(out);
	KT_EQ(ukmem_report_count(), 0);

	p = kmalloc(96, GFP_KERNEL);
	kfree(p);
	kt_capture_begin();
	free_twice(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in free_twice+");
	KT_CONTAINS(out, "Allocated by task");
	KT_CONTAINS(out, "Freed by task");
	KT_CONTAINS(out, "which belongs to the cache kmalloc-96 of size 96");
	free(out);
	KT_EQ(ukmem_report_count(), 1);

	c = kmem_cache_create("kasan_rcu", 200, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	memset(p, 0x3c, 200);
	kmem_cache_free(c, p);
	KT_EQ(p[199], 0x3c);				/* neither poisoned nor wiped */
	KT_ASSERT(kmem_cache_alloc(c, GFP_KERNEL) == (void *)p);	/* no quarantine */
	kmem_cache_free(c, p);
	kt_capture_begin();
	kmem_cache_free(c, p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in main+");
	free(out);
	KT_EQ(ukmem_report_count(), 2);
	kmem_cache_destroy(c);

	/* krealloc and ksize of a freed object: 6.1's kasan_check_byte reports a use-after-free
	 * read, and they fail (lib/test_kasan.c's krealloc_uaf and ksize_uaf) */
	p = kmalloc(96, GFP_KERNEL);
	kfree(p);
	kt_capture_begin();
	KT_ASSERT(krealloc(p, 200, GFP_KERNEL) == NULL);
	KT_EQ(ksize(p), 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: use-after-free in main+");
	KT_CONTAINS(out, "Read of size 1 at addr");
	KT_CONTAINS(out, "Freed by task");
	KT_NOT_CONTAINS(out, "double-free");
	free(out);
	KT_EQ(ukmem_report_count(), 4);

	/* the bulk frees' reports name their caller, as kfree's do */
	c = kmem_cache_create("kasan_bulk", 64, 0, 0, NULL);
	KT_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 2, objs), 2);
	((volatile char *)objs[1])[64] = 1;		/* the right red zone */
	kt_capture_begin();
	kmem_cache_free_bulk(c, 2, objs);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: slab-out-of-bounds in main+");
	free(out);
	kmem_cache_destroy(c);
	p = kmalloc(96, GFP_KERNEL);
	kfree(p);
	objs[0] = p;
	kt_capture_begin();
	kfree_bulk(1, objs);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in main+");
	free(out);
	KT_EQ(ukmem_report_count(), 6);

	late = kmalloc(96, GFP_KERNEL);
	kfree(late);
	__asm__ __volatile__("" : "+r"(late));
	late[5] = 0;
	kt_capture_begin();
	KT_EQ(ukmem_exit(), 7);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: slab-use-after-free in main+");
	KT_CONTAINS(out, "Write of size 1 at addr");
	free(out);
	printf("test_kasan: ok\n");
	return 0;
}
