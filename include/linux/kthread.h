/* SPDX-License-Identifier: MIT */
/*
 * <linux/kthread.h>: kernel threads, as kernel/kthread.c.  kthread_create() starts a host
 * thread that waits, in TASK_UNINTERRUPTIBLE, until wake_up_process() (kthread_run() does
 * both) and then runs threadfn(data) in process context, with `current` its own task_struct:
 * comm is the name the format gives (cut to 15 characters), pid the host thread's id, flags
 * PF_KTHREAD.  kthread_stop() makes kthread_should_stop() true, wakes the thread (out of
 * schedule(), schedule_timeout() or a wait_event*()), waits for it to exit and returns what
 * threadfn returned (-EINTR when it never ran).  A thread that returns on its own keeps its
 * task_struct and result for the kthread_stop() to come.  Parking (kthread_park,
 * kthread_unpark, kthread_parkme, kthread_should_park) is 6.1's.
 *
 * Differences from 6.1 (docs/context.md): there is no scheduler, so kthread_bind() only sets
 * the CPU id the thread sees (smp_processor_id()), and there is no freezer
 * (kthread_freezable_should_stop() never freezes).  Misuse is reported instead of crashing:
 * kthread_stop() of a task that is not a kthread, or that a kthread_stop() already freed, is
 * a WARNING and returns -EINVAL.  Kthreads still running at ukmem_exit() are reported.
 */
#ifndef _UKMEM_LINUX_KTHREAD_H
#define _UKMEM_LINUX_KTHREAD_H
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/numa.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

struct completion;

__printf(4, 5)
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...);
#define kthread_create(threadfn, data, namefmt, arg...) \
	kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt, ##arg)
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt);

#define kthread_run(threadfn, data, namefmt, ...) ({					\
	struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__);	\
	if (!IS_ERR(__k))								\
		wake_up_process(__k);							\
	__k;										\
})

static inline struct task_struct *kthread_run_on_cpu(int (*threadfn)(void *data), void *data,
						     unsigned int cpu, const char *namefmt)
{
	struct task_struct *p = kthread_create_on_cpu(threadfn, data, cpu, namefmt);

	if (!IS_ERR(p))
		wake_up_process(p);
	return p;
}

void kthread_bind(struct task_struct *k, unsigned int cpu);
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
bool kthread_should_park(void);
bool __kthread_should_park(struct task_struct *k);
bool kthread_freezable_should_stop(bool *was_frozen);
void *kthread_func(struct task_struct *k);
void *kthread_data(struct task_struct *k);
void *kthread_probe_data(struct task_struct *k);
int kthread_park(struct task_struct *k);
void kthread_unpark(struct task_struct *k);
void kthread_parkme(void);
bool kthread_is_per_cpu(struct task_struct *k);
void get_kthread_comm(char *buf, size_t buf_size, struct task_struct *tsk);
__noreturn void kthread_exit(long result);
__noreturn void kthread_complete_and_exit(struct completion *comp, long code);
#endif
