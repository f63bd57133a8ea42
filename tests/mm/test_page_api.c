/* SPDX-License-Identifier: MIT */
/*
 * The page API around the buddy: __GFP_ZERO and get_zeroed_page, init_on_alloc and
 * init_on_free, reference counts (get_page/put_page, __free_pages of a shared block),
 * split_page, alloc_pages_exact/free_pages_exact, __GFP_COMP compound pages freed with
 * put_page, the gfp-less helpers (__get_free_pages, free_pages, si_meminfo),
 * alloc_pages_exact's argument checks (a size of 0, __GFP_HIGHMEM) and the warning for
 * __GFP_NOFAIL above order 1.  After each part every page is back: nr_free_pages and
 * buddyinfo equal the snapshot.
 */
#include "mm/pages.h"

static struct pt_snapshot start;

static bool all_bytes(const void *p, size_t len, unsigned char c)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != c)
			return false;
	return true;
}

/* Dirty a block, free it, and ask again: this thread's cache hands back the same block. */
static void zeroing(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0), *again;
	unsigned long addr;

	memset(page_address(page), 0xa5, PAGE_SIZE);
	__free_page(page);
	again = alloc_page(GFP_KERNEL);
	KT_ASSERT(again == page);		/* LIFO: the dirty page */
	KT_ASSERT(all_bytes(page_address(again), PAGE_SIZE, 0xa5));	/* init_on_alloc=0 */
	__free_page(again);
	again = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(again == page);
	KT_ASSERT(all_bytes(page_address(again), PAGE_SIZE, 0));
	memset(page_address(again), 0x5a, PAGE_SIZE);
	__free_page(again);
	addr = get_zeroed_page(GFP_KERNEL);
	KT_ASSERT(addr == (unsigned long)page_address(page));
	KT_ASSERT(all_bytes((void *)addr, PAGE_SIZE, 0));
	free_page(addr);

	/* A higher order block is zeroed over its whole length. */
	page = alloc_pages(GFP_KERNEL, 4);
	memset(page_address(page), 0xff, PAGE_SIZE << 4);
	__free_pages(page, 4);
	again = alloc_pages(GFP_KERNEL | __GFP_ZERO, 4);
	KT_ASSERT(again == page);
	KT_ASSERT(all_bytes(page_address(again), PAGE_SIZE << 4, 0));
	__free_pages(again, 4);
	PT_EXPECT_SAME(start);
}

static void refcounts(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long free_now;

	KT_EQ(page_ref_count(page), 1);
	KT_EQ(page_count(page), 1);
	get_page(page);
	KT_EQ(page_ref_count(page), 2);
	free_now = pt_free_pages();
	put_page(page);				/* not the last reference: nothing freed */
	KT_EQ(page_ref_count(page), 1);
	KT_EQ(pt_free_pages(), free_now);
	memset(page_address(page), 1, PAGE_SIZE);	/* still ours */
	put_page(page);				/* the last: freed */
	PT_EXPECT_SAME(start);

	/* __free_pages with another reference held on the first page: the kernel frees the rest
	 * of the block at once and the first page when its last reference goes. */
	page = alloc_pages(GFP_KERNEL, 2);
	get_page(page);
	free_now = pt_free_pages();
	__free_pages(page, 2);
	KT_EQ(pt_free_pages(), free_now + 3);
	KT_EQ(page_ref_count(page), 1);
	for (int i = 1; i < 4; i++) {		/* free now: no reference to take */
		KT_EQ(page_ref_count(page + i), 0);
		KT_ASSERT(!get_page_unless_zero(page + i));
	}
	memset(page_address(page), 2, PAGE_SIZE);
	put_page(page);
	PT_EXPECT_SAME(start);
}

static void splitting(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	void *p;

	split_page(page, 3);
	for (int i = 0; i < 8; i++)
		KT_EQ(page_ref_count(page + i), 1);
	/* Each page is now a block of its own, freed in any order. */
	for (int i = 7; i >= 0; i -= 2)
		__free_page(page + i);
	for (int i = 0; i < 8; i += 2)
		free_page((unsigned long)page_address(page + i));
	PT_EXPECT_SAME(start);
	KT_EQ(ukmem_report_count(), 0);

	/* alloc_pages_exact: 5 pages out of an order-3 block, the other 3 go back at once. */
	p = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(p);
	KT_ASSERT(all_bytes(p, 5 * PAGE_SIZE, 0));
	KT_EQ(pt_free_pages(), start.free - 5);
	for (int i = 0; i < 5; i++)
		KT_EQ(virt_to_phys((char *)p + i * PAGE_SIZE), virt_to_phys(p) + i * PAGE_SIZE);
	memset(p, 3, 5 * PAGE_SIZE);
	free_pages_exact(p, 5 * PAGE_SIZE);
	PT_EXPECT_SAME(start);
	p = alloc_pages_exact(PAGE_SIZE + 1, GFP_KERNEL);	/* rounds up to 2 pages */
	KT_EQ(pt_free_pages(), start.free - 2);
	free_pages_exact(p, PAGE_SIZE + 1);
	PT_EXPECT_SAME(start);
}

static void compound(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	unsigned long free_now;

	KT_ASSERT(PageHead(page));
	KT_ASSERT(!PageTail(page));
	KT_EQ(compound_order(page), 3);
	KT_EQ(compound_nr(page), 8);
	KT_EQ(page_size(page), 8 * PAGE_SIZE);
	for (int i = 1; i < 8; i++) {
		KT_ASSERT(PageTail(page + i));
		KT_ASSERT(compound_head(page + i) == page);
		KT_ASSERT(virt_to_head_page((char *)page_address(page) + i * PAGE_SIZE + 9) == page);
	}
	/* A reference taken through a tail page is on the head. */
	get_page(page + 5);
	KT_EQ(page_ref_count(page), 2);
	KT_EQ(page_count(page + 5), 2);
	free_now = pt_free_pages();
	put_page(page + 3);
	KT_EQ(pt_free_pages(), free_now);
	put_page(page + 7);			/* last reference: the whole compound page */
	PT_EXPECT_SAME(start);
	KT_ASSERT(!PageTail(page + 1));

	/* __free_pages of a compound head works too. */
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	KT_ASSERT(PageHead(page) && PageTail(page + 1));
	__free_pages(page, 1);
	PT_EXPECT_SAME(start);
	KT_EQ(ukmem_report_count(), 0);
}

static void helpers(void)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 2);
	struct sysinfo si;

	KT_ASSERT(addr && PAGE_ALIGNED(addr));
	KT_ASSERT(virt_addr_valid((void *)addr));
	KT_EQ(page_ref_count(virt_to_page((void *)addr)), 1);
	si_meminfo(&si);
	KT_EQ(si.totalram, totalram_pages());
	KT_EQ(si.mem_unit, PAGE_SIZE);
	KT_ASSERT(si.freeram <= start.free - 4);
	free_pages(addr, 2);
	free_pages(0, 3);			/* ignored, as in the kernel */
	addr = __get_free_page(GFP_KERNEL);
	free_page(addr);
	PT_EXPECT_SAME(start);
}

/* init_on_alloc=1 zeroes every allocation; init_on_free=1 zeroes at free.  Each runs in a
 * child that starts ukmem with that option. */
static void init_on_alloc_child(void *arg)
{
	struct page *page;

	KT_EQ(ukmem_init("mem=32M init_on_alloc=1"), 0);
	page = alloc_pages(GFP_KERNEL, 1);
	memset(page_address(page), 0xee, 2 * PAGE_SIZE);
	__free_pages(page, 1);
	KT_ASSERT(alloc_pages(GFP_KERNEL, 1) == page);
	KT_ASSERT(all_bytes(page_address(page), 2 * PAGE_SIZE, 0));
	__free_pages(page, 1);
	page = alloc_page(GFP_KERNEL);
	memset(page_address(page), 0xee, PAGE_SIZE);
	__free_page(page);
	KT_ASSERT(alloc_page(GFP_ATOMIC) == page);
	KT_ASSERT(all_bytes(page_address(page), PAGE_SIZE, 0));
	__free_page(page);
	exit(ukmem_exit());
}

static void init_on_free_child(void *arg)
{
	struct page *page;

	KT_EQ(ukmem_init("mem=32M init_on_free=1"), 0);
	page = alloc_pages(GFP_KERNEL, 2);
	memset(page_address(page), 0xee, 4 * PAGE_SIZE);
	__free_pages(page, 2);
	/* Freed memory stays mapped in the direct map: it reads as zeroes now. */
	KT_ASSERT(all_bytes(page_address(page), 4 * PAGE_SIZE, 0));
	exit(ukmem_exit());
}

/* alloc_pages_exact's argument checks, as 6.1's: a size of 0 is get_order(0), an order no
 * block has (a warning and NULL, never a page of no size); __GFP_COMP or __GFP_HIGHMEM warn
 * once and are dropped. */
static void exact_edges_child(void *arg)
{
	unsigned long free_now;
	char *out;
	void *p;

	KT_EQ(ukmem_init("mem=32M"), 0);
	KT_EQ(get_order(0), 64 - PAGE_SHIFT);
	KT_EQ(get_order(1), 0);
	KT_EQ(get_order(PAGE_SIZE + 1), 1);
	free_now = pt_free_pages();
	kt_capture_begin();
	p = alloc_pages_exact(0, GFP_KERNEL);
	out = kt_capture_end();
	KT_ASSERT(!p);
	KT_CONTAINS(out, "WARNING: ");
	KT_EQ(pt_free_pages(), free_now);
	free(out);
	kt_capture_begin();
	p = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL | __GFP_HIGHMEM);
	out = kt_capture_end();
	KT_ASSERT(p);
	KT_CONTAINS(out, "WARNING: ");
	KT_CONTAINS(out, "alloc_pages_exact");
	KT_EQ(page_ref_count(virt_to_page(p)), 1);
	free_pages_exact(p, 3 * PAGE_SIZE);
	KT_EQ(pt_free_pages(), free_now);
	free(out);
	KT_EQ(ukmem_report_count(), 2);
	exit(0);
}

/* 6.1 warns, once, of a __GFP_NOFAIL request above order 1, memory short or not. */
static void nofail_order_child(void *arg)
{
	struct page *page;
	char *out;

	KT_EQ(ukmem_init("mem=32M"), 0);
	kt_capture_begin();
	page = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 1);	/* order 1 is allowed */
	__free_pages(page, 1);
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "WARNING");
	free(out);
	kt_capture_begin();
	page = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 2);
	__free_pages(page, 2);
	page = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 3);	/* once only */
	__free_pages(page, 3);
	out = kt_capture_end();
	KT_EQ(kt_count(out, "WARNING: "), 1);
	free(out);
	KT_EQ(ukmem_report_count(), 1);
	exit(0);
}

static void run_child(void (*fn)(void *))
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	free(out);
}

int main(void)
{
	run_child(init_on_alloc_child);
	run_child(init_on_free_child);
	run_child(exact_edges_child);
	run_child(nofail_order_child);
	KT_EQ(ukmem_init("mem=64M"), 0);
	start = pt_snap();
	zeroing();
	refcounts();
	splitting();
	compound();
	helpers();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
