/* SPDX-License-Identifier: MIT */
/*
 * Bitmap helpers for ukmem's own allocators (per-CPU chunks, genalloc, the swiotlb pool):
 * find the next set or clear bit, set or clear a run, and the kernel's aligned first-fit
 * search (bitmap_find_next_zero_area_off semantics).  Bits are numbered from bit 0 of word 0.
 * No locking: callers hold whatever guards their map.
 */
#ifndef UKMEM_BITS_H
#define UKMEM_BITS_H
#include <stdbool.h>
#include <linux/kernel.h>

#define UKMEM_BPL	(8 * sizeof(unsigned long))

/* First bit >= start whose value is @val (true: set), or @size if none. */
static inline unsigned long ukmem__bits_next(const unsigned long *map, unsigned long size,
					     unsigned long start, bool val)
{
	unsigned long flip = val ? 0 : ~0UL;

	while (start < size) {
		unsigned long w = (map[start / UKMEM_BPL] ^ flip) >> (start % UKMEM_BPL);

		if (w) {
			start += __builtin_ctzl(w);
			return start < size ? start : size;
		}
		start = (start / UKMEM_BPL + 1) * UKMEM_BPL;
	}
	return size;
}

static inline void ukmem__bits_assign(unsigned long *map, unsigned long start, unsigned long nr,
				      bool val)
{
	for (unsigned long i = start; i < start + nr; i++) {
		if (val)
			map[i / UKMEM_BPL] |= 1UL << (i % UKMEM_BPL);
		else
			map[i / UKMEM_BPL] &= ~(1UL << (i % UKMEM_BPL));
	}
}

static inline bool ukmem__bit(const unsigned long *map, unsigned long i)
{
	return (map[i / UKMEM_BPL] >> (i % UKMEM_BPL)) & 1;
}

/*
 * The first run of @nr clear bits at or after @start whose index plus @align_off is a
 * multiple of (align_mask + 1); @size when there is none (nr must be at least 1).
 */
static inline unsigned long ukmem__bits_find_area(const unsigned long *map, unsigned long size,
						  unsigned long start, unsigned long nr,
						  unsigned long align_mask, unsigned long align_off)
{
	for (;;) {
		unsigned long idx = ukmem__bits_next(map, size, start, false), end, busy;

		idx = ((idx + align_off + align_mask) & ~align_mask) - align_off;
		end = idx + nr;
		if (end > size || end < idx)
			return size;
		busy = ukmem__bits_next(map, end, idx, true);
		if (busy >= end)
			return idx;
		start = busy + 1;
	}
}
#endif
