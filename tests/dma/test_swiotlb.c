/* SPDX-License-Identifier: MIT */
/*
 * The bounce pool sized and forced from the command line (swiotlb=128,force: 256 KiB, every
 * streaming mapping bounces): mappings land in the pool; a 256 KiB mapping takes a whole
 * segment and the next one finds the pool full ("swiotlb buffer is full", or silence with
 * DMA_ATTR_NO_WARN); more than a segment never fits; page-sized mappings start on a page;
 * the pool recovers after unmaps; and a double unmap or a sync of a stale address changes
 * neither the pool nor anyone's data, even once another device's mapping holds the slot; a
 * device's min_align_mask is kept in bounce addresses.
 */
#include "dma/dmatest.h"

int main(void)
{
	struct device *dev = dt_setup();
	char *big = kmalloc(256 * 1024, GFP_KERNEL), *small = kmalloc(100, GFP_KERNEL), *out;
	char *page_buf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL), back[100];
	dma_addr_t a, b, c;

	KT_ASSERT(big && small && page_buf);
	dt_fill(small, 100, 1);
	a = dma_map_single(dev, small, 100, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, a), 0);
	KT_NE(a, virt_to_phys(small));			/* forced: even a reachable buffer */
	KT_EQ(ukmem_dma_read(dev, a, back, 100), 0);
	KT_ASSERT(dt_check(back, 100, 1));
	c = dma_map_single(dev, page_buf, 2 * PAGE_SIZE, DMA_BIDIRECTIONAL);
	KT_EQ(dma_mapping_error(dev, c), 0);
	KT_EQ(c % PAGE_SIZE, 0);

	/* 256 KiB needs a free segment: the two mappings above sit in the only one. */
	kt_capture_begin();
	b = dma_map_single(dev, big, 256 * 1024, DMA_FROM_DEVICE);
	out = kt_capture_end();
	KT_EQ(dma_mapping_error(dev, b), -ENOMEM);
	KT_CONTAINS(out, "dmadev dmadev: swiotlb buffer is full (sz: 262144 bytes), total 128 (slots), used 5 (slots)");
	free(out);
	kt_capture_begin();
	b = dma_map_single_attrs(dev, big, 256 * 1024, DMA_FROM_DEVICE, DMA_ATTR_NO_WARN);
	out = kt_capture_end();
	KT_EQ(dma_mapping_error(dev, b), -ENOMEM);
	KT_EQ(strlen(out), 0);
	free(out);

	dma_unmap_single(dev, a, 100, DMA_TO_DEVICE);
	dma_unmap_single(dev, c, 2 * PAGE_SIZE, DMA_BIDIRECTIONAL);
	b = dma_map_single(dev, big, 256 * 1024, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(dev, b), 0);
	dma_unmap_single(dev, b, 256 * 1024, DMA_FROM_DEVICE);

	/* a double unmap and a stale sync touch nothing */
	a = dma_map_single(dev, small, 100, DMA_BIDIRECTIONAL);
	KT_EQ(dma_mapping_error(dev, a), 0);
	dma_unmap_single(dev, a, 100, DMA_BIDIRECTIONAL);
	memset(small, 0x11, 100);
	kt_capture_begin();
	dma_unmap_single(dev, a, 100, DMA_BIDIRECTIONAL);
	dma_sync_single_for_cpu(dev, a, 100, DMA_BIDIRECTIONAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "device driver tries to free DMA memory it has not allocated");
	KT_CONTAINS(out, "device driver tries to sync DMA memory it has not allocated");
	free(out);
	for (int i = 0; i < 100; i++)
		KT_EQ(small[i], 0x11);
	b = dma_map_single(dev, big, 256 * 1024, DMA_TO_DEVICE);	/* the pool is whole */
	KT_EQ(dma_mapping_error(dev, b), 0);
	dma_unmap_single(dev, b, 256 * 1024, DMA_TO_DEVICE);

	/* min_align_mask 4095 (NVMe's): the bounce address keeps the buffer's low 12 bits, those
	 * above 2 KiB by the choice of the first slot (one slot is taken first, so the next free
	 * one has bit 11 set and must be passed over for a buffer without it). */
	KT_EQ(dma_set_min_align_mask(dev, 4095), 0);
	KT_EQ(dma_get_min_align_mask(dev), 4095);
	a = dma_map_single(dev, small, 16, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, a), 0);
	{
		static const unsigned int offs[] = { 0x123, 0, 0x900, 0xfff, 0x7ff };

		for (int i = 0; i < 5; i++) {
			char *p = page_buf + offs[i];

			dt_fill(p, 512, 40 + i);
			b = dma_map_single(dev, p, 512, DMA_TO_DEVICE);
			KT_EQ(dma_mapping_error(dev, b), 0);
			KT_EQ(b & 4095, virt_to_phys(p) & 4095);
			KT_EQ(ukmem_dma_read(dev, b, back, 100), 0);
			KT_ASSERT(dt_check(back, 100, 40 + i));
			dma_unmap_single(dev, b, 512, DMA_TO_DEVICE);
		}
	}
	dma_unmap_single(dev, a, 16, DMA_TO_DEVICE);
	KT_EQ(dma_set_min_align_mask(dev, 0), 0);

	/* Another device's mapping takes a freed slot (first fit in the only segment): a second
	 * unmap of the old address is reported and leaves that mapping its slot. */
	{
		struct device *other = root_device_register("other");
		char *mine = kmalloc(100, GFP_KERNEL);
		dma_addr_t x, y, z;

		KT_ASSERT(!IS_ERR(other) && mine);
		KT_EQ(dma_coerce_mask_and_coherent(other, DMA_BIT_MASK(64)), 0);
		x = dma_map_single(dev, small, 100, DMA_FROM_DEVICE);
		KT_EQ(dma_mapping_error(dev, x), 0);
		dma_unmap_single(dev, x, 100, DMA_FROM_DEVICE);
		y = dma_map_single(other, mine, 100, DMA_FROM_DEVICE);
		KT_EQ(dma_mapping_error(other, y), 0);
		KT_EQ(y, x);
		kt_capture_begin();
		dma_unmap_single(dev, x, 100, DMA_FROM_DEVICE);		/* the stale second unmap */
		out = kt_capture_end();
		KT_CONTAINS(out, "DMA-API: dmadev dmadev: device driver tries to free DMA memory it has not allocated");
		free(out);
		z = dma_map_single(dev, small, 100, DMA_TO_DEVICE);
		KT_EQ(dma_mapping_error(dev, z), 0);
		KT_NE(z, y);					/* the slot is still taken */
		dma_unmap_single(dev, z, 100, DMA_TO_DEVICE);
		KT_EQ(ukmem_dma_write(other, y, "abc", 3), 0);
		dma_unmap_single(other, y, 100, DMA_FROM_DEVICE);
		KT_EQ(memcmp(mine, "abc", 3), 0);
		kfree(mine);
		root_device_unregister(other);
	}

	kfree(big);
	kfree(small);
	kfree(page_buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 3);
	return 0;
}
