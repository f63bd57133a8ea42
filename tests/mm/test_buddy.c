/* SPDX-License-Identifier: MIT */
/*
 * Buddy invariants: after thousands of random allocations and frees of every order and zone,
 * every page is back and coalesced to the same top-order blocks as at start-up
 * (buddyinfo and nr_free_pages unchanged); while they are live, blocks never overlap, lie in
 * the zone asked for (GFP_DMA below 16 MiB, GFP_DMA32 below 4 GiB), never in the reserved
 * first MiB, and are physically contiguous with a consistent page/pfn/address mapping.
 */
#include "mm/pages.h"

#define NR_LIVE		600
#define NR_STEPS	40000

struct block {
	struct page *page;
	unsigned int order;
	gfp_t gfp;
	uint64_t tag;
};

/* Physical contiguity and the page <-> pfn <-> address arithmetic of one block. */
static void check_block_layout(struct page *page, unsigned int order)
{
	char *va = page_address(page);
	phys_addr_t pa = page_to_phys(page);
	unsigned long nr = 1UL << order;

	KT_EQ(virt_to_phys(va), pa);
	KT_ASSERT(phys_to_virt(pa) == va);
	KT_EQ(pa % (PAGE_SIZE << order), 0);		/* buddy blocks are naturally aligned */
	KT_ASSERT(pa >= SZ_1M);				/* the first MiB is reserved */
	for (unsigned long i = 0; i < nr; i++) {
		KT_ASSERT(virt_to_page(va + i * PAGE_SIZE + 123) == page + i);
		KT_EQ(page_to_pfn(page + i), page_to_pfn(page) + i);
		KT_ASSERT(page_address(page + i) == va + i * PAGE_SIZE);
		KT_ASSERT(virt_addr_valid(va + i * PAGE_SIZE));
	}
	for (size_t off = 0; off < (PAGE_SIZE << order); off += 517)
		KT_EQ(virt_to_phys(va + off), pa + off);
}

static void check_zone(const struct block *b)
{
	phys_addr_t end = page_to_phys(b->page) + (PAGE_SIZE << b->order);

	if (b->gfp & __GFP_DMA)
		KT_ASSERT(end <= SZ_16M);
	else if (b->gfp & __GFP_DMA32)
		KT_ASSERT(end <= SZ_4G);
}

static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL, GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT,
			      GFP_DMA, GFP_DMA32, GFP_KERNEL | __GFP_DMA32, GFP_KERNEL | __GFP_ZERO };

static unsigned int random_order(uint64_t *seed)
{
	unsigned int r = pt_rand(seed) % 100;

	return r < 60 ? 0 : r < 95 ? r % 4 : r % MAX_ORDER;
}

static void alloc_one(struct block *b, uint64_t *seed, uint64_t tag)
{
	b->order = random_order(seed);
	b->gfp = gfps[pt_rand(seed) % ARRAY_SIZE(gfps)] | __GFP_NOWARN;
	b->page = alloc_pages(b->gfp, b->order);
	if (!b->page)
		return;		/* the zone may be full: allowed, and nothing is live */
	b->tag = tag;
	check_block_layout(b->page, b->order);
	check_zone(b);
	if (b->gfp & __GFP_ZERO) {
		const unsigned long *w = page_address(b->page);

		for (size_t i = 0; i < (PAGE_SIZE << b->order) / sizeof(*w); i++)
			if (w[i])
				KT_FAIL("__GFP_ZERO block has a non-zero word at %zu", i);
	}
	pt_fill(page_address(b->page), PAGE_SIZE << b->order, tag);
}

static void free_one(struct block *b)
{
	pt_check(page_address(b->page), PAGE_SIZE << b->order, b->tag);
	__free_pages(b->page, b->order);
	b->page = NULL;
}

static void random_sequence(uint64_t seed)
{
	static struct block live[NR_LIVE];
	unsigned long failed = 0, done = 0;

	for (int step = 0; step < NR_STEPS; step++) {
		struct block *b = &live[pt_rand(&seed) % NR_LIVE];

		if (b->page) {
			free_one(b);
			continue;
		}
		alloc_one(b, &seed, (uint64_t)step << 8 | 0x5a);
		if (b->page)
			done++;
		else
			failed++;
	}
	KT_ASSERT(done > NR_STEPS / 4);
	for (int i = 0; i < NR_LIVE; i++)
		if (live[i].page)
			free_one(&live[i]);
	printf("random sequence: %lu blocks allocated, %lu refused\n", done, failed);
}

/* A top-order block: contiguous over 4 MiB. */
static void top_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);

	KT_ASSERT(page);
	check_block_layout(page, MAX_ORDER - 1);
	pt_fill(page_address(page), PAGE_SIZE << (MAX_ORDER - 1), 77);
	pt_check(page_address(page), PAGE_SIZE << (MAX_ORDER - 1), 77);
	__free_pages(page, MAX_ORDER - 1);
}

/* Every GFP_DMA page of the whole DMA zone lies below 16 MiB; then all come back. */
static void drain_dma_zone(void)
{
	static struct page *pages[8192];
	int n = 0;

	while (n < (int)ARRAY_SIZE(pages) && (pages[n] = alloc_page(GFP_DMA | __GFP_NOWARN)))
		KT_ASSERT(page_to_phys(pages[n++]) + PAGE_SIZE <= SZ_16M);
	/* 15 MiB of DMA zone, minus its watermark: thousands of pages, all below 16 MiB. */
	KT_ASSERT(n > 3000 && n < 3840);
	while (n--)
		__free_page(pages[n]);
}

int main(void)
{
	struct pt_snapshot start;

	KT_EQ(ukmem_init("mem=64M"), 0);
	start = pt_snap();
	/* start-up allocates a little, as a kernel's boot does (the platform bus's name...) */
	KT_ASSERT(start.free <= totalram_pages() && totalram_pages() - start.free < 64);
	top_order();
	PT_EXPECT_SAME(start);
	random_sequence(0x1234567);
	PT_EXPECT_SAME(start);
	drain_dma_zone();
	PT_EXPECT_SAME(start);
	random_sequence(0xfeedbeef);
	PT_EXPECT_SAME(start);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
