/* SPDX-License-Identifier: MIT */
/*
 * The DMA mapping API with x86-64's direct mapping (kernel/dma/mapping.c and direct.c):
 * masks, coherent and non-coherent allocations, streaming maps and syncs of single buffers,
 * pages, scatterlists and MMIO resources, the managed (dmam_) forms, and the device side
 * (ukmem_dma_read, ukmem_dma_write).
 *
 * A bus address is the physical address when the device's mask and bus limit reach the whole
 * buffer; otherwise (or with swiotlb=force) the buffer is bounced through swiotlb.c.  Coherent
 * memory is allocated from ZONE_DMA (coherent mask of 24 bits or less), ZONE_DMA32 (32 bits or
 * less) or anywhere, and retried in a lower zone when what came back is out of reach, as
 * dma_direct_alloc does; it is zeroed.
 *
 * Containment, where the kernel would corrupt memory: a buffer that is not RAM in the direct
 * map (a thread's stack, malloc, vmalloc) is never mapped; with debugging on, a free of coherent
 * memory releases what was really allocated (not the size or address the driver passed), and
 * nothing when no allocation matches or it is another kind of mapping (a release by the
 * wrong function: debug.c keeps the mapping for the right one), and an unmap or sync (single
 * or sg) that names no live mapping of the device (a second unmap) touches no bounce slots,
 * which may be another mapping's by then (without debugging, swiotlb.c still refuses another
 * device's slots); bad directions are refused with a warning instead of BUG().  No state of its own: the bounce
 * pool and the debug entries keep theirs.
 */
#include <errno.h>
#include <string.h>
#include <ukmem.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/vmalloc.h>
#include "dma/dma.h"
#include "mm/mm.h"
#include "base/base.h"
#include "debug/kmemleak.h"

/* [phys, phys + size) is RAM that the direct map covers (so the CPU can copy it). */
static bool phys_is_ram(phys_addr_t phys, size_t size)
{
	phys_addr_t last = phys + (size ? size : 1) - 1;

	if (last < phys || last >= ukmem__mm.phys_end)
		return false;
	if (phys < UKMEM_HOLE_END && last >= UKMEM_HOLE_START)
		return false;
	return ukmem__pfn_is_ram(PHYS_PFN(phys)) && ukmem__pfn_is_ram(PHYS_PFN(last));
}

static noinline bool bad_direction(int dir)
{
	WARN(1, "DMA-API: invalid DMA direction %d\n", dir);
	return true;
}
#define check_dir(dir)	(unlikely(!valid_dma_direction(dir)) && bad_direction(dir))

/* A NULL or error-pointer device, which 6.1 dereferences at once (an oops, where old x86
 * kernels took NULL for a fallback device): a warning naming the call, and the call fails
 * as it fails for a device it cannot serve. */
static noinline bool dma_dev_broken(struct device *dev, const char *fn)
{
	if (!dev)
		return WARN(1, "DMA-API: %s: NULL device\n", fn);
	return WARN(1, "DMA-API: %s: device is an error pointer (%ld)\n", fn, PTR_ERR(dev));
}
#define dma_dev_bad_as(dev, fn)	(unlikely(IS_ERR_OR_NULL(dev)) && dma_dev_broken(dev, fn))
#define dma_dev_bad(dev)		dma_dev_bad_as(dev, __func__)

/* An sg call given more entries than its list has (sg_next() gave NULL after @got of
 * @nents): 6.1 dereferences the NULL; reported here, and the call stops at the list's end. */
static noinline void sg_list_short(struct device *dev, const char *what, int got, int nents)
{
	dev_WARN(dev, "%s: nents %d, but the scatterlist ends after %d entries\n", what, nents,
		 got);
}

/* for_each_sg that stops at the end of the list (sg NULL) rather than walk past it. */
#define for_each_sg_bounded(sglist, sg, nr, __i) \
	for (__i = 0, sg = (sglist); __i < (nr) && sg; __i++, sg = sg_next(sg))

/* ---- masks ---- */

/* The address of RAM's last page: what 6.1's direct mapping measures masks against. */
static u64 ram_last_page(void)
{
	return (u64)(ukmem__mm.phys_end - PAGE_SIZE) & PAGE_MASK;
}

/**
 * dma_supported - whether a device with mask @mask can be served
 * @dev: the device
 * @mask: a DMA mask
 *
 * Return: true for a mask of 32 bits or more (ZONE_DMA32 serves those), or one that reaches
 * ZONE_DMA or the last page of RAM, whichever is lower (6.1's dma_direct_supported).
 */
bool dma_supported(struct device *dev, u64 mask)
{
	(void)dev;
	return mask >= DMA_BIT_MASK(32) || mask >= min_t(u64, ram_last_page(), DMA_BIT_MASK(24));
}

/**
 * dma_set_mask - set the streaming DMA mask
 * @dev: the device; it must have a mask (dev->dma_mask) to set
 * @mask: the mask
 *
 * Return: 0, or -EIO when the device has no mask or the mask cannot be served.
 */
int dma_set_mask(struct device *dev, u64 mask)
{
	mask = (dma_addr_t)mask;
	if (dma_dev_bad(dev) || !dev->dma_mask || !dma_supported(dev, mask))
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

/**
 * dma_set_coherent_mask - set the mask for coherent allocations
 * @dev: the device
 * @mask: the mask
 *
 * Return: 0, or -EIO when the mask cannot be served.
 */
int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	mask = (dma_addr_t)mask;
	if (dma_dev_bad(dev) || !dma_supported(dev, mask))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

/**
 * dma_set_mask_and_coherent - set both masks
 * @dev: the device
 * @mask: the mask
 *
 * Return: 0 or -EIO (then neither mask changed).
 */
int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int rc = dma_set_mask(dev, mask);

	if (rc == 0)
		dma_set_coherent_mask(dev, mask);
	return rc;
}

/**
 * dma_coerce_mask_and_coherent - give a device without a streaming mask one, and set both
 * @dev: the device; its dma_mask is pointed at its coherent_dma_mask
 * @mask: the mask
 *
 * Return: 0 or -EIO.
 */
int dma_coerce_mask_and_coherent(struct device *dev, u64 mask)
{
	if (dma_dev_bad(dev))
		return -EIO;
	dev->dma_mask = &dev->coherent_dma_mask;
	return dma_set_mask_and_coherent(dev, mask);
}

/**
 * dma_get_required_mask - the mask that reaches all RAM
 * @dev: the device
 *
 * Return: the smallest all-ones mask covering the address of RAM's last page (0x3fffffff
 * for mem=1G), as 6.1's direct mapping computes it.
 */
u64 dma_get_required_mask(struct device *dev)
{
	u64 last_page = ram_last_page();

	(void)dev;
	return last_page ? DMA_BIT_MASK(64 - __builtin_clzll(last_page)) : 0;
}

/**
 * dma_max_mapping_size - the largest streaming mapping the device can get
 * @dev: the device
 *
 * Return: SIZE_MAX, or 256 KiB (one swiotlb segment) when there is a bounce pool and its
 * mappings may bounce.
 */
size_t dma_max_mapping_size(struct device *dev)
{
	if (ukmem__swiotlb_active() && (ukmem__swiotlb_force() || dma_addressing_limited(dev)))
		return (size_t)IO_TLB_SIZE * IO_TLB_SEGSIZE;
	return SIZE_MAX;
}

/**
 * dma_addressing_limited - whether the device's mask misses part of RAM
 * @dev: the device
 *
 * Return: true when some RAM lies beyond its mask or bus limit.
 */
bool dma_addressing_limited(struct device *dev)
{
	return dma_dev_bad(dev) || !dev->dma_mask || !ukmem__dma_capable(dev, 0, ukmem__mm.phys_end);
}

/* ---- streaming mappings ---- */

/* Bounces, or (no pool: RAM ends below 4 GiB and swiotlb= was not given) fails as 6.1's
 * dma_direct_map_page does without swiotlb. */
static noinline dma_addr_t bounce_map(struct device *dev, phys_addr_t phys, size_t size,
				      enum dma_data_direction dir, unsigned long attrs)
{
	if (ukmem__swiotlb_active())
		return ukmem__swiotlb_map(dev, phys, size, dir, attrs);
	dev_WARN_ONCE(dev, 1, "DMA addr %pad+%zu overflow (mask %llx, bus limit %llx).\n",
		      &phys, size, *dev->dma_mask, dev->bus_dma_limit);
	return DMA_MAPPING_ERROR;
}

static dma_addr_t direct_map(struct device *dev, phys_addr_t phys, size_t size,
			     enum dma_data_direction dir, unsigned long attrs)
{
	if (unlikely(ukmem__swiotlb_force()) || unlikely(!ukmem__dma_capable(dev, phys, size)))
		return bounce_map(dev, phys, size, dir, attrs);
	return phys;
}

static void direct_unmap(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, unsigned long attrs)
{
	if (unlikely(ukmem__swiotlb_is_bounce(addr)))
		ukmem__swiotlb_unmap(dev, addr, size, dir, attrs);
}

static void direct_sync(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, bool for_cpu)
{
	if (unlikely(ukmem__swiotlb_is_bounce(addr)))
		ukmem__swiotlb_sync(dev, addr, size, dir, for_cpu);
}

static noinline dma_addr_t reject_area(struct device *dev, const void *addr, size_t size)
{
	if (ukmem__dma_debug_on())
		ukmem__dma_debug_bad_area(dev, addr, size);
	else
		dev_WARN_ONCE(dev, 1, "rejecting DMA map of memory outside RAM [addr=%px]\n", addr);
	return DMA_MAPPING_ERROR;
}

/**
 * dma_map_page_attrs - map part of a page block for streaming DMA
 * @dev: the device
 * @page: the first page
 * @offset: where the buffer starts in it
 * @size: bytes (may run into the following pages)
 * @dir: the direction of the transfer
 * @attrs: DMA_ATTR_* flags
 *
 * Return: the bus address, or DMA_MAPPING_ERROR (check with dma_mapping_error()).
 */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t phys = page_to_phys(page) + offset;
	dma_addr_t addr;

	if (dma_dev_bad(dev) || check_dir(dir) || WARN_ON_ONCE(!dev->dma_mask))
		return DMA_MAPPING_ERROR;
	if (unlikely(!phys_is_ram(phys, size)))
		return reject_area(dev, (void *)(unsigned long)phys, size);
	addr = direct_map(dev, phys, size, dir, attrs);
	if (ukmem__dma_debug_on() && addr != DMA_MAPPING_ERROR) {
		struct ukmem__dma_ref ref = { dev, dma_debug_single, phys, addr, size, dir, 0, 0,
					      MAP_ERR_NOT_CHECKED };

		ukmem__dma_debug_add(&ref);
	}
	return addr;
}

/**
 * dma_map_single_attrs - map a buffer for streaming DMA
 * @dev: the device
 * @ptr: the buffer: kmalloc or page-allocator memory, not vmalloc or the stack
 * @size: bytes
 * @dir: the direction of the transfer
 * @attrs: DMA_ATTR_* flags
 *
 * Return: the bus address, or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs)
{
	if (dma_dev_bad_as(dev, "dma_map_single_attrs"))
		return DMA_MAPPING_ERROR;
	if (dev_WARN_ONCE(dev, is_vmalloc_addr(ptr), "rejecting DMA map of vmalloc memory\n"))
		return DMA_MAPPING_ERROR;
	if (unlikely(!ukmem__in_direct_map(ptr)))
		return reject_area(dev, ptr, size);
	return dma_map_page_attrs(dev, virt_to_page(ptr), offset_in_page(ptr), size, dir, attrs);
}

/**
 * dma_unmap_page_attrs - end a streaming mapping
 * @dev: the device
 * @addr: the bus address the map returned
 * @size: the size mapped
 * @dir: the direction mapped
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC skips copying a bounce buffer back
 */
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	if (dma_dev_bad(dev) || check_dir(dir))
		return;
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_single, 0, addr, size, dir, 0, 0, 0 };

		/* Not a live mapping of @dev (reported): bounce slots there are another's. */
		if (!ukmem__dma_debug_remove(&ref, NULL))
			return;
	}
	direct_unmap(dev, addr, size, dir, attrs);
}

/**
 * dma_unmap_single_attrs - end a mapping made by dma_map_single_attrs()
 * @dev: the device
 * @addr: the bus address
 * @size: the size mapped
 * @dir: the direction mapped
 * @attrs: DMA_ATTR_* flags
 */
void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	dma_unmap_page_attrs(dev, addr, size, dir, attrs);
}

/* Maps every entry; a negative errno (with nothing left mapped) on failure, or 0 for a
 * device without a DMA mask (as 6.1). */
static int map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i, j, err = -EIO;

	if (dma_dev_bad_as(dev, "dma_map_sg") || check_dir(dir))
		return -EINVAL;
	if (WARN_ON_ONCE(!dev->dma_mask))
		return 0;		/* 6.1's value: dma_map_sgtable() then succeeds, 0 entries */
	if (WARN_ON_ONCE(nents <= 0))	/* nothing mapped: 6.1 warns and makes it -EIO */
		return -EIO;
	for_each_sg_bounded(sgl, sg, nents, i) {
		unsigned long pfn = page_to_pfn(sg_page(sg));

		if (unlikely(pfn >= max_pfn || !phys_is_ram(sg_phys(sg), sg->length))) {
			reject_area(dev, sg_virt(sg), sg->length);
			goto unmap;
		}
		sg->dma_address = direct_map(dev, sg_phys(sg), sg->length, dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR)
			goto unmap;
		sg_dma_len(sg) = sg->length;
	}
	if (unlikely(i < nents)) {	/* a usage error: -EINVAL, as 6.1 documents it */
		sg_list_short(dev, "dma_map_sg", i, nents);
		err = -EINVAL;
		goto unmap;
	}
	if (ukmem__dma_debug_on()) {
		for_each_sg(sgl, sg, nents, i) {
			struct ukmem__dma_ref ref = { dev, dma_debug_sg, sg_phys(sg),
						      sg_dma_address(sg), sg_dma_len(sg), dir,
						      nents, nents, MAP_ERR_CHECK_NOT_APPLICABLE };

			ukmem__dma_debug_sg_segment(dev, sg);
			ukmem__dma_debug_add(&ref);
		}
	}
	return nents;
unmap:
	for_each_sg(sgl, sg, i, j)
		direct_unmap(dev, sg->dma_address, sg->length, dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
	return err;
}

/**
 * dma_map_sg_attrs - map a scatterlist for streaming DMA
 * @dev: the device
 * @sg: the list
 * @nents: its entries
 * @dir: the direction of the transfer
 * @attrs: DMA_ATTR_* flags
 *
 * Return: the number of DMA segments (sg_dma_address/sg_dma_len of that many entries),
 * or 0 on failure with nothing mapped.
 */
unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir, unsigned long attrs)
{
	int ret = map_sg(dev, sg, nents, dir, attrs);

	return ret < 0 ? 0 : ret;
}

/**
 * dma_map_sgtable - map a table's list and set its nents
 * @dev: the device
 * @sgt: the table
 * @dir: the direction of the transfer
 * @attrs: DMA_ATTR_* flags
 *
 * Return: 0, or -EINVAL / -EIO with nothing mapped.
 */
int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir,
		    unsigned long attrs)
{
	int nents = map_sg(dev, sgt->sgl, sgt->orig_nents, dir, attrs);

	if (nents < 0)
		return nents;
	sgt->nents = nents;
	return 0;
}

/*
 * With debugging on, checks entry @i of an sg list being unmapped (@unmap: forgets its
 * mapping) or synced, as 6.1's debug layer walks it: only as many entries as the first one's
 * mapping made (*mapped_ents, 0 until known).  Return: 1 to unmap or sync the entry, 0 to
 * leave it (no live mapping of @dev there, reported: its bounce slots may be another
 * mapping's by now), -1 when the mapped entries are done.
 */
static int debug_sg_entry(struct device *dev, struct scatterlist *sg, int i, int nelems,
			  int dir, bool unmap, bool to_cpu, int *mapped_ents)
{
	struct ukmem__dma_ref ref = { dev, dma_debug_sg, sg_phys(sg), sg_dma_address(sg),
				      sg_dma_len(sg), dir, nelems, 0, 0 };

	if (*mapped_ents && i >= *mapped_ents)
		return -1;
	*mapped_ents = ukmem__dma_debug_sg_mapped_ents(dev, ref.dev_addr);
	if (unmap)
		return ukmem__dma_debug_remove(&ref, NULL);
	return ukmem__dma_debug_sync(&ref, to_cpu);
}

/**
 * dma_unmap_sg_attrs - end a scatterlist mapping
 * @dev: the device
 * @sg: the list
 * @nents: the entries passed to the map (not what it returned)
 * @dir: the direction mapped
 * @attrs: DMA_ATTR_* flags
 */
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
	bool debug = ukmem__dma_debug_on();
	struct scatterlist *s;
	int i, mapped_ents = 0, act = 1;

	if (dma_dev_bad(dev) || check_dir(dir))
		return;
	for_each_sg_bounded(sg, s, nents, i) {
		if (debug)
			act = debug_sg_entry(dev, s, i, nents, dir, true, false, &mapped_ents);
		if (act < 0)
			return;
		if (act)
			direct_unmap(dev, s->dma_address, sg_dma_len(s), dir, attrs);
	}
	if (unlikely(i < nents))
		sg_list_short(dev, "dma_unmap_sg", i, nents);
}

/**
 * dma_map_resource - map a device's MMIO range for another device (peer-to-peer)
 * @dev: the device that will access it
 * @phys_addr: physical address of the range; RAM is refused
 * @size: bytes
 * @dir: the direction
 * @attrs: DMA_ATTR_* flags
 *
 * Return: the bus address, or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	(void)attrs;
	if (dma_dev_bad(dev) || check_dir(dir) || WARN_ON_ONCE(!dev->dma_mask))
		return DMA_MAPPING_ERROR;
	if (WARN_ON_ONCE(ukmem__pfn_is_ram(PHYS_PFN(phys_addr))))
		return DMA_MAPPING_ERROR;
	if (unlikely(!ukmem__dma_capable(dev, phys_addr, size))) {
		dev_err_once(dev, "DMA addr %pad+%zu overflow (mask %llx, bus limit %llx).\n",
			     &phys_addr, size, *dev->dma_mask, dev->bus_dma_limit);
		WARN_ON_ONCE(1);
		return DMA_MAPPING_ERROR;
	}
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_resource, phys_addr, phys_addr, size,
					      dir, 0, 0, MAP_ERR_NOT_CHECKED };

		ukmem__dma_debug_add(&ref);
	}
	return phys_addr;
}

/**
 * dma_unmap_resource - end a dma_map_resource() mapping
 * @dev: the device
 * @addr: the bus address
 * @size: bytes
 * @dir: the direction
 * @attrs: DMA_ATTR_* flags
 */
void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	(void)attrs;
	if (dma_dev_bad(dev) || check_dir(dir))
		return;
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_resource, addr, addr, size, dir, 0, 0, 0 };

		ukmem__dma_debug_remove(&ref, NULL);
	}
}

static void sync_single(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, bool to_cpu)
{
	if (dma_dev_bad_as(dev, to_cpu ? "dma_sync_single_for_cpu" : "dma_sync_single_for_device") ||
	    check_dir(dir))
		return;
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_single, 0, addr, size, dir, 0, 0, 0 };

		/* Not inside a live mapping of @dev (reported): slots there are another's. */
		if (!ukmem__dma_debug_sync(&ref, to_cpu))
			return;
	}
	direct_sync(dev, addr, size, dir, to_cpu);
}

/**
 * dma_sync_single_for_cpu - give a streaming buffer (or part of it) back to the CPU
 * @dev: the device
 * @addr: a bus address inside a mapping
 * @size: bytes
 * @dir: the direction mapped; a bounce buffer is copied back for FROM_DEVICE/BIDIRECTIONAL
 */
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	sync_single(dev, addr, size, dir, true);
}

/**
 * dma_sync_single_for_device - hand a streaming buffer (or part of it) to the device
 * @dev: the device
 * @addr: a bus address inside a mapping
 * @size: bytes
 * @dir: the direction mapped; a bounce buffer is refreshed for TO_DEVICE/BIDIRECTIONAL
 */
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir)
{
	sync_single(dev, addr, size, dir, false);
}

static void sync_sg(struct device *dev, struct scatterlist *sgl, int nelems,
		    enum dma_data_direction dir, bool to_cpu)
{
	bool debug = ukmem__dma_debug_on();
	struct scatterlist *sg;
	int i, mapped_ents = 0, act = 1;

	if (dma_dev_bad_as(dev, to_cpu ? "dma_sync_sg_for_cpu" : "dma_sync_sg_for_device") ||
	    check_dir(dir))
		return;
	for_each_sg_bounded(sgl, sg, nelems, i) {
		if (debug)
			act = debug_sg_entry(dev, sg, i, nelems, dir, false, to_cpu, &mapped_ents);
		if (act < 0)
			return;
		if (act)
			direct_sync(dev, sg_dma_address(sg), sg_dma_len(sg), dir, to_cpu);
	}
	if (unlikely(i < nelems))
		sg_list_short(dev, to_cpu ? "dma_sync_sg_for_cpu" : "dma_sync_sg_for_device", i,
			      nelems);
}

/**
 * dma_sync_sg_for_cpu - dma_sync_single_for_cpu() for every entry of a mapped list
 * @dev: the device
 * @sg: the list
 * @nelems: the entries passed to the map
 * @dir: the direction mapped
 */
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
			 enum dma_data_direction dir)
{
	sync_sg(dev, sg, nelems, dir, true);
}

/**
 * dma_sync_sg_for_device - dma_sync_single_for_device() for every entry of a mapped list
 * @dev: the device
 * @sg: the list
 * @nelems: the entries passed to the map
 * @dir: the direction mapped
 */
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nelems,
			    enum dma_data_direction dir)
{
	sync_sg(dev, sg, nelems, dir, false);
}

/**
 * dma_mapping_error - whether a map failed
 * @dev: the device
 * @dma_addr: what the map returned
 *
 * Return: -ENOMEM for DMA_MAPPING_ERROR, else 0.  DMA-API debugging notes the check.
 */
int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	if (ukmem__dma_debug_on())
		ukmem__dma_debug_mapping_error(dev, dma_addr);
	return unlikely(dma_addr == DMA_MAPPING_ERROR) ? -ENOMEM : 0;
}

/**
 * dma_need_sync - whether syncs of this mapping do anything
 * @dev: the device
 * @dma_addr: a bus address of a mapping
 *
 * Return: true for bounced mappings (x86 is cache-coherent otherwise).
 */
bool dma_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	(void)dev;
	return ukmem__swiotlb_is_bounce(dma_addr);
}

/* ---- coherent and non-coherent allocations ---- */

/* Pages for @size bytes (page-aligned) that the coherent mask reaches, or NULL
 * (dma_direct_alloc's zones).  A size of 0 (0 asked for, or a size that wrapped when
 * aligned) is the page allocator's too-large order, its warning and NULL, as in 6.1. */
static struct page *direct_alloc_pages(struct device *dev, size_t size, gfp_t gfp)
{
	u64 limit = dev->coherent_dma_mask;
	unsigned int order = size ? get_order(size) : MAX_ORDER;
	struct page *page;

	if (dev->bus_dma_limit && (!limit || dev->bus_dma_limit < limit))
		limit = dev->bus_dma_limit;
	if (limit <= DMA_BIT_MASK(24))
		gfp |= GFP_DMA;
	else if (limit <= DMA_BIT_MASK(32))
		gfp |= GFP_DMA32;
	for (;;) {
		page = alloc_pages(gfp & ~__GFP_ZERO, order);
		if (!page || page_to_phys(page) + size - 1 <= limit)
			return page;
		__free_pages(page, order);
		if (!(gfp & (GFP_DMA32 | GFP_DMA)))
			gfp |= GFP_DMA32;
		else if (!(gfp & GFP_DMA))
			gfp = (gfp & ~GFP_DMA32) | GFP_DMA;
		else
			return NULL;
	}
}

/**
 * dma_alloc_attrs - allocate coherent memory
 * @dev: the device
 * @size: bytes (rounded up to pages)
 * @dma_handle: receives the bus address
 * @flag: allocation flags (zone modifiers are ignored: the coherent mask decides)
 * @attrs: DMA_ATTR_NO_WARN silences the allocation-failure warning
 *
 * Return: the zeroed, physically contiguous memory, within the coherent mask; or NULL.
 */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag,
		      unsigned long attrs)
{
	struct page *page;
	void *ret;

	if (dma_dev_bad(dev) || WARN(!dma_handle, "DMA-API: dma_alloc_attrs: NULL dma_handle\n"))
		return NULL;
	WARN_ON_ONCE(!dev->coherent_dma_mask);
	flag &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	if (attrs & DMA_ATTR_NO_WARN)
		flag |= __GFP_NOWARN;
	page = direct_alloc_pages(dev, PAGE_ALIGN(size), flag);
	if (!page)
		return NULL;
	ret = page_address(page);
	memset(ret, 0, PAGE_ALIGN(size));
	*dma_handle = page_to_phys(page);
	ukmem__pages_set_owner(page, UKMEM_PAGES_DMA, true);	/* free_pages refuses it now */
	if (ukmem__cfg.kmemleak) {	/* one record, as a coherent buffer, not as pages */
		ukmem__leak_pages_taken(page);
		ukmem__leak_track(ret, size, UKMEM_LEAK_DMA_COHERENT, _RET_IP_);
	}
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_coherent, page_to_phys(page),
					      *dma_handle, size, DMA_BIDIRECTIONAL, 0, 0, 0 };

		ukmem__dma_debug_add(&ref);
	}
	return ret;
}

/* A dmam_alloc_attrs() buffer: its devres data (released by dmam_release, below). */
struct dma_devres {
	size_t size;
	void *vaddr;
	dma_addr_t dma_handle;
	unsigned long attrs;
};

static void dmam_release(struct device *dev, void *res);

static int dmam_vaddr_match(struct device *dev, void *res, void *match_data)
{
	(void)dev;
	return ((struct dma_devres *)res)->vaddr == match_data;
}

/* Memory from dmam_alloc_attrs() given to dma_free_attrs(): its device frees it when the
 * driver goes (freeing it now would free it twice, the second time perhaps under a new
 * owner).  Reported, and left to the device, as kfree() of devm memory is. */
static noinline bool managed_free(struct device *dev, void *cpu_addr, dma_addr_t dma_handle)
{
	if (IS_ERR_OR_NULL(dev) || !dev->p.initialized ||
	    !devres_find(dev, dmam_release, dmam_vaddr_match, cpu_addr))
		return false;
	dev_WARN(dev, "dma_free_coherent of managed memory [cpu address=%px] [device address=%pad]: dmam_free_coherent frees it, or the device when its driver goes\n",
		 cpu_addr, &dma_handle);
	return true;
}

/**
 * dma_free_attrs - free coherent memory
 * @dev: the device
 * @size: the size allocated
 * @cpu_addr: what the allocation returned (NULL does nothing)
 * @dma_handle: its bus address
 * @attrs: DMA_ATTR_* flags
 */
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs)
{
	struct ukmem__dma_ref found;

	(void)attrs;
	WARN_ON(irqs_disabled());
	if (!cpu_addr || dma_dev_bad(dev) || managed_free(dev, cpu_addr, dma_handle))
		return;
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_coherent,
					      ukmem__in_direct_map(cpu_addr) ? virt_to_phys(cpu_addr) : 0,
					      dma_handle, size, DMA_BIDIRECTIONAL, 0, 0, 0 };

		if (!ukmem__dma_debug_remove(&ref, &found) || found.type != dma_debug_coherent)
			return;			/* not a coherent allocation: nothing to free */
		cpu_addr = phys_to_virt(found.paddr);
		size = found.size;
	}
	ukmem__leak_untrack(cpu_addr, UKMEM_LEAK_DMA_COHERENT);
	if (virt_addr_valid(cpu_addr))
		ukmem__pages_set_owner(virt_to_page(cpu_addr), UKMEM_PAGES_DMA, false);
	free_pages((unsigned long)cpu_addr, get_order(PAGE_ALIGN(size)));
}

/**
 * dma_alloc_pages - allocate pages for streaming DMA, already mapped
 * @dev: the device; without a coherent mask it is a warning and NULL, as in 6.1
 * @size: bytes (rounded up to pages)
 * @dma_handle: receives the bus address
 * @dir: the direction the pages are mapped for
 * @gfp: allocation flags, without zone modifiers or __GFP_COMP
 *
 * Return: the first page (zeroed, within the coherent mask), or NULL.
 */
struct page *dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp)
{
	struct page *page;

	if (dma_dev_bad(dev) || WARN(!dma_handle, "DMA-API: dma_alloc_pages: NULL dma_handle\n") ||
	    WARN_ON_ONCE(!dev->coherent_dma_mask))
		return NULL;
	if (WARN_ON_ONCE(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM)))
		return NULL;
	if (WARN_ON_ONCE(gfp & __GFP_COMP) || check_dir(dir))
		return NULL;
	page = direct_alloc_pages(dev, PAGE_ALIGN(size), gfp);
	if (!page)
		return NULL;
	memset(page_address(page), 0, PAGE_ALIGN(size));
	*dma_handle = page_to_phys(page);
	ukmem__pages_set_owner(page, UKMEM_PAGES_DMA, true);
	if (ukmem__dma_debug_on()) {	/* the size asked for, as 6.1 records it */
		struct ukmem__dma_ref ref = { dev, dma_debug_single, *dma_handle, *dma_handle, size,
					      dir, 0, 0, MAP_ERR_CHECKED, true };

		ukmem__dma_debug_add(&ref);
	}
	return page;
}

/**
 * dma_free_pages - free pages from dma_alloc_pages()
 * @dev: the device
 * @size: the size allocated
 * @page: the first page
 * @dma_handle: the bus address
 * @dir: the direction they were allocated for
 */
void dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
		    enum dma_data_direction dir)
{
	struct ukmem__dma_ref found;

	if (dma_dev_bad(dev))
		return;
	if (ukmem__dma_debug_on()) {
		struct ukmem__dma_ref ref = { dev, dma_debug_single, 0, dma_handle, size, dir, 0, 0, 0,
					      true };

		if (!ukmem__dma_debug_remove(&ref, &found) || !found.pages)
			return;			/* not from dma_alloc_pages: nothing to free */
		page = phys_to_page(found.paddr);
		size = found.size;
	}
	if (virt_addr_valid(page_address(page)))
		ukmem__pages_set_owner(page, UKMEM_PAGES_DMA, false);
	__free_pages(page, get_order(PAGE_ALIGN(size)));
}

/**
 * dma_alloc_noncoherent - dma_alloc_pages(), returning the kernel address
 * @dev: the device
 * @size: bytes
 * @dma_handle: receives the bus address
 * @dir: the direction
 * @gfp: allocation flags
 *
 * Return: the memory, or NULL.  Sync it with dma_sync_single_for_{cpu,device}.
 */
void *dma_alloc_noncoherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp)
{
	struct page *page = dma_alloc_pages(dev, size, dma_handle, dir, gfp);

	return page ? page_address(page) : NULL;
}

/**
 * dma_free_noncoherent - free memory from dma_alloc_noncoherent()
 * @dev: the device
 * @size: the size allocated
 * @vaddr: the memory
 * @dma_handle: its bus address
 * @dir: the direction
 */
void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle,
			  enum dma_data_direction dir)
{
	dma_free_pages(dev, size, virt_to_page(vaddr), dma_handle, dir);
}

/* ---- managed coherent memory ---- */
static void dmam_release(struct device *dev, void *res)
{
	struct dma_devres *this = res;

	dma_free_attrs(dev, this->size, this->vaddr, this->dma_handle, this->attrs);
}

static int dmam_match(struct device *dev, void *res, void *match_data)
{
	struct dma_devres *this = res, *match = match_data;

	(void)dev;
	if (this->vaddr == match->vaddr) {
		WARN_ON(this->size != match->size || this->dma_handle != match->dma_handle);
		return 1;
	}
	return 0;
}

/**
 * dmam_alloc_attrs - dma_alloc_attrs() freed automatically when the driver detaches
 * @dev: the device
 * @size: bytes
 * @dma_handle: receives the bus address
 * @gfp: allocation flags
 * @attrs: DMA_ATTR_* flags
 *
 * Return: the memory, or NULL.
 */
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs)
{
	struct dma_devres *dr;
	void *vaddr;

	if (ukmem__devres_dev_bad(dev))
		return NULL;
	dr = devres_alloc(dmam_release, sizeof(*dr), gfp);
	if (!dr)
		return NULL;
	vaddr = dma_alloc_attrs(dev, size, dma_handle, gfp, attrs);
	if (!vaddr) {
		devres_free(dr);
		return NULL;
	}
	*dr = (struct dma_devres){ size, vaddr, *dma_handle, attrs };
	devres_add(dev, dr);
	return vaddr;
}

/**
 * dmam_free_coherent - free managed coherent memory now
 * @dev: the device
 * @size: the size allocated
 * @vaddr: the memory
 * @dma_handle: its bus address
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct dma_devres match_data = { size, vaddr, dma_handle, 0 };

	WARN_ON(devres_destroy(dev, dmam_release, dmam_match, &match_data));
	dma_free_coherent(dev, size, vaddr, dma_handle);
}

/* ---- the device side ---- */
static int device_access(struct device *dev, dma_addr_t addr, void *buf, size_t len, bool write)
{
	u64 reach;

	ukmem__ensure_started();
	if (IS_ERR_OR_NULL(dev) || (!buf && len))
		return -EINVAL;
	if (!len)
		return 0;
	reach = max(dev->dma_mask ? *dev->dma_mask : 0, dev->coherent_dma_mask);
	if (addr + len - 1 < addr || addr + len - 1 > reach)
		return -EIO;
	if (!phys_is_ram(addr, len))
		return -EFAULT;
	if (ukmem__dma_debug_on() && !ukmem__dma_debug_device_access(dev, addr, len, write))
		return -EFAULT;
	if (write)
		memcpy(phys_to_virt(addr), buf, len);
	else
		memcpy(buf, phys_to_virt(addr), len);
	return 0;
}

/**
 * ukmem_dma_read - an emulated device reads memory by bus address
 * @dev: the device
 * @addr: the bus address (from a map or a coherent allocation of @dev)
 * @buf: receives the bytes
 * @len: bytes
 *
 * Return: 0; -EINVAL for bad arguments; -EIO beyond the device's masks; -EFAULT when the
 * range is not RAM or, with DMA-API debugging, not mapped for @dev to read (reported).
 */
int ukmem_dma_read(struct device *dev, dma_addr_t addr, void *buf, size_t len)
{
	return device_access(dev, addr, buf, len, false);
}

/**
 * ukmem_dma_write - an emulated device writes memory by bus address
 * @dev: the device
 * @addr: the bus address
 * @buf: the bytes
 * @len: bytes
 *
 * Return: as ukmem_dma_read(); with debugging, the range must be mapped for the device to
 * write (DMA_FROM_DEVICE, DMA_BIDIRECTIONAL or coherent).
 */
int ukmem_dma_write(struct device *dev, dma_addr_t addr, const void *buf, size_t len)
{
	return device_access(dev, addr, (void *)buf, len, true);
}
