/* SPDX-License-Identifier: MIT */
/*
 * Scatterlist iterators and append tables (lib/scatterlist.c's semantics):
 *  - page iterators: every page an entry's offset..offset+length touches, entries whose
 *    offset crosses pages included (their untouched first pages too, as the kernel's),
 *    empty entries skipped, a start page offset, chained tables, a nents limit; the DMA
 *    page iterator over the DMA lengths and addresses of a mapped list's nents entries;
 *  - the mapping iterator: pieces that never cross a page, consumed, skip, stop/resume,
 *    SG_MITER_ATOMIC holding atomic context (sleeping there is reported) and the warnings;
 *  - append tables built in several calls: merging into the last entry, max_segment,
 *    arrays sized from left_pages and chained past SG_MAX_SINGLE_ALLOC, the errors, and a
 *    fail sweep (every allocation failing in turn frees cleanly).
 */
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

/* ---- page iterators ---- */
static void page_iter(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 3), *one = alloc_pages(GFP_KERNEL, 1);
	struct page *want[] = { blk, blk + 1, blk + 2, one, one + 1, blk + 4, blk + 5 };
	unsigned int want_off[] = { 0, 1, 2, 0, 1, 0, 1 };
	struct scatterlist sg[4];
	struct sg_page_iter piter;
	int n = 0;

	KT_ASSERT(blk && one);
	sg_init_table(sg, 4);
	sg_set_page(&sg[0], blk, 6000, 3000);		/* bytes 3000..8999: pages 0-2 */
	sg_set_page(&sg[1], blk + 7, 0, 0);		/* empty: no page */
	sg_set_page(&sg[2], one, 2, PAGE_SIZE - 1);	/* straddles two pages */
	sg_set_page(&sg[3], blk + 4, 100, 5000);	/* offset past the first page: 2 pages */
	for_each_sg_page(sg, &piter, 4, 0) {
		KT_ASSERT(n < 7);
		KT_ASSERT(sg_page_iter_page(&piter) == want[n]);
		KT_EQ(piter.sg_pgoffset, want_off[n]);
		KT_ASSERT(piter.sg == &sg[n < 3 ? 0 : n < 5 ? 2 : 3]);
		n++;
	}
	KT_EQ(n, 7);

	n = 0;
	for_each_sg_page(sg, &piter, 4, 4) {		/* skip four pages */
		KT_ASSERT(sg_page_iter_page(&piter) == want[4 + n]);
		n++;
	}
	KT_EQ(n, 3);
	n = 0;
	for_each_sg_page(sg, &piter, 2, 0)		/* the first two entries only */
		n++;
	KT_EQ(n, 3);
	for_each_sg_page(sg, &piter, 4, 7)
		KT_FAIL("past the end");
	for_each_sg_page(sg, &piter, 0, 0)
		KT_FAIL("no entries");
	__free_pages(blk, 3);
	__free_pages(one, 1);
}

/* A 200-entry table is two chained arrays; one page per entry, two for the odd ones. */
static void page_iter_chained(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 9);
	struct sg_page_iter piter;
	struct sg_table t;
	struct scatterlist *s;
	unsigned int i, n = 0, pg = 0;

	KT_ASSERT(blk);
	KT_EQ(sg_alloc_table(&t, 200, GFP_KERNEL), 0);
	KT_ASSERT(sg_is_chain(&t.sgl[SG_MAX_SINGLE_ALLOC - 1]));
	for_each_sgtable_sg(&t, s, i) {
		sg_set_page(s, blk + pg, i % 2 ? PAGE_SIZE + 1 : PAGE_SIZE, 0);
		pg += 1 + i % 2;
	}
	KT_ASSERT(sg_is_last(sg_last(t.sgl, t.orig_nents)));
	for_each_sgtable_page(&t, &piter, 0) {
		KT_ASSERT(sg_page_iter_page(&piter) == blk + n);
		n++;
	}
	KT_EQ(n, pg);					/* 300 pages */
	n = 0;
	for_each_sg_page(t.sgl, &piter, 130, 150) {	/* 130 entries hold 195 pages */
		KT_ASSERT(sg_page_iter_page(&piter) == blk + 150 + n);
		n++;
	}
	KT_EQ(n, 45);
	sg_free_table(&t);
	__free_pages(blk, 9);
}

/* The DMA side: sg_dma_len/sg_dma_address of the first nents (mapped) entries. */
static void dma_page_iter(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 3);
	dma_addr_t want[] = { 0x100000, 0x101000, 0x102000, 0x200000, 0x201000 };
	struct sg_dma_page_iter di;
	struct sg_table t;
	int n = 0;

	KT_ASSERT(blk);
	KT_EQ(sg_alloc_table(&t, 3, GFP_KERNEL), 0);
	sg_set_page(&t.sgl[0], blk, 4 * PAGE_SIZE, 0);
	sg_set_page(&t.sgl[1], blk + 4, PAGE_SIZE, 0);
	sg_set_page(&t.sgl[2], blk + 5, PAGE_SIZE, 0);
	/* As an IOMMU merging entries would map them: two DMA segments. */
	sg_dma_address(&t.sgl[0]) = 0x100000;
	sg_dma_len(&t.sgl[0]) = 3 * PAGE_SIZE;
	sg_dma_address(&t.sgl[1]) = 0x200000;
	sg_dma_len(&t.sgl[1]) = PAGE_SIZE + 1;
	t.nents = 2;
	for_each_sgtable_dma_page(&t, &di, 0) {
		KT_ASSERT(n < 5);
		KT_EQ(sg_page_iter_dma_address(&di), want[n]);
		n++;
	}
	KT_EQ(n, 5);
	n = 0;
	for_each_sg_dma_page(t.sgl, &di, t.nents, 3) {
		KT_EQ(sg_page_iter_dma_address(&di), want[3 + n]);
		n++;
	}
	KT_EQ(n, 2);
	sg_free_table(&t);
	__free_pages(blk, 3);
}

/* ---- the mapping iterator ---- */
static void miter(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 2), *one = alloc_page(GFP_KERNEL);
	size_t want[] = { PAGE_SIZE - 3000, PAGE_SIZE, 9000 - 2 * PAGE_SIZE, 50 };
	unsigned char buf[6050], back[6050];
	struct sg_mapping_iter m;
	struct scatterlist sg[2];
	size_t total = 0;
	int n = 0;

	KT_ASSERT(blk && one);
	sg_init_table(sg, 2);
	sg_set_page(&sg[0], blk, 6000, 3000);
	sg_set_page(&sg[1], one, 50, 100);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 1);

	/* Fill the list piece by piece: no piece crosses a page. */
	sg_miter_start(&m, sg, 2, SG_MITER_TO_SG);
	while (sg_miter_next(&m)) {
		KT_ASSERT(n < 4);
		KT_EQ(m.length, want[n]);
		KT_EQ(m.consumed, m.length);
		KT_ASSERT(m.page == (n < 3 ? blk + n : one));
		KT_ASSERT((char *)m.addr == (char *)page_address(m.page) +
			  (n == 0 ? 3000 : n == 3 ? 100 : 0));
		KT_ASSERT(!in_atomic());
		memcpy(m.addr, buf + total, m.length);
		total += m.length;
		n++;
	}
	sg_miter_stop(&m);
	KT_EQ(n, 4);
	KT_EQ(total, sizeof(buf));
	KT_EQ(sg_copy_to_buffer(sg, 2, back, sizeof(back)), sizeof(back));
	KT_ASSERT(!memcmp(back, buf, sizeof(buf)));
	KT_ASSERT(!memcmp((char *)page_address(blk) + 3000, buf, PAGE_SIZE - 3000));

	/* consumed: the next piece starts after what was used. */
	sg_miter_start(&m, sg, 2, SG_MITER_FROM_SG);
	KT_ASSERT(sg_miter_next(&m));
	m.consumed = 10;
	KT_ASSERT(sg_miter_next(&m));
	KT_EQ(m.length, PAGE_SIZE - 3010);
	KT_EQ(((unsigned char *)m.addr)[0], buf[10]);
	/* stop, then resume where it stopped. */
	m.consumed = 6;
	sg_miter_stop(&m);
	KT_ASSERT(m.addr == NULL);
	KT_ASSERT(sg_miter_next(&m));
	KT_EQ(((unsigned char *)m.addr)[0], buf[16]);
	sg_miter_stop(&m);

	/* skip: byte 5000 is in the list's second page, 192 bytes before its end. */
	sg_miter_start(&m, sg, 2, SG_MITER_FROM_SG);
	KT_ASSERT(sg_miter_skip(&m, 5000));
	KT_ASSERT(sg_miter_next(&m));
	KT_ASSERT(m.page == blk + 1);
	KT_EQ(m.length, PAGE_SIZE + (PAGE_SIZE - 3000) - 5000);
	KT_EQ(((unsigned char *)m.addr)[0], buf[5000]);
	KT_ASSERT(sg_miter_skip(&m, (9000 - 2 * PAGE_SIZE) + 49));	/* to the last byte */
	KT_ASSERT(sg_miter_next(&m));
	KT_EQ(m.length, 1);
	KT_EQ(((unsigned char *)m.addr)[0], buf[6049]);
	KT_ASSERT(!sg_miter_next(&m));
	sg_miter_stop(&m);
	sg_miter_start(&m, sg, 2, SG_MITER_FROM_SG);
	KT_ASSERT(!sg_miter_skip(&m, sizeof(buf) + 1));	/* past the end */
	sg_miter_stop(&m);

	__free_pages(blk, 2);
	__free_page(one);
}

static noinline void atomic_piece(struct scatterlist *sg, gfp_t gfp)
{
	struct sg_mapping_iter m;
	void *p;

	sg_miter_start(&m, sg, 1, SG_MITER_ATOMIC | SG_MITER_TO_SG);
	KT_ASSERT(sg_miter_next(&m));
	KT_ASSERT(in_atomic());			/* kmap_atomic: preemption off */
	p = kmalloc(32, gfp);
	memset(m.addr, 0x5a, m.length);
	KT_ASSERT(!sg_miter_next(&m));		/* releases the piece */
	KT_ASSERT(!in_atomic());
	sg_miter_stop(&m);
	KT_ASSERT(!in_atomic());
	kfree(p);
}

static void miter_atomic(void)
{
	char *buf = kmalloc(64, GFP_KERNEL);
	unsigned long before = ukmem_report_count();
	struct sg_mapping_iter m;
	struct scatterlist sg;
	char *out;

	sg_init_one(&sg, buf, 64);
	kt_capture_begin();
	atomic_piece(&sg, GFP_ATOMIC);		/* allowed in atomic context */
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	KT_EQ(ukmem_report_count(), before);
	KT_EQ(buf[63], 0x5a);
	free(out);

	kt_capture_begin();
	atomic_piece(&sg, GFP_KERNEL);		/* sleeping under kmap_atomic */
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at ");
	KT_CONTAINS(out, "preempt_count: 1, expected: 0\n");
	KT_CONTAINS(out, "Preemption disabled at:\n[<");
	KT_CONTAINS(out, "] sg_miter_next+");		/* kmap_atomic's place */
	KT_CONTAINS(out, " atomic_piece+");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);

	/* Neither direction given, and consumed past length: the kernel's warnings. */
	kt_capture_begin();
	sg_miter_start(&m, &sg, 1, 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, "sg_miter_start");
	free(out);
	sg_miter_start(&m, &sg, 1, SG_MITER_FROM_SG);
	KT_ASSERT(sg_miter_next(&m));
	m.consumed = m.length + 1;
	kt_capture_begin();
	sg_miter_stop(&m);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, "sg_miter_stop");
	free(out);
	kfree(buf);
}

/* ---- append tables ---- */
static void append(void)
{
	struct page *blk = alloc_pages(GFP_KERNEL, 4);
	struct page *a = blk, *b = blk + 8, *c = blk + 14;	/* gaps between them */
	struct sg_append_table t = { 0 };
	struct page *p[4];
	char *out;

	KT_ASSERT(blk);
	/* Call 1: two contiguous pages, from byte 100, six pages to come. */
	p[0] = a;
	p[1] = a + 1;
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 2, 100, 2 * PAGE_SIZE - 100, UINT_MAX, 6,
					       GFP_KERNEL), 0);
	KT_EQ(t.sgt.nents, 1);
	KT_EQ(t.total_nents, 7);			/* 1 needed + 6 to come */
	KT_ASSERT(t.prv == t.sgt.sgl);
	KT_EQ(t.prv->offset, 100);
	KT_EQ(t.prv->length, 2 * PAGE_SIZE - 100);
	KT_ASSERT(!sg_is_last(t.prv));
	/* Call 2: a2 and a3 continue the last entry (merged), b0 b1 are a new one. */
	p[0] = a + 2;
	p[1] = a + 3;
	p[2] = b;
	p[3] = b + 1;
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 4, 0, 2 * PAGE_SIZE, UINT_MAX, 2,
					       GFP_KERNEL), 0);
	KT_EQ(t.sgt.nents, 2);
	KT_EQ(t.sgt.sgl[0].length, 4 * PAGE_SIZE - 100);
	KT_ASSERT(sg_page(&t.sgt.sgl[1]) == b);
	KT_EQ(t.sgt.sgl[1].length, 2 * PAGE_SIZE);
	/* An offset after the first call is refused. */
	kt_capture_begin();
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 1, 8, PAGE_SIZE, UINT_MAX, 2, GFP_KERNEL),
	      -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	free(out);
	/* Call 3, the last: c is not contiguous, b2 is but does not follow c. */
	p[0] = c;
	p[1] = b + 2;
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 2, 0, 2 * PAGE_SIZE, UINT_MAX, 0,
					       GFP_KERNEL), 0);
	KT_EQ(t.sgt.nents, 4);
	KT_EQ(t.sgt.orig_nents, 4);
	KT_EQ(t.total_nents, 7);
	KT_EQ(sg_nents(t.sgt.sgl), 4);			/* the end is marked */
	KT_ASSERT(sg_is_last(t.prv) && t.prv == &t.sgt.sgl[3]);
	KT_ASSERT(sg_page(&t.sgt.sgl[2]) == c && sg_page(&t.sgt.sgl[3]) == b + 2);
	sg_free_append_table(&t);
	KT_ASSERT(t.sgt.sgl == NULL);

	/* max_segment: two pages per entry at most, also when merging. */
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < 4; i++)
		p[i] = a + i;
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 3, 0, 3 * PAGE_SIZE, 2 * PAGE_SIZE + 5, 1,
					       GFP_KERNEL), 0);
	KT_EQ(t.sgt.nents, 2);
	KT_EQ(t.sgt.sgl[0].length, 2 * PAGE_SIZE);
	KT_EQ(t.sgt.sgl[1].length, PAGE_SIZE);
	KT_EQ(sg_alloc_append_table_from_pages(&t, p + 3, 1, 0, PAGE_SIZE, 2 * PAGE_SIZE, 0,
					       GFP_KERNEL), 0);
	KT_EQ(t.sgt.nents, 2);				/* merged into the second entry */
	KT_EQ(t.sgt.sgl[1].length, 2 * PAGE_SIZE);
	KT_ASSERT(sg_is_last(&t.sgt.sgl[1]));
	sg_free_append_table(&t);

	/* Bad arguments. */
	memset(&t, 0, sizeof(t));
	kt_capture_begin();
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 1, 0, PAGE_SIZE, PAGE_SIZE - 1, 0,
					       GFP_KERNEL), -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	free(out);
	KT_EQ(sg_alloc_append_table_from_pages(&t, p, 0, 0, 0, UINT_MAX, 0, GFP_KERNEL), -EINVAL);
	KT_ASSERT(t.sgt.sgl == NULL);
	sg_free_append_table(&t);			/* nothing to free */

	__free_pages(blk, 4);
}

/* 300 scattered pages in three calls: three chained arrays; the pages come back in order. */
static struct page *scattered;

static int append_300(void *arg)
{
	struct sg_append_table t = { 0 };
	struct page *p[100];
	struct scatterlist *s;
	unsigned int i;
	int err = 0;

	(void)arg;
	for (int call = 0; call < 3 && !err; call++) {
		for (i = 0; i < 100; i++)
			p[i] = scattered + 2 * (100 * call + i);
		err = sg_alloc_append_table_from_pages(&t, p, 100, 0, 100 * PAGE_SIZE, UINT_MAX,
						       200 - 100 * call, GFP_KERNEL);
	}
	if (!err) {
		KT_EQ(t.sgt.nents, 300);
		KT_EQ(sg_nents(t.sgt.sgl), 300);
		for_each_sgtable_sg(&t.sgt, s, i)
			KT_ASSERT(sg_page(s) == scattered + 2 * i && s->length == PAGE_SIZE);
		KT_ASSERT(sg_is_chain(&t.sgt.sgl[SG_MAX_SINGLE_ALLOC - 1]));
	}
	sg_free_append_table(&t);			/* also after a failure */
	return err;
}

static void append_chained(void)
{
	char *out;

	scattered = alloc_pages(GFP_KERNEL, 10);
	KT_ASSERT(scattered);
	KT_EQ(append_300(NULL), 0);
	kt_capture_begin();
	KT_EQ(ukmem_fail_sweep(append_300, NULL), 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem_fail_sweep: 4 runs, 0 leaked");	/* three arrays: 3 points */
	free(out);
	__free_pages(scattered, 10);
}

int main(void)
{
	page_iter();
	page_iter_chained();
	dma_page_iter();
	miter();
	miter_atomic();
	append();
	append_chained();
	KT_EQ(ukmem_exit(), 5);		/* the sleeping-in-atomic report and four warnings */
	return 0;
}
