/* SPDX-License-Identifier: MIT */
/*
 * <linux/dmapool.h>: pools of small coherent DMA blocks of one size, carved from
 * dma_alloc_coherent pages; a block never crosses the pool's boundary.  The pools of a
 * device are listed by ukmem_show("dma_pools:<device name>") in the kernel's "pools" file
 * format.
 */
#ifndef _UKMEM_LINUX_DMAPOOL_H
#define _UKMEM_LINUX_DMAPOOL_H
#include <linux/types.h>
#include <linux/gfp.h>

struct device;
struct dma_pool;

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size,
				 size_t align, size_t boundary);
void dma_pool_destroy(struct dma_pool *pool);
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle);
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr);
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size,
				  size_t align, size_t allocation);
void dmam_pool_destroy(struct dma_pool *pool);

static inline void *dma_pool_zalloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	return dma_pool_alloc(pool, mem_flags | __GFP_ZERO, handle);
}
#endif
