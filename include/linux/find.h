/* SPDX-License-Identifier: MIT */
/*
 * <linux/find.h>: searches of a bitmap (an array of unsigned long of at least size bits).
 * Every search returns the index of the bit it found, or size when there is none (also when
 * offset >= size); bits at and past size are never looked at as results, though the word that
 * holds bit size - 1 is read whole.  Plain reads: the caller owns or locks the bitmap.
 */
#ifndef _UKMEM_LINUX_FIND_H
#define _UKMEM_LINUX_FIND_H
#include <linux/types.h>
#include <linux/bits.h>

/*
 * The first bit at or after start, below size, of the bitmap's words each XORed with invert
 * (0: look for a set bit; ~0UL: look for a clear bit).
 */
static inline unsigned long __ukmem_find_bit(const unsigned long *addr, unsigned long size,
					     unsigned long start, unsigned long invert)
{
	unsigned long word;

	if (start >= size)
		return size;
	word = (addr[BIT_WORD(start)] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	start -= start % BITS_PER_LONG;
	while (!word) {
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		word = addr[BIT_WORD(start)] ^ invert;
	}
	start += __builtin_ctzl(word);
	return start < size ? start : size;
}

/* find_next_bit - the first set bit at or after offset, or size. */
static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	return __ukmem_find_bit(addr, size, offset, 0);
}

/* find_next_zero_bit - the first clear bit at or after offset, or size. */
static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					       unsigned long offset)
{
	return __ukmem_find_bit(addr, size, offset, ~0UL);
}

static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	return __ukmem_find_bit(addr, size, 0, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return __ukmem_find_bit(addr, size, 0, ~0UL);
}

/* find_last_bit - the highest set bit below size, or size when none is set. */
static inline unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long idx, word;

	if (!size)
		return 0;
	idx = BIT_WORD(size - 1);
	word = addr[idx];
	if ((size % BITS_PER_LONG) != 0)
		word &= ~0UL >> (BITS_PER_LONG - size % BITS_PER_LONG);
	for (;;) {
		if (word)
			return idx * BITS_PER_LONG + (BITS_PER_LONG - 1 - __builtin_clzl(word));
		if (!idx)
			return size;
		word = addr[--idx];
	}
}

#define for_each_set_bit(bit, addr, size)					\
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size);		\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_set_bit_from(bit, addr, size)					\
	for ((bit) = find_next_bit((addr), (size), (bit)); (bit) < (size);	\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_clear_bit(bit, addr, size)					\
	for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size);	\
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))
#define for_each_clear_bit_from(bit, addr, size)				\
	for ((bit) = find_next_zero_bit((addr), (size), (bit)); (bit) < (size);	\
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))
#endif
