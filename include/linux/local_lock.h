/* SPDX-License-Identifier: MIT */
/*
 * <linux/local_lock.h>: a lock that protects per-CPU data against the code that could run on
 * the same CPU meanwhile, as 6.1's non-RT local_lock: taking it disables preemption (the
 * _irq and _irqsave forms disable interrupts as well), so what it protects is reached through
 * this_cpu_ptr() between lock and unlock.  It takes no argument's memory: local_lock_t is
 * empty (lockdep's map is not kept; ukmem has no lockdep).  In ukmem every thread is a CPU and
 * threads that share a CPU id run at once (docs/percpu-and-pools.md): give a program at least
 * as many possible CPUs as threads (possible_cpus=) when per-CPU data relies on this lock.
 */
#ifndef _UKMEM_LINUX_LOCAL_LOCK_H
#define _UKMEM_LINUX_LOCAL_LOCK_H
#include <linux/preempt.h>
#include <linux/irqflags.h>

typedef struct { } local_lock_t;
#define INIT_LOCAL_LOCK(lockname)	{ }
#define local_lock_init(lock)		do { (void)(lock); } while (0)

#define local_lock(lock)		do { (void)(lock); preempt_disable(); } while (0)
#define local_unlock(lock)		do { (void)(lock); preempt_enable(); } while (0)
#define local_lock_irq(lock)		do { (void)(lock); local_irq_disable(); } while (0)
#define local_unlock_irq(lock)		do { (void)(lock); local_irq_enable(); } while (0)
#define local_lock_irqsave(lock, flags)	do { (void)(lock); local_irq_save(flags); } while (0)
#define local_unlock_irqrestore(lock, flags)					\
	do { (void)(lock); local_irq_restore(flags); } while (0)
#endif
