/* SPDX-License-Identifier: MIT */
/*
 * demo: a few lines of driver-style code run against ukmem.  It allocates physically
 * contiguous pages, shows where they are, then makes the classic mistake of allocating with
 * GFP_KERNEL under a spinlock, which ukmem reports exactly as the kernel would.
 */
#include <stdio.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <ukmem.h>

static DEFINE_SPINLOCK(demo_lock);

int main(void)
{
	struct page *page;
	void *buf;

	pr_info("demo: allocating an order-2 block (16 KiB, physically contiguous)\n");
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!page)
		return 1;
	buf = page_address(page);
	pr_info("demo: virtual %px is physical %pa, pfn %#lx\n", buf, &(phys_addr_t){ virt_to_phys(buf) },
		page_to_pfn(page));
	__free_pages(page, 2);

	pr_info("demo: now a GFP_KERNEL allocation under a spinlock (a bug):\n");
	spin_lock(&demo_lock);
	page = alloc_page(GFP_KERNEL);
	spin_unlock(&demo_lock);
	__free_page(page);

	ukmem_show("buddyinfo", stdout);
	pr_info("demo: done; ukmem_exit() counts the problems found\n");
	return ukmem_exit() == 1 ? 0 : 1;
}
