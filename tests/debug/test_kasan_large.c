/* SPDX-License-Identifier: MIT */
/*
 * kasan=on and a large kmalloc (above 8 KiB, whole pages), as 6.1's kasan_kmalloc_large and
 * kasan_kfree_large: a write into the slack past the size asked for is slab-out-of-bounds
 * at kfree (ksize makes the whole block the caller's, krealloc in place moves the slack's
 * start); a freed block waits in the quarantine, so a second kfree of it is a double free
 * even after another large kmalloc, ksize and krealloc of it are a use-after-free, and a
 * write into it is found when it leaves (here at ukmem_exit).  Two threads freeing one block
 * at once: one free, one double-free report (both used to queue it, tying the quarantine's
 * list into a knot).  None of it was reported: the
 * slack was not checked and a freed block went straight back to the page allocator.
 */
#include <pthread.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define NOINLINE	__attribute__((__noinline__))
/* Hides what the compiler knows of p's object size (ksize and krealloc change it). */
#define KEEP(p)		__asm__ __volatile__("" : "+r"(p) : : "memory")

static NOINLINE void slack(void)
{
	char *p = kmalloc(10000, GFP_KERNEL), *out;

	KT_ASSERT(p);
	memset(p, 1, 10000);
	KEEP(p);
	p[10003] = 2;				/* inside the block's last page */
	kt_capture_begin();
	kfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: slab-out-of-bounds in slack+");
	KT_CONTAINS(out, "Write of size 1 at addr");
	KT_CONTAINS(out, "kmalloc was asked for 10000 bytes");
	KT_CONTAINS(out, "The buggy address is located 3 bytes to the right of\n 10000-byte region");
	free(out);
	KT_EQ(ukmem_report_count(), 1);

	p = kmalloc(10000, GFP_KERNEL);		/* ksize: all 16 KiB are the caller's */
	KT_EQ(ksize(p), 16384);
	KEEP(p);
	p[16383] = 1;
	kfree(p);
	p = kmalloc(9000, GFP_KERNEL);		/* grows in place */
	KEEP(p);
	KT_ASSERT(krealloc(p, 12000, GFP_KERNEL) == p);
	p[11999] = 1;
	KT_ASSERT(krealloc(p, 9500, GFP_KERNEL) == p);	/* shrinks in place */
	memset(p, 3, 9500);
	kfree_sensitive(p);
	KT_EQ(ukmem_report_count(), 1);

	p = kmalloc(12000, GFP_KERNEL);
	KEEP(p);
	KT_ASSERT(krealloc(p, 9000, GFP_KERNEL) == p);
	p[9001] = 1;				/* past the new size */
	kt_capture_begin();
	kfree(p);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: slab-out-of-bounds in slack+");
	KT_CONTAINS(out, "kmalloc was asked for 9000 bytes");
	free(out);
	KT_EQ(ukmem_report_count(), 2);
}

static NOINLINE void freed(void)
{
	char *p = kmalloc(20000, GFP_KERNEL), *q, *out;

	KT_ASSERT(p);
	kfree(p);
	q = kmalloc(20000, GFP_KERNEL);
	KT_ASSERT(q && q != p);			/* the freed block is held back */
	kt_capture_begin();
	kfree(p);
	kfree(p + 100);
	KT_EQ(ksize(p), 0);
	KT_ASSERT(krealloc(p, 30000, GFP_KERNEL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: double-free in freed+");
	KT_CONTAINS(out, "BUG: KASAN: invalid-free in freed+");
	KT_CONTAINS(out, "BUG: KASAN: use-after-free in freed+");
	KT_EQ(kt_count(out, "BUG: KASAN: use-after-free in freed+"), 2);
	KT_CONTAINS(out, "Read of size 1 at addr");
	KT_CONTAINS(out, "Freed by:\n freed+");
	free(out);
	KT_EQ(ukmem_report_count(), 6);
	q[19999] = 1;				/* q is live and whole */
	kfree(q);
	KT_EQ(ukmem_report_count(), 6);

	p = kmalloc(100000, GFP_KERNEL);	/* more than a quarter of the quarantine: */
	kfree(p);				/* back at once */
	q = kmalloc(100000, GFP_KERNEL);
	kfree(q);
	KT_EQ(ukmem_report_count(), 6);
}

#define RACES	1000
static pthread_barrier_t race_barrier;
static char *race_block;

static void *race_free(void *arg)
{
	for (int i = 0; i < RACES; i++) {
		pthread_barrier_wait(&race_barrier);
		kfree(race_block);
		pthread_barrier_wait(&race_barrier);
	}
	return NULL;
}

static NOINLINE void two_threads(void)
{
	long reports = ukmem_report_count();
	pthread_t t[2];
	char *out;

	pthread_barrier_init(&race_barrier, NULL, 3);
	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, race_free, NULL), 0);
	kt_capture_begin();
	for (int i = 0; i < RACES; i++) {
		race_block = kmalloc(12000, GFP_KERNEL);
		pthread_barrier_wait(&race_barrier);	/* both free it */
		pthread_barrier_wait(&race_barrier);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	out = kt_capture_end();
	KT_EQ(kt_count(out, "BUG: KASAN: double-free in race_free+"), RACES);
	free(out);
	KT_EQ(ukmem_report_count(), reports + RACES);
	pthread_barrier_destroy(&race_barrier);
}

static NOINLINE void write_after_free(char *p)
{
	p[5] = 7;
}

int main(void)
{
	char *p, *out;

	KT_EQ(ukmem_init("ukmem.annotate=0 kasan=on kasan.quarantine=256K"), 0);
	slack();
	freed();
	two_threads();
	p = kmalloc(10000, GFP_KERNEL);
	kfree(p);
	write_after_free(p);
	kt_capture_begin();
	KT_EQ(ukmem_exit(), 7 + RACES);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: use-after-free in main+");
	KT_CONTAINS(out, "found when the block left the quarantine");
	KT_CONTAINS(out, "The buggy address is located 5 bytes inside of\n 10000-byte region");
	KT_NOT_CONTAINS(out, "unreferenced object");
	free(out);
	printf("test_kasan_large: ok\n");
	return 0;
}
