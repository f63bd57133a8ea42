/* SPDX-License-Identifier: MIT */
/*
 * The DMA API without bouncing (mem=1G: every page is below 4 GiB): the platform device's
 * masks and what masks are accepted; streaming maps of single buffers, pages and
 * scatterlists in each direction, with the device moving the data by bus address and the
 * bus address equal to the physical address; coherent, non-coherent and page allocations
 * (zeroed, contiguous, within the coherent mask, in ZONE_DMA for a 24-bit mask); MMIO
 * resources; the managed forms; and a program that does all of it right gets no report.
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

static void masks(struct device *dev)
{
	KT_EQ(*dev->dma_mask, DMA_BIT_MASK(32));
	KT_EQ(dev->coherent_dma_mask, DMA_BIT_MASK(32));
	KT_EQ(dma_get_mask(dev), DMA_BIT_MASK(32));
	KT_EQ(dma_set_mask(dev, DMA_BIT_MASK(20)), -EIO);	/* below ZONE_DMA */
	KT_EQ(dma_set_coherent_mask(dev, DMA_BIT_MASK(16)), -EIO);
	KT_EQ(*dev->dma_mask, DMA_BIT_MASK(32));
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(24)), 0);
	KT_EQ(dev->coherent_dma_mask, DMA_BIT_MASK(24));
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	KT_EQ(dma_get_mask(dev), DMA_BIT_MASK(64));
	KT_ASSERT(!dma_addressing_limited(dev));
	KT_EQ(dma_get_required_mask(dev), DMA_BIT_MASK(30));	/* RAM's last page, mem=1G */
	KT_EQ(dma_max_mapping_size(dev), SIZE_MAX);
	KT_EQ(dma_get_max_seg_size(dev), SZ_64K);
}

static void single_round_trips(struct device *dev)
{
	char *buf = kmalloc(1500, GFP_KERNEL), back[1500];
	dma_addr_t addr;

	/* TO_DEVICE: the device reads what the CPU wrote. */
	dt_fill(buf, 1500, 1);
	addr = dma_map_single(dev, buf, 1500, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	KT_EQ(addr, virt_to_phys(buf));
	KT_ASSERT(!dma_need_sync(dev, addr));
	KT_EQ(ukmem_dma_read(dev, addr, back, 1500), 0);
	KT_ASSERT(dt_check(back, 1500, 1));
	dma_unmap_single(dev, addr, 1500, DMA_TO_DEVICE);

	/* FROM_DEVICE: the CPU reads what the device wrote, after the sync. */
	addr = dma_map_single(dev, buf, 1500, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	dt_fill(back, 1500, 2);
	KT_EQ(ukmem_dma_write(dev, addr, back, 1500), 0);
	dma_sync_single_for_cpu(dev, addr, 1500, DMA_FROM_DEVICE);
	KT_ASSERT(dt_check(buf, 1500, 2));
	dma_sync_single_for_device(dev, addr, 1500, DMA_FROM_DEVICE);
	dt_fill(back, 100, 3);
	KT_EQ(ukmem_dma_write(dev, addr + 700, back, 100), 0);
	dma_unmap_single(dev, addr, 1500, DMA_FROM_DEVICE);
	KT_ASSERT(dt_check(buf + 700, 100, 3));

	/* BIDIRECTIONAL, through dma_map_page */
	addr = dma_map_page(dev, virt_to_page(buf), offset_in_page(buf), 1500, DMA_BIDIRECTIONAL);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	KT_EQ(ukmem_dma_read(dev, addr + 700, back, 100), 0);
	KT_ASSERT(dt_check(back, 100, 3));
	KT_EQ(ukmem_dma_write(dev, addr, "hello", 5), 0);
	dma_unmap_page(dev, addr, 1500, DMA_BIDIRECTIONAL);
	KT_EQ(memcmp(buf, "hello", 5), 0);
	kfree(buf);
}

static void scatterlists(struct device *dev)
{
	struct scatterlist sg[3];
	struct sg_table sgt;
	char *b[3];
	unsigned int n;

	sg_init_table(sg, 3);
	for (int i = 0; i < 3; i++) {
		b[i] = kmalloc(1000 + i, GFP_KERNEL);
		sg_set_buf(&sg[i], b[i], 1000 + i);
	}
	n = dma_map_sg(dev, sg, 3, DMA_FROM_DEVICE);
	KT_EQ(n, 3);
	for (int i = 0; i < 3; i++) {
		char data[1002];

		KT_EQ(sg_dma_address(&sg[i]), virt_to_phys(b[i]));
		KT_EQ(sg_dma_len(&sg[i]), 1000 + i);
		dt_fill(data, 1000 + i, 10 + i);
		KT_EQ(ukmem_dma_write(dev, sg_dma_address(&sg[i]), data, 1000 + i), 0);
	}
	dma_sync_sg_for_cpu(dev, sg, 3, DMA_FROM_DEVICE);
	dma_unmap_sg(dev, sg, 3, DMA_FROM_DEVICE);
	for (int i = 0; i < 3; i++) {
		KT_ASSERT(dt_check(b[i], 1000 + i, 10 + i));
		kfree(b[i]);
	}

	/* a table of pages, mapped as a table */
	{
		struct page *pages[4];

		for (int i = 0; i < 4; i++)
			pages[i] = alloc_page(GFP_KERNEL);
		KT_EQ(sg_alloc_table_from_pages(&sgt, pages, 4, 0, 4 * PAGE_SIZE, GFP_KERNEL), 0);
		for (int i = 0; i < 4; i++)
			memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
		KT_EQ(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), 0);
		KT_EQ(sgt.nents, sgt.orig_nents);
		dma_sync_sgtable_for_device(dev, &sgt, DMA_TO_DEVICE);
		/* The DMA page iterator: each page's bus address, bounced or not, holds that page. */
		{
			struct sg_dma_page_iter di;
			int n = 0;

			for_each_sgtable_dma_page(&sgt, &di, 0) {
				char got[2];

				KT_ASSERT(n < 4);
				KT_EQ(ukmem_dma_read(dev, sg_page_iter_dma_address(&di) + PAGE_SIZE - 2,
						     got, 2), 0);
				KT_EQ(got[0], 'a' + n);
				KT_EQ(got[1], 'a' + n);
				n++;
			}
			KT_EQ(n, 4);
		}
		dma_unmap_sgtable(dev, &sgt, DMA_TO_DEVICE, 0);
		sg_free_table(&sgt);
		for (int i = 0; i < 4; i++)
			__free_page(pages[i]);
	}
}

static void allocations(struct device *dev)
{
	dma_addr_t handle, h2;
	char *c = dma_alloc_coherent(dev, 10000, &handle, GFP_KERNEL), back[16];
	struct page *page;
	void *nc;

	KT_ASSERT(c);
	KT_EQ((unsigned long)c % PAGE_SIZE, 0);
	KT_EQ(handle, virt_to_phys(c));
	for (int i = 0; i < 3 * 4096; i++)
		KT_EQ(c[i], 0);
	KT_EQ(ukmem_dma_write(dev, handle + 9990, "coherent", 8), 0);
	KT_EQ(memcmp(c + 9990, "coherent", 8), 0);		/* no sync needed */
	memcpy(c, "cpu side", 8);
	KT_EQ(ukmem_dma_read(dev, handle, back, 8), 0);
	KT_EQ(memcmp(back, "cpu side", 8), 0);
	dma_free_coherent(dev, 10000, c, handle);

	/* a 24-bit coherent mask gets ZONE_DMA */
	KT_EQ(dma_set_coherent_mask(dev, DMA_BIT_MASK(24)), 0);
	c = dma_alloc_coherent(dev, 3 * PAGE_SIZE, &handle, GFP_KERNEL);
	KT_ASSERT(c);
	KT_ASSERT(handle + 3 * PAGE_SIZE - 1 <= DMA_BIT_MASK(24));
	dma_free_coherent(dev, 3 * PAGE_SIZE, c, handle);
	KT_EQ(dma_set_coherent_mask(dev, DMA_BIT_MASK(64)), 0);

	page = dma_alloc_pages(dev, 5000, &handle, DMA_FROM_DEVICE, GFP_KERNEL);
	KT_ASSERT(page);
	KT_EQ(handle, page_to_phys(page));
	KT_EQ(ukmem_dma_write(dev, handle, "pg", 2), 0);
	dma_sync_single_for_cpu(dev, handle, 5000, DMA_FROM_DEVICE);
	KT_EQ(memcmp(page_address(page), "pg", 2), 0);
	dma_free_pages(dev, 5000, page, handle, DMA_FROM_DEVICE);

	nc = dma_alloc_noncoherent(dev, 100, &h2, DMA_TO_DEVICE, GFP_KERNEL);
	KT_ASSERT(nc);
	memcpy(nc, "nc", 2);
	dma_sync_single_for_device(dev, h2, 100, DMA_TO_DEVICE);
	KT_EQ(ukmem_dma_read(dev, h2, back, 2), 0);
	KT_EQ(memcmp(back, "nc", 2), 0);
	dma_free_noncoherent(dev, 100, nc, h2, DMA_TO_DEVICE);

	/* MMIO of another device is mapped as is; RAM is refused */
	handle = dma_map_resource(dev, 0xc0001000, 4096, DMA_BIDIRECTIONAL, 0);
	KT_EQ(handle, 0xc0001000);
	KT_EQ(dma_mapping_error(dev, handle), 0);
	dma_unmap_resource(dev, handle, 4096, DMA_BIDIRECTIONAL, 0);
}

static void managed(struct device *dev)
{
	unsigned long before = nr_free_pages();
	dma_addr_t handle;
	void *m = dmam_alloc_coherent(dev, 8192, &handle, GFP_KERNEL);
	void *k = dmam_alloc_coherent(dev, 4096, &handle, GFP_KERNEL);

	KT_ASSERT(m && k);
	dmam_free_coherent(dev, 4096, k, handle);
	device_release_driver(dev);		/* unbind: m goes back */
	drain_local_pages(NULL);
	KT_ASSERT(nr_free_pages() >= before);
	KT_EQ(device_attach(dev), 1);
}

static void device_side_errors(struct device *dev)
{
	char buf[8];

	KT_EQ(ukmem_dma_read(dev, 0xc0000000, buf, 8), -EFAULT);	/* not RAM */
	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), 0);
	KT_EQ(ukmem_dma_read(dev, 0x100000000ULL, buf, 8), -EIO);	/* beyond the mask */
	KT_EQ(ukmem_dma_read(NULL, 0x200000, buf, 8), -EINVAL);
	KT_EQ(ukmem_dma_read(dev, 0x200000, buf, 0), 0);
}

int main(void)
{
	struct device *dev;

	KT_EQ(ukmem_init("mem=1G"), 0);
	dev = dt_setup();
	masks(dev);
	single_round_trips(dev);
	scatterlists(dev);
	allocations(dev);
	managed(dev);
	device_side_errors(dev);
	KT_EQ(ukmem_report_count(), 0);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
