/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads (<linux/kthread.h>) and the scheduler's sleep (<linux/sched.h>): the
 * classic kthread loop fed by wake_up_process() for many rounds with no wake-up lost,
 * kthread_stop()'s return values (threadfn's, -EINTR for a thread never woken, the kept
 * result of a thread that returned early), `current` inside a kthread (its own task, comm
 * from the name format, its own pid, PF_KTHREAD, the bound CPU), park and unpark (also
 * before the first wake-up), kthread_stop() ending a wait_event() and a long
 * schedule_timeout(), schedule() and schedule_timeout() on an ordinary thread, and the
 * reports: kthread_stop() twice and of a non-kthread (WARNING, no crash), a spinlock held
 * when threadfn returns, kthread_create()/kthread_stop() under a spinlock, and a kthread
 * still running at ukmem_exit().  Reports that end a process's lock debugging run in
 * children of their own.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <ukmem.h>
#include "ktest.h"

static void wait_until(int *flag)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		msleep(1);
}

/* Until @t has finished its function (it is exiting). */
static void wait_exiting(struct task_struct *t)
{
	while (!(__atomic_load_n(&t->flags, __ATOMIC_ACQUIRE) & PF_EXITING))
		msleep(1);
}

/* ---- the classic loop: work signalled by wake_up_process() ---- */
#define ROUNDS 3000

struct worker {
	int pending;			/* work to do (atomic) */
	int done;			/* rounds handled */
	struct completion handled;
	struct task_struct *self;	/* current, as the thread saw it */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	unsigned int flags;
	int cpu;
};

static int worker_fn(void *data)
{
	struct worker *w = data;

	w->self = current;
	w->pid = current->pid;
	memcpy(w->comm, current->comm, TASK_COMM_LEN);
	w->flags = current->flags;
	w->cpu = smp_processor_id();
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!__atomic_load_n(&w->pending, __ATOMIC_ACQUIRE))
			schedule();
		__set_current_state(TASK_RUNNING);
		if (__atomic_exchange_n(&w->pending, 0, __ATOMIC_ACQ_REL)) {
			w->done++;
			complete(&w->handled);
		}
	}
	return 1000 + w->done;
}

static void test_classic_loop(void)
{
	static struct worker w;
	struct task_struct *t;

	init_completion(&w.handled);
	t = kthread_create(worker_fn, &w, "ukt-%s-%d", "work", 7);
	KT_ASSERT(!IS_ERR(t));
	KT_EQ(t->flags & PF_KTHREAD, PF_KTHREAD);
	KT_EQ(strcmp(t->comm, "ukt-work-7"), 0);
	KT_EQ(t->__state, TASK_UNINTERRUPTIBLE);	/* created, not running */
	KT_ASSERT(kthread_data(t) == &w);
	KT_ASSERT(kthread_func(t) == (void *)worker_fn);
	KT_ASSERT(kthread_func(current) == NULL);
	kthread_bind(t, 1);
	KT_EQ(wake_up_process(t), 1);			/* starts it */
	for (int i = 0; i < ROUNDS; i++) {
		__atomic_store_n(&w.pending, 1, __ATOMIC_RELEASE);
		wake_up_process(t);
		KT_ASSERT(wait_for_completion_timeout(&w.handled, 10 * HZ));
	}
	KT_EQ(kthread_stop(t), 1000 + ROUNDS);
	KT_ASSERT(w.self == t);				/* current is the kthread's task */
	KT_EQ(strcmp(w.comm, "ukt-work-7"), 0);
	KT_NE(w.pid, current->pid);
	KT_ASSERT(w.pid > 0);
	KT_EQ(w.flags & PF_KTHREAD, PF_KTHREAD);
	KT_EQ(w.cpu, 1);				/* kthread_bind */
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- return values ---- */
static int ran;

static int never_fn(void *data)
{
	(void)data;
	__atomic_store_n(&ran, 1, __ATOMIC_RELAXED);
	return 0;
}

static struct completion early_done;

static int early_fn(void *data)
{
	(void)data;
	complete(&early_done);
	return 7;
}

static void exit_deep(int code)
{
	kthread_exit(code);				/* does not return */
}

static int exit_fn(void *data)
{
	__atomic_store_n((int *)data, 1, __ATOMIC_RELEASE);
	exit_deep(9);
	return 0;
}

static struct completion exit_comp;

static int complete_exit_fn(void *data)
{
	(void)data;
	kthread_complete_and_exit(&exit_comp, 11);
}

static void test_return_values(void)
{
	static int exit_ran;
	struct task_struct *t;

	/* never woken: threadfn does not run, kthread_stop() says -EINTR */
	t = kthread_create(never_fn, NULL, "a-very-long-kthread-name");
	KT_ASSERT(!IS_ERR(t));
	KT_EQ(strlen(t->comm), TASK_COMM_LEN - 1);	/* the name cut to 15 characters */
	KT_EQ(strncmp(t->comm, "a-very-long-kthread-name", TASK_COMM_LEN - 1), 0);
	KT_EQ(kthread_stop(t), -EINTR);
	KT_EQ(ran, 0);

	/* returns on its own: the result waits for kthread_stop() */
	init_completion(&early_done);
	t = kthread_run(early_fn, NULL, "ukt-early");
	KT_ASSERT(!IS_ERR(t));
	wait_for_completion(&early_done);
	wait_exiting(t);				/* it has returned */
	KT_EQ(kthread_stop(t), 7);

	/* kthread_exit() from deeper down, kthread_complete_and_exit() */
	t = kthread_run(exit_fn, &exit_ran, "ukt-exit");
	KT_ASSERT(!IS_ERR(t));
	while (!__atomic_load_n(&exit_ran, __ATOMIC_ACQUIRE))	/* it ran (else: -EINTR) */
		msleep(1);
	KT_EQ(kthread_stop(t), 9);
	init_completion(&exit_comp);
	t = kthread_run(complete_exit_fn, NULL, "ukt-cexit");
	KT_ASSERT(!IS_ERR(t));
	wait_for_completion(&exit_comp);
	KT_EQ(kthread_stop(t), 11);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- park and unpark ---- */
static int spins, fn_started;

static int park_fn(void *data)
{
	(void)data;
	__atomic_store_n(&fn_started, 1, __ATOMIC_RELAXED);
	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		__atomic_add_fetch(&spins, 1, __ATOMIC_RELAXED);
		schedule_timeout_interruptible(1);
	}
	return 3;
}

static void test_park(void)
{
	struct task_struct *t = kthread_run(park_fn, NULL, "ukt-park");
	int n;

	KT_ASSERT(!IS_ERR(t));
	while (__atomic_load_n(&spins, __ATOMIC_RELAXED) < 3)
		msleep(1);
	KT_EQ(kthread_park(t), 0);
	KT_ASSERT(__kthread_should_park(t));
	KT_EQ(t->__state, TASK_PARKED);
	n = __atomic_load_n(&spins, __ATOMIC_RELAXED);
	msleep(40);
	KT_EQ(__atomic_load_n(&spins, __ATOMIC_RELAXED), n);	/* parked: not running */
	KT_EQ(wake_up_process(t), 0);			/* a parked thread stays parked */
	kthread_unpark(t);
	while (__atomic_load_n(&spins, __ATOMIC_RELAXED) < n + 3)
		msleep(1);
	KT_EQ(kthread_park(t), 0);
	KT_EQ(kthread_stop(t), 3);			/* a parked thread is unparked to stop */

	/* parked before its first wake-up: threadfn waits for the unpark */
	fn_started = 0;
	t = kthread_create(park_fn, NULL, "ukt-park2");
	KT_ASSERT(!IS_ERR(t));
	KT_EQ(kthread_park(t), 0);
	msleep(20);
	KT_EQ(__atomic_load_n(&fn_started, __ATOMIC_RELAXED), 0);
	kthread_unpark(t);
	while (!__atomic_load_n(&fn_started, __ATOMIC_RELAXED))
		msleep(1);
	KT_EQ(kthread_stop(t), 3);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- kthread_stop() ends a wait_event() and a long schedule_timeout() ---- */
static DECLARE_WAIT_QUEUE_HEAD(wq);
static int never;

static int waiting;

static int waiter_fn(void *data)
{
	(void)data;
	__atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);	/* a stop from here: 5, not -EINTR */
	wait_event_interruptible(wq, never || kthread_should_stop());
	return 5;
}

static int sleeper_fn(void *data)
{
	long left;

	__atomic_store_n(&waiting, 1, __ATOMIC_RELEASE);
	left = schedule_timeout_interruptible(100 * HZ);
	*(long *)data = left;
	while (!kthread_should_stop())
		schedule_timeout_interruptible(100 * HZ);
	return 6;
}

static void test_stop_wakes(void)
{
	struct task_struct *t = kthread_run(waiter_fn, NULL, "ukt-wait");
	static long left;
	ktime_t t0;

	KT_ASSERT(!IS_ERR(t));
	wait_until(&waiting);
	msleep(20);					/* most likely asleep in wait_event */
	KT_EQ(kthread_stop(t), 5);

	waiting = 0;
	t = kthread_run(sleeper_fn, &left, "ukt-sleep");
	KT_ASSERT(!IS_ERR(t));
	wait_until(&waiting);
	msleep(20);
	t0 = ktime_get();
	KT_EQ(kthread_stop(t), 6);
	KT_ASSERT(ktime_get() - t0 < 10 * NSEC_PER_SEC);
	KT_ASSERT(left > 90 * HZ);			/* woken early: most of the time left */
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- an ordinary thread's schedule() and schedule_timeout() ---- */
static struct task_struct *main_task;
static int main_flag;

static void *waker(void *arg)
{
	(void)arg;
	msleep(20);
	while (task_is_running(main_task))	/* a busy machine may not have run it yet */
		msleep(1);
	__atomic_store_n(&main_flag, 1, __ATOMIC_RELEASE);
	KT_EQ(wake_up_process(main_task), 1);
	return NULL;
}

static void test_plain_thread(void)
{
	pthread_t th;
	ktime_t t0 = ktime_get();

	KT_EQ(wake_up_process(current), 0);		/* running */
	set_current_state(TASK_INTERRUPTIBLE);
	KT_EQ(schedule_timeout(5), 0);			/* 5 jiffies: 20 ms at HZ=250 */
	KT_ASSERT(ktime_get() - t0 >= 20 * NSEC_PER_MSEC);
	KT_ASSERT(task_is_running(current));
	KT_ASSERT(schedule_timeout(HZ) > HZ / 2);	/* running: no sleep, (nearly) all left */

	main_task = current;
	KT_EQ(pthread_create(&th, NULL, waker, NULL), 0);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (__atomic_load_n(&main_flag, __ATOMIC_ACQUIRE))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	pthread_join(th, NULL);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- misuse and reports ---- */
static int self_stop_ret;

static int self_stop_fn(void *data)
{
	(void)data;
	self_stop_ret = kthread_stop(current);		/* 6.1: waits for its own end */
	complete(&early_done);
	while (!kthread_should_stop())
		msleep(1);
	return 9;
}

static void stop_misuse(void *arg)
{
	struct task_struct *t;
	int before;

	KT_EQ(ukmem_init(arg), 0);
	init_completion(&early_done);
	t = kthread_run(early_fn, NULL, "ukt-twice");
	get_task_struct(t);
	wait_for_completion(&early_done);		/* threadfn ran (else: -EINTR) */
	KT_EQ(kthread_stop(t), 7);
	KT_EQ(ukmem_report_count(), 0);
	KT_EQ(kthread_stop(t), 7);			/* still referenced: WARN, same result */
	KT_EQ(ukmem_report_count(), 1);
	put_task_struct(t);				/* freed */
	KT_EQ(kthread_stop(t), -EINVAL);		/* freed: WARN, nothing touched */
	KT_EQ(ukmem_report_count(), 2);
	KT_EQ(kthread_stop(current), -EINVAL);		/* not a kthread */
	KT_EQ(ukmem_report_count(), 3);
	before = (int)ukmem_report_count();
	KT_ASSERT(!kthread_should_stop());		/* outside a kthread: to_kthread's WARN */
	KT_EQ(ukmem_report_count(), before + 1);
	reinit_completion(&early_done);
	t = kthread_run(self_stop_fn, NULL, "ukt-self");
	wait_for_completion(&early_done);		/* it hung here */
	KT_EQ(self_stop_ret, -EDEADLK);
	KT_EQ(ukmem_report_count(), before + 2);
	KT_EQ(kthread_stop(t), 9);			/* nothing was changed: a plain stop */
	exit(0);
}

static void test_stop_misuse(void)
{
	char *out = kt_child_output(stop_misuse, "");

	KT_CONTAINS(out, "kthread_stop(ukt-twice/");
	KT_CONTAINS(out, "): stopped already\n");
	KT_EQ(kt_count(out, "): not a kthread, or one already stopped and freed\n"), 2);
	KT_CONTAINS(out, "kthread_stop(ukt-self/");
	KT_CONTAINS(out, "): called by the kthread itself, it would wait for its own end\n");
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, " stop_misuse+");
	free(out);
}

static DEFINE_SPINLOCK(lock);

static int lock_fn(void *data)
{
	(void)data;
	spin_lock(&lock);
	complete(&early_done);
	return 0;				/* returns with the lock held */
}

static void lock_held(void *arg)
{
	struct task_struct *t;

	KT_EQ(ukmem_init(arg), 0);
	init_completion(&early_done);
	t = kthread_run(lock_fn, NULL, "ukt-lock");
	wait_for_completion(&early_done);
	KT_EQ(kthread_stop(t), 0);
	KT_EQ(ukmem_report_count(), 1);		/* reported before kthread_stop() returned */
	exit(0);
}

static void atomic_calls(void *arg)
{
	struct task_struct *t;

	KT_EQ(ukmem_init(arg), 0);
	spin_lock(&lock);
	t = kthread_create(never_fn, NULL, "ukt-atomic");
	spin_unlock(&lock);
	KT_ASSERT(!IS_ERR(t));
	KT_EQ(ukmem_report_count(), 1);			/* one report for one mistake */
	spin_lock(&lock);
	kthread_stop(t);	/* might_sleep (then, if it sleeps: scheduling while atomic) */
	spin_unlock(&lock);
	KT_ASSERT(ukmem_report_count() >= 2);
	exit(0);
}

static int forever_fn(void *data)
{
	(void)data;
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
	return 0;
}

static void left_running(void *arg)
{
	struct task_struct *t;

	KT_EQ(ukmem_init(arg), 0);
	KT_ASSERT(!IS_ERR(kthread_run(forever_fn, NULL, "ukt-forever")));
	KT_ASSERT(!IS_ERR(kthread_create(never_fn, NULL, "ukt-idle")));
	init_completion(&early_done);
	t = kthread_run(early_fn, NULL, "ukt-ended");
	KT_ASSERT(!IS_ERR(t));
	wait_exiting(t);
	KT_EQ(ukmem_exit(), 2);				/* the two still there, named */
	exit(0);
}

static void test_reports(void)
{
	char *out = kt_child_output(lock_held, "");

	KT_CONTAINS(out, "BUG: scheduling while atomic: ukt-lock/");
	KT_CONTAINS(out, "Comm: ukt-lock ");
	free(out);

	out = kt_child_output(atomic_calls, "");
	KT_CONTAINS(out, "BUG: sleeping function called from invalid context");
	KT_CONTAINS(out, "kernel/sched/completion.c:101\n");
	KT_CONTAINS(out, " atomic_calls+");
	free(out);

	out = kt_child_output(left_running, "");
	KT_CONTAINS(out, "kthread ukt-forever/");
	KT_CONTAINS(out, " (forever_fn) is still running at exit: kthread_stop() was never called\n");
	KT_CONTAINS(out, "kthread ukt-idle/");
	KT_CONTAINS(out, " (never_fn) is still running at exit: kthread_stop() was never called "
		    "(never woken)\n");
	KT_NOT_CONTAINS(out, "ukt-ended");
	free(out);
}

int main(void)
{
	test_stop_misuse();
	test_reports();
	KT_EQ(ukmem_init(NULL), 0);
	test_classic_loop();
	test_return_values();
	test_park();
	test_stop_wakes();
	test_plain_thread();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
