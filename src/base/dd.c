/* SPDX-License-Identifier: MIT */
/*
 * Binding drivers to devices (drivers/base/dd.c): match, probe, bind, unbind, and deferred
 * probe.
 *
 * A probe runs with the device's lock held (and its parent's on need_parent_lock buses).
 * Everything the probe acquired through devres is released, last first, before a failing
 * probe returns, when the driver unbinds, and when the device is released.
 *
 * Deferred probe: a device whose probe returns -EPROBE_DEFER goes on the pending list; each
 * successful bind moves the pending devices to the active list ("trigger").  The kernel
 * retries the active list from a workqueue; here the thread whose call caused the trigger
 * retries it before that call returns (device_add, driver_register, device_attach,
 * device_reprobe, device_driver_attach, ukmem_modules_init), once it holds no device lock,
 * and only one thread retries at a time: another thread's trigger is picked up by the thread
 * already retrying.  bind_depth (per thread) counts the device locks this thread holds
 * for binding, so retries never nest inside a probe.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "core/core.h"
#include "base/base.h"

static __thread int bind_depth;		/* device locks held by this thread for binding */
static int probe_count;			/* probes in progress (atomic) */

void ukmem__bind_enter(void)
{
	bind_depth++;
}

void ukmem__bind_exit(void)
{
	bind_depth--;
}

/* ---- deferred probe ---- */

/* The reason devices_deferred shows: "DRIVER: message", as 6.1's
 * device_set_deferred_probe_reason formats it. */
void ukmem__set_deferred_reason(const struct device *cdev, const char *fmt, va_list ap)
{
	struct device *dev = (struct device *)cdev;
	struct va_format vaf;
	char *reason, *old;
	va_list aq;

	if (!dev)
		return;
	va_copy(aq, ap);
	vaf.fmt = fmt;
	vaf.va = &aq;
	reason = kasprintf(GFP_KERNEL, "%s: %pV", dev_driver_string(dev), &vaf);
	va_end(aq);
	pthread_mutex_lock(&ukmem__base.lock);
	old = dev->p.deferred_probe_reason;
	dev->p.deferred_probe_reason = reason;
	pthread_mutex_unlock(&ukmem__base.lock);
	kfree(old);
}

/**
 * driver_deferred_probe_add - put a device on the deferred-probe pending list
 * @dev: the device (one a driver has matched: dev->can_match)
 */
void driver_deferred_probe_add(struct device *dev)
{
	bool added = false;

	if (!dev->can_match)
		return;
	pthread_mutex_lock(&ukmem__base.lock);
	if (list_empty(&dev->p.deferred_probe)) {
		list_add_tail(&dev->p.deferred_probe, &ukmem__base.deferred_pending);
		added = true;
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	if (added)
		dev_dbg(dev, "Added to deferred list\n");
}

void ukmem__deferred_probe_del(struct device *dev)
{
	char *reason = NULL;
	bool removed = false;

	pthread_mutex_lock(&ukmem__base.lock);
	if (!list_empty(&dev->p.deferred_probe)) {
		list_del_init(&dev->p.deferred_probe);
		reason = dev->p.deferred_probe_reason;
		dev->p.deferred_probe_reason = NULL;
		removed = true;
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	kfree(reason);
	if (removed)
		dev_dbg(dev, "Removed from deferred list\n");
}

static void deferred_probe_trigger(void)
{
	pthread_mutex_lock(&ukmem__base.lock);
	__atomic_fetch_add(&ukmem__base.deferred_trigger_count, 1, __ATOMIC_RELEASE);
	list_splice_tail_init(&ukmem__base.deferred_pending, &ukmem__base.deferred_active);
	pthread_mutex_unlock(&ukmem__base.lock);
}

void ukmem__deferred_probe_run(void)
{
	if (bind_depth)
		return;
	pthread_mutex_lock(&ukmem__base.lock);
	if (ukmem__base.deferred_running) {
		pthread_mutex_unlock(&ukmem__base.lock);
		return;
	}
	UKMEM_STORE(ukmem__base.deferred_running, true);
	while (!list_empty(&ukmem__base.deferred_active)) {
		struct device *dev = list_first_entry(&ukmem__base.deferred_active, struct device,
						      p.deferred_probe);
		char *reason = dev->p.deferred_probe_reason;

		list_del_init(&dev->p.deferred_probe);
		dev->p.deferred_probe_reason = NULL;
		__atomic_fetch_add(&dev->p.refcount, 1, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&ukmem__base.lock);
		kfree(reason);
		dev_dbg(dev, "Retrying from deferred list\n");
		ukmem__bus_probe_device(dev);
		put_device(dev);
		pthread_mutex_lock(&ukmem__base.lock);
	}
	UKMEM_STORE(ukmem__base.deferred_running, false);
	pthread_mutex_unlock(&ukmem__base.lock);
}

/**
 * driver_deferred_probe_check_state - what a driver should return while a resource it
 * waits for may still appear
 * @dev: the device
 *
 * Return: -EPROBE_DEFER (probing never stops here: nothing like the kernel's late-boot
 * timeout exists).
 */
int driver_deferred_probe_check_state(struct device *dev)
{
	return -EPROBE_DEFER;
}

/* ---- bind and unbind ---- */

/**
 * device_is_bound - whether a driver has finished probing the device successfully
 * @dev: the device
 *
 * Return: true when bound.
 */
bool device_is_bound(struct device *dev)
{
	return UKMEM_LOAD(dev->p.bound);
}

/* Put dev on its driver's list; -ENODEV when the driver was unregistered meanwhile. */
static int driver_bound(struct device *dev)
{
	struct driver_private *priv;
	bool already = false;

	pthread_mutex_lock(&ukmem__base.lock);
	priv = dev->driver->p;
	if (!priv || priv->dead) {
		pthread_mutex_unlock(&ukmem__base.lock);
		return -ENODEV;
	}
	if (dev->p.bound)
		already = true;
	else
		list_add_tail(&dev->p.knode_driver, &priv->devices);
	UKMEM_STORE(dev->p.bound, true);
	pthread_mutex_unlock(&ukmem__base.lock);
	if (already) {
		pr_warn("%s: device %s already bound\n", __func__, dev_name(dev));
		return 0;
	}
	ukmem__deferred_probe_del(dev);
	deferred_probe_trigger();
	ukmem__bus_notify(dev, BUS_NOTIFY_BOUND_DRIVER);
	return 0;
}

/**
 * device_bind_driver - bind the driver already in dev->driver, without probing
 * @dev: the device, with its lock held
 *
 * Return: 0, or -ENODEV when that driver is not registered.
 */
int device_bind_driver(struct device *dev)
{
	int ret;

	ukmem__bus_notify(dev, BUS_NOTIFY_BIND_DRIVER);
	ret = driver_bound(dev);
	if (ret)
		ukmem__bus_notify(dev, BUS_NOTIFY_DRIVER_NOT_BOUND);
	return ret;
}

static void device_unbind_cleanup(struct device *dev)
{
	ukmem__devres_release_all(dev);
	UKMEM_STORE(dev->driver, NULL);
	dev_set_drvdata(dev, NULL);
}

static void device_remove(struct device *dev)
{
	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (dev->driver->remove)
		dev->driver->remove(dev);
}

static int call_driver_probe(struct device *dev, struct device_driver *drv)
{
	int ret = 0;

	if (dev->bus->probe)
		ret = dev->bus->probe(dev);
	else if (drv->probe)
		ret = drv->probe(dev);

	switch (ret) {
	case 0:
		break;
	case -EPROBE_DEFER:
		dev_dbg(dev, "Driver %s requests probe deferral\n", drv->name);
		break;
	case -ENODEV:
	case -ENXIO:
		printk(KERN_DEBUG "%s: probe of %s rejects match %d\n", drv->name, dev_name(dev), ret);
		break;
	default:
		pr_warn("%s: probe of %s failed with error %d\n", drv->name, dev_name(dev), ret);
		break;
	}
	return ret;
}

/* Probe dev with drv.  Probe errors come back positive, as the kernel's really_probe. */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	int ret;

	if (!list_empty(&dev->devres_head)) {
		dev_crit(dev, "Resources present before probing\n");
		return -EBUSY;
	}
	UKMEM_STORE(dev->driver, drv);
	if (dev->bus->dma_configure) {
		ret = dev->bus->dma_configure(dev);
		if (ret)
			goto unbind_cleanup;
	}
	ukmem__bus_notify(dev, BUS_NOTIFY_BIND_DRIVER);
	ret = call_driver_probe(dev, drv);
	if (ret) {
		ret = -ret;
		goto probe_failed;
	}
	if (driver_bound(dev)) {
		/* The driver was unregistered while its probe ran: undo the probe. */
		device_remove(dev);
		ret = ENODEV;
		goto probe_failed;
	}
	return 0;

probe_failed:
	ukmem__bus_notify(dev, BUS_NOTIFY_DRIVER_NOT_BOUND);
	if (dev->bus->dma_cleanup)
		dev->bus->dma_cleanup(dev);
unbind_cleanup:
	device_unbind_cleanup(dev);
	return ret;
}

static int __driver_probe_device(struct device_driver *drv, struct device *dev)
{
	int ret;

	if (dev->p.dead || !UKMEM_LOAD(dev->p.registered))
		return -ENODEV;
	if (dev->driver)
		return -EBUSY;
	dev->can_match = true;
	__atomic_fetch_add(&probe_count, 1, __ATOMIC_RELAXED);
	ret = really_probe(dev, drv);
	__atomic_fetch_sub(&probe_count, 1, __ATOMIC_RELAXED);
	return ret;
}

int ukmem__driver_probe_device(struct device_driver *drv, struct device *dev)
{
	int trigger_count = __atomic_load_n(&ukmem__base.deferred_trigger_count, __ATOMIC_ACQUIRE);
	int ret = __driver_probe_device(drv, dev);

	if (ret == -EPROBE_DEFER || ret == EPROBE_DEFER) {
		driver_deferred_probe_add(dev);
		/* A bind elsewhere while this probe ran may be what it waited for. */
		if (trigger_count != __atomic_load_n(&ukmem__base.deferred_trigger_count,
						     __ATOMIC_ACQUIRE))
			deferred_probe_trigger();
	}
	return ret;
}

int ukmem__driver_match_device(struct device_driver *drv, struct device *dev)
{
	return drv->bus->match ? drv->bus->match(dev, drv) : 1;
}

/**
 * driver_probe_done - whether no probe is running
 *
 * Return: 0 when none is, -EBUSY otherwise.
 */
int driver_probe_done(void)
{
	return __atomic_load_n(&probe_count, __ATOMIC_RELAXED) ? -EBUSY : 0;
}

/**
 * wait_for_device_probe - wait until no probe and no deferred retry is running
 */
void wait_for_device_probe(void)
{
	might_sleep();
	while (__atomic_load_n(&probe_count, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&ukmem__base.deferred_running, __ATOMIC_RELAXED))
		usleep(100);
}

static void lock_for_bind(struct device *dev, struct device *parent)
{
	ukmem__bind_enter();
	if (parent && dev->bus && dev->bus->need_parent_lock)
		device_lock(parent);
	device_lock(dev);
}

static void unlock_for_bind(struct device *dev, struct device *parent)
{
	device_unlock(dev);
	if (parent && dev->bus && dev->bus->need_parent_lock)
		device_unlock(parent);
	ukmem__bind_exit();
}

static int __device_attach_driver(struct device_driver *drv, void *data)
{
	struct device *dev = data;
	int ret = ukmem__driver_match_device(drv, dev);

	if (ret == 0)
		return 0;
	if (ret == -EPROBE_DEFER) {
		dev_dbg(dev, "Device match requests probe deferral\n");
		dev->can_match = true;
		driver_deferred_probe_add(dev);
		return ret;
	}
	if (ret < 0) {
		dev_dbg(dev, "Bus failed to match device: %d\n", ret);
		return ret;
	}
	ret = ukmem__driver_probe_device(drv, dev);
	if (ret < 0)
		return ret;
	return ret == 0;	/* 1 stops the walk: bound */
}

static int __device_attach(struct device *dev)
{
	int ret = 0;

	ukmem__bind_enter();
	device_lock(dev);
	if (dev->p.dead)
		goto out;
	if (dev->driver) {
		if (device_is_bound(dev)) {
			ret = 1;
			goto out;
		}
		ret = device_bind_driver(dev);
		if (ret == 0) {
			ret = 1;
		} else {
			UKMEM_STORE(dev->driver, NULL);
			ret = 0;
		}
	} else if (dev->bus) {
		ret = bus_for_each_drv(dev->bus, NULL, dev, __device_attach_driver);
	}
out:
	device_unlock(dev);
	ukmem__bind_exit();
	return ret;
}

/**
 * device_attach - try to bind a driver to a device
 * @dev: the device
 *
 * Tries the bus's drivers in registration order; a probe that fails moves on to the next
 * driver.  Deferred devices are retried afterwards when this bound one.
 * Return: 1 when bound, 0 when no driver took it, -errno (e.g. -ENODEV for a dying device).
 */
int device_attach(struct device *dev)
{
	int ret = __device_attach(dev);

	ukmem__deferred_probe_run();
	return ret;
}

/**
 * device_initial_probe - the probe device_add() does
 * @dev: the device
 */
void device_initial_probe(struct device *dev)
{
	__device_attach(dev);
}

/**
 * device_driver_attach - probe a given driver on a device
 * @drv: the driver
 * @dev: the device
 *
 * Return: 0 when bound; -EAGAIN when the probe deferred; -errno.
 */
int device_driver_attach(struct device_driver *drv, struct device *dev)
{
	int ret;

	lock_for_bind(dev, dev->parent);
	ret = __driver_probe_device(drv, dev);
	unlock_for_bind(dev, dev->parent);
	ukmem__deferred_probe_run();
	if (ret > 0)
		ret = -ret;
	if (ret == -EPROBE_DEFER)
		return -EAGAIN;
	return ret;
}

static int __driver_attach(struct device *dev, void *data)
{
	struct device_driver *drv = data;
	int ret = ukmem__driver_match_device(drv, dev);

	if (ret == 0)
		return 0;
	if (ret == -EPROBE_DEFER) {
		dev_dbg(dev, "Device match requests probe deferral\n");
		dev->can_match = true;
		driver_deferred_probe_add(dev);
		return 0;
	}
	if (ret < 0) {
		dev_dbg(dev, "Bus failed to match device: %d\n", ret);
		return 0;
	}
	if (drv->probe_type == PROBE_PREFER_ASYNCHRONOUS)
		dev_dbg(dev, "probing driver %s synchronously (no asynchronous probing here)\n",
			drv->name);
	lock_for_bind(dev, dev->parent);
	ukmem__driver_probe_device(drv, dev);
	unlock_for_bind(dev, dev->parent);
	return 0;
}

/**
 * driver_attach - try to bind a driver to every device of its bus
 * @drv: the driver
 *
 * Return: 0, or -errno when the walk could not be made.
 */
int driver_attach(struct device_driver *drv)
{
	return bus_for_each_dev(drv->bus, NULL, drv, __driver_attach);
}

static void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	if (!drv)
		return;
	ukmem__bus_notify(dev, BUS_NOTIFY_UNBIND_DRIVER);
	device_remove(dev);
	if (dev->bus && dev->bus->dma_cleanup)
		dev->bus->dma_cleanup(dev);
	ukmem__devres_report_lost_groups(dev, "unbind");
	device_unbind_cleanup(dev);
	pthread_mutex_lock(&ukmem__base.lock);
	list_del_init(&dev->p.knode_driver);
	UKMEM_STORE(dev->p.bound, false);
	pthread_mutex_unlock(&ukmem__base.lock);
	ukmem__bus_notify(dev, BUS_NOTIFY_UNBOUND_DRIVER);
}

static void device_release_driver_internal(struct device *dev, struct device_driver *drv,
					   struct device *parent)
{
	lock_for_bind(dev, parent);
	if (!drv || drv == dev->driver)
		__device_release_driver(dev);
	unlock_for_bind(dev, parent);
}

/**
 * device_release_driver - unbind a device's driver ("unbind" in sysfs)
 * @dev: the device
 *
 * Listeners get BUS_NOTIFY_UNBIND_DRIVER, the driver's remove runs, then everything devres
 * holds for the device is released (last acquired first), then BUS_NOTIFY_UNBOUND_DRIVER.
 */
void device_release_driver(struct device *dev)
{
	device_release_driver_internal(dev, NULL, NULL);
}

/**
 * device_driver_detach - device_release_driver() holding the parent's lock where the bus
 * asks for it
 * @dev: the device
 */
void device_driver_detach(struct device *dev)
{
	device_release_driver_internal(dev, NULL, dev->parent);
}

/**
 * device_reprobe - unbind a device's driver and look for a driver again
 * @dev: the device
 *
 * Return: 0, or -errno from the attach.
 */
int device_reprobe(struct device *dev)
{
	int ret;

	if (UKMEM_LOAD(dev->driver))
		device_driver_detach(dev);
	if (dev->parent && dev->bus && dev->bus->need_parent_lock)
		device_lock(dev->parent);
	ret = __device_attach(dev);
	if (dev->parent && dev->bus && dev->bus->need_parent_lock)
		device_unlock(dev->parent);
	ukmem__deferred_probe_run();
	return ret < 0 ? ret : 0;
}

void ukmem__driver_detach(struct device_driver *drv)
{
	struct driver_private *priv = drv->p;

	for (;;) {
		struct device *dev;

		pthread_mutex_lock(&ukmem__base.lock);
		if (list_empty(&priv->devices)) {
			pthread_mutex_unlock(&ukmem__base.lock);
			return;
		}
		dev = list_last_entry(&priv->devices, struct device, p.knode_driver);
		__atomic_fetch_add(&dev->p.refcount, 1, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&ukmem__base.lock);
		device_release_driver_internal(dev, drv, dev->parent);
		pthread_mutex_lock(&ukmem__base.lock);
		if (NEVER(!list_empty(&dev->p.knode_driver) && UKMEM_LOAD(dev->driver) != drv))
			list_del_init(&dev->p.knode_driver);	/* not ours: stop looping on it */
		pthread_mutex_unlock(&ukmem__base.lock);
		put_device(dev);
	}
}
