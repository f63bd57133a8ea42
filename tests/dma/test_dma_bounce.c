/* SPDX-License-Identifier: MIT */
/*
 * Bouncing (mem=6G, so RAM reaches above 4 GiB and the swiotlb pool exists from start-up):
 * a device with a 32-bit mask mapping buffers above 4 GiB gets bus addresses in the pool,
 * below 4 GiB; data crosses in each direction only at map, unmap and the syncs the kernel
 * copies at, so a forgotten sync leaves the device or the CPU with stale data exactly as on a
 * bouncing machine; DMA_ATTR_SKIP_CPU_SYNC skips the copy back; scatterlists bounce entry by
 * entry; a 64-bit device is not bounced; coherent memory for a 32-bit mask comes from below
 * 4 GiB; a 24-bit device cannot use the pool (overflow warning, DMA_MAPPING_ERROR).
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

#define LEN	1500

/* A kmalloc buffer whose memory lies above 4 GiB (the page allocator prefers ZONE_NORMAL). */
static char *high_buffer(void)
{
	char *p = kmalloc(LEN, GFP_KERNEL);

	KT_ASSERT(p);
	KT_ASSERT(virt_to_phys(p) >= SZ_4G);
	return p;
}

static void to_device(struct device *dev)
{
	char *buf = high_buffer(), back[LEN];
	dma_addr_t addr;

	dt_fill(buf, LEN, 1);
	addr = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	KT_NE(addr, virt_to_phys(buf));
	KT_ASSERT(addr + LEN - 1 <= DMA_BIT_MASK(32));
	KT_ASSERT(dma_need_sync(dev, addr));
	KT_EQ(ukmem_dma_read(dev, addr, back, LEN), 0);
	KT_ASSERT(dt_check(back, LEN, 1));

	/* The CPU changes the buffer: without a sync the device still sees the old data. */
	dt_fill(buf, LEN, 2);
	KT_EQ(ukmem_dma_read(dev, addr, back, LEN), 0);
	KT_ASSERT(dt_check(back, LEN, 1));
	dma_sync_single_for_device(dev, addr, LEN, DMA_TO_DEVICE);
	KT_EQ(ukmem_dma_read(dev, addr, back, LEN), 0);
	KT_ASSERT(dt_check(back, LEN, 2));

	/* A partial sync refreshes just that range. */
	dt_fill(buf, LEN, 3);
	dma_sync_single_range_for_device(dev, addr, 100, 50, DMA_TO_DEVICE);
	KT_EQ(ukmem_dma_read(dev, addr, back, LEN), 0);
	KT_ASSERT(dt_check(back, 100, 2));
	KT_ASSERT(dt_check(back + 100, 50, 3 + 100 * 7));
	KT_ASSERT(dt_check(back + 150, LEN - 150, 2 + 150 * 7));
	dma_unmap_single(dev, addr, LEN, DMA_TO_DEVICE);
	KT_ASSERT(dt_check(buf, LEN, 3));		/* TO_DEVICE never copies back */
	kfree(buf);
}

static void from_device(struct device *dev, enum dma_data_direction dir)
{
	char *buf = high_buffer(), data[LEN];
	dma_addr_t addr;

	dt_fill(buf, LEN, 4);
	addr = dma_map_single(dev, buf, LEN, dir);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	KT_ASSERT(addr < SZ_4G);
	dt_fill(data, LEN, 5);
	KT_EQ(ukmem_dma_write(dev, addr, data, LEN), 0);
	KT_ASSERT(dt_check(buf, LEN, 4));		/* stale until the sync */
	dma_sync_single_for_cpu(dev, addr, LEN, dir);
	KT_ASSERT(dt_check(buf, LEN, 5));
	dma_sync_single_for_device(dev, addr, LEN, dir);
	dt_fill(data, LEN, 6);
	KT_EQ(ukmem_dma_write(dev, addr, data, LEN), 0);
	KT_ASSERT(dt_check(buf, LEN, 5));
	dma_unmap_single(dev, addr, LEN, dir);		/* copies back */
	KT_ASSERT(dt_check(buf, LEN, 6));

	/* DMA_ATTR_SKIP_CPU_SYNC: no copy back at unmap */
	addr = dma_map_single(dev, buf, LEN, dir);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	KT_EQ(ukmem_dma_write(dev, addr, data, 10), 0);
	dt_fill(data, LEN, 7);
	KT_EQ(ukmem_dma_write(dev, addr, data, LEN), 0);
	dma_unmap_single_attrs(dev, addr, LEN, dir, DMA_ATTR_SKIP_CPU_SYNC);
	KT_ASSERT(dt_check(buf, LEN, 6));
	kfree(buf);
}

static void scatterlist_bounce(struct device *dev)
{
	struct scatterlist sg[2];
	char *b[2] = { high_buffer(), high_buffer() }, data[LEN];

	sg_init_table(sg, 2);
	for (int i = 0; i < 2; i++)
		sg_set_buf(&sg[i], b[i], LEN);
	KT_EQ(dma_map_sg(dev, sg, 2, DMA_FROM_DEVICE), 2);
	for (int i = 0; i < 2; i++) {
		KT_ASSERT(sg_dma_address(&sg[i]) < SZ_4G);
		dt_fill(data, LEN, 20 + i);
		KT_EQ(ukmem_dma_write(dev, sg_dma_address(&sg[i]), data, LEN), 0);
	}
	dma_sync_sg_for_cpu(dev, sg, 2, DMA_FROM_DEVICE);
	for (int i = 0; i < 2; i++)
		KT_ASSERT(dt_check(b[i], LEN, 20 + i));
	dma_unmap_sg(dev, sg, 2, DMA_FROM_DEVICE);
	kfree(b[0]);
	kfree(b[1]);
}

static void no_bounce_and_coherent(struct device *dev)
{
	char *buf = high_buffer();
	dma_addr_t addr, handle;
	void *c;

	KT_ASSERT(dma_addressing_limited(dev));
	KT_EQ(dma_max_mapping_size(dev), 256 * 1024);
	KT_EQ(dma_get_required_mask(dev), DMA_BIT_MASK(33));
	c = dma_alloc_coherent(dev, 3 * PAGE_SIZE, &handle, GFP_KERNEL);
	KT_ASSERT(c && handle + 3 * PAGE_SIZE - 1 <= DMA_BIT_MASK(32));
	dma_free_coherent(dev, 3 * PAGE_SIZE, c, handle);

	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	addr = dma_map_single(dev, buf, LEN, DMA_BIDIRECTIONAL);
	KT_EQ(addr, virt_to_phys(buf));			/* reachable: no bounce */
	KT_EQ(dma_mapping_error(dev, addr), 0);
	dma_unmap_single(dev, addr, LEN, DMA_BIDIRECTIONAL);
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), 0);
	kfree(buf);
}

static void mask_below_pool(struct device *dev)
{
	char *buf = high_buffer(), *out;
	unsigned long before = ukmem_report_count();
	dma_addr_t addr;

	KT_EQ(dma_set_mask(dev, DMA_BIT_MASK(24)), 0);
	kt_capture_begin();
	addr = dma_map_single(dev, buf, LEN, DMA_TO_DEVICE);
	out = kt_capture_end();
	KT_EQ(dma_mapping_error(dev, addr), -ENOMEM);
	KT_CONTAINS(out, "swiotlb addr 0x");
	KT_CONTAINS(out, "overflow (mask ffffff, bus limit 0)");
	KT_EQ(ukmem_report_count(), before + 1);
	KT_EQ(dma_set_mask(dev, DMA_BIT_MASK(32)), 0);
	free(out);
	kfree(buf);
}

int main(void)
{
	struct device *dev;

	KT_EQ(ukmem_init("mem=6G"), 0);
	dev = dt_setup();
	to_device(dev);
	from_device(dev, DMA_FROM_DEVICE);
	from_device(dev, DMA_BIDIRECTIONAL);
	scatterlist_bounce(dev);
	no_bounce_and_coherent(dev);
	mask_below_pool(dev);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 1);
	return 0;
}
