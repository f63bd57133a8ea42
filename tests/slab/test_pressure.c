/* SPDX-License-Identifier: MIT */
/*
 * Memory pressure (mem=64M): a cache that held most of RAM and freed it does not keep it
 * from another cache.  Its empty slabs, depot and this thread's array go back when the page
 * allocator runs dry (as the kernel's slab shrinkers do), and kmem_cache_shrink returns
 * them on request.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <ukmem.h>
#include "ktest.h"

#define MAX_OBJS	40000

static void *objs[MAX_OBJS];

static long fill(size_t size)
{
	long n = 0;

	while (n < MAX_OBJS && (objs[n] = kmalloc(size, GFP_KERNEL | __GFP_NOWARN)))
		memset(objs[n++], 0x5a, size);
	return n;
}

static void drain(long n)
{
	while (n > 0)
		kfree(objs[--n]);
}

int main(void)
{
	unsigned long free_before;
	long n4k, n2k, again;

	free_before = nr_free_pages();			/* starts ukmem with mem=64M */
	n4k = fill(4096);
	KT_ASSERT(n4k > 10000);				/* most of 64 MiB */
	drain(n4k);
	n2k = fill(2048);				/* needs the 4k cache's memory */
	KT_ASSERT(n2k * 2048 >= n4k * 4096 * 95 / 100);
	drain(n2k);
	again = fill(4096);
	KT_ASSERT(again >= n4k * 95 / 100);
	drain(again);
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][12]);
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][11]);
	drain_local_pages(NULL);
	KT_ASSERT(nr_free_pages() >= free_before - 64);	/* nearly everything is back */
	KT_EQ(ukmem_report_count(), 0);
	printf("test_pressure: ok (%ld 4k objects, %ld 2k objects)\n", n4k, n2k);
	return 0;
}
