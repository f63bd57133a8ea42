/* SPDX-License-Identifier: MIT */
/*
 * The address-space allocator of the vmalloc window.
 *
 * Both the free spans and the busy areas are kept in treaps (binary search trees ordered by
 * start address, heap-ordered by a random priority), so every operation takes expected
 * logarithmic time whatever the allocation pattern.  The free tree is augmented: each node
 * knows the largest span in its subtree, which lets a search skip every subtree where the
 * request cannot fit and find the lowest-addressed hole that fits.
 *
 * Invariants (under ukmem__vmalloc.lock):
 *  - Free spans are disjoint, page-aligned, never empty and never adjacent (freeing merges
 *    a span with its neighbours), and lie inside the window.
 *  - A busy node is the span of one area; busy spans are disjoint from each other and from
 *    the free spans, and together with them cover the window.
 *  - subtree_max of a free node is the largest (end - start) in its subtree.
 *  - Every busy area is also on the by_start chain its start address hashes to (a
 *    multiplicative hash of the page number: 4096 chains, about 16 areas each at the
 *    host's mapping limit).
 * Free-tree nodes are host-allocated; busy nodes are embedded in their area.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include "core/core.h"
#include "vmalloc/vmalloc.h"

#define V ukmem__vmalloc

void ukmem__va_lock(void)
{
	pthread_mutex_lock(&V.lock);
}

void ukmem__va_unlock(void)
{
	pthread_mutex_unlock(&V.lock);
}

bool ukmem__va_trylock(void)
{
	return pthread_mutex_trylock(&V.lock) == 0;
}

/* ---- treap primitives ---- */
static unsigned int va_random(void)
{
	V.seed ^= V.seed << 13;
	V.seed ^= V.seed >> 17;
	V.seed ^= V.seed << 5;
	return V.seed;
}

static unsigned long span(const struct ukmem__va_node *n)
{
	return n->end - n->start;
}

static unsigned long sub_max(const struct ukmem__va_node *n)
{
	return n ? n->subtree_max : 0;
}

static void update(struct ukmem__va_node *n)
{
	unsigned long m = span(n);

	m = max(m, sub_max(n->left));
	n->subtree_max = max(m, sub_max(n->right));
}

/* Split t into nodes starting before key (*l) and at or after it (*r). */
static void split(struct ukmem__va_node *t, unsigned long key, struct ukmem__va_node **l,
		  struct ukmem__va_node **r)
{
	if (!t) {
		*l = *r = NULL;
	} else if (t->start < key) {
		split(t->right, key, &t->right, r);
		update(t);
		*l = t;
	} else {
		split(t->left, key, l, &t->left);
		update(t);
		*r = t;
	}
}

/* Join two treaps, every key of a below every key of b. */
static struct ukmem__va_node *merge(struct ukmem__va_node *a, struct ukmem__va_node *b)
{
	if (!a || !b)
		return a ? a : b;
	if (a->prio > b->prio) {
		a->right = merge(a->right, b);
		update(a);
		return a;
	}
	b->left = merge(a, b->left);
	update(b);
	return b;
}

static void insert(struct ukmem__va_node **root, struct ukmem__va_node *n)
{
	struct ukmem__va_node *l, *r;

	n->left = n->right = NULL;
	n->prio = va_random();
	update(n);
	split(*root, n->start, &l, &r);
	*root = merge(merge(l, n), r);
}

/* Remove the node starting at start; returns it (or NULL). */
static struct ukmem__va_node *erase(struct ukmem__va_node **root, unsigned long start)
{
	struct ukmem__va_node *l, *m, *r;

	split(*root, start, &l, &r);
	split(r, start + 1, &m, &r);
	*root = merge(l, r);
	if (m) {
		m->left = m->right = NULL;
		update(m);
	}
	return m;
}

/* The node with the greatest start <= addr. */
static struct ukmem__va_node *floor_node(struct ukmem__va_node *t, unsigned long addr)
{
	struct ukmem__va_node *best = NULL;

	while (t) {
		if (t->start <= addr) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best;
}

/* The node with the smallest start > addr. */
static struct ukmem__va_node *higher_node(struct ukmem__va_node *t, unsigned long addr)
{
	struct ukmem__va_node *best = NULL;

	while (t) {
		if (t->start > addr) {
			best = t;
			t = t->left;
		} else {
			t = t->right;
		}
	}
	return best;
}

/* The aligned start of size bytes inside n, or 0 if it does not fit. */
static unsigned long fit(const struct ukmem__va_node *n, unsigned long size, unsigned long align)
{
	unsigned long a = ALIGN(n->start, align);

	if (a < n->start || a >= n->end || n->end - a < size)
		return 0;
	return a;
}

/*
 * The lowest hole that holds size bytes at the given alignment, looking only at subtrees
 * whose largest hole is at least need.  need = size + align - PAGE_SIZE guarantees a fit for
 * any such hole, so the first descent succeeds in O(log n); need = size examines holes that
 * may fit only at the right alignment.
 */
static struct ukmem__va_node *find_fit(struct ukmem__va_node *t, unsigned long size,
				       unsigned long align, unsigned long need,
				       unsigned long *addr)
{
	struct ukmem__va_node *n;

	if (!t || t->subtree_max < need)
		return NULL;
	n = find_fit(t->left, size, align, need, addr);
	if (n)
		return n;
	if (span(t) >= need && (*addr = fit(t, size, align)))
		return t;
	return find_fit(t->right, size, align, need, addr);
}

/* ---- the allocator ---- */
static unsigned long carve_locked(struct ukmem__va_node *n, unsigned long addr,
				  unsigned long size);

static struct ukmem__va_node *free_node_new(unsigned long start, unsigned long end)
{
	struct ukmem__va_node *n = calloc(1, sizeof(*n));

	if (n) {
		n->start = start;
		n->end = end;
	}
	return n;
}

int ukmem__va_init(unsigned long start, unsigned long end)
{
	V.start = start;
	V.end = end;
	V.seed = 0x9e3779b9u ^ (unsigned int)(start >> 12);
	V.free_root = NULL;
	V.busy_root = NULL;
	memset(V.by_start, 0, sizeof(V.by_start));
	V.free_root = free_node_new(start, end);
	if (!V.free_root)
		return -ENOMEM;
	V.free_root->prio = va_random();
	update(V.free_root);
	return 0;
}

/**
 * ukmem__va_alloc_locked - reserve size bytes of the window at the given alignment
 * @size: page multiple, guard page included
 * @align: power of two >= PAGE_SIZE
 *
 * Return: the lowest suitable address, or 0 when no hole fits (huge alignments included).
 */
unsigned long ukmem__va_alloc_locked(unsigned long size, unsigned long align)
{
	struct ukmem__va_node *n = NULL;
	unsigned long addr = 0, need;

	if (!size || size > V.end - V.start || !align || (align & (align - 1)))
		return 0;
	if (!check_add_overflow(size, align - PAGE_SIZE, &need))
		n = find_fit(V.free_root, size, align, need, &addr);
	if (!n)
		n = find_fit(V.free_root, size, align, size, &addr);
	if (!n)
		return 0;
	return carve_locked(n, addr, size);
}

/* The lowest hole that holds size bytes at the alignment inside [lo, hi).  Subtrees whose
 * largest hole is too small are skipped, and so are those wholly outside the range. */
static struct ukmem__va_node *find_fit_range(struct ukmem__va_node *t, unsigned long size,
					     unsigned long align, unsigned long lo,
					     unsigned long hi, unsigned long *addr)
{
	struct ukmem__va_node *n = NULL;
	unsigned long a, end;

	if (!t || t->subtree_max < size)
		return NULL;
	if (t->start > lo)
		n = find_fit_range(t->left, size, align, lo, hi, addr);
	if (n)
		return n;
	if (t->start >= hi)
		return NULL;
	a = ALIGN(max(t->start, lo), align);
	end = min(t->end, hi);
	if (a >= max(t->start, lo) && a < end && end - a >= size) {
		*addr = a;
		return t;
	}
	return find_fit_range(t->right, size, align, lo, hi, addr);
}

/**
 * ukmem__va_alloc_range_locked - ukmem__va_alloc_locked() inside [lo, hi) only
 *
 * For users that keep their areas in one part of the window (ioremap of emulated devices).
 * Linear in the number of holes in the worst case: for rare, slow-path callers.  A range
 * that covers the whole window is ukmem__va_alloc_locked()'s fast search.
 */
unsigned long ukmem__va_alloc_range_locked(unsigned long size, unsigned long align,
					   unsigned long lo, unsigned long hi)
{
	struct ukmem__va_node *n;
	unsigned long addr = 0;

	if (lo <= V.start && hi >= V.end)	/* the whole window: the size-indexed search */
		return ukmem__va_alloc_locked(size, align);
	if (!size || lo >= hi || size > hi - lo || !align || (align & (align - 1)))
		return 0;
	n = find_fit_range(V.free_root, size, align, lo, hi, &addr);
	return n ? carve_locked(n, addr, size) : 0;
}

/* Take [addr, addr + size) out of the free span n, keeping what is left on either side. */
static unsigned long carve_locked(struct ukmem__va_node *n, unsigned long addr,
				  unsigned long size)
{
	struct ukmem__va_node *rest;
	unsigned long start, end;

	start = n->start;
	end = n->end;
	n = erase(&V.free_root, start);
	/* Keep what is left on either side: reuse the node for one side. */
	if (addr > start) {
		n->end = addr;
		insert(&V.free_root, n);
		n = NULL;
	}
	if (addr + size < end) {
		rest = n ? n : free_node_new(addr + size, end);
		if (!rest) {
			/* No memory for bookkeeping: give everything back, fail cleanly. */
			ukmem__va_free_locked(addr, addr + size);
			return 0;
		}
		rest->start = addr + size;
		rest->end = end;
		insert(&V.free_root, rest);
		n = NULL;
	}
	free(n);
	return addr;
}

/**
 * ukmem__va_free_locked - give [start, end) back, merging it with free neighbours
 */
void ukmem__va_free_locked(unsigned long start, unsigned long end)
{
	struct ukmem__va_node *prev = floor_node(V.free_root, start);
	struct ukmem__va_node *next = higher_node(V.free_root, start);
	struct ukmem__va_node *n;

	if (prev && prev->end == start) {
		start = prev->start;
		free(erase(&V.free_root, prev->start));
	}
	if (next && next->start == end) {
		end = next->end;
		free(erase(&V.free_root, next->start));
	}
	n = free_node_new(start, end);
	if (NEVER(!n))
		return;		/* the span is lost to the allocator, never handed out twice */
	insert(&V.free_root, n);
}

static struct ukmem__vmap_area **by_start_slot(unsigned long start)
{
	return &V.by_start[(start >> PAGE_SHIFT) * 0x9e3779b97f4a7c15UL >> 52];
}

void ukmem__va_insert_busy_locked(struct ukmem__vmap_area *va)
{
	struct ukmem__vmap_area **slot = by_start_slot(va->node.start);

	insert(&V.busy_root, &va->node);
	va->hash_next = *slot;
	*slot = va;
	V.nr_busy++;
}

void ukmem__va_erase_busy_locked(struct ukmem__vmap_area *va)
{
	struct ukmem__vmap_area **pp = by_start_slot(va->node.start);

	while (*pp && *pp != va)
		pp = &(*pp)->hash_next;
	if (ALWAYS(*pp))
		*pp = va->hash_next;
	if (ALWAYS(erase(&V.busy_root, va->node.start) == &va->node))
		V.nr_busy--;
}

struct ukmem__vmap_area *ukmem__va_find_start_locked(unsigned long addr)
{
	struct ukmem__vmap_area *va = *by_start_slot(addr);

	while (va && va->node.start != addr)
		va = va->hash_next;
	return va;
}

unsigned long ukmem__va_nr_busy_locked(void)
{
	return V.nr_busy;
}

struct ukmem__vmap_area *ukmem__va_find_locked(unsigned long addr)
{
	struct ukmem__va_node *n = floor_node(V.busy_root, addr);

	if (!n || addr >= n->end)
		return NULL;
	return container_of(n, struct ukmem__vmap_area, node);
}

static void va_info(const struct ukmem__vmap_area *va, struct ukmem__va_info *info)
{
	*info = (struct ukmem__va_info){
		.start = va->node.start, .end = va->node.end, .size = va->vm->size,
		.nr_pages = va->nr_pages, .kind = va->kind, .state = va->state,
		.flags = va->vm->flags, .caller = va->vm->caller, .free_caller = va->free_caller,
		.prot = va->prot,
	};
}

void ukmem__va_remember_locked(const struct ukmem__vmap_area *va)
{
	struct ukmem__va_info *slot = &V.history[V.history_pos++ % UKMEM_VA_HISTORY];

	va_info(va, slot);
	slot->freed = true;
}

/**
 * ukmem__va_describe - what is known about addr: a current area, or a recently purged one
 * @locked: the caller holds the lock (else it is try-locked, for the fault handler)
 *
 * Return: false when nothing covers addr.
 */
bool ukmem__va_describe(unsigned long addr, struct ukmem__va_info *info, bool locked)
{
	struct ukmem__vmap_area *va;
	bool found = false, took = false;

	/* The fault handler must not wait forever on a lock its own thread may hold. */
	for (int i = 0; !locked && !took && i < 1000; i++) {
		took = ukmem__va_trylock();
		if (!took)
			usleep(1000);
	}
	if (!locked && !took)
		return false;
	va = ukmem__va_find_locked(addr);
	if (va) {
		va_info(va, info);
		found = true;
	}
	for (unsigned int i = 0; !found && i < UKMEM_VA_HISTORY; i++) {
		const struct ukmem__va_info *h =
			&V.history[(V.history_pos - 1 - i) % UKMEM_VA_HISTORY];

		if (h->freed && addr >= h->start && addr < h->end) {
			*info = *h;
			found = true;
		}
	}
	if (took)
		ukmem__va_unlock();
	return found;
}

static void walk(struct ukmem__va_node *n, void (*fn)(struct ukmem__vmap_area *, void *),
		 void *arg)
{
	if (!n)
		return;
	walk(n->left, fn, arg);
	fn(container_of(n, struct ukmem__vmap_area, node), arg);
	walk(n->right, fn, arg);
}

/* Visit every area in address order. */
void ukmem__va_for_each_locked(void (*fn)(struct ukmem__vmap_area *va, void *arg), void *arg)
{
	walk(V.busy_root, fn, arg);
}
