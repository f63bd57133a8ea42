/* SPDX-License-Identifier: MIT */
/*
 * Bit operations on memory, bitmap searches and whole-map operations (<linux/bitops.h>,
 * <linux/find.h>, <linux/bitmap.h>), checked against a one-bit-at-a-time model on random
 * bitmaps of sizes that end inside a word, on a word boundary and past several words; the
 * atomic forms from several threads at once; the word-by-word operations (and, or, xor,
 * andnot, complement, intersects, subset) and bitmap_find_next_zero_area.
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/kconfig.h>
#include "ktest.h"

#define NBITS	200
#define WORDS	BITS_TO_LONGS(NBITS)

static bool model[NBITS];

static unsigned long model_next(unsigned long size, unsigned long off, bool val)
{
	for (; off < size; off++)
		if (model[off] == val)
			return off;
	return size;
}

static void check_against_model(const unsigned long *map, unsigned long size)
{
	unsigned long i, last = size, w = 0;

	for (i = 0; i < size; i++) {
		KT_EQ(test_bit(i, map), model[i]);
		KT_EQ(find_next_bit(map, size, i), model_next(size, i, true));
		KT_EQ(find_next_zero_bit(map, size, i), model_next(size, i, false));
		if (model[i]) {
			last = i;
			w++;
		}
	}
	KT_EQ(find_first_bit(map, size), model_next(size, 0, true));
	KT_EQ(find_first_zero_bit(map, size), model_next(size, 0, false));
	KT_EQ(find_last_bit(map, size), last);
	KT_EQ(find_next_bit(map, size, size), size);
	KT_EQ(find_next_bit(map, size, size + 100), size);
	KT_EQ(bitmap_weight(map, size), w);
	KT_EQ(bitmap_empty(map, size), w == 0);
	KT_EQ(bitmap_full(map, size), w == size);
}

static void random_round(unsigned long size)
{
	unsigned long map[WORDS], copy[WORDS], bit, n = 0, start, len, i;

	/* Bits past size are set: no search or count may report them. */
	memset(map, 0xff, sizeof(map));
	bitmap_clear(map, 0, size);
	memset(model, 0, sizeof(model));
	for (i = 0; i < size / 3; i++) {
		bit = rand() % size;
		switch (rand() % 4) {
		case 0: __set_bit(bit, map); model[bit] = true; break;
		case 1: __clear_bit(bit, map); model[bit] = false; break;
		case 2: KT_EQ(__test_and_set_bit(bit, map), model[bit]); model[bit] = true; break;
		case 3: KT_EQ(__test_and_clear_bit(bit, map), model[bit]); model[bit] = false; break;
		}
	}
	check_against_model(map, size);
	start = rand() % size;
	len = rand() % (size - start + 1);
	bitmap_set(map, start, len);
	for (i = start; i < start + len; i++)
		model[i] = true;
	check_against_model(map, size);
	bitmap_copy(copy, map, size);
	KT_ASSERT(bitmap_equal(copy, map, size));
	__change_bit(size - 1, copy);
	KT_ASSERT(!bitmap_equal(copy, map, size));
	start = rand() % size;
	len = rand() % (size - start + 1);
	bitmap_clear(map, start, len);
	for (i = start; i < start + len; i++)
		model[i] = false;
	check_against_model(map, size);
	for_each_set_bit(bit, map, size)
		n++;
	for_each_clear_bit(bit, map, size)
		n++;
	KT_EQ(n, size);
}

/* The word-by-word operations against the bits one at a time, on random maps of @n bits:
 * and/andnot clear what lies past n in their last word and say whether any bit is left. */
static void word_ops(unsigned int n)
{
	unsigned long a[WORDS], b[WORDS], d[WORDS];
	bool any_and = false, any_andnot = false, subset = true;

	for (unsigned int i = 0; i < WORDS; i++) {
		a[i] = (unsigned long)rand() << 33 ^ (unsigned long)rand() << 11 ^ (unsigned long)rand();
		b[i] = (unsigned long)rand() << 33 ^ (unsigned long)rand() << 11 ^ (unsigned long)rand();
	}
	for (unsigned int bit = 0; bit < n; bit++) {
		any_and |= test_bit(bit, a) && test_bit(bit, b);
		any_andnot |= test_bit(bit, a) && !test_bit(bit, b);
		subset &= !test_bit(bit, a) || test_bit(bit, b);
	}
	KT_EQ(bitmap_and(d, a, b, n), any_and);
	for (unsigned int bit = 0; bit < ALIGN(n, BITS_PER_LONG); bit++)
		KT_EQ(test_bit(bit, d), bit < n && test_bit(bit, a) && test_bit(bit, b));
	KT_EQ(bitmap_intersects(a, b, n), any_and);
	KT_EQ(bitmap_andnot(d, a, b, n), any_andnot);
	for (unsigned int bit = 0; bit < ALIGN(n, BITS_PER_LONG); bit++)
		KT_EQ(test_bit(bit, d), bit < n && test_bit(bit, a) && !test_bit(bit, b));
	KT_EQ(bitmap_subset(a, b, n), subset);
	bitmap_or(d, a, b, n);
	for (unsigned int bit = 0; bit < n; bit++)
		KT_EQ(test_bit(bit, d), test_bit(bit, a) || test_bit(bit, b));
	KT_ASSERT(bitmap_subset(a, d, n) && bitmap_subset(b, d, n));
	bitmap_xor(d, a, b, n);
	for (unsigned int bit = 0; bit < n; bit++)
		KT_EQ(test_bit(bit, d), test_bit(bit, a) != test_bit(bit, b));
	bitmap_complement(d, a, n);
	for (unsigned int bit = 0; bit < n; bit++)
		KT_EQ(test_bit(bit, d), !test_bit(bit, a));
	KT_ASSERT(!bitmap_intersects(a, d, n));
}

/* 6.1's bitmap_find_next_zero_area: the first fitting run, aligned; its end when none fits. */
static void zero_area(void)
{
	unsigned long map[WORDS] = { 0 };

	bitmap_set(map, 0, 4);
	__set_bit(8, map);
	KT_EQ(bitmap_find_next_zero_area(map, 64, 0, 4, 0), 4);
	KT_EQ(bitmap_find_next_zero_area(map, 64, 0, 5, 0), 9);
	KT_EQ(bitmap_find_next_zero_area(map, 64, 0, 4, 7), 16);
	KT_EQ(bitmap_find_next_zero_area(map, 10, 0, 5, 0), 14);	/* none: past size */
	KT_EQ(bitmap_find_next_zero_area(map, 130, 100, 30, 0), 100);
}

static unsigned long shared[WORDS];

static void *toggler(void *arg)
{
	long base = (long)arg, round, bit;

	/* Each thread owns the bits base, base + 4, ... of the same words. */
	for (round = 0; round < 2000; round++)
		for (bit = base; bit < NBITS; bit += 4) {
			if (test_and_set_bit(bit, shared))
				return (void *)1;
			change_bit(bit, shared);		/* clears it */
			set_bit(bit, shared);
			if (!test_and_clear_bit(bit, shared))
				return (void *)1;
			if (test_and_change_bit(bit, shared))	/* sets it */
				return (void *)1;
			clear_bit(bit, shared);
		}
	return NULL;
}

int main(void)
{
	static const unsigned long sizes[] = { 1, 5, 63, 64, 65, 128, 130, NBITS };
	pthread_t t[4];
	void *ret;
	unsigned int i, j;

	srand(1);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (j = 0; j < 50; j++)
			random_round(sizes[i]);

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (j = 0; j < 20; j++)
			word_ops(sizes[i]);
	zero_area();

	for (i = 0; i < 4; i++)
		KT_EQ(pthread_create(&t[i], NULL, toggler, (void *)(long)i), 0);
	for (i = 0; i < 4; i++) {
		KT_EQ(pthread_join(t[i], &ret), 0);
		KT_ASSERT(ret == NULL);
	}
	KT_ASSERT(bitmap_empty(shared, NBITS));

	/* A bit used as a lock. */
	KT_ASSERT(!test_and_set_bit_lock(3, shared));
	KT_ASSERT(test_and_set_bit_lock(3, shared));
	clear_bit_unlock(3, shared);
	KT_ASSERT(bitmap_empty(shared, NBITS));

	/* IS_ENABLED works in expressions and in #if. */
#define CONFIG_UKMEM_TEST_ON 1
#if !IS_ENABLED(CONFIG_UKMEM_TEST_ON) || IS_ENABLED(CONFIG_UKMEM_TEST_OFF)
#error "IS_ENABLED"
#endif
	KT_EQ(IS_ENABLED(CONFIG_UKMEM_TEST_ON) + IS_ENABLED(CONFIG_UKMEM_TEST_OFF), 1);
	return 0;
}
