/* SPDX-License-Identifier: MIT */
/*
 * slub_debug blocks: the first block that names a cache decides for it, as 6.1's
 * kmem_cache_flags() returns at the first match (the last one used to win).
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

int main(void)
{
	KT_EQ(ukmem_init("ukmem.annotate=0 slub_debug=-,kmalloc-64;FZ,kmalloc-*"), 0);
	kfree(kmalloc(64, GFP_KERNEL));
	KT_EQ(kt_slabinfo("kmalloc-64", 2), 64);		/* the first block: off */
	KT_ASSERT(kt_slabinfo("kmalloc-128", 2) > 128);		/* the second: FZ */
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
