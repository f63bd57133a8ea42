/* SPDX-License-Identifier: MIT */
/*
 * The kernel's RCU API on liburcu (see rcu_host.c), and kfree_rcu.
 *
 * Callbacks run through ukmem__rcu_run(): call_rcu's in softirq context (the kernel's
 * RCU_SOFTIRQ), kfree_rcu's in task context (6.1's kfree_rcu_work).  A callback cannot wait
 * for callbacks (it is one of them): rcu_barrier() there reports and returns, and the slab
 * code defers what would wait (kmem_cache_destroy of an RCU cache) with a callback of its own.
 *
 * kvfree_call_rcu: with an rcu_head inside a slab or large-kmalloc object, the object's
 * address is queued (ukmem__urcu_call_obj: the object is not read again until it is freed,
 * so a kfree while it is pending is the double free 6.1 reports, not a derailed queue), and
 * nothing is allocated.  Anything else (one-argument form, or memory the slab allocator does not own)
 * gets a small tracking record; if that cannot be allocated, the one-argument form waits for
 * a grace period and frees at once, as the kernel does, and the two-argument form (which
 * may not sleep) queues the object's own rcu_head, as 6.1 links it: its object is
 * page-aligned (vmalloc memory), found again from the head's page.  Nothing is ever left
 * unfreed.  rcu_free_ptr() is the one place where the object is finally freed.
 *
 * Locking: none of its own.
 */
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include "slab/slab.h"
#include "mm/mm.h"
#include "debug/annotate.h"

/* rcu_host.c queues a kernel rcu_head as its own {next, func} pair. */
_Static_assert(sizeof(struct rcu_head) == 2 * sizeof(void *), "rcu_head is two words");
_Static_assert(offsetof(struct rcu_head, func) == sizeof(void *), "func follows next");

void ukmem__rcu_thread_arm(void)
{
	ukmem__cpu();		/* arms the thread-exit hooks (reader unregistration) */
}

bool *ukmem__rcu_registered(void)
{
	return &ukmem__slab_tls.rcu_registered;
}

/*
 * 6.1 built without CONFIG_PREEMPT_RCU (the non-preemptible kernels distributions ship)
 * makes rcu_read_lock() a preempt_disable(): sleeping inside is the "sleeping function
 * called from invalid context" report with preempt_count 1, and "Preemption disabled at"
 * names the rcu_read_lock() call.  The reader itself is a liburcu one.
 */
static __always_inline void reader_begin(int count, unsigned long ip)
{
	ukmem__preempt_add(ukmem__cpu(), count, ip);
	if (unlikely(!ukmem__slab_tls.rcu_registered))
		ukmem__urcu_register();
	ukmem__urcu_read_lock();
}

void rcu_read_lock(void)
{
	reader_begin(PREEMPT_OFFSET, _RET_IP_);
}

/* An unlock with no read-side section open leaves liburcu alone (its nesting below zero
 * would keep every later grace period waiting) and gets the kernel's warning from the
 * count: 6.1's non-preemptible rcu_read_unlock is a preempt_enable. */
void rcu_read_unlock(void)
{
	ukmem__urcu_read_unlock();
	ukmem__preempt_sub(ukmem__cpu(), 1);
}

/*
 * 6.1's rcu_read_lock_bh() is a local_bh_disable(): the count gains SOFTIRQ_DISABLE_OFFSET
 * (in_softirq() and in_interrupt() true, in_task() still true) and sleeping inside is
 * reported with preempt_count 200.  Since 6.1's flavours are one, the reader is an
 * ordinary liburcu reader that synchronize_rcu() waits for.
 */
void rcu_read_lock_bh(void)
{
	reader_begin(SOFTIRQ_DISABLE_OFFSET, _RET_IP_);
}

void rcu_read_unlock_bh(void)
{
	ukmem__urcu_read_unlock();
	ukmem__preempt_sub(ukmem__cpu(), SOFTIRQ_DISABLE_OFFSET);
}

bool rcu_read_lock_held(void)
{
	return ukmem__urcu_read_ongoing();
}

/**
 * synchronize_rcu - wait until every RCU reader that started before this call has finished
 *
 * May sleep.  Inside a read-side section it is 6.1's might_sleep report (the reader is a
 * preempt_disable there); as in 6.1's non-preemptible RCU the sleep then ends the caller's
 * own reader for RCU's purposes, so the grace period ends instead of waiting for it.
 */
void synchronize_rcu(void)
{
	might_sleep();
	ukmem__urcu_synchronize();
}

void synchronize_rcu_expedited(void)
{
	synchronize_rcu();
}

/**
 * call_rcu - run func(head) after a grace period, on ukmem's callback thread
 *
 * A head whose callback is still pending is not queued again: the kernel's debug-objects
 * warning ("Double-freed CB"), and the second call is dropped, as 6.1 does with
 * CONFIG_DEBUG_OBJECTS_RCU_HEAD (queued twice, the queue would loop).
 */
/* The queue reads the head's func before writing it (is it queued already?): under
 * memcheck, a fresh object's func is no longer "undefined" from here on. */
static inline void head_func_defined(struct rcu_head *head)
{
	if (unlikely(ukmem__annotate_mode & UKMEM_ANNOTATE_VALGRIND))
		(void)VALGRIND_MAKE_MEM_DEFINED(&head->func, sizeof(head->func));
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head_func_defined(head);
	/* A head still pending: 6.1's debug-objects check, which leaks the second call. */
	if (unlikely(!ukmem__urcu_call(head, (void (*)(void *))func)))
		WARN(1, "__call_rcu(): Double-freed CB %p->%pS()!!!  \n", head, head->func);
}

/**
 * rcu_barrier - wait until every call_rcu() callback queued so far has run
 */
void rcu_barrier(void)
{
	/* From a callback (softirq context) might_sleep reports the bug, as the kernel does for
	 * rcu_barrier's mutex; waiting would then wait for the very batch it runs in.  Inside a
	 * reader it reports too, and the wait goes on as in synchronize_rcu(). */
	might_sleep();
	if (ukmem__urcu_in_callback())
		return;
	ukmem__urcu_barrier();
}

/* The single place kfree_rcu frees its object: kvfree(), so vmalloc memory works too. */
static void rcu_free_ptr(void *ptr)
{
	kvfree(ptr);
	ukmem__drain_local_pages();	/* as rcu_free_slab: the call_rcu thread keeps no pages */
}

struct rcu_ptr {
	struct rcu_head head;
	void *ptr;
};

static void rcu_ptr_cb(void *head)
{
	struct rcu_ptr *r = container_of((struct rcu_head *)head, struct rcu_ptr, head);

	rcu_free_ptr(r->ptr);
	kfree(r);
}

/* A kfree_rcu queued by its object's address (the queue's usual way) ... */
void ukmem__rcu_free_obj(void *obj)
{
	rcu_free_ptr(obj);
}

/* ... or by its head, when the queue's array could not grow. */
static void rcu_embedded_cb(void *head)
{
	rcu_free_ptr(ukmem__slab_object_start(head));
}

/* kvfree_rcu(ptr, rhf) of a page-aligned object (vmalloc memory) whose tracking record
 * could not be allocated: its own head was queued, in the first page (the head's offset is
 * below PAGE_SIZE), so the object starts at the head's page. */
static void rcu_page_head_cb(void *head)
{
	rcu_free_ptr((void *)((unsigned long)head & PAGE_MASK));
}

/*
 * Runs one callback as the kernel does: call_rcu callbacks in softirq context (RCU_SOFTIRQ:
 * in_softirq(), no sleeping, GFP_KERNEL is the "sleeping function called from invalid
 * context" report); kfree_rcu's frees and the slab allocator's deferred work in task
 * context, as 6.1's kfree_rcu_work and slab work items run.  A callback that returns with
 * the preemption count changed (a lock or preempt_disable left behind) gets the softirq
 * core's complaint, and the count is put back.
 */
void ukmem__rcu_run(void *head, void (*fn)(void *head))
{
	struct ukmem__cpu *c;
	unsigned int in;

	if (fn == rcu_ptr_cb || fn == rcu_embedded_cb || fn == rcu_page_head_cb ||
	    ukmem__slab_rcu_task_cb(fn)) {
		fn(head);
		return;
	}
	c = ukmem__cpu();
	ukmem__preempt_add(c, SOFTIRQ_OFFSET, _RET_IP_);	/* "disabled at": the batch loop */
	in = c->preempt_count;
	fn(head);
	if (unlikely(c->preempt_count != in)) {
		ukmem__report_begin();
		pr_err("huh, entered softirq %u %s %pS with preempt_count %08x, exited with %08x?\n",
		       RCU_SOFTIRQ, "RCU", fn, in, c->preempt_count);
		ukmem__report_end(UKMEM_REPORT_BUG);
		c->preempt_count = in;
	}
	ukmem__preempt_sub(c, SOFTIRQ_OFFSET);
}

/* The batch's softirq context is over: what its callbacks deferred (a vfree) runs now. */
void ukmem__rcu_batch_done(void)
{
	ukmem__task_work_run();
}

/**
 * kvfree_call_rcu - free an object after a grace period (kfree_rcu / kvfree_rcu)
 * @head: the object's rcu_head, or NULL for the one-argument form
 * @func: the head's offset in the object, or (head == NULL) the object itself
 */
void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	void *ptr = head ? (void *)((char *)head - (unsigned long)func) : (void *)func;
	struct rcu_ptr *r;

	if (!head)
		might_sleep();	/* the one-argument form may wait for a grace period (6.1) */
	if (head && ukmem__slab_object_start(head) == ptr) {
		head_func_defined(head);
		if (unlikely(!ukmem__urcu_call_obj(ptr, head, rcu_embedded_cb)))	/* twice */
			WARN(1, "%s(): Double-freed call. rcu_head %p\n", __func__, head);
		return;
	}
	r = kmalloc(sizeof(*r), GFP_NOWAIT | __GFP_NOWARN);
	if (r) {
		r->ptr = ptr;
		ukmem__urcu_call(&r->head, rcu_ptr_cb);
		return;
	}
	if (!head) {
		synchronize_rcu();
		rcu_free_ptr(ptr);
		return;
	}
	/* 6.1 links the object's own rcu_head then (it never sleeps in this form): so here,
	 * for an object whose start its head's page gives back. */
	if (PAGE_ALIGNED(ptr) && (unsigned long)func < PAGE_SIZE) {
		if (unlikely(!ukmem__urcu_call(head, rcu_page_head_cb)))	/* twice */
			WARN(1, "%s(): Double-freed call. rcu_head %p\n", __func__, head);
		return;
	}
	/* Nothing kvfree can free (every such object is a slab object, handled above, or
	 * page-aligned): its report now; nothing is freed, so no reader can be hurt. */
	rcu_free_ptr(ptr);
}
