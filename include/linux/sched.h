/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched.h>: the UAPI clone flags plus the kernel's task: every host thread is a task
 * with its own pid (the host tid) and comm (the host thread name); a kthread's task is its
 * own (<linux/kthread.h>), named after it, and outlives the thread until kthread_stop().
 *
 * Task states and the scheduler's sleep: a task sets its state (set_current_state) and calls
 * schedule(), which sleeps until a wake-up (wake_up_process, wake_up_state) puts the state
 * back to TASK_RUNNING; with TASK_RUNNING it only yields.  A wake-up that comes between the
 * state change and schedule() is not lost: schedule() then returns at once.  There is no run
 * queue: every task is a host thread the host schedules (docs/context.md).
 */
#ifndef _UKMEM_LINUX_SCHED_H
#define _UKMEM_LINUX_SCHED_H
#include_next <linux/sched.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>

struct wait_queue_head;

#define TASK_COMM_LEN	16
struct task_struct {
	unsigned int __state;		/* TASK_*: schedule() sleeps while it is not RUNNING */
	unsigned int flags;		/* PF_* */
	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	int usage;			/* get_task_struct() references (kthreads: see there) */
	unsigned short migration_disabled;	/* migrate_disable() nesting */
	void *worker_private;		/* a kthread's own record (kernel/kthread.c's name) */
	/* ukmem's: the wake-up lock, a pending stop (6.1's TIF_NOTIFY_SIGNAL: a TASK_INTERRUPTIBLE
	 * sleep ends at once), whether a wake-up ever found it asleep, and the wait queue the
	 * task sleeps on in wait_event() */
	unsigned int ukmem_wake_lock;
	bool ukmem_notify_signal;
	bool ukmem_ever_woken;
	struct wait_queue_head *ukmem_sleep_on;
};
struct task_struct *get_current(void);
#define current		get_current()
#define task_pid_nr(t)	((t)->pid)
#define task_pid_vnr(t)	((t)->pid)
#define task_tgid_nr(t)	((t)->tgid)

/* Task flags (include/linux/sched.h's values). */
#define PF_EXITING		0x00000004	/* the task is exiting */
#define PF_KTHREAD		0x00200000	/* a kthread */
#define PF_NO_SETAFFINITY	0x04000000	/* bound by kthread_bind() */

/* Task states: what a sleep is (the wait and completion calls take them). */
#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define __TASK_STOPPED		0x00000004
#define __TASK_TRACED		0x00000008
#define TASK_PARKED		0x00000040
#define TASK_DEAD		0x00000080
#define TASK_WAKEKILL		0x00000100
#define TASK_NOLOAD		0x00000400
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define MAX_SCHEDULE_TIMEOUT	__LONG_MAX__	/* a timeout in jiffies that never runs out */

/* The caller's own state: __set_current_state() is a plain store, set_current_state() also
 * orders it before the condition the caller tests next (a wake-up then cannot be lost). */
#define __set_current_state(state_value) \
	__atomic_store_n(&current->__state, (state_value), __ATOMIC_RELAXED)
#define set_current_state(state_value) do {					\
	__atomic_store_n(&current->__state, (state_value), __ATOMIC_RELAXED);	\
	__atomic_thread_fence(__ATOMIC_SEQ_CST);				\
} while (0)
#define get_current_state()	__atomic_load_n(&current->__state, __ATOMIC_RELAXED)
#define task_is_running(task)	(__atomic_load_n(&(task)->__state, __ATOMIC_RELAXED) == TASK_RUNNING)

/* Wake @p if its state is one of @state: 1 when it was woken, 0 when it was not asleep in
 * such a state (running already, parked, dead). */
int wake_up_state(struct task_struct *p, unsigned int state);
int wake_up_process(struct task_struct *p);

void __might_sleep(const char *file, int line);
void __cant_sleep(const char *file, int line, int preempt_offset);
#define might_sleep()		__might_sleep(__FILE__, __LINE__)
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cant_sleep()		__cant_sleep(__FILE__, __LINE__, 0)
#define might_resched()		do { } while (0)
#define cond_resched()		({ might_sleep(); 0; })
#define need_resched()		0
void schedule(void);
void yield(void);
/* Sleep in the state set before for at most @timeout jiffies: 0 when the time ran out, else
 * the jiffies left (MAX_SCHEDULE_TIMEOUT: no limit, returned as it is). */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_killable(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_idle(long timeout);
#endif
