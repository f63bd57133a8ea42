/* SPDX-License-Identifier: MIT */
/*
 * A machine whose RAM ends below 4 GiB (mem=1G) has no bounce pool, as 6.1 on x86-64 turns
 * swiotlb on only when RAM reaches above 4 GiB (or when asked): a device whose mask misses the
 * buffer (29 bits, a buffer above 512 MiB) gets DMA_MAPPING_ERROR and 6.1's "DMA addr ...
 * overflow" warning (once), no pool is made behind its back (it would take 64 MiB of RAM, from
 * the top, where the device could not reach it anyway), dma_max_mapping_size() is unlimited,
 * and a GFP_DMA buffer the mask covers still maps directly.
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

int main(void)
{
	struct device *dev = dt_setup();
	char *high = kmalloc(64, GFP_KERNEL), *low = kmalloc(64, GFP_KERNEL | GFP_DMA), *out;
	unsigned long free_before, before = ukmem_report_count();
	dma_addr_t a;

	KT_ASSERT(high && low);
	KT_ASSERT(virt_to_phys(high) > DMA_BIT_MASK(29));
	KT_EQ(dma_set_mask(dev, DMA_BIT_MASK(29)), 0);
	KT_ASSERT(dma_addressing_limited(dev));
	KT_EQ(dma_max_mapping_size(dev), SIZE_MAX);
	drain_local_pages(NULL);
	free_before = nr_free_pages();
	kt_capture_begin();
	a = dma_map_single(dev, high, 64, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, a), -ENOMEM);
	a = dma_map_single(dev, high, 64, DMA_TO_DEVICE);	/* dev_WARN_ONCE: silent */
	KT_EQ(dma_mapping_error(dev, a), -ENOMEM);
	out = kt_capture_end();
	KT_CONTAINS(out, "dmadev dmadev: DMA addr 0x");
	KT_CONTAINS(out, "+64 overflow (mask 1fffffff, bus limit 0).\n");
	KT_NOT_CONTAINS(out, "software IO TLB");
	KT_NOT_CONTAINS(out, "swiotlb addr");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	drain_local_pages(NULL);
	KT_ASSERT(nr_free_pages() + 16 > free_before);		/* no pool was allocated */
	KT_EQ(dma_max_mapping_size(dev), SIZE_MAX);

	a = dma_map_single(dev, low, 64, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, a), 0);
	KT_EQ(a, virt_to_phys(low));
	dma_unmap_single(dev, a, 64, DMA_TO_DEVICE);

	kfree(high);
	kfree(low);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 1);
	return 0;
}
