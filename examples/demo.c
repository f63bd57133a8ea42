/* SPDX-License-Identifier: MIT */
/*
 * demo: a few lines of driver-style code run against ukmem.  It allocates physically
 * contiguous pages, a kmalloc object and a vmalloc buffer, then makes two classic mistakes —
 * a GFP_KERNEL allocation under a spinlock and a double kfree — which ukmem reports exactly
 * as the kernel would, and carries on.
 */
#include <stdio.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

struct demo_dev {
	int id;
	char name[20];
};

static DEFINE_SPINLOCK(demo_lock);

int main(void)
{
	struct demo_dev *dev;
	struct page *page;
	void *buf;

	pr_info("demo: allocating an order-2 block (16 KiB, physically contiguous)\n");
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	if (!page)
		return 1;
	buf = page_address(page);
	pr_info("demo: virtual %px is physical %pa, pfn %#lx\n", buf,
		&(phys_addr_t){ virt_to_phys(buf) }, page_to_pfn(page));
	__free_pages(page, 2);

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	buf = vmalloc(1 << 20);
	if (!dev || !buf)
		return 1;
	pr_info("demo: kzalloc'd %zu bytes at %px (ksize %zu), vmalloc'd 1 MiB at %px\n",
		sizeof(*dev), dev, ksize(dev), buf);
	vfree(buf);

	pr_info("demo: now a GFP_KERNEL allocation under a spinlock (a bug):\n");
	spin_lock(&demo_lock);
	page = alloc_page(GFP_KERNEL);
	spin_unlock(&demo_lock);
	__free_page(page);

	pr_info("demo: and a double kfree (a bug):\n");
	kfree(dev);
	kfree(dev);

	ukmem_show("slabinfo", stdout);
	pr_info("demo: done; ukmem_exit() counts the problems found\n");
	return ukmem_exit() == 2 ? 0 : 1;
}
