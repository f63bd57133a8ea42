/* SPDX-License-Identifier: MIT */
/* <linux/page_ref.h>: the page reference count. */
#ifndef _UKMEM_LINUX_PAGE_REF_H
#define _UKMEM_LINUX_PAGE_REF_H
#include <linux/atomic.h>
#include <linux/mm_types.h>
static inline int page_ref_count(const struct page *page) { return atomic_read(&page->_refcount); }
static inline void set_page_count(struct page *page, int v) { atomic_set(&page->_refcount, v); }
static inline void init_page_count(struct page *page) { set_page_count(page, 1); }
static inline void page_ref_add(struct page *page, int nr) { atomic_add(nr, &page->_refcount); }
static inline void page_ref_sub(struct page *page, int nr) { atomic_sub(nr, &page->_refcount); }
static inline void page_ref_inc(struct page *page) { atomic_inc(&page->_refcount); }
static inline void page_ref_dec(struct page *page) { atomic_dec(&page->_refcount); }
static inline int page_ref_inc_return(struct page *page) { return atomic_inc_return(&page->_refcount); }
static inline int page_ref_dec_and_test(struct page *page) { return atomic_dec_and_test(&page->_refcount); }
static inline int page_ref_dec_return(struct page *page) { return atomic_dec_return(&page->_refcount); }
static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	return atomic_add_unless(&page->_refcount, nr, u);
}
#endif
