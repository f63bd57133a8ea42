/* SPDX-License-Identifier: MIT */
/*
 * DMA state a driver leaves on a device that is then released, on a device no bus notifier
 * watches (a root device): DMA-API debugging forgets its mappings at the release, so the
 * "dma-api" report never reads the freed device; its dma_pools are detached, so another
 * device's "dma_pools:" report does not walk them and a late dma_pool_destroy unlinks nothing
 * from the freed device.  Run with slub_debug=P: the freed device and its name are poisoned,
 * so a report that still read them would fault.
 */
#include "dma/dmatest.h"

int main(void)
{
	struct device *root, *dev;
	struct dma_pool *pool, *other;
	char *buf, *text, needle[64];
	dma_addr_t addr;

	KT_EQ(ukmem_init("slub_debug=P"), 0);
	dev = dt_setup();
	other = dma_pool_create("other", dev, 32, 0, 0);
	root = root_device_register("dmaroot");
	KT_ASSERT(!IS_ERR(root));
	KT_EQ(dma_coerce_mask_and_coherent(root, DMA_BIT_MASK(64)), 0);
	buf = kmalloc(64, GFP_KERNEL);
	addr = dma_map_single(root, buf, 64, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(root, addr), 0);
	pool = dma_pool_create("leftover", root, 64, 0, 0);
	KT_ASSERT(pool && other);
	snprintf(needle, sizeof(needle), "D=%llx L=40", (unsigned long long)addr);
	text = kt_show("dma-api");
	KT_CONTAINS(text, needle);
	free(text);
	root_device_unregister(root);		/* the driver never unmapped nor destroyed */
	text = kt_show("dma-api");
	KT_NOT_CONTAINS(text, needle);
	free(text);
	text = kt_show("dma_pools:dmadev");
	KT_CONTAINS(text, "other");
	KT_NOT_CONTAINS(text, "leftover");
	free(text);
	dma_pool_destroy(pool);
	dma_pool_destroy(other);
	kfree(buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
