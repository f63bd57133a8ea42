/* SPDX-License-Identifier: MIT */
/*
 * dma_pool against bad input that 6.1 turns into hangs or writes outside the pool's blocks:
 *  - a boundary of 4 GiB or more (a power of two no smaller than the block, so accepted):
 *    6.1 walks a page with a 32-bit copy of it, 0, and its first dma_pool_alloc never ends;
 *  - a free block's link (its first 4 bytes) written after dma_pool_free, as a device
 *    writing a descriptor's status word late does: 6.1 follows it and hands out a block at
 *    that offset (inside a live block, or running past the page, poisoned with 0xa9 at
 *    once), and a link that names its own block makes its chain walks loop for ever;
 *  - a CPU address 4 GiB away from its block with the right DMA address: 6.1 compares 32
 *    bits of the difference and poisons the far address.
 * Each is reported ("(corrupted)", "(bad vaddr)") and no byte outside the pool's free blocks
 * changes.  alarm() turns a hang into a failure.
 */
#include <signal.h>
#include "dma/dmatest.h"

#define BLK	64

/* A boundary beyond 32 bits: blocks come and go as with no boundary. */
static void huge_boundary(struct device *dev)
{
	struct dma_pool *pool = dma_pool_create("huge", dev, BLK, 8, (size_t)1 << 32);
	dma_addr_t h[3];
	char *v[3];

	KT_ASSERT(pool);
	alarm(20);
	for (int i = 0; i < 3; i++) {
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		KT_ASSERT(v[i]);
		KT_EQ(h[i], virt_to_phys(v[i]));
		for (int j = 0; j < i; j++)
			KT_ASSERT(v[i] - v[j] >= BLK || v[j] - v[i] >= BLK);
	}
	for (int i = 0; i < 3; i++)
		dma_pool_free(pool, v[i], h[i]);
	alarm(0);
	dma_pool_destroy(pool);
}

/* True when @p holds @len bytes of @c. */
static bool all(const char *p, int c, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (char)c)
			return false;
	return true;
}

/*
 * The free block @a's link is overwritten with @link; the allocation that takes @a back
 * reports it, and the blocks handed out after it are whole, distinct blocks of the page that
 * were free: @live (in use all along) keeps its bytes.
 */
static void bad_link(struct device *dev, u32 link)
{
	struct dma_pool *pool = dma_pool_create("links", dev, BLK, 8, 0);
	unsigned long before = ukmem_report_count();
	dma_addr_t ha, hl, h[4];
	char *a, *live, *v[4], *out;

	KT_ASSERT(pool);
	a = dma_pool_alloc(pool, GFP_KERNEL, &ha);
	live = dma_pool_alloc(pool, GFP_KERNEL, &hl);
	memset(live, 0x55, BLK);
	dma_pool_free(pool, a, ha);
	KT_EQ(ukmem_dma_write(dev, ha, &link, sizeof(link)), 0);	/* the device, late */
	alarm(20);
	kt_capture_begin();
	for (int i = 0; i < 4; i++) {
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		KT_ASSERT(v[i]);
		KT_EQ(h[i], virt_to_phys(v[i]));
		KT_EQ((h[i] - ha) % BLK, 0);		/* a block of the page, or of a new one */
		KT_ASSERT(v[i] != live);
		for (int j = 0; j < i; j++)
			KT_ASSERT(v[i] != v[j]);
	}
	out = kt_capture_end();
	KT_ASSERT(v[0] == a);
	KT_CONTAINS(out, "dmadev dmadev: dma_pool_alloc links, ");
	KT_CONTAINS(out, " (corrupted)\n");
	KT_EQ(ukmem_report_count(), before + 1);
	KT_ASSERT(all(live, 0x55, BLK));
	/* The chain is whole again: frees and allocations go on without reports. */
	for (int i = 0; i < 4; i++)
		dma_pool_free(pool, v[i], h[i]);
	dma_pool_free(pool, live, hl);
	alarm(0);
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	dma_pool_destroy(pool);
}

/* A link to the block itself: the next free walks the chain (6.1 loops there for ever). */
static void self_link(struct device *dev)
{
	struct dma_pool *pool = dma_pool_create("self", dev, BLK, 8, 0);
	unsigned long before = ukmem_report_count();
	dma_addr_t ha, hb;
	char *a, *b, *out;
	u32 link;

	KT_ASSERT(pool);
	a = dma_pool_alloc(pool, GFP_KERNEL, &ha);
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);
	dma_pool_free(pool, a, ha);
	link = (u32)(ha & (PAGE_SIZE - 1));
	memcpy(a, &link, sizeof(link));
	alarm(20);
	dma_pool_free(pool, b, hb);			/* no report: b was in use */
	KT_EQ(ukmem_report_count(), before);
	kt_capture_begin();
	dma_pool_free(pool, a, ha);			/* already free, found at once */
	out = kt_capture_end();
	alarm(0);
	KT_CONTAINS(out, " already free");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	dma_pool_destroy(pool);
}

/* The right DMA address with a CPU address 4 GiB off: not that block. */
static void far_vaddr(struct device *dev)
{
	struct dma_pool *pool = dma_pool_create("far", dev, BLK, 8, 0);
	unsigned long before = ukmem_report_count();
	dma_addr_t h;
	char *p, *out;

	KT_ASSERT(pool);
	p = dma_pool_alloc(pool, GFP_KERNEL, &h);
	memset(p, 0x33, BLK);
	kt_capture_begin();
	dma_pool_free(pool, p + ((size_t)1 << 32), h);
	out = kt_capture_end();
	KT_CONTAINS(out, " (bad vaddr)/0x");
	KT_EQ(ukmem_report_count(), before + 1);
	KT_ASSERT(all(p, 0x33, BLK));			/* still in use, untouched */
	free(out);
	dma_pool_free(pool, p, h);
	dma_pool_destroy(pool);
}

int main(void)
{
	struct device *dev = dt_setup();

	huge_boundary(dev);
	bad_link(dev, BLK / 2);				/* inside a block */
	bad_link(dev, BLK);				/* the live block */
	bad_link(dev, PAGE_SIZE - 2);			/* running past the page */
	bad_link(dev, PAGE_SIZE);			/* ends the chain early */
	self_link(dev);
	far_vaddr(dev);
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 6);
	return 0;
}
