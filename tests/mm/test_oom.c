/* SPDX-License-Identifier: MIT */
/*
 * Running out of memory with a small mem=: allocations fail cleanly (NULL) with the kernel's
 * "page allocation failure: order:N, mode:0x...(GFP_...)" warning, __GFP_NOWARN silences it,
 * and they succeed again after frees.  The GFP_ATOMIC reserve: once GFP_NOWAIT fails,
 * GFP_ATOMIC still succeeds (it may dip below the min watermark).  __GFP_NOFAIL waits for
 * memory instead of failing; one that may not sleep warns and fails, as in 6.1, and one
 * nobody will free memory for ends in the kernel's OOM panic after 10 s, not a hang.  An order above MAX_ORDER-1 fails with a warning.
 */
#include <pthread.h>
#include "mm/pages.h"

#define MAX_PAGES	16384

static struct page *pages[MAX_PAGES];
static struct pt_snapshot start;

/* Allocate order-0 pages with @gfp until one fails; returns how many were taken. */
static int fill(int from, gfp_t gfp)
{
	int n = from;

	while (n < MAX_PAGES && (pages[n] = alloc_page(gfp)) != NULL) {
		memset(page_address(pages[n]), (n + 1) & 0xff, 64);
		n++;
	}
	KT_ASSERT(n < MAX_PAGES);
	return n;
}

static void release(int n)
{
	while (n--)
		__free_page(pages[n]);
}

static noinline void oom_warning(void)
{
	unsigned long reports = ukmem_report_count();
	char *out;
	int n;

	n = fill(0, GFP_KERNEL | __GFP_NOWARN);
	KT_ASSERT(n > 7000);			/* 31 MiB of RAM, minus the watermarks */
	/* Full: one more GFP_KERNEL page fails with the kernel's warning. */
	kt_capture_begin();
	KT_ASSERT(alloc_page(GFP_KERNEL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "test_oom: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), nodemask=(null)");
	KT_CONTAINS(out, "Call Trace:");
	KT_CONTAINS(out, "oom_warning");	/* the caller is in the stack */
	KT_CONTAINS(out, "Mem-Info:");
	free(out);
	kt_capture_begin();
	KT_ASSERT(alloc_pages(GFP_KERNEL | __GFP_ZERO, 3) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "page allocation failure: order:3, mode:0xdc0(GFP_KERNEL|__GFP_ZERO)");
	free(out);
	/* __GFP_NOWARN: the same failure, silently. */
	kt_capture_begin();
	KT_ASSERT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	KT_ASSERT(__get_free_pages(GFP_KERNEL | __GFP_NOWARN, 2) == 0);
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	free(out);
	/* An allocation failure is a warning, not a bug: it is not counted as a problem. */
	KT_EQ(ukmem_report_count(), reports);

	/* The pages are intact and, once freed, can be had again. */
	for (int i = 0; i < n; i++)
		KT_EQ(*(unsigned char *)page_address(pages[i]), (i + 1) & 0xff);
	release(n);
	PT_EXPECT_SAME(start);
	KT_EQ(fill(0, GFP_KERNEL | __GFP_NOWARN), n);
	release(n);
	PT_EXPECT_SAME(start);
}

static void atomic_reserve(void)
{
	int nowait = fill(0, GFP_NOWAIT | __GFP_NOWARN), kernel, atomic;

	KT_ASSERT(alloc_page(GFP_NOWAIT | __GFP_NOWARN) == NULL);
	/*
	 * GFP_KERNEL may reclaim (this thread's cached pages go back to the zone, as the
	 * kernel's drain after direct reclaim), which can give it a few pages more; it never
	 * goes below the min watermark.  Once it fails, GFP_NOWAIT fails too.
	 */
	kernel = fill(nowait, GFP_KERNEL | __GFP_NOWARN);
	KT_ASSERT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	KT_ASSERT(alloc_page(GFP_NOWAIT | __GFP_NOWARN) == NULL);
	/* GFP_ATOMIC (__GFP_HIGH) may use part of the reserve below the min watermark. */
	atomic = fill(kernel, GFP_ATOMIC | __GFP_NOWARN);
	printf("GFP_NOWAIT got %d pages, GFP_KERNEL %d more, then GFP_ATOMIC %d more\n", nowait,
	       kernel - nowait, atomic - kernel);
	KT_ASSERT(atomic - kernel >= 16);
	release(atomic);
	PT_EXPECT_SAME(start);
}

/* __GFP_NOFAIL does not fail: it waits until another thread frees memory. */
static struct page *big[64];
static int nr_big, nr_freed;

static void *free_later(void *arg)
{
	usleep(100 * 1000);
	while (nr_big) {
		__free_pages(big[--nr_big], 4);
		__atomic_fetch_add(&nr_freed, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void nofail(void)
{
	pthread_t thread;
	struct page *page;
	int n;

	while (nr_big < 64 && (big[nr_big] = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 4)))
		nr_big++;
	KT_ASSERT(nr_big > 10);
	/*
	 * Take every page GFP_ATOMIC can have, this thread's cached ones included (a list refill
	 * may leave pages cached when the zone reaches its watermark; the direct reclaim of the
	 * GFP_KERNEL allocation below would drain them back).
	 */
	n = 0;
	for (int before = -1; n != before;) {
		before = n;
		n = fill(n, GFP_ATOMIC | __GFP_NOWARN);
		drain_local_pages(NULL);
	}
	KT_ASSERT(alloc_page(GFP_ATOMIC | __GFP_NOWARN) == NULL);
	KT_EQ(pthread_create(&thread, NULL, free_later, NULL), 0);
	page = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	KT_ASSERT(page);
	/* It was the other thread's free that let it through. */
	KT_ASSERT(__atomic_load_n(&nr_freed, __ATOMIC_ACQUIRE) > 0);
	pthread_join(thread, NULL);
	__free_page(page);
	release(n);
	PT_EXPECT_SAME(start);
}

/* __GFP_NOFAIL that may not sleep cannot wait: 6.1's warning and NULL (it spun forever).
 * One that may sleep, with nobody to free: after 10 s the kernel's OOM panic, and the
 * process dies of SIGABRT (it hung). */
static void nofail_deadlocked(void *arg)
{
	for (int n = 0, before = -1; n != before;) {
		before = n;
		n = fill(n, GFP_ATOMIC | __GFP_NOWARN);
		drain_local_pages(NULL);
	}
	alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	exit(0);
}

static void nofail_cannot_wait(void)
{
	unsigned long reports = ukmem_report_count();
	char *out;
	int n, status;

	n = 0;
	for (int before = -1; n != before;) {
		before = n;
		n = fill(n, GFP_ATOMIC | __GFP_NOWARN);
		drain_local_pages(NULL);
	}
	kt_capture_begin();
	KT_ASSERT(alloc_page(GFP_ATOMIC | __GFP_NOFAIL) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, "page allocation failure: order:0, mode:0x8a20(GFP_ATOMIC|__GFP_NOFAIL)");
	KT_EQ(ukmem_report_count(), reports + 1);
	free(out);
	release(n);
	PT_EXPECT_SAME(start);

	status = kt_run_child(nofail_deadlocked, NULL, &out);
	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	KT_CONTAINS(out, "invoked oom-killer: gfp_mask=0x8cc0(GFP_KERNEL|__GFP_NOFAIL), order=0");
	KT_CONTAINS(out, "Out of memory and no killable processes...\n");
	KT_CONTAINS(out, "Kernel panic - not syncing: System is deadlocked on memory\n");
	free(out);
}

static void too_big(void)
{
	unsigned long reports = ukmem_report_count();
	char *out;

	kt_capture_begin();
	KT_ASSERT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER) == NULL);
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	free(out);
	kt_capture_begin();
	KT_ASSERT(alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: ");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=32M"), 0);
	start = pt_snap();
	oom_warning();
	atomic_reserve();
	nofail();
	nofail_cannot_wait();
	too_big();
	KT_EQ(ukmem_exit(), 2);		/* the WARNs of nofail_cannot_wait and too_big */
	return 0;
}
