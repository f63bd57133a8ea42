/* SPDX-License-Identifier: MIT */
/*
 * Time for drivers: ktime (kernel/time/timekeeping.c's readers), jiffies, and the delay and
 * sleep calls of <linux/delay.h> (kernel/time/timer.c, hrtimer.c).
 *
 * ktime_get() is the host's monotonic clock, in nanoseconds.  jiffies counts HZ ticks of
 * that clock from ukmem's clock origin (taken on the first reading, or at start-up) and
 * starts at INITIAL_JIFFIES, as the kernel's does, so code that mishandles the wrap of the
 * low 32 bits meets it five minutes into a run rather than after 49 days.
 *
 * Delays spin on the clock (callable in any context); sleeps go through the scheduler's
 * check, as 6.1's do (schedule_debug: "BUG: scheduling while atomic" with preemption off,
 * and the count is 0 and interrupts on afterwards: ukmem__schedule_debug), and then sleep the
 * host thread for at least the time asked.  No signals reach a sleeping thread
 * here, so msleep_interruptible always sleeps the full time and returns 0.
 *
 * Invariant: jiffies never goes below INITIAL_JIFFIES, not even for a thread that read the
 * clock before another thread set the origin from a later reading.
 *
 * Locking: the origin is set once with a compare-and-swap; everything else is stateless.
 */
#include <time.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/delay.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include "core/core.h"
#include "platform/platform.h"

static struct {
	u64 origin_ns;		/* monotonic time of jiffy INITIAL_JIFFIES; 0 until read */
} ktime_state;

static u64 clock_origin(u64 now)
{
	u64 origin = __atomic_load_n(&ktime_state.origin_ns, __ATOMIC_ACQUIRE);

	if (unlikely(!origin)) {
		u64 expected = 0;

		if (__atomic_compare_exchange_n(&ktime_state.origin_ns, &expected, now, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			origin = now;
		else
			origin = expected;
	}
	return origin;
}

/** ktime_get - the monotonic clock, in nanoseconds */
ktime_t ktime_get(void)
{
	return (ktime_t)ukmem__os_now_ns();
}

/** ktime_get_real - the wall clock (CLOCK_REALTIME), in nanoseconds since the epoch */
ktime_t ktime_get_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (ktime_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/**
 * get_jiffies_64 - the tick count (what <linux/jiffies.h>'s jiffies reads)
 *
 * INITIAL_JIFFIES plus the whole HZ ticks since ukmem's clock origin.
 */
u64 get_jiffies_64(void)
{
	u64 now = ukmem__os_now_ns();
	u64 origin = clock_origin(now);

	/* Read just before another thread set the origin: that is the origin's tick. */
	if (unlikely(now < origin))
		now = origin;
	return (u64)INITIAL_JIFFIES + (now - origin) / (NSEC_PER_SEC / HZ);
}

/**
 * __ukmem_delay_ns - busy-wait at least @ns nanoseconds (ndelay/udelay/mdelay)
 * @ns: the delay
 *
 * Spins on the clock: legal in atomic and interrupt context, as the kernel's.
 */
void __ukmem_delay_ns(u64 ns)
{
	u64 end = ukmem__os_now_ns() + ns;

	while (ukmem__os_now_ns() < end)
		;
}

/**
 * usleep_range_state - sleep between @min and @max microseconds
 * @min: the least
 * @max: the most (the sleep ends at @min here: the host has no slack to coalesce)
 * @state: the task state (TASK_UNINTERRUPTIBLE or TASK_IDLE; no signals here either way)
 *
 * Context: may sleep (checked by the scheduler: no might_sleep() in 6.1's).
 */
void usleep_range_state(unsigned long min, unsigned long max, unsigned int state)
{
	(void)max;
	(void)state;
	ukmem__schedule_debug();
	ukmem__os_sleep_us(min);
}

/** usleep_range - sleep between @min and @max microseconds; may sleep */
void usleep_range(unsigned long min, unsigned long max)
{
	usleep_range_state(min, max, 0);
}

/**
 * msleep - sleep at least @msecs milliseconds
 * @msecs: the time
 *
 * The kernel sleeps whole jiffies plus one; this sleeps the time asked, which is never
 * shorter.  Context: may sleep (checked by the scheduler, as 6.1's).
 */
void msleep(unsigned int msecs)
{
	ukmem__schedule_debug();
	ukmem__os_sleep_us((unsigned long)msecs * 1000);
}

/**
 * msleep_interruptible - sleep @msecs milliseconds unless a signal comes
 * @msecs: the time
 *
 * Return: the milliseconds left when woken early: always 0 (no signals reach it here).
 * Context: may sleep.
 */
unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}

static int time_init(void)
{
	clock_origin(ukmem__os_now_ns());
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, time_init);

/* ---- the clock, sleep and delay of the poll macros (linux/iopoll.h) ---- */
u64 __ukmem_poll_now_ns(void)
{
	return (u64)ktime_get();
}

/* 0: read_poll_timeout()'s might_sleep_if() before its first read; else its usleep_range. */
void __ukmem_poll_sleep_us(unsigned long us)
{
	if (!us) {
		might_sleep();
		return;
	}
	ukmem__schedule_debug();
	ukmem__os_sleep_us(us);
}

void __ukmem_poll_delay_us(unsigned long us)
{
	__ukmem_delay_ns((u64)us * 1000);
}
