/* SPDX-License-Identifier: MIT */
/*
 * slub_debug's block syntax: a block without a list applies to every cache not named
 * elsewhere, '-' turns debugging off for the caches it lists, a trailing '*' matches a
 * prefix, and each cache's layout in slabinfo follows the letters it got.
 */
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

int main(void)
{
	unsigned char *p;

	KT_EQ(ukmem_init("ukmem.annotate=0 slub_debug=FZ;-,kmalloc-64;P,kmalloc-1*"), 0);
	KT_EQ(kt_slabinfo("kmalloc-64", 2), 64);		/* '-' */
	KT_EQ(kt_slabinfo("kmalloc-128", 2), 256);		/* P: poison, free pointer and state outside */
	KT_EQ(kt_slabinfo("kmalloc-192", 2), 208);
	KT_EQ(kt_slabinfo("kmalloc-32", 2), 96);		/* FZ: 32-byte left red zone (alignment) */
	KT_EQ(kt_slabinfo("kmalloc-96", 2), 136);		/* FZ: 8-byte red zones, no tracks */
	p = kmalloc(128, GFP_KERNEL);
	KT_EQ(p[0], 0x6b);
	kfree(p);
	p = kmalloc(64, GFP_KERNEL);			/* not debugged: the fast path */
	kfree(p);
	KT_EQ(ukmem_exit(), 0);
	printf("test_slub_debug_spec: ok\n");
	return 0;
}
