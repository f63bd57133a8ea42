/* SPDX-License-Identifier: MIT */
/* A streaming DMA mapping never unmapped: DMA debugging reports it as pending when the
 * driver unbinds (the kernel's check), and kmemleak does not count it a second time. */
#define BUG_FIRST_LINE	"DMA-API: platform dmadev: device driver has pending DMA allocations while released from device [count=1]"
#define BUG_SIGNAL	0
#include "bug.h"
#include "dma/dmatest.h"

static BUG_FN void use(bool leak)
{
	struct device *dev = dt_setup();
	void *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t addr;

	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	addr = dma_map_single(dev, buf, 256, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	if (!leak)
		dma_unmap_single(dev, addr, 256, DMA_FROM_DEVICE);
	device_release_driver(dev);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	kfree(buf);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
