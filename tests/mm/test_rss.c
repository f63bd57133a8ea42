/* SPDX-License-Identifier: MIT */
/*
 * The host's memory follows use: RAM is a memfd whose frames are populated when written,
 * and given back (hole punch) when a top-order block returns to the buddy, except a few
 * blocks per zone kept for reuse (16 MiB each).  Measured as this process's RssShmem.
 */
#include "mm/pages.h"

#define NR_BLOCKS	128		/* 512 MiB of top-order blocks */

static long rss_shmem_mb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long kb = -1;

	KT_ASSERT(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssShmem: %ld kB", &kb) == 1)
			break;
	fclose(f);
	KT_ASSERT(kb >= 0);
	return kb >> 10;
}

static void touch(void *p, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE_SIZE)
		((volatile char *)p)[off] = 1;
}

int main(void)
{
	static struct page *blocks[NR_BLOCKS], *pages[16384];
	struct pt_snapshot start;
	long base, used, after;

	KT_EQ(ukmem_init("mem=1G"), 0);
	start = pt_snap();
	base = rss_shmem_mb();
	KT_ASSERT(base < 16);			/* start-up populates nothing */

	for (int i = 0; i < NR_BLOCKS; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);
		touch(page_address(blocks[i]), PAGE_SIZE << (MAX_ORDER - 1));
	}
	used = rss_shmem_mb();
	KT_ASSERT(used - base >= 500);
	for (int i = 0; i < NR_BLOCKS; i++)
		__free_pages(blocks[i], MAX_ORDER - 1);
	after = rss_shmem_mb();
	printf("RssShmem: %ld MiB at start, %ld with 512 MiB in use, %ld after freeing it\n",
	       base, used, after);
	KT_ASSERT(after - base <= 2 * 16 + 4);	/* the kept blocks, at most 16 MiB per zone */
	PT_EXPECT_SAME(start);

	/* Order-0 pages come back too once their blocks coalesce to the top order. */
	for (int i = 0; i < 16384; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		touch(page_address(pages[i]), PAGE_SIZE);
	}
	KT_ASSERT(rss_shmem_mb() - base >= 60);
	for (int i = 0; i < 16384; i++)
		__free_page(pages[i]);
	drain_local_pages(NULL);
	after = rss_shmem_mb();
	KT_ASSERT(after - base <= 2 * 16 + 4);
	PT_EXPECT_SAME(start);

	/* A block that goes back and forth stays populated: no punch and refault each time. */
	blocks[0] = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);
	memset(page_address(blocks[0]), 0x77, PAGE_SIZE);
	__free_pages(blocks[0], MAX_ORDER - 1);
	KT_ASSERT(alloc_pages(GFP_KERNEL, MAX_ORDER - 1) == blocks[0]);
	KT_EQ(*(unsigned char *)page_address(blocks[0]), 0x77);
	__free_pages(blocks[0], MAX_ORDER - 1);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
