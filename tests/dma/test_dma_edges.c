/* SPDX-License-Identifier: MIT */
/*
 * The DMA API at its edges, with mem=8M (RAM's last page at 0x7ff000): the required mask and
 * the smallest accepted mask follow RAM's last page as 6.1's direct mapping computes them;
 * a coherent allocation of 0 bytes or of a size that wraps when page-aligned is the page
 * allocator's too-large-order warning and NULL; a scatterlist of no entries is a warning,
 * dma_map_sg() 0 and dma_map_sgtable() -EIO; dma_alloc_pages() for a device without a
 * coherent mask is a warning and NULL; and nothing of it leaves memory behind.
 */
#include <stdint.h>
#include "dma/dmatest.h"

static void masks(struct device *dev)
{
	KT_EQ(dma_get_required_mask(dev), DMA_BIT_MASK(23));
	KT_EQ(dma_set_mask(dev, 0x7ff000), 0);			/* reaches the last page */
	KT_EQ(dma_set_mask(dev, 0x7fefff), -EIO);
	KT_EQ(dma_get_mask(dev), 0x7ff000);
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), 0);
}

static void coherent_sizes(struct device *dev)
{
	unsigned long before = ukmem_report_count();
	dma_addr_t h0 = 1, h1 = 1;
	void *p0, *p1;
	char *out;

	kt_capture_begin();
	p0 = dma_alloc_coherent(dev, 0, &h0, GFP_KERNEL);
	p1 = dma_alloc_coherent(dev, SIZE_MAX, &h1, GFP_KERNEL);
	out = kt_capture_end();
	KT_ASSERT(!p0 && !p1);
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_EQ(ukmem_report_count(), before + 1);	/* the page allocator warns once */
	free(out);
}

static void empty_lists(struct device *dev)
{
	unsigned long before = ukmem_report_count();
	char *buf = kmalloc(64, GFP_KERNEL);
	struct scatterlist sg;
	struct sg_table sgt = { .sgl = &sg, .orig_nents = 0 };
	char *out;

	sg_init_one(&sg, buf, 64);
	kt_capture_begin();
	KT_EQ(dma_map_sg(dev, &sg, 0, DMA_TO_DEVICE), 0);
	KT_EQ(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), -EIO);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_EQ(ukmem_report_count(), before + 1);	/* one warning site, once */
	free(out);
	sgt.orig_nents = 1;				/* and a real one still maps */
	KT_EQ(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), 0);
	KT_EQ(sgt.nents, 1);
	dma_unmap_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);
	kfree(buf);
}

/* A device without a coherent mask (a root device: nobody set one) gets no streaming pages:
 * 6.1's dma_alloc_pages warns and returns NULL before looking for memory. */
static void pages_without_mask(void)
{
	struct device *root = root_device_register("nomask");
	unsigned long before = ukmem_report_count();
	dma_addr_t h = 1;
	char *out;

	KT_ASSERT(!IS_ERR(root));
	KT_EQ(root->coherent_dma_mask, 0);
	kt_capture_begin();
	KT_ASSERT(dma_alloc_pages(root, PAGE_SIZE, &h, DMA_FROM_DEVICE, GFP_KERNEL) == NULL);
	KT_ASSERT(dma_alloc_noncoherent(root, PAGE_SIZE, &h, DMA_FROM_DEVICE, GFP_KERNEL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_EQ(ukmem_report_count(), before + 1);	/* WARN_ON_ONCE */
	KT_EQ(h, 1);
	free(out);
	root_device_unregister(root);
}

int main(void)
{
	struct device *dev;

	KT_EQ(ukmem_init("mem=8M"), 0);
	dev = dt_setup();
	masks(dev);
	coherent_sizes(dev);
	empty_lists(dev);
	pages_without_mask();
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 3);		/* the three warnings above; no leak */
	return 0;
}
