/* SPDX-License-Identifier: MIT */
/*
 * References to the pages of a vmalloc area held outside it.  A driver may take a reference
 * on a page of its buffer (get_page on vmalloc_to_page) and keep the page past vfree, as in
 * 6.1: the page must stay its holder's, never the page of the next vmalloc area of that
 * size (which a lazily kept area would hand out).  And the last reference of a page the
 * area still maps, dropped by __free_pages or put_page, is refused with a warning: the area
 * would go on mapping a page that the next allocation is given.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

#define OTHERS	64

/* The page outlives the area; the areas after it never map it. */
static void test_page_kept_past_vfree(void)
{
	char *v = vmalloc(PAGE_SIZE), *w[OTHERS];
	struct page *page;

	KT_ASSERT(v);
	page = vmalloc_to_page(v);
	get_page(page);
	KT_EQ(page_ref_count(page), 2);
	memset(v, 'A', PAGE_SIZE);
	vfree(v);
	KT_EQ(page_ref_count(page), 1);		/* the driver's reference alone */

	/* Enough frees after it that a lazily kept area of one page would be reused. */
	for (int i = 0; i < OTHERS; i++)
		KT_ASSERT((w[i] = vmalloc(PAGE_SIZE)) != NULL);
	for (int i = 0; i < OTHERS; i++)
		vfree(w[i]);
	for (int i = 0; i < OTHERS; i++) {
		KT_ASSERT((w[i] = vmalloc(PAGE_SIZE)) != NULL);
		KT_ASSERT(vmalloc_to_page(w[i]) != page);
		memset(w[i], 'B', PAGE_SIZE);
	}
	KT_ASSERT(memchr_inv(page_address(page), 'A', PAGE_SIZE) == NULL);
	for (int i = 0; i < OTHERS; i++)
		vfree(w[i]);

	put_page(page);				/* the last reference: the page is freed */
	KT_EQ(page_ref_count(page), 0);
}

/* A reference taken and dropped while the area lives changes nothing. */
static void test_balanced_refs(void)
{
	char *v = vmalloc(4 * PAGE_SIZE), *out;
	struct page *page;

	KT_ASSERT(v);
	page = vmalloc_to_page(v + PAGE_SIZE);
	kt_capture_begin();
	get_page(page);
	put_page(page);
	get_page(page);
	__free_pages(page, 0);			/* not the last reference: allowed */
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	free(out);
	KT_EQ(page_ref_count(page), 1);
	memset(v, 1, 4 * PAGE_SIZE);
	vfree(v);
}

/* The area's own reference, dropped by someone else: refused, the area intact. */
static void test_last_ref_refused(void)
{
	char *v = vmalloc(2 * PAGE_SIZE), *out;
	struct page *page;

	KT_ASSERT(v);
	memset(v, 'C', 2 * PAGE_SIZE);
	page = vmalloc_to_page(v);

	kt_capture_begin();
	__free_pages(page, 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "is mapped by a vmalloc area: vfree() of the area frees it; left allocated");
	KT_CONTAINS(out, "WARNING: CPU:");
	free(out);

	kt_capture_begin();
	put_page(page);
	out = kt_capture_end();
	KT_CONTAINS(out, "is mapped by a vmalloc area");
	free(out);

	KT_EQ(page_ref_count(page), 1);		/* still the area's */
	KT_ASSERT(memchr_inv(v, 'C', 2 * PAGE_SIZE) == NULL);

	kt_capture_begin();
	vfree(v);				/* frees it, with no bad-page report */
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "Bad page state");
	free(out);
}

int main(void)
{
	test_page_kept_past_vfree();
	test_balanced_refs();
	test_last_ref_refused();
	KT_EQ(ukmem_report_count(), 2);			/* the two refusals */
	KT_EQ(ukmem_exit(), 2);				/* and no leak at exit */
	printf("test_vmalloc_page_refs: ok\n");
	return 0;
}
