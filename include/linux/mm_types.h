/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm_types.h>: struct page, one per physical frame, kept out of band (never inside the
 * simulated RAM).  64 bytes, as in the kernel.  The union is owned by whoever owns the page:
 * the buddy allocator (lru, private = order), a compound page's tail (compound_head with
 * bit 0 set, overlaying lru.next), the slab allocator (its struct slab overlays the page), or
 * the page's user (lru, mapping, index, private are free for a driver, as in the kernel).
 * A struct page that was never used is all zeroes.
 */
#ifndef _UKMEM_LINUX_MM_TYPES_H
#define _UKMEM_LINUX_MM_TYPES_H
#include <linux/types.h>
#include <linux/build_bug.h>

struct address_space;

struct page {
	unsigned long flags;		/* PG_* bits (the top byte is the allocator's) */
	union {
		struct {
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
		};
		struct {			/* tail pages of a compound page */
			unsigned long compound_head;	/* head page address | 1 */
			unsigned char compound_dtor;
			unsigned char compound_order;	/* in the first tail page */
			atomic_t compound_mapcount;
			atomic_t compound_pincount;
		};
		unsigned long ukmem_owner_area[5];	/* a subsystem's overlay (struct slab) */
	};
	union {
		atomic_t _mapcount;
		unsigned int page_type;
	};
	atomic_t _refcount;
	unsigned long ukmem_reserved;	/* ukmem's: the caller of a driver's alloc_pages (kmemleak) */
};
_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");

enum pageflags {
	PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_active, PG_workingset,
	PG_waiters, PG_error, PG_slab, PG_owner_priv_1, PG_arch_1, PG_reserved, PG_private,
	PG_private_2, PG_writeback, PG_head, PG_mappedtodisk, PG_reclaim, PG_swapbacked,
	PG_unevictable, PG_mlocked, PG_uncached, PG_hwpoison, PG_young, PG_idle, PG_arch_2,
	__NR_PAGEFLAGS,
};
#endif
