/* SPDX-License-Identifier: MIT */
/*
 * The debug stack depot: allocation and free stacks stored once and named by a 32-bit handle,
 * as the kernel's stackdepot, so an object's tracking record stays small (SLUB's struct track
 * with a handle) however many objects share a stack.
 *
 * Invariants: entries are never removed; a handle is an index into one lazily-backed array
 * reserved at first use (untouched entries cost nothing); 0 means "no stack".  When the array
 * is full, new stacks get handle 0 and reports say the stack is missing.
 *
 * Locking: depot.lock guards the hash chains and the entry count; readers of a published
 * handle need no lock (entries are written before their handle is returned).
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>
#include "debug/slab_debug.h"
#include "platform/platform.h"

#define DEPOT_BUCKETS	(1U << 16)
#define DEPOT_MAX	(1U << 18)

struct depot_entry {
	u32 next;			/* chain in the bucket, 0: end */
	u32 hash;
	u32 n;
	unsigned long pcs[UKMEM_STACK_DEPTH];
};

static struct {
	pthread_mutex_t lock;
	u32 *buckets;
	struct depot_entry *entries;	/* entries[0] unused */
	u32 count;
	bool failed;
} depot = { .lock = PTHREAD_MUTEX_INITIALIZER };

static u32 hash_pcs(const unsigned long *pcs, int n)
{
	u64 h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < n; i++)
		h = (h ^ pcs[i]) * 0x100000001b3ULL;
	return (u32)(h ^ (h >> 32));
}

static bool depot_ready(void)
{
	if (depot.entries || depot.failed)
		return !depot.failed;
	depot.buckets = ukmem__os_alloc(DEPOT_BUCKETS * sizeof(u32));
	depot.entries = ukmem__os_alloc(DEPOT_MAX * sizeof(struct depot_entry));
	depot.failed = !depot.buckets || !depot.entries;
	depot.count = 1;
	return !depot.failed;
}

/**
 * ukmem__depot_save - store the caller's stack (minus skip frames); returns its handle or 0
 */
noinline unsigned int ukmem__depot_save(int skip)
{
	unsigned long pcs[UKMEM_STACK_DEPTH];
	int n = ukmem__stack_save(pcs, UKMEM_STACK_DEPTH, skip);
	u32 h = hash_pcs(pcs, n), idx = 0;

	pthread_mutex_lock(&depot.lock);
	if (depot_ready()) {
		for (idx = depot.buckets[h % DEPOT_BUCKETS]; idx; idx = depot.entries[idx].next)
			if (depot.entries[idx].hash == h && depot.entries[idx].n == (u32)n &&
			    !memcmp(depot.entries[idx].pcs, pcs, n * sizeof(pcs[0])))
				break;
		if (!idx && depot.count < DEPOT_MAX) {
			struct depot_entry *e = &depot.entries[idx = depot.count++];

			e->hash = h;
			e->n = n;
			memcpy(e->pcs, pcs, n * sizeof(pcs[0]));
			e->next = depot.buckets[h % DEPOT_BUCKETS];
			depot.buckets[h % DEPOT_BUCKETS] = idx;
		}
	}
	pthread_mutex_unlock(&depot.lock);
	return idx;
}

/* Print a stored stack from the frame that returns to from (the entry point's caller: the
 * allocator's own frames are left out), or whole when from is not in it. */
void ukmem__depot_print(unsigned int handle, unsigned long from, const char *indent)
{
	const struct depot_entry *e;
	int i;

	if (!handle || handle >= __atomic_load_n(&depot.count, __ATOMIC_ACQUIRE))
		return;
	e = &depot.entries[handle];
	for (i = 0; i < (int)e->n && e->pcs[i] != from; i++)
		;
	if (i == (int)e->n)
		i = 0;
	ukmem__stack_print(e->pcs + i, e->n - i, indent);
}

/* Around fork (kasan.c): held in the parent, released in both. */
void ukmem__depot_fork(bool prepare)
{
	if (prepare)
		pthread_mutex_lock(&depot.lock);
	else
		pthread_mutex_unlock(&depot.lock);
}

/* A track's time: milliseconds of the monotonic clock (SLUB's age= counts jiffies; this
 * counts them as at HZ=1000, not as <linux/jiffies.h>'s HZ=250). */
unsigned long ukmem__jiffies(void)
{
	return (unsigned long)(ukmem__os_coarse_ns() / 1000000);
}
