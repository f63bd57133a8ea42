/* SPDX-License-Identifier: MIT */
/*
 * kasan=on with init_on_alloc=1: allocations come back zeroed, as in a 6.1 kernel with KASAN
 * (whose poison lives in shadow memory, so slab_want_init_on_alloc is not turned off by it).
 * kasan=on's own poison of freed objects must not count as the cache's SLAB_POISON.  A cache
 * with a constructor stays exempt; one that asks for SLAB_POISON keeps its poison.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static void ctor(void *p)
{
	memset(p, 0x5c, 48);
}

static void expect_bytes(const unsigned char *p, size_t len, unsigned char v, const char *what)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			KT_FAIL("%s: byte %zu is 0x%02x, expected 0x%02x", what, i, p[i], v);
}

int main(void)
{
	struct kmem_cache *c, *ct, *pz;
	unsigned char *p;

	KT_EQ(ukmem_init("ukmem.annotate=0 kasan=on init_on_alloc=1 kasan.quarantine=4K"), 0);
	for (int round = 0; round < 200; round++) {	/* through the quarantine and back */
		p = kmalloc(100, GFP_KERNEL);
		expect_bytes(p, 100, 0, "kmalloc(100)");
		memset(p, 0xff, 100);
		kfree(p);
	}
	c = kmem_cache_create("kio_plain", 48, 0, 0, NULL);
	ct = kmem_cache_create("kio_ctor", 48, 0, 0, ctor);
	pz = kmem_cache_create("kio_poison", 48, 0, SLAB_POISON, NULL);
	for (int round = 0; round < 200; round++) {
		p = kmem_cache_alloc(c, GFP_KERNEL);
		expect_bytes(p, 48, 0, "a cache object");
		memset(p, 0xff, 48);
		kmem_cache_free(c, p);
		p = kmem_cache_alloc(ct, GFP_KERNEL);
		expect_bytes(p, 48, 0x5c, "a constructed object");
		kmem_cache_free(ct, p);
		p = kmem_cache_alloc(pz, GFP_KERNEL);
		KT_EQ(p[0], 0x6b);		/* SLAB_POISON asked for: as 6.1, not zeroed */
		kmem_cache_free(pz, p);
	}
	kmem_cache_destroy(c);
	kmem_cache_destroy(ct);
	kmem_cache_destroy(pz);
	KT_EQ(ukmem_exit(), 0);
	printf("test_kasan_init_on_alloc: ok\n");
	return 0;
}
