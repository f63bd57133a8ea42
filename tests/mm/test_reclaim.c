/* SPDX-License-Identifier: MIT */
/*
 * Direct reclaim: memory that a subsystem holds back for reuse (lazily freed vmalloc areas,
 * empty slabs) goes back when an allocation that may sleep would otherwise fail, so a
 * GFP_KERNEL fill gets as many pages with such caches full as with them empty.  GFP_NOWAIT
 * does not reclaim.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "mm/pages.h"

#define MAX_PAGES	32768

static struct page *pages[MAX_PAGES];

static int fill(gfp_t gfp)
{
	int n = 0;

	while (n < MAX_PAGES && (pages[n] = alloc_page(gfp)) != NULL)
		n++;
	KT_ASSERT(n < MAX_PAGES);
	return n;
}

static void release(int n)
{
	while (n--)
		__free_page(pages[n]);
	drain_local_pages(NULL);
}

static bool vmallocinfo_has(const char *what)
{
	char *buf = kt_show("vmallocinfo");
	bool found = strstr(buf, what) != NULL;

	free(buf);
	return found;
}

/* vfree leaves the areas lazy: unmapped, their pages kept for reuse. */
static void make_lazy_areas(void)
{
	for (int i = 0; i < 32; i++) {
		void *p = vmalloc(4 * PAGE_SIZE);

		KT_ASSERT(p);
		memset(p, 0x5a, 4 * PAGE_SIZE);
		vfree(p);
	}
	KT_ASSERT(vmallocinfo_has("unpurged vm_area"));
}

/* Freed kmalloc objects leave empty slabs that the allocator keeps for reuse. */
#define NR_OBJS	2048
static void *objs[NR_OBJS];

static long slab_kb(void)
{
	char *text = kt_show("meminfo"), *line = strstr(text, "\nSlab:");
	long kb;

	KT_ASSERT(line && sscanf(line, "\nSlab: %ld kB", &kb) == 1);
	free(text);
	return kb;
}

static void make_empty_slabs(void)
{
	for (int i = 0; i < NR_OBJS; i++)
		KT_ASSERT((objs[i] = kmalloc(512, GFP_KERNEL)) != NULL);
	for (int i = 0; i < NR_OBJS; i++)
		kfree(objs[i]);
}

int main(void)
{
	int baseline, nowait, with_lazy;

	KT_EQ(ukmem_init("mem=64M"), 0);
	vm_unmap_aliases();
	baseline = fill(GFP_KERNEL | __GFP_NOWARN);
	release(baseline);

	/* GFP_NOWAIT may not reclaim: the lazy areas' pages stay out of its reach. */
	make_lazy_areas();
	nowait = fill(GFP_NOWAIT | __GFP_NOWARN);
	release(nowait);
	KT_ASSERT(vmallocinfo_has("unpurged vm_area"));

	/* GFP_KERNEL reclaims them once the zones run dry, and gets as much as with none. */
	with_lazy = fill(GFP_KERNEL | __GFP_NOWARN);
	printf("baseline %d pages, GFP_NOWAIT with lazy areas %d, GFP_KERNEL %d\n", baseline,
	       nowait, with_lazy);
	KT_ASSERT(!vmallocinfo_has("unpurged vm_area"));
	KT_ASSERT(with_lazy >= baseline - 8);
	KT_ASSERT(nowait < with_lazy);
	release(with_lazy);

	/* The same for the slab allocator's empty slabs (1 MiB of 512-byte objects here). */
	make_empty_slabs();
	KT_ASSERT(slab_kb() >= 1024);
	with_lazy = fill(GFP_KERNEL | __GFP_NOWARN);
	printf("slab kept %ld kB after the fill; GFP_KERNEL got %d pages\n", slab_kb(), with_lazy);
	KT_ASSERT(with_lazy >= baseline - 64);
	KT_ASSERT(slab_kb() < 512);
	release(with_lazy);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
