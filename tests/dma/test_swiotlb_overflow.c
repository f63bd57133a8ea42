/* SPDX-License-Identifier: MIT */
/*
 * Copies a bounced mapping is asked to make beyond its bounds, with DMA-API debugging off (the
 * swiotlb's own checks, as in 6.1): a sync or unmap that runs past the mapping's end copies
 * what was mapped and warns "Buffer overflow detected. Allocation size: LEFT. Mapping size:
 * N."; one that starts past the end (inside the mapping's last slot) copies nothing and warns
 * with the offset ("Mapping size: N+OFF."); one that starts before a mapping whose buffer
 * offset is kept (min_align_mask) copies nothing and warns "Access before mapping start
 * detected".  Each warning is the kernel's dev_WARN_ONCE: the second overflow is silent.
 * The bytes around the buffers never change.
 */
#include "dma/dmatest.h"

int main(void)
{
	struct device *dev;
	char *buf, *page, *out;
	dma_addr_t a, b;

	KT_EQ(ukmem_init("swiotlb=force dma_debug=off"), 0);
	dev = dt_setup();
	buf = kmalloc(256, GFP_KERNEL);
	page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	KT_ASSERT(buf && page);
	memset(buf, 'x', 256);
	a = dma_map_single(dev, buf, 100, DMA_BIDIRECTIONAL);
	KT_EQ(dma_mapping_error(dev, a), 0);
	KT_EQ(ukmem_dma_write(dev, a, memset(page, 'd', 100), 100), 0);

	kt_capture_begin();
	dma_sync_single_for_cpu(dev, a + 40, 200, DMA_BIDIRECTIONAL);	/* runs past the end */
	dma_sync_single_for_cpu(dev, a + 200, 10, DMA_BIDIRECTIONAL);	/* starts past it */
	dma_unmap_single(dev, a, 300, DMA_BIDIRECTIONAL);		/* once: silent */
	out = kt_capture_end();
	KT_CONTAINS(out, "dmadev dmadev: Buffer overflow detected. Allocation size: 60. Mapping size: 200.\n");
	KT_CONTAINS(out, "dmadev dmadev: Buffer overflow detected. Allocation size: 100. Mapping size: 10+200.\n");
	KT_EQ(kt_count(out, "Buffer overflow detected"), 2);
	KT_EQ(ukmem_report_count(), 2);
	free(out);
	for (int i = 0; i < 256; i++)
		KT_EQ(buf[i], i < 100 ? 'd' : 'x');

	/* The buffer's offset in its page is kept in the bounce address (1984 in the slot). */
	KT_EQ(dma_set_min_align_mask(dev, 4095), 0);
	b = dma_map_single(dev, page + 0xfc0, 32, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(dev, b), 0);
	KT_EQ(b & 0xfff, 0xfc0);
	kt_capture_begin();
	dma_sync_single_for_cpu(dev, b - 16, 16, DMA_FROM_DEVICE);
	out = kt_capture_end();
	KT_CONTAINS(out, "dmadev dmadev: Access before mapping start detected. orig offset 1984, requested offset 1968.\n");
	free(out);
	dma_unmap_single(dev, b, 32, DMA_FROM_DEVICE);
	dma_set_min_align_mask(dev, 0);

	kfree(page);
	kfree(buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 3);
	return 0;
}
