/* SPDX-License-Identifier: MIT */
/*
 * The watchdog core (drivers/watchdog/watchdog_core.c and watchdog_dev.c): registration,
 * ids, timeouts, and the start/ping/stop/set_timeout paths that the /dev/watchdog ioctls
 * take, here reached through ukmem_watchdog_*.
 *
 * As in the kernel: start calls the driver's start (or pings a watchdog whose hardware
 * already runs) and sets WDOG_ACTIVE; ping does nothing unless active or running, and uses
 * the driver's ping or else its start; stop refuses with -EBUSY under nowayout, and a
 * driver without stop leaves WDOG_HW_RUNNING set; set_timeout needs WDIOF_SETTIMEOUT and a
 * valid value, calls the driver's set_timeout or stores it, then pings (which touches no
 * hardware when stopped); keepalive needs WDIOF_KEEPALIVEPING.  Unregistering stops an
 * active watchdog only with WDOG_STOP_ON_UNREGISTER.
 *
 * Not as in the kernel: the core runs no hrtimer keepalive worker.  Where the kernel would
 * ping for the program (a timeout above max_hw_heartbeat_ms, or hardware running at boot
 * with no one to ping it), the program's own ukmem_watchdog_ping calls are the only pings,
 * so a test sees exactly the register writes it caused; ukmem_show("watchdog") says where
 * the kernel would be running the worker.  A ping earlier than min_hw_heartbeat_ms after the
 * last hardware ping is skipped (the kernel defers it to that timer).  No reboot, restart
 * or PM notifiers are registered (a process does not reboot).
 *
 * Invariants: a registered watchdog has wd_data != NULL and its id's bit set in wdt.ids;
 * wd_data is on wdt.list exactly while registered.
 *
 * Locking: wdt.lock (a mutex) guards the list, the ids and every driver callback (the
 * kernel's per-device wd_data->lock); driver callbacks may sleep.
 */
/* The core's messages carry its module's name, as 6.1's watchdog_core.c and watchdog_dev.c
 * (KBUILD_MODNAME "watchdog"). */
#define pr_fmt(fmt) "watchdog: " fmt

#include <string.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/watchdog.h>
#include <ukmem.h>
#include "core/core.h"
#include "base/base.h"

#define MAX_DOGS	32

struct watchdog_core_data {
	struct list_head node;
	struct watchdog_device *wdd;
	ktime_t last_keepalive;		/* last ping asked for */
	ktime_t last_hw_keepalive;	/* last ping that reached the driver */
	bool keepalive;			/* _WDOG_KEEPALIVE: pinged since the last status read */
	char name[16];			/* "watchdogN" */
};

static struct {
	struct mutex lock;
	struct list_head list;
	unsigned long ids;		/* bit N: watchdogN is taken */
} wdt = {
	.lock = __MUTEX_INITIALIZER(wdt.lock),
	.list = LIST_HEAD_INIT(wdt.list),
};

static const char *wdd_dev_str(struct watchdog_device *wdd)
{
	return wdd->parent ? dev_name(wdd->parent) : (const char *)wdd->info->identity;
}

static void watchdog_check_min_max_timeout(struct watchdog_device *wdd)
{
	if (!wdd->max_hw_heartbeat_ms && wdd->min_timeout > wdd->max_timeout) {
		pr_info("Invalid min and max timeout values, resetting to 0!\n");
		wdd->min_timeout = 0;
		wdd->max_timeout = 0;
	}
}

/* Whether the kernel's keepalive worker would be running now. */
static bool watchdog_need_worker(struct watchdog_device *wdd)
{
	unsigned int hm = wdd->max_hw_heartbeat_ms;
	unsigned int t = wdd->timeout * 1000;

	return (hm && watchdog_active(wdd) && t > hm) ||
	       (t && !watchdog_active(wdd) && watchdog_hw_running(wdd));
}

/**
 * watchdog_init_timeout - pick the initial timeout
 * @wdd: the watchdog (timeout holds the driver's default)
 * @timeout_parm: a value from the driver (a module parameter; 0: none)
 * @dev: the device whose "timeout-sec" property is tried next (may be NULL)
 *
 * Return: 0 when a value was taken, -EINVAL when a given one was out of range (the
 * default stays, with "falling back to default timeout").
 */
int watchdog_init_timeout(struct watchdog_device *wdd, unsigned int timeout_parm,
			  struct device *dev)
{
	const char *dev_str = wdd_dev_str(wdd);
	const void *prop;
	int len = 0, ret = 0;

	watchdog_check_min_max_timeout(wdd);
	if (timeout_parm) {
		if (!watchdog_timeout_invalid(wdd, timeout_parm)) {
			wdd->timeout = timeout_parm;
			return 0;
		}
		pr_err("%s: driver supplied timeout (%u) out of range\n", dev_str, timeout_parm);
		ret = -EINVAL;
	}
	/* of_property_read_u32: the first cell of a property at least that long */
	prop = dev && dev->of_node ? of_get_property(dev->of_node, "timeout-sec", &len) : NULL;
	if (prop && len >= 4) {
		const u8 *b = prop;
		unsigned int t = (unsigned int)b[0] << 24 | (unsigned int)b[1] << 16 |
				 (unsigned int)b[2] << 8 | b[3];

		if (t && !watchdog_timeout_invalid(wdd, t)) {
			wdd->timeout = t;
			return 0;
		}
		pr_err("%s: DT supplied timeout (%u) out of range\n", dev_str, t);
		ret = -EINVAL;
	}
	if (ret < 0 && wdd->timeout)
		pr_warn("%s: falling back to default timeout (%u)\n", dev_str, wdd->timeout);
	return ret;
}

/** watchdog_set_restart_priority - store the restart handler's priority (no reboots here) */
void watchdog_set_restart_priority(struct watchdog_device *wdd, int priority)
{
	wdd->restart_nb.priority = priority;
}

/** watchdog_notify_pretimeout - a pretimeout fired: logged, as without a governor */
void watchdog_notify_pretimeout(struct watchdog_device *wdd)
{
	pr_alert("watchdog%d: pretimeout event\n", wdd->id);
}

/* ---- the /dev/watchdog paths; wdt.lock held ---- */

static int __watchdog_ping(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd = wdd->wd_data;
	ktime_t now = ktime_get();

	if (wdd->min_hw_heartbeat_ms &&
	    ktime_after(ktime_add(wd->last_hw_keepalive, ms_to_ktime(wdd->min_hw_heartbeat_ms)), now))
		return 0;
	wd->last_hw_keepalive = now;
	return wdd->ops->ping ? wdd->ops->ping(wdd) : wdd->ops->start(wdd);
}

static int watchdog_ping(struct watchdog_device *wdd)
{
	if (!watchdog_active(wdd) && !watchdog_hw_running(wdd))
		return 0;
	wdd->wd_data->keepalive = true;
	wdd->wd_data->last_keepalive = ktime_get();
	return __watchdog_ping(wdd);
}

static int watchdog_start(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd = wdd->wd_data;
	ktime_t started_at;
	int err;

	if (watchdog_active(wdd))
		return 0;
	wd->keepalive = true;
	started_at = ktime_get();
	if (watchdog_hw_running(wdd) && wdd->ops->ping) {
		err = __watchdog_ping(wdd);
		if (!err)
			__ukmem_wdog_set(wdd, WDOG_ACTIVE);
	} else {
		err = wdd->ops->start(wdd);
		if (!err) {
			__ukmem_wdog_set(wdd, WDOG_ACTIVE);
			wd->last_keepalive = started_at;
			wd->last_hw_keepalive = started_at;
		}
	}
	return err;
}

static int watchdog_stop(struct watchdog_device *wdd)
{
	int err = 0;

	if (!watchdog_active(wdd))
		return 0;
	if (__ukmem_wdog_test(wdd, WDOG_NO_WAY_OUT)) {
		pr_info("watchdog%d: nowayout prevents watchdog being stopped!\n", wdd->id);
		return -EBUSY;
	}
	if (wdd->ops->stop) {
		__ukmem_wdog_clear(wdd, WDOG_HW_RUNNING);
		err = wdd->ops->stop(wdd);
	} else {
		__ukmem_wdog_set(wdd, WDOG_HW_RUNNING);
	}
	if (!err)
		__ukmem_wdog_clear(wdd, WDOG_ACTIVE);
	return err;
}

static int watchdog_set_timeout(struct watchdog_device *wdd, unsigned int timeout)
{
	int err = 0;

	if (!(wdd->info->options & WDIOF_SETTIMEOUT))
		return -EOPNOTSUPP;
	if (watchdog_timeout_invalid(wdd, timeout))
		return -EINVAL;
	if (wdd->ops->set_timeout) {
		err = wdd->ops->set_timeout(wdd, timeout);
	} else {
		wdd->timeout = timeout;
		if (wdd->pretimeout >= wdd->timeout)
			wdd->pretimeout = 0;
	}
	return err;
}

/* Run @op on a registered watchdog under the core's lock; -ENODEV once unregistered. */
static int watchdog_call(struct watchdog_device *wdd, int (*op)(struct watchdog_device *wdd,
								  unsigned int arg),
			 unsigned int arg)
{
	struct watchdog_core_data *wd;
	int err = -ENODEV;

	ukmem__ensure_started();
	might_sleep();
	if (!wdd)
		return -EINVAL;
	mutex_lock(&wdt.lock);
	list_for_each_entry(wd, &wdt.list, node) {
		if (wd->wdd == wdd) {
			err = op(wdd, arg);
			break;
		}
	}
	mutex_unlock(&wdt.lock);
	return err;
}

static int op_start(struct watchdog_device *wdd, unsigned int arg)
{
	(void)arg;
	return watchdog_start(wdd);
}

static int op_stop(struct watchdog_device *wdd, unsigned int arg)
{
	(void)arg;
	return watchdog_stop(wdd);
}

static int op_keepalive(struct watchdog_device *wdd, unsigned int arg)
{
	(void)arg;
	if (!(wdd->info->options & WDIOF_KEEPALIVEPING))
		return -EOPNOTSUPP;
	return watchdog_ping(wdd);
}

static int op_set_timeout(struct watchdog_device *wdd, unsigned int timeout)
{
	int err = watchdog_set_timeout(wdd, timeout);

	if (err < 0)
		return err;
	err = watchdog_ping(wdd);
	return err < 0 ? err : 0;
}

/**
 * ukmem_watchdog_start - start a watchdog as opening /dev/watchdogN (WDIOS_ENABLECARD) does
 * @wdd: a registered watchdog
 *
 * Return: 0 (also when already active), the driver's error, -ENODEV (not registered).
 */
int ukmem_watchdog_start(struct watchdog_device *wdd)
{
	return watchdog_call(wdd, op_start, 0);
}

/**
 * ukmem_watchdog_ping - WDIOC_KEEPALIVE
 * @wdd: a registered watchdog
 *
 * Return: 0 (nothing reaches the driver when the watchdog is stopped), -EOPNOTSUPP (no
 * WDIOF_KEEPALIVEPING), the driver's error, -ENODEV.
 */
int ukmem_watchdog_ping(struct watchdog_device *wdd)
{
	return watchdog_call(wdd, op_keepalive, 0);
}

/**
 * ukmem_watchdog_stop - WDIOS_DISABLECARD
 * @wdd: a registered watchdog
 *
 * Return: 0 (also when not active), -EBUSY under nowayout, the driver's error, -ENODEV.
 */
int ukmem_watchdog_stop(struct watchdog_device *wdd)
{
	return watchdog_call(wdd, op_stop, 0);
}

/**
 * ukmem_watchdog_set_timeout - WDIOC_SETTIMEOUT: set the timeout, then ping if running
 * @wdd: a registered watchdog
 * @timeout: seconds
 *
 * Return: 0, -EOPNOTSUPP (no WDIOF_SETTIMEOUT), -EINVAL (out of range), the driver's
 * error, -ENODEV.
 */
int ukmem_watchdog_set_timeout(struct watchdog_device *wdd, unsigned int timeout)
{
	return watchdog_call(wdd, op_set_timeout, timeout);
}

/**
 * ukmem_watchdog_find - a registered watchdog by name
 * @name: its parent device's name, or "watchdogN"
 *
 * Return: the watchdog, or NULL.
 */
struct watchdog_device *ukmem_watchdog_find(const char *name)
{
	struct watchdog_core_data *wd;
	struct watchdog_device *found = NULL;

	ukmem__ensure_started();
	if (!name)
		return NULL;
	mutex_lock(&wdt.lock);
	list_for_each_entry(wd, &wdt.list, node) {
		if (!strcmp(wd->name, name) ||
		    (wd->wdd->parent && !strcmp(dev_name(wd->wdd->parent), name))) {
			found = wd->wdd;
			break;
		}
	}
	mutex_unlock(&wdt.lock);
	return found;
}

/* ---- registration ---- */

/* @wdd's core data when it is registered, else NULL; wdt.lock held.  Found on the list,
 * never through wdd->wd_data, which a watchdog that was never registered may hold garbage
 * in. */
static struct watchdog_core_data *wd_find_locked(const struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd;

	list_for_each_entry(wd, &wdt.list, node)
		if (wd->wdd == wdd)
			return wd;
	return NULL;
}

static int __watchdog_register_device(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd;
	int id;

	if (!wdd || !wdd->info || !wdd->ops)
		return -EINVAL;
	if (!wdd->ops->start || (!wdd->ops->stop && !wdd->max_hw_heartbeat_ms))
		return -EINVAL;
	watchdog_check_min_max_timeout(wdd);
	wd = kzalloc(sizeof(*wd), GFP_KERNEL);
	if (!wd)
		return -ENOMEM;
	mutex_lock(&wdt.lock);
	if (wd_find_locked(wdd)) {
		mutex_unlock(&wdt.lock);
		kfree(wd);
		WARN(1, "watchdog%d: registered already\n", wdd->id);
		return -EBUSY;
	}
	for (id = 0; id < MAX_DOGS && (wdt.ids & (1UL << id)); id++)
		;
	if (id == MAX_DOGS) {
		mutex_unlock(&wdt.lock);
		kfree(wd);
		return -ENOSPC;
	}
	wdt.ids |= 1UL << id;
	wdd->id = id;
	wd->wdd = wdd;
	snprintf(wd->name, sizeof(wd->name), "watchdog%d", id);
	wdd->wd_data = wd;
	list_add_tail(&wd->node, &wdt.list);
	mutex_unlock(&wdt.lock);
	if (__ukmem_wdog_test(wdd, WDOG_STOP_ON_REBOOT) && !wdd->ops->stop)
		pr_warn("watchdog%d: stop_on_reboot not supported\n", wdd->id);
	if (watchdog_hw_running(wdd))
		pr_info("watchdog%d running and kernel based pre-userspace handler disabled\n",
			wdd->id);
	return 0;
}

/**
 * watchdog_register_device - register a watchdog
 * @wdd: the watchdog (info and ops with start, and stop unless max_hw_heartbeat_ms)
 *
 * It gets the lowest free id (watchdogN).  Context: may sleep.
 * Return: 0, -EINVAL, -ENOSPC (32 registered), -ENOMEM, -EBUSY (registered already, with a
 * warning: 6.1 registers it a second time, and its first registration's data is lost); a
 * failure prints "<dev>: failed to register watchdog device (err = N)".
 */
int watchdog_register_device(struct watchdog_device *wdd)
{
	int ret;

	ukmem__ensure_started();
	ret = __watchdog_register_device(wdd);
	if (ret && wdd && wdd->info)
		pr_err("%s: failed to register watchdog device (err = %d)\n", wdd_dev_str(wdd), ret);
	return ret;
}

/**
 * watchdog_unregister_device - remove a watchdog
 * @wdd: a registered watchdog (NULL: nothing)
 *
 * An active watchdog is stopped only if the driver asked (watchdog_stop_on_unregister);
 * otherwise the hardware keeps running, as in the kernel.  One that is not registered
 * (never, or unregistered already) gets a warning and nothing is done.  Context: may sleep.
 */
void watchdog_unregister_device(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd;

	if (!wdd)
		return;
	ukmem__ensure_started();
	mutex_lock(&wdt.lock);
	wd = wd_find_locked(wdd);
	if (!wd) {
		mutex_unlock(&wdt.lock);
		WARN(1, "watchdog_unregister_device: watchdog not registered\n");
		return;
	}
	if (watchdog_active(wdd) && __ukmem_wdog_test(wdd, WDOG_STOP_ON_UNREGISTER))
		watchdog_stop(wdd);
	list_del(&wd->node);
	wdt.ids &= ~(1UL << wdd->id);
	wdd->wd_data = NULL;
	mutex_unlock(&wdt.lock);
	kfree(wd);
}

static void devm_watchdog_unregister_device(struct device *dev, void *res)
{
	(void)dev;
	watchdog_unregister_device(*(struct watchdog_device **)res);
}

/**
 * devm_watchdog_register_device - watchdog_register_device, unregistered at unbind
 * @dev: the device
 * @wdd: the watchdog
 *
 * Return: as watchdog_register_device (-ENOMEM also when devres runs out).
 */
int devm_watchdog_register_device(struct device *dev, struct watchdog_device *wdd)
{
	struct watchdog_device **rcwdd;
	int ret;

	if (ukmem__devres_dev_bad(dev))
		return -EINVAL;
	rcwdd = devres_alloc(devm_watchdog_unregister_device, sizeof(*rcwdd), GFP_KERNEL);
	if (!rcwdd)
		return -ENOMEM;
	ret = watchdog_register_device(wdd);
	if (ret) {
		devres_free(rcwdd);
		return ret;
	}
	*rcwdd = wdd;
	devres_add(dev, rcwdd);
	return 0;
}

static int watchdog_show(FILE *out, const char *arg)
{
	struct watchdog_core_data *wd;

	(void)arg;
	mutex_lock(&wdt.lock);
	list_for_each_entry(wd, &wdt.list, node) {
		struct watchdog_device *wdd = wd->wdd;

		fprintf(out, "%s: %s identity \"%s\" timeout %u status%s%s%s%s%s%s\n", wd->name,
			wdd->parent ? dev_name(wdd->parent) : "-", (const char *)wdd->info->identity,
			wdd->timeout, watchdog_active(wdd) ? " active" : "",
			watchdog_hw_running(wdd) ? " hw_running" : "",
			__ukmem_wdog_test(wdd, WDOG_NO_WAY_OUT) ? " nowayout" : "",
			__ukmem_wdog_test(wdd, WDOG_STOP_ON_UNREGISTER) ? " stop_on_unregister" : "",
			wdd->status ? "" : " 0",
			watchdog_need_worker(wdd) ? " (the kernel would ping it: no worker here)" : "");
	}
	mutex_unlock(&wdt.lock);
	return 0;
}

static int watchdog_core_init(void)
{
	ukmem__show_register("watchdog", watchdog_show);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, watchdog_core_init);
