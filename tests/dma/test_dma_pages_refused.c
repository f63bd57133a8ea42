/* SPDX-License-Identifier: MIT */
/*
 * DMA memory given to the page allocator's frees: free_pages() of dma_alloc_coherent()
 * memory, __free_pages() or a last put_page() of dma_alloc_pages() pages.  6.1 frees the
 * block; the driver's dma_free_coherent()/dma_free_pages() later frees it again, by then
 * perhaps another allocation's, which two owners then share.  Each is a warning naming what
 * frees the memory, and the block stays the DMA allocation's: nothing else is given it, its
 * contents stay, and its own DMA free then frees it once, silently.  Run with DMA-API
 * debugging and with dma_debug=off: the check does not depend on it.
 */
#include <linux/swap.h>
#include "dma/dmatest.h"

#define REFUSED "is DMA memory (dma_alloc_coherent or dma_alloc_pages): dma_free_coherent() or dma_free_pages() frees it; left allocated"

/* Runs a free that must be refused: one warning with the message. */
#define EXPECT_REFUSED(call) do {					\
	unsigned long _before = ukmem_report_count();			\
	char *_out;							\
									\
	kt_capture_begin();						\
	call;								\
	_out = kt_capture_end();					\
	KT_CONTAINS(_out, REFUSED);					\
	KT_CONTAINS(_out, "WARNING: CPU: ");				\
	KT_EQ(ukmem_report_count(), _before + 1);			\
	free(_out);							\
} while (0)

static void test_coherent(struct device *dev)
{
	dma_addr_t h;
	void *c = dma_alloc_coherent(dev, 2 * PAGE_SIZE, &h, GFP_KERNEL), *other[8];
	char *out;

	KT_ASSERT(c);
	dt_fill(c, 2 * PAGE_SIZE, 1);
	EXPECT_REFUSED(free_pages((unsigned long)c, 1));
	EXPECT_REFUSED(__free_pages(virt_to_page(c), 1));
	for (int i = 0; i < 8; i++) {		/* none of them is given c's pages */
		other[i] = (void *)__get_free_pages(GFP_KERNEL | GFP_DMA32, 1);
		KT_ASSERT(other[i] && other[i] != c);
	}
	KT_ASSERT(dt_check(c, 2 * PAGE_SIZE, 1));
	for (int i = 0; i < 8; i++)
		free_pages((unsigned long)other[i], 1);

	kt_capture_begin();
	dma_free_coherent(dev, 2 * PAGE_SIZE, c, h);	/* once, silently */
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	free(out);
}

static void test_pages(struct device *dev)
{
	dma_addr_t h;
	struct page *p = dma_alloc_pages(dev, PAGE_SIZE, &h, DMA_TO_DEVICE, GFP_KERNEL);
	char *out;

	KT_ASSERT(p);
	dt_fill(page_address(p), PAGE_SIZE, 2);
	EXPECT_REFUSED(__free_page(p));
	EXPECT_REFUSED(put_page(p));			/* the last reference */
	KT_EQ(page_ref_count(p), 1);
	get_page(p);					/* others come and go */
	put_page(p);
	KT_ASSERT(dt_check(page_address(p), PAGE_SIZE, 2));

	kt_capture_begin();
	dma_free_pages(dev, PAGE_SIZE, p, h, DMA_TO_DEVICE);
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	free(out);
	KT_EQ(page_ref_count(p), 0);			/* freed */
}

int main(void)
{
	struct device *dev = dt_setup();
	unsigned long free_before;

	KT_EQ(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), 0);
	drain_local_pages(NULL);
	free_before = nr_free_pages();
	test_coherent(dev);
	test_pages(dev);
	drain_local_pages(NULL);
	KT_EQ(nr_free_pages(), free_before);		/* every page came back, once */
	platform_device_unregister(dt_pdev);
	platform_driver_unregister(&dt_driver);
	KT_EQ(ukmem_exit(), 4);				/* the four refusals, no leak */
	printf("test_dma_pages_refused: ok\n");
	return 0;
}
