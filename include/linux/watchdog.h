/* SPDX-License-Identifier: MIT */
/*
 * <linux/watchdog.h>: watchdog drivers.  The UAPI part (struct watchdog_info, WDIOF_*,
 * WDIOS_*, WDIOC_*) is the system's header of the same name; the driver part (struct
 * watchdog_device, struct watchdog_ops, the status bits and helpers) is below.  The core
 * (src/drivers/watchdog.c) behaves as drivers/watchdog/watchdog_core.c and watchdog_dev.c;
 * programs drive a registered watchdog with ukmem_watchdog_start/ping/stop/set_timeout
 * (<ukmem.h>), the counterparts of the /dev/watchdog ioctls.
 *
 * Not provided (a call fails to compile): pretimeout governors, restart priorities beyond
 * storing them, and the hrtimer-driven keepalive (see docs/compatibility.md).
 */
#ifndef _UKMEM_LINUX_WATCHDOG_H
#define _UKMEM_LINUX_WATCHDOG_H
#include_next <linux/watchdog.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/limits.h>
#include <linux/notifier.h>
#include <linux/ukmem_unsupported.h>

struct device;
struct module;
struct attribute_group;
struct watchdog_device;
struct watchdog_core_data;
struct watchdog_governor;

/* WATCHDOG_NOWAYOUT follows CONFIG_WATCHDOG_NOWAYOUT, which ukmem leaves off. */
#define WATCHDOG_NOWAYOUT		0
#define WATCHDOG_NOWAYOUT_INIT_STATUS	(WATCHDOG_NOWAYOUT << WDOG_NO_WAY_OUT)

struct watchdog_ops {
	struct module *owner;
	int (*start)(struct watchdog_device *wdd);
	int (*stop)(struct watchdog_device *wdd);
	int (*ping)(struct watchdog_device *wdd);
	unsigned int (*status)(struct watchdog_device *wdd);
	int (*set_timeout)(struct watchdog_device *wdd, unsigned int timeout);
	int (*set_pretimeout)(struct watchdog_device *wdd, unsigned int timeout);
	unsigned int (*get_timeleft)(struct watchdog_device *wdd);
	int (*restart)(struct watchdog_device *wdd, unsigned long action, void *data);
	long (*ioctl)(struct watchdog_device *wdd, unsigned int cmd, unsigned long arg);
};

struct watchdog_device {
	int id;
	struct device *parent;
	const struct attribute_group **groups;
	const struct watchdog_info *info;
	const struct watchdog_ops *ops;
	const struct watchdog_governor *gov;
	unsigned int bootstatus;
	unsigned int timeout;
	unsigned int pretimeout;
	unsigned int min_timeout;
	unsigned int max_timeout;
	unsigned int min_hw_heartbeat_ms;
	unsigned int max_hw_heartbeat_ms;
	struct notifier_block reboot_nb;
	struct notifier_block restart_nb;
	struct notifier_block pm_nb;
	void *driver_data;
	struct watchdog_core_data *wd_data;
	unsigned long status;
/* Bit numbers for status flags */
#define WDOG_ACTIVE		0	/* Is the watchdog running/active */
#define WDOG_NO_WAY_OUT		1	/* Is 'nowayout' feature set ? */
#define WDOG_STOP_ON_REBOOT	2	/* Should be stopped on reboot */
#define WDOG_HW_RUNNING		3	/* True if HW watchdog running */
#define WDOG_STOP_ON_UNREGISTER	4	/* Should be stopped on unregister */
#define WDOG_NO_PING_ON_SUSPEND	5	/* Ping worker should be stopped on suspend */
	struct list_head deferred;
};

static inline void __ukmem_wdog_set(struct watchdog_device *wdd, int bit)
{
	__atomic_fetch_or(&wdd->status, 1UL << bit, __ATOMIC_RELAXED);
}
static inline void __ukmem_wdog_clear(struct watchdog_device *wdd, int bit)
{
	__atomic_fetch_and(&wdd->status, ~(1UL << bit), __ATOMIC_RELAXED);
}
static inline bool __ukmem_wdog_test(const struct watchdog_device *wdd, int bit)
{
	return (__atomic_load_n(&wdd->status, __ATOMIC_RELAXED) >> bit) & 1;
}

/* Whether the watchdog was started from user space (here: by ukmem_watchdog_start). */
static inline bool watchdog_active(struct watchdog_device *wdd)
{
	return __ukmem_wdog_test(wdd, WDOG_ACTIVE);
}
/* Whether the hardware runs (the driver sets WDOG_HW_RUNNING when it cannot stop it). */
static inline bool watchdog_hw_running(struct watchdog_device *wdd)
{
	return __ukmem_wdog_test(wdd, WDOG_HW_RUNNING);
}
static inline void watchdog_set_nowayout(struct watchdog_device *wdd, bool nowayout)
{
	if (nowayout)
		__ukmem_wdog_set(wdd, WDOG_NO_WAY_OUT);
}
static inline void watchdog_stop_on_reboot(struct watchdog_device *wdd)
{
	__ukmem_wdog_set(wdd, WDOG_STOP_ON_REBOOT);
}
static inline void watchdog_stop_on_unregister(struct watchdog_device *wdd)
{
	__ukmem_wdog_set(wdd, WDOG_STOP_ON_UNREGISTER);
}
static inline void watchdog_stop_ping_on_suspend(struct watchdog_device *wdd)
{
	__ukmem_wdog_set(wdd, WDOG_NO_PING_ON_SUSPEND);
}

/* A timeout the core refuses: too large for milliseconds, under min_timeout, or over
 * max_timeout when the core cannot ping for the driver (no max_hw_heartbeat_ms). */
static inline bool watchdog_timeout_invalid(struct watchdog_device *wdd, unsigned int t)
{
	return t > UINT_MAX / 1000 || t < wdd->min_timeout ||
	       (!wdd->max_hw_heartbeat_ms && wdd->max_timeout && t > wdd->max_timeout);
}
static inline bool watchdog_pretimeout_invalid(struct watchdog_device *wdd, unsigned int t)
{
	return t && wdd->timeout && t >= wdd->timeout;
}

static inline void watchdog_set_drvdata(struct watchdog_device *wdd, void *data)
{
	wdd->driver_data = data;
}
static inline void *watchdog_get_drvdata(struct watchdog_device *wdd)
{
	return wdd->driver_data;
}

void watchdog_set_restart_priority(struct watchdog_device *wdd, int priority);
int watchdog_init_timeout(struct watchdog_device *wdd, unsigned int timeout_parm,
			  struct device *dev);
int watchdog_register_device(struct watchdog_device *wdd);
void watchdog_unregister_device(struct watchdog_device *wdd);
int devm_watchdog_register_device(struct device *dev, struct watchdog_device *wdd);
/* No pretimeout governor: the event is logged, as the kernel does without one. */
void watchdog_notify_pretimeout(struct watchdog_device *wdd);

#define watchdog_register_governor(...)	UKMEM_UNSUPPORTED("watchdog_register_governor")
#define watchdog_set_last_hw_keepalive(...) UKMEM_UNSUPPORTED("watchdog_set_last_hw_keepalive")
#endif
