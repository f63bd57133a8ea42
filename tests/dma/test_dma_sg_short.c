/* SPDX-License-Identifier: MIT */
/*
 * dma_map_sg, dma_unmap_sg and dma_sync_sg_* given more entries than the scatterlist has:
 * 6.1 walks past the list's last entry (sg_next() gives NULL) and dereferences NULL.  Here
 * each call is a warning that names the call and the counts; the map fails with nothing left
 * mapped (0 from dma_map_sg, -EINVAL from dma_map_sgtable), the unmap and syncs stop at the
 * list's end, and the entries the list does have are unmapped and synced.  Run with
 * debugging on, off, and with every mapping bounced.
 */
#include <linux/scatterlist.h>
#include "dma/dmatest.h"

/* Whether DMA-API debugging lists no mapping of dmadev (always so with it off). */
static bool none_mapped(void)
{
	char *text = kt_show("dma-api");
	bool none = !strstr(text, "dmadev dmadev");

	free(text);
	return none;
}

int main(void)
{
	struct device *dev = dt_setup();
	unsigned long before;
	struct scatterlist sg[2];
	struct sg_table sgt;
	char *buf = kmalloc(512, GFP_KERNEL), *out;
	int n;

	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], buf, 100);
	sg_set_buf(&sg[1], buf + 200, 100);

	before = ukmem_report_count();
	kt_capture_begin();
	n = dma_map_sg(dev, sg, 5, DMA_BIDIRECTIONAL);
	out = kt_capture_end();
	KT_EQ(n, 0);
	KT_CONTAINS(out, "dmadev dmadev: dma_map_sg: nents 5, but the scatterlist ends after 2 entries");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	KT_ASSERT(none_mapped());	/* nothing left mapped */

	sgt.sgl = sg;
	sgt.orig_nents = 3;
	KT_EQ(dma_map_sgtable(dev, &sgt, DMA_TO_DEVICE, 0), -EINVAL);
	KT_EQ(ukmem_report_count(), before + 2);

	KT_EQ(dma_map_sg(dev, sg, 2, DMA_BIDIRECTIONAL), 2);
	memset(buf, 0x11, 512);
	KT_EQ(ukmem_dma_write(dev, sg_dma_address(&sg[1]), "dev", 3), 0);
	kt_capture_begin();
	dma_sync_sg_for_cpu(dev, sg, 4, DMA_BIDIRECTIONAL);
	dma_sync_sg_for_device(dev, sg, 4, DMA_BIDIRECTIONAL);
	dma_unmap_sg(dev, sg, 4, DMA_BIDIRECTIONAL);
	out = kt_capture_end();
	KT_EQ(memcmp(buf + 200, "dev", 3), 0);		/* the second entry was synced */
	KT_ASSERT(none_mapped());	/* and unmapped */
	if (!strstr(out, "DMA-API: ")) {		/* debugging off: the walk's own warning */
		KT_CONTAINS(out, "dma_sync_sg_for_cpu: nents 4, but the scatterlist ends after 2 entries");
		KT_CONTAINS(out, "dma_sync_sg_for_device: nents 4, but the scatterlist ends after 2 entries");
		KT_CONTAINS(out, "dma_unmap_sg: nents 4, but the scatterlist ends after 2 entries");
	} else {					/* on: its entry-count reports */
		KT_CONTAINS(out, "[map count=2] [unmap count=4]");
	}
	KT_NE(ukmem_report_count(), before + 2);
	free(out);

	/* A list that was never mapped, debugging or not: no walk past its end. */
	kt_capture_begin();
	dma_unmap_sg(dev, sg, 3, DMA_TO_DEVICE);
	dma_sync_sg_for_cpu(dev, sg, 3, DMA_FROM_DEVICE);
	out = kt_capture_end();
	free(out);

	kfree(buf);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_NE(ukmem_exit(), 0);
	return 0;
}
