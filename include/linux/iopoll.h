/* SPDX-License-Identifier: MIT */
/*
 * <linux/iopoll.h>: poll a register until a condition holds or a timeout passes.
 *
 * read_poll_timeout() may sleep between reads (sleep_us > 0: might_sleep() checks the
 * context first, and each sleep has schedule()'s check, as 6.1's usleep_range); the _atomic
 * form busy-waits.  Both read once more after the timeout, so a
 * condition that became true just then is not missed.  Return 0 or -ETIMEDOUT; val holds
 * the last value read.  Time is the host's monotonic clock.
 */
#ifndef _UKMEM_LINUX_IOPOLL_H
#define _UKMEM_LINUX_IOPOLL_H
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/io.h>

u64 __ukmem_poll_now_ns(void);
void __ukmem_poll_sleep_us(unsigned long us);	/* 0: might_sleep(); else sleep, as schedule() */
void __ukmem_poll_delay_us(unsigned long us);	/* busy-wait */

/*
 * The loop both forms share: read, test, give up once the deadline has passed (after one
 * last read), otherwise wait wait_us with wait() and read again.
 */
#define __ukmem_poll_loop(op, val, cond, wait, wait_us, timeout_us, deadline, args...)	\
({											\
	for (;;) {									\
		(val) = op(args);							\
		if (cond)								\
			break;								\
		if ((timeout_us) && __ukmem_poll_now_ns() > (deadline)) {		\
			(val) = op(args);						\
			break;								\
		}									\
		if (wait_us)								\
			wait(wait_us);							\
	}										\
	(cond) ? 0 : -ETIMEDOUT;							\
})

#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read, args...) \
({											\
	u64 __timeout_us = (timeout_us);						\
	unsigned long __sleep_us = (sleep_us);						\
	u64 __deadline = __ukmem_poll_now_ns() + __timeout_us * 1000;			\
	if (__sleep_us)									\
		__ukmem_poll_sleep_us(0);						\
	if ((sleep_before_read) && __sleep_us)						\
		__ukmem_poll_sleep_us(__sleep_us);					\
	__ukmem_poll_loop(op, val, cond, __ukmem_poll_sleep_us, __sleep_us,		\
			  __timeout_us, __deadline, args);				\
})

#define read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, delay_before_read, args...) \
({											\
	u64 __timeout_us = (timeout_us);						\
	unsigned long __delay_us = (delay_us);						\
	u64 __deadline = __ukmem_poll_now_ns() + __timeout_us * 1000;			\
	if ((delay_before_read) && __delay_us)						\
		__ukmem_poll_delay_us(__delay_us);					\
	__ukmem_poll_loop(op, val, cond, __ukmem_poll_delay_us, __delay_us,		\
			  __timeout_us, __deadline, args);				\
})

#define readx_poll_timeout(op, addr, val, cond, sleep_us, timeout_us) \
	read_poll_timeout(op, val, cond, sleep_us, timeout_us, false, addr)
#define readx_poll_timeout_atomic(op, addr, val, cond, delay_us, timeout_us) \
	read_poll_timeout_atomic(op, val, cond, delay_us, timeout_us, false, addr)

#define readb_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readb, addr, val, cond, delay_us, timeout_us)
#define readb_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readb, addr, val, cond, delay_us, timeout_us)
#define readw_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readw, addr, val, cond, delay_us, timeout_us)
#define readw_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readw, addr, val, cond, delay_us, timeout_us)
#define readl_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readl, addr, val, cond, delay_us, timeout_us)
#define readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readl, addr, val, cond, delay_us, timeout_us)
#define readq_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readq, addr, val, cond, delay_us, timeout_us)
#define readq_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readq, addr, val, cond, delay_us, timeout_us)
#define readb_relaxed_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readb_relaxed, addr, val, cond, delay_us, timeout_us)
#define readl_relaxed_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout(readl_relaxed, addr, val, cond, delay_us, timeout_us)
#define readl_relaxed_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	readx_poll_timeout_atomic(readl_relaxed, addr, val, cond, delay_us, timeout_us)
#endif
