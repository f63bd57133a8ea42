/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the page allocator tests: snapshots of the allocator's state (the
 * "buddyinfo" text and nr_free_pages after draining this thread's page cache), and a
 * content pattern to prove that no two live blocks overlap.
 */
#ifndef UKMEM_TEST_PAGES_H
#define UKMEM_TEST_PAGES_H
#include <stdint.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <ukmem.h>
#include "ktest.h"

#define pt_show(name) kt_show(name)

/* Free pages once this thread's cached pages are back in the buddy lists. */
static inline unsigned long pt_free_pages(void)
{
	drain_local_pages(NULL);
	return nr_free_pages();
}

/* Every page back and coalesced: buddyinfo and nr_free_pages equal the snapshot. */
struct pt_snapshot {
	char *buddyinfo;
	unsigned long free;
};

static inline struct pt_snapshot pt_snap(void)
{
	struct pt_snapshot s;

	s.free = pt_free_pages();
	s.buddyinfo = pt_show("buddyinfo");
	return s;
}

#define PT_EXPECT_SAME(snap) do { \
	struct pt_snapshot _now = pt_snap(); \
	KT_EQ(_now.free, (snap).free); \
	if (strcmp(_now.buddyinfo, (snap).buddyinfo)) \
		KT_FAIL("buddyinfo changed:\nbefore:\n%safter:\n%s", (snap).buddyinfo, _now.buddyinfo); \
	free(_now.buddyinfo); } while (0)

/* Fill a block with words derived from @tag and its address; check them back. */
static inline void pt_fill(void *p, size_t len, uint64_t tag)
{
	uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i += 64)	/* one word per cache line */
		w[i] = tag ^ (uint64_t)(uintptr_t)&w[i];
	w[len / 8 - 1] = ~tag;
}

static inline void pt_check(const void *p, size_t len, uint64_t tag)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i += 64)
		if (w[i] != (tag ^ (uint64_t)(uintptr_t)&w[i]))
			KT_FAIL("block %p tag %#llx: word %zu was overwritten (%#llx)", p,
				(unsigned long long)tag, i, (unsigned long long)w[i]);
	if (w[len / 8 - 1] != ~tag)
		KT_FAIL("block %p tag %#llx: last word was overwritten", p, (unsigned long long)tag);
}

/* A small deterministic PRNG (xorshift64*), so failures reproduce. */
static inline uint64_t pt_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}
#endif
