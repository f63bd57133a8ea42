/* SPDX-License-Identifier: MIT */
/*
 * <linux/delay.h>: busy-wait delays and sleeps.  udelay/ndelay/mdelay spin on the host's
 * monotonic clock (allowed in atomic context, as in the kernel); usleep_range, msleep,
 * msleep_interruptible, fsleep and ssleep sleep the thread after the scheduler's check (6.1
 * has no might_sleep() there), so calling them under a spinlock or in an interrupt handler is
 * "BUG: scheduling while atomic", as the kernel reports it.
 * A sleep lasts at least the time asked (usleep_range sleeps @min).
 */
#ifndef _UKMEM_LINUX_DELAY_H
#define _UKMEM_LINUX_DELAY_H
#include <linux/types.h>

void __ukmem_delay_ns(u64 ns);
static inline void ndelay(unsigned long ns) { __ukmem_delay_ns(ns); }
static inline void udelay(unsigned long us) { __ukmem_delay_ns((u64)us * 1000); }
static inline void mdelay(unsigned long ms) { __ukmem_delay_ns((u64)ms * 1000000); }

void usleep_range_state(unsigned long min, unsigned long max, unsigned int state);
void usleep_range(unsigned long min, unsigned long max);
void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);	/* 0: no signals here */
static inline void ssleep(unsigned int seconds) { msleep(seconds * 1000); }
static inline void fsleep(unsigned long usecs)
{
	if (usecs <= 10)
		udelay(usecs);
	else if (usecs <= 20000)
		usleep_range(usecs, 2 * usecs);
	else
		msleep((unsigned int)((usecs + 999) / 1000));
}
#endif
