/* SPDX-License-Identifier: MIT */
/*
 * call_rcu and rcu_barrier: the callback thread's contract (src/slab/rcu_host.c).
 *  - a callback runs after a grace period: not while a reader that began before call_rcu
 *    is still inside, and always before an rcu_barrier that began after call_rcu returns;
 *  - callbacks run in call order; one may call call_rcu again (a later rcu_barrier waits
 *    for the new one too);
 *  - call_rcu from several threads at once loses nothing;
 *  - a fork() child inherits the callbacks queued before fork and runs them (its own
 *    callback thread), and the parent's keep running;
 *  - many rcu_barrier()s in a row each wait for their callbacks (the thread does not gather
 *    a batch while someone waits);
 *  - rcu_barrier() inside a callback WARNs and returns (it would wait for itself);
 *  - fork() while a batch runs waits for the batch to finish: the child neither deadlocks
 *    nor inherits a half-run batch (the batch's vfree and kfree are done in its copy, so its
 *    ukmem_exit() finds no leak); also with kasan=on, whose quarantine the batch's frees use.
 */
#include <pthread.h>
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define __SANITIZE_THREAD__ 1
#endif
#endif
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

struct item {
	struct rcu_head rcu;
	int id;
};

static int ran[4096];
static int order[4096], nr_order;
static pthread_mutex_t order_lock = PTHREAD_MUTEX_INITIALIZER;

static void item_cb(struct rcu_head *head)
{
	struct item *it = container_of(head, struct item, rcu);

	__atomic_fetch_add(&ran[it->id], 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&order_lock);
	order[nr_order++] = it->id;
	pthread_mutex_unlock(&order_lock);
	kfree(it);
}

static struct item *queue_gfp(int id, gfp_t gfp)
{
	struct item *it = kmalloc(sizeof(*it), gfp);

	KT_ASSERT(it);
	it->id = id;
	call_rcu(&it->rcu, item_cb);
	return it;
}

static struct item *queue_item(int id)
{
	return queue_gfp(id, GFP_KERNEL);
}

static void reset(void)
{
	memset(ran, 0, sizeof(ran));
	nr_order = 0;
}

/* A reader that started before call_rcu holds the callback back until it leaves. */
static void test_waits_for_reader(void)
{
	reset();
	rcu_read_lock();
	queue_gfp(1, GFP_ATOMIC);
	usleep(50 * 1000);		/* longer than the thread ever gathers a batch */
	KT_EQ(__atomic_load_n(&ran[1], __ATOMIC_RELAXED), 0);
	rcu_read_unlock();
	rcu_barrier();
	KT_EQ(ran[1], 1);
}

/* Call order is run order; rcu_barrier waits for everything queued before it. */
static void test_order(void)
{
	reset();
	for (int i = 0; i < 1000; i++)
		queue_item(i);
	rcu_barrier();
	KT_EQ(nr_order, 1000);
	for (int i = 0; i < 1000; i++)
		KT_EQ(order[i], i);
}

static int chained;

static void chain_second(struct rcu_head *head)
{
	__atomic_store_n(&chained, 2, __ATOMIC_RELAXED);
	kfree(head);
}

static void chain_first(struct rcu_head *head)
{
	__atomic_store_n(&chained, 1, __ATOMIC_RELAXED);
	call_rcu(head, chain_second);		/* re-queued from the callback thread */
}

static void test_chained(void)
{
	struct rcu_head *h = kmalloc(sizeof(*h), GFP_KERNEL);

	call_rcu(h, chain_first);
	rcu_barrier();
	KT_ASSERT(__atomic_load_n(&chained, __ATOMIC_RELAXED) >= 1);
	rcu_barrier();
	KT_EQ(chained, 2);
}

static void *queue_many(void *arg)
{
	int base = (int)(long)arg;

	for (int i = 0; i < 1000; i++) {
		rcu_read_lock();		/* call_rcu inside a reader never waits */
		queue_gfp(base + i, GFP_ATOMIC);
		rcu_read_unlock();
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];

	reset();
	for (int i = 0; i < 4; i++)
		KT_EQ(pthread_create(&t[i], NULL, queue_many, (void *)(long)(i * 1000)), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	rcu_barrier();
	for (int i = 0; i < 4000; i++)
		KT_EQ(ran[i], 1);
	KT_EQ(nr_order, 4000);
}

/* Each barrier waits for its own callback: 200 in a row. */
static void test_barriers(void)
{
	reset();
	for (int i = 0; i < 200; i++) {
		queue_item(i);
		rcu_barrier();
		KT_EQ(ran[i], 1);
	}
}

static int barrier_in_cb;

static void barrier_cb(struct rcu_head *head)
{
	rcu_barrier();			/* a bug: WARNs and returns instead of waiting forever */
	__atomic_store_n(&barrier_in_cb, 1, __ATOMIC_RELAXED);
	kfree(head);
}

/* rcu_barrier() from a callback is the kernel's bug (sleeping in softirq context) and would
 * wait for its own batch: a WARN, and the callback goes on. */
static void test_barrier_in_callback(void)
{
	unsigned long before = ukmem_report_count();

	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), barrier_cb);
	rcu_barrier();
	KT_EQ(barrier_in_cb, 1);
	KT_EQ(ukmem_report_count(), before + 1);
}

static int slow_started;

struct slow {
	struct rcu_head rcu;
	void *area;
};

static void slow_cb(struct rcu_head *head)
{
	struct slow *sl = container_of(head, struct slow, rcu);

	__atomic_store_n(&slow_started, 1, __ATOMIC_RELEASE);
	usleep(100 * 1000);		/* the fork comes now */
	vfree(sl->area);		/* kmemleak's record lock; KASAN's quarantine */
	kfree(sl);
}

/* The batch that was running at fork finished before it (fork waits for it): the child's
 * copy of the process holds neither the area nor the record, so nothing leaks there. */
static void quiet_child(void *arg)
{
	(void)arg;
	rcu_barrier();
	fprintf(stderr, "quiet child exit %d\n", ukmem_exit());
}

static __attribute__((unused)) void test_fork_during_batch(void)
{
	struct slow *sl = kmalloc(sizeof(*sl), GFP_KERNEL);
	char *out;
	int status;

	sl->area = vmalloc(PAGE_SIZE);
	call_rcu(&sl->rcu, slow_cb);
	while (!__atomic_load_n(&slow_started, __ATOMIC_ACQUIRE))
		usleep(1000);
	status = kt_run_child(quiet_child, NULL, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "quiet child exit 0\n");
	free(out);
	rcu_barrier();
}

static void fork_child(void *arg)
{
	(void)arg;
	rcu_barrier();			/* the callback queued before fork runs here */
	fprintf(stderr, "child ran %d\n", ran[7]);
	queue_item(8);
	rcu_barrier();
	fprintf(stderr, "child ran8 %d\n", ran[8]);
	fprintf(stderr, "child exit %d\n", ukmem_exit());
}

static __attribute__((unused)) void test_fork(void)
{
	char *out;
	int status;

	reset();
	queue_item(7);			/* still gathering at fork: both processes run it */
	status = kt_run_child(fork_child, NULL, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "child ran 1\n");
	KT_CONTAINS(out, "child ran8 1\n");
	KT_CONTAINS(out, "child exit 0\n");
	free(out);
	rcu_barrier();
	KT_EQ(ran[7], 1);
}

int main(void)
{
	test_waits_for_reader();
	test_order();
	test_chained();
	test_threads();
	test_barriers();
#ifndef __SANITIZE_THREAD__
	/* ThreadSanitizer cannot follow a child that starts threads after a multi-threaded
	 * fork (it dies): the fork case runs in the other builds. */
	test_fork();
	test_fork_during_batch();
#endif
	test_barrier_in_callback();	/* last: forked children count its WARN */
	KT_EQ(ukmem_exit(), 1);		/* test_barrier_in_callback's WARN */
	printf("test_rcu_callbacks: ok\n");
	return 0;
}
