/* SPDX-License-Identifier: MIT */
/*
 * DMA-API debugging switched off (dma_debug=off) or filtered to one driver
 * (dma_debug_driver=NAME), in three runs of this program:
 *  - off: a wrong-size unmap, a device write to unmapped memory and a mapping left at unbind
 *    report nothing; the device's write goes through (no checking); "dma-api" is empty;
 *    stack memory is still refused (it cannot be mapped), with a plain warning.
 *  - filtered to another driver: the same bugs report nothing (the write is let through).
 *  - filtered to this driver: they are reported, including at unbind.
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

#define LEN	1500

int main(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	bool off = strstr(cmdline, "dma_debug=off") != NULL;
	bool mine = strstr(cmdline, "dma_debug_driver=dmadev") != NULL;
	struct device *dev = dt_setup();
	char *buf = kmalloc(LEN, GFP_KERNEL), *out, local[16];
	unsigned long expected = mine ? 3 : off ? 1 : 0;
	dma_addr_t addr;

	kt_capture_begin();
	addr = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	dma_unmap_single(dev, addr, 1000, DMA_TO_DEVICE);		/* wrong size */
	addr = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	KT_EQ(ukmem_dma_write(dev, addr, "x", 1), mine ? -EFAULT : 0);	/* after the unmap */
	addr = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	out = kt_show("dma-api");
	KT_EQ(strlen(out) == 0, off);
	free(out);
	device_release_driver(dev);					/* leaves a mapping */
	if (off)	/* the stack is never mappable: a plain warning without debugging */
		KT_EQ(dma_map_single(dev, local, sizeof(local), DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), expected);
	if (mine) {
		KT_CONTAINS(out, "device driver frees DMA memory with different size");
		KT_CONTAINS(out, "device writes DMA memory that is not mapped for it");
		KT_CONTAINS(out, "DMA-API: platform dmadev: device driver has pending DMA allocations");
	} else {
		KT_NOT_CONTAINS(out, "DMA-API: dmadev");
		KT_NOT_CONTAINS(out, "pending DMA");
	}
	if (off)
		KT_CONTAINS(out, "rejecting DMA map of memory outside RAM");
	free(out);
	kfree(buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), (int)expected);
	return 0;
}
