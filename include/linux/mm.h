/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm.h>: pages, frames and the direct map.  page_address(virt_to_page(p)) equals
 * p & PAGE_MASK for every address in the direct map.
 */
#ifndef _UKMEM_LINUX_MM_H
#define _UKMEM_LINUX_MM_H
#include <sys/sysinfo.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/page_ref.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/pfn.h>
#include <asm/page.h>

#define mem_map		(__ukmem_memmap.pages)
#define max_pfn		(__ukmem_memmap.nr_pfns)
/* From a frame number or a physical address: may start ukmem (asm/page.h). */
#define pfn_to_page(pfn)	(__ukmem_memmap_get()->pages + (pfn))
#define phys_to_page(phys)	pfn_to_page(PHYS_PFN(phys))
#define pfn_to_virt(pfn)	__va(PFN_PHYS(pfn))
/* A frame of RAM (reserved ones included), not one of the hole [3 GiB, 4 GiB) where devices
 * live: on x86-64 the hole's memory-map sections are absent, so 6.1's pfn_valid() is false
 * there (vmap_pfn() and drivers' mmap handlers tell device memory from RAM by it). */
#define UKMEM_PFN_HOLE_START	((3UL << 30) >> PAGE_SHIFT)
#define UKMEM_PFN_HOLE_END	((4UL << 30) >> PAGE_SHIFT)
#define pfn_valid(pfn) ({ \
	unsigned long __pv_pfn = (pfn); \
	__pv_pfn < __ukmem_memmap_get()->nr_pfns && \
	(__pv_pfn < UKMEM_PFN_HOLE_START || __pv_pfn >= UKMEM_PFN_HOLE_END); })
/* From a struct page or a direct-map address: ukmem has started. */
#define page_to_pfn(page)	((unsigned long)((page) - mem_map))
#define page_to_phys(page)	PFN_PHYS(page_to_pfn(page))
#define virt_to_pfn(kaddr)	PHYS_PFN(__pa(kaddr))
#define virt_to_page(kaddr)	(mem_map + virt_to_pfn(kaddr))
#define page_to_virt(page)	((void *)(page_to_phys(page) + PAGE_OFFSET))
#define lowmem_page_address(page) page_to_virt(page)
#define page_address(page)	lowmem_page_address(page)

/* True for addresses of RAM in the direct map (the holes and reserved frames included). */
bool virt_addr_valid(const volatile void *addr);
bool is_vmalloc_addr(const void *x);
#define is_ioremap_addr(x)	is_vmalloc_addr(x)

#define PAGE_FLAG_TEST(name, bit) \
static inline bool Page##name(const struct page *p) { return (p->flags >> (bit)) & 1; } \
static inline void SetPage##name(struct page *p) { __atomic_fetch_or(&p->flags, 1UL << (bit), __ATOMIC_RELAXED); } \
static inline void ClearPage##name(struct page *p) { __atomic_fetch_and(&p->flags, ~(1UL << (bit)), __ATOMIC_RELAXED); } \
static inline void __SetPage##name(struct page *p) { p->flags |= 1UL << (bit); } \
static inline void __ClearPage##name(struct page *p) { p->flags &= ~(1UL << (bit)); }
PAGE_FLAG_TEST(Reserved, PG_reserved)
PAGE_FLAG_TEST(Slab, PG_slab)
PAGE_FLAG_TEST(Head, PG_head)
PAGE_FLAG_TEST(Private, PG_private)
PAGE_FLAG_TEST(Dirty, PG_dirty)
PAGE_FLAG_TEST(Locked, PG_locked)
PAGE_FLAG_TEST(Uptodate, PG_uptodate)
PAGE_FLAG_TEST(Error, PG_error)
#undef PAGE_FLAG_TEST
static inline bool PageHighMem(const struct page *page) { (void)page; return false; }
static inline bool PageTail(const struct page *page) { return READ_ONCE(page->compound_head) & 1; }
static inline bool PageCompound(const struct page *page) { return PageHead(page) || PageTail(page); }
static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	return (struct page *)(head & 1 ? head - 1 : (unsigned long)page);
}
static inline unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page[1].compound_order : 0;
}
static inline unsigned long compound_nr(const struct page *page)
{
	return 1UL << compound_order(page);
}
static inline unsigned long page_size(const struct page *page)
{
	return PAGE_SIZE << compound_order(page);
}
static inline int page_count(const struct page *page) { return page_ref_count(compound_head(page)); }
/* Zones are fixed physical ranges (DMA < 16 MiB <= DMA32 < 4 GiB <= NORMAL). */
static inline int page_zonenum(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	return pfn < (SZ_16M >> PAGE_SHIFT) ? ZONE_DMA :
	       pfn < (SZ_4G >> PAGE_SHIFT) ? ZONE_DMA32 : ZONE_NORMAL;
}
#define page_private(page)		((page)->private)
#define set_page_private(page, v)	((page)->private = (v))
#define page_to_nid(page)		0
#define virt_to_head_page(x)		compound_head(virt_to_page(x))

void get_page(struct page *page);
void put_page(struct page *page);
bool get_page_unless_zero(struct page *page);
void split_page(struct page *page, unsigned int order);

/* Memory totals, in pages. */
unsigned long totalram_pages(void);
void si_meminfo(struct sysinfo *val);
#endif
