/* SPDX-License-Identifier: MIT */
/*
 * Threads: two threads allocating and freeing concurrently (orders 0-3, contents checked
 * before every free), pages handed from one thread to the other and freed there, and threads
 * that exit with pages still cached in their per-thread lists: those pages come back to the
 * buddy when the thread exits.  Afterwards buddyinfo and nr_free_pages equal the start.
 */
#include <pthread.h>
#include "mm/pages.h"

#define NR_ITER		200000
#define NR_SLOTS	256
#define RING		1024

static struct pt_snapshot start;

struct worker {
	uint64_t seed;
	unsigned long allocated, failed;
};

static noinline void *churn(void *arg)
{
	struct worker *w = arg;
	struct { struct page *page; unsigned int order; uint64_t tag; } slot[NR_SLOTS] = { 0 };

	for (int i = 0; i < NR_ITER; i++) {
		int s = pt_rand(&w->seed) % NR_SLOTS;

		if (slot[s].page) {
			pt_check(page_address(slot[s].page), PAGE_SIZE << slot[s].order, slot[s].tag);
			__free_pages(slot[s].page, slot[s].order);
			slot[s].page = NULL;
			continue;
		}
		slot[s].order = pt_rand(&w->seed) % 8 < 6 ? 0 : pt_rand(&w->seed) % 4;
		slot[s].page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, slot[s].order);
		if (!slot[s].page) {
			w->failed++;
			continue;
		}
		slot[s].tag = w->seed ^ (uint64_t)i;
		pt_fill(page_address(slot[s].page), PAGE_SIZE << slot[s].order, slot[s].tag);
		w->allocated++;
	}
	for (int s = 0; s < NR_SLOTS; s++)
		if (slot[s].page) {
			pt_check(page_address(slot[s].page), PAGE_SIZE << slot[s].order, slot[s].tag);
			__free_pages(slot[s].page, slot[s].order);
		}
	return NULL;
}

static void two_threads(void)
{
	struct worker w[2] = { { .seed = 11 }, { .seed = 977 } };
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, churn, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("two threads: %lu + %lu blocks, %lu + %lu refused\n", w[0].allocated,
	       w[1].allocated, w[0].failed, w[1].failed);
	KT_ASSERT(w[0].allocated > NR_ITER / 4 && w[1].allocated > NR_ITER / 4);
	PT_EXPECT_SAME(start);
}

/* A producer allocates, a consumer checks and frees: frees land on the other thread's list. */
static struct {
	struct page *ring[RING];
	unsigned long head, tail;	/* head: next to fill, tail: next to take */
} q;

static void *producer(void *arg)
{
	for (unsigned long i = 0; i < NR_ITER; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		KT_ASSERT(page);
		pt_fill(page_address(page), PAGE_SIZE, i);
		while (i - __atomic_load_n(&q.tail, __ATOMIC_ACQUIRE) >= RING)
			sched_yield();
		q.ring[i % RING] = page;
		__atomic_store_n(&q.head, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	for (unsigned long i = 0; i < NR_ITER; i++) {
		struct page *page;

		while (__atomic_load_n(&q.head, __ATOMIC_ACQUIRE) == i)
			sched_yield();
		page = q.ring[i % RING];
		__atomic_store_n(&q.tail, i + 1, __ATOMIC_RELEASE);
		pt_check(page_address(page), PAGE_SIZE, i);
		__free_page(page);
	}
	return NULL;
}

static void cross_thread_frees(void)
{
	pthread_t p, c;

	KT_EQ(pthread_create(&p, NULL, producer, NULL), 0);
	KT_EQ(pthread_create(&c, NULL, consumer, NULL), 0);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	PT_EXPECT_SAME(start);
}

/* A thread frees pages into its own cache and exits without draining it. */
static unsigned long free_while_cached;

static void *cache_and_exit(void *arg)
{
	struct page *pages[100];

	for (int i = 0; i < 100; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		__free_page(pages[i]);
	free_while_cached = nr_free_pages();
	return NULL;
}

static void thread_exit_gives_back(void)
{
	pthread_t t;

	for (int round = 0; round < 3; round++) {
		KT_EQ(pthread_create(&t, NULL, cache_and_exit, NULL), 0);
		pthread_join(t, NULL);
		/* The pages sat on the thread's list, not in the buddy, until it exited. */
		KT_ASSERT(free_while_cached < start.free);
		KT_ASSERT(free_while_cached >= start.free - 100 - 31);
		PT_EXPECT_SAME(start);
	}
}

int main(void)
{
	KT_EQ(ukmem_init("mem=64M"), 0);
	start = pt_snap();
	two_threads();
	cross_thread_frees();
	thread_exit_gives_back();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
