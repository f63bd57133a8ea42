/* SPDX-License-Identifier: MIT */
/*
 * Task states, schedule() and the wake-ups (kernel/sched/core.c's try_to_wake_up() and
 * schedule(), kernel/time/timer.c's schedule_timeout()).  There is no run queue: every task
 * is a host thread, and "not running" means asleep on the host.
 *
 * A task in schedule() with a state other than TASK_RUNNING sleeps on its own __state word
 * (a futex) while the word holds that state; a wake-up turns the word to TASK_RUNNING and
 * wakes it.  The task sets its state before it tests the condition it sleeps for, so a
 * wake-up that comes after the test finds the state set and its change makes the sleep
 * return: no wake-up is lost.  A task in wait_event() sleeps on the queue's sequence instead
 * (wait.c): between ukmem__task_wait_begin() and _end() its state is its macro's and
 * ukmem_sleep_on names the queue, and a wake-up of the task also moves that queue on.
 *
 * Invariants: only a wake-up (under the task's wake lock) or the task itself changes
 * __state; ukmem_sleep_on is set only while the task is inside a wait on that queue, so the
 * queue exists whenever a waker that holds the wake lock sees it.  A stop request
 * (ukmem_notify_signal, 6.1's TIF_NOTIFY_SIGNAL) ends every TASK_INTERRUPTIBLE sleep at once.
 *
 * Locking: ukmem_wake_lock is a bit lock in the task, a leaf held for a few instructions by
 * wake-ups and by the wait_event() sleeper's changes of its state and queue.
 */
#include <limits.h>
#include <sched.h>
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include "core/core.h"
#include "platform/platform.h"

static void wake_lock(struct task_struct *p)
{
	while (__atomic_exchange_n(&p->ukmem_wake_lock, 1, __ATOMIC_ACQUIRE))
		for (int spins = 0; __atomic_load_n(&p->ukmem_wake_lock, __ATOMIC_RELAXED); spins++)
			if (spins < 128)
				cpu_relax();
			else
				sched_yield();
}

static void wake_unlock(struct task_struct *p)
{
	__atomic_store_n(&p->ukmem_wake_lock, 0, __ATOMIC_RELEASE);
}

/**
 * ukmem__try_to_wake_up - wake @p if its state is one of @state
 * @p: the task
 * @state: the states to wake it from (TASK_NORMAL for wake_up_process)
 *
 * Return: 1 when @p was woken, 0 when its state was none of @state.
 */
int ukmem__try_to_wake_up(struct task_struct *p, unsigned int state)
{
	struct wait_queue_head *wq;
	unsigned int s;
	int woken = 0;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the caller's condition, then the state */
	wake_lock(p);
	s = __atomic_load_n(&p->__state, __ATOMIC_RELAXED);
	while (s & state) {
		if (!__atomic_compare_exchange_n(&p->__state, &s, TASK_RUNNING, false,
						 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			continue;
		wq = __atomic_load_n(&p->ukmem_sleep_on, __ATOMIC_RELAXED);
		if (wq)
			ukmem__wq_kick(wq);
		ukmem__os_wake_on(&p->__state, INT_MAX);
		__atomic_store_n(&p->ukmem_ever_woken, true, __ATOMIC_RELAXED);
		woken = 1;
		break;
	}
	wake_unlock(p);
	return woken;
}

/**
 * wake_up_state - wake a task sleeping in one of the given states
 * @p: the task
 * @state: the states (TASK_PARKED, TASK_NORMAL ...)
 *
 * Return: 1 when it was woken, 0 otherwise.  Callable in any context.
 */
int wake_up_state(struct task_struct *p, unsigned int state)
{
	return ukmem__try_to_wake_up(p, state);
}

/**
 * wake_up_process - wake a task sleeping in TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE
 * @p: the task (a kthread just created: this starts it)
 *
 * Return: 1 when it was woken, 0 when it was running already (or parked, or dead).
 * Callable in any context.
 */
int wake_up_process(struct task_struct *p)
{
	return ukmem__try_to_wake_up(p, TASK_NORMAL);
}

/* Whether the caller's task @t runs; acquire: it sees what its waker wrote before waking it. */
static bool running(struct task_struct *t)
{
	return __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) == TASK_RUNNING;
}

/* Sleep while @t (the caller) is not TASK_RUNNING, until @end (~0ULL: no limit); false
 * when the time ran out first. */
static bool task_sleep_on(struct task_struct *t, unsigned long long end)
{
	for (;;) {
		unsigned int s = __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE);
		unsigned long long now;

		if (s == TASK_RUNNING)
			return true;
		if ((s & TASK_INTERRUPTIBLE) &&
		    __atomic_load_n(&t->ukmem_notify_signal, __ATOMIC_ACQUIRE)) {
			ukmem__try_to_wake_up(t, s);
			continue;
		}
		now = end == ~0ULL ? 0 : ukmem__os_now_ns();
		if (now >= end)
			return false;
		ukmem__os_wait_on(&t->__state, s, end == ~0ULL ? ~0ULL : end - now);
	}
}

/* Sleep while @t (the caller) is not TASK_RUNNING, for at most @ns (~0ULL: no limit); false
 * when the time ran out first.  The hung-task detector watches the sleep. */
static bool task_sleep(struct task_struct *t, unsigned long long ns)
{
	unsigned long long now = ukmem__os_now_ns();
	unsigned long long end = ns >= ~0ULL - now ? ~0ULL : now + ns;	/* no wrap to the past */
	bool woken;

	ukmem__hung_sleep_begin(__atomic_load_n(&t->__state, __ATOMIC_RELAXED));
	woken = task_sleep_on(t, end);
	ukmem__hung_sleep_end();
	return woken;
}

/**
 * schedule - give up the CPU; sleep until woken when the state is not TASK_RUNNING
 *
 * With TASK_RUNNING it yields the host CPU and returns.  Otherwise it sleeps until a
 * wake_up_process() (or wake_up_state() of the state) makes the task runnable; a
 * TASK_INTERRUPTIBLE sleep of a kthread that kthread_stop() was called for ends at once.
 * Sleeping with preemption or interrupts off is reported first (schedule_debug()).
 */
void schedule(void)
{
	struct task_struct *t;

	ukmem__schedule_debug();
	t = current;
	if (running(t))
		sched_yield();
	else
		task_sleep(t, ~0ULL);
}

/** yield - let other threads run; the caller stays runnable */
void yield(void)
{
	ukmem__schedule_debug();
	sched_yield();
}

void ukmem__bad_timeout(long timeout)
{
	printk(KERN_ERR "schedule_timeout: wrong timeout value %lx\n", (unsigned long)timeout);
	dump_stack();
}

unsigned long long ukmem__timeout_ns(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT || (unsigned long)timeout > ~0ULL / (NSEC_PER_SEC / HZ))
		return ~0ULL;
	return jiffies_to_nsecs((unsigned long)timeout);
}

/**
 * schedule_timeout - sleep until woken or until @timeout jiffies have passed
 * @timeout: jiffies; MAX_SCHEDULE_TIMEOUT sleeps as schedule()
 *
 * The caller sets its state first (set_current_state); with TASK_RUNNING it does not sleep.
 * When the time runs out the task is woken (its state is TASK_RUNNING again), as 6.1's
 * timer does.  A negative @timeout is 6.1's error message and a stack dump.
 *
 * Return: 0 when the time ran out, else the jiffies left; MAX_SCHEDULE_TIMEOUT as given.
 */
long schedule_timeout(long timeout)
{
	struct task_struct *t;
	unsigned long expire;
	long left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		ukmem__bad_timeout(timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	ukmem__schedule_debug();
	t = current;
	expire = jiffies + (unsigned long)timeout;
	if (running(t))
		sched_yield();
	else if (!task_sleep(t, ukmem__timeout_ns(timeout)))
		ukmem__try_to_wake_up(t, TASK_NORMAL);	/* the timer's wake_up_process() */
	left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

/** schedule_timeout_interruptible - schedule_timeout() in TASK_INTERRUPTIBLE */
long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/** schedule_timeout_killable - schedule_timeout() in TASK_KILLABLE */
long schedule_timeout_killable(long timeout)
{
	__set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}

/** schedule_timeout_uninterruptible - schedule_timeout() in TASK_UNINTERRUPTIBLE */
long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/** schedule_timeout_idle - schedule_timeout() in TASK_IDLE */
long schedule_timeout_idle(long timeout)
{
	__set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}

/* ---- wait_event() sleepers (wait.c) ---- */
/**
 * ukmem__task_wait_begin - the caller is about to test a wait_event() condition on @wq
 * @wq: the queue it holds a ticket of
 * @state: the task state its macro sleeps in (wake_up_state() wakes it only from that one)
 *
 * From here until ukmem__task_wait_end() a wake-up of the task moves @wq on, so the task
 * re-tests its condition (6.1's prepare_to_wait_event() sets the state the same way).
 */
void ukmem__task_wait_begin(struct wait_queue_head *wq, unsigned int state)
{
	struct task_struct *t = current;

	wake_lock(t);
	__atomic_store_n(&t->__state, state, __ATOMIC_RELAXED);
	__atomic_store_n(&t->ukmem_sleep_on, wq, __ATOMIC_RELAXED);
	wake_unlock(t);
}

/**
 * ukmem__task_wait_end - the caller has stopped waiting on @wq (6.1's finish_wait())
 * @wq: the queue; nothing is done unless ukmem__task_wait_begin() named it
 */
void ukmem__task_wait_end(struct wait_queue_head *wq)
{
	struct task_struct *t = current;

	if (__atomic_load_n(&t->ukmem_sleep_on, __ATOMIC_RELAXED) != wq)
		return;
	wake_lock(t);
	__atomic_store_n(&t->ukmem_sleep_on, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&t->__state, TASK_RUNNING, __ATOMIC_RELAXED);
	wake_unlock(t);
}
