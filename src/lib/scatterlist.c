/* SPDX-License-Identifier: MIT */
/*
 * Scatter-gather lists (lib/scatterlist.c's semantics): walking chained lists, allocating and
 * freeing chained tables, building a table from an array of pages (merging physically
 * contiguous pages), and copying between a list and a linear buffer.
 *
 * Invariants of a table from sg_alloc_table(nents): arrays of SG_MAX_SINGLE_ALLOC entries
 * (one page, from the page allocator) except the last (kmalloc'd, exactly what is left);
 * every full array's last entry is a chain link to the next, so the table holds nents
 * usable entries, the last one marked SG_END.  orig_nents counts the usable entries, and
 * sg_free_table walks the same shape to free them.
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
 * @nents: its entries
 */
void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
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

/**
 * sg_free_table - free a table from sg_alloc_table() or sg_alloc_table_from_pages()
 * @table: the table; its list pointer is cleared
 */
void sg_free_table(struct sg_table *table)
{
	struct scatterlist *sgl = table->sgl, *next;
	unsigned int left = table->orig_nents;

	if (unlikely(!sgl))
		return;
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
	table->sgl = NULL;
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
