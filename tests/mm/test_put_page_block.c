/* SPDX-License-Identifier: MIT */
/*
 * put_page() dropping the last reference to the first page of a block of order > 0 that is
 * not compound (alloc_pages without __GFP_COMP).  6.1's put_page sees a one-page folio and
 * frees that page alone, as order 0; the rest of the block is never freed (a driver must use
 * __free_pages(page, order), or allocate with __GFP_COMP).  Here:
 *  - the first page is freed, the others stay allocated (each piece holds a reference), and
 *    nothing can take a reference to the freed page;
 *  - a one-time WARNING says what happened (6.1 says nothing);
 *  - kmemleak's exit report lists the pages left behind (a 4 KiB and an 8 KiB piece for an
 *    order-2 block), under the function that allocated them, and not the freed first page;
 *  - a second such put_page warns no more, and its pages are listed too;
 *  - no warning and no leak for a compound block's last put_page (the whole block goes),
 *    for order 0, or for put_page of the first page after __free_pages freed the rest
 *    (another reference held on it: the kernel's way, which leaves an order-0 page).
 * Before, put_page freed the whole block, as 6.1 does not.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem.h>
#include "ktest.h"

static noinline struct page *leaky_driver_alloc(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	__asm__ __volatile__("" ::: "memory");	/* a frame of its own */
	return page;
}

static void expect_line(const char *out, const char *fmt, const void *addr, const char *size)
{
	char line[128];

	snprintf(line, sizeof(line), fmt, (unsigned long)addr, size);
	KT_CONTAINS(out, line);
}

static void child(void *arg)
{
	struct page *a = leaky_driver_alloc(), *b = leaky_driver_alloc(), *c, *z;
	int problems;

	KT_ASSERT(a && b);
	memset(page_address(a), 0x5a, 4 * PAGE_SIZE);
	put_page(a);
	KT_EQ(page_ref_count(a), 0);			/* the first page: freed */
	KT_ASSERT(!get_page_unless_zero(a));
	KT_EQ(page_ref_count(a + 1), 1);		/* the rest: still allocated */
	KT_EQ(page_ref_count(a + 2), 1);
	KT_EQ(((char *)page_address(a + 1))[0], 0x5a);	/* and untouched */
	KT_EQ(((char *)page_address(a + 3))[PAGE_SIZE - 1], 0x5a);
	KT_EQ(ukmem_report_count(), 1);			/* the warning */
	put_page(b);					/* warned once only */
	KT_EQ(ukmem_report_count(), 1);
	KT_EQ(page_ref_count(b + 1), 1);

	c = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);	/* compound: the whole block */
	put_page(c + 3);
	z = alloc_pages(GFP_KERNEL, 0);			/* order 0 */
	put_page(z);
	c = alloc_pages(GFP_KERNEL, 2);			/* the kernel's way for a shared page */
	get_page(c);
	__free_pages(c, 2);				/* frees pages 1..3 */
	put_page(c);					/* and this, page 0 */
	KT_EQ(page_ref_count(c + 1), 0);
	KT_EQ(ukmem_report_count(), 1);

	fprintf(stderr, "a=%lx b=%lx\n", (unsigned long)page_address(a),
		(unsigned long)page_address(b));
	problems = ukmem_exit();
	fprintf(stderr, "ukmem_exit() = %d\n", problems);
	exit(0);
}

int main(void)
{
	char *out;
	unsigned long a, b;
	int status;

	KT_EQ(ukmem_init(""), 0);
	status = kt_run_child(child, NULL, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "WARNING: ");
	KT_CONTAINS(out, "is the first page of an order-2 block that is not compound: only this "
		    "page is freed, as in 6.1, and the other 3 pages stay allocated");
	KT_EQ(kt_count(out, "that is not compound"), 1);
	KT_ASSERT(strstr(out, "a="));
	KT_EQ(sscanf(strstr(out, "a="), "a=%lx b=%lx", &a, &b), 2);
	/* the pieces left: 4 KiB after the first page, then 8 KiB; the first page is not */
	expect_line(out, "unreferenced object 0x%lx (size %s)", (void *)(a + PAGE_SIZE), "4096");
	expect_line(out, "unreferenced object 0x%lx (size %s)", (void *)(a + 2 * PAGE_SIZE), "8192");
	expect_line(out, "unreferenced object 0x%lx (size %s)", (void *)(b + PAGE_SIZE), "4096");
	expect_line(out, "unreferenced object 0x%lx (size %s)", (void *)(b + 2 * PAGE_SIZE), "8192");
	{
		char freed[64];

		snprintf(freed, sizeof(freed), "unreferenced object 0x%lx ", a);
		KT_NOT_CONTAINS(out, freed);
	}
	KT_CONTAINS(out, "leaky_driver_alloc+");
	KT_CONTAINS(out, "kmemleak: 4 new suspected memory leaks");
	KT_CONTAINS(out, "ukmem_exit() = 5\n");		/* the warning and the four pieces */
	free(out);
	printf("test_put_page_block: ok\n");
	return 0;
}
