/* SPDX-License-Identifier: MIT */
/*
 * The kernel context model and might_sleep: an allocation that may sleep (GFP_KERNEL) made
 * under spin_lock, spin_lock_irqsave, spin_lock_irq, spin_lock_bh, local_irq_save,
 * preempt_disable, or a mutex_lock under a spinlock, prints the kernel's "BUG: sleeping
 * function called from invalid context" report with its follow-up lines and a stack naming
 * the caller; GFP_ATOMIC in the same places and GFP_KERNEL outside them print nothing.  The
 * preempt/irq state itself: in_atomic, in_interrupt, in_task, irqs_disabled, nesting and
 * restore, trylock, rwlocks, and the trylock, _irq and _bh forms of both.
 */
#include <pthread.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include <linux/rcupdate.h>
#include <linux/hardirq.h>
#include "ktest.h"

static DEFINE_SPINLOCK(lock);
static DEFINE_MUTEX(mutex);
static char pid_name[64];

/* Check the report in @out: first line, the state line, preempt_count and a stack. */
static void expect_sleep_report(const char *out, const char *at, int in_atomic, int irqs_off,
				int count, const char *caller)
{
	char line[128];

	KT_ASSERT(!strncmp(out, "BUG: sleeping function called from invalid context at ", 54));
	KT_CONTAINS(out, at);
	snprintf(line, sizeof(line), "in_atomic(): %d, irqs_disabled(): %d, non_block: 0, %s\n",
		 in_atomic, irqs_off, pid_name);
	KT_CONTAINS(out, line);
	snprintf(line, sizeof(line), "preempt_count: %x, expected: 0\n", count);
	KT_CONTAINS(out, line);
	if (in_atomic) {
		KT_CONTAINS(out, "Preemption disabled at:\n");
		snprintf(line, sizeof(line), "] %s+", caller);
		KT_CONTAINS(out, line);	/* where the lock was taken */
	}
	KT_CONTAINS(out, "CPU: ");
	KT_CONTAINS(out, "Call Trace:\n");
	KT_CONTAINS(out, caller);
	KT_CONTAINS(out, "test_context.c:");
}

/* Run one case: @fn does its allocation inside some atomic section; @check checks the
 * report (NULL: there must be none).  Either way the context is back to normal after it. */
static void run(void (*fn)(void), void (*check)(const char *))
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	fn();
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), before + (check != NULL));
	if (check)
		check(out);
	else
		KT_EQ(strlen(out), 0);
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!irqs_disabled());
	free(out);
}
#define RUN_REPORTED(fn)	run(fn, check_##fn)
#define RUN_QUIET(fn)		run(fn, NULL)

static void alloc_free(gfp_t gfp)
{
	struct page *page = alloc_page(gfp);

	KT_ASSERT(page);
	__free_page(page);
}

static noinline void kernel_under_spin_lock(void)
{
	spin_lock(&lock);
	KT_ASSERT(in_atomic() && !irqs_disabled() && !in_interrupt() && in_task());
	KT_EQ(preempt_count(), 1);
	alloc_free(GFP_KERNEL);
	spin_unlock(&lock);
}
static void check_kernel_under_spin_lock(const char *out)
{
	expect_sleep_report(out, "page_alloc.c:", 1, 0, 1, "kernel_under_spin_lock");
}

static noinline void kernel_under_irqsave(void)
{
	unsigned long flags;

	spin_lock_irqsave(&lock, flags);
	KT_ASSERT(in_atomic() && irqs_disabled());
	alloc_free(GFP_KERNEL);
	spin_unlock_irqrestore(&lock, flags);
}
static void check_kernel_under_irqsave(const char *out)
{
	expect_sleep_report(out, "page_alloc.c:", 1, 1, 1, "kernel_under_irqsave");
}

static noinline void kernel_under_spin_lock_irq(void)
{
	spin_lock_irq(&lock);
	alloc_free(GFP_KERNEL);
	spin_unlock_irq(&lock);
}
static void check_kernel_under_spin_lock_irq(const char *out)
{
	expect_sleep_report(out, "page_alloc.c:", 1, 1, 1, "kernel_under_spin_lock_irq");
}

static noinline void kernel_under_local_irq_save(void)
{
	unsigned long flags;

	local_irq_save(flags);
	KT_ASSERT(!in_atomic() && irqs_disabled() && !irqs_disabled_flags(flags));
	alloc_free(GFP_KERNEL);
	local_irq_restore(flags);
}
static void check_kernel_under_local_irq_save(const char *out)
{
	expect_sleep_report(out, "page_alloc.c:", 0, 1, 0, "kernel_under_local_irq_save");
}

static noinline void kernel_under_preempt_disable(void)
{
	preempt_disable();
	KT_ASSERT(in_atomic() && !irqs_disabled());
	alloc_free(GFP_KERNEL);
	preempt_enable();
}
static void check_kernel_under_preempt_disable(const char *out)
{
	expect_sleep_report(out, "page_alloc.c:", 1, 0, 1, "kernel_under_preempt_disable");
}

static noinline void kernel_under_spin_lock_bh(void)
{
	spin_lock_bh(&lock);
	/* bottom halves off: softirq count 2 * SOFTIRQ_OFFSET, plus the preempt count */
	KT_EQ(preempt_count(), 0x201);
	KT_ASSERT(in_atomic() && in_interrupt() && in_softirq() && !in_serving_softirq());
	KT_ASSERT(in_task() && !in_hardirq());
	alloc_free(GFP_KERNEL);
	spin_unlock_bh(&lock);
}
static void check_kernel_under_spin_lock_bh(const char *out)
{
	expect_sleep_report(out, "page_alloc.c:", 1, 0, 0x201, "kernel_under_spin_lock_bh");
}

static noinline void mutex_under_spin_lock(void)
{
	spin_lock(&lock);
	mutex_lock(&mutex);
	mutex_unlock(&mutex);
	spin_unlock(&lock);
}
static void check_mutex_under_spin_lock(const char *out)
{
	expect_sleep_report(out, "context.c:", 1, 0, 1, "mutex_under_spin_lock");
	KT_CONTAINS(out, "mutex_lock");
}

static noinline void might_sleep_nested(void)
{
	unsigned long f1, f2;

	local_irq_save(f1);
	spin_lock_irqsave(&lock, f2);
	spin_unlock_irqrestore(&lock, f2);
	KT_ASSERT(irqs_disabled());		/* restored to the outer section's state */
	might_sleep();
	local_irq_restore(f1);
}
static void check_might_sleep_nested(const char *out)
{
	expect_sleep_report(out, "test_context.c:", 0, 1, 0, "might_sleep_nested");
}

/* migrate_disable() leaves preemption on (6.1, SMP): sleeping inside is no mistake. */
static noinline void kernel_under_migrate_disable(void)
{
	migrate_disable();
	migrate_disable();
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!in_atomic() && preemptible());
	alloc_free(GFP_KERNEL);
	mutex_lock(&mutex);
	mutex_unlock(&mutex);
	migrate_enable();
	migrate_enable();
}

/* One migrate_enable() too many: 6.1's WARN_ON_ONCE, and nothing changes. */
static noinline void migrate_enable_unbalanced(void)
{
	migrate_disable();
	migrate_enable();
	migrate_enable();
	KT_EQ(current->migration_disabled, 0);
}
static void check_migrate_enable_unbalanced(const char *out)
{
	KT_CONTAINS(out, "WARNING: ");
	KT_CONTAINS(out, " migrate_enable");
	KT_CONTAINS(out, "migrate_enable_unbalanced");
}

/* Bottom halves enabled again in hard-irq context (a _bh lock in an interrupt handler):
 * 6.1's WARN_ON_ONCE(in_hardirq()) in __local_bh_enable_ip, once per process. */
static noinline void bh_in_hardirq(void)
{
	__irq_enter_raw();
	spin_lock_bh(&lock);
	spin_unlock_bh(&lock);
	local_bh_disable();
	local_bh_enable();			/* warned once already */
	KT_EQ(preempt_count(), HARDIRQ_OFFSET);
	__irq_exit_raw();
}
static void check_bh_in_hardirq(const char *out)
{
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, " __local_bh_enable_ip\n");
	KT_CONTAINS(out, "bh_in_hardirq");
	KT_EQ(kt_count(out, "WARNING: "), 1);
}

/* The same places with GFP_ATOMIC (and GFP_NOWAIT): no report. */
static noinline void atomic_everywhere(void)
{
	unsigned long flags;

	spin_lock(&lock);
	alloc_free(GFP_ATOMIC);
	alloc_free(GFP_NOWAIT);
	spin_unlock(&lock);
	spin_lock_irqsave(&lock, flags);
	alloc_free(GFP_ATOMIC);
	spin_unlock_irqrestore(&lock, flags);
	spin_lock_bh(&lock);
	alloc_free(GFP_ATOMIC);
	spin_unlock_bh(&lock);
	local_irq_save(flags);
	alloc_free(GFP_ATOMIC | __GFP_ZERO);
	local_irq_restore(flags);
	preempt_disable();
	alloc_free(GFP_ATOMIC);
	preempt_enable();
	/* Sleeping is fine outside any atomic section, and under a mutex. */
	alloc_free(GFP_KERNEL);
	mutex_lock(&mutex);
	alloc_free(GFP_KERNEL);
	might_sleep();
	mutex_unlock(&mutex);
}

static void *try_from_other(void *arg)
{
	return (void *)(long)spin_trylock(&lock);
}

static void lock_state(void)
{
	static DEFINE_RWLOCK(rw);
	pthread_t t;
	void *got;
	char *out;

	KT_ASSERT(!in_atomic() && !in_interrupt() && in_task() && preemptible());
	KT_EQ(spin_trylock(&lock), 1);
	KT_EQ(preempt_count(), 1);
	KT_ASSERT(spin_is_locked(&lock));
	KT_EQ(pthread_create(&t, NULL, try_from_other, NULL), 0);
	pthread_join(t, &got);
	KT_EQ((long)got, 0);			/* held here: another thread cannot take it */
	spin_unlock(&lock);
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!spin_is_locked(&lock));
	kt_capture_begin();
	KT_EQ(pthread_create(&t, NULL, try_from_other, NULL), 0);
	pthread_join(t, &got);
	out = kt_capture_end();
	KT_EQ((long)got, 1);			/* and that thread exited holding it: */
	KT_ASSERT(!strncmp(out, "BUG: scheduling while atomic: test_context/", 43));
	KT_CONTAINS(out, "/0x00000002\n");	/* do_exit's preempt_disable on top */
	KT_EQ(ukmem_report_count(), 1);
	free(out);
	lock = (spinlock_t)__SPIN_LOCK_UNLOCKED(lock);

	read_lock(&rw);
	read_lock(&rw);
	KT_EQ(preempt_count(), 2);
	read_unlock(&rw);
	read_unlock(&rw);
	write_lock(&rw);
	KT_ASSERT(in_atomic());
	write_unlock(&rw);
	KT_EQ(preempt_count(), 0);
	local_bh_disable();
	KT_ASSERT(in_softirq());
	local_bh_enable();
	KT_ASSERT(mutex_trylock(&mutex));
	KT_ASSERT(mutex_is_locked(&mutex));
	KT_ASSERT(!mutex_trylock(&mutex) || (mutex_unlock(&mutex), false));
	mutex_unlock(&mutex);
	KT_ASSERT(!mutex_is_locked(&mutex));
}

/* The trylock, _irq and _bh forms of spinlocks and rwlocks: they change the context only
 * while they hold the lock; a trylock that fails leaves it as it was. */
static void *try_variants(void *arg)
{
	rwlock_t *rw = arg;
	unsigned long flags;
	long got = spin_trylock_irqsave(&lock, flags) | spin_trylock_irq(&lock) |
		   spin_trylock_bh(&lock) | read_trylock(rw) | write_trylock(rw);

	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!irqs_disabled());
	return (void *)got;
}

static void lock_variants(void)
{
	static DEFINE_RWLOCK(rw);
	unsigned long flags;
	pthread_t t;
	void *got;

	KT_ASSERT(spin_trylock_irqsave(&lock, flags));
	KT_ASSERT(irqs_disabled());
	write_lock(&rw);
	KT_EQ(preempt_count(), 2);
	KT_EQ(pthread_create(&t, NULL, try_variants, &rw), 0);
	pthread_join(t, &got);
	KT_EQ((long)got, 0);			/* both held here: every try failed */
	write_unlock(&rw);
	spin_unlock_irqrestore(&lock, flags);
	KT_ASSERT(!irqs_disabled());
	KT_ASSERT(spin_trylock_irq(&lock));
	KT_ASSERT(irqs_disabled() && preempt_count() == 1);
	spin_unlock_irq(&lock);
	KT_ASSERT(spin_trylock_bh(&lock));
	KT_EQ(preempt_count(), SOFTIRQ_DISABLE_OFFSET + 1);
	spin_unlock_bh(&lock);

	KT_ASSERT(read_trylock(&rw));
	KT_ASSERT(read_trylock(&rw));
	KT_ASSERT(!write_trylock(&rw));		/* readers in */
	KT_EQ(preempt_count(), 2);
	read_unlock(&rw);
	read_unlock(&rw);
	KT_ASSERT(write_trylock(&rw));
	KT_ASSERT(!read_trylock(&rw) && !write_trylock(&rw));
	KT_EQ(preempt_count(), 1);
	write_unlock(&rw);			/* the owner: no report */
	read_lock_irq(&rw);
	KT_ASSERT(irqs_disabled() && preempt_count() == 1);
	read_unlock_irq(&rw);
	write_lock_irq(&rw);
	KT_ASSERT(irqs_disabled() && preempt_count() == 1);
	write_unlock_irq(&rw);
	read_lock_bh(&rw);
	KT_ASSERT(in_softirq() && preempt_count() == SOFTIRQ_DISABLE_OFFSET + 1);
	read_unlock_bh(&rw);
	write_lock_bh(&rw);
	KT_ASSERT(in_softirq() && preempt_count() == SOFTIRQ_DISABLE_OFFSET + 1);
	write_unlock_bh(&rw);
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!irqs_disabled());
	KT_EQ(ukmem_report_count(), 1);		/* lock_state's only */
}

/* Each thread is its own CPU: another thread's spinlock does not make this one atomic. */
static void *other_cpu(void *arg)
{
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!irqs_disabled());
	KT_NE(smp_processor_id(), *(int *)arg);
	alloc_free(GFP_KERNEL);
	return NULL;
}

static void per_thread_state(void)
{
	int me = smp_processor_id();
	unsigned long flags;
	pthread_t t;

	spin_lock_irqsave(&lock, flags);
	KT_EQ(pthread_create(&t, NULL, other_cpu, &me), 0);
	pthread_join(t, NULL);
	spin_unlock_irqrestore(&lock, flags);
}

/* The count's own checks, as 6.1's DEBUG_PREEMPT: a preempt_enable with no preemption bits
 * in a hard-irq handler is refused (it borrowed from the hardirq bits and left the thread in
 * "softirq" context for good); an unbalanced rcu_read_unlock warns and leaves liburcu alone
 * (its nesting went below zero and every later synchronize_rcu, on any thread, hung). */
static void *sync_other(void *arg)
{
	synchronize_rcu();
	return arg;
}

/* Unbalanced rcu_read_unlock, in a child: lock debugging (which these warnings belong to)
 * reports only its first problem in a process. */
static void rcu_underflow_child(void *arg)
{
	pthread_t t;

	rcu_read_lock();
	rcu_read_unlock();
	rcu_read_unlock();				/* one too many */
	KT_EQ(pthread_create(&t, NULL, sync_other, NULL), 0);
	pthread_join(t, NULL);				/* a grace period still ends */
	KT_ASSERT(!rcu_read_lock_held());
	KT_EQ(ukmem_report_count(), *(unsigned long *)arg + 1);
}

static void count_checks(void)
{
	unsigned long before = ukmem_report_count();
	int status;
	char *out;

	status = kt_run_child(rcu_underflow_child, &before, &out);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "DEBUG_LOCKS_WARN_ON(val > preempt_count())");
	free(out);
	kt_capture_begin();
	preempt_count_add(HARDIRQ_OFFSET);
	preempt_enable();
	KT_EQ(preempt_count(), HARDIRQ_OFFSET);		/* refused */
	preempt_enable();				/* refused too, silently now */
	KT_EQ(preempt_count(), HARDIRQ_OFFSET);
	preempt_count_sub(HARDIRQ_OFFSET);
	KT_ASSERT(in_task());
	out = kt_capture_end();
	KT_CONTAINS(out, "DEBUG_LOCKS_WARN_ON((val < PREEMPT_MASK) && !(preempt_count() & PREEMPT_MASK))");
	KT_NOT_CONTAINS(strstr(out, "DEBUG_LOCKS_WARN_ON") + 1, "DEBUG_LOCKS_WARN_ON");
	KT_EQ(ukmem_report_count(), before + 2);	/* the silent one counts */
	free(out);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=32M"), 0);
	snprintf(pid_name, sizeof(pid_name), "pid: %d, name: test_context", (int)gettid());
	lock_state();
	lock_variants();
	RUN_QUIET(atomic_everywhere);
	per_thread_state();
	KT_EQ(ukmem_report_count(), 1);
	RUN_REPORTED(kernel_under_spin_lock);
	RUN_REPORTED(kernel_under_irqsave);
	RUN_REPORTED(kernel_under_spin_lock_irq);
	RUN_REPORTED(kernel_under_local_irq_save);
	RUN_REPORTED(kernel_under_preempt_disable);
	RUN_REPORTED(kernel_under_spin_lock_bh);
	RUN_REPORTED(mutex_under_spin_lock);
	RUN_REPORTED(might_sleep_nested);
	RUN_QUIET(kernel_under_migrate_disable);
	RUN_REPORTED(migrate_enable_unbalanced);
	RUN_REPORTED(bh_in_hardirq);
	count_checks();
	KT_EQ(ukmem_exit(), 13);
	return 0;
}
