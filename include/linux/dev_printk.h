/* SPDX-License-Identifier: MIT */
/*
 * <linux/dev_printk.h>: printk with the device's identity, "DRIVER DEVICE: message", where
 * DRIVER is the bound driver's name, else the bus's name, else "" (dev_driver_string), and a
 * NULL device prints "(NULL device *): ".  Levels as printk: dev_dbg is KERN_DEBUG and so
 * reaches the console only with loglevel=8 (it is always compiled in, as with dynamic debug).
 */
#ifndef _UKMEM_LINUX_DEV_PRINTK_H
#define _UKMEM_LINUX_DEV_PRINTK_H
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/printk.h>

#ifndef dev_fmt
#define dev_fmt(fmt) fmt
#endif

struct device;

__printf(3, 4) __cold void _dev_printk(const char *level, const struct device *dev,
				       const char *fmt, ...);
__printf(2, 3) __cold void _dev_emerg(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_alert(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_crit(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_err(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_warn(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_notice(const struct device *dev, const char *fmt, ...);
__printf(2, 3) __cold void _dev_info(const struct device *dev, const char *fmt, ...);
__printf(2, 3) void _dev_dbg(const struct device *dev, const char *fmt, ...);
__printf(3, 0) int dev_vprintk_emit(int level, const struct device *dev, const char *fmt,
				    va_list args);
__printf(3, 4) int dev_printk_emit(int level, const struct device *dev, const char *fmt, ...);

#define dev_printk(level, dev, fmt, ...)	_dev_printk(level, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_emerg(dev, fmt, ...)	_dev_emerg(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...)		_dev_crit(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...)	_dev_alert(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)		_dev_err(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)		_dev_warn(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...)	_dev_notice(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)		_dev_info(dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)		_dev_dbg(dev, dev_fmt(fmt), ##__VA_ARGS__)
#ifdef VERBOSE_DEBUG
#define dev_vdbg	dev_dbg
#else
#define dev_vdbg(dev, fmt, ...) ({ if (0) _dev_dbg(dev, dev_fmt(fmt), ##__VA_ARGS__); })
#endif

#define dev_level_once(dev_level, dev, fmt, ...) do {				\
	static bool __print_once;						\
	if (!__atomic_exchange_n(&__print_once, true, __ATOMIC_RELAXED))	\
		dev_level(dev, fmt, ##__VA_ARGS__);				\
} while (0)
#define dev_emerg_once(dev, fmt, ...)	dev_level_once(dev_emerg, dev, fmt, ##__VA_ARGS__)
#define dev_alert_once(dev, fmt, ...)	dev_level_once(dev_alert, dev, fmt, ##__VA_ARGS__)
#define dev_crit_once(dev, fmt, ...)	dev_level_once(dev_crit, dev, fmt, ##__VA_ARGS__)
#define dev_err_once(dev, fmt, ...)	dev_level_once(dev_err, dev, fmt, ##__VA_ARGS__)
#define dev_warn_once(dev, fmt, ...)	dev_level_once(dev_warn, dev, fmt, ##__VA_ARGS__)
#define dev_notice_once(dev, fmt, ...)	dev_level_once(dev_notice, dev, fmt, ##__VA_ARGS__)
#define dev_info_once(dev, fmt, ...)	dev_level_once(dev_info, dev, fmt, ##__VA_ARGS__)
#define dev_dbg_once(dev, fmt, ...)	dev_level_once(dev_dbg, dev, fmt, ##__VA_ARGS__)

/* Rate limiting is not modelled: every message is printed. */
#define dev_emerg_ratelimited	dev_emerg
#define dev_alert_ratelimited	dev_alert
#define dev_crit_ratelimited	dev_crit
#define dev_err_ratelimited	dev_err
#define dev_warn_ratelimited	dev_warn
#define dev_notice_ratelimited	dev_notice
#define dev_info_ratelimited	dev_info
#define dev_dbg_ratelimited	dev_dbg

#define dev_WARN(dev, format, arg...) \
	WARN(1, "%s %s: " format, dev_driver_string(dev), dev_name(dev), ## arg)
#define dev_WARN_ONCE(dev, condition, format, arg...) \
	WARN_ONCE(condition, "%s %s: " format, dev_driver_string(dev), dev_name(dev), ## arg)
#endif
