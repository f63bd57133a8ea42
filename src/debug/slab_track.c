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
 * Locking: depot.lock serialises insertions (a new entry, the bucket head, the count).
 * Lookups take no lock: an entry is complete before the bucket head that reaches it is
 * stored (release), entries never change afterwards, and the arrays are published once
 * (release, entries last).  A lookup that misses a stack inserted meanwhile looks again
 * under the lock before inserting, so a stack has one handle.
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

/* The entries array once both arrays exist (acquire: their set-up is visible), else NULL. */
static struct depot_entry *depot_entries(void)
{
	return __atomic_load_n(&depot.entries, __ATOMIC_ACQUIRE);
}

/* Both arrays (depot.lock held); false when the host refused them. */
static bool depot_ready_locked(void)
{
	struct depot_entry *e;

	if (depot.entries || depot.failed)
		return !depot.failed;
	depot.buckets = ukmem__os_alloc(DEPOT_BUCKETS * sizeof(u32));
	e = ukmem__os_alloc(DEPOT_MAX * sizeof(struct depot_entry));
	depot.failed = !depot.buckets || !e;
	if (depot.failed)
		return false;
	depot.count = 1;
	__atomic_store_n(&depot.entries, e, __ATOMIC_RELEASE);
	return true;
}

static u32 depot_find(const struct depot_entry *entries, u32 h, const unsigned long *pcs, int n)
{
	u32 idx = __atomic_load_n(&depot.buckets[h % DEPOT_BUCKETS], __ATOMIC_ACQUIRE);

	for (; idx; idx = entries[idx].next)
		if (entries[idx].hash == h && entries[idx].n == (u32)n &&
		    !memcmp(entries[idx].pcs, pcs, n * sizeof(pcs[0])))
			return idx;
	return 0;
}

/**
 * ukmem__depot_store - the handle of a stack (stored on first sight); 0 if it cannot be
 */
unsigned int ukmem__depot_store(const unsigned long *pcs, int n)
{
	struct depot_entry *entries = depot_entries(), *e;
	u32 h = hash_pcs(pcs, n), idx;

	if (n <= 0)
		return 0;
	if (entries && (idx = depot_find(entries, h, pcs, n)))
		return idx;
	pthread_mutex_lock(&depot.lock);
	idx = 0;
	if (depot_ready_locked()) {
		idx = depot_find(depot.entries, h, pcs, n);
		if (!idx && depot.count < DEPOT_MAX) {
			e = &depot.entries[idx = depot.count];
			e->hash = h;
			e->n = n;
			memcpy(e->pcs, pcs, n * sizeof(pcs[0]));
			e->next = depot.buckets[h % DEPOT_BUCKETS];
			__atomic_store_n(&depot.count, idx + 1, __ATOMIC_RELEASE);
			__atomic_store_n(&depot.buckets[h % DEPOT_BUCKETS], idx, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&depot.lock);
	return idx;
}

/**
 * ukmem__depot_save - store the caller's stack (minus skip frames); returns its handle or 0
 */
noinline unsigned int ukmem__depot_save(int skip)
{
	unsigned long pcs[UKMEM_STACK_DEPTH];

	return ukmem__depot_store(pcs, ukmem__stack_save(pcs, UKMEM_STACK_DEPTH, skip));
}

/**
 * ukmem__depot_fetch - the frames of a stored stack: their number (0 for handle 0), and
 * where they are in *pcs (valid for the life of the process)
 */
int ukmem__depot_fetch(unsigned int handle, const unsigned long **pcs)
{
	const struct depot_entry *entries = depot_entries();

	if (!handle || !entries || handle >= __atomic_load_n(&depot.count, __ATOMIC_ACQUIRE))
		return 0;
	*pcs = entries[handle].pcs;
	return entries[handle].n;
}

/* Where the depot lives (kmemleak's scan skips it: it holds code addresses only). */
void ukmem__depot_ranges(void (*fn)(void *arg, const void *start, size_t len), void *arg)
{
	if (!depot_entries())
		return;
	fn(arg, depot.buckets, DEPOT_BUCKETS * sizeof(u32));
	fn(arg, depot.entries, DEPOT_MAX * sizeof(struct depot_entry));
}

/* Print a stored stack from the frame that returns to from (the entry point's caller: the
 * allocator's own frames are left out), or whole when from is not in it. */
void ukmem__depot_print(unsigned int handle, unsigned long from, const char *indent)
{
	const unsigned long *pcs;
	int n = ukmem__depot_fetch(handle, &pcs), i;

	for (i = 0; i < n && pcs[i] != from; i++)
		;
	if (i == n)
		i = 0;
	if (n)
		ukmem__stack_print(pcs + i, n - i, indent);
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
