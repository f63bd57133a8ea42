/* SPDX-License-Identifier: MIT */
/*
 * init_on_free=1 alone (from UKMEM_CMDLINE): an object freed dirty comes back from the next
 * allocation all zero, the free-list pointer that went through it meanwhile included (the
 * kernel wipes that word at allocation).  Small objects, so their slabs use free lists;
 * caches created and destroyed in turn, as lib/test_meminit.c does, including a plain cache
 * that reuses the id of a destroyed SLAB_TYPESAFE_BY_RCU one (which init_on_free exempts, so
 * it had per-thread arrays: the new cache must not inherit them).  A double free found in
 * the slab names its caller, and one in a slab with a free list is found at once, its
 * list left whole (double_free_free_list).  Run again with kfence.sample_interval=1: KFENCE's objects come
 * back zeroed as well (6.1 zeroes them at their free; they were handed out poisoned).
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

/* Frees go straight to the slab here (no per-thread arrays): a double free with another
 * free between is found there and named after its caller, not after ukmem's reporter. */
static noinline void double_free_between(void)
{
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	char *out;

	kfree(a);
	kfree(b);
	kt_capture_begin();
	kfree(a);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in double_free_between+");
	free(out);
}

/* A double free of an object of a slab with a free list (kmalloc-8 to -32 and a 40-byte
 * cache: more than 64 objects a slab).  The second free's zeroing must leave the object's
 * free-list link alone: it is found at once as a double free, nothing is reported after it,
 * and no object is handed out twice.  (Zeroed whole, the link read as no list: the slab
 * took the object a second time, and its list came back corrupt, "Freechain corrupt".) */
#define NR_AFTER	600

static void *after[NR_AFTER];

static void double_free_free_list(struct kmem_cache *c, size_t size, bool between)
{
	void *a = c ? kmem_cache_alloc(c, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
	void *b = c ? kmem_cache_alloc(c, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
	int before = ukmem_report_count();
	char *out;

	memset(a, 0xaa, size);
	kfree(a);
	if (between)
		kfree(b);
	kt_capture_begin();
	kfree(a);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in ");
	free(out);
	KT_EQ(ukmem_report_count(), before + 1);
	for (int i = 0; i < NR_AFTER; i++) {
		after[i] = c ? kmem_cache_alloc(c, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
		KT_ASSERT(after[i]);
		for (int j = 0; j < i; j++)
			if (after[j] == after[i])
				KT_FAIL("size %zu: object %p handed out twice", size, after[i]);
	}
	for (int i = 0; i < NR_AFTER; i++)
		kfree(after[i]);
	if (!between)
		kfree(b);
	KT_EQ(ukmem_report_count(), before + 1);
}

int main(void)
{
	for (int round = 0; round < 3; round++)
		for (unsigned int size = 16; size <= 64; size *= 2) {
			struct kmem_cache *c = kmem_cache_create("init-on-free", size, 0, 0, NULL);

			for (int k = 0; k < 5; k++) {
				unsigned char *p = kmem_cache_alloc(c, GFP_KERNEL);

				for (unsigned int i = 0; i < size; i++)
					if (p[i])
						KT_FAIL("size %u, round %d, alloc %d: byte %u is 0x%x",
							size, round, k, i, p[i]);
				memset(p, 0xff, size);
				kmem_cache_free(c, p);
			}
			kmem_cache_destroy(c);
		}
	for (int round = 0; round < 3; round++) {
		struct kmem_cache *rcu = kmem_cache_create("rcu", 64, 0, SLAB_TYPESAFE_BY_RCU, NULL);
		struct kmem_cache *c;

		for (int k = 0; k < 5; k++)
			kmem_cache_free(rcu, kmem_cache_alloc(rcu, GFP_KERNEL));
		kmem_cache_destroy(rcu);
		c = kmem_cache_create("plain", 64, 0, 0, NULL);
		for (int k = 0; k < 5; k++) {
			unsigned char *p = kmem_cache_alloc(c, GFP_KERNEL);

			for (int i = 0; i < 64; i++)
				if (p[i])
					KT_FAIL("after an RCU cache, alloc %d: byte %d is 0x%x", k, i, p[i]);
			memset(p, 0xff, 64);
			kmem_cache_free(c, p);
		}
		kmem_cache_destroy(c);
	}
	for (int k = 0; k < 100; k++) {
		unsigned char *p = kmalloc(16, GFP_KERNEL);

		for (int i = 0; i < 16; i++)
			KT_EQ(p[i], 0);
		memset(p, 0xee, 16);
		kfree(p);
	}
	if (strstr(getenv("UKMEM_CMDLINE") ?: "", "kfence")) {	/* KFENCE objects: zeroed too */
		KT_EQ(ukmem_exit(), 0);
		printf("test_init_on_free: ok\n");
		return 0;
	}
	double_free_between();
	for (size_t size = 8; size <= 32; size *= 2) {
		double_free_free_list(NULL, size, false);
		double_free_free_list(NULL, size, true);
	}
	{
		struct kmem_cache *c = kmem_cache_create("init-on-free-40", 40, 0, 0, NULL);

		double_free_free_list(c, 40, false);
		double_free_free_list(c, 40, true);
		kmem_cache_destroy(c);
	}
	KT_EQ(ukmem_exit(), 9);
	printf("test_init_on_free: ok\n");
	return 0;
}
