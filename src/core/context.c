/* SPDX-License-Identifier: MIT */
/*
 * The kernel execution context: every host thread is a task running on its own CPU, with a
 * preemption count and an interrupts-disabled flag that only it touches (so no atomics).
 * Spinlocks, rwlocks and mutexes are built on that state, and might_sleep() checks it.
 *
 * Thread numbers are small and dense: a thread takes the lowest free number on first use and
 * gives it back when it exits.  The number table is guarded by cpu_ids.lock (a leaf lock).
 * There are nr_cpu_ids possible CPUs (possible_cpus=, default the host's count, at least 2);
 * a thread is bound to CPU (thread number % nr_cpu_ids), so with more threads than CPUs
 * several threads share a CPU id (docs/percpu-and-pools.md says what that means).
 * cpu_ids.nr is fixed at start-up; a thread that attached before it is re-bound on its
 * next smp_processor_id().
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include "core/core.h"
#include "platform/platform.h"

#define MAX_CPU_IDS	4096

__thread struct ukmem__cpu ukmem__this_cpu __attribute__((tls_model("initial-exec")));

static struct {
	pthread_mutex_t lock;
	unsigned long used[MAX_CPU_IDS / 64];
	unsigned int nr;		/* possible CPUs; 0 until start-up */
} cpu_ids = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int cpu_id_get(void)
{
	int id = MAX_CPU_IDS - 1;	/* shared overflow number when all are taken */

	pthread_mutex_lock(&cpu_ids.lock);
	for (int w = 0; w < MAX_CPU_IDS / 64; w++)
		if (~cpu_ids.used[w]) {
			int b = __builtin_ctzl(~cpu_ids.used[w]);

			cpu_ids.used[w] |= 1UL << b;
			id = w * 64 + b;
			break;
		}
	pthread_mutex_unlock(&cpu_ids.lock);
	return id;
}

static void cpu_thread_exit(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	pthread_mutex_lock(&cpu_ids.lock);
	cpu_ids.used[c->thread_nr / 64] &= ~(1UL << (c->thread_nr % 64));
	pthread_mutex_unlock(&cpu_ids.lock);
}

void ukmem__cpu_attach(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	c->attached = true;
	c->task.pid = ukmem__os_gettid();
	c->task.tgid = getpid();
	ukmem__os_thread_name(c->task.comm, sizeof(c->task.comm));
	c->thread_nr = cpu_id_get();
	c->cpu = c->thread_nr % ukmem__nr_cpus();
	ukmem__os_thread_attach();
}

static unsigned int default_nr_cpus(void)
{
	unsigned int host = ukmem__os_host_cpus();

	return clamp(host, 2U, (unsigned int)UKMEM_MAX_POSSIBLE_CPUS);
}

unsigned int ukmem__nr_cpus(void)
{
	unsigned int nr = __atomic_load_n(&cpu_ids.nr, __ATOMIC_RELAXED);

	return nr ? nr : default_nr_cpus();
}

/**
 * __ukmem_nr_cpu_ids - the number of possible CPUs (nr_cpu_ids)
 *
 * Starts ukmem if this is the process's first call: the count comes from possible_cpus=.
 */
unsigned int __ukmem_nr_cpu_ids(void)
{
	ukmem__ensure_started();
	return ukmem__nr_cpus();
}

static void cpu_after_fork(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	if (c->attached) {
		c->task.pid = ukmem__os_gettid();
		c->task.tgid = getpid();
	}
}

void ukmem__context_init(void)
{
	unsigned int nr = ukmem__cfg.possible_cpus ? ukmem__cfg.possible_cpus : default_nr_cpus();

	__atomic_store_n(&cpu_ids.nr, nr, __ATOMIC_RELAXED);
	if (ukmem__this_cpu.attached)
		ukmem__this_cpu.cpu = ukmem__this_cpu.thread_nr % nr;
	ukmem__os_on_thread_exit(cpu_thread_exit);
	ukmem__os_atfork(NULL, NULL, cpu_after_fork);
}

struct task_struct *get_current(void)
{
	return &ukmem__cpu()->task;
}

static noinline int cpu_rebind(struct ukmem__cpu *c)
{
	c->cpu = c->thread_nr % ukmem__nr_cpus();
	return c->cpu;
}

int raw_smp_processor_id(void)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (unlikely((unsigned int)c->cpu >= __atomic_load_n(&cpu_ids.nr, __ATOMIC_RELAXED)))
		return cpu_rebind(c);
	return c->cpu;
}

/* ---- preemption and interrupts ---- */
noinline void ukmem__preempt_warn(int what)
{
	static const char *const text[] = {
		[UKMEM_PREEMPT_NEAR_OVERFLOW] =
			"DEBUG_LOCKS_WARN_ON((preempt_count() & PREEMPT_MASK) >= PREEMPT_MASK - 10)",
		[UKMEM_PREEMPT_UNDERFLOW] = "DEBUG_LOCKS_WARN_ON(val > preempt_count())",
		[UKMEM_PREEMPT_BORROW] =
			"DEBUG_LOCKS_WARN_ON((val < PREEMPT_MASK) && !(preempt_count() & PREEMPT_MASK))",
	};

	WARN(1, "%s\n", text[what]);
}

int preempt_count(void)
{
	return ukmem__cpu()->preempt_count;
}

void preempt_count_add(int val)
{
	ukmem__preempt_add(ukmem__cpu(), val, _RET_IP_);
}

void preempt_count_sub(int val)
{
	ukmem__preempt_sub(ukmem__cpu(), val);
}

/* Interrupts raised on a thread while it had them disabled wait for it to enable them
 * again: the interrupt subsystem registers the function that delivers them.  Work that
 * interrupt context defers to task context: subsystems register what runs it. */
static struct {
	void (*deliver)(void);		/* set once at start-up */
	void (*task_work[4])(void);	/* registered at start-up, before any interrupt */
	int nr_task_work;
} irq_hooks;

void ukmem__context_irq_deliver_register(void (*fn)(void))
{
	irq_hooks.deliver = fn;
}

void ukmem__task_work_register(void (*fn)(void))
{
	if (ALWAYS(irq_hooks.nr_task_work < (int)ARRAY_SIZE(irq_hooks.task_work)))
		irq_hooks.task_work[irq_hooks.nr_task_work++] = fn;
}

void ukmem__task_work_run(void)
{
	if (in_interrupt())		/* an interrupt inside an interrupt: the outer one runs it */
		return;
	for (int i = 0; i < irq_hooks.nr_task_work; i++)
		irq_hooks.task_work[i]();
}

static inline void irqs_enabled(struct ukmem__cpu *c)
{
	if (unlikely(c->irq_pending) && !c->irqs_disabled && irq_hooks.deliver)
		irq_hooks.deliver();
}

unsigned long arch_local_save_flags(void)
{
	return ukmem__cpu()->irqs_disabled ? 0 : X86_EFLAGS_IF;
}

unsigned long arch_local_irq_save(void)
{
	struct ukmem__cpu *c = ukmem__cpu();
	unsigned long flags = c->irqs_disabled ? 0 : X86_EFLAGS_IF;

	c->irqs_disabled = true;
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	struct ukmem__cpu *c = ukmem__cpu();

	c->irqs_disabled = !(flags & X86_EFLAGS_IF);
	irqs_enabled(c);
}

void arch_local_irq_disable(void)
{
	ukmem__cpu()->irqs_disabled = true;
}

void arch_local_irq_enable(void)
{
	struct ukmem__cpu *c = ukmem__cpu();

	c->irqs_disabled = false;
	irqs_enabled(c);
}

/* ---- might_sleep ---- */
static void print_preempt_disable_ip(struct ukmem__cpu *c)
{
	if (!c->preempt_disable_ip)
		return;
	printk(KERN_ERR "Preemption disabled at:\n");
	printk(KERN_ERR "[<%016lx>] %pS\n", c->preempt_disable_ip, (void *)c->preempt_disable_ip);
}

noinline void __might_sleep(const char *file, int line)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (likely(c->preempt_count == 0 && !c->irqs_disabled))
		return;
	if (!ukmem__report_ratelimit(__func__, (unsigned long)line))
		return;
	ukmem__report_begin();
	printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, non_block: %d, pid: %d, name: %s\n",
	       c->preempt_count != 0, c->irqs_disabled, 0, c->task.pid, c->task.comm);
	printk(KERN_ERR "preempt_count: %x, expected: %x\n", c->preempt_count, 0);
	if (c->preempt_count)
		print_preempt_disable_ip(c);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

void __cant_sleep(const char *file, int line, int preempt_offset)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (c->irqs_disabled || c->preempt_count > preempt_offset)
		return;
	if (!ukmem__report_ratelimit(__func__, (unsigned long)line))
		return;
	ukmem__report_begin();
	printk(KERN_ERR "BUG: assuming atomic context at %s:%d\n", file, line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n",
	       c->preempt_count != 0, c->irqs_disabled, c->task.pid, c->task.comm);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

void schedule(void)
{
	might_sleep();
	sched_yield();
}

void yield(void)
{
	sched_yield();
}

/* ---- spinlocks ---- */
/* The lock is named by its address, or as "what name" when what is given. */
static noinline void spin_bug_named(raw_spinlock_t *lock, const char *msg, const char *what,
				    const char *name)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__report_begin();
	printk(KERN_EMERG "BUG: spinlock %s on CPU#%d, %s/%d\n", msg, c->cpu, c->task.comm,
	       c->task.pid);
	if (what)
		printk(KERN_EMERG " lock: %s %s, .owner: %d\n", what, name, lock->owner);
	else
		printk(KERN_EMERG " lock: %px, .owner: %d\n", lock, lock->owner);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static void spin_bug(raw_spinlock_t *lock, const char *msg)
{
	spin_bug_named(lock, msg, NULL, NULL);
}

/* A recursion ends the process (the kernel would spin forever); otherwise spin, then
 * yield, until the lock is ours.  The owner is the caller's to set. */
static __always_inline void raw_wait(raw_spinlock_t *lock, struct ukmem__cpu *c,
				     const char *what, const char *name)
{
	if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == c->task.pid)) {
		spin_bug_named(lock, "recursion", what, name);
		fflush(stderr);
		abort();
	}
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		for (int spins = 0; __atomic_load_n(&lock->locked, __ATOMIC_RELAXED); spins++) {
			if (spins < 128)
				cpu_relax();
			else
				sched_yield();
		}
	}
}

/**
 * ukmem__raw_spin_wait - take a raw spinlock, the owner left for the caller to set
 * @lock: the lock (for a lock with an inline fast path of its own: after its exchange failed)
 * @what: with @name, how a "BUG: spinlock recursion" report names the lock ("what name");
 *        NULL: by its address
 * @name: see @what
 */
void ukmem__raw_spin_wait(raw_spinlock_t *lock, const char *what, const char *name)
{
	raw_wait(lock, ukmem__cpu(), what, name);
}

static void raw_acquire(raw_spinlock_t *lock, struct ukmem__cpu *c)
{
	raw_wait(lock, c, NULL, NULL);
	__atomic_store_n(&lock->owner, c->task.pid, __ATOMIC_RELAXED);
}

/* Returns false (and reports) when the lock is not held by this thread and must not be touched. */
static bool raw_release(raw_spinlock_t *lock, struct ukmem__cpu *c)
{
	if (unlikely(!__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))) {
		spin_bug(lock, "already unlocked");
		return false;
	}
	if (unlikely(lock->owner != c->task.pid))
		spin_bug(lock, "wrong owner");
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	return true;
}

void _raw_spin_lock(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__preempt_add(c, 1, _RET_IP_);
	raw_acquire(lock, c);
}

void _raw_spin_unlock(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (raw_release(lock, c))
		ukmem__preempt_sub(c, 1);
}

int _raw_spin_trylock(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__preempt_add(c, 1, _RET_IP_);
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0) {
		__atomic_store_n(&lock->owner, c->task.pid, __ATOMIC_RELAXED);
		return 1;
	}
	ukmem__preempt_sub(c, 1);
	return 0;
}

unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	unsigned long flags = c->irqs_disabled ? 0 : X86_EFLAGS_IF;

	c->irqs_disabled = true;
	ukmem__preempt_add(c, 1, _RET_IP_);
	raw_acquire(lock, c);
	return flags;
}

void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (!raw_release(lock, c))
		return;
	c->irqs_disabled = !(flags & X86_EFLAGS_IF);
	ukmem__preempt_sub(c, 1);
	irqs_enabled(c);
}

void _raw_spin_lock_irq(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	c->irqs_disabled = true;
	ukmem__preempt_add(c, 1, _RET_IP_);
	raw_acquire(lock, c);
}

void _raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (!raw_release(lock, c))
		return;
	c->irqs_disabled = false;
	ukmem__preempt_sub(c, 1);
	irqs_enabled(c);
}

void _raw_spin_lock_bh(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__preempt_add(c, SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET, _RET_IP_);
	raw_acquire(lock, c);
}

void _raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (raw_release(lock, c))
		ukmem__preempt_sub(c, SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);
}

/* ---- rwlocks: readers share, one writer excludes all; preemption off while held ---- */
void _raw_read_lock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__preempt_add(c, 1, _RET_IP_);
	for (;;) {
		int v = __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED);

		if (v >= 0 && __atomic_compare_exchange_n(&lock->cnt, &v, v + 1, false,
							  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		sched_yield();
	}
}

void _raw_read_unlock(rwlock_t *lock)
{
	__atomic_fetch_sub(&lock->cnt, 1, __ATOMIC_RELEASE);
	ukmem__preempt_sub(ukmem__cpu(), 1);
}

void _raw_write_lock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	int zero = 0;

	ukmem__preempt_add(c, 1, _RET_IP_);
	while (!__atomic_compare_exchange_n(&lock->cnt, &zero, -1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		zero = 0;
		sched_yield();
	}
}

void _raw_write_unlock(rwlock_t *lock)
{
	__atomic_store_n(&lock->cnt, 0, __ATOMIC_RELEASE);
	ukmem__preempt_sub(ukmem__cpu(), 1);
}

/* ---- mutexes ---- */
void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->lock, NULL);
	lock->owner = 0;
}

void mutex_destroy(struct mutex *lock)
{
	WARN(lock->owner, "DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock))\n");
}

void mutex_lock(struct mutex *lock)
{
	might_sleep();
	pthread_mutex_lock(&lock->lock);
	lock->owner = ukmem__cpu()->task.pid;
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->lock) != 0)
		return 0;
	lock->owner = ukmem__cpu()->task.pid;
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	int me = ukmem__cpu()->task.pid;

	if (WARN(lock->owner == 0, "DEBUG_LOCKS_WARN_ON(!mutex_is_locked(lock))\n"))
		return;
	WARN(lock->owner != me, "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)\n");
	lock->owner = 0;
	pthread_mutex_unlock(&lock->lock);
}

bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != 0;
}
