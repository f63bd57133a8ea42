/* SPDX-License-Identifier: MIT */
/*
 * The DMA API given a NULL or error-pointer device (a driver that passes NULL as old x86
 * kernels allowed, or an unchecked lookup's ERR_PTR): 6.1 dereferences it at once and
 * oopses.  Each call here is a warning, "DMA-API: CALL: NULL device" or "... device is an
 * error pointer (-19)", and fails as for a device it cannot serve: NULL, DMA_MAPPING_ERROR,
 * 0 entries, -EIO, or nothing done; nothing is allocated, mapped or freed.  dma_pool_create
 * refuses an error pointer (6.1 links the pool into it); a NULL-device pool (6.1 allows one)
 * gets NULL from its first dma_pool_alloc, whose dma_alloc_coherent is the warning.
 * A NULL dma_handle for dma_alloc_coherent, dma_alloc_pages or dma_pool_alloc (6.1 writes
 * the bus address through it) is a warning and NULL too.
 */
#include <linux/scatterlist.h>
#include "dma/dmatest.h"

/* Every entry point with @dev; returns the number of warnings it must have given. */
static int calls(struct device *dev, void *buf)
{
	struct scatterlist sg;
	struct sg_table sgt = { .sgl = &sg, .orig_nents = 1 };
	dma_addr_t h = virt_to_phys(buf);
	struct dma_pool *pool;

	sg_init_one(&sg, buf, 64);
	KT_EQ(dma_set_mask(dev, DMA_BIT_MASK(32)), -EIO);
	KT_EQ(dma_set_coherent_mask(dev, DMA_BIT_MASK(32)), -EIO);
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), -EIO);
	KT_EQ(dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(32)), -EIO);
	KT_ASSERT(dma_alloc_coherent(dev, PAGE_SIZE, &h, GFP_KERNEL) == NULL);
	dma_free_coherent(dev, PAGE_SIZE, buf, virt_to_phys(buf));	/* buf stays kmalloc's */
	KT_ASSERT(dma_alloc_pages(dev, PAGE_SIZE, &h, DMA_TO_DEVICE, GFP_KERNEL) == NULL);
	dma_free_pages(dev, PAGE_SIZE, virt_to_page(buf), virt_to_phys(buf), DMA_TO_DEVICE);
	KT_EQ(dma_map_single(dev, buf, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	KT_EQ(dma_map_page(dev, virt_to_page(buf), 0, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	dma_unmap_single(dev, virt_to_phys(buf), 64, DMA_TO_DEVICE);
	KT_EQ(dma_map_sg(dev, &sg, 1, DMA_TO_DEVICE), 0);
	KT_EQ(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), -EINVAL);
	dma_unmap_sg(dev, &sg, 1, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(dev, virt_to_phys(buf), 64, DMA_FROM_DEVICE);
	dma_sync_single_for_device(dev, virt_to_phys(buf), 64, DMA_TO_DEVICE);
	dma_sync_sg_for_cpu(dev, &sg, 1, DMA_FROM_DEVICE);
	dma_sync_sg_for_device(dev, &sg, 1, DMA_TO_DEVICE);
	KT_EQ(dma_map_resource(dev, 0xc0000000, 64, DMA_TO_DEVICE, 0), DMA_MAPPING_ERROR);
	dma_unmap_resource(dev, 0xc0000000, 64, DMA_TO_DEVICE, 0);
	KT_ASSERT(dma_addressing_limited(dev));
	pool = dma_pool_create("bad", dev, 64, 8, 0);
	if (!dev) {
		KT_ASSERT(pool);
		KT_ASSERT(dma_pool_alloc(pool, GFP_KERNEL, &h) == NULL);
		dma_pool_destroy(pool);
	} else {
		KT_ASSERT(pool == NULL);
	}
	return 22;
}

int main(void)
{
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *out;
	unsigned long before = ukmem_report_count();
	struct dma_pool *pool;
	struct device *dev;
	int n;

	kt_capture_begin();
	n = calls(NULL, buf);
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + n);
	KT_CONTAINS(out, "DMA-API: dma_alloc_attrs: NULL device");
	KT_CONTAINS(out, "DMA-API: dma_map_single_attrs: NULL device");
	KT_CONTAINS(out, "DMA-API: dma_map_sg: NULL device");
	KT_CONTAINS(out, "DMA-API: dma_sync_sg_for_device: NULL device");
	free(out);

	before = ukmem_report_count();
	kt_capture_begin();
	n = calls(ERR_PTR(-ENODEV), buf);
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + n);
	KT_CONTAINS(out, "DMA-API: dma_set_mask: device is an error pointer (-19)");
	KT_CONTAINS(out, "dma_pool_create: device is an error pointer (-19)");
	free(out);

	dev = dt_setup();
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	pool = dma_pool_create("nohandle", dev, 64, 8, 0);
	before = ukmem_report_count();
	kt_capture_begin();
	KT_ASSERT(dma_alloc_coherent(dev, PAGE_SIZE, NULL, GFP_KERNEL) == NULL);
	KT_ASSERT(dma_alloc_pages(dev, PAGE_SIZE, NULL, DMA_TO_DEVICE, GFP_KERNEL) == NULL);
	KT_ASSERT(dma_pool_alloc(pool, GFP_KERNEL, NULL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "DMA-API: dma_alloc_attrs: NULL dma_handle");
	KT_CONTAINS(out, "DMA-API: dma_alloc_pages: NULL dma_handle");
	KT_CONTAINS(out, "dma_pool_alloc nohandle: NULL handle");
	KT_EQ(ukmem_report_count(), before + 3);
	free(out);
	dma_pool_destroy(pool);				/* nothing allocated: clean */
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);

	memset(buf, 0x5a, PAGE_SIZE);			/* still kmalloc's: nothing freed it */
	kfree(buf);
	KT_EQ(ukmem_exit(), 47);
	return 0;
}
