/* SPDX-License-Identifier: MIT */
/*
 * The hung-task detector (6.1's khungtaskd, kernel/hung_task.c): a watchdog thread that
 * reports a task asleep in TASK_UNINTERRUPTIBLE for longer than hung_task_timeout_secs.
 *
 * Sleepers: the slow path of every sleep through the scheduler or a sleeping lock (sched.c's
 * schedule(), wait.c's waits, a contended mutex or rw_semaphore) brackets the host sleep with
 * ukmem__hung_sleep_begin() and _end().  Begin records, in the thread's ukmem__cpu, the
 * state, the time, the task's pid and comm and the stack at the sleep, then publishes the
 * state; the first sleep of a thread puts its record on the list the watchdog scans and, the
 * first time in the process, starts the watchdog.  A thread that never sleeps costs nothing.
 *
 * The watchdog wakes every hung_task_check_interval_secs (hung_task_timeout_secs when 0) and
 * reports each record whose state is exactly TASK_UNINTERRUPTIBLE (TASK_KILLABLE, TASK_IDLE
 * and the rest are not watched, as 6.1's check) and whose sleep began more than the timeout
 * ago, once per sleep: the record's sleep count plays 6.1's last_switch_count.
 *
 * Invariants: a record's fields are written only by its thread, with atomic stores, before
 * it publishes the state (release) and bumps its sleep count; the watchdog copies them with
 * atomic loads and uses the copy only when the count did not move meanwhile (a seqlock).  A
 * record is on the list from its thread's first sleep until its thread's exit.
 *
 * Locking: hung.lock (a host mutex) guards the list and the watchdog's start; a thread takes
 * it on its first sleep and at its exit, the watchdog for one scan, a fork across the fork
 * (its preparation stops and joins the watchdog first, so that the child is forked from a
 * process without it, and the parent starts it again).  A report is printed with
 * hung.lock held (the console lock is taken last by anything).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include "core/core.h"
#include "platform/platform.h"

static struct {
	pthread_mutex_t lock;
	struct ukmem__cpu *sleepers;	/* every thread that has slept (hung.lock) */
	unsigned int gen;		/* bumped in a fork's child: the list starts empty */
	bool started;			/* the watchdog runs (hung.lock) */
	bool exited;			/* ukmem_exit has stopped it for good (hung.lock) */
	unsigned int stop;		/* the watchdog ends at once (futex word) */
	unsigned long thread;		/* the watchdog, to join; 0: none (hung.lock) */
	bool restart;			/* a fork stopped it: its parent starts it again */
	int warnings;			/* hung_task_warnings left; -1: no limit (watchdog) */
} hung = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned long long secs_ns(unsigned long secs)
{
	return (unsigned long long)secs * 1000000000ULL;
}

static void *watchdog(void *arg);

/* Start the watchdog (hung.lock held); a failure leaves it to the next first sleep. */
static void watchdog_start(void)
{
	hung.started = !ukmem__os_thread_start_joinable(watchdog, NULL, &hung.thread);
	if (!hung.started)
		hung.thread = 0;
}

/* The caller's first sleep (in this process): list its record, start the watchdog. */
static noinline void hung_list(struct ukmem__cpu *c)
{
	pthread_mutex_lock(&hung.lock);
	c->sleep.next = hung.sleepers;
	hung.sleepers = c;
	c->sleep.gen = hung.gen + 1;
	if (!hung.started && !hung.exited) {
		hung.warnings = ukmem__cfg.hung_task_warnings;
		watchdog_start();
	}
	pthread_mutex_unlock(&hung.lock);
}

/* The caller's held locks, copied into its record: they do not change while it sleeps, but
 * the watchdog may still be reading them when it wakes and unlocks. */
static void sleep_save_locks(struct ukmem__cpu *c)
{
	int n;

	ukmem__held_locks_sync(c);
	n = min(c->nr_held_locks, UKMEM_HELD_LOCKS);

	for (int i = 0; i < n; i++) {
		__atomic_store_n(&c->sleep.locks[i][0], (unsigned long)c->held_lock[i].lock,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&c->sleep.locks[i][1], (unsigned long)c->held_lock[i].kind,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&c->sleep.locks[i][2], c->held_lock[i].ip, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&c->sleep.nr_locks, c->nr_held_locks, __ATOMIC_RELAXED);
}

/**
 * ukmem__hung_sleep_begin - the caller is about to sleep on the host in @state
 * @state: its task state (only TASK_UNINTERRUPTIBLE is reported)
 *
 * Called only where the caller really sleeps, never on a fast path; nothing is done with the
 * detector off (hung_task_timeout_secs=0) or before start-up has read the command line.
 */
noinline void ukmem__hung_sleep_begin(unsigned int state)
{
	struct ukmem__cpu *c;
	struct task_struct *t;
	unsigned long pcs[UKMEM_STACK_DEPTH] = { 0 };
	unsigned long comm[TASK_COMM_LEN / sizeof(long)] = { 0 };
	int n;

	if (!ukmem__cfg.hung_task_timeout_secs ||
	    !__atomic_load_n(&ukmem__started, __ATOMIC_ACQUIRE))
		return;				/* off, or the command line not yet read */
	c = ukmem__cpu();
	t = c->curr;
	n = ukmem__stack_save(pcs, UKMEM_STACK_DEPTH, 1);
	memcpy(comm, t->comm, sizeof(comm) - 1);
	for (int i = 0; i < UKMEM_STACK_DEPTH; i++)
		__atomic_store_n(&c->sleep.pcs[i], pcs[i], __ATOMIC_RELAXED);
	for (size_t i = 0; i < ARRAY_SIZE(comm); i++)
		__atomic_store_n(&c->sleep.comm[i], comm[i], __ATOMIC_RELAXED);
	__atomic_store_n(&c->sleep.nr_pcs, n, __ATOMIC_RELAXED);
	sleep_save_locks(c);
	__atomic_store_n(&c->sleep.pid, t->pid, __ATOMIC_RELAXED);
	__atomic_store_n(&c->sleep.since_ns, ukmem__os_now_ns(), __ATOMIC_RELAXED);
	__atomic_store_n(&c->sleep.state, state, __ATOMIC_RELEASE);
	__atomic_fetch_add(&c->sleep.count, 1, __ATOMIC_RELEASE);
	if (unlikely(c->sleep.gen != hung.gen + 1))
		hung_list(c);
}

/** ukmem__hung_sleep_end - the caller's host sleep is over */
void ukmem__hung_sleep_end(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	if (!ukmem__cfg.hung_task_timeout_secs)
		return;
	__atomic_store_n(&c->sleep.state, 0, __ATOMIC_RELEASE);
	__atomic_fetch_add(&c->sleep.count, 1, __ATOMIC_RELEASE);
}

/* A consistent copy of a record, or false when its thread slept or woke meanwhile. */
struct sleep_copy {
	unsigned int state;
	int nr_pcs, pid;
	unsigned long count;
	unsigned long long since_ns;
	unsigned long pcs[UKMEM_STACK_DEPTH];
	unsigned long comm[TASK_COMM_LEN / sizeof(long)];
	int nr_locks;
	unsigned long locks[UKMEM_HELD_LOCKS][3];
};

static bool sleep_copy_any(const struct ukmem__cpu *c, struct sleep_copy *s)
{
	s->count = __atomic_load_n(&c->sleep.count, __ATOMIC_ACQUIRE);
	s->state = __atomic_load_n(&c->sleep.state, __ATOMIC_ACQUIRE);
	if (!s->state)
		return false;
	s->nr_pcs = __atomic_load_n(&c->sleep.nr_pcs, __ATOMIC_RELAXED);
	s->pid = __atomic_load_n(&c->sleep.pid, __ATOMIC_RELAXED);
	s->since_ns = __atomic_load_n(&c->sleep.since_ns, __ATOMIC_RELAXED);
	for (int i = 0; i < UKMEM_STACK_DEPTH; i++)
		s->pcs[i] = __atomic_load_n(&c->sleep.pcs[i], __ATOMIC_RELAXED);
	for (size_t i = 0; i < ARRAY_SIZE(s->comm); i++)
		s->comm[i] = __atomic_load_n(&c->sleep.comm[i], __ATOMIC_RELAXED);
	s->nr_locks = __atomic_load_n(&c->sleep.nr_locks, __ATOMIC_RELAXED);
	for (int i = 0; i < min(s->nr_locks, UKMEM_HELD_LOCKS); i++)
		for (int j = 0; j < 3; j++)
			s->locks[i][j] = __atomic_load_n(&c->sleep.locks[i][j], __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	s->comm[ARRAY_SIZE(s->comm) - 1] &= ~(0xffUL << (8 * (sizeof(long) - 1)));
	return __atomic_load_n(&c->sleep.count, __ATOMIC_RELAXED) == s->count;
}

/* The same for a sleep in TASK_UNINTERRUPTIBLE only: the sleeps that can hang. */
static bool sleep_copy(const struct ukmem__cpu *c, struct sleep_copy *s)
{
	return sleep_copy_any(c, s) && s->state == TASK_UNINTERRUPTIBLE;
}

/* The locks of every task asleep in a watched sleep, as each held them when it went to
 * sleep: 6.1's debug_show_all_locks(), limited to the tasks this detector sees. */
static void show_sleepers_locks(void)
{
	struct sleep_copy s;

	if (!ukmem__debug_locks()) {
		printk(KERN_WARNING "INFO: lockdep is turned off.\n");
		return;
	}
	printk(KERN_WARNING "\nShowing all locks held in the system:\n");
	for (struct ukmem__cpu *c = hung.sleepers; c; c = c->sleep.next) {
		int n;

		if (!sleep_copy_any(c, &s))
			continue;
		n = s.nr_locks;
		if (!n)
			continue;
		printk(KERN_WARNING "%d lock%s held by %s/%d:\n", n, n > 1 ? "s" : "",
		       (const char *)s.comm, s.pid);
		for (int i = 0; i < min(n, UKMEM_HELD_LOCKS); i++)
			printk(KERN_WARNING " #%d: %px (%s), at: %pS\n", i, (void *)s.locks[i][0],
			       (const char *)s.locks[i][1], (void *)s.locks[i][2]);
	}
	printk(KERN_WARNING "\n=============================================\n\n");
}

/* 6.1's check_hung_task() report for one task; the report stays open (hung_scan ends it). */
static void hung_report(const struct sleep_copy *s, unsigned long timeout)
{
	ukmem__report_begin();
	printk(KERN_ERR "INFO: task %s:%d blocked for more than %lu seconds.\n",
	       (const char *)s->comm, s->pid, timeout);
	printk(KERN_ERR "      %s 6.1.0-ukmem #1\n", ukmem__print_tainted());
	printk(KERN_ERR "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\""
	       " disables this message.\n");
	printk(KERN_INFO "task:%-15.15s state:D stack:0     pid:%-5d ppid:0      "
	       "flags:0x00000000\n", (const char *)s->comm, s->pid);
	printk(KERN_WARNING "Call Trace:\n");
	printk(KERN_WARNING " <TASK>\n");
	ukmem__stack_print(s->pcs, s->nr_pcs, " ");
	printk(KERN_WARNING " </TASK>\n");
}

/* One scan (hung.lock held): report every task hung since before @now - timeout, then, as
 * 6.1's check_hung_uninterruptible_tasks(), the locks held and the panic. */
static void hung_scan(unsigned long long now)
{
	unsigned long timeout = ukmem__cfg.hung_task_timeout_secs;
	struct sleep_copy s;
	int reports = 0;

	for (struct ukmem__cpu *c = hung.sleepers; c && hung.warnings; c = c->sleep.next) {
		if (!sleep_copy(c, &s) || c->sleep.reported == s.count ||
		    now - s.since_ns < secs_ns(timeout))
			continue;
		c->sleep.reported = s.count;		/* once per sleep */
		if (hung.warnings > 0)
			hung.warnings--;
		hung_report(&s, timeout);
		reports++;
	}
	if (!reports)
		return;
	show_sleepers_locks();
	if (ukmem__cfg.hung_task_panic) {
		printk(KERN_EMERG "Kernel panic - not syncing: hung_task: blocked tasks\n");
		fflush(stderr);
		abort();
	}
	while (reports--)
		ukmem__report_end(UKMEM_REPORT_BUG);
}

static void *watchdog(void *arg)
{
	unsigned long interval = ukmem__cfg.hung_task_check_interval_secs;

	(void)arg;
	ukmem__os_thread_setname("khungtaskd");
	if (!interval || interval > ukmem__cfg.hung_task_timeout_secs)
		interval = ukmem__cfg.hung_task_timeout_secs;
	while (!__atomic_load_n(&hung.stop, __ATOMIC_ACQUIRE)) {
		ukmem__os_wait_on(&hung.stop, 0, secs_ns(interval));
		if (__atomic_load_n(&hung.stop, __ATOMIC_ACQUIRE))
			break;
		pthread_mutex_lock(&hung.lock);
		hung_scan(ukmem__os_now_ns());
		pthread_mutex_unlock(&hung.lock);
	}
	return NULL;
}

/* A thread's exit: its record leaves the list. */
static void hung_thread_exit(void)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;

	if (c->sleep.gen != hung.gen + 1)
		return;
	pthread_mutex_lock(&hung.lock);
	for (struct ukmem__cpu **p = &hung.sleepers; *p; p = &(*p)->sleep.next)
		if (*p == c) {
			*p = c->sleep.next;
			break;
		}
	c->sleep.gen = 0;
	pthread_mutex_unlock(&hung.lock);
}

/* ukmem_exit: the watchdog ends at its next wake-up, which this brings forward; not waited
 * for, so exit is not delayed. */
static void hung_exit(void)
{
	pthread_mutex_lock(&hung.lock);
	if (hung.thread && !hung.exited) {
		__atomic_store_n(&hung.stop, 1, __ATOMIC_RELEASE);
		ukmem__os_wake_on(&hung.stop, 1);
		ukmem__os_thread_detach(hung.thread);
		hung.thread = 0;
	}
	hung.exited = true;
	pthread_mutex_unlock(&hung.lock);
}

/* A fork finds no watchdog: it is stopped and joined (after its scan, if one runs), and
 * hung.lock is held across the fork. */
static void hung_fork_prepare(void)
{
	unsigned long id = 0;

	pthread_mutex_lock(&hung.lock);
	if (hung.thread && !hung.exited) {
		id = hung.thread;		/* this fork joins it, and restarts it */
		hung.thread = 0;
		hung.restart = true;
		__atomic_store_n(&hung.stop, 1, __ATOMIC_RELEASE);
		ukmem__os_wake_on(&hung.stop, 1);
	}
	pthread_mutex_unlock(&hung.lock);	/* its scan may need it */
	if (id)
		ukmem__os_thread_join(id);
	pthread_mutex_lock(&hung.lock);
	if (id && !hung.exited)
		__atomic_store_n(&hung.stop, 0, __ATOMIC_RELAXED);
}

/* The parent: its watchdog again, if it had one. */
static void hung_fork_parent(void)
{
	if (hung.restart && !hung.exited)
		watchdog_start();
	hung.restart = false;
	pthread_mutex_unlock(&hung.lock);
}

/* A fork's child has only the forking thread and no watchdog: it starts with an empty list,
 * and its own first sleep starts its watchdog (not under ThreadSanitizer). */
static void hung_after_fork(void)
{
	pthread_mutex_unlock(&hung.lock);	/* this thread took it in the preparation */
	hung.sleepers = NULL;
	hung.thread = 0;
	hung.restart = false;
	hung.exited = false;
	__atomic_store_n(&hung.stop, 0, __ATOMIC_RELAXED);
	/* ThreadSanitizer ends a process that starts a thread after a multi-threaded fork: under
	 * it, a fork's child gets no watchdog. */
#ifdef UKMEM_TSAN
	hung.started = true;
#else
	hung.started = false;
#endif
	hung.gen++;
}

/* Late, so that a fork's preparation stops the watchdog before the other subsystems' take
 * their locks (the last registered runs first). */
static int hung_task_init(void)
{
	ukmem__os_on_thread_exit(hung_thread_exit);
	ukmem__os_atfork(hung_fork_prepare, hung_fork_parent, hung_after_fork);
	ukmem__on_exit(hung_exit);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_LATE, hung_task_init);
