/* SPDX-License-Identifier: MIT */
/*
 * The kernel execution context: every host thread is a task running on its own CPU, with a
 * preemption count and an interrupts-disabled flag that only it touches (so no atomics).
 * Spinlocks, rwlocks and mutexes are built on that state, and might_sleep() and schedule()
 * check it, with the reports of a 6.1 kernel built with CONFIG_DEBUG_SPINLOCK,
 * DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT, DEBUG_MUTEXES and DEBUG_IRQFLAGS (no lockdep, except
 * its reports of a sleeping lock taken twice and of locks held at exit; rw_semaphores, in
 * rwsem.c, share both through ukmem__held_lock_add and ukmem__lock_recursion).  Every lock
 * carries the kernel's magic, so one that was never initialised is reported at its first
 * use.
 *
 * Mutexes: the owner word is the lock (0 free, else the holder's thread id, with
 * MUTEX_WAITERS while threads sleep on it, a host futex on the word); it is nonzero exactly
 * while a task holds the mutex, and after initialisation only compare-and-swap and atomic
 * loads touch it.  Any thread may release it (6.1's unlock by a task that does not hold it,
 * after its WARN); the holder is then told through its ukmem__cpu's released[] (posted and
 * taken under cpu_ids.lock), and drops the mutex's oldest entry from its held-lock list
 * before it next adds to or reads that list.  A thread's held-lock list is otherwise its own
 * (no lock).  ThreadSanitizer is told of each hold as a shared one (see the mutex section).
 *
 * Thread numbers are small and dense: a thread takes the lowest free number on first use and
 * gives it back when it exits.  The number table, the pid and comm each number had last
 * (so that a lock report can name a lock's owner), and the live thread's context (so that a
 * mutex's release by another thread reaches its holder's list) are guarded by cpu_ids.lock
 * (a leaf lock, held across fork() so that a child never inherits it taken).
 * There are nr_cpu_ids possible CPUs (possible_cpus=, default the host's count, at least 2);
 * a thread is bound to CPU (thread number % nr_cpu_ids), so with more threads than CPUs
 * several threads share a CPU id (docs/percpu-and-pools.md says what that means).
 * cpu_ids.nr is fixed at start-up; a thread that attached before it is re-bound on its
 * next smp_processor_id().
 *
 * Lock debugging reports once per process, as 6.1's: the first report that finds lock
 * debugging on (ukmem__debug_locks_off) prints, later ones are only counted.  The fast
 * paths carry one predictable branch each for their checks; the reports are noinline.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include "core/core.h"
#include "platform/platform.h"
#ifdef UKMEM_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#define MAX_CPU_IDS	4096

__thread struct ukmem__cpu ukmem__this_cpu __attribute__((tls_model("initial-exec")));

static struct {
	pthread_mutex_t lock;
	unsigned long used[MAX_CPU_IDS / 64];
	unsigned int nr;		/* possible CPUs; 0 until start-up */
	struct {
		pid_t pid;			/* the last holder's */
		char comm[TASK_COMM_LEN];
		struct ukmem__cpu *cpu;		/* the live holder's context, NULL when none */
	} task[MAX_CPU_IDS];
} cpu_ids = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int cpu_id_get(struct ukmem__cpu *c)
{
	const struct task_struct *t = &c->task;
	int id = MAX_CPU_IDS - 1;	/* shared overflow number when all are taken */

	pthread_mutex_lock(&cpu_ids.lock);
	for (int w = 0; w < MAX_CPU_IDS / 64; w++)
		if (~cpu_ids.used[w]) {
			int b = __builtin_ctzl(~cpu_ids.used[w]);

			cpu_ids.used[w] |= 1UL << b;
			id = w * 64 + b;
			break;
		}
	cpu_ids.task[id].pid = t->pid;
	memcpy(cpu_ids.task[id].comm, t->comm, TASK_COMM_LEN);
	cpu_ids.task[id].cpu = c;
	pthread_mutex_unlock(&cpu_ids.lock);
	return id;
}

/* The comm of the thread with host id @pid (it may have exited), or "<none>". */
static void task_comm_of(pid_t pid, char *comm)
{
	strcpy(comm, "<none>");
	pthread_mutex_lock(&cpu_ids.lock);
	for (int i = 0; pid && i < MAX_CPU_IDS; i++)
		if (cpu_ids.task[i].pid == pid) {
			memcpy(comm, cpu_ids.task[i].comm, TASK_COMM_LEN);
			break;
		}
	pthread_mutex_unlock(&cpu_ids.lock);
}

static void thread_exit_checks(struct ukmem__cpu *c);

static void cpu_thread_exit(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	thread_exit_checks(c);
	pthread_mutex_lock(&cpu_ids.lock);
	cpu_ids.used[c->thread_nr / 64] &= ~(1UL << (c->thread_nr % 64));
	if (cpu_ids.task[c->thread_nr].cpu == c)
		cpu_ids.task[c->thread_nr].cpu = NULL;
	pthread_mutex_unlock(&cpu_ids.lock);
}

void ukmem__cpu_attach(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	c->attached = true;
	c->task.pid = ukmem__os_gettid();
	c->task.tgid = getpid();
	ukmem__os_thread_name(c->task.comm, sizeof(c->task.comm));
	c->curr = &c->task;
	c->thread_nr = cpu_id_get(c);
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

/* The table lock is held across fork(), so the child never inherits it taken by a thread it
 * does not have (a thread being born or dying, a report naming a task). */
static void cpu_fork_prepare(void)
{
	pthread_mutex_lock(&cpu_ids.lock);
}

static void cpu_fork_parent(void)
{
	pthread_mutex_unlock(&cpu_ids.lock);
}

static void cpu_after_fork(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	if (c->attached) {
		c->task.pid = ukmem__os_gettid();
		c->task.tgid = getpid();
		c->curr->pid = c->task.pid;	/* a kthread's own task too */
		c->curr->tgid = c->task.tgid;
		cpu_ids.task[c->thread_nr].pid = c->task.pid;	/* the child's only thread */
	}
	for (int i = 0; i < MAX_CPU_IDS; i++)	/* the others' contexts are gone */
		if (cpu_ids.task[i].cpu != c)
			cpu_ids.task[i].cpu = NULL;
	pthread_mutex_unlock(&cpu_ids.lock);	/* taken by this thread in cpu_fork_prepare */
}

void ukmem__context_init(void)
{
	unsigned int nr = ukmem__cfg.possible_cpus ? ukmem__cfg.possible_cpus : default_nr_cpus();

	__atomic_store_n(&cpu_ids.nr, nr, __ATOMIC_RELAXED);
	if (ukmem__this_cpu.attached)
		ukmem__this_cpu.cpu = ukmem__this_cpu.thread_nr % nr;
	ukmem__os_on_thread_exit(cpu_thread_exit);
	ukmem__os_atfork(cpu_fork_prepare, cpu_fork_parent, cpu_after_fork);
}

struct task_struct *get_current(void)
{
	return ukmem__cpu()->curr;
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
/* The kernel's DEBUG_LOCKS_WARN_ON(): a WARNING while lock debugging is on, which turns it
 * off; after that the problem is only counted. */
static noinline void debug_locks_warn(const char *cond)
{
	if (ukmem__debug_locks_off())
		WARN(1, "DEBUG_LOCKS_WARN_ON(%s)\n", cond);
	else
		ukmem__report_silent();
}

noinline void ukmem__preempt_warn(int what)
{
	static const char *const text[] = {
		[UKMEM_PREEMPT_NEAR_OVERFLOW] =
			"(preempt_count() & PREEMPT_MASK) >= PREEMPT_MASK - 10",
		[UKMEM_PREEMPT_UNDERFLOW] = "val > preempt_count()",
		[UKMEM_PREEMPT_BORROW] =
			"(val < PREEMPT_MASK) && !(preempt_count() & PREEMPT_MASK)",
	};

	debug_locks_warn(text[what]);
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

/**
 * migrate_disable - keep the current task on its CPU, where it may still be preempted and sleep
 *
 * 6.1's SMP migrate_disable() leaves the preemption count alone: sleeping inside is allowed
 * and reported by nothing.  A thread never leaves its CPU here, so only the nesting is kept.
 */
void migrate_disable(void)
{
	get_current()->migration_disabled++;
}

/**
 * migrate_enable - end a migrate_disable() section
 *
 * One more than were begun is 6.1's WARN_ON_ONCE(!p->migration_disabled), and changes nothing.
 */
void migrate_enable(void)
{
	struct task_struct *p = get_current();

	if (WARN_ON_ONCE(!p->migration_disabled))
		return;
	p->migration_disabled--;
}

/* Interrupts raised on a thread while it had them disabled wait for it to enable them
 * again: the interrupt subsystem registers the function that delivers them.  Work that
 * interrupt context defers to task context: subsystems register what runs it.
 * Registration happens during start-up, under the start-up lock, but threads that made no
 * call that starts ukmem (an RCU callback thread started by a first call_rcu) may run
 * task work meanwhile: an entry is written before the count that publishes it (release),
 * and readers load the count and the delivery hook with acquire. */
static struct {
	void (*deliver)(void);		/* set once at start-up */
	void (*task_work[4])(void);	/* registered at start-up */
	int nr_task_work;
} irq_hooks;

void ukmem__context_irq_deliver_register(void (*fn)(void))
{
	__atomic_store_n(&irq_hooks.deliver, fn, __ATOMIC_RELEASE);
}

void ukmem__task_work_register(void (*fn)(void))
{
	int n = irq_hooks.nr_task_work;		/* registrations are serialised */

	if (ALWAYS(n < (int)ARRAY_SIZE(irq_hooks.task_work))) {
		irq_hooks.task_work[n] = fn;
		__atomic_store_n(&irq_hooks.nr_task_work, n + 1, __ATOMIC_RELEASE);
	}
}

void ukmem__task_work_run(void)
{
	int n = __atomic_load_n(&irq_hooks.nr_task_work, __ATOMIC_ACQUIRE);

	if (in_interrupt())		/* an interrupt inside an interrupt: the outer one runs it */
		return;
	for (int i = 0; i < n; i++)
		irq_hooks.task_work[i]();
}

static inline void irqs_enabled(struct ukmem__cpu *c)
{
	void (*deliver)(void);

	if (likely(!c->irq_pending) || c->irqs_disabled)
		return;
	deliver = __atomic_load_n(&irq_hooks.deliver, __ATOMIC_ACQUIRE);
	if (deliver)
		deliver();
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

/* 6.1's CONFIG_DEBUG_IRQFLAGS check of raw_local_irq_restore(), once per process. */
static noinline void warn_bogus_irq_restore(void)
{
	WARN_ONCE(1, "raw_local_irq_restore() called with IRQs enabled\n");
}

/* x86's restore: a restore to "disabled" assumes they are off and leaves them as they are;
 * interrupts that are on there are the caller's mistake (warned once).  The caller then
 * delivers what is pending (irqs_enabled). */
static __always_inline void irq_restore_flags(struct ukmem__cpu *c, unsigned long flags)
{
	if (unlikely(!c->irqs_disabled))
		warn_bogus_irq_restore();
	if (flags & X86_EFLAGS_IF)
		c->irqs_disabled = false;
}

void arch_local_irq_restore(unsigned long flags)
{
	struct ukmem__cpu *c = ukmem__cpu();

	irq_restore_flags(c, flags);
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

/**
 * __local_bh_enable_ip - enable bottom halves again (local_bh_enable)
 * @ip: where from, in the kernel (for lockdep); unused
 * @cnt: what local_bh_disable() added to the count
 *
 * In hard-irq context it is 6.1's WARN_ON_ONCE(in_hardirq()); the count is dropped anyway.
 */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	struct ukmem__cpu *c = ukmem__cpu();

	(void)ip;
	/* a hard-irq handler has no business with bottom halves (a _bh lock taken in one) */
	WARN_ON_ONCE(c->preempt_count & HARDIRQ_MASK);
	ukmem__preempt_sub(c, cnt);
}

/* ---- might_sleep and schedule ---- */
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
	printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n",
	       ukmem__source_file(file), line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, non_block: %d, pid: %d, name: %s\n",
	       c->preempt_count != 0, c->irqs_disabled, 0, c->task.pid, c->task.comm);
	printk(KERN_ERR "preempt_count: %x, expected: %x\n", c->preempt_count, 0);
	if (c->preempt_count)
		print_preempt_disable_ip(c);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__add_taint(TAINT_WARN, false);
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
	printk(KERN_ERR "BUG: assuming atomic context at %s:%d\n", ukmem__source_file(file), line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n",
	       c->preempt_count != 0, c->irqs_disabled, c->task.pid, c->task.comm);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__add_taint(TAINT_WARN, false);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* 6.1's __schedule_bug(); @count is the count __schedule() sees (schedule() adds one). */
static noinline void schedule_bug(struct ukmem__cpu *c, int count)
{
	ukmem__report_begin();
	printk(KERN_ERR "BUG: scheduling while atomic: %s/%d/0x%08x\n", c->task.comm, c->task.pid,
	       count);
	printk(KERN_WARNING "Modules linked in:\n");
	print_preempt_disable_ip(c);
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	ukmem__add_taint(TAINT_WARN, false);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* Sleeping with preemption or interrupts off: a count other than 0 is reported, and then,
 * as the kernel's __schedule(), the count is set to 0 and interrupts come back on. */
static noinline void schedule_debug_slow(struct ukmem__cpu *c)
{
	if (c->preempt_count) {
		schedule_bug(c, c->preempt_count + PREEMPT_OFFSET);
		c->preempt_count = 0;
	}
	c->irqs_disabled = false;
	irqs_enabled(c);
}

/**
 * ukmem__schedule_debug - what schedule() checks before the task sleeps
 *
 * Every call that sleeps through the scheduler without might_sleep() first (schedule,
 * yield, msleep, usleep_range ...) calls this: 6.1's schedule_debug().
 */
void ukmem__schedule_debug(void)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (unlikely(c->preempt_count || c->irqs_disabled))
		schedule_debug_slow(c);
}

/* ---- spinlocks ---- */
/* 6.1's spin_dump(); the lock is named by its address, or as "what name" when what is
 * given. */
static noinline void spin_dump(raw_spinlock_t *lock, const char *msg, const char *what, const char *name)
{
	struct ukmem__cpu *c = ukmem__cpu();
	int owner = READ_ONCE(lock->owner);
	char comm[TASK_COMM_LEN];

	task_comm_of(owner, comm);
	printk(KERN_EMERG "BUG: spinlock %s on CPU#%d, %s/%d\n", msg, c->cpu, c->task.comm,
	       c->task.pid);
	if (what)
		printk(KERN_EMERG " lock: %s %s, .magic: %08x, .owner: %s/%d, .owner_cpu: %d\n",
		       what, name, READ_ONCE(lock->magic), comm, owner ? owner : -1,
		       READ_ONCE(lock->owner_cpu));
	else
		printk(KERN_EMERG " lock: %pS, .magic: %08x, .owner: %s/%d, .owner_cpu: %d\n",
		       lock, READ_ONCE(lock->magic), comm, owner ? owner : -1,
		       READ_ONCE(lock->owner_cpu));
	ukmem__print_task_line();
	ukmem__stack_dump(2);
}

/* 6.1's spin_bug(): only the report that turns lock debugging off is printed. */
static noinline void spin_bug(raw_spinlock_t *lock, const char *msg)
{
	if (!ukmem__debug_locks_off()) {
		ukmem__report_silent();
		return;
	}
	ukmem__report_begin();
	spin_dump(lock, msg, NULL, NULL);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* A lock never initialised (spin_lock_init, DEFINE_SPINLOCK): 6.1's "bad magic" BUG.  The
 * lock is then marked initialised, so that one lock is reported once, not at every use. */
static noinline void spin_bad_magic(raw_spinlock_t *lock)
{
	spin_bug(lock, "bad magic");
	__atomic_store_n(&lock->magic, SPINLOCK_MAGIC, __ATOMIC_RELAXED);
}

static __always_inline void spin_check_magic(raw_spinlock_t *lock)
{
	if (unlikely(__atomic_load_n(&lock->magic, __ATOMIC_RELAXED) != SPINLOCK_MAGIC))
		spin_bad_magic(lock);
}

/* Taking a lock this thread holds: the kernel would spin for ever, so the process ends
 * (the report is printed even with lock debugging off: it explains the end). */
static noinline __noreturn void spin_recursion(raw_spinlock_t *lock, const char *what,
					       const char *name)
{
	ukmem__debug_locks_off();
	ukmem__report_begin();
	spin_dump(lock, "recursion", what, name);
	ukmem__report_end(UKMEM_REPORT_BUG);
	fflush(stderr);
	abort();
}

/* A recursion ends the process; otherwise spin, then yield, until the lock is ours.  The
 * owner is the caller's to set. */
static __always_inline void raw_wait(raw_spinlock_t *lock, struct ukmem__cpu *c,
				     const char *what, const char *name)
{
	spin_check_magic(lock);
	if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == c->task.pid))
		spin_recursion(lock, what, name);
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

static __always_inline void set_owner(raw_spinlock_t *lock, struct ukmem__cpu *c)
{
	__atomic_store_n(&lock->owner_cpu, c->cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, c->task.pid, __ATOMIC_RELAXED);
}

static void raw_acquire(raw_spinlock_t *lock, struct ukmem__cpu *c)
{
	raw_wait(lock, c, NULL, NULL);
	set_owner(lock, c);
}

/* Returns false (after the report) when the lock is not locked and must not be touched;
 * another thread's lock is reported and released, as 6.1's debug_spin_unlock(). */
static bool raw_release(raw_spinlock_t *lock, struct ukmem__cpu *c)
{
	spin_check_magic(lock);
	if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != c->task.pid)) {
		if (!__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
			spin_bug(lock, "already unlocked");
			return false;
		}
		spin_bug(lock, "wrong owner");
	}
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_cpu, -1, __ATOMIC_RELAXED);
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
		set_owner(lock, c);
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
	irq_restore_flags(c, flags);
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
		__local_bh_enable_ip(_RET_IP_, SOFTIRQ_DISABLE_OFFSET + PREEMPT_OFFSET);
}

/* ---- rwlocks: readers share, one writer excludes all; preemption off while held ---- */
/* 6.1's rwlock_bug(); only the report that turns lock debugging off is printed. */
static noinline void rwlock_dump(rwlock_t *lock, const char *msg)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__report_begin();
	printk(KERN_EMERG "BUG: rwlock %s on CPU#%d, %s/%d, %p\n", msg, c->cpu, c->task.comm,
	       c->task.pid, lock);
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static noinline void rwlock_bug(rwlock_t *lock, const char *msg)
{
	if (ukmem__debug_locks_off())
		rwlock_dump(lock, msg);
	else
		ukmem__report_silent();
}

/* An rwlock never initialised (rwlock_init, DEFINE_RWLOCK): reported once, as spinlocks. */
static noinline void rwlock_bad_magic(rwlock_t *lock)
{
	rwlock_bug(lock, "bad magic");
	__atomic_store_n(&lock->magic, RWLOCK_MAGIC, __ATOMIC_RELAXED);
}

static __always_inline void rwlock_check_magic(rwlock_t *lock)
{
	if (unlikely(__atomic_load_n(&lock->magic, __ATOMIC_RELAXED) != RWLOCK_MAGIC))
		rwlock_bad_magic(lock);
}

/* A read or write lock of a lock this thread write-holds would spin for ever: the process
 * ends, with the report whatever the state of lock debugging. */
static noinline __noreturn void rwlock_recursion(rwlock_t *lock)
{
	ukmem__debug_locks_off();
	rwlock_dump(lock, "recursion");
	fflush(stderr);
	abort();
}

void _raw_read_lock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	rwlock_check_magic(lock);
	ukmem__preempt_add(c, 1, _RET_IP_);
	if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == c->task.pid))
		rwlock_recursion(lock);
	for (;;) {
		int v = __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED);

		if (v >= 0 && __atomic_compare_exchange_n(&lock->cnt, &v, v + 1, false,
							  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		sched_yield();
	}
}

/* A read unlock with no reader: the count is left alone (it would turn into a writer). */
void _raw_read_unlock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	int v;

	rwlock_check_magic(lock);
	v = __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED);
	do {
		if (unlikely(v <= 0)) {
			rwlock_bug(lock, "already unlocked");
			return;
		}
	} while (!__atomic_compare_exchange_n(&lock->cnt, &v, v - 1, false, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	ukmem__preempt_sub(c, 1);
}

void _raw_write_lock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	int zero = 0;

	rwlock_check_magic(lock);
	ukmem__preempt_add(c, 1, _RET_IP_);
	if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == c->task.pid))
		rwlock_recursion(lock);
	while (!__atomic_compare_exchange_n(&lock->cnt, &zero, -1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		zero = 0;
		sched_yield();
	}
	__atomic_store_n(&lock->owner_cpu, c->cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, c->task.pid, __ATOMIC_RELAXED);
}

/* 6.1's trylocks: no magic or recursion check (a lock this thread write-holds is simply
 * busy); preemption is off only when the lock was taken. */
int _raw_read_trylock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	int v = __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED);

	ukmem__preempt_add(c, 1, _RET_IP_);
	while (v >= 0)
		if (__atomic_compare_exchange_n(&lock->cnt, &v, v + 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return 1;
	ukmem__preempt_sub(c, 1);
	return 0;
}

int _raw_write_trylock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	int zero = 0;

	ukmem__preempt_add(c, 1, _RET_IP_);
	if (__atomic_compare_exchange_n(&lock->cnt, &zero, -1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		__atomic_store_n(&lock->owner_cpu, c->cpu, __ATOMIC_RELAXED);
		__atomic_store_n(&lock->owner, c->task.pid, __ATOMIC_RELAXED);
		return 1;
	}
	ukmem__preempt_sub(c, 1);
	return 0;
}

/* 6.1's debug_write_unlock(): another thread's write lock is reported and released; a lock
 * nobody write-holds is reported and left alone. */
void _raw_write_unlock(rwlock_t *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();

	rwlock_check_magic(lock);
	if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != c->task.pid)) {
		rwlock_bug(lock, "wrong owner");
		if (__atomic_load_n(&lock->cnt, __ATOMIC_RELAXED) != -1)
			return;
	}
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_cpu, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->cnt, 0, __ATOMIC_RELEASE);
	ukmem__preempt_sub(c, 1);
}

/* ---- mutexes ---- */
/*
 * The owner word is the lock (6.1's atomic owner with its flag bits): 0 when free, else the
 * holder's thread id, with MUTEX_WAITERS set once a thread sleeps, or is about to, waiting
 * for it.  A lock is a compare-and-swap from 0 (acquire); a contended one spins a little,
 * then sets the flag and sleeps on the word (the host's futex) until it reads 0, and takes
 * the lock with the flag set, for the sleepers that may remain.  An unlock swaps the word
 * back to 0 (release) and, when the word it replaced had the flag, wakes one sleeper.  Any
 * thread may release the word, so 6.1's unlock by a task that does not hold the mutex is
 * well defined: its WARN, then the release, and the holder is told (held_lock_released).
 * Thread ids fit in 30 bits (the host's pid_max is at most 2^22), so the flag never meets
 * an id.
 */
#define MUTEX_WAITERS	0x80000000u
#define MUTEX_SPINS	64	/* polls of a held word before sleeping on it */

static inline unsigned int mutex_holder(unsigned int owner)
{
	return owner & ~MUTEX_WAITERS;
}

static inline unsigned int mutex_me(const struct ukmem__cpu *c)
{
	return (unsigned int)c->task.pid;
}

/*
 * ThreadSanitizer sees each hold as a shared ("read") hold of the mutex's address, and each
 * unlock releases that address (__tsan_release) for the next lock to acquire: every hold is
 * ordered after the previous one, so data under a mutex shows no race, while data reached
 * without it still does.  Its exclusive-hold model cannot express 6.1's release by a task
 * that does not hold the mutex (it reports that as a misuse and, after it, loses the
 * ordering of later holds); a shared hold may end in any thread.  Between an annotation's
 * begin and end TSan ignores the lock's own atomics; the reports, the hung-task records and
 * the held-lock post inside that stretch are "diverted" back into view.
 */
#ifdef UKMEM_TSAN
#define TSAN_HOLD	__tsan_mutex_read_lock
#define TSAN_TRY	__tsan_mutex_try_lock
#define TSAN_TRY_FAILED	__tsan_mutex_try_lock_failed
#define tsan_mutex_create(l)	__tsan_mutex_create(l, 0)
#define tsan_mutex_destroy(l)	__tsan_mutex_destroy(l, 0)
#define tsan_lock_begin(l, f)	__tsan_mutex_pre_lock(l, TSAN_HOLD | (f))
#define tsan_lock_end(l, f)	__tsan_mutex_post_lock(l, TSAN_HOLD | (f), 0)
#define tsan_unlock_begin(l)	(__tsan_release(l), __tsan_mutex_pre_unlock(l, TSAN_HOLD))
#define tsan_unlock_end(l)	__tsan_mutex_post_unlock(l, TSAN_HOLD)
#define tsan_divert_begin(l)	__tsan_mutex_pre_divert(l, 0)
#define tsan_divert_end(l)	__tsan_mutex_post_divert(l, 0)
#else
#define TSAN_TRY	0
#define TSAN_TRY_FAILED	0
#define tsan_mutex_create(l)	((void)(l))
#define tsan_mutex_destroy(l)	((void)(l))
#define tsan_lock_begin(l, f)	((void)(l), (void)(f))
#define tsan_lock_end(l, f)	((void)(l), (void)(f))
#define tsan_unlock_begin(l)	((void)(l))
#define tsan_unlock_end(l)	((void)(l))
#define tsan_divert_begin(l)	((void)(l))
#define tsan_divert_end(l)	((void)(l))
#endif

void mutex_init(struct mutex *lock)
{
	tsan_mutex_create(lock);
	lock->owner = 0;
	lock->magic = lock;
}

/* 6.1's debug_mutex_destroy(): a later use of the mutex is a "magic" warning. */
void mutex_destroy(struct mutex *lock)
{
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED))
		debug_locks_warn("mutex_is_locked(lock)");
	tsan_mutex_destroy(lock);
	lock->magic = NULL;
}

/* A mutex never initialised (mutex_init, DEFINE_MUTEX), destroyed, or copied: 6.1's
 * DEBUG_MUTEXES warning.  It is then marked initialised: one mutex is reported once. */
static noinline void mutex_bad_magic(struct mutex *lock)
{
	debug_locks_warn("lock->magic != lock");
	__atomic_store_n(&lock->magic, lock, __ATOMIC_RELAXED);
}

static __always_inline void mutex_check_magic(struct mutex *lock)
{
	if (unlikely(__atomic_load_n(&lock->magic, __ATOMIC_RELAXED) != lock))
		mutex_bad_magic(lock);
}

/* ---- the thread's held sleeping locks (lockdep's list), for its reports ---- */
static void held_lock_remove(struct ukmem__cpu *c, int i, int n)
{
	if (i < n - 1)		/* not the last taken, as most are */
		memmove(&c->held_lock[i], &c->held_lock[i + 1],
			(n - i - 1) * sizeof(c->held_lock[0]));
	c->nr_held_locks--;
}

/* Drop @lock's oldest entry (a lock released for this thread by another: any newer entry
 * is a later hold of its own); one not listed counts down the unlisted ones. */
static void held_lock_drop_oldest(struct ukmem__cpu *c, const void *lock)
{
	int n = min(c->nr_held_locks, UKMEM_HELD_LOCKS);

	for (int i = 0; lock && i < n; i++)
		if (c->held_lock[i].lock == lock) {
			held_lock_remove(c, i, n);
			return;
		}
	if (c->nr_held_locks > UKMEM_HELD_LOCKS)
		c->nr_held_locks--;
}

static noinline void held_locks_drop_released(struct ukmem__cpu *c)
{
	pthread_mutex_lock(&cpu_ids.lock);
	for (unsigned int i = 0; i < c->nr_released; i++)
		held_lock_drop_oldest(c, i < UKMEM_HELD_LOCKS ? c->released[i] : NULL);
	__atomic_store_n(&c->nr_released, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&cpu_ids.lock);
}

static __always_inline void held_locks_sync(struct ukmem__cpu *c)
{
	if (unlikely(__atomic_load_n(&c->nr_released, __ATOMIC_RELAXED)))
		held_locks_drop_released(c);
}

void ukmem__held_locks_sync(struct ukmem__cpu *c)
{
	held_locks_sync(c);
}

/*
 * Another thread released @lock, held by the thread with id @pid: that thread is told, and
 * drops it from its list the next time it adds to the list or reads it, so its exit and its
 * later reports do not name a lock it no longer holds.  Nothing is told when that thread
 * has gone (or was never attached).
 */
static void held_lock_released(const void *lock, pid_t pid)
{
	pthread_mutex_lock(&cpu_ids.lock);
	for (int i = 0; i < MAX_CPU_IDS; i++) {
		struct ukmem__cpu *o = cpu_ids.task[i].cpu;

		if (o && cpu_ids.task[i].pid == pid) {
			unsigned int n = o->nr_released;

			if (n < UKMEM_HELD_LOCKS)
				o->released[n] = lock;
			__atomic_store_n(&o->nr_released, n + 1, __ATOMIC_RELAXED);
			break;
		}
	}
	pthread_mutex_unlock(&cpu_ids.lock);
}

/* The thread's held sleeping locks, for its exit report (lockdep's list of held locks). */
void ukmem__held_lock_add(struct ukmem__cpu *c, const void *lock, const char *kind,
			  unsigned long ip)
{
	held_locks_sync(c);
	if (c->nr_held_locks < UKMEM_HELD_LOCKS) {
		c->held_lock[c->nr_held_locks].lock = lock;
		c->held_lock[c->nr_held_locks].kind = kind;
		c->held_lock[c->nr_held_locks].ip = ip;
	}
	c->nr_held_locks++;
}

void ukmem__held_lock_del(struct ukmem__cpu *c, const void *lock)
{
	int n = min(c->nr_held_locks, UKMEM_HELD_LOCKS);

	for (int i = n - 1; i >= 0; i--)
		if (c->held_lock[i].lock == lock) {
			held_lock_remove(c, i, n);
			return;
		}
	if (c->nr_held_locks > UKMEM_HELD_LOCKS)
		c->nr_held_locks--;	/* one of those not listed */
}

/* The locks this thread holds, as lockdep_print_held_locks() lists them. */
static void print_held_locks(const struct ukmem__cpu *c)
{
	int n = c->nr_held_locks;

	printk(KERN_WARNING "%d lock%s held by %s/%d:\n", n, n > 1 ? "s" : "", c->task.comm,
	       c->task.pid);
	for (int i = 0; i < min(n, UKMEM_HELD_LOCKS); i++)
		printk(KERN_WARNING " #%d: %px (%s), at: %pS\n", i, c->held_lock[i].lock,
		       c->held_lock[i].kind, (void *)c->held_lock[i].ip);
}

/* Where this thread took @lock, or 0 when it is not among those listed. */
static unsigned long held_lock_ip(const struct ukmem__cpu *c, const void *lock)
{
	for (int i = 0; i < min(c->nr_held_locks, UKMEM_HELD_LOCKS); i++)
		if (c->held_lock[i].lock == lock)
			return c->held_lock[i].ip;
	return 0;
}

/* Taking a sleeping lock this thread holds: lockdep's print_deadlock_bug().  The kernel
 * would sleep for ever (its hung-task detector speaks two minutes later), so the process
 * ends here, as on a spinlock recursion; the report is printed even with lock debugging
 * off. */
noinline __noreturn void ukmem__lock_recursion(struct ukmem__cpu *c, const void *lock,
					       const char *kind, unsigned long ip)
{
	unsigned long held_ip;

	held_locks_sync(c);
	held_ip = held_lock_ip(c, lock);
	ukmem__debug_locks_off();
	ukmem__report_begin();
	printk(KERN_WARNING "\n");
	printk(KERN_WARNING "============================================\n");
	printk(KERN_WARNING "WARNING: possible recursive locking detected\n");
	printk(KERN_WARNING "6.1.0-ukmem #1 %s\n", ukmem__print_tainted());
	printk(KERN_WARNING "--------------------------------------------\n");
	printk(KERN_WARNING "%s/%d is trying to acquire lock:\n", c->task.comm, c->task.pid);
	printk(KERN_WARNING "%px (%s), at: %pS\n", lock, kind, (void *)ip);
	printk(KERN_WARNING "\nbut task is already holding lock:\n");
	if (held_ip)
		printk(KERN_WARNING "%px (%s), at: %pS\n", lock, kind, (void *)held_ip);
	else
		printk(KERN_WARNING "%px (%s)\n", lock, kind);
	printk(KERN_WARNING "\nother info that might help us debug this:\n");
	printk(KERN_WARNING " Possible unsafe locking scenario:\n\n");
	printk(KERN_WARNING "       CPU0\n");
	printk(KERN_WARNING "       ----\n");
	printk(KERN_WARNING "  lock(%px);\n", lock);
	printk(KERN_WARNING "  lock(%px);\n", lock);
	printk(KERN_WARNING "\n *** DEADLOCK ***\n\n");
	printk(KERN_WARNING " May be due to missing lock nesting notation\n\n");
	print_held_locks(c);
	printk(KERN_WARNING "\nstack backtrace:\n");
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	ukmem__report_end(UKMEM_REPORT_BUG);
	fflush(stderr);
	abort();
}

/* ---- taking and releasing a mutex ---- */
/* Every sleeping lock operation: might_sleep(), then a lock this thread holds ends it. */
static __always_inline struct ukmem__cpu *mutex_lock_check(struct mutex *lock,
							   unsigned long ip)
{
	struct ukmem__cpu *c;

	might_sleep();
	mutex_check_magic(lock);
	c = ukmem__cpu();
	if (unlikely(mutex_holder(__atomic_load_n(&lock->owner, __ATOMIC_RELAXED)) ==
		     mutex_me(c)))
		ukmem__lock_recursion(c, lock, "mutex", ip);
	return c;
}

static __always_inline bool mutex_take(struct mutex *lock, unsigned int me)
{
	unsigned int free = 0;

	return __atomic_compare_exchange_n(&lock->owner, &free, me, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* The sleep of a contended lock, one the hung-task detector watches in @state. */
static noinline void __mutex_lock_slowpath(struct mutex *lock, unsigned int me,
					   unsigned int state)
{
	unsigned int v;

	for (int i = 0; i < MUTEX_SPINS; i++) {
		cpu_relax();
		v = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
		if (v & MUTEX_WAITERS)
			break;			/* others sleep already: join them */
		if (!v && mutex_take(lock, me))
			return;
	}
	tsan_divert_begin(lock);
	ukmem__hung_sleep_begin(state);
	tsan_divert_end(lock);
	v = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	for (;;) {
		if (!v) {
			if (__atomic_compare_exchange_n(&lock->owner, &v, me | MUTEX_WAITERS, false,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		if (!(v & MUTEX_WAITERS) &&
		    !__atomic_compare_exchange_n(&lock->owner, &v, v | MUTEX_WAITERS, false,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			continue;
		ukmem__os_wait_on(&lock->owner, v | MUTEX_WAITERS, ~0ULL);
		v = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	}
	tsan_divert_begin(lock);
	ukmem__hung_sleep_end();
	tsan_divert_end(lock);
}

static __always_inline void mutex_acquire(struct mutex *lock, struct ukmem__cpu *c,
					  unsigned int state, unsigned long ip)
{
	tsan_lock_begin(lock, 0);
	if (unlikely(!mutex_take(lock, mutex_me(c))))
		__mutex_lock_slowpath(lock, mutex_me(c), state);
	tsan_lock_end(lock, 0);
	ukmem__held_lock_add(c, lock, "mutex", ip);
}

void mutex_lock(struct mutex *lock)
{
	struct ukmem__cpu *c = mutex_lock_check(lock, _RET_IP_);

	mutex_acquire(lock, c, TASK_UNINTERRUPTIBLE, _RET_IP_);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	struct ukmem__cpu *c = mutex_lock_check(lock, _RET_IP_);

	mutex_acquire(lock, c, TASK_INTERRUPTIBLE, _RET_IP_);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	struct ukmem__cpu *c = mutex_lock_check(lock, _RET_IP_);

	mutex_acquire(lock, c, TASK_KILLABLE, _RET_IP_);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	bool taken;

	mutex_check_magic(lock);
	tsan_lock_begin(lock, TSAN_TRY);
	taken = mutex_take(lock, mutex_me(c));
	tsan_lock_end(lock, taken ? TSAN_TRY : TSAN_TRY | TSAN_TRY_FAILED);
	if (!taken)
		return 0;
	ukmem__held_lock_add(c, lock, "mutex", _RET_IP_);
	return 1;
}

/*
 * The unlock the fast path could not make (@v: the word it found): this thread's own hold
 * with sleepers to wake (true), or 6.1's __mutex_unlock_slowpath() for a mutex this task does
 * not hold: DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current), then a mutex that is not
 * locked is left alone and another task's is released, its holder told (false).
 */
static noinline bool __mutex_unlock_slowpath(struct mutex *lock, unsigned int me,
					     unsigned int v)
{
	while (mutex_holder(v) == me)
		if (__atomic_compare_exchange_n(&lock->owner, &v, 0, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED)) {
			if (v & MUTEX_WAITERS)
				ukmem__os_wake_on(&lock->owner, 1);
			return true;
		}
	tsan_divert_begin(lock);
	debug_locks_warn("__owner_task(owner) != current");
	tsan_divert_end(lock);
	v = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	while (v && !__atomic_compare_exchange_n(&lock->owner, &v, 0, false, __ATOMIC_RELEASE,
						 __ATOMIC_RELAXED))
		;
	if (!v)
		return false;
	if (v & MUTEX_WAITERS)
		ukmem__os_wake_on(&lock->owner, 1);
	tsan_divert_begin(lock);
	held_lock_released(lock, (pid_t)mutex_holder(v));
	tsan_divert_end(lock);
	return false;
}

void mutex_unlock(struct mutex *lock)
{
	struct ukmem__cpu *c = ukmem__cpu();
	unsigned int v = mutex_me(c);
	bool mine;

	mutex_check_magic(lock);
	tsan_unlock_begin(lock);
	mine = __atomic_compare_exchange_n(&lock->owner, &v, 0, false, __ATOMIC_RELEASE,
					   __ATOMIC_RELAXED) ||
	       __mutex_unlock_slowpath(lock, mutex_me(c), v);
	tsan_unlock_end(lock);
	if (likely(mine))
		ukmem__held_lock_del(c, lock);
}

/* True exactly while a task holds it: the word is the lock. */
bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != 0;
}

/* ---- a thread's exit: 6.1's do_exit() checks ---- */
/* lockdep's print_held_locks_bug(), for the mutexes (spinlocks show in the count). */
static noinline void held_locks_bug(struct ukmem__cpu *c)
{
	if (!ukmem__debug_locks_off()) {
		ukmem__report_silent();
		return;
	}
	ukmem__report_begin();
	printk(KERN_WARNING "\n");
	printk(KERN_WARNING "====================================\n");
	printk(KERN_WARNING "WARNING: %s/%d still has locks held!\n", c->task.comm, c->task.pid);
	printk(KERN_WARNING "6.1.0-ukmem #1 %s\n", ukmem__print_tainted());
	printk(KERN_WARNING "------------------------------------\n");
	print_held_locks(c);
	printk(KERN_WARNING "\nstack backtrace:\n");
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* Interrupts off: do_exit()'s WARN_ON; mutexes held: lockdep's report; a spinlock or
 * preemption left disabled: do_task_dead()'s schedule() with do_exit()'s own
 * preempt_disable() on top. */
static void thread_exit_checks(struct ukmem__cpu *c)
{
	WARN_ON(c->irqs_disabled);
	held_locks_sync(c);
	if (unlikely(c->nr_held_locks))
		held_locks_bug(c);
	if (unlikely(c->preempt_count))
		schedule_bug(c, c->preempt_count + PREEMPT_OFFSET);
}

/**
 * ukmem__context_exit_checks - ukmem_exit()'s check of the thread that calls it
 *
 * The program leaves the kernel there: what the thread still holds (interrupts off, a
 * spinlock or preemption disabled, mutexes) is reported as at a thread's exit, and its
 * context is cleared, so that the shut-down that follows (which sleeps and takes mutexes)
 * runs in process context instead of reporting its own calls.  The locks stay locked.  A
 * kthread's end makes the same check before kthread_stop() is let go (kthread.c), so that
 * the reports come before kthread_stop() returns.
 */
void ukmem__context_exit_checks(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	if (!c->attached)
		return;
	thread_exit_checks(c);
	c->preempt_count = 0;
	c->nr_held_locks = 0;
	if (c->irqs_disabled) {
		c->irqs_disabled = false;
		irqs_enabled(c);
	}
}
