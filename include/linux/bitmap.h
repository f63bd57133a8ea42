/* SPDX-License-Identifier: MIT */
/*
 * <linux/bitmap.h>: bitmaps as arrays of unsigned long.  This holds the allocation helpers
 * (bitmap_alloc, bitmap_zalloc, bitmap_free and their device-managed forms) and the simplest
 * whole-map operations: zero, fill, copy, set and clear a run of bits, empty, full, weight
 * and equal (which look only at the first nbits bits).  The bit operations and searches come
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
#endif
