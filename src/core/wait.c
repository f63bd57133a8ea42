/* SPDX-License-Identifier: MIT */
/*
 * Wait queues and completions (kernel/sched/wait.c, completion.c).
 *
 * A queue keeps no list of its waiters.  A waiter takes the queue's wake-up sequence as a
 * ticket under the queue's lock, tests its condition with nothing held, and sleeps on the
 * host until the sequence differs from its ticket (or its time runs out); every wake-up
 * moves the sequence on under the lock and, when anyone holds a ticket, wakes every
 * sleeper on it.  The waiters then re-test their conditions, as the kernel's non-exclusive
 * waiters do.  There are two sequences, as 6.1's wake-ups pick sleepers by task state: seq
 * for waiters asleep in TASK_INTERRUPTIBLE, useq for TASK_UNINTERRUPTIBLE ones (killable and
 * idle included); a wake-up moves on those its mode covers (wake_up_interruptible() seq
 * only, wake_up() and complete() both).
 *
 * A wait_event() waiter is also a task asleep on the queue (sched.c): from its ticket to
 * its untick its state is TASK_UNINTERRUPTIBLE, and a wake-up of the task itself
 * (wake_up_process(), kthread_stop()) moves the queue's sequence on, so that it re-tests its
 * condition, as 6.1's waiters do when their task is woken.
 *
 * Invariants:
 *  - wq->seq and wq->useq only grow (atomically), under wq->lock by a wake-up of the
 *    queue, or without it by a wake-up of one of its waiting tasks (ukmem__wq_kick, both:
 *    the other waiters re-test for nothing).  A condition made true before a wake-up is seen by every waiter whose
 *    ticket predates that wake-up (its sleep returns at once: the sequence moved) or follows
 *    it (it takes the lock after the waker dropped it, and so sees the waker's earlier
 *    writes): no wake-up is lost.
 *  - wq->nr_waiters counts the tickets held; a wake-up with none makes no host call.
 *  - completion->done changes only under completion->wait.lock; UINT_MAX (complete_all)
 *    is never consumed.
 *
 * Locking: wq->lock is a spinlock_t taken with interrupts off, as the kernel's; it is a
 * leaf, and nothing is held while a waiter sleeps on the host.
 */
#include <limits.h>
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include "core/core.h"
#include "platform/platform.h"

/**
 * init_waitqueue_head - initialise a wait queue (DECLARE_WAIT_QUEUE_HEAD does it statically)
 * @wq_head: the queue
 */
void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock);
	wq_head->seq = 0;
	wq_head->useq = 0;
	wq_head->nr_waiters = 0;
}

/* The sequence a sleeper in task state @state waits on. */
static unsigned int *wait_word(struct wait_queue_head *wq, unsigned int state)
{
	return (state & TASK_INTERRUPTIBLE) ? &wq->seq : &wq->useq;
}

/* Under wq->lock: one wake-up of the sleepers @mode covers; whether anyone holds a ticket. */
static bool wake_locked(struct wait_queue_head *wq, unsigned int mode)
{
	if (mode & TASK_INTERRUPTIBLE)
		__atomic_fetch_add(&wq->seq, 1, __ATOMIC_RELAXED);
	if (mode & TASK_UNINTERRUPTIBLE)
		__atomic_fetch_add(&wq->useq, 1, __ATOMIC_RELAXED);
	return wq->nr_waiters != 0;
}

static void wake_sleepers(struct wait_queue_head *wq, unsigned int mode)
{
	if (mode & TASK_INTERRUPTIBLE)
		ukmem__os_wake_on(&wq->seq, INT_MAX);
	if (mode & TASK_UNINTERRUPTIBLE)
		ukmem__os_wake_on(&wq->useq, INT_MAX);
}

/* A wake-up of one task waiting on @wq (sched.c, under that task's wake lock): every
 * sleeper of the queue re-tests its condition. */
void ukmem__wq_kick(struct wait_queue_head *wq)
{
	__atomic_fetch_add(&wq->seq, 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&wq->useq, 1, __ATOMIC_RELEASE);
	wake_sleepers(wq, TASK_NORMAL);
}

/**
 * __wake_up - wake the waiters of a queue (wake_up, wake_up_all, wake_up_interruptible ...)
 * @wq_head: the queue
 * @mode: the task states to wake: a waiter asleep in another state sleeps on
 * @nr: exclusive waiters to wake (none are exclusive here: every waiter covered wakes)
 * @key: passed to wake functions in the kernel; unused
 *
 * Callable in any context.  The woken re-test their conditions.
 */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key)
{
	unsigned long flags;
	bool any;

	(void)nr, (void)key;
	spin_lock_irqsave(&wq_head->lock, flags);
	any = wake_locked(wq_head, mode);
	spin_unlock_irqrestore(&wq_head->lock, flags);
	if (any)
		wake_sleepers(wq_head, mode);
}

/**
 * __wake_up_locked - __wake_up() with the queue's lock already held by the caller
 * @wq_head: the queue
 * @mode: see __wake_up()
 * @nr: see __wake_up()
 */
void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr)
{
	(void)nr;
	if (wake_locked(wq_head, mode))
		wake_sleepers(wq_head, mode);
}

/* Under wq->lock: a ticket for a sleep in @state. */
static unsigned int ticket_locked(struct wait_queue_head *wq, unsigned int state)
{
	wq->nr_waiters++;
	/* acquire: after a kick, its waker's writes */
	return __atomic_load_n(wait_word(wq, state), __ATOMIC_ACQUIRE);
}

/* wait_event()'s ticket: the task is waiting on the queue in @state from here (sched.c). */
unsigned int __ukmem_wait_ticket(struct wait_queue_head *wq_head, unsigned int state)
{
	unsigned long flags;
	unsigned int ticket;

	ukmem__task_wait_begin(wq_head, state);
	spin_lock_irqsave(&wq_head->lock, flags);
	ticket = ticket_locked(wq_head, state);
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return ticket;
}

void __ukmem_wait_untick(struct wait_queue_head *wq_head)
{
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	wq_head->nr_waiters--;
	spin_unlock_irqrestore(&wq_head->lock, flags);
	ukmem__task_wait_end(wq_head);
}

/* Sleep on a ticket for at most @timeout jiffies, then give the ticket back; the jiffies
 * left.  schedule() checks the context first, as the kernel's does before it sleeps.  A
 * negative @timeout (a deadline already past, or an unsigned one above LONG_MAX) is 6.1's
 * schedule_timeout() message and no sleep: 0 left. */
static long wait_sleep(struct wait_queue_head *wq_head, unsigned int ticket, long timeout,
		       unsigned int state)
{
	unsigned long start = jiffies, elapsed;

	if (timeout < 0) {
		ukmem__bad_timeout(timeout);
		__ukmem_wait_untick(wq_head);
		return 0;
	}
	ukmem__schedule_debug();
	ukmem__hung_sleep_begin(state);
	ukmem__os_wait_on(wait_word(wq_head, state), ticket, ukmem__timeout_ns(timeout));
	ukmem__hung_sleep_end();
	__ukmem_wait_untick(wq_head);
	if (timeout == MAX_SCHEDULE_TIMEOUT)
		return timeout;
	elapsed = jiffies - start;
	return elapsed >= (unsigned long)timeout ? 0 : timeout - (long)elapsed;
}

/* wait_event()'s sleep, in the state its macro names (the hung-task detector's concern). */
long __ukmem_wait_sleep(struct wait_queue_head *wq_head, unsigned int ticket, long timeout,
			unsigned int state)
{
	return wait_sleep(wq_head, ticket, timeout, state);
}

/* ---- completions ---- */

/**
 * init_completion - initialise a completion (DECLARE_COMPLETION does it statically)
 * @x: the completion
 */
void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

/**
 * reinit_completion - make a completion wait again (its queue is left as it is)
 * @x: the completion
 */
void reinit_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_RELAXED);
}

static void complete_with(struct completion *x, bool all)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (all)
		__atomic_store_n(&x->done, UINT_MAX, __ATOMIC_RELAXED);
	else if (x->done != UINT_MAX)
		__atomic_store_n(&x->done, x->done + 1, __ATOMIC_RELAXED);
	any = wake_locked(&x->wait, TASK_NORMAL);
	spin_unlock_irqrestore(&x->wait.lock, flags);
	if (any)
		wake_sleepers(&x->wait, TASK_NORMAL);
}

/**
 * complete - let one waiter (the next to wait, if none waits now) through
 * @x: the completion
 *
 * Callable in any context.
 */
void complete(struct completion *x)
{
	complete_with(x, false);
}

/**
 * complete_all - let every waiter through, now and later, until reinit_completion()
 * @x: the completion
 */
void complete_all(struct completion *x)
{
	complete_with(x, true);
}

/* Under the lock: consume one complete(), if there is one. */
static bool consume_locked(struct completion *x)
{
	if (!x->done)
		return false;
	if (x->done != UINT_MAX)
		__atomic_store_n(&x->done, x->done - 1, __ATOMIC_RELAXED);
	return true;
}

/* 6.1's __wait_for_common(): 0 when the time ran out, else the jiffies left (at least 1).
 * @state is the task state the kernel's would sleep in (for the hung-task detector). */
static long wait_for_state(struct completion *x, long timeout, unsigned int state)
{
	unsigned long flags;

	__might_sleep("kernel/sched/completion.c", 101);
	for (;;) {
		unsigned int ticket;

		spin_lock_irqsave(&x->wait.lock, flags);
		if (consume_locked(x)) {
			spin_unlock_irqrestore(&x->wait.lock, flags);
			return timeout ? timeout : 1;
		}
		if (!timeout) {
			spin_unlock_irqrestore(&x->wait.lock, flags);
			return 0;
		}
		ticket = ticket_locked(&x->wait, state);
		spin_unlock_irqrestore(&x->wait.lock, flags);
		timeout = wait_sleep(&x->wait, ticket, timeout, state);
	}
}

static long wait_for_common(struct completion *x, long timeout)
{
	return wait_for_state(x, timeout, TASK_UNINTERRUPTIBLE);
}

/**
 * wait_for_completion - wait, without a time limit, for a complete()
 * @x: the completion
 *
 * Sleeps: calling it where sleeping is not allowed is reported (might_sleep).
 */
void wait_for_completion(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT);
}

/** wait_for_completion_io - wait_for_completion() counted as I/O wait in the kernel */
void wait_for_completion_io(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT);
}

/** wait_for_completion_interruptible - as wait_for_completion(); 0 (never interrupted) */
int wait_for_completion_interruptible(struct completion *x)
{
	wait_for_state(x, MAX_SCHEDULE_TIMEOUT, TASK_INTERRUPTIBLE);
	return 0;
}

/** wait_for_completion_killable - as wait_for_completion(); 0 (never killed) */
int wait_for_completion_killable(struct completion *x)
{
	wait_for_state(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE);
	return 0;
}

/**
 * wait_for_completion_timeout - wait at most @timeout jiffies for a complete()
 * @x: the completion
 * @timeout: jiffies (MAX_SCHEDULE_TIMEOUT: no limit; above it, negative as a long: 6.1's
 *	"schedule_timeout: wrong timeout value" and no wait)
 *
 * Return: 0 when the time ran out, else the jiffies that were left (at least 1; as 6.1, a
 * @timeout above MAX_SCHEDULE_TIMEOUT comes back as it was when a complete() was there).
 */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return (unsigned long)wait_for_common(x, (long)timeout);
}

/** wait_for_completion_io_timeout - wait_for_completion_timeout(), as I/O wait */
unsigned long wait_for_completion_io_timeout(struct completion *x, unsigned long timeout)
{
	return (unsigned long)wait_for_common(x, (long)timeout);
}

/** wait_for_completion_interruptible_timeout - wait_for_completion_timeout(); never -ERESTARTSYS */
long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_state(x, (long)timeout, TASK_INTERRUPTIBLE);
}

/** wait_for_completion_killable_timeout - wait_for_completion_timeout(); never -ERESTARTSYS */
long wait_for_completion_killable_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_state(x, (long)timeout, TASK_KILLABLE);
}

/**
 * try_wait_for_completion - consume a complete() without waiting
 * @x: the completion
 *
 * Return: true when one was there (and is now used), false otherwise.
 */
bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret;

	if (!__atomic_load_n(&x->done, __ATOMIC_RELAXED))
		return false;
	spin_lock_irqsave(&x->wait.lock, flags);
	ret = consume_locked(x);
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

/**
 * completion_done - whether a wait would pass at once (nobody waits, or complete() ran)
 * @x: the completion
 *
 * Return: false while no complete() is pending.  Once it returns true, the complete() that
 * made it so has finished with the completion (it may be freed).
 */
bool completion_done(struct completion *x)
{
	unsigned long flags;

	if (!__atomic_load_n(&x->done, __ATOMIC_RELAXED))
		return false;
	spin_lock_irqsave(&x->wait.lock, flags);	/* until complete() has let go */
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return true;
}
