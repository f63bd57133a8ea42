/* SPDX-License-Identifier: MIT */
/* <linux/timekeeping.h>: the ktime_get() family lives in <linux/ktime.h>. */
#include <linux/ktime.h>
