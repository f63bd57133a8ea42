/* SPDX-License-Identifier: MIT */
/*
 * <linux/bitmap.h>: bitmaps as arrays of unsigned long.  This holds the allocation helpers
 * (bitmap_alloc, bitmap_zalloc, bitmap_free and their device-managed forms) and the simplest
 * whole-map operations: zero, fill, copy, set and clear a run of bits, empty, full, weight
 * and equal (which look only at the first nbits bits); and, or, xor, andnot, complement,
 * intersects, subset and bitmap_find_next_zero_area.  The bit operations and searches come
 * with it (<linux/bitops.h>, <linux/find.h>), as with the kernel's.
 */
#ifndef _UKMEM_LINUX_BITMAP_H
#define _UKMEM_LINUX_BITMAP_H
#include <string.h>
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/bitops.h>
#include <linux/find.h>

#ifndef DECLARE_BITMAP
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]
#endif

struct device;

static inline unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return (unsigned long *)kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

unsigned long *devm_bitmap_alloc(struct device *dev, unsigned int nbits, gfp_t flags);
unsigned long *devm_bitmap_zalloc(struct device *dev, unsigned int nbits, gfp_t flags);

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* The mask of the bits of the last word that lie below nbits (all of them when nbits is a
 * multiple of BITS_PER_LONG). */
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))
#define BITMAP_FIRST_WORD_MASK(start)	(~0UL << ((start) & (BITS_PER_LONG - 1)))

/* Set (or clear) the nbits bits from start on, a word at a time. */
static inline void ukmem__bitmap_update(unsigned long *map, unsigned int start, unsigned int nbits,
				   bool set)
{
	unsigned int end = start + nbits;
	unsigned long mask = BITMAP_FIRST_WORD_MASK(start);
	unsigned long *p = map + BIT_WORD(start);

	if (!nbits)
		return;
	while (BIT_WORD(start) != BIT_WORD(end - 1)) {
		*p = set ? *p | mask : *p & ~mask;
		p++;
		start = (start | (BITS_PER_LONG - 1)) + 1;
		mask = ~0UL;
	}
	mask &= BITMAP_LAST_WORD_MASK(end);
	*p = set ? *p | mask : *p & ~mask;
}

/* bitmap_set - set the nbits bits from start on. */
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int nbits)
{
	ukmem__bitmap_update(map, start, nbits, true);
}

/* bitmap_clear - clear the nbits bits from start on. */
static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nbits)
{
	ukmem__bitmap_update(map, start, nbits, false);
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) == nbits;
}

static inline bool bitmap_full(const unsigned long *src, unsigned int nbits)
{
	return find_first_zero_bit(src, nbits) == nbits;
}

static inline unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		w += __builtin_popcountl(src[i]);
	if (nbits % BITS_PER_LONG)
		w += __builtin_popcountl(src[i] & BITMAP_LAST_WORD_MASK(nbits));
	return w;
}

static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		if (a[i] != b[i])
			return false;
	return !(nbits % BITS_PER_LONG) || !((a[i] ^ b[i]) & BITMAP_LAST_WORD_MASK(nbits));
}

/* The word-by-word operations, as 6.1's: and, andnot (which say whether any bit below nbits
 * is left), intersects and subset look at the first nbits bits; or, xor and complement write
 * whole words. */
static inline bool bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b,
			      unsigned int nbits)
{
	unsigned long any = 0;

	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++) {
		dst[i] = a[i] & b[i];
		if (i == nbits / BITS_PER_LONG)
			dst[i] &= BITMAP_LAST_WORD_MASK(nbits);
		any |= dst[i];
	}
	return any != 0;
}

static inline bool bitmap_andnot(unsigned long *dst, const unsigned long *a,
				 const unsigned long *b, unsigned int nbits)
{
	unsigned long any = 0;

	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++) {
		dst[i] = a[i] & ~b[i];
		if (i == nbits / BITS_PER_LONG)
			dst[i] &= BITMAP_LAST_WORD_MASK(nbits);
		any |= dst[i];
	}
	return any != 0;
}

static inline void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b,
			     unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] | b[i];
}

static inline void bitmap_xor(unsigned long *dst, const unsigned long *a, const unsigned long *b,
			      unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] ^ b[i];
}

static inline void bitmap_complement(unsigned long *dst, const unsigned long *src,
				     unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = ~src[i];
}

static inline bool bitmap_intersects(const unsigned long *a, const unsigned long *b,
				     unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++) {
		unsigned long w = a[i] & b[i];

		if (i == nbits / BITS_PER_LONG)
			w &= BITMAP_LAST_WORD_MASK(nbits);
		if (w)
			return true;
	}
	return false;
}

/* bitmap_subset - whether every bit of a below nbits is set in b too. */
static inline bool bitmap_subset(const unsigned long *a, const unsigned long *b,
				 unsigned int nbits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(nbits); i++) {
		unsigned long w = a[i] & ~b[i];

		if (i == nbits / BITS_PER_LONG)
			w &= BITMAP_LAST_WORD_MASK(nbits);
		if (w)
			return false;
	}
	return true;
}

/*
 * bitmap_find_next_zero_area - the first run of nr clear bits at or after start whose index
 * has the bits of align_mask clear; an index past size - nr (the run's end, greater than
 * size) when there is none, as 6.1's.
 */
static inline unsigned long bitmap_find_next_zero_area(unsigned long *map, unsigned long size,
						       unsigned long start, unsigned int nr,
						       unsigned long align_mask)
{
	for (;;) {
		unsigned long index = (find_next_zero_bit(map, size, start) + align_mask) &
				      ~align_mask;
		unsigned long end = index + nr, busy;

		if (end > size)
			return end;
		busy = find_next_bit(map, end, index);
		if (busy >= end)
			return index;
		start = busy + 1;
	}
}
#endif
