/* SPDX-License-Identifier: MIT */
/*
 * dma_free_coherent() of dmam_alloc_coherent() memory: the device frees that memory when its
 * driver goes, so freeing it now too would free it twice (6.1 does; by then the pages may
 * be another buffer's, which would be freed from under its owner).  It is reported and left
 * to the device, as kfree() of devm memory is: the next allocation gets other pages, and the
 * unbind frees the buffer once, silently.  dmam_free_coherent() still frees at once.  Run with
 * DMA-API debugging and with dma_debug=off: the check does not depend on it.
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

int main(void)
{
	struct device *dev = dt_setup();
	unsigned long free_before, before;
	dma_addr_t h, h2, h3;
	void *m, *d, *k;
	char *out;

	drain_local_pages(NULL);
	free_before = nr_free_pages();
	before = ukmem_report_count();
	m = dmam_alloc_coherent(dev, 5000, &h, GFP_KERNEL);
	KT_ASSERT(m);
	kt_capture_begin();
	dma_free_coherent(dev, 5000, m, h);
	out = kt_capture_end();
	KT_CONTAINS(out, "dmadev dmadev: dma_free_coherent of managed memory [cpu address=");
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	d = dma_alloc_coherent(dev, 5000, &h2, GFP_KERNEL);	/* m's pages are still m's */
	KT_ASSERT(d && d != m && h2 != h);
	memset(m, 0x5a, 5000);
	dma_free_coherent(dev, 5000, d, h2);

	k = dmam_alloc_coherent(dev, 100, &h3, GFP_KERNEL);	/* the managed free still works */
	KT_ASSERT(k);
	dmam_free_coherent(dev, 100, k, h3);
	KT_EQ(ukmem_report_count(), before + 1);

	device_release_driver(dev);				/* frees m, once */
	KT_EQ(ukmem_report_count(), before + 1);
	drain_local_pages(NULL);
	KT_ASSERT(nr_free_pages() + 1 >= free_before);	/* m's 2 pages are back (a slab page
							 * for devres nodes may stay) */
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 1);
	return 0;
}
