/* SPDX-License-Identifier: MIT */
/*
 * kasan=on kasan.quarantine=0: no quarantine at all (0 is the size asked for, not the
 * default of 1/32 of mem=).  A freed object goes back to its slab at once, its poison checked,
 * and is handed out again by the next allocation; the cheap checks still find a double free.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

int main(void)
{
	struct kmem_cache *c;
	unsigned char *p;
	char *out;

	KT_EQ(ukmem_init("ukmem.annotate=0 kasan=on kasan.quarantine=0"), 0);
	c = kmem_cache_create("kasan_noq", 200, 0, 0, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(p);
	kmem_cache_free(c, p);
	KT_ASSERT(kmem_cache_alloc(c, GFP_KERNEL) == (void *)p);	/* not held back */
	kmem_cache_free(c, p);
	kt_capture_begin();
	kmem_cache_free(c, p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in main+");
	free(out);
	KT_EQ(ukmem_report_count(), 1);
	kmem_cache_destroy(c);
	KT_EQ(ukmem_exit(), 1);
	return 0;
}
