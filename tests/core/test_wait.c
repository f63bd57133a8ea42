/* SPDX-License-Identifier: MIT */
/*
 * Completions and wait queues: the counts and return values of kernel/sched/completion.c
 * and the wait_event*() macros, time limits that run out, cross-thread and interrupt-handler
 * wake-ups with no wake-up lost (a ping-pong of many rounds), wake_up_interruptible() that
 * leaves a wait_event() sleeper asleep as 6.1's does, might_sleep()'s report for a wait
 * under a spinlock, and timeouts that are negative (6.1's message, no wait) or too long to
 * count in nanoseconds (a sleep, not a spin).
 */
#include <limits.h>
#include <pthread.h>
#include <time.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <ukmem.h>
#include "ktest.h"

static void test_counts(void)
{
	DECLARE_COMPLETION_ONSTACK(c);
	struct completion d;

	KT_ASSERT(!completion_done(&c));
	KT_ASSERT(!try_wait_for_completion(&c));
	complete(&c);
	complete(&c);
	KT_ASSERT(completion_done(&c));
	KT_ASSERT(try_wait_for_completion(&c));
	KT_EQ(wait_for_completion_timeout(&c, 10), 10);	/* the second: no wait, all left */
	KT_ASSERT(!try_wait_for_completion(&c));

	init_completion(&d);
	complete_all(&d);				/* every wait passes from now on */
	for (int i = 0; i < 5; i++)
		wait_for_completion(&d);
	KT_EQ(wait_for_completion_interruptible(&d), 0);
	KT_EQ(wait_for_completion_killable_timeout(&d, 3), 3);
	KT_ASSERT(try_wait_for_completion(&d));
	KT_ASSERT(completion_done(&d));
	reinit_completion(&d);
	KT_ASSERT(!completion_done(&d));
	KT_EQ(wait_for_completion_timeout(&d, 0), 0);	/* nothing there, no time: 0 */
}

static void test_timeouts(void)
{
	DECLARE_COMPLETION(c);
	DECLARE_WAIT_QUEUE_HEAD(wq);
	int flag = 0;
	ktime_t t0 = ktime_get();
	long ret;

	KT_EQ(wait_for_completion_timeout(&c, 5), 0);	/* 5 jiffies: 20 ms at HZ=250 */
	KT_ASSERT(ktime_get() - t0 >= 20 * NSEC_PER_MSEC);

	t0 = ktime_get();
	ret = wait_event_timeout(wq, flag, 5);
	KT_EQ(ret, 0);
	KT_ASSERT(ktime_get() - t0 >= 20 * NSEC_PER_MSEC);
	flag = 1;
	KT_EQ(wait_event_timeout(wq, flag, 7), 7);		/* true at once: all the time left */
	KT_EQ(wait_event_timeout(wq, flag, 0), 1);		/* true, with no time: 1 */
	KT_EQ(wait_event_interruptible(wq, flag), 0);
	KT_EQ(wait_event_interruptible_timeout(wq, flag, 4), 4);
	wait_event(wq, flag);
	KT_ASSERT(!waitqueue_active(&wq));
}

/* A negative timeout (a deadline already past) is 6.1's schedule_timeout() message and no
 * wait: wait_event_timeout() and the completion waits return 0 at once (they slept for
 * ever).  A timeout too long to count in nanoseconds sleeps (it used to wrap to a short
 * one, and a 2^56-jiffy wait spun). */
static u64 thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

static struct completion never;
static DECLARE_WAIT_QUEUE_HEAD(never_wq);

static void *late_completer(void *arg)
{
	(void)arg;
	msleep(200);
	complete(&never);
	return NULL;
}

static void test_bad_timeouts(void)
{
	int flag = 0;
	unsigned long left;
	pthread_t th;
	u64 cpu0;
	char *out;
	ktime_t t0;

	init_completion(&never);
	kt_capture_begin();
	KT_EQ(wait_event_timeout(never_wq, flag, -5), 0);
	KT_EQ(wait_event_interruptible_timeout(never_wq, flag, -1), 0);
	KT_EQ(wait_for_completion_timeout(&never, (unsigned long)-1), 0);
	KT_EQ(wait_for_completion_killable_timeout(&never, (unsigned long)LONG_MIN), 0);
	out = kt_capture_end();
	KT_EQ(kt_count(out, "schedule_timeout: wrong timeout value "), 4);
	KT_CONTAINS(out, "schedule_timeout: wrong timeout value fffffffffffffffb\n");
	KT_CONTAINS(out, "schedule_timeout: wrong timeout value 8000000000000000\n");
	KT_EQ(kt_count(out, "Call Trace:"), 4);		/* each with its stack dump */
	free(out);
	KT_ASSERT(!waitqueue_active(&never_wq));
	flag = 1;					/* true at once: the value given, as 6.1 */
	KT_EQ(wait_event_timeout(never_wq, flag, -5), -5);
	complete(&never);				/* there: 6.1's "timeout ?: 1" */
	KT_EQ(wait_for_completion_timeout(&never, (unsigned long)-1), (unsigned long)-1);

	cpu0 = thread_cpu_ns();
	t0 = ktime_get();
	KT_EQ(pthread_create(&th, NULL, late_completer, NULL), 0);
	left = wait_for_completion_timeout(&never, 1UL << 56);	/* 2^56 * 4 ms wraps to 0 ns */
	KT_ASSERT(ktime_get() - t0 >= 150 * NSEC_PER_MSEC);
	KT_ASSERT(left <= 1UL << 56 && left > (1UL << 56) - 1000);
	KT_ASSERT(thread_cpu_ns() - cpu0 < 20 * NSEC_PER_MSEC);	/* it slept, it did not spin */
	KT_EQ(pthread_join(th, NULL), 0);
}

/* ---- across threads ---- */
#define ROUNDS 5000

static struct completion ping, pong;
static DECLARE_WAIT_QUEUE_HEAD(turn_wq);
static int turn;			/* whose turn: 0 main, 1 the other */

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		wait_for_completion(&ping);
		complete(&pong);
	}
	for (int i = 0; i < ROUNDS; i++) {
		wait_event(turn_wq, __atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 1);
		__atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
		wake_up(&turn_wq);
	}
	return NULL;
}

static void test_ping_pong(void)
{
	pthread_t t;

	init_completion(&ping);
	init_completion(&pong);
	KT_EQ(pthread_create(&t, NULL, ponger, NULL), 0);
	for (int i = 0; i < ROUNDS; i++) {
		complete(&ping);
		wait_for_completion(&pong);
	}
	for (int i = 0; i < ROUNDS; i++) {
		__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
		wake_up(&turn_wq);
		wait_event(turn_wq, __atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 0);
	}
	pthread_join(t, NULL);
	KT_ASSERT(!try_wait_for_completion(&pong));
	KT_ASSERT(!waitqueue_active(&turn_wq));
}

/* One complete() wakes one waiter; complete_all() wakes the rest. */
static struct completion gate;
static int passed;

static void *gate_waiter(void *arg)
{
	(void)arg;
	wait_for_completion(&gate);
	__atomic_add_fetch(&passed, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void test_many_waiters(void)
{
	pthread_t t[4];

	init_completion(&gate);
	for (int i = 0; i < 4; i++)
		KT_EQ(pthread_create(&t[i], NULL, gate_waiter, NULL), 0);
	complete(&gate);
	while (__atomic_load_n(&passed, __ATOMIC_RELAXED) < 1)
		msleep(1);
	msleep(20);
	KT_EQ(__atomic_load_n(&passed, __ATOMIC_RELAXED), 1);	/* only one went through */
	complete_all(&gate);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	KT_EQ(passed, 4);
}

/* ---- wake-ups pick sleepers by their state ---- */
/* A waiter counts each test of its condition, so that the test knows it is past its second
 * (the macro tests once, then takes its ticket and tests again) before it wakes the
 * queue: a wake-up that covers its sleep
 * makes it test again at once, one that does not leaves it asleep until its time runs out
 * (then it tests once more, finds the condition true and returns 1). */
static DECLARE_WAIT_QUEUE_HEAD(mode_wq);
static int mode_flag, mode_tests;

static bool mode_cond(void)
{
	__atomic_add_fetch(&mode_tests, 1, __ATOMIC_ACQ_REL);
	return __atomic_load_n(&mode_flag, __ATOMIC_ACQUIRE);
}

static void *uninterruptible_waiter(void *arg)
{
	return (void *)wait_event_timeout(mode_wq, mode_cond(), (long)arg);
}

static void *interruptible_waiter(void *arg)
{
	return (void *)wait_event_interruptible_timeout(mode_wq, mode_cond(), (long)arg);
}

/* Start @waiter with @timeout, wait for its second test, set the flag and wake the queue with
 * @wake; the waiter's result. */
static long wake_one(void *(*waiter)(void *), long timeout, void (*wake)(void))
{
	pthread_t t;
	void *ret;

	mode_flag = 0;
	mode_tests = 0;
	KT_EQ(pthread_create(&t, NULL, waiter, (void *)timeout), 0);
	while (__atomic_load_n(&mode_tests, __ATOMIC_ACQUIRE) < 2)
		msleep(1);
	__atomic_store_n(&mode_flag, 1, __ATOMIC_RELEASE);
	wake();
	pthread_join(t, &ret);
	return (long)ret;
}

static void wake_interruptible(void) { wake_up_interruptible(&mode_wq); }
static void wake_normal(void) { wake_up(&mode_wq); }

static void test_wake_modes(void)
{
	long far = 60 * HZ;

	/* 6.1: wake_up_interruptible() does not wake a wait_event() (uninterruptible) sleeper:
	 * it sleeps until its time runs out, then finds the condition true. */
	KT_EQ(wake_one(uninterruptible_waiter, HZ / 10, wake_interruptible), 1);
	KT_EQ(__atomic_load_n(&mode_tests, __ATOMIC_ACQUIRE), 3);
	/* It wakes an interruptible one, and wake_up() wakes both: long before their time. */
	KT_ASSERT(wake_one(interruptible_waiter, far, wake_interruptible) > far - 10 * HZ);
	KT_ASSERT(wake_one(uninterruptible_waiter, far, wake_normal) > far - 10 * HZ);
	KT_ASSERT(wake_one(interruptible_waiter, far, wake_normal) > far - 10 * HZ);
}

/* ---- from an interrupt handler ---- */
#define IRQ_LINE 12
static struct completion irq_done;

static irqreturn_t handler(int irq, void *dev_id)
{
	(void)irq, (void)dev_id;
	complete(&irq_done);
	return IRQ_HANDLED;
}

static void *raiser(void *arg)
{
	(void)arg;
	msleep(10);
	ukmem_irq_raise(IRQ_LINE);
	return NULL;
}

static void test_from_irq(void)
{
	pthread_t t;
	static int dev;

	init_completion(&irq_done);
	KT_EQ(request_irq(IRQ_LINE, handler, 0, "wait-test", &dev), 0);
	KT_EQ(pthread_create(&t, NULL, raiser, NULL), 0);
	KT_ASSERT(wait_for_completion_timeout(&irq_done, 10 * HZ) > 0);
	pthread_join(t, NULL);
	free_irq(IRQ_LINE, &dev);
}

/* ---- waiting where sleeping is not allowed ---- */
static DEFINE_SPINLOCK(lock);

static void wait_under_spinlock(void *arg)
{
	DECLARE_COMPLETION_ONSTACK(c);

	KT_EQ(ukmem_init(arg), 0);
	complete(&c);
	spin_lock(&lock);
	wait_for_completion(&c);	/* passes (it was completed), but may sleep: reported */
	spin_unlock(&lock);
	exit(0);
}

static void test_atomic_wait(void)
{
	char *out = kt_child_output(wait_under_spinlock, "");

	KT_CONTAINS(out, "BUG: sleeping function called from invalid context at "
		    "kernel/sched/completion.c:101\n");
	KT_CONTAINS(out, " wait_under_spinlock+");
	free(out);
}

int main(void)
{
	test_atomic_wait();
	KT_EQ(ukmem_init(NULL), 0);
	test_counts();
	test_timeouts();
	test_bad_timeouts();
	test_ping_pong();
	test_many_waiters();
	test_wake_modes();
	test_from_irq();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
