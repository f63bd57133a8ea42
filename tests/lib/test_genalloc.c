/* SPDX-License-Identifier: MIT */
/*
 * genalloc over a stand-in for on-chip SRAM: allocations are rounded to the granule and
 * stay inside the chunk, the avail/size accounting follows them, the pool runs dry exactly
 * when its bits do and recovers when they come back; each algorithm's placement (first fit,
 * order-aligned, address-aligned on a misaligned chunk, fixed offset, best fit); the DMA
 * forms give the chunk's physical address and zero the memory; chunks spill over and carry
 * their owner; bad frees (a size that wraps included) and destroying a busy pool warn and
 * change nothing.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/genalloc.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define SRAM_PHYS	0xfe000000UL
static unsigned char sram[8192] __attribute__((aligned(4096)));

static void basics_and_exhaustion(void)
{
	struct gen_pool *pool = gen_pool_create(5, NUMA_NO_NODE);	/* 32-byte granule */
	unsigned long base = (unsigned long)sram, a, b, got[200];
	int n = 0;

	KT_ASSERT(pool);
	KT_EQ(gen_pool_add_virt(pool, base, SRAM_PHYS, 4096, NUMA_NO_NODE), 0);
	KT_EQ(gen_pool_size(pool), 4096);
	KT_EQ(gen_pool_avail(pool), 4096);
	KT_EQ(gen_pool_alloc(pool, 0), 0);
	a = gen_pool_alloc(pool, 100);		/* 4 granules */
	b = gen_pool_alloc(pool, 1);
	KT_EQ(a, base);
	KT_EQ(b, base + 128);
	KT_EQ(gen_pool_avail(pool), 4096 - 160);
	KT_EQ(gen_pool_virt_to_phys(pool, b + 5), SRAM_PHYS + 133);
	KT_EQ(gen_pool_virt_to_phys(pool, base + 4096), (phys_addr_t)-1);
	KT_ASSERT(gen_pool_has_addr(pool, base + 4000, 96));
	KT_ASSERT(!gen_pool_has_addr(pool, base + 4000, 97));

	/* Exhaustion: 64-byte pieces until nothing fits. */
	while ((got[n] = gen_pool_alloc(pool, 64)) != 0) {
		KT_ASSERT(got[n] >= base && got[n] + 64 <= base + 4096);
		memset((void *)got[n], n, 64);
		n++;
	}
	KT_EQ(n, (4096 - 160) / 64);
	KT_EQ(gen_pool_avail(pool), 32);
	KT_EQ(gen_pool_alloc(pool, 33), 0);
	KT_ASSERT(gen_pool_alloc(pool, 32) != 0);	/* the last granule */
	KT_EQ(gen_pool_avail(pool), 0);
	gen_pool_free(pool, base + 4064, 32);
	for (int i = 0; i < n; i++) {
		KT_EQ(*(unsigned char *)got[i], i & 0xff);
		gen_pool_free(pool, got[i], 64);
	}
	gen_pool_free(pool, a, 100);
	gen_pool_free(pool, b, 1);
	KT_EQ(gen_pool_avail(pool), 4096);
	KT_EQ(gen_pool_alloc(pool, 4096), base);	/* all of it, in one piece again */
	gen_pool_free(pool, base, 4096);
	gen_pool_destroy(pool);
}

static void algorithms(void)
{
	struct gen_pool *pool = gen_pool_create(4, NUMA_NO_NODE);	/* 16-byte granule */
	unsigned long base = (unsigned long)sram + 48;			/* misaligned chunk */
	struct genpool_data_fixed fixed = { .offset = 512 };
	struct genpool_data_align align = { .align = 256 };
	unsigned long a, b, c, d, e;
	dma_addr_t dma;
	void *v;

	KT_EQ(gen_pool_add_virt(pool, base, SRAM_PHYS + 48, 2048, NUMA_NO_NODE), 0);

	/* order-aligned: 3 granules start at a multiple of 4 granules from the chunk start */
	gen_pool_set_algo(pool, gen_pool_first_fit_order_align, NULL);
	a = gen_pool_alloc(pool, 16);
	b = gen_pool_alloc(pool, 48);
	KT_EQ(a, base);
	KT_EQ(b, base + 64);
	c = gen_pool_alloc(pool, 16);
	KT_EQ(c, base + 16);			/* fills the hole below b */

	/* address-aligned, relative to addresses, not to the chunk */
	d = gen_pool_alloc_algo(pool, 40, gen_pool_first_fit_align, &align);
	KT_EQ(d % 256, 0);
	KT_ASSERT(d > base);

	/* fixed offset */
	e = gen_pool_alloc_algo(pool, 16, gen_pool_fixed_alloc, &fixed);
	KT_EQ(e, base + 512);
	KT_EQ(gen_pool_alloc_algo(pool, 16, gen_pool_fixed_alloc, &fixed), 0);	/* taken */

	/* DMA forms: physical address, alignment, zeroing */
	memset(sram, 0xff, sizeof(sram));
	v = gen_pool_dma_zalloc_align(pool, 100, &dma, 128);
	KT_ASSERT(v);
	KT_EQ((unsigned long)v % 128, 0);
	KT_EQ(dma, SRAM_PHYS + ((unsigned long)v - (unsigned long)sram));
	for (int i = 0; i < 100; i++)
		KT_EQ(((unsigned char *)v)[i], 0);
	gen_pool_free(pool, (unsigned long)v, 100);
	v = gen_pool_dma_alloc(pool, 16, &dma);
	KT_EQ(dma, gen_pool_virt_to_phys(pool, (unsigned long)v));
	gen_pool_free(pool, (unsigned long)v, 16);
	KT_ASSERT(gen_pool_dma_alloc(NULL, 16, &dma) == NULL);

	gen_pool_free(pool, a, 16);
	gen_pool_free(pool, b, 48);
	gen_pool_free(pool, c, 16);
	gen_pool_free(pool, d, 40);
	gen_pool_free(pool, e, 16);
	KT_EQ(gen_pool_avail(pool), 2048);

	/* best fit: holes of 3 and 2 granules; a 2-granule request takes the 2-granule one */
	gen_pool_set_algo(pool, NULL, NULL);
	a = gen_pool_alloc(pool, 16 * 3);	/* [0,3) */
	b = gen_pool_alloc(pool, 16);		/* [3,4) */
	c = gen_pool_alloc(pool, 16 * 2);	/* [4,6) */
	d = gen_pool_alloc(pool, 16);		/* [6,7) */
	gen_pool_free(pool, a, 48);
	gen_pool_free(pool, c, 32);
	KT_EQ(gen_pool_alloc_algo(pool, 32, gen_pool_best_fit, NULL), c);
	KT_EQ(gen_pool_alloc(pool, 32), a);	/* first fit takes the first hole */
	gen_pool_free(pool, a, 32);
	gen_pool_free(pool, c, 32);
	gen_pool_free(pool, b, 16);
	gen_pool_free(pool, d, 16);
	gen_pool_destroy(pool);
}

static void chunks_and_owners(void)
{
	struct gen_pool *pool = gen_pool_create(6, NUMA_NO_NODE);
	unsigned long base = (unsigned long)sram, a, b, c;
	int owner1, owner2;
	void *owner;

	KT_EQ(gen_pool_add_owner(pool, base, SRAM_PHYS, 256, NUMA_NO_NODE, &owner1), 0);
	KT_EQ(gen_pool_add_owner(pool, base + 4096, SRAM_PHYS + 4096, 1024, NUMA_NO_NODE,
				 &owner2), 0);
	/* The chunk added last is tried first (6.1 adds chunks at the head of the list). */
	a = gen_pool_alloc_owner(pool, 200, &owner);
	KT_EQ(a, base + 4096);
	KT_ASSERT(owner == &owner2);
	KT_EQ(gen_pool_virt_to_phys(pool, a), SRAM_PHYS + 4096);
	b = gen_pool_alloc_owner(pool, 768, &owner);	/* the rest of the second */
	KT_EQ(b, base + 4096 + 256);
	KT_ASSERT(owner == &owner2);
	c = gen_pool_alloc_owner(pool, 200, &owner);	/* no room left in it: the first */
	KT_EQ(c, base);
	KT_ASSERT(owner == &owner1);
	KT_EQ(gen_pool_size(pool), 1280);
	KT_EQ(gen_pool_avail(pool), 0);
	gen_pool_free_owner(pool, c, 200, &owner);
	KT_ASSERT(owner == &owner1);
	gen_pool_free(pool, b, 768);
	gen_pool_free(pool, a, 200);
	KT_EQ(gen_pool_avail(pool), 1280);
	gen_pool_destroy(pool);
}

static void bad_calls(void)
{
	struct gen_pool *pool = gen_pool_create(5, NUMA_NO_NODE);
	unsigned long base = (unsigned long)sram, a;
	unsigned long before = ukmem_report_count();
	char *out;

	gen_pool_add(pool, base, 1024, NUMA_NO_NODE);
	a = gen_pool_alloc(pool, 64);
	kt_capture_begin();
	gen_pool_free(pool, base + 4096, 32);	/* not in the pool */
	gen_pool_free(pool, base + 1000, 64);	/* runs past the chunk */
	gen_pool_free(pool, base + 512, 32);	/* never allocated */
	gen_pool_free(pool, a, 128);		/* more than was allocated */
	gen_pool_free(pool, a, SIZE_MAX - 10);	/* a size that wraps past the address space */
	gen_pool_destroy(pool);			/* still busy: kept */
	out = kt_capture_end();
	KT_CONTAINS(out, "is not in the pool; nothing freed");
	KT_CONTAINS(out, "runs past the end of its chunk");
	KT_CONTAINS(out, "(size 18446744073709551605) runs past the end of its chunk");
	KT_CONTAINS(out, "is not allocated; nothing freed");
	KT_CONTAINS(out, "still has 64 bytes allocated");
	KT_EQ(ukmem_report_count(), before + 6);
	KT_EQ(gen_pool_avail(pool), 1024 - 64);	/* nothing changed */
	KT_ASSERT(gen_pool_has_addr(pool, base, 1024));
	KT_ASSERT(!gen_pool_has_addr(pool, base + 8, SIZE_MAX));	/* wraps: not inside */
	gen_pool_free(pool, a, 64);
	gen_pool_destroy(pool);
	free(out);
}

static void managed(void)
{
	struct device *dev = root_device_register("sram");
	struct gen_pool *a, *b;

	KT_ASSERT(!IS_ERR(dev));
	a = devm_gen_pool_create(dev, 5, NUMA_NO_NODE, "sram0");
	b = devm_gen_pool_create(dev, 5, NUMA_NO_NODE, NULL);
	KT_ASSERT(!IS_ERR(a) && !IS_ERR(b));
	KT_EQ(PTR_ERR(devm_gen_pool_create(dev, 5, NUMA_NO_NODE, "sram0")), -EINVAL);
	KT_EQ(PTR_ERR(devm_gen_pool_create(dev, 5, NUMA_NO_NODE, NULL)), -EINVAL);
	KT_ASSERT(gen_pool_get(dev, "sram0") == a);
	KT_ASSERT(gen_pool_get(dev, NULL) == b);
	KT_ASSERT(gen_pool_get(dev, "other") == NULL);
	KT_EQ(gen_pool_add(a, (unsigned long)sram, 1024, NUMA_NO_NODE), 0);
	KT_ASSERT(gen_pool_alloc(a, 64));
	gen_pool_free(a, (unsigned long)sram, 64);
	root_device_unregister(dev);		/* destroys both pools */
}

int main(void)
{
	basics_and_exhaustion();
	algorithms();
	chunks_and_owners();
	bad_calls();
	managed();
	KT_EQ(ukmem_exit(), 6);
	return 0;
}
