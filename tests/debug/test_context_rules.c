/* SPDX-License-Identifier: MIT */
/*
 * Context rules beyond might_sleep's basics: sleeping inside rcu_read_lock (a
 * preempt_disable in 6.1's non-preemptible kernels: preempt_count 1, "Preemption disabled
 * at" the rcu_read_lock call), and inside rcu_read_lock_bh (a local_bh_disable: preempt_count
 * 200); synchronize_rcu and rcu_barrier inside a reader (reported, and they end); mutex_lock under a spinlock;
 * GFP_KERNEL in hard-irq context; vfree from hard-irq context is deferred to task context
 * (no report, the area goes away at the next vmalloc-family call); vunmap from interrupt
 * context is the kernel's BUG, and so are vmalloc and ioremap there, while vmalloc with
 * GFP_ATOMIC under a spinlock is the sleeping report (vmalloc may always sleep); kmem_cache_destroy of a cache with live objects lists them
 * as SLUB does and warns; identical reports are rate-limited as printk_ratelimit (10 per
 * 5 s, then "callbacks suppressed"), and still counted.
 */
#include <signal.h>
#include <linux/hardirq.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

static DEFINE_SPINLOCK(lock);
static DEFINE_MUTEX(mutex);

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static noinline void sleep_in_rcu(gfp_t gfp)
{
	void *p;

	rcu_read_lock();
	KT_ASSERT(in_atomic());
	p = kmalloc(64, gfp);
	rcu_read_unlock();
	kfree(p);
}

/* rcu_read_lock_bh() is 6.1's local_bh_disable(): bottom halves off, not preemption. */
static noinline void sleep_in_rcu_bh(void)
{
	void *p;

	rcu_read_lock_bh();
	KT_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET);
	KT_ASSERT(in_softirq() && !in_serving_softirq() && in_task());
	KT_ASSERT(rcu_read_lock_held());
	p = kmalloc(64, GFP_KERNEL);
	rcu_read_unlock_bh();
	kfree(p);
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!rcu_read_lock_held());
}

/* synchronize_rcu() and rcu_barrier() inside a reader: 6.1's non-preemptible RCU reports the
 * sleep, which is then a quiescent state for the reader, so the wait ends (it does not wait
 * for the caller's own reader); the reader is open again afterwards.  An alarm ends the
 * process if a wait hangs. */
static noinline void sync_in_rcu(void)
{
	alarm(30);
	rcu_read_lock();
	rcu_read_lock();
	synchronize_rcu();
	KT_ASSERT(rcu_read_lock_held());
	KT_EQ(preempt_count(), 2);
	rcu_read_unlock();
	rcu_read_unlock();
	KT_ASSERT(!rcu_read_lock_held());
	alarm(0);
}

static bool cb_ran;

static void note_cb(struct rcu_head *head)
{
	(void)head;
	__atomic_store_n(&cb_ran, true, __ATOMIC_RELEASE);
}

static noinline void barrier_in_rcu(void)
{
	static struct rcu_head head;

	alarm(30);
	call_rcu(&head, note_cb);
	rcu_read_lock();
	rcu_barrier();
	KT_ASSERT(__atomic_load_n(&cb_ran, __ATOMIC_ACQUIRE));
	KT_ASSERT(rcu_read_lock_held());
	rcu_read_unlock();
	alarm(0);
}

static void test_rcu(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	sleep_in_rcu(GFP_ATOMIC);
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	KT_EQ(ukmem_report_count(), before);
	free(out);
	KT_ASSERT(!in_atomic());

	kt_capture_begin();
	sleep_in_rcu(GFP_KERNEL);
	out = kt_capture_end();
	KT_ASSERT(starts_with(out, "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274\n"));
	KT_CONTAINS(out, "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ");
	KT_CONTAINS(out, "preempt_count: 1, expected: 0\n");
	KT_CONTAINS(out, "Preemption disabled at:\n");
	KT_CONTAINS(out, "] sleep_in_rcu+");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);

	kt_capture_begin();
	sync_in_rcu();
	out = kt_capture_end();
	KT_ASSERT(starts_with(out, "BUG: sleeping function called from invalid context at "));
	KT_CONTAINS(out, "preempt_count: 2, expected: 0\n");	/* two readers deep */
	KT_CONTAINS(out, "] sync_in_rcu+");
	KT_EQ(ukmem_report_count(), before + 2);
	free(out);

	kt_capture_begin();
	sleep_in_rcu_bh();
	out = kt_capture_end();
	KT_ASSERT(starts_with(out, "BUG: sleeping function called from invalid context at "));
	KT_CONTAINS(out, "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ");
	KT_CONTAINS(out, "preempt_count: 200, expected: 0\n");
	KT_CONTAINS(out, "] sleep_in_rcu_bh+");
	KT_EQ(ukmem_report_count(), before + 3);
	free(out);

	kt_capture_begin();
	barrier_in_rcu();
	out = kt_capture_end();
	KT_ASSERT(starts_with(out, "BUG: sleeping function called from invalid context at "));
	KT_CONTAINS(out, "] barrier_in_rcu+");
	KT_EQ(ukmem_report_count(), before + 4);
	free(out);
}

static noinline void mutex_under_spinlock(void)
{
	spin_lock(&lock);
	mutex_lock(&mutex);
	mutex_unlock(&mutex);
	spin_unlock(&lock);
}

static void test_mutex_under_spinlock(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	mutex_under_spinlock();
	out = kt_capture_end();
	KT_ASSERT(starts_with(out, "BUG: sleeping function called from invalid context at "));
	KT_CONTAINS(out, "preempt_count: 1, expected: 0\n");
	KT_CONTAINS(out, "] mutex_under_spinlock+");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
}

static void test_vfree_in_irq(void)
{
	unsigned long before = ukmem_report_count(), flags;
	char *out, *info;
	void *v = vmalloc(5 * PAGE_SIZE), *w;

	local_irq_save(flags);
	__irq_enter_raw();
	kt_capture_begin();
	vfree(v);			/* deferred, as 6.1's vfree from interrupts */
	out = kt_capture_end();
	__irq_exit_raw();
	local_irq_restore(flags);
	KT_EQ(strlen(out), 0);
	free(out);
	KT_EQ(ukmem_report_count(), before);
	w = vmalloc(PAGE_SIZE);		/* task context: the deferred free is done first */
	info = kt_show("vmallocinfo");
	KT_NOT_CONTAINS(info, "pages=5 ");
	free(info);
	vfree(w);
}

static void vunmap_in_irq_child(void *arg)
{
	struct page *pages[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	void *v = vmap(pages, 2, VM_MAP, PAGE_KERNEL);

	__irq_enter_raw();
	vunmap(v);
	exit(0);
}

static void test_vunmap_in_irq(void)
{
	char *out;
	int status = kt_run_child(vunmap_in_irq_child, NULL, &out);

	KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);	/* the kernel's BUG_ON */
	KT_CONTAINS(out, "kernel BUG at ");
	KT_CONTAINS(out, "vmalloc.c:");
	free(out);
}

/* vmalloc may sleep whatever its gfp says: GFP_ATOMIC under a spinlock is the sleeping
 * report (6.1's alloc_vmap_area might_sleep), and the allocation is still made. */
static void test_vmalloc_atomic(void)
{
	unsigned long before = ukmem_report_count();
	char *out;
	void *v;

	kt_capture_begin();
	spin_lock(&lock);
	v = __vmalloc(PAGE_SIZE, GFP_ATOMIC);
	spin_unlock(&lock);
	out = kt_capture_end();
	KT_ASSERT(v);
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context");
	KT_EQ(ukmem_report_count(), before + 1);
	free(out);
	vfree(v);
}

/* ... and from interrupt context it is 6.1's BUG_ON(in_interrupt()), for vmalloc and for
 * ioremap's and vmap's areas alike. */
static void vmalloc_in_irq_child(void *arg)
{
	__irq_enter_raw();
	if (arg)
		(void)ioremap(0xc0000000, PAGE_SIZE);
	else
		(void)__vmalloc(PAGE_SIZE, GFP_ATOMIC);
	exit(0);
}

static void test_vmalloc_in_irq(void)
{
	for (int io = 0; io < 2; io++) {
		char *out;
		int status = kt_run_child(vmalloc_in_irq_child, (void *)(long)io, &out);

		KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
		KT_CONTAINS(out, "kernel BUG at ");
		free(out);
	}
}

static noinline void test_destroy_live(void)
{
	struct kmem_cache *c = kmem_cache_create("busy_cache", 200, 0, 0, NULL);
	void *objs[3];
	char *out;

	for (int i = 0; i < 3; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	kt_capture_begin();
	kmem_cache_destroy(c);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG busy_cache (Tainted: G        W         ): Objects remaining in busy_cache on __kmem_cache_shutdown()\n");
	KT_CONTAINS(out, "\nSlab 0x");
	KT_CONTAINS(out, " objects=");
	KT_EQ(kt_count(out, "Object 0x"), 3);
	KT_CONTAINS(out, " @offset=");
	KT_CONTAINS(out, " kmem_cache_destroy+");
	KT_CONTAINS(out, "WARNING: ");
	KT_CONTAINS(out, "kmem_cache_destroy busy_cache: Slab cache still has objects when called from test_destroy_live+");
	free(out);
	kt_capture_begin();
	kmem_cache_destroy(c);			/* again, still busy: silent, as in 6.1 */
	out = kt_capture_end();
	KT_EQ(strlen(out), 0);
	free(out);
	for (int i = 0; i < 3; i++)
		kmem_cache_free(c, objs[i]);	/* the cache was kept: its objects are valid */
	kmem_cache_destroy(c);			/* all back: now it goes */
	out = kt_show("slabinfo");
	KT_NOT_CONTAINS(out, "busy_cache");
	free(out);
	/* a cache destroyed already: KASAN's report, and nothing is touched */
	c = kmem_cache_create("gone_cache", 64, 0, 0, NULL);
	kmem_cache_destroy(c);
	kt_capture_begin();
	kmem_cache_destroy(c);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: KASAN: use-after-free in kmem_cache_destroy\n");
	KT_CONTAINS(out, "was destroyed already (or never created).  Nothing is done.");
	free(out);
}

static noinline void same_bug(void)
{
	void *p;

	spin_lock(&lock);
	p = kmalloc(16, GFP_KERNEL);
	spin_unlock(&lock);
	kfree(p);
}

static noinline void same_bug_times(int n)
{
	for (int i = 0; i < n; i++)
		same_bug();
}

static void test_ratelimit(void)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	same_bug_times(15);
	out = kt_capture_end();
	KT_EQ(kt_count(out, "BUG: sleeping function called from invalid context"), 10);
	KT_EQ(ukmem_report_count(), before + 15);	/* every one is a problem */
	free(out);
	sleep(5);
	kt_capture_begin();
	same_bug_times(1);
	out = kt_capture_end();
	KT_ASSERT(starts_with(out, "__might_sleep: 5 callbacks suppressed\n"));
	KT_EQ(kt_count(out, "BUG: sleeping function called from invalid context"), 1);
	free(out);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=64M"), 0);
	test_rcu();
	test_mutex_under_spinlock();
	test_vfree_in_irq();
	test_vunmap_in_irq();
	test_vmalloc_atomic();
	test_vmalloc_in_irq();
	test_destroy_live();
	test_ratelimit();
	ukmem_exit();
	return 0;
}
