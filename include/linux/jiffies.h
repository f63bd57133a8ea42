/* SPDX-License-Identifier: MIT */
/*
 * <linux/jiffies.h>: the tick counter and its conversions.  HZ is 250 (Debian's
 * CONFIG_HZ).  jiffies counts ticks of the host's monotonic clock since ukmem's clock
 * origin, starting at INITIAL_JIFFIES as the kernel does (the low 32 bits wrap five minutes
 * after start-up, which is what time_after() and friends exist for).  jiffies is read-only
 * here: it is a function call, not a variable a driver could write.
 */
#ifndef _UKMEM_LINUX_JIFFIES_H
#define _UKMEM_LINUX_JIFFIES_H
#include <linux/types.h>
#include <linux/time64.h>
#include <linux/limits.h>

#define HZ		250
#define USER_HZ		100
#define INITIAL_JIFFIES	((unsigned long)(unsigned int)(-300 * HZ))
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

u64 get_jiffies_64(void);
#define jiffies		((unsigned long)get_jiffies_64())
#define jiffies_64	get_jiffies_64()

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_in_range(a, b, c)	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c) (time_after_eq(a, b) && time_before(a, c))
#define time_after64(a, b)	((s64)((b) - (a)) < 0)
#define time_before64(a, b)	time_after64(b, a)
#define time_after_eq64(a, b)	((s64)((a) - (b)) >= 0)
#define time_before_eq64(a, b)	time_after_eq64(b, a)
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)
#define time_is_before_eq_jiffies(a)	time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)	time_before_eq(jiffies, a)

/* Conversions round up to whole ticks, as the kernel's do (a timeout never ends early). */
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return ((unsigned long)m + (MSEC_PER_SEC / HZ) - 1) / (MSEC_PER_SEC / HZ);
}
static inline unsigned long nsecs_to_jiffies(u64 n) { return (unsigned long)(n / (NSEC_PER_SEC / HZ)); }
static inline u64 nsecs_to_jiffies64(u64 n) { return n / (NSEC_PER_SEC / HZ); }
static inline unsigned int jiffies_to_msecs(const unsigned long j) { return (unsigned int)(j * (MSEC_PER_SEC / HZ)); }
static inline unsigned int jiffies_to_usecs(const unsigned long j) { return (unsigned int)(j * (USEC_PER_SEC / HZ)); }
/* Past jiffies_to_usecs(MAX_JIFFY_OFFSET) (which wraps to UINT_MAX - 7999 at HZ=250), 6.1
 * gives MAX_JIFFY_OFFSET, a timeout that never ends. */
static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	if (u > jiffies_to_usecs(MAX_JIFFY_OFFSET))
		return MAX_JIFFY_OFFSET;
	return ((unsigned long)u + (USEC_PER_SEC / HZ) - 1) / (USEC_PER_SEC / HZ);
}
static inline u64 jiffies_to_nsecs(const unsigned long j) { return (u64)j * (NSEC_PER_SEC / HZ); }
static inline u64 jiffies64_to_nsecs(u64 j) { return j * (NSEC_PER_SEC / HZ); }
static inline u64 jiffies64_to_msecs(u64 j) { return j * (MSEC_PER_SEC / HZ); }
#define secs_to_jiffies(s)	((unsigned long)(s) * HZ)
#endif
