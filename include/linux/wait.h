/* SPDX-License-Identifier: MIT */
/*
 * <linux/wait.h>: wait queues.  A waiter sleeps in wait_event*() until its condition holds,
 * re-testing it after every wake_up*() on the queue that covers its sleep (and, for the _timeout forms, when the
 * time runs out).  As in the kernel, the condition is an expression the macros evaluate
 * again and again, so it must be cheap and free of side effects; the sleeping forms call
 * might_sleep() first, and the wake-ups may be called from any context, interrupt handlers
 * included.
 *
 * ukmem's queue keeps no list of waiters: a waiter takes the queue's wake-up sequence as a
 * ticket under the queue's lock, tests its condition, and sleeps until a wake-up moves the
 * sequence on (src/core/wait.c); there is one sequence per kind of sleep, interruptible or
 * not, so that wake_up_interruptible() leaves a wait_event() sleeper asleep, as 6.1's does.
 * A wake-up wakes every waiter of the kinds it covers (they all re-test), which is what the
 * kernel does for the non-exclusive waiters these macros queue.  A wake-up of
 * the waiting task itself (wake_up_process(), kthread_stop()) also makes it re-test its
 * condition, as in the kernel.  Nothing interrupts a ukmem thread, so the _interruptible
 * and _killable forms never return -ERESTARTSYS.
 */
#ifndef _UKMEM_LINUX_WAIT_H
#define _UKMEM_LINUX_WAIT_H
#include <stdbool.h>
#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/sched.h>

struct wait_queue_head {
	spinlock_t lock;		/* guards the sequences and nr_waiters (wake_up_locked: held) */
	unsigned int seq;		/* wake-ups of TASK_INTERRUPTIBLE sleepers so far */
	unsigned int useq;		/* wake-ups of TASK_UNINTERRUPTIBLE (killable, idle) sleepers */
	unsigned int nr_waiters;	/* waiters holding a ticket */
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name)	{ __SPIN_LOCK_UNLOCKED(name.lock), 0, 0, 0 }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name)	DECLARE_WAIT_QUEUE_HEAD(name)

void init_waitqueue_head(struct wait_queue_head *wq_head);

/* The wake-ups.  As 6.1's, a wake-up wakes the waiters whose sleep state @mode covers:
 * wake_up() (TASK_NORMAL) every waiter, wake_up_interruptible() only those of the
 * _interruptible forms (a wait_event() or _killable waiter sleeps on).  @nr is accepted for
 * the kernel's signatures: every waiter woken re-tests its condition. */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key);
void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr);
#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_nr(x, nr)	__wake_up(x, TASK_INTERRUPTIBLE, nr, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_locked(x)		__wake_up_locked(x, TASK_NORMAL, 1)
#define wake_up_all_locked(x)		__wake_up_locked(x, TASK_NORMAL, 0)

/* Is anyone waiting?  (A waiter counts from its ticket until it has stopped waiting.) */
static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return __atomic_load_n(&wq_head->nr_waiters, __ATOMIC_RELAXED) != 0;
}

static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return waitqueue_active(wq_head);
}

/* The sleeping side, for the macros below: take a ticket for a sleep in task state @state;
 * give it back; sleep on it for at most @timeout jiffies (MAX_SCHEDULE_TIMEOUT: no limit),
 * giving it back, and return the jiffies left (0 when the time ran out). */
unsigned int __ukmem_wait_ticket(struct wait_queue_head *wq_head, unsigned int state);
void __ukmem_wait_untick(struct wait_queue_head *wq_head);
long __ukmem_wait_sleep(struct wait_queue_head *wq_head, unsigned int ticket, long timeout,
			unsigned int state);

/* Wait until @condition holds or @timeout jiffies have passed: 0 when the time ran out with
 * the condition false, 1 when it ran out with the condition true, else the jiffies left.
 * @state is the task state the kernel's macro sleeps in (the hung-task detector watches
 * only TASK_UNINTERRUPTIBLE sleeps). */
#define __ukmem_wait_event_state(wq_head, condition, timeout, state) ({		\
	long __ret = (timeout);								\
	for (;;) {									\
		unsigned int __ticket = __ukmem_wait_ticket(&(wq_head), (state));	\
		bool __cond = (condition);						\
		if (__cond || !__ret) {							\
			__ukmem_wait_untick(&(wq_head));				\
			if (__cond && !__ret)						\
				__ret = 1;						\
			break;								\
		}									\
		__ret = __ukmem_wait_sleep(&(wq_head), __ticket, __ret, (state));	\
	}										\
	__ret;										\
})
#define __ukmem_wait_event(wq_head, condition, timeout) \
	__ukmem_wait_event_state(wq_head, condition, timeout, TASK_UNINTERRUPTIBLE)

/* wait_event() and wait_event_timeout() in another task state. */
#define __ukmem_wait_event_in(wq_head, condition, state) do {				\
	might_sleep();									\
	if (!(condition))								\
		(void)__ukmem_wait_event_state(wq_head, condition, MAX_SCHEDULE_TIMEOUT,	\
					       state);					\
} while (0)
#define __ukmem_wait_event_timeout_in(wq_head, condition, timeout, state) ({		\
	long __t = (timeout);								\
	might_sleep();									\
	(condition) ? (__t ? __t : 1) :							\
		      __ukmem_wait_event_state(wq_head, condition, __t, state);	\
})

#define wait_event(wq_head, condition) do {						\
	might_sleep();									\
	if (!(condition))								\
		(void)__ukmem_wait_event(wq_head, condition, MAX_SCHEDULE_TIMEOUT);	\
} while (0)

#define wait_event_timeout(wq_head, condition, timeout) ({				\
	long __t = (timeout);								\
	might_sleep();									\
	(condition) ? (__t ? __t : 1) : __ukmem_wait_event(wq_head, condition, __t);	\
})

#define wait_event_interruptible(wq_head, condition) \
	({ __ukmem_wait_event_in(wq_head, condition, TASK_INTERRUPTIBLE); 0; })
#define wait_event_killable(wq_head, condition) \
	({ __ukmem_wait_event_in(wq_head, condition, TASK_KILLABLE); 0; })
#define wait_event_idle(wq_head, condition) \
	__ukmem_wait_event_in(wq_head, condition, TASK_IDLE)
#define wait_event_freezable(wq_head, condition) \
	({ __ukmem_wait_event_in(wq_head, condition, TASK_INTERRUPTIBLE); 0; })
#define wait_event_interruptible_timeout(wq_head, condition, timeout) \
	__ukmem_wait_event_timeout_in(wq_head, condition, timeout, TASK_INTERRUPTIBLE)
#define wait_event_killable_timeout(wq_head, condition, timeout) \
	__ukmem_wait_event_timeout_in(wq_head, condition, timeout, TASK_KILLABLE)
#define wait_event_idle_timeout(wq_head, condition, timeout) \
	__ukmem_wait_event_timeout_in(wq_head, condition, timeout, TASK_IDLE)
#define wait_event_freezable_timeout(wq_head, condition, timeout) \
	__ukmem_wait_event_timeout_in(wq_head, condition, timeout, TASK_INTERRUPTIBLE)
#endif
