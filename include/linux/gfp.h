/* SPDX-License-Identifier: MIT */
/*
 * <linux/gfp.h>: the page allocator.  Orders 0..MAX_ORDER-1 of physically contiguous pages
 * from the simulated RAM; zones DMA (< 16 MiB), DMA32 (< 4 GiB) and NORMAL.
 */
#ifndef _UKMEM_LINUX_GFP_H
#define _UKMEM_LINUX_GFP_H
#include <linux/gfp_types.h>
#include <linux/mmzone.h>
#include <linux/numa.h>

struct page;

static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, void *nodemask);
static inline struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	(void)nid;		/* one node */
	return alloc_pages(gfp, order);
}
#define __alloc_pages_node(nid, gfp, order)	alloc_pages(gfp, order)
#define alloc_page(gfp)			alloc_pages(gfp, 0)
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
#define __get_free_page(gfp)		__get_free_pages((gfp), 0)
#define __get_dma_pages(gfp, order)	__get_free_pages((gfp) | GFP_DMA, (order))
void *alloc_pages_exact(size_t size, gfp_t gfp);
void free_pages_exact(void *virt, size_t size);
#define alloc_pages_exact_nid(nid, size, gfp) alloc_pages_exact(size, gfp)

void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
#define __free_page(page)		__free_pages((page), 0)
#define free_page(addr)			free_pages((addr), 0)

/* Give this thread's cached order-0 pages back to the buddy (every zone; see page_alloc.c). */
struct zone;
void drain_local_pages(struct zone *zone);
#endif
