/* SPDX-License-Identifier: MIT */
/*
 * sort() and sort_r(): the kernel's in-place array sort.
 *
 * A heap sort, so it needs no memory beyond its own frame: O(n log n) in every case, and not
 * stable, as the kernel's.  ukmem's own reports sort with it too: the C library's qsort may
 * copy elements into a buffer it mallocs and frees, and a kmemleak scan reads freed malloc
 * memory as a root, where such a copy of an object's address would hide a leak.
 *
 * The heap is built bottom-up, and each sift goes down the path of larger children to a leaf
 * first, then back up to where the sifted element belongs (fewer comparisons than testing
 * it at every level); the elements on that path then move up one level by swaps with the
 * root, so a caller's swap function is all that ever moves elements.  Without one, elements
 * are swapped as 64-bit or 32-bit words when the base and size allow, else byte by byte.
 *
 * No state, no locking: a sort touches only the array and the caller's functions.
 */
#include <stdint.h>
#include <linux/kernel.h>
#include <linux/sort.h>

enum swap_width { SWAP_BYTES, SWAP_WORDS32, SWAP_WORDS64 };

struct sorter {
	char *base;
	size_t size;
	cmp_r_func_t cmp;
	swap_r_func_t swap_fn;		/* NULL: by width */
	const void *priv;
	enum swap_width width;
};

static enum swap_width swap_width_of(const void *base, size_t size)
{
	uintptr_t bits = (uintptr_t)base | size;

	if (!(bits & 7))
		return SWAP_WORDS64;
	if (!(bits & 3))
		return SWAP_WORDS32;
	return SWAP_BYTES;
}

static void swap_elems(const struct sorter *s, char *a, char *b)
{
	size_t n = s->size;

	if (s->swap_fn) {
		s->swap_fn(a, b, (int)n, s->priv);
	} else if (s->width == SWAP_WORDS64) {
		for (uint64_t *x = (uint64_t *)a, *y = (uint64_t *)b; n; n -= 8, x++, y++) {
			uint64_t t = *x;

			*x = *y;
			*y = t;
		}
	} else if (s->width == SWAP_WORDS32) {
		for (uint32_t *x = (uint32_t *)a, *y = (uint32_t *)b; n; n -= 4, x++, y++) {
			uint32_t t = *x;

			*x = *y;
			*y = t;
		}
	} else {
		for (; n; n--, a++, b++) {
			char t = *a;

			*a = *b;
			*b = t;
		}
	}
}

static char *elem(const struct sorter *s, size_t i)
{
	return s->base + i * s->size;
}

static int cmp_at(const struct sorter *s, size_t i, size_t j)
{
	return s->cmp(elem(s, i), elem(s, j), s->priv);
}

/* Put the element at @root where it belongs in the heap of the first @n elements, whose
 * subtrees below @root are heaps already. */
static void sift_down(const struct sorter *s, size_t root, size_t n)
{
	size_t j = root, c;

	while ((c = 2 * j + 1) < n) {		/* down the larger children to a leaf */
		if (c + 1 < n && cmp_at(s, c + 1, c) > 0)
			c++;
		j = c;
	}
	while (j != root && cmp_at(s, j, root) < 0)	/* up to the first not smaller */
		j = (j - 1) / 2;
	for (size_t x = j; x != root; x = (x - 1) / 2)	/* the path moves up, root down */
		swap_elems(s, elem(s, root), elem(s, x));
}

/**
 * sort_r - sort an array in place, with a context for the callbacks
 * @base: the array
 * @num: its number of elements
 * @size: the size of one element
 * @cmp_func: returns <0, 0 or >0 as its first element sorts before, with or after its second
 * @swap_func: exchanges two elements (it is given @size), or NULL for a plain exchange
 * @priv: passed to both callbacks
 *
 * A heap sort: O(n log n) comparisons in the worst case, no allocation, not stable.
 */
void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp_func,
	    swap_r_func_t swap_func, const void *priv)
{
	struct sorter s = { base, size, cmp_func, swap_func, priv, swap_width_of(base, size) };

	if (num < 2 || !size)
		return;
	for (size_t i = num / 2; i-- > 0;)
		sift_down(&s, i, num);
	for (size_t end = num - 1; end > 0; end--) {
		swap_elems(&s, elem(&s, 0), elem(&s, end));
		sift_down(&s, 0, end);
	}
}

struct plain_funcs {
	cmp_func_t cmp;
	swap_func_t swap_fn;
};

static int plain_cmp(const void *a, const void *b, const void *priv)
{
	return ((const struct plain_funcs *)priv)->cmp(a, b);
}

static void plain_swap(void *a, void *b, int size, const void *priv)
{
	((const struct plain_funcs *)priv)->swap_fn(a, b, size);
}

/**
 * sort - sort an array in place
 * @base: the array
 * @num: its number of elements
 * @size: the size of one element
 * @cmp_func: returns <0, 0 or >0 as its first element sorts before, with or after its second
 * @swap_func: exchanges two elements (it is given @size), or NULL for a plain exchange
 *
 * sort_r() without a context.
 */
void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func)
{
	struct plain_funcs f = { cmp_func, swap_func };

	sort_r(base, num, size, plain_cmp, swap_func ? plain_swap : NULL, &f);
}
