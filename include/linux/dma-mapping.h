/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-mapping.h>: the DMA API with x86-64's direct mapping and no IOMMU.  A DMA
 * address is the physical address when the device's mask (and bus limit) reaches the
 * buffer; otherwise the data goes through a bounce buffer (swiotlb= slabs of 2 KiB), copied
 * on map, unmap and sync in the directions the kernel copies.  Coherent memory comes from
 * the zones that the coherent mask reaches.  With DMA-API debugging (dma_debug=, on by
 * default) every call is checked as CONFIG_DMA_API_DEBUG checks it.  See docs/dma.md.
 */
#ifndef _UKMEM_LINUX_DMA_MAPPING_H
#define _UKMEM_LINUX_DMA_MAPPING_H
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/scatterlist.h>

#define DMA_ATTR_WEAK_ORDERING		(1UL << 1)
#define DMA_ATTR_WRITE_COMBINE		(1UL << 2)
#define DMA_ATTR_NO_KERNEL_MAPPING	(1UL << 4)
#define DMA_ATTR_SKIP_CPU_SYNC		(1UL << 5)
#define DMA_ATTR_FORCE_CONTIGUOUS	(1UL << 6)
#define DMA_ATTR_ALLOC_SINGLE_PAGES	(1UL << 7)
#define DMA_ATTR_NO_WARN		(1UL << 8)
#define DMA_ATTR_PRIVILEGED		(1UL << 9)

#define DMA_MAPPING_ERROR		(~(dma_addr_t)0)
#define DMA_BIT_MASK(n)			(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

/* ---- masks ---- */
int dma_set_mask(struct device *dev, u64 mask);
int dma_set_coherent_mask(struct device *dev, u64 mask);
int dma_set_mask_and_coherent(struct device *dev, u64 mask);
int dma_coerce_mask_and_coherent(struct device *dev, u64 mask);
bool dma_supported(struct device *dev, u64 mask);
u64 dma_get_required_mask(struct device *dev);
size_t dma_max_mapping_size(struct device *dev);
bool dma_addressing_limited(struct device *dev);

static inline u64 dma_get_mask(struct device *dev)
{
	if (dev->dma_mask && *dev->dma_mask)
		return *dev->dma_mask;
	return DMA_BIT_MASK(32);
}
static inline unsigned int dma_get_max_seg_size(struct device *dev)
{
	if (dev->dma_parms && dev->dma_parms->max_segment_size)
		return dev->dma_parms->max_segment_size;
	return SZ_64K;
}
static inline int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (dev->dma_parms) {
		dev->dma_parms->max_segment_size = size;
		return 0;
	}
	return -EIO;
}
static inline unsigned long dma_get_seg_boundary(struct device *dev)
{
	if (dev->dma_parms && dev->dma_parms->segment_boundary_mask)
		return dev->dma_parms->segment_boundary_mask;
	return ULONG_MAX;
}
static inline int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (dev->dma_parms) {
		dev->dma_parms->segment_boundary_mask = mask;
		return 0;
	}
	return -EIO;
}
static inline unsigned int dma_get_min_align_mask(struct device *dev)
{
	return dev->dma_parms ? dev->dma_parms->min_align_mask : 0;
}
static inline int dma_set_min_align_mask(struct device *dev, unsigned int min_align_mask)
{
	if (WARN_ON_ONCE(!dev->dma_parms))
		return -EIO;
	dev->dma_parms->min_align_mask = min_align_mask;
	return 0;
}
static inline int dma_get_cache_alignment(void)
{
	return 64;
}

/* ---- streaming mappings ---- */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs);
int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir,
		    unsigned long attrs);
dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs);
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir);
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
			 enum dma_data_direction dir);
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nelems,
			    enum dma_data_direction dir);
int dma_mapping_error(struct device *dev, dma_addr_t dma_addr);
bool dma_need_sync(struct device *dev, dma_addr_t dma_addr);

static inline void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt,
				     enum dma_data_direction dir, unsigned long attrs)
{
	dma_unmap_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
}
static inline void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt,
					    enum dma_data_direction dir)
{
	dma_sync_sg_for_cpu(dev, sgt->sgl, sgt->orig_nents, dir);
}
static inline void dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt,
					       enum dma_data_direction dir)
{
	dma_sync_sg_for_device(dev, sgt->sgl, sgt->orig_nents, dir);
}
static inline void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
						 unsigned long offset, size_t size,
						 enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, addr + offset, size, dir);
}
static inline void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
						    unsigned long offset, size_t size,
						    enum dma_data_direction dir)
{
	dma_sync_single_for_device(dev, addr + offset, size, dir);
}

#define dma_map_single(d, a, s, r)	dma_map_single_attrs(d, a, s, r, 0)
#define dma_unmap_single(d, a, s, r)	dma_unmap_single_attrs(d, a, s, r, 0)
#define dma_map_page(d, p, o, s, r)	dma_map_page_attrs(d, p, o, s, r, 0)
#define dma_unmap_page(d, a, s, r)	dma_unmap_page_attrs(d, a, s, r, 0)
#define dma_map_sg(d, s, n, r)		dma_map_sg_attrs(d, s, n, r, 0)
#define dma_unmap_sg(d, s, n, r)	dma_unmap_sg_attrs(d, s, n, r, 0)

/* ---- coherent and non-coherent allocations ---- */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag,
		      unsigned long attrs);
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs);
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs);
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);
struct page *dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp);
void dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
		    enum dma_data_direction dir);
void *dma_alloc_noncoherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp);
void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle,
			  enum dma_data_direction dir);

static inline void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
				       gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp,
			       (gfp & __GFP_NOWARN) ? DMA_ATTR_NO_WARN : 0);
}
static inline void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
				     dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, 0);
}
static inline void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
					gfp_t gfp)
{
	return dmam_alloc_attrs(dev, size, dma_handle, gfp,
				(gfp & __GFP_NOWARN) ? DMA_ATTR_NO_WARN : 0);
}

/* ---- DMA-API debugging ---- */
void dma_debug_add_bus(struct bus_type *bus);
#endif
