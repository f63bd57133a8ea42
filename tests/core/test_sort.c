/* SPDX-License-Identifier: MIT */
/*
 * sort() and sort_r() (<linux/sort.h>): every size of array from 0 to 300 and element sizes
 * that take each exchange (64-bit words, 32-bit words, bytes, and the caller's swap
 * function) come out ordered and a permutation of what went in; the context reaches both
 * callbacks; a caller's swap function is the only thing that moves elements; 0 or 1
 * elements and a size of 0 are left alone.  Random, sorted, reversed and constant inputs.
 */
#include <stdint.h>
#include <linux/kernel.h>
#include <linux/sort.h>
#include "ktest.h"

#define MAX_N	300
#define MAX_SIZE 40

static unsigned int seed = 12345;

static unsigned int next_rand(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* An element is its key (the first 4 bytes, read bytewise: elements may be unaligned)
 * followed by filler bytes derived from the key, so a torn exchange shows. */
static unsigned int key_of(const void *e)
{
	unsigned int k;

	memcpy(&k, e, sizeof(k));
	return k;
}

static void make(void *e, size_t size, unsigned int key)
{
	memcpy(e, &key, sizeof(key));
	for (size_t i = sizeof(key); i < size; i++)
		((unsigned char *)e)[i] = (unsigned char)(key * 7 + i);
}

static bool intact(const void *e, size_t size)
{
	unsigned int key = key_of(e);

	for (size_t i = sizeof(key); i < size; i++)
		if (((const unsigned char *)e)[i] != (unsigned char)(key * 7 + i))
			return false;
	return true;
}

static int cmp_key(const void *a, const void *b)
{
	unsigned int x = key_of(a), y = key_of(b);

	return x < y ? -1 : x > y;
}

static unsigned long swaps;

static void swap_counted(void *a, void *b, int size)
{
	unsigned char t[MAX_SIZE];

	memcpy(t, a, size);
	memcpy(a, b, size);
	memcpy(b, t, size);
	swaps++;
}

static void fill(unsigned char *base, size_t n, size_t size, int shape, unsigned int *hist)
{
	for (size_t i = 0; i < n; i++) {
		unsigned int key = shape == 0 ? next_rand() % 64 : shape == 1 ? (unsigned int)i :
				   shape == 2 ? (unsigned int)(n - i) : 7;

		make(base + i * size, size, key);
		hist[key % 1024]++;
	}
}

static void check(const unsigned char *base, size_t n, size_t size, unsigned int *hist)
{
	for (size_t i = 0; i < n; i++) {
		const unsigned char *e = base + i * size;

		KT_ASSERT(intact(e, size));
		KT_ASSERT(hist[key_of(e) % 1024]-- > 0);
		if (i)
			KT_ASSERT(key_of(e - size) <= key_of(e));
	}
}

static void one(size_t n, size_t size, size_t offset, int shape, bool own_swap)
{
	static unsigned char buf[MAX_N * MAX_SIZE + 8] __attribute__((aligned(8)));
	static unsigned int hist[1024];
	unsigned char *base = buf + offset;

	memset(hist, 0, sizeof(hist));
	fill(base, n, size, shape, hist);
	sort(base, n, size, cmp_key, own_swap ? swap_counted : NULL);
	check(base, n, size, hist);
}

struct ctx {
	int calls;
	bool descending;
};

static int cmp_r(const void *a, const void *b, const void *priv)
{
	struct ctx *c = (struct ctx *)priv;
	int r = cmp_key(a, b);

	c->calls++;
	return c->descending ? -r : r;
}

static void swap_r(void *a, void *b, int size, const void *priv)
{
	((struct ctx *)priv)->calls += 1000000;
	swap_counted(a, b, size);
}

int main(void)
{
	static const size_t sizes[] = { 4, 8, 12, 16, 5, 7, 40 };
	unsigned int v[64];
	struct ctx c = { 0, true };

	for (size_t n = 0; n <= MAX_N; n += n < 20 ? 1 : 37)
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++)
			for (int shape = 0; shape < 4; shape++) {
				one(n, sizes[s], 0, shape, false);	/* aligned */
				one(n, sizes[s], 1, shape, false);	/* bytes */
				one(n, sizes[s], 4, shape, false);	/* 32-bit words */
				one(n, sizes[s], 0, shape, true);
			}

	/* A caller's swap function is the only thing that moves elements. */
	for (int i = 0; i < 64; i++)
		v[i] = 63 - i;
	swaps = 0;
	sort(v, 64, sizeof(v[0]), cmp_key, swap_counted);
	KT_ASSERT(swaps > 0);
	for (int i = 0; i < 64; i++)
		KT_EQ(v[i], i);

	/* sort_r: the context reaches both callbacks. */
	sort_r(v, 64, sizeof(v[0]), cmp_r, swap_r, &c);
	KT_ASSERT(c.calls >= 1000000 && c.calls % 1000000 > 0);
	for (int i = 0; i < 64; i++)
		KT_EQ(v[i], 63 - i);

	/* Nothing to do: no callback runs, nothing moves. */
	c.calls = 0;
	sort_r(v, 1, sizeof(v[0]), cmp_r, swap_r, &c);
	sort_r(v, 0, sizeof(v[0]), cmp_r, swap_r, &c);
	sort_r(v, 64, 0, cmp_r, swap_r, &c);
	KT_EQ(c.calls, 0);
	KT_EQ(v[0], 63);
	return 0;
}
