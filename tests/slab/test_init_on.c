/* SPDX-License-Identifier: MIT */
/*
 * init_on_alloc=1 and init_on_free=1 (from UKMEM_CMDLINE): every kmalloc object comes back
 * zeroed and is cleared when freed; caches with a constructor are exempt, as in the kernel.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static void ctor(void *p)
{
	memset(p, 0x5c, 32);
}

int main(void)
{
	struct kmem_cache *c;
	unsigned char *p, *keep[100];
	int zeros;

	for (int round = 0; round < 100; round++) {
		p = kmalloc(128, GFP_KERNEL);		/* auto-start reads UKMEM_CMDLINE */
		for (int i = 0; i < 128; i++)
			KT_EQ(p[i], 0);
		memset(p, 0xff, 128);
		kfree(p);
		zeros = 0;
		for (int i = 0; i < 128; i++)		/* cleared on free (but for the */
			zeros += p[i] == 0;		/* free pointer, as in the kernel) */
		KT_ASSERT(zeros >= 128 - 8);
	}
	for (int i = 0; i < 100; i++) {
		keep[i] = kmalloc(1000, GFP_KERNEL);
		for (int j = 0; j < 1000; j++)
			KT_EQ(keep[i][j], 0);
		memset(keep[i], 0xab, 1000);
	}
	for (int i = 0; i < 100; i++)
		kfree(keep[i]);
	c = kmem_cache_create("ctor-exempt", 32, 0, 0, ctor);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KT_EQ(p[0], 0x5c);
	p[1] = 0x11;
	kmem_cache_free(c, p);
	KT_EQ(p[1], 0x11);			/* not cleared: the ctor's state is kept */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KT_EQ(p[0], 0x5c);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	KT_EQ(ukmem_report_count(), 0);
	printf("test_init_on: ok\n");
	return 0;
}
