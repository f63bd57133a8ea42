/* SPDX-License-Identifier: MIT */
/*
 * Scatterlists: the page_link encoding, one-entry lists, chained tables of every size around
 * the one-page array boundary (walked with sg_next and for_each_sg, counted by sg_nents),
 * tables from page arrays that merge physically contiguous pages and honour max_segment,
 * and copies between lists and linear buffers, with skip; sg_init_table of no entries.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static void encoding(void)
{
	struct scatterlist sg[3];
	char *buf = kmalloc(5000, GFP_KERNEL);

	KT_EQ(sizeof(struct scatterlist), 32);
	KT_EQ(SG_MAX_SINGLE_ALLOC, 128);
	sg_init_table(sg, 3);
	KT_ASSERT(sg_is_last(&sg[2]) && !sg_is_last(&sg[1]));
	sg_set_buf(&sg[0], buf + 100, 4000);
	KT_ASSERT(sg_page(&sg[0]) == virt_to_page(buf + 100));
	KT_EQ(sg[0].offset, offset_in_page(buf + 100));
	KT_ASSERT(sg_virt(&sg[0]) == buf + 100);
	KT_EQ(sg_phys(&sg[0]), virt_to_phys(buf + 100));
	KT_ASSERT(sg_is_last(&sg[2]));			/* flags survive setting a page */
	sg_set_buf(&sg[2], buf, 10);
	KT_ASSERT(sg_is_last(&sg[2]));
	KT_EQ(sg_nents(sg), 3);
	KT_EQ(sg_nents_for_len(sg, 4000), 1);
	KT_EQ(sg_nents_for_len(sg, 4001), 3);	/* sg[1] is empty */
	KT_EQ(sg_nents_for_len(sg, 1 << 20), -EINVAL);
	KT_ASSERT(sg_last(sg, 3) == &sg[2]);
	sg_init_one(sg, buf, 77);
	KT_EQ(sg_nents(sg), 1);
	KT_EQ(sg->length, 77);
	sg_dma_address(sg) = 0x1234;
	sg_dma_len(sg) = 77;
	KT_EQ(sg->dma_address, 0x1234);
	kfree(buf);
}

static void tables(void)
{
	static const unsigned int sizes[] = { 1, 2, 127, 128, 129, 254, 255, 256, 1000 };

	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct sg_table t;
		struct scatterlist *sg;
		unsigned int i, n = sizes[k];

		KT_EQ(sg_alloc_table(&t, n, GFP_KERNEL), 0);
		KT_EQ(t.nents, n);
		KT_EQ(t.orig_nents, n);
		KT_EQ(sg_nents(t.sgl), n);
		for_each_sgtable_sg(&t, sg, i) {
			KT_ASSERT(!sg_is_chain(sg));
			sg->length = i + 1;	/* every usable entry is distinct memory */
		}
		for_each_sg(t.sgl, sg, n, i)
			KT_EQ(sg->length, i + 1);
		KT_ASSERT(sg_is_last(sg_last(t.sgl, n)));
		sg_free_table(&t);
		KT_ASSERT(t.sgl == NULL);
	}
	{
		struct sg_table t;

		KT_EQ(sg_alloc_table(&t, 0, GFP_KERNEL), -EINVAL);
		sg_free_table(&t);
	}
}

static void from_pages(void)
{
	struct page *block = alloc_pages(GFP_KERNEL, 2);	/* 4 contiguous pages */
	struct page *lone = alloc_page(GFP_KERNEL);
	struct page *pages[6] = { block, block + 1, block + 2, lone, block + 3, lone };
	struct sg_table t;
	struct scatterlist *sg;
	unsigned int i, total = 0;

	KT_EQ(sg_alloc_table_from_pages(&t, pages, 6, 100, 6 * PAGE_SIZE - 200, GFP_KERNEL), 0);
	KT_EQ(t.orig_nents, 4);		/* [0..2] merged, lone, block+3, lone */
	sg = t.sgl;
	KT_ASSERT(sg_page(sg) == block);
	KT_EQ(sg->offset, 100);
	KT_EQ(sg->length, 3 * PAGE_SIZE - 100);
	for_each_sgtable_sg(&t, sg, i)
		total += sg->length;
	KT_EQ(total, 6 * PAGE_SIZE - 200);
	KT_EQ(sg_last(t.sgl, 4)->length, PAGE_SIZE - 100);
	sg_free_table(&t);

	/* max_segment splits a contiguous run */
	KT_EQ(sg_alloc_table_from_pages_segment(&t, pages, 3, 0, 3 * PAGE_SIZE, 2 * PAGE_SIZE + 5,
						GFP_KERNEL), 0);
	KT_EQ(t.orig_nents, 2);
	KT_EQ(t.sgl->length, 2 * PAGE_SIZE);
	sg_free_table(&t);
	__free_pages(block, 2);
	__free_page(lone);
}

static void copies(void)
{
	char *a = kmalloc(3000, GFP_KERNEL), *b = kmalloc(3000, GFP_KERNEL);
	char src[6000], dst[6000];
	struct scatterlist sg[2];

	for (int i = 0; i < 6000; i++)
		src[i] = (char)(i * 7);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, 3000);
	sg_set_buf(&sg[1], b, 3000);
	KT_EQ(sg_copy_from_buffer(sg, 2, src, 6000), 6000);
	KT_EQ(memcmp(a, src, 3000), 0);
	KT_EQ(memcmp(b, src + 3000, 3000), 0);
	memset(dst, 0, sizeof(dst));
	KT_EQ(sg_copy_to_buffer(sg, 2, dst, 10000), 6000);	/* stops at the list's end */
	KT_EQ(memcmp(dst, src, 6000), 0);
	KT_EQ(sg_pcopy_to_buffer(sg, 2, dst, 100, 2950), 100);
	KT_EQ(memcmp(dst, src + 2950, 100), 0);
	KT_EQ(sg_pcopy_from_buffer(sg, 2, "hello", 5, 2998), 5);
	KT_EQ(memcmp(a + 2998, "he", 2), 0);
	KT_EQ(memcmp(b, "llo", 3), 0);
	KT_EQ(sg_zero_buffer(sg, 2, 10, 2995), 10);
	for (int i = 2995; i < 3000; i++)
		KT_EQ(a[i], 0);
	for (int i = 0; i < 5; i++)
		KT_EQ(b[i], 0);
	KT_EQ(b[5], src[3005]);
	KT_EQ(sg_copy_to_buffer(sg, 1, dst, 6000), 3000);	/* nents limits */
	kfree(a);
	kfree(b);
}

/* sg_init_table of no entries is a WARNING and writes nothing (it marked the entry at
 * index UINT_MAX, 128 GiB past the array). */
static void empty_table_child(void *arg)
{
	struct scatterlist sg[2] = { { .page_link = 0x1000, .length = 7 },
				     { .page_link = 0x2000, .length = 9 } };

	KT_EQ(ukmem_init(arg), 0);
	sg_init_table(&sg[1], 0);
	KT_EQ(sg[0].page_link, 0x1000);
	KT_EQ(sg[1].page_link, 0x2000);
	KT_EQ(sg[1].length, 9);
	exit(0);
}

static void empty_table(void)
{
	char *out = kt_child_output(empty_table_child, "");

	KT_CONTAINS(out, ", 0): no entry to mark as the end; nothing done\n");
	KT_CONTAINS(out, "WARNING: ");
	free(out);
}

int main(void)
{
	empty_table();
	encoding();
	tables();
	from_pages();
	copies();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
