/* SPDX-License-Identifier: MIT */
/*
 * Lock, scheduling and interrupt-flag mistakes get the reports of a 6.1 kernel built with
 * CONFIG_DEBUG_SPINLOCK, DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT, DEBUG_MUTEXES and DEBUG_IRQFLAGS:
 * rwlock_bug's "BUG: rwlock ..." lines, spin_dump's lock line, "BUG: scheduling while
 * atomic" from msleep/schedule under a spinlock (and the count reset that follows), the
 * bogus local_irq_restore warning, the W taint after a sleeping report, and the checks of
 * a thread's exit.  Lock debugging reports once per process (debug_locks_off), so each
 * case runs in a child of its own; the test asserts each report's first lines and that the
 * child goes on after it (it exits 0), except where the kernel would hang for ever.
 */
#include <pthread.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include "ktest.h"

static DEFINE_SPINLOCK(slock);
static DEFINE_RWLOCK(rwl);
static DEFINE_MUTEX(mtx);

/* The last child's "comm/pid" and "on CPU#n, comm/pid", which it writes to shared memory. */
static struct who { char me[64], on_cpu_me[96]; } *who;

static const char *me(void)
{
	return who->me;
}

static const char *on_cpu_me(void)
{
	return who->on_cpu_me;
}

static void (*child_fn)(void *);

static void child_main(void *arg)
{
	snprintf(who->me, sizeof(who->me), "%s/%d", current->comm, current->pid);
	snprintf(who->on_cpu_me, sizeof(who->on_cpu_me), "on CPU#%d, %s", smp_processor_id(),
		 who->me);
	child_fn(arg);
}

/* Run @fn in a child; it must end as @want_abort says; returns its output. */
static char *child(void (*fn)(void *), bool want_abort)
{
	char *out;
	int status;

	child_fn = fn;
	status = kt_run_child(child_main, NULL, &out);

	if (want_abort)
		KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	else
		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return out;
}

static void expect_first_line(const char *out, const char *fmt, const char *arg)
{
	char line[256];

	snprintf(line, sizeof(line), fmt, arg);
	if (strncmp(out, line, strlen(line)))
		KT_FAIL("expected the report to begin with \"%s\":\n%s", line, out);
}

/* Another thread takes a lock and holds it until this one has released it for it (so it
 * does not exit holding it, which is a report of its own). */
static struct handover {
	void (*lock)(void);
	int pid;		/* the holder's, once it holds the lock */
	int released;		/* set when this thread has released it */
} ho;

static void *hold_for_other(void *arg)
{
	(void)arg;
	ho.lock();
	__atomic_store_n(&ho.pid, current->pid, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&ho.released, __ATOMIC_ACQUIRE))
		sched_yield();
	preempt_enable();	/* its own count: the lock was released for it */
	return NULL;
}

static pthread_t held_by_other(void (*lock)(void))
{
	pthread_t t;

	ho.lock = lock;
	KT_EQ(pthread_create(&t, NULL, hold_for_other, NULL), 0);
	while (!__atomic_load_n(&ho.pid, __ATOMIC_ACQUIRE))
		sched_yield();
	return t;
}

static void released_for_other(pthread_t t)
{
	__atomic_store_n(&ho.released, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
}

/* ---- rwlocks (spinlock_debug.c's rwlock_bug) ---- */
static void write_lock_rwl(void)
{
	write_lock(&rwl);
}

static void rwlock_wrong_owner(void *arg)
{
	pthread_t t = held_by_other(write_lock_rwl);

	(void)arg;
	preempt_disable();			/* what the unlock gives back */
	write_unlock(&rwl);			/* another thread's: reported and released */
	released_for_other(t);
	KT_EQ(preempt_count(), 0);
	write_lock(&rwl);			/* so it can be taken again */
	write_unlock(&rwl);
	write_unlock(&rwl);			/* not held: lock debugging is off, only counted */
	KT_EQ(preempt_count(), 0);
	KT_EQ(ukmem_report_count(), 2);
	fprintf(stderr, "went on\n");
}

static void rwlock_unlocked(void *arg)
{
	(void)arg;
	read_unlock(&rwl);			/* no reader: the count is left alone */
	write_lock(&rwl);
	write_unlock(&rwl);
	KT_EQ(preempt_count(), 0);
	KT_EQ(ukmem_report_count(), 1);
	fprintf(stderr, "went on\n");
}

static void rwlock_write_recursion(void *arg)
{
	(void)arg;
	write_lock(&rwl);
	write_lock(&rwl);
}

static void rwlock_read_recursion(void *arg)
{
	(void)arg;
	write_lock(&rwl);
	read_lock(&rwl);
}

static void test_rwlock(void)
{
	char want[160], *out;

	out = child(rwlock_wrong_owner, false);
	snprintf(want, sizeof(want), "BUG: rwlock wrong owner %s, %016lx\nCPU: ", on_cpu_me(),
		 (unsigned long)&rwl);
	expect_first_line(out, "%s", want);
	KT_NOT_CONTAINS(out + 1, "BUG: rwlock");	/* the second one only counted */
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(rwlock_unlocked, false);
	snprintf(want, sizeof(want), "BUG: rwlock already unlocked %s, %016lx\n", on_cpu_me(),
		 (unsigned long)&rwl);
	expect_first_line(out, "%s", want);
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(rwlock_write_recursion, true);
	snprintf(want, sizeof(want), "BUG: rwlock recursion %s, %016lx\n", on_cpu_me(), (unsigned long)&rwl);
	expect_first_line(out, "%s", want);
	KT_CONTAINS(out, "Call Trace:\n <TASK>\n _raw_write_lock+");
	free(out);

	out = child(rwlock_read_recursion, true);
	snprintf(want, sizeof(want), "BUG: rwlock recursion %s, %016lx\n", on_cpu_me(),
		 (unsigned long)&rwl);
	expect_first_line(out, "%s", want);
	KT_CONTAINS(out, "Call Trace:\n <TASK>\n _raw_read_lock+");
	free(out);
}

/* ---- spinlocks: spin_dump's lock line, once per process ---- */
static void spin_lock_slock(void)
{
	spin_lock(&slock);
}

static void spin_wrong_owner(void *arg)
{
	pthread_t t = held_by_other(spin_lock_slock);

	(void)arg;
	preempt_disable();
	spin_unlock(&slock);			/* another thread's: reported and released */
	released_for_other(t);
	spin_unlock(&slock);			/* already unlocked: only counted now */
	KT_EQ(preempt_count(), 0);
	KT_ASSERT(!spin_is_locked(&slock));
	KT_EQ(ukmem_report_count(), 2);
	fprintf(stderr, "other %d went on\n", ho.pid);
}

static void test_spinlock(void)
{
	char want[200], *out, *l;
	int other;

	out = child(spin_wrong_owner, false);
	snprintf(want, sizeof(want), "BUG: spinlock wrong owner %s\n lock: slock+0x0/0x",
		 on_cpu_me());
	expect_first_line(out, "%s", want);
	l = strstr(out, "other ");
	KT_ASSERT(l && sscanf(l, "other %d", &other) == 1);
	/* the owner: the thread holding it */
	snprintf(want, sizeof(want), ", .magic: dead4ead, .owner: %s/%d, .owner_cpu: ",
		 current->comm, other);
	KT_CONTAINS(out, want);
	KT_NOT_CONTAINS(out, "already unlocked");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- locks never initialised: CONFIG_DEBUG_SPINLOCK's and DEBUG_MUTEXES' magic ---- */
struct drvdata {
	spinlock_t lock;
	rwlock_t rw;
	struct mutex mutex;
};

/* The driver forgot spin_lock_init: bad magic, once for that lock; it still works. */
static void spin_uninitialised(void *arg)
{
	struct drvdata *d = kzalloc(sizeof(*d), GFP_KERNEL);

	(void)arg;
	spin_lock(&d->lock);
	spin_unlock(&d->lock);
	spin_lock(&d->lock);			/* the same lock: not reported again */
	KT_ASSERT(spin_is_locked(&d->lock));
	spin_unlock(&d->lock);
	KT_EQ(preempt_count(), 0);
	KT_EQ(ukmem_report_count(), 1);
	kfree(d);
	fprintf(stderr, "went on\n");
}

static void rwlock_uninitialised(void *arg)
{
	struct drvdata *d = kzalloc(sizeof(*d), GFP_KERNEL);

	(void)arg;
	write_lock(&d->rw);
	write_unlock(&d->rw);
	read_lock(&d->rw);
	read_unlock(&d->rw);
	KT_EQ(preempt_count(), 0);
	KT_EQ(ukmem_report_count(), 1);
	kfree(d);
	fprintf(stderr, "went on\n");
}

static void mutex_uninitialised(void *arg)
{
	struct drvdata *d = kzalloc(sizeof(*d), GFP_KERNEL);

	(void)arg;
	mutex_lock(&d->mutex);
	mutex_unlock(&d->mutex);
	mutex_lock(&d->mutex);
	mutex_unlock(&d->mutex);
	KT_EQ(ukmem_report_count(), 1);
	kfree(d);
	fprintf(stderr, "went on\n");
}

/* A mutex used after mutex_destroy: 6.1's debug_mutex_destroy clears its magic. */
static void mutex_after_destroy(void *arg)
{
	struct mutex m;

	(void)arg;
	mutex_init(&m);
	mutex_lock(&m);
	mutex_unlock(&m);
	KT_EQ(ukmem_report_count(), 0);
	mutex_destroy(&m);
	KT_EQ(mutex_trylock(&m), 1);
	mutex_unlock(&m);
	KT_EQ(ukmem_report_count(), 1);
	fprintf(stderr, "went on\n");
}

static void test_bad_magic(void)
{
	char want[200], *out;

	out = child(spin_uninitialised, false);
	snprintf(want, sizeof(want), "BUG: spinlock bad magic %s\n lock: 0x", on_cpu_me());
	expect_first_line(out, "%s", want);
	KT_CONTAINS(out, ", .magic: 00000000, .owner: <none>/-1, .owner_cpu: 0\n");
	KT_CONTAINS(out, " spin_uninitialised+");
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(rwlock_uninitialised, false);
	snprintf(want, sizeof(want), "BUG: rwlock bad magic %s, ", on_cpu_me());
	expect_first_line(out, "%s", want);
	KT_CONTAINS(out, " rwlock_uninitialised+");
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(mutex_uninitialised, false);
	expect_first_line(out, "%s", "------------[ cut here ]------------\n"
			  "DEBUG_LOCKS_WARN_ON(lock->magic != lock)\nWARNING: CPU: ");
	KT_CONTAINS(out, " mutex_uninitialised+");
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(mutex_after_destroy, false);
	expect_first_line(out, "%s", "------------[ cut here ]------------\n"
			  "DEBUG_LOCKS_WARN_ON(lock->magic != lock)\nWARNING: CPU: ");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- sleeping through the scheduler in atomic context ---- */
static noinline void msleep_under_spinlock(void *arg)
{
	(void)arg;
	spin_lock(&slock);
	msleep(1);
	KT_EQ(preempt_count(), 0);		/* __schedule() reset it */
	spin_unlock(&slock);			/* whose preempt_enable then underflows */
	KT_EQ(ukmem_report_count(), 2);
	fprintf(stderr, "went on\n");
}

static noinline void msleep_under_irqsave(void *arg)
{
	unsigned long flags;

	(void)arg;
	spin_lock_irqsave(&slock, flags);
	msleep(1);
	KT_ASSERT(!irqs_disabled());		/* schedule() comes back with them on */
	spin_unlock_irqrestore(&slock, flags);
	KT_EQ(ukmem_report_count(), 3);
	fprintf(stderr, "went on\n");
}

static noinline void schedule_under_preempt_disable(void *arg)
{
	(void)arg;
	preempt_disable();
	preempt_disable();
	schedule();
	KT_EQ(preempt_count(), 0);
	fprintf(stderr, "went on\n");
}

static void test_scheduling_while_atomic(void)
{
	char *out, *warn;

	out = child(msleep_under_spinlock, false);
	expect_first_line(out, "BUG: scheduling while atomic: %s/0x00000002\n"
			  "Modules linked in:\nPreemption disabled at:\n[<", me());
	KT_CONTAINS(out, "] msleep_under_spinlock+");
	warn = strstr(out, "------------[ cut here ]------------\n"
		      "DEBUG_LOCKS_WARN_ON(val > preempt_count())\n");
	KT_ASSERT(warn);
	KT_CONTAINS(warn, "Tainted: G        W          6.1.0-ukmem #1\n");
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(msleep_under_irqsave, false);
	expect_first_line(out, "BUG: scheduling while atomic: %s/0x00000002\n", me());
	warn = strstr(out, "raw_local_irq_restore() called with IRQs enabled\n");
	KT_ASSERT(warn);
	KT_CONTAINS(warn, "DEBUG_LOCKS_WARN_ON(val > preempt_count())\n");	/* after it */
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(schedule_under_preempt_disable, false);
	expect_first_line(out, "BUG: scheduling while atomic: %s/0x00000003\n", me());
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- the W taint of a sleeping report, in every later header ---- */
static noinline void taint_after_might_sleep(void *arg)
{
	struct page *page;
	void *a, *b;

	(void)arg;
	preempt_disable();
	page = alloc_page(GFP_KERNEL);		/* might_sleep's report */
	preempt_enable();
	__free_page(page);
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	kfree(a);
	kfree(b);
	kfree(a);				/* a SLUB report after it */
}

static void test_taint(void)
{
	char *out = child(taint_after_might_sleep, false), *second;

	expect_first_line(out, "%s", "BUG: sleeping function called from invalid context at ");
	KT_CONTAINS(out, " Not tainted 6.1.0-ukmem #1\n");	/* the first report's own line */
	second = strstr(out, "BUG kmalloc-64 (Tainted: G        W         ): ");
	KT_ASSERT(second);
	KT_CONTAINS(second, "Comm: test_lock_repor Tainted: G        W          6.1.0-ukmem #1\n");
	free(out);
}

/* ---- local_irq_restore with interrupts on (CONFIG_DEBUG_IRQFLAGS) ---- */
static void bogus_irq_restore(void *arg)
{
	unsigned long flags;

	(void)arg;
	for (int i = 0; i < 2; i++) {
		local_irq_save(flags);
		local_irq_enable();
		local_irq_restore(flags);	/* warned once per process */
		KT_ASSERT(!irqs_disabled());	/* x86: a restore to "off" changes nothing */
	}
	KT_EQ(ukmem_report_count(), 1);
	fprintf(stderr, "went on\n");
}

static void test_irq_restore(void)
{
	char *out = child(bogus_irq_restore, false);

	expect_first_line(out, "%s", "------------[ cut here ]------------\n"
			  "raw_local_irq_restore() called with IRQs enabled\nWARNING: CPU: ");
	KT_NOT_CONTAINS(out + 1, "------------[ cut here ]");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- mutexes ---- */
static void mutex_unlock_unlocked(void *arg)
{
	(void)arg;
	mutex_unlock(&mtx);
	mutex_lock(&mtx);
	mutex_unlock(&mtx);
	fprintf(stderr, "went on\n");
}

static void test_mutex(void)
{
	char *out = child(mutex_unlock_unlocked, false);

	expect_first_line(out, "%s", "------------[ cut here ]------------\n"
			  "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)\nWARNING: CPU: ");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* Locking a mutex this thread holds: lockdep's recursive-locking report, then the end (the
 * kernel would sleep for ever). */
static void mutex_relock(void *arg)
{
	(void)arg;
	mutex_lock(&mtx);
	mutex_lock(&mtx);
	fprintf(stderr, "went on\n");
}

static void test_mutex_recursion(void)
{
	char *out = child(mutex_relock, true), want[160];

	expect_first_line(out, "%s", "\n============================================\n"
			  "WARNING: possible recursive locking detected\n6.1.0-ukmem #1 ");
	snprintf(want, sizeof(want), "\n%s is trying to acquire lock:\n", me());
	KT_CONTAINS(out, want);
	KT_CONTAINS(out, " (mutex), at: mutex_relock+");
	KT_CONTAINS(out, "\nbut task is already holding lock:\n");
	KT_CONTAINS(out, "\n *** DEADLOCK ***\n");
	snprintf(want, sizeof(want), "\n1 lock held by %s:\n #0: ", me());
	KT_CONTAINS(out, want);
	KT_CONTAINS(out, "\nstack backtrace:\nCPU: ");
	KT_NOT_CONTAINS(out, "went on");
	free(out);
}

/* ---- ukmem_exit with the caller still holding locks ---- */
static void exit_holding_locks(void *arg)
{
	int n;

	(void)arg;
	mutex_lock(&mtx);
	spin_lock(&slock);
	local_irq_disable();
	n = ukmem_exit();		/* reported as at the thread's exit, then shut down cleanly */
	fprintf(stderr, "ukmem_exit: %d\n", n);
}

static void test_exit_holding_locks(void)
{
	char *out = child(exit_holding_locks, false), want[160];

	expect_first_line(out, "%s", "------------[ cut here ]------------\nWARNING: CPU: ");
	snprintf(want, sizeof(want), " still has locks held!\n");
	KT_CONTAINS(out, want);
	KT_CONTAINS(out, " (mutex), at: exit_holding_locks+");
	snprintf(want, sizeof(want), "BUG: scheduling while atomic: %s/0x00000002\n", me());
	KT_CONTAINS(out, want);
	KT_CONTAINS(out, "Preemption disabled at:\n");
	/* the shut-down's own sleeping calls are not reported against the program */
	KT_NOT_CONTAINS(out, "sleeping function called from invalid context");
	KT_CONTAINS(out, "ukmem_exit: 3\n");
	free(out);
}

/* ---- a thread's exit (do_exit) ---- */
static void *exit_with_mutex(void *arg)
{
	(void)arg;
	mutex_lock(&mtx);
	return NULL;
}

static void *exit_with_irqs_off(void *arg)
{
	(void)arg;
	local_irq_disable();
	return NULL;
}

static void thread_exits(void *arg)
{
	pthread_t t;

	(void)arg;
	KT_EQ(pthread_create(&t, NULL, exit_with_irqs_off, NULL), 0);
	pthread_join(t, NULL);
	KT_EQ(pthread_create(&t, NULL, exit_with_mutex, NULL), 0);
	pthread_join(t, NULL);
	KT_EQ(ukmem_report_count(), 2);
	fprintf(stderr, "went on\n");
}

static void test_thread_exit(void)
{
	char *out = child(thread_exits, false), want[160];

	expect_first_line(out, "%s", "------------[ cut here ]------------\nWARNING: CPU: ");
	KT_CONTAINS(out, " thread_exit_checks\n");
	snprintf(want, sizeof(want), "\n====================================\nWARNING: %s/",
		 current->comm);
	KT_CONTAINS(out, want);
	KT_CONTAINS(out, " still has locks held!\n6.1.0-ukmem #1 Tainted: G        W         \n"
		    "------------------------------------\n1 lock held by ");
	KT_CONTAINS(out, " (mutex), at: exit_with_mutex+");
	KT_CONTAINS(out, "\nstack backtrace:\nCPU: ");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=32M slub_debug=FZPU"), 0);
	who = mmap(NULL, sizeof(*who), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(who != MAP_FAILED);
	test_rwlock();
	test_spinlock();
	test_bad_magic();
	test_scheduling_while_atomic();
	test_taint();
	test_irq_restore();
	test_mutex();
	test_mutex_recursion();
	test_exit_holding_locks();
	test_thread_exit();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
