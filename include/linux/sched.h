/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched.h>: the UAPI clone flags plus the kernel's task: every host thread is a task
 * with its own pid (the host tid) and comm (the host thread name).
 */
#ifndef _UKMEM_LINUX_SCHED_H
#define _UKMEM_LINUX_SCHED_H
#include_next <linux/sched.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>

#define TASK_COMM_LEN	16
struct task_struct {
	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];
};
struct task_struct *get_current(void);
#define current		get_current()
#define task_pid_nr(t)	((t)->pid)

/* Task states: what a sleep is (the wait and completion calls take them). */
#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define TASK_WAKEKILL		0x00000100
#define TASK_NOLOAD		0x00000400
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define MAX_SCHEDULE_TIMEOUT	__LONG_MAX__	/* a timeout in jiffies that never runs out */

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
#endif
