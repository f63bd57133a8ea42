/* SPDX-License-Identifier: MIT */
/*
 * Interrupts: the primary handler runs at once on the raising thread in hard-irq context
 * (in_irq, in_interrupt, interrupts off; sleeping and GFP_KERNEL reported); shared lines;
 * threaded handlers on their own thread (sleeping allowed; IRQF_ONESHOT masks the line);
 * disable/enable/synchronize; interrupts raised under spin_lock_irqsave wait for the unlock;
 * "nobody cared"; the kernel's warnings for misuse.
 */
#include <pthread.h>
#include <time.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <ukmem.h>
#include "ktest.h"

struct ctx {
	int calls, thread_calls;
	irqreturn_t ret;
	pthread_t thread, fn_thread;
	int in_irq, in_interrupt, irqs_off, fn_in_task;
	bool do_sleep, do_alloc, fn_sleep;
	bool release;			/* thread_fn spins until set (atomic) */
};

static irqreturn_t handler(int irq, void *dev)
{
	struct ctx *c = dev;

	c->calls++;
	c->thread = pthread_self();
	c->in_irq = !!in_irq();
	c->in_interrupt = !!in_interrupt();
	c->irqs_off = irqs_disabled();
	if (c->do_sleep)
		might_sleep();
	if (c->do_alloc)
		kfree(kmalloc(32, GFP_KERNEL));
	else
		kfree(kmalloc(32, GFP_ATOMIC));
	return c->ret;
}

static irqreturn_t thread_fn(int irq, void *dev)
{
	struct ctx *c = dev;

	__atomic_store_n(&c->fn_thread, pthread_self(), __ATOMIC_SEQ_CST);
	c->fn_in_task = in_task() && !irqs_disabled();
	if (c->fn_sleep)
		might_sleep();		/* allowed here: no report */
	while (!__atomic_load_n(&c->release, __ATOMIC_SEQ_CST))
		sched_yield();
	__atomic_add_fetch(&c->thread_calls, 1, __ATOMIC_SEQ_CST);
	return IRQ_HANDLED;
}

static noinline void test_hardirq_context(void)
{
	struct ctx c = { .ret = IRQ_HANDLED };
	unsigned long reports = ukmem_report_count();
	char *out;

	KT_EQ(request_irq(10, handler, 0, "ctxdev", &c), 0);
	KT_EQ(ukmem_irq_raise(10), 0);
	KT_EQ(c.calls, 1);
	KT_ASSERT(pthread_equal(c.thread, pthread_self()));
	KT_EQ(c.in_irq, 1);
	KT_EQ(c.in_interrupt, 1);
	KT_EQ(c.irqs_off, 1);
	KT_EQ(in_interrupt(), 0);
	KT_EQ(irqs_disabled(), 0);
	KT_EQ(ukmem_report_count(), reports);		/* GFP_ATOMIC is fine */
	/* sleeping in a hard-irq handler is reported, and so is GFP_KERNEL */
	c.do_sleep = true;
	kt_capture_begin();
	ukmem_irq_raise(10);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context");
	KT_CONTAINS(out, "in_atomic(): 1, irqs_disabled(): 1");
	free(out);
	c.do_sleep = false;
	c.do_alloc = true;
	kt_capture_begin();
	ukmem_irq_raise(10);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context");
	free(out);
	c.do_alloc = false;
	KT_EQ(ukmem_report_count(), reports + 2);
	KT_EQ(kstat_irqs_usr(10), 3);
	out = kt_show("interrupts");
	KT_CONTAINS(out, "  10:          3  ukmem-irq  ctxdev");
	free(out);
	KT_ASSERT(strcmp(free_irq(10, &c), "ctxdev") == 0);
	KT_EQ(ukmem_irq_raise(10), -ENOENT);
	KT_EQ(ukmem_irq_raise(NR_IRQS), -EINVAL);
	KT_EQ(request_irq(IRQ_NOTCONNECTED, handler, 0, "nc", &c), -ENOTCONN);
	KT_EQ(request_irq(NR_IRQS, handler, 0, "big", &c), -EINVAL);
}

static noinline void test_shared(void)
{
	struct ctx a = { .ret = IRQ_NONE }, b = { .ret = IRQ_HANDLED }, x = { 0 };
	char *out;

	KT_EQ(request_irq(11, handler, IRQF_SHARED, "a", &a), 0);
	KT_EQ(request_irq(11, handler, IRQF_SHARED, "b", &b), 0);
	KT_EQ(request_irq(11, handler, IRQF_SHARED, "nodev", NULL), -EINVAL);
	kt_capture_begin();
	KT_EQ(request_irq(11, handler, 0, "x", &x), -EBUSY);
	out = kt_capture_end();
	KT_CONTAINS(out, "Flags mismatch irq 11. 00000000 (x) vs. 00000080 (a)");
	free(out);
	KT_EQ(request_irq(11, handler, IRQF_SHARED | IRQF_TRIGGER_RISING, "x", &x), -EBUSY);
	ukmem_irq_raise(11);
	KT_EQ(a.calls, 1);
	KT_EQ(b.calls, 1);
	free_irq(11, &a);
	ukmem_irq_raise(11);
	KT_EQ(a.calls, 1);
	KT_EQ(b.calls, 2);
	free_irq(11, &b);
	/* a non-shared line refuses a second handler */
	KT_EQ(request_irq(12, handler, 0, "one", &a), 0);
	kt_capture_begin();
	KT_EQ(request_irq(12, handler, 0, "two", &b), -EBUSY);
	free(kt_capture_end());
	free_irq(12, &a);
}

static noinline void test_threaded(void)
{
	struct ctx c = { .ret = IRQ_WAKE_THREAD, .fn_sleep = true, .release = true };
	unsigned long reports = ukmem_report_count();
	unsigned int base;
	char *out;

	kt_capture_begin();
	KT_EQ(request_threaded_irq(13, NULL, thread_fn, 0, "noshot", &c), -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "Threaded irq requested with handler=NULL and !ONESHOT for noshot (irq 13)");
	free(out);
	KT_EQ(request_threaded_irq(13, handler, thread_fn, 0, "thr", &c), 0);
	ukmem_irq_raise(13);
	KT_EQ(c.calls, 1);
	synchronize_irq(13);
	KT_EQ(c.thread_calls, 1);
	KT_ASSERT(!pthread_equal(c.fn_thread, pthread_self()));
	KT_EQ(c.fn_in_task, 1);
	KT_EQ(ukmem_report_count(), reports);	/* sleeping in the thread is allowed */
	free_irq(13, &c);

	/* ONESHOT: the line stays masked while the thread runs; the edge waits for it */
	c = (struct ctx){ .release = false };
	base = kstat_irqs_usr(13);
	KT_EQ(request_threaded_irq(13, NULL, thread_fn, IRQF_ONESHOT, "oneshot", &c), 0);
	ukmem_irq_raise(13);
	while (!__atomic_load_n(&c.fn_thread, __ATOMIC_SEQ_CST))
		sched_yield();
	ukmem_irq_raise(13);		/* masked: pending */
	KT_EQ(kstat_irqs_usr(13), base + 1);
	__atomic_store_n(&c.release, true, __ATOMIC_SEQ_CST);
	synchronize_irq(13);
	while (__atomic_load_n(&c.thread_calls, __ATOMIC_SEQ_CST) < 2)
		sched_yield();
	KT_EQ(kstat_irqs_usr(13), base + 2);
	free_irq(13, &c);
	/* IRQ_WAKE_THREAD with no thread function: the kernel's warning */
	c = (struct ctx){ .ret = IRQ_WAKE_THREAD };
	KT_EQ(request_irq(14, handler, 0, "nothread", &c), 0);
	kt_capture_begin();
	ukmem_irq_raise(14);
	out = kt_capture_end();
	KT_CONTAINS(out, "IRQ 14 device nothread returned IRQ_WAKE_THREAD but no thread function "
		    "available.");
	free(out);
	free_irq(14, &c);
}

static noinline void test_disable_enable(void)
{
	struct ctx c = { .ret = IRQ_HANDLED };
	unsigned long reports, flags;
	DEFINE_SPINLOCK(lock);
	char *out;

	KT_EQ(request_irq(15, handler, 0, "dis", &c), 0);
	disable_irq(15);
	disable_irq_nosync(15);
	ukmem_irq_raise(15);
	ukmem_irq_raise(15);
	KT_EQ(c.calls, 0);
	enable_irq(15);
	KT_EQ(c.calls, 0);
	enable_irq(15);
	KT_EQ(c.calls, 1);		/* the pending edge, once */
	reports = ukmem_report_count();
	kt_capture_begin();
	enable_irq(15);
	out = kt_capture_end();
	KT_CONTAINS(out, "Unbalanced enable for IRQ 15");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	/* raised on a thread with interrupts off: delivered at spin_unlock_irqrestore */
	spin_lock_irqsave(&lock, flags);
	ukmem_irq_raise(15);
	KT_EQ(c.calls, 1);
	spin_unlock_irqrestore(&lock, flags);
	KT_EQ(c.calls, 2);
	/* disable_irq may sleep: atomic context is reported */
	kt_capture_begin();
	spin_lock(&lock);
	disable_irq(15);
	spin_unlock(&lock);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context");
	free(out);
	enable_irq(15);
	/* IRQF_NO_AUTOEN lines start disabled */
	free_irq(15, &c);
	KT_EQ(request_irq(15, handler, IRQF_NO_AUTOEN, "noauto", &c), 0);
	ukmem_irq_raise(15);
	KT_EQ(c.calls, 2);
	enable_irq(15);
	KT_EQ(c.calls, 3);
	free_irq(15, &c);
	/* misuse */
	kt_capture_begin();
	KT_ASSERT(free_irq(15, &c) == NULL);
	KT_EQ(irq_set_irq_wake(15, 1), 0);
	KT_EQ(irq_set_irq_wake(15, 0), 0);
	irq_set_irq_wake(15, 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "Trying to free already-free IRQ 15");
	KT_CONTAINS(out, "Unbalanced IRQ 15 wake disable");
	free(out);
	KT_EQ(request_any_context_irq(16, handler, 0, "any", &c), IRQC_IS_HARDIRQ);
	free_irq(16, &c);
}

/* 6.1's note_interrupt starts the unhandled count again when more than HZ/10 passed since
 * the last unhandled interrupt: a busy machine that holds this thread back that long between
 * two raises restarts it, as the kernel would, and the line is not disabled.  raise_timed
 * notes such a gap (the time from before one raise to after the next bounds the two
 * interrupts' distance), and a run that had one is inconclusive and done again. */
#define RESET_GAP_NS	90000000LL

struct raiser {
	long long prev, prev2;		/* before the last two raises */
	bool slow;			/* a gap that may have restarted the count */
};

static long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void raise_timed(struct raiser *r, int irq)
{
	long long t = mono_ns();

	if (r->prev2 && t - r->prev2 >= RESET_GAP_NS)
		r->slow = true;
	r->prev2 = r->prev;
	r->prev = t;
	ukmem_irq_raise(irq);
}

static bool try_nobody_cared(void)
{
	struct ctx c = { .ret = IRQ_NONE };
	unsigned long reports = ukmem_report_count();
	struct raiser r = { 0 };
	char *out;

	KT_EQ(request_irq(17, handler, 0, "deaf", &c), 0);
	kt_capture_begin();
	for (int i = 0; i < 100000; i++)
		raise_timed(&r, 17);
	out = kt_capture_end();
	if (r.slow) {
		free(out);
		free_irq(17, &c);
		return false;
	}
	KT_CONTAINS(out, "irq 17: nobody cared (try booting with the \"irqpoll\" option)");
	KT_CONTAINS(out, "handlers:");
	KT_CONTAINS(out, "] handler");
	KT_CONTAINS(out, "Disabling IRQ #17");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	KT_EQ(c.calls, 100000);
	ukmem_irq_raise(17);
	KT_EQ(c.calls, 100000);		/* disabled */
	enable_irq(17);
	KT_EQ(c.calls, 100001);		/* the pending one */
	/* a bogus return value */
	c.ret = (irqreturn_t)8;
	kt_capture_begin();
	ukmem_irq_raise(17);
	out = kt_capture_end();
	KT_CONTAINS(out, "irq event 17: bogus return value 8");
	free(out);
	free_irq(17, &c);
	return true;
}

/* As 6.1's __setup_irq: a new handler restarts the line's count, and a sharer that joins a
 * line "nobody cared" disabled enables it again.  (The count went on across the request, and
 * the line stayed disabled: the new driver never got an interrupt.) */
static bool try_nobody_cared_shared(void)
{
	struct ctx a = { .ret = IRQ_NONE }, b = { .ret = IRQ_NONE }, c = { .ret = IRQ_HANDLED };
	unsigned long reports = ukmem_report_count();
	struct raiser r = { 0 };
	char *out;

	KT_EQ(request_irq(18, handler, IRQF_SHARED, "deaf", &a), 0);
	for (int i = 0; i < 99999; i++)
		ukmem_irq_raise(18);
	KT_EQ(request_irq(18, handler, IRQF_SHARED, "deaf2", &b), 0);
	raise_timed(&r, 18);		/* the 100000th: the count started again */
	KT_EQ(ukmem_report_count(), reports);
	kt_capture_begin();
	for (int i = 0; i < 99999; i++)
		raise_timed(&r, 18);
	out = kt_capture_end();
	if (r.slow) {
		free(out);
		free_irq(18, &a);
		free_irq(18, &b);
		return false;
	}
	KT_CONTAINS(out, "Disabling IRQ #18");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	ukmem_irq_raise(18);
	KT_EQ(b.calls, 100000);		/* disabled: pending */
	KT_EQ(request_irq(18, handler, IRQF_SHARED, "hears", &c), 0);
	KT_EQ(c.calls, 1);		/* enabled again: the pending one */
	KT_EQ(b.calls, 100001);
	ukmem_irq_raise(18);
	KT_EQ(c.calls, 2);
	kt_capture_begin();
	enable_irq(18);			/* it is enabled: unbalanced */
	out = kt_capture_end();
	KT_CONTAINS(out, "Unbalanced enable for IRQ 18");
	free(out);
	free_irq(18, &a);
	free_irq(18, &b);
	free_irq(18, &c);
	return true;
}

static void test_nobody_cared(void)
{
	int tries = 0;

	while (!try_nobody_cared())
		if (++tries == 10)
			KT_FAIL("every run had a gap of 90 ms between two interrupts (machine too busy)");
	tries = 0;
	while (!try_nobody_cared_shared())
		if (++tries == 10)
			KT_FAIL("every run had a gap of 90 ms between two interrupts (machine too busy)");
}

int main(void)
{
	test_hardirq_context();
	test_shared();
	test_threaded();
	test_disable_enable();
	test_nobody_cared();
	/* reports: 2 hardirq + 1 unbalanced + 1 disable_irq + 2 misuse + nobody cared + bogus,
	 * and the shared line's nobody cared + unbalanced enable */
	KT_EQ(ukmem_exit(), 10);
	return 0;
}
