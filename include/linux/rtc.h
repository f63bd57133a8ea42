/* SPDX-License-Identifier: MIT */
/*
 * <linux/rtc.h>: struct rtc_time, the broken-down time that printk's %ptR prints (the same
 * layout as the kernel's UAPI header: tm_year counts from 1900, tm_mon from 0).  The RTC
 * class (rtc_device, devm_rtc_allocate_device, the conversion helpers) is not provided:
 * code that needs it gets a compile error, not a stub.
 */
#ifndef _UKMEM_LINUX_RTC_H
#define _UKMEM_LINUX_RTC_H

struct rtc_time {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	int tm_year;
	int tm_wday;
	int tm_yday;
	int tm_isdst;
};
#endif
