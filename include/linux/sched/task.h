/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched/task.h>, the references drivers take on a task: get_task_struct() keeps a
 * kthread's task_struct (and so its result for kthread_stop()) after the thread has exited,
 * until the matching put_task_struct().  An ordinary thread's task lives as long as the
 * thread, whatever its references: a reference on one is counted, not kept.
 */
#ifndef _UKMEM_LINUX_SCHED_TASK_H
#define _UKMEM_LINUX_SCHED_TASK_H
#include <linux/sched.h>

struct task_struct *get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
#endif
