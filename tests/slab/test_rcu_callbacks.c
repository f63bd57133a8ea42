/* SPDX-License-Identifier: MIT */
/*
 * call_rcu and rcu_barrier: the callback thread's contract (src/slab/rcu_host.c).
 *  - a callback runs after a grace period: not while a reader that began before call_rcu
 *    is still inside, and always before an rcu_barrier that began after call_rcu returns;
 *  - callbacks run in call order; one may call call_rcu again (a later rcu_barrier waits
 *    for the new one too); call_rcu or kfree_rcu of a head still pending is 6.1's
 *    "Double-freed" warning and is dropped;
 *  - call_rcu from several threads at once loses nothing;
 *  - a fork() child inherits the callbacks queued before fork and runs them (its own
 *    callback thread), and the parent's keep running;
 *  - many rcu_barrier()s in a row each wait for their callbacks (the thread does not gather
 *    a batch while someone waits);
 *  - callbacks run in softirq context (RCU_SOFTIRQ): in_softirq(), no sleeping (GFP_KERNEL
 *    is the "sleeping function called from invalid context" report, GFP_ATOMIC is fine);
 *    a callback that leaves the preemption count changed gets the softirq core's "huh"
 *    line and the count is put back;
 *  - rcu_barrier() inside a callback is that sleeping report, and returns (it would wait
 *    for itself);
 *  - kmem_cache_destroy() inside a callback is that report too; a SLAB_TYPESAFE_BY_RCU
 *    cache's slabs and struct go after the callbacks queued before (nothing hangs, nothing
 *    leaks);
 *  - kmem_cache_destroy() of a SLAB_TYPESAFE_BY_RCU cache whose objects pending call_rcu
 *    callbacks would free, without rcu_barrier() first: 6.1's "Slab cache still has
 *    objects" report (the live objects are checked first; it waited for the callbacks and
 *    said nothing), the cache kept for the callbacks, and a second destroy after
 *    rcu_barrier() silent; with the barrier first, no report;
 *  - kmem_cache_destroy() of an empty SLAB_TYPESAFE_BY_RCU cache while a reader may still
 *    look at a freed object: it returns only after the reader has left;
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
#include <linux/interrupt.h>
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

/* call_rcu or kfree_rcu of a head whose callback is still pending: 6.1's debug-objects
 * warning, and the second call is dropped.  (It was queued again: the queue looped, the
 * callback thread ran the same head forever and rcu_barrier never returned; under kasan=on
 * the freed head's poison was called as a function.) */
struct dq {
	long v;
	struct rcu_head rcu;
};

static int dq_runs;

static void dq_cb(struct rcu_head *head)
{
	__atomic_fetch_add(&dq_runs, 1, __ATOMIC_RELAXED);
}

static void test_double_queue(void)
{
	static struct rcu_head h;
	struct dq *o = kmalloc(sizeof(*o), GFP_KERNEL);
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	call_rcu(&h, dq_cb);
	call_rcu(&h, dq_cb);
	kfree_rcu(o, rcu);
	kfree_rcu(o, rcu);
	rcu_barrier();
	out = kt_capture_end();
	KT_CONTAINS(out, "__call_rcu(): Double-freed CB ");
	KT_CONTAINS(out, "kvfree_call_rcu(): Double-freed call. rcu_head ");
	KT_NOT_CONTAINS(out, "double-free");
	KT_EQ(dq_runs, 1);
	KT_EQ(ukmem_report_count(), before + 2);
	free(out);
	call_rcu(&h, dq_cb);		/* it ran: it may be queued again */
	rcu_barrier();
	KT_EQ(dq_runs, 2);
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

/* Queues fn on a fresh head (each callback frees its own), waits for it and for what it
 * deferred, and returns what was printed meanwhile. */
static char *run_captured(rcu_callback_t fn)
{
	kt_capture_begin();
	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), fn);
	rcu_barrier();
	rcu_barrier();		/* what the callback deferred (a cache destruction's parts) */
	rcu_barrier();
	return kt_capture_end();
}

static int barrier_in_cb;

static void barrier_cb(struct rcu_head *head)
{
	rcu_barrier();			/* a bug: reported, returns instead of waiting forever */
	__atomic_store_n(&barrier_in_cb, 1, __ATOMIC_RELAXED);
	kfree(head);
}

/* rcu_barrier() from a callback is the kernel's bug (sleeping in softirq context) and would
 * wait for its own batch: the sleeping report, and the callback goes on. */
static void test_barrier_in_callback(void)
{
	unsigned long before = ukmem_report_count();
	char *out = run_captured(barrier_cb);

	KT_EQ(barrier_in_cb, 1);
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at ");
	KT_CONTAINS(out, "preempt_count: 100, expected: 0\n");
	KT_CONTAINS(out, " barrier_cb+");
	free(out);
}

static struct {
	unsigned long softirq, serving, task, count;
	void *atomic_obj;
} seen;

static void context_cb(struct rcu_head *head)
{
	seen.softirq = in_softirq();
	seen.serving = in_serving_softirq();
	seen.task = in_task();
	seen.count = preempt_count();
	seen.atomic_obj = kmalloc(64, GFP_ATOMIC);	/* allowed: no report */
	kfree(head);
}

static void sleeping_cb(struct rcu_head *head)
{
	kfree(kmalloc(64, GFP_KERNEL));			/* a bug: may sleep */
	kfree(head);
}

/* The context a callback runs in, and what may not be done there. */
static void test_callback_context(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), context_cb);
	rcu_barrier();
	KT_ASSERT(seen.softirq);
	KT_ASSERT(seen.serving);
	KT_ASSERT(!seen.task);
	KT_EQ(seen.count, SOFTIRQ_OFFSET);
	KT_ASSERT(seen.atomic_obj);
	kfree(seen.atomic_obj);
	KT_EQ(ukmem_report_count(), before);
	KT_EQ(preempt_count(), 0);			/* the caller's context is its own */

	out = run_captured(sleeping_cb);
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274\n");
	KT_CONTAINS(out, "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ");
	KT_CONTAINS(out, " sleeping_cb+");
	free(out);
}

static void preempt_leak_cb(struct rcu_head *head)
{
	preempt_disable();				/* a bug: never enabled again */
	kfree(head);
}

/* A callback that leaves preemption disabled: reported, and the next one runs as usual. */
static void test_preempt_leak(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), preempt_leak_cb);
	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), context_cb);
	rcu_barrier();
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "huh, entered softirq 9 RCU preempt_leak_cb+");
	KT_CONTAINS(out, " with preempt_count 00000100, exited with 00000101?\n");
	KT_EQ(seen.count, SOFTIRQ_OFFSET);
	kfree(seen.atomic_obj);
	free(out);
}

static struct kmem_cache *doomed;
static int destroyed;

static void destroy_cb(struct rcu_head *head)
{
	kmem_cache_destroy(doomed);			/* a bug: may sleep */
	__atomic_store_n(&destroyed, 1, __ATOMIC_RELAXED);
	kfree(head);
}

/* kmem_cache_destroy() from a callback: the sleeping report; the cache goes all the same,
 * an RCU one after the callbacks queued before it (its slabs' among them), without a hang. */
static void test_destroy_in_callback(slab_flags_t flags, const char *name)
{
	unsigned long before = ukmem_report_count();
	void *obj;
	char *out;

	doomed = kmem_cache_create(name, 96, 0, flags, NULL);
	KT_ASSERT(doomed);
	obj = kmem_cache_alloc(doomed, GFP_KERNEL);
	KT_ASSERT(obj);
	kmem_cache_free(doomed, obj);
	KT_NE(kt_slabinfo(name, 0), -1);
	destroyed = 0;
	out = run_captured(destroy_cb);
	KT_EQ(destroyed, 1);
	KT_EQ(ukmem_report_count(), before + 1);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at ");
	KT_CONTAINS(out, " destroy_cb+");
	KT_EQ(kt_slabinfo(name, 0), -1);
	free(out);
}

/* SLAB_TYPESAFE_BY_RCU objects freed by call_rcu callbacks, destroyed without the
 * driver's own rcu_barrier(): 6.1 checks for live objects first and reports; ukmem waited
 * for the callbacks and said nothing. */
static struct kmem_cache *tsafe;

struct tsafe_obj {
	struct rcu_head rcu;
	char data[40];
};

static void tsafe_free_cb(struct rcu_head *head)
{
	kmem_cache_free(tsafe, container_of(head, struct tsafe_obj, rcu));
}

static noinline void tsafe_destroy(void)
{
	kmem_cache_destroy(tsafe);
	__asm__ __volatile__("" ::: "memory");	/* a frame of its own: the report names it */
}

static void test_destroy_typesafe_pending(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	tsafe = kmem_cache_create("cb_tsafe", sizeof(struct tsafe_obj), 0, SLAB_TYPESAFE_BY_RCU, NULL);
	KT_ASSERT(tsafe);
	for (int i = 0; i < 8; i++) {
		struct tsafe_obj *o = kmem_cache_alloc(tsafe, GFP_KERNEL);

		KT_ASSERT(o);
		call_rcu(&o->rcu, tsafe_free_cb);
	}
	kt_capture_begin();
	tsafe_destroy();			/* the bug: no rcu_barrier() before it */
	out = kt_capture_end();
	KT_CONTAINS(out, "kmem_cache_destroy cb_tsafe: Slab cache still has objects when called "
		    "from tsafe_destroy+");
	KT_CONTAINS(out, "Objects remaining in cb_tsafe on __kmem_cache_shutdown()");
	free(out);
	KT_EQ(ukmem_report_count(), before + 2);	/* the BUG and its WARN */
	KT_NE(kt_slabinfo("cb_tsafe", 0), -1);		/* kept: the callbacks still free into it */
	rcu_barrier();
	kmem_cache_destroy(tsafe);			/* silent, as 6.1's second destroy */
	KT_EQ(kt_slabinfo("cb_tsafe", 0), -1);		/* and here the cache goes */
	KT_EQ(ukmem_report_count(), before + 2);

	/* the driver's way: rcu_barrier() first, then no report */
	tsafe = kmem_cache_create("cb_tsafe", sizeof(struct tsafe_obj), 0, SLAB_TYPESAFE_BY_RCU, NULL);
	for (int i = 0; i < 8; i++)
		call_rcu(&((struct tsafe_obj *)kmem_cache_alloc(tsafe, GFP_KERNEL))->rcu, tsafe_free_cb);
	rcu_barrier();
	kmem_cache_destroy(tsafe);
	KT_EQ(kt_slabinfo("cb_tsafe", 0), -1);
	KT_EQ(ukmem_report_count(), before + 2);
}

/* A reader inside rcu_read_lock() may still look at a freed SLAB_TYPESAFE_BY_RCU object:
 * kmem_cache_destroy of its (empty) cache gives the slab back only after the reader leaves. */
static struct {
	struct tsafe_obj *obj;
	int inside, left;
	char seen;
} rd;

static void *tsafe_reader(void *arg)
{
	rcu_read_lock();
	rd.seen = READ_ONCE(rd.obj)->data[0];
	__atomic_store_n(&rd.inside, 1, __ATOMIC_RELEASE);
	usleep(100 * 1000);			/* destroy is called meanwhile */
	rd.seen = READ_ONCE(rd.obj)->data[1];
	__atomic_store_n(&rd.left, 1, __ATOMIC_RELEASE);
	rcu_read_unlock();
	return NULL;
}

static void test_destroy_typesafe_reader(void)
{
	unsigned long before = ukmem_report_count();
	pthread_t t;

	tsafe = kmem_cache_create("cb_tsafe_rd", sizeof(struct tsafe_obj), 0, SLAB_TYPESAFE_BY_RCU, NULL);
	rd.obj = kmem_cache_alloc(tsafe, GFP_KERNEL);
	KT_ASSERT(rd.obj);
	memset(rd.obj->data, 7, sizeof(rd.obj->data));
	KT_EQ(pthread_create(&t, NULL, tsafe_reader, NULL), 0);
	while (!__atomic_load_n(&rd.inside, __ATOMIC_ACQUIRE))
		usleep(1000);
	kmem_cache_free(tsafe, rd.obj);		/* no object left: the destroy goes ahead */
	kmem_cache_destroy(tsafe);
	KT_EQ(__atomic_load_n(&rd.left, __ATOMIC_ACQUIRE), 1);	/* it waited for the reader */
	KT_EQ(pthread_join(t, NULL), 0);
	KT_EQ(kt_slabinfo("cb_tsafe_rd", 0), -1);
	KT_EQ(ukmem_report_count(), before);
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
	/* last: forked children would count their reports */
	test_callback_context();
	test_preempt_leak();
	test_destroy_in_callback(0, "cb_doomed");
	test_destroy_in_callback(SLAB_TYPESAFE_BY_RCU, "cb_doomed_rcu");
	test_destroy_typesafe_pending();
	test_destroy_typesafe_reader();
	test_barrier_in_callback();
	test_double_queue();
	KT_EQ(ukmem_exit(), 9);		/* the nine reports above, and nothing leaked */
	printf("test_rcu_callbacks: ok\n");
	return 0;
}
