/* SPDX-License-Identifier: MIT */
/*
 * DMA internals shared by the mapping core (mapping.c), the bounce-buffer pool (swiotlb.c),
 * DMA-API debugging (debug.c) and dma_pool (pool.c).
 *
 * Layering inside src/dma: mapping.c calls swiotlb.c and debug.c; pool.c uses the public
 * coherent API; debug.c knows nothing of swiotlb.  Locks: swiotlb's and debug's are host
 * mutexes and leaves (nothing is called with them held except the page allocator, for the
 * pool's lazy allocation, and the console for reports).
 */
#ifndef UKMEM_DMA_H
#define UKMEM_DMA_H
#include <linux/dma-mapping.h>
#include "core/core.h"

#pragma GCC visibility push(hidden)

/* dma_capable(): can @dev reach [addr, addr + size) with its mask and bus limit? */
static inline bool ukmem__dma_capable(struct device *dev, dma_addr_t addr, size_t size)
{
	dma_addr_t end = addr + (size ? size : 1) - 1;
	u64 limit = *dev->dma_mask;

	if (dev->bus_dma_limit && (!limit || dev->bus_dma_limit < limit))
		limit = dev->bus_dma_limit;
	return addr != DMA_MAPPING_ERROR && end >= addr && end <= limit;
}

/* ---- swiotlb (swiotlb.c) ---- */
#define IO_TLB_SHIFT	11
#define IO_TLB_SIZE	(1 << IO_TLB_SHIFT)
#define IO_TLB_SEGSIZE	128
#define IO_TLB_DEFAULT_SLABS	32768UL	/* 64 MiB, the kernel's default */

/* Bounces [orig, orig + size): returns the bus address of the copy, DMA_MAPPING_ERROR when
 * the pool is full or out of the device's reach (with the kernel's warnings). */
dma_addr_t ukmem__swiotlb_map(struct device *dev, phys_addr_t orig, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
bool ukmem__swiotlb_is_bounce(phys_addr_t addr);
void ukmem__swiotlb_unmap(struct device *dev, phys_addr_t tlb, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
void ukmem__swiotlb_sync(struct device *dev, phys_addr_t tlb, size_t size,
			 enum dma_data_direction dir, bool for_cpu);
bool ukmem__swiotlb_force(void);
bool ukmem__swiotlb_active(void);

/* ---- DMA-API debugging (debug.c) ---- */
enum { dma_debug_single, dma_debug_sg, dma_debug_coherent, dma_debug_resource };
enum map_err_types { MAP_ERR_CHECK_NOT_APPLICABLE, MAP_ERR_NOT_CHECKED, MAP_ERR_CHECKED };

/* One mapping, as the caller describes it (map) or refers to it (unmap, sync). */
struct ukmem__dma_ref {
	struct device *dev;
	int type;
	phys_addr_t paddr;
	dma_addr_t dev_addr;
	u64 size;
	int direction;
	int sg_call_ents;
	int sg_mapped_ents;
	int map_err_type;
	bool pages;		/* from dma_alloc_pages(): dma_free_pages() may free it */
};

bool ukmem__dma_debug_on(void);
void ukmem__dma_debug_add(const struct ukmem__dma_ref *ref);
/* Checks an unmap or free against the live mapping and forgets it.  Returns false when
 * there was none (so the caller frees nothing); else the mapping as recorded goes to @found
 * (may be NULL). */
bool ukmem__dma_debug_remove(const struct ukmem__dma_ref *ref, struct ukmem__dma_ref *found);
/* Checks a sync; false when no live mapping of the device contains it (copy nothing). */
bool ukmem__dma_debug_sync(const struct ukmem__dma_ref *ref, bool to_cpu);
void ukmem__dma_debug_mapping_error(struct device *dev, dma_addr_t addr);
int ukmem__dma_debug_sg_mapped_ents(struct device *dev, dma_addr_t addr);
/* The device side: may @dev read (@write false) or write [addr, addr + len)?  Reports and
 * returns false when not. */
bool ukmem__dma_debug_device_access(struct device *dev, dma_addr_t addr, size_t len, bool write);
/* A buffer that is not RAM in the direct map (the stack, malloc, vmalloc): reported. */
void ukmem__dma_debug_bad_area(struct device *dev, const void *addr, size_t len);
void ukmem__dma_debug_sg_segment(struct device *dev, struct scatterlist *sg);

/* fork(): take (true) or drop (false) the file's lock; swiotlb.c's fork hook calls them. */
void ukmem__dma_debug_fork(bool lock);
void ukmem__dma_pool_fork(bool lock);

#pragma GCC visibility pop
#endif
