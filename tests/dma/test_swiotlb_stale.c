/* SPDX-License-Identifier: MIT */
/*
 * Stale bus addresses under swiotlb=128,force (one 128-slot segment, so a freed slot is the
 * next mapping's): device "dmadev" maps, unmaps, and device "other" maps and gets the same
 * slots; dmadev's stale second unmap (single and scatterlist) or stale sync must leave other's
 * mapping alone: its slots stay taken, what its device wrote reaches its buffer at its unmap,
 * and dmadev's buffers get nothing of it.  Run twice: with DMA-API debugging (each stale call
 * is its "has not allocated" report) and with dma_debug=off (the pool itself knows which
 * device holds the slots: "swiotlb: unmap/sync of a bounce buffer another device holds").
 * With debugging, a bounced mapping freed with dma_free_coherent (6.1's wrong-function report;
 * nothing is freed) still gives its slots back at the dma_unmap_single that follows.
 */
#include <linux/scatterlist.h>
#include "dma/dmatest.h"

#define LEN	100

static bool debug_off;
static struct device *other;

/* Expects @out to hold the report for one stale call of @what ("unmap", "sync"). */
static void expect_stale(char *out, const char *what)
{
	if (debug_off) {
		KT_CONTAINS(out, "dmadev dmadev: swiotlb: ");
		KT_CONTAINS(out, what);
		KT_CONTAINS(out, " of a bounce buffer another device holds");
	} else if (!strcmp(what, "unmap")) {
		KT_CONTAINS(out, "DMA-API: dmadev dmadev: device driver tries to free DMA memory it has not allocated");
	} else {
		KT_CONTAINS(out, "DMA-API: dmadev dmadev: device driver tries to sync DMA memory it has not allocated");
	}
	free(out);
}

/* Other's mapping at @y still holds its slot: a new mapping lands elsewhere, and what other's
 * device writes there reaches @buf at other's unmap. */
static void check_other(struct device *dev, dma_addr_t y, char *buf, char *mine)
{
	dma_addr_t z = dma_map_single(dev, mine, LEN, DMA_TO_DEVICE);

	KT_EQ(dma_mapping_error(dev, z), 0);
	KT_NE(z, y);
	dma_unmap_single(dev, z, LEN, DMA_TO_DEVICE);
	KT_EQ(ukmem_dma_write(other, y, "abc", 3), 0);
	dma_unmap_single(other, y, LEN, DMA_FROM_DEVICE);
	KT_EQ(memcmp(buf, "abc", 3), 0);
}

static void stale_single_unmap(struct device *dev, char *mine, char *theirs)
{
	dma_addr_t x, y;

	x = dma_map_single(dev, mine, LEN, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(dev, x), 0);
	dma_unmap_single(dev, x, LEN, DMA_FROM_DEVICE);
	y = dma_map_single(other, theirs, LEN, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(other, y), 0);
	KT_EQ(y, x);
	KT_EQ(ukmem_dma_write(other, y, "zzz", 3), 0);
	memset(mine, 0x11, LEN);
	kt_capture_begin();
	dma_unmap_single(dev, x, LEN, DMA_FROM_DEVICE);
	expect_stale(kt_capture_end(), "unmap");
	KT_EQ(mine[0], 0x11);				/* other's data was not copied here */
	check_other(dev, y, theirs, mine);
}

static void stale_sync(struct device *dev, char *mine, char *theirs)
{
	dma_addr_t x, y;

	x = dma_map_single(dev, mine, LEN, DMA_BIDIRECTIONAL);
	KT_EQ(dma_mapping_error(dev, x), 0);
	dma_unmap_single(dev, x, LEN, DMA_BIDIRECTIONAL);
	memset(theirs, 0x22, LEN);
	y = dma_map_single(other, theirs, LEN, DMA_FROM_DEVICE);
	KT_EQ(dma_mapping_error(other, y), 0);
	KT_EQ(y, x);
	KT_EQ(ukmem_dma_write(other, y, "abc", 3), 0);
	kt_capture_begin();		/* would copy other's old buffer over what its device wrote */
	dma_sync_single_for_device(dev, x, LEN, DMA_BIDIRECTIONAL);
	expect_stale(kt_capture_end(), "sync");
	dma_unmap_single(other, y, LEN, DMA_FROM_DEVICE);
	KT_EQ(memcmp(theirs, "abc", 3), 0);
	KT_EQ(theirs[3], 0x22);
}

static void stale_sg(struct device *dev, char *mine, char *theirs)
{
	struct scatterlist a[2], b[2];
	dma_addr_t z;

	sg_init_table(a, 2);
	sg_set_buf(&a[0], mine, LEN);
	sg_set_buf(&a[1], mine + 2 * LEN, LEN);
	sg_init_table(b, 2);
	sg_set_buf(&b[0], theirs, LEN);
	sg_set_buf(&b[1], theirs + 2 * LEN, LEN);
	KT_EQ(dma_map_sg(dev, a, 2, DMA_FROM_DEVICE), 2);
	dma_unmap_sg(dev, a, 2, DMA_FROM_DEVICE);
	KT_EQ(dma_map_sg(other, b, 2, DMA_FROM_DEVICE), 2);
	KT_EQ(sg_dma_address(&b[0]), sg_dma_address(&a[0]));
	KT_EQ(sg_dma_address(&b[1]), sg_dma_address(&a[1]));
	KT_EQ(ukmem_dma_write(other, sg_dma_address(&b[0]), "abc", 3), 0);
	KT_EQ(ukmem_dma_write(other, sg_dma_address(&b[1]), "def", 3), 0);
	memset(mine, 0x11, 3 * LEN);
	kt_capture_begin();
	dma_sync_sg_for_device(dev, a, 2, DMA_BIDIRECTIONAL);
	expect_stale(kt_capture_end(), "sync");
	kt_capture_begin();
	dma_unmap_sg(dev, a, 2, DMA_FROM_DEVICE);	/* the stale second unmap */
	expect_stale(kt_capture_end(), "unmap");
	KT_EQ(mine[0], 0x11);
	KT_EQ(mine[2 * LEN], 0x11);
	z = dma_map_single(dev, mine, LEN, DMA_TO_DEVICE);	/* both slots are still taken */
	KT_EQ(dma_mapping_error(dev, z), 0);
	KT_NE(z, sg_dma_address(&b[0]));
	KT_NE(z, sg_dma_address(&b[1]));
	dma_unmap_single(dev, z, LEN, DMA_TO_DEVICE);
	dma_unmap_sg(other, b, 2, DMA_FROM_DEVICE);
	KT_EQ(memcmp(theirs, "abc", 3), 0);
	KT_EQ(memcmp(theirs + 2 * LEN, "def", 3), 0);
}

/* Debugging only: without it, dma_free_coherent of a kmalloc buffer frees its pages. */
static void wrong_free(struct device *dev, char *mine)
{
	char *big = kmalloc(256 * 1024, GFP_KERNEL), *out;
	dma_addr_t x, b;

	KT_ASSERT(big);
	x = dma_map_single(dev, mine, LEN, DMA_TO_DEVICE);
	KT_EQ(dma_mapping_error(dev, x), 0);
	kt_capture_begin();
	dma_free_coherent(dev, LEN, mine, x);
	dma_unmap_single(dev, x, LEN, DMA_TO_DEVICE);
	out = kt_capture_end();
	KT_CONTAINS(out, "device driver frees DMA memory with wrong function");
	KT_CONTAINS(out, "[mapped as single] [unmapped as coherent]");
	KT_CONTAINS(out, "device driver tries to free DMA memory it has not allocated");
	free(out);
	b = dma_map_single(dev, big, 256 * 1024, DMA_TO_DEVICE);	/* the whole pool is free */
	KT_EQ(dma_mapping_error(dev, b), 0);
	dma_unmap_single(dev, b, 256 * 1024, DMA_TO_DEVICE);
	kfree(big);
}

int main(void)
{
	struct device *dev;
	char *mine, *theirs;

	debug_off = strstr(getenv("UKMEM_CMDLINE"), "dma_debug=off") != NULL;
	dev = dt_setup();
	other = root_device_register("other");
	mine = kmalloc(4 * LEN, GFP_KERNEL);
	theirs = kmalloc(4 * LEN, GFP_KERNEL);
	KT_ASSERT(!IS_ERR(other) && mine && theirs);
	KT_EQ(dma_coerce_mask_and_coherent(other, DMA_BIT_MASK(64)), 0);

	stale_single_unmap(dev, mine, theirs);
	stale_sync(dev, mine, theirs);
	stale_sg(dev, mine, theirs);
	if (!debug_off)
		wrong_free(dev, mine);

	kfree(mine);
	kfree(theirs);
	root_device_unregister(other);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), debug_off ? 6 : 9);	/* wrong_free: function, direction, not allocated */
	return 0;
}
