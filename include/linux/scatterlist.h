/* SPDX-License-Identifier: MIT */
/*
 * <linux/scatterlist.h>: scatter-gather lists, with the kernel's layout and encoding:
 * page_link holds the struct page pointer, with bit 0 (SG_CHAIN) marking an entry that
 * points to the next array instead of a page and bit 1 (SG_END) the last entry.  Tables from
 * sg_alloc_table are chained arrays of at most SG_MAX_SINGLE_ALLOC entries (one page).
 * Every page is in the direct map, so sg_virt() is valid for the whole of an entry.
 */
#ifndef _UKMEM_LINUX_SCATTERLIST_H
#define _UKMEM_LINUX_SCATTERLIST_H
#include <linux/types.h>
#include <linux/bug.h>
#include <linux/mm.h>

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;	/* CONFIG_NEED_SG_DMA_LENGTH, as x86-64 */
};

struct sg_table {
	struct scatterlist *sgl;	/* the list */
	unsigned int nents;		/* entries after DMA mapping */
	unsigned int orig_nents;	/* entries of the list */
};

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

#define SG_CHAIN	0x01UL
#define SG_END		0x02UL
#define SG_PAGE_LINK_MASK	(SG_CHAIN | SG_END)
#define SG_MAX_SINGLE_ALLOC	(PAGE_SIZE / sizeof(struct scatterlist))
#define SG_CHUNK_SIZE		128

static inline unsigned int __sg_flags(struct scatterlist *sg)
{
	return sg->page_link & SG_PAGE_LINK_MASK;
}
static inline struct scatterlist *sg_chain_ptr(struct scatterlist *sg)
{
	return (struct scatterlist *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}
static inline bool sg_is_chain(struct scatterlist *sg) { return __sg_flags(sg) & SG_CHAIN; }
static inline bool sg_is_last(struct scatterlist *sg) { return __sg_flags(sg) & SG_END; }

static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	unsigned long page_link = sg->page_link & SG_PAGE_LINK_MASK;

	BUG_ON((unsigned long)page & SG_PAGE_LINK_MASK);
	sg->page_link = page_link | (unsigned long)page;
}
static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
			       unsigned int offset)
{
	sg_assign_page(sg, page);
	sg->offset = offset;
	sg->length = len;
}
static inline struct page *sg_page(struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}
/* @buf must be in the direct map (kmalloc, pages), not vmalloc or the stack. */
static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
}
static inline void __sg_chain(struct scatterlist *chain_sg, struct scatterlist *sgl)
{
	chain_sg->offset = 0;
	chain_sg->length = 0;
	chain_sg->page_link = ((unsigned long)sgl | SG_CHAIN) & ~SG_END;
}
static inline void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
			    struct scatterlist *sgl)
{
	__sg_chain(&prv[prv_nents - 1], sgl);
}
static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link |= SG_END;
	sg->page_link &= ~SG_CHAIN;
}
static inline void sg_unmark_end(struct scatterlist *sg)
{
	sg->page_link &= ~SG_END;
}
static inline dma_addr_t sg_phys(struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}
static inline void *sg_virt(struct scatterlist *sg)
{
	return (char *)page_address(sg_page(sg)) + sg->offset;
}
static inline void sg_init_marker(struct scatterlist *sgl, unsigned int nents)
{
	sg_mark_end(&sgl[nents - 1]);
}

struct scatterlist *sg_next(struct scatterlist *sg);
int sg_nents(struct scatterlist *sg);
int sg_nents_for_len(struct scatterlist *sg, u64 len);
struct scatterlist *sg_last(struct scatterlist *s, unsigned int nents);
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen);
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask);
void sg_free_table(struct sg_table *table);
int sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size, unsigned int max_segment,
				      gfp_t gfp_mask);
static inline int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages,
					    unsigned int n_pages, unsigned int offset,
					    unsigned long size, gfp_t gfp_mask)
{
	return sg_alloc_table_from_pages_segment(sgt, pages, n_pages, offset, size, ~0U,
						 gfp_mask);
}
size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen,
		      off_t skip, bool to_buffer);
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			   size_t buflen);
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen);
size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			    size_t buflen, off_t skip);
size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
			  size_t buflen, off_t skip);
size_t sg_zero_buffer(struct scatterlist *sgl, unsigned int nents, size_t buflen, off_t skip);

#define for_each_sg(sglist, sg, nr, __i) \
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))
#define for_each_sgtable_sg(sgt, sg, i)		for_each_sg((sgt)->sgl, sg, (sgt)->orig_nents, i)
#define for_each_sgtable_dma_sg(sgt, sg, i)	for_each_sg((sgt)->sgl, sg, (sgt)->nents, i)

/*
 * A table built in several calls (sg_alloc_append_table_from_pages): @prv is the last entry
 * filled so far, @total_nents the entries allocated (chain links not counted).  Free it
 * with sg_free_append_table, also after a failed call.
 */
struct sg_append_table {
	struct sg_table sgt;
	struct scatterlist *prv;
	unsigned int total_nents;
};
int sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append, struct page **pages,
				     unsigned int n_pages, unsigned int offset,
				     unsigned long size, unsigned int max_segment,
				     unsigned int left_pages, gfp_t gfp_mask);
void sg_free_append_table(struct sg_append_table *sgt_append);

/*
 * Page iterators: each page an entry's bytes (offset .. offset + length) touch, in order,
 * starting @pgoffset pages into the list.  sg is the entry holding the page and
 * sg_pgoffset the page's index in that entry; the other fields are the iterator's own.
 */
struct sg_page_iter {
	struct scatterlist *sg;
	unsigned int sg_pgoffset;
	unsigned int __nents;		/* entries left, this one included */
	int __pg_advance;		/* pages to step at the next call */
};

/* The same over the DMA side of a mapped list (sg_dma_address, sg_dma_len, nents). */
struct sg_dma_page_iter {
	struct sg_page_iter base;
};

void __sg_page_iter_start(struct sg_page_iter *piter, struct scatterlist *sglist,
			  unsigned int nents, unsigned long pgoffset);
bool __sg_page_iter_next(struct sg_page_iter *piter);
bool __sg_page_iter_dma_next(struct sg_dma_page_iter *dma_iter);

static inline struct page *sg_page_iter_page(struct sg_page_iter *piter)
{
	return sg_page(piter->sg) + piter->sg_pgoffset;
}
static inline dma_addr_t sg_page_iter_dma_address(struct sg_dma_page_iter *dma_iter)
{
	return sg_dma_address(dma_iter->base.sg) +
	       ((dma_addr_t)dma_iter->base.sg_pgoffset << PAGE_SHIFT);
}

#define for_each_sg_page(sglist, piter, nents, pgoffset) \
	for (__sg_page_iter_start((piter), (sglist), (nents), (pgoffset)); \
	     __sg_page_iter_next(piter);)
#define for_each_sg_dma_page(sglist, dma_iter, dma_nents, pgoffset) \
	for (__sg_page_iter_start(&(dma_iter)->base, (sglist), (dma_nents), (pgoffset)); \
	     __sg_page_iter_dma_next(dma_iter);)
#define for_each_sgtable_page(sgt, piter, pgoffset) \
	for_each_sg_page((sgt)->sgl, piter, (sgt)->orig_nents, pgoffset)
#define for_each_sgtable_dma_page(sgt, dma_iter, pgoffset) \
	for_each_sg_dma_page((sgt)->sgl, dma_iter, (sgt)->nents, pgoffset)

/*
 * Mapping iterator: the list's bytes one piece at a time, each piece within one page (addr,
 * length).  A caller that uses less than a piece sets consumed; the next piece starts after
 * it.  SG_MITER_ATOMIC maps as kmap_atomic (no sleeping until the next sg_miter_next or
 * sg_miter_stop), else as kmap (may sleep).  One of SG_MITER_TO_SG / SG_MITER_FROM_SG is
 * required (the direction).
 */
#define SG_MITER_ATOMIC		(1 << 0)
#define SG_MITER_TO_SG		(1 << 1)
#define SG_MITER_FROM_SG	(1 << 2)

struct sg_mapping_iter {
	struct page *page;		/* the page of the piece */
	void *addr;			/* the piece */
	size_t length;			/* its bytes */
	size_t consumed;		/* bytes used of it (length unless set lower) */
	struct sg_page_iter piter;
	unsigned int __offset;		/* in the page */
	unsigned int __remaining;	/* bytes left in the page */
	unsigned int __flags;
};

void sg_miter_start(struct sg_mapping_iter *miter, struct scatterlist *sgl, unsigned int nents,
		    unsigned int flags);
bool sg_miter_skip(struct sg_mapping_iter *miter, off_t offset);
bool sg_miter_next(struct sg_mapping_iter *miter);
void sg_miter_stop(struct sg_mapping_iter *miter);
#endif
