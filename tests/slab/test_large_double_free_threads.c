/* SPDX-License-Identifier: MIT */
/*
 * Two threads kfree the same large kmalloc block (> 8 KiB: pages, no slab) at once, in the
 * default mode, many times over.  Exactly one of the two frees gives the pages back; the
 * other is reported (a double free, or an invalid free when it meets the pages half-way
 * back to the page allocator); no page is lost.  Both frees
 * used to pass the block's mark check before either cleared it, and both released the
 * pages: "BUG: Bad page state ... page already free", a free block on the buddy lists
 * twice.  The release now claims the mark atomically, as kasan=on's quarantine always did.
 * Not labelled "threads": the losing free's checks read the struct pages the winner is
 * freeing (the program's race, which ThreadSanitizer reports as such).
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <ukmem.h>
#include "ktest.h"

#define PAIRS	5000

static void *volatile block;
static int round_no, done[2];

static void *free_each(void *arg)
{
	long id = (long)arg;

	for (int i = 1; i <= PAIRS; i++) {
		while (__atomic_load_n(&round_no, __ATOMIC_ACQUIRE) != i)
			sched_yield();
		kfree(block);
		__atomic_store_n(&done[id], i, __ATOMIC_RELEASE);
	}
	return NULL;
}

int main(void)
{
	unsigned long before_pages, before_reports;
	pthread_t t[2];
	char *out;

	alarm(200);		/* a hang fails the test */
	kfree(kmalloc(100, GFP_KERNEL));
	kfree(kmalloc(16384, GFP_KERNEL));
	before_pages = nr_free_pages();
	before_reports = ukmem_report_count();
	kt_capture_begin();
	for (long i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, free_each, (void *)i), 0);
	for (int i = 1; i <= PAIRS; i++) {
		block = kmalloc(16384, GFP_KERNEL);
		KT_ASSERT(block);
		__atomic_store_n(&round_no, i, __ATOMIC_RELEASE);
		while (__atomic_load_n(&done[0], __ATOMIC_ACQUIRE) < i ||
		       __atomic_load_n(&done[1], __ATOMIC_ACQUIRE) < i)
			sched_yield();
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "Bad page state");
	/* The loser that comes after the winner took the mark, before the pages are back in
	 * the free lists, finds neither a large block nor a free one: an invalid free, also
	 * reported and ignored.  Either way one report per pair. */
	KT_CONTAINS(out, "BUG: KASAN: double-free in free_each");
	KT_EQ(ukmem_report_count() - before_reports, (unsigned long)PAIRS);
	/* no page lost (the exited threads' per-thread lists went back to the zones, so more
	 * may be free than before); a leak would be a problem more at exit */
	KT_ASSERT(nr_free_pages() >= before_pages);
	free(out);
	KT_EQ(ukmem_exit(), PAIRS);
	printf("ok\n");
	return 0;
}
