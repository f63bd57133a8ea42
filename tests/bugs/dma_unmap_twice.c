/* SPDX-License-Identifier: MIT */
/* dma_unmap_single twice: DMA debugging's "device driver tries to free DMA memory it has not
 * allocated" warning for the second, which does nothing. */
#define BUG_FIRST_LINE	"DMA-API: dmadev dmadev: device driver tries to free DMA memory it has not allocated"
#define BUG_SIGNAL	0
#include "bug.h"
#include "dma/dmatest.h"

static BUG_FN void use(bool twice)
{
	struct device *dev = dt_setup();
	void *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t addr;

	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	addr = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, addr), 0);
	dma_unmap_single(dev, addr, 256, DMA_TO_DEVICE);
	if (twice)
		dma_unmap_single(dev, addr, 256, DMA_TO_DEVICE);
	kfree(buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
