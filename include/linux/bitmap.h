/* SPDX-License-Identifier: MIT */
/*
 * <linux/bitmap.h>: bitmaps as arrays of unsigned long.  This holds the allocation helpers
 * (bitmap_alloc, bitmap_zalloc, bitmap_free and their device-managed forms) and the simplest
 * whole-map operations.
 */
#ifndef _UKMEM_LINUX_BITMAP_H
#define _UKMEM_LINUX_BITMAP_H
#include <string.h>
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/slab.h>

#ifndef BITS_PER_LONG
#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)	/* usable in #if, as the kernel's */
#endif
#ifndef BITS_PER_TYPE
#define BITS_PER_TYPE(type)	(sizeof(type) * 8)
#endif
#ifndef BITS_TO_LONGS
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_TYPE(long) - 1) / BITS_PER_TYPE(long))
#endif
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
#endif
