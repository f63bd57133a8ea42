/* SPDX-License-Identifier: MIT */
/*
 * Scatter-gather lists (lib/scatterlist.c's semantics): walking chained lists, allocating and
 * freeing chained tables, building a table from an array of pages (merging physically
 * contiguous pages) at once or in steps (append tables), page iterators over the CPU and the
 * DMA side, the mapping iterator, and copying between a list and a linear buffer.
 *
 * Invariants of a table from sg_alloc_table(nents): arrays of SG_MAX_SINGLE_ALLOC entries
 * (one page, from the page allocator) except the last (kmalloc'd, exactly what is left);
 * every full array's last entry is a chain link to the next, so the table holds nents
 * usable entries, the last one marked SG_END.  orig_nents counts the usable entries, and
 * sg_free_table walks the same shape to free them.  An append table has the same shape
 * except that its arrays may hold unused entries past the end mark: total_nents counts
 * every allocated entry (links excepted) and is what sg_free_append_table walks.
 *
 * The mapping iterator maps nothing (every page is in the direct map) but keeps the
 * kernel's context: SG_MITER_ATOMIC holds preemption off while a piece is held, as
 * kmap_atomic, so sleeping there is reported; without it sg_miter_next may sleep.
 *
 * No locking: a list belongs to its caller.
 */
#include <errno.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include "core/core.h"

/**
 * sg_next - the entry after @sg, following chain links
 * @sg: an entry
 *
 * Return: the next entry, or NULL after the last one.
 */
struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (unlikely(sg_is_chain(sg)))
		sg = sg_chain_ptr(sg);
	return sg;
}

/**
 * sg_nents - entries in a list
 * @sg: the first entry
 *
 * Return: the number of entries up to and including the one marked last.
 */
int sg_nents(struct scatterlist *sg)
{
	int nents;

	for (nents = 0; sg; sg = sg_next(sg))
		nents++;
	return nents;
}

/**
 * sg_nents_for_len - entries needed to cover @len bytes
 * @sg: the first entry
 * @len: bytes
 *
 * Return: the count, 0 for @len 0, or -EINVAL when the whole list is shorter than @len.
 */
int sg_nents_for_len(struct scatterlist *sg, u64 len)
{
	u64 total = 0;
	int nents;

	if (!len)
		return 0;
	for (nents = 0; sg; sg = sg_next(sg)) {
		nents++;
		total += sg->length;
		if (total >= len)
			return nents;
	}
	return -EINVAL;
}

/**
 * sg_last - the last of @nents entries
 * @s: the first entry
 * @nents: entries in the list
 *
 * Return: the last entry.
 */
struct scatterlist *sg_last(struct scatterlist *s, unsigned int nents)
{
	struct scatterlist *sg, *ret = NULL;
	unsigned int i;

	for_each_sg(s, sg, nents, i)
		ret = sg;
	BUG_ON(!sg_is_last(ret));
	return ret;
}

/**
 * sg_init_table - clear an array of entries and mark its end
 * @sgl: the array
 * @nents: its entries; 0 is a WARNING and changes nothing (6.1 marks the entry before the
 *	array, which is no entry: there it writes outside the array)
 */
void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	if (WARN(!nents, "sg_init_table(%px, 0): no entry to mark as the end; nothing done\n",
		 sgl))
		return;
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_init_marker(sgl, nents);
}

/**
 * sg_init_one - a one-entry list for a buffer
 * @sg: the entry
 * @buf: the buffer (in the direct map)
 * @buflen: its bytes
 */
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

static struct scatterlist *sg_array_alloc(unsigned int nents, gfp_t gfp)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		return (struct scatterlist *)__get_free_page(gfp);
	return kmalloc_array(nents, sizeof(struct scatterlist), gfp);
}

static void sg_array_free(struct scatterlist *sg, unsigned int nents)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		free_page((unsigned long)sg);
	else
		kfree(sg);
}

/* Frees the arrays of a chained list of @left entries (chain links not counted): every
 * array but the last is SG_MAX_SINGLE_ALLOC entries, its last entry a chain link. */
static void free_chained(struct scatterlist *sgl, unsigned int left)
{
	struct scatterlist *next;

	while (left) {
		unsigned int size = left, used = left;

		next = NULL;
		if (size > SG_MAX_SINGLE_ALLOC) {
			size = SG_MAX_SINGLE_ALLOC;
			used = size - 1;
			next = sg_chain_ptr(&sgl[size - 1]);
		}
		left -= used;
		sg_array_free(sgl, size);
		sgl = next;
	}
}

/**
 * sg_free_table - free a table from sg_alloc_table() or sg_alloc_table_from_pages()
 * @table: the table; its list pointer is cleared
 */
void sg_free_table(struct sg_table *table)
{
	if (unlikely(!table->sgl))
		return;
	free_chained(table->sgl, table->orig_nents);
	table->sgl = NULL;
}

/**
 * sg_free_append_table - free a table from sg_alloc_append_table_from_pages()
 * @sgt_append: the table (also after a failed call); its list pointer is cleared
 */
void sg_free_append_table(struct sg_append_table *sgt_append)
{
	if (unlikely(!sgt_append->sgt.sgl))
		return;
	free_chained(sgt_append->sgt.sgl, sgt_append->total_nents);
	sgt_append->sgt.sgl = NULL;
}

/**
 * sg_alloc_table - allocate a (chained) table of @nents entries
 * @table: receives the list
 * @nents: usable entries wanted
 * @gfp_mask: allocation flags
 *
 * Return: 0; -EINVAL for @nents 0; -ENOMEM (with nothing left allocated) when memory runs
 * out.
 */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask)
{
	struct scatterlist *prev = NULL;
	unsigned int left = nents;

	memset(table, 0, sizeof(*table));
	if (nents == 0)
		return -EINVAL;
	while (left) {
		unsigned int size = left, used = left;
		struct scatterlist *sg;

		if (size > SG_MAX_SINGLE_ALLOC) {
			size = SG_MAX_SINGLE_ALLOC;
			used = size - 1;
		}
		sg = sg_array_alloc(size, gfp_mask);
		if (!sg) {
			/* Count the chain link so that sg_free_table frees the last array too. */
			if (prev)
				table->nents = ++table->orig_nents;
			sg_free_table(table);
			return -ENOMEM;
		}
		sg_init_table(sg, size);
		table->nents = table->orig_nents += used;
		if (prev)
			sg_chain(prev, SG_MAX_SINGLE_ALLOC, sg);
		else
			table->sgl = sg;
		left -= used;
		if (!left)
			sg_mark_end(&sg[used - 1]);
		prev = sg;
	}
	return 0;
}

/* Pages [i, n) that continue pages[i] physically, up to @max_segment bytes; at least 1. */
static unsigned int contiguous_run(struct page **pages, unsigned int i, unsigned int n,
				   unsigned long max_segment)
{
	unsigned int j = i + 1;

	while (j < n && page_to_pfn(pages[j]) == page_to_pfn(pages[j - 1]) + 1 &&
	       (unsigned long)(j - i + 1) * PAGE_SIZE <= max_segment)
		j++;
	return j - i;
}

/**
 * sg_alloc_table_from_pages_segment - a table over an array of pages
 * @sgt: receives the table
 * @pages: the pages
 * @n_pages: how many
 * @offset: where the data starts in the first page
 * @size: bytes of data
 * @max_segment: the longest entry (rounded down to pages; at least PAGE_SIZE)
 * @gfp_mask: allocation flags
 *
 * Physically contiguous neighbours share an entry, up to @max_segment bytes.
 * Return: 0, -EINVAL for a bad @max_segment or no pages, or -ENOMEM.
 */
int sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size, unsigned int max_segment,
				      gfp_t gfp_mask)
{
	unsigned long max_seg = ALIGN_DOWN((unsigned long)max_segment, PAGE_SIZE);
	unsigned int chunks = 0, i;
	struct scatterlist *sg;
	int ret;

	if (WARN_ON(max_seg < PAGE_SIZE))
		return -EINVAL;
	if (!n_pages)
		return -EINVAL;
	for (i = 0; i < n_pages; i += contiguous_run(pages, i, n_pages, max_seg))
		chunks++;
	ret = sg_alloc_table(sgt, chunks, gfp_mask);
	if (unlikely(ret))
		return ret;
	sg = sgt->sgl;
	for (i = 0; i < n_pages && sg; sg = sg_next(sg)) {
		unsigned int run = contiguous_run(pages, i, n_pages, max_seg);
		unsigned long len = min((unsigned long)run * PAGE_SIZE - offset, size);

		sg_set_page(sg, pages[i], len, offset);
		size -= len;
		offset = 0;
		i += run;
	}
	return 0;
}

/* ---- tables built in several calls ---- */

/*
 * The entry to fill after @cur (the first one when @cur is NULL), with @needed entries
 * still to come this call and later ones: the next free entry of the current array, unless
 * it is the array's last and more than one is needed, in which case a new array of up to
 * SG_MAX_SINGLE_ALLOC entries is chained there.
 */
static struct scatterlist *append_next(struct sg_append_table *t, struct scatterlist *cur,
				       unsigned long needed, gfp_t gfp)
{
	struct scatterlist *next = NULL, *sg;
	unsigned int size;

	if (cur) {
		next = sg_next(cur);
		if (!sg_is_last(next) || needed == 1)
			return next;
	}
	size = min_t(unsigned long, needed, SG_MAX_SINGLE_ALLOC);
	sg = sg_array_alloc(size, gfp);
	if (!sg)
		return NULL;
	sg_init_table(sg, size);
	if (cur) {
		__sg_chain(next, sg);
		t->total_nents += size - 1;
	} else {
		t->sgt.sgl = sg;
		t->total_nents = size;
	}
	return sg;
}

/**
 * sg_alloc_append_table_from_pages - add an array of pages to a table built in steps
 * @sgt_append: the table; zeroed before the first call
 * @pages: the pages
 * @n_pages: how many
 * @offset: where the data starts in the first page (0 after the first call)
 * @size: bytes of data in the new entries
 * @max_segment: the longest entry (rounded down to pages; at least PAGE_SIZE)
 * @left_pages: pages later calls will add (0 on the last call, which marks the end)
 * @gfp_mask: allocation flags
 *
 * Pages that continue the table's last entry physically are merged into it (a whole page
 * each), then physically contiguous neighbours share an entry, up to @max_segment bytes.
 * Arrays are allocated for the entries this call needs plus @left_pages, and chained.
 * Return: 0; -EINVAL (with a warning) for a bad @max_segment or an @offset after the first
 * call, or no pages at all; -ENOMEM, with the last entry as it was.  After a failure the
 * caller frees the table with sg_free_append_table().
 */
int sg_alloc_append_table_from_pages(struct sg_append_table *sgt_append, struct page **pages,
				     unsigned int n_pages, unsigned int offset,
				     unsigned long size, unsigned int max_segment,
				     unsigned int left_pages, gfp_t gfp_mask)
{
	unsigned long max_seg = ALIGN_DOWN((unsigned long)max_segment, PAGE_SIZE);
	struct scatterlist *prv = sgt_append->prv, *sg = prv;
	unsigned int prv_len = 0, chunks = 0, added = 0, i;

	if (WARN_ON(max_seg < PAGE_SIZE))
		return -EINVAL;
	if (prv) {
		unsigned long next_pfn = (page_to_phys(sg_page(prv)) + prv->offset +
					  prv->length) >> PAGE_SHIFT;

		if (WARN_ON(offset))
			return -EINVAL;
		prv_len = prv->length;
		while (n_pages && page_to_pfn(pages[0]) == next_pfn &&
		       prv->length + PAGE_SIZE <= max_seg) {
			prv->length += PAGE_SIZE;
			next_pfn++;
			pages++;
			n_pages--;
		}
		if (!n_pages)
			goto out;
	} else if (!n_pages) {
		return -EINVAL;
	}
	for (i = 0; i < n_pages; i += contiguous_run(pages, i, n_pages, max_seg))
		chunks++;
	for (i = 0; i < n_pages; ) {
		unsigned int run = contiguous_run(pages, i, n_pages, max_seg);
		unsigned long len = ((unsigned long)run << PAGE_SHIFT) - offset;

		sg = append_next(sgt_append, sg, (unsigned long)chunks - added + left_pages,
				 gfp_mask);
		if (!sg) {
			if (prv)
				prv->length = prv_len;
			return -ENOMEM;
		}
		sg_set_page(sg, pages[i], min(size, len), offset);
		added++;
		size -= min(size, len);
		offset = 0;
		i += run;
	}
	sgt_append->sgt.nents += added;
	sgt_append->sgt.orig_nents = sgt_append->sgt.nents;
	sgt_append->prv = sg;
out:
	if (!left_pages)
		sg_mark_end(sg);
	return 0;
}

/* ---- iterators ---- */

/**
 * __sg_page_iter_start - set up a page iterator (for_each_sg_page does it)
 * @piter: the iterator
 * @sglist: the list
 * @nents: its entries
 * @pgoffset: pages of the list to skip
 */
void __sg_page_iter_start(struct sg_page_iter *piter, struct scatterlist *sglist,
			  unsigned int nents, unsigned long pgoffset)
{
	piter->sg = sglist;
	piter->sg_pgoffset = pgoffset;
	piter->__nents = nents;
	piter->__pg_advance = 0;
}

/* Pages an entry touches, from the start of its first page. */
static unsigned int entry_pages(struct scatterlist *sg, unsigned int len)
{
	return PAGE_ALIGN((unsigned long)sg->offset + len) >> PAGE_SHIFT;
}

static bool page_iter_step(struct sg_page_iter *piter, bool dma)
{
	if (!piter->__nents || !piter->sg)
		return false;
	piter->sg_pgoffset += piter->__pg_advance;
	piter->__pg_advance = 1;
	for (;;) {
		unsigned int n = entry_pages(piter->sg, dma ? sg_dma_len(piter->sg) :
						       piter->sg->length);

		if (piter->sg_pgoffset < n)
			return true;
		piter->sg_pgoffset -= n;
		piter->sg = sg_next(piter->sg);
		if (!--piter->__nents || !piter->sg)
			return false;
	}
}

/**
 * __sg_page_iter_next - step a page iterator to the next page
 * @piter: the iterator
 *
 * Return: true with piter->sg and sg_pgoffset naming the page, false at the end.
 */
bool __sg_page_iter_next(struct sg_page_iter *piter)
{
	return page_iter_step(piter, false);
}

/**
 * __sg_page_iter_dma_next - step a DMA page iterator to the next page of the mapping
 * @dma_iter: the iterator
 *
 * Walks the DMA lengths (sg_dma_len) of a mapped list's first nents entries.
 * Return: true with the page's bus address in sg_page_iter_dma_address(), false at the end.
 */
bool __sg_page_iter_dma_next(struct sg_dma_page_iter *dma_iter)
{
	return page_iter_step(&dma_iter->base, true);
}

/**
 * sg_miter_start - start a mapping iterator
 * @miter: the iterator
 * @sgl: the list
 * @nents: its entries
 * @flags: SG_MITER_TO_SG or SG_MITER_FROM_SG (one is required: a warning), and
 *         SG_MITER_ATOMIC to map as kmap_atomic
 */
void sg_miter_start(struct sg_mapping_iter *miter, struct scatterlist *sgl, unsigned int nents,
		    unsigned int flags)
{
	memset(miter, 0, sizeof(*miter));
	__sg_page_iter_start(&miter->piter, sgl, nents, 0);
	WARN_ON(!(flags & (SG_MITER_TO_SG | SG_MITER_FROM_SG)));
	miter->__flags = flags;
}

/* Moves to the next page with bytes left when the current one is used up. */
static bool miter_next_page(struct sg_mapping_iter *miter)
{
	struct scatterlist *sg;
	unsigned long end;

	if (miter->__remaining)
		return true;
	if (!__sg_page_iter_next(&miter->piter))
		return false;
	sg = miter->piter.sg;
	miter->__offset = miter->piter.sg_pgoffset ? 0 : sg->offset;
	miter->piter.sg_pgoffset += miter->__offset >> PAGE_SHIFT;
	miter->__offset &= PAGE_SIZE - 1;
	end = (unsigned long)sg->offset + sg->length;
	miter->__remaining = min(end - ((unsigned long)miter->piter.sg_pgoffset << PAGE_SHIFT) -
				 miter->__offset, PAGE_SIZE - miter->__offset);
	return true;
}

/**
 * sg_miter_skip - move a mapping iterator @offset bytes on
 * @miter: the iterator (a piece it holds is released first, as sg_miter_stop)
 * @offset: bytes
 *
 * Return: true, or false when the list ends first.
 */
bool sg_miter_skip(struct sg_mapping_iter *miter, off_t offset)
{
	sg_miter_stop(miter);
	while (offset) {
		unsigned int n;

		if (!miter_next_page(miter))
			return false;
		n = (unsigned int)min_t(off_t, offset, miter->__remaining);
		miter->__offset += n;
		miter->__remaining -= n;
		offset -= n;
	}
	return true;
}

/**
 * sg_miter_next - map the next piece
 * @miter: the iterator
 *
 * Releases the current piece (as sg_miter_stop), then maps the rest of the current page or
 * the next page with bytes: page, addr and length describe it, consumed is set to length.
 * With SG_MITER_ATOMIC the caller is in atomic context until the piece is released (as
 * kmap_atomic: preemption off); without it this may sleep.
 *
 * Return: true, or false at the end of the list.
 */
bool sg_miter_next(struct sg_mapping_iter *miter)
{
	sg_miter_stop(miter);
	if (!miter_next_page(miter))
		return false;
	miter->page = sg_page_iter_page(&miter->piter);
	miter->consumed = miter->length = miter->__remaining;
	if (miter->__flags & SG_MITER_ATOMIC)
		preempt_disable();		/* kmap_atomic */
	else
		might_sleep();			/* kmap */
	miter->addr = (char *)page_address(miter->page) + miter->__offset;
	return true;
}

/**
 * sg_miter_stop - release the current piece
 * @miter: the iterator; sg_miter_next() may resume it
 *
 * The next piece starts after the consumed bytes.  Warns when consumed exceeds length.
 */
void sg_miter_stop(struct sg_mapping_iter *miter)
{
	WARN_ON(miter->consumed > miter->length);
	if (!miter->addr)
		return;
	miter->__offset += miter->consumed;
	miter->__remaining -= miter->consumed;
	if (miter->__flags & SG_MITER_ATOMIC)
		preempt_enable();		/* kunmap_atomic */
	miter->page = NULL;
	miter->addr = NULL;
	miter->length = 0;
	miter->consumed = 0;
}

/* Copies between the list's bytes [skip, skip + buflen) and @buf. */
static size_t sg_copy(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen,
		      off_t skip, bool to_buffer, bool zero)
{
	struct scatterlist *sg;
	size_t done = 0;
	unsigned int i;

	for_each_sg(sgl, sg, nents, i) {
		size_t len = sg->length, n;
		char *p = sg_virt(sg);

		if (done >= buflen)
			break;
		if ((size_t)skip >= len) {
			skip -= len;
			continue;
		}
		p += skip;
		len -= skip;
		skip = 0;
		n = min(len, buflen - done);
		if (zero)
			memset(p, 0, n);
		else if (to_buffer)
			memcpy((char *)buf + done, p, n);
		else
			memcpy(p, (char *)buf + done, n);
		done += n;
	}
	return done;
}

/**
 * sg_copy_buffer - copy between a list and a linear buffer
 * @sgl: the list
 * @nents: its entries
 * @buf: the buffer
 * @buflen: bytes to copy at most
 * @skip: bytes of the list to skip first
 * @to_buffer: true copies from the list into @buf
 *
 * Return: bytes copied.
 */
size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen,
		      off_t skip, bool to_buffer)
{
	return sg_copy(sgl, nents, buf, buflen, skip, to_buffer, false);
}

/**
 * sg_copy_from_buffer - copy a linear buffer into a list
 * @sgl: the list
 * @nents: its entries
 * @buf: the source
 * @buflen: bytes
 *
 * Return: bytes copied.
 */
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			   size_t buflen)
{
	return sg_copy(sgl, nents, (void *)buf, buflen, 0, false, false);
}

/**
 * sg_copy_to_buffer - copy a list into a linear buffer
 * @sgl: the list
 * @nents: its entries
 * @buf: the destination
 * @buflen: bytes
 *
 * Return: bytes copied.
 */
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen)
{
	return sg_copy(sgl, nents, buf, buflen, 0, true, false);
}

/**
 * sg_pcopy_from_buffer - copy a linear buffer into a list, from byte @skip of the list
 * @sgl: the list
 * @nents: its entries
 * @buf: the source
 * @buflen: bytes
 * @skip: bytes of the list to skip
 *
 * Return: bytes copied.
 */
size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			    size_t buflen, off_t skip)
{
	return sg_copy(sgl, nents, (void *)buf, buflen, skip, false, false);
}

/**
 * sg_pcopy_to_buffer - copy a list from byte @skip into a linear buffer
 * @sgl: the list
 * @nents: its entries
 * @buf: the destination
 * @buflen: bytes
 * @skip: bytes of the list to skip
 *
 * Return: bytes copied.
 */
size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
			  size_t buflen, off_t skip)
{
	return sg_copy(sgl, nents, buf, buflen, skip, true, false);
}

/**
 * sg_zero_buffer - zero part of a list
 * @sgl: the list
 * @nents: its entries
 * @buflen: bytes to zero
 * @skip: bytes of the list to skip
 *
 * Return: bytes zeroed.
 */
size_t sg_zero_buffer(struct scatterlist *sgl, unsigned int nents, size_t buflen, off_t skip)
{
	return sg_copy(sgl, nents, NULL, buflen, skip, false, true);
}
