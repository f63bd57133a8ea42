/* SPDX-License-Identifier: MIT */
/*
 * Bad frees are reported ("BUG: Bad page state") and do no harm: a double free, a wrong
 * order, a page in the middle of a block, a tail of a compound page, an address outside RAM,
 * a reserved frame, a bogus struct page pointer, put_page/get_page on a free page, the last
 * reference to a slab's page or to pages still marked reserved.  After each, the free page
 * count is unchanged, the block (if any) is still intact and its owner can still free it
 * correctly, and every page comes back at the end.
 */
#include <linux/slab.h>
#include "mm/pages.h"

static struct pt_snapshot start;

/* Run @bad with stderr captured; expect exactly one report whose text holds @reason. */
#define EXPECT_REPORT(bad, reason) do { \
	unsigned long _before = ukmem_report_count(), _free = pt_free_pages(); \
	char *_out; \
	kt_capture_begin(); \
	bad; \
	_out = kt_capture_end(); \
	KT_EQ(ukmem_report_count(), _before + 1); \
	KT_CONTAINS(_out, "BUG: Bad page state in process test_bad_free"); \
	KT_CONTAINS(_out, reason); \
	KT_CONTAINS(_out, "Call Trace:"); \
	KT_CONTAINS(_out, __func__);	/* the stack names the caller */ \
	KT_EQ(pt_free_pages(), _free); \
	free(_out); } while (0)

static noinline void double_free(void)
{
	struct page *page = alloc_page(GFP_KERNEL), *big = alloc_pages(GFP_KERNEL, 3);

	__free_page(page);
	EXPECT_REPORT(__free_page(page), "page dumped because: page already free");
	EXPECT_REPORT(free_page((unsigned long)page_address(page)), "page already free");
	__free_pages(big, 3);
	EXPECT_REPORT(__free_pages(big, 3), "page already free");
	EXPECT_REPORT(put_page(page), "page already free");
	PT_EXPECT_SAME(start);
	/* A page freed to the buddy and merged into a bigger free block. */
	drain_local_pages(NULL);
	EXPECT_REPORT(__free_page(page), "Bad page state");
	PT_EXPECT_SAME(start);
}

static noinline void wrong_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	pt_fill(page_address(page), 4 * PAGE_SIZE, 42);
	EXPECT_REPORT(__free_pages(page, 1), "freed with a different order");
	EXPECT_REPORT(__free_pages(page, 3), "freed with a different order");
	EXPECT_REPORT(free_pages((unsigned long)page_address(page), 0), "different order");
	/* The block is still allocated, with its contents and its reference: the owner frees it. */
	KT_EQ(page_ref_count(page), 1);
	pt_check(page_address(page), 4 * PAGE_SIZE, 42);
	__free_pages(page, 2);
	PT_EXPECT_SAME(start);
}

static noinline void middle_of_block(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	char *va = page_address(page);

	pt_fill(va, 8 * PAGE_SIZE, 43);
	EXPECT_REPORT(__free_page(page + 3), "not the first page of a page allocation");
	EXPECT_REPORT(__free_pages(page + 4, 2), "not the first page");
	EXPECT_REPORT(free_pages((unsigned long)va + 5 * PAGE_SIZE, 0), "not the first page");
	/* put_page of a page inside a block that is not compound: it holds no reference, and
	 * the block is live, not free */
	EXPECT_REPORT(put_page(page + 6),
		      "page dumped because: not the first page of a page allocation");
	KT_EQ(page_ref_count(page), 1);
	pt_check(va, 8 * PAGE_SIZE, 43);
	__free_pages(page, 3);
	PT_EXPECT_SAME(start);

	/* A tail page of a compound page given to __free_pages. */
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	EXPECT_REPORT(__free_pages(page + 1, 0), "not the first page");
	KT_EQ(page_ref_count(page), 1);
	put_page(page + 2);
	PT_EXPECT_SAME(start);
}

static noinline void outside_ram(void)
{
	static char not_ram[2 * PAGE_SIZE];
	unsigned long stack_addr = (unsigned long)&stack_addr & PAGE_MASK;
	struct page bogus = { 0 };

	EXPECT_REPORT(free_page(PAGE_ALIGN((unsigned long)not_ram)), "outside the direct map of RAM");
	EXPECT_REPORT(free_pages(stack_addr, 1), "outside the direct map of RAM");
	/* Beyond the end of RAM (mem=64M) but inside the direct-map window. */
	EXPECT_REPORT(free_page((unsigned long)phys_to_virt(SZ_64M + SZ_1M)), "outside the direct map");
	EXPECT_REPORT(__free_page(&bogus), "not a struct page of RAM");
	EXPECT_REPORT(__free_page((struct page *)((char *)pfn_to_page(1000) + 8)), "not a struct page");
	EXPECT_REPORT(put_page(&bogus), "not a struct page of RAM");
	/* A frame of the reserved first MiB was never handed out. */
	EXPECT_REPORT(free_page((unsigned long)phys_to_virt(0x9f000)), "not the first page");
	PT_EXPECT_SAME(start);
}

/* The last reference dropped on a block 6.1 does not free: a slab's page, pages a driver
 * marked reserved (to map them) and did not unmark.  Reported, and the block stays its
 * owner's: the slab frees its page later without a word, the driver's corrected free works. */
static noinline void flagged_pages(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_flagged", 512, 0, 0, NULL);
	void *obj = kmem_cache_alloc(cache, GFP_KERNEL);
	struct page *head = virt_to_head_page(obj), *page;
	unsigned long before;

	EXPECT_REPORT(__free_pages(head, compound_order(head)),
		      "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	KT_EQ(page_ref_count(head), 1);
	EXPECT_REPORT(put_page(virt_to_page(obj)), "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	KT_EQ(page_ref_count(head), 1);
	kmem_cache_free(cache, obj);
	before = ukmem_report_count();
	kmem_cache_destroy(cache);		/* its page goes back, unreported */
	KT_EQ(ukmem_report_count(), before);
	PT_EXPECT_SAME(start);

	page = alloc_pages(GFP_KERNEL, 2);
	SetPageReserved(page + 1);
	EXPECT_REPORT(__free_pages(page, 2), "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	KT_EQ(page_ref_count(page), 1);
	ClearPageReserved(page + 1);
	__free_pages(page, 2);
	page = alloc_page(GFP_KERNEL);
	SetPageReserved(page);
	EXPECT_REPORT(__free_page(page), "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	KT_EQ(page_ref_count(page), 1);
	ClearPageReserved(page);
	__free_page(page);
	PT_EXPECT_SAME(start);
}

static noinline void get_free_page_warns(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long before;
	char *out;

	__free_page(page);
	before = ukmem_report_count();
	kt_capture_begin();
	get_page(page);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: ");
	KT_CONTAINS(out, "get_page() on a page that is not in use");
	KT_EQ(ukmem_report_count(), before + 1);
	KT_EQ(page_ref_count(page), 0);		/* not resurrected */
	free(out);
	PT_EXPECT_SAME(start);
}

int main(void)
{
	int reports;

	KT_EQ(ukmem_init("mem=64M"), 0);
	start = pt_snap();
	double_free();
	wrong_order();
	middle_of_block();
	outside_ram();
	flagged_pages();
	get_free_page_warns();
	/* Later allocations are fine: every page can be had, every one once. */
	for (int i = 0; i < 3; i++) {
		struct page *pages[16];

		for (int j = 0; j < 16; j++) {
			pages[j] = alloc_pages(GFP_KERNEL, j % 4);
			pt_fill(page_address(pages[j]), PAGE_SIZE << (j % 4), j);
		}
		for (int j = 0; j < 16; j++) {
			pt_check(page_address(pages[j]), PAGE_SIZE << (j % 4), j);
			__free_pages(pages[j], j % 4);
		}
	}
	PT_EXPECT_SAME(start);
	reports = (int)ukmem_report_count();
	KT_EQ(reports, 25);
	KT_EQ(ukmem_exit(), reports);
	return 0;
}
