/* SPDX-License-Identifier: MIT */
/*
 * Zones and the physical layout with mem=5G: RAM is [0, 3G) and [4G, 6G); the hole
 * [3G, 4G) is never handed out, GFP_KERNEL prefers ZONE_NORMAL (above 4 GiB) and falls back
 * to DMA32 then DMA, GFP_DMA32 stays below 4 GiB, GFP_DMA below 16 MiB; "iomem" shows the
 * two System RAM ranges and the reserved first MiB; pfn_valid() is false in the hole.
 * Everything comes back coalesced.
 */
#include "mm/pages.h"

#define TOP		(MAX_ORDER - 1)
#define MAX_BLOCKS	2048

static struct page *blocks[MAX_BLOCKS];

static bool in_hole(struct page *page, unsigned int order)
{
	phys_addr_t start = page_to_phys(page), end = start + (PAGE_SIZE << order);

	return end > 3ULL * SZ_1G && start < SZ_4G;
}

/* Take every top-order block GFP_KERNEL can get; count where they came from. */
static int fill(gfp_t gfp, unsigned long *normal, unsigned long *dma32, unsigned long *dma)
{
	int n = 0;

	*normal = *dma32 = *dma = 0;
	while (n < MAX_BLOCKS && (blocks[n] = alloc_pages(gfp | __GFP_NOWARN, TOP))) {
		phys_addr_t pa = page_to_phys(blocks[n]);

		KT_ASSERT(!in_hole(blocks[n], TOP));
		KT_ASSERT(pa >= SZ_1M);
		*(volatile unsigned long *)page_address(blocks[n]) = pa;	/* it is real memory */
		if (pa >= SZ_4G)
			++*normal;
		else if (pa >= SZ_16M)
			++*dma32;
		else
			++*dma;
		n++;
	}
	return n;
}

static void release(int n)
{
	while (n--) {
		KT_EQ(*(volatile unsigned long *)page_address(blocks[n]), page_to_phys(blocks[n]));
		__free_pages(blocks[n], TOP);
	}
}

static void check_iomem(void)
{
	char *iomem = pt_show("iomem");

	KT_CONTAINS(iomem, "00000000-000fffff : Reserved\n");
	KT_CONTAINS(iomem, "00100000-bfffffff : System RAM\n");
	KT_CONTAINS(iomem, "100000000-17fffffff : System RAM\n");
	KT_NOT_CONTAINS(iomem, "c0000000");		/* nothing in the hole */
	free(iomem);
}

/* pfn_valid() is true for RAM's frames (the reserved first MiB too), false in the hole and
 * past the end, as on x86-64; virt_addr_valid() agrees. */
static void check_pfn_valid(void)
{
	KT_ASSERT(pfn_valid(0));
	KT_ASSERT(pfn_valid(PHYS_PFN(3ULL * SZ_1G) - 1));
	KT_ASSERT(!pfn_valid(PHYS_PFN(3ULL * SZ_1G)));
	KT_ASSERT(!pfn_valid(PHYS_PFN(SZ_4G) - 1));
	KT_ASSERT(pfn_valid(PHYS_PFN(SZ_4G)));
	KT_ASSERT(pfn_valid(PHYS_PFN(6ULL * SZ_1G) - 1));
	KT_ASSERT(!pfn_valid(PHYS_PFN(6ULL * SZ_1G)));
	KT_ASSERT(!virt_addr_valid(phys_to_virt(3ULL * SZ_1G)));
	KT_ASSERT(virt_addr_valid(phys_to_virt(SZ_4G)));
}

int main(void)
{
	unsigned long normal, dma32, dma;
	struct pt_snapshot start;
	struct page *page;
	char *buddyinfo;
	int n;

	KT_EQ(ukmem_init("mem=5G"), 0);
	KT_EQ(totalram_pages(), (5UL * SZ_1G - SZ_1M) / PAGE_SIZE);
	start = pt_snap();
	/* Start-up took swiotlb's 64 MiB bounce pool (RAM reaches above 4 GiB) and a few pages
	 * of its own, as a kernel's boot does. */
	KT_ASSERT(totalram_pages() - start.free >= SZ_64M / PAGE_SIZE &&
		  totalram_pages() - start.free < SZ_64M / PAGE_SIZE + 64);
	buddyinfo = pt_show("buddyinfo");
	KT_CONTAINS(buddyinfo, "Node 0, zone      DMA ");
	KT_CONTAINS(buddyinfo, "Node 0, zone    DMA32 ");
	KT_CONTAINS(buddyinfo, "Node 0, zone   Normal ");
	free(buddyinfo);
	check_iomem();
	check_pfn_valid();

	/* The first GFP_KERNEL page comes from ZONE_NORMAL; GFP_DMA32 and GFP_DMA stay low. */
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(page_to_phys(page) >= SZ_4G);
	__free_page(page);
	page = alloc_pages(GFP_DMA32, 3);
	KT_ASSERT(page_to_phys(page) + 8 * PAGE_SIZE <= SZ_4G && page_to_phys(page) >= SZ_16M);
	__free_pages(page, 3);
	page = alloc_pages(GFP_DMA, 3);
	KT_ASSERT(page_to_phys(page) + 8 * PAGE_SIZE <= SZ_16M);
	__free_pages(page, 3);

	/* GFP_KERNEL exhausts NORMAL (2 GiB) first, then falls back to DMA32, never the hole. */
	n = fill(GFP_KERNEL, &normal, &dma32, &dma);
	printf("GFP_KERNEL top-order blocks: %lu Normal, %lu DMA32, %lu DMA\n", normal, dma32, dma);
	KT_ASSERT(normal >= 500 && normal <= 512);	/* 2 GiB = 512 blocks minus the watermark */
	KT_ASSERT(dma32 >= 740 && dma32 <= 764);		/* [16M, 3G) = 764 blocks */
	/* The lowmem reserve keeps ZONE_DMA from GFP_KERNEL when it is this small. */
	KT_ASSERT(dma <= 3);
	release(n);
	PT_EXPECT_SAME(start);

	/* GFP_DMA32 never goes above 4 GiB. */
	n = fill(GFP_DMA32, &normal, &dma32, &dma);
	KT_EQ(normal, 0);
	KT_ASSERT(dma32 >= 740);
	release(n);
	PT_EXPECT_SAME(start);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
