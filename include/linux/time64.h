/* SPDX-License-Identifier: MIT */
/* <linux/time64.h>: the unit constants and struct timespec64. */
#ifndef _UKMEM_LINUX_TIME64_H
#define _UKMEM_LINUX_TIME64_H
#include <linux/types.h>

#define MSEC_PER_SEC	1000L
#define USEC_PER_MSEC	1000L
#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define USEC_PER_SEC	1000000L
#define NSEC_PER_SEC	1000000000L
#define FSEC_PER_SEC	1000000000000000LL

typedef s64 time64_t;
struct timespec64 {
	time64_t tv_sec;
	long tv_nsec;
};
#endif
