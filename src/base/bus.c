/* SPDX-License-Identifier: MIT */
/*
 * Buses and drivers (drivers/base/bus.c, driver.c): registration, the bus's device and
 * driver lists, walks over them, and the bus notifier chain.
 *
 * Invariants: a bus is usable from bus_register to bus_unregister (bus->p set); a driver from
 * driver_register to driver_unregister (drv->p set).  A driver_private lives while its refs
 * count (the driver's own, plus every walk holding it) is non-zero; driver_unregister marks it
 * dead and takes it off the bus, so no walk calls it again, waits until no walk is inside a
 * call to it (busy: as the kernel's klist_remove waits for its iterators; a probe such a call
 * ran is undone when it returns: see dd.c), then unbinds its devices.  So once
 * driver_unregister returns nothing of ukmem touches the driver: its memory may go.
 * Locking: see base.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/slab.h>
#include "core/core.h"
#include "base/base.h"

/* ---- notifiers ---- */

/**
 * bus_register_notifier - listen to a bus's device events (BUS_NOTIFY_*)
 * @bus: the bus
 * @nb: the listener; its callback gets the event and the struct device
 *
 * Return: 0, or -EINVAL for an unregistered bus.
 */
int bus_register_notifier(struct bus_type *bus, struct notifier_block *nb)
{
	ukmem__ensure_started();
	if (!bus || !bus->p)
		return -EINVAL;
	return blocking_notifier_chain_register(&bus->p->bus_notifier, nb);
}

/**
 * bus_unregister_notifier - stop listening
 * @bus: the bus
 * @nb: the listener
 *
 * Return: 0, or -ENOENT when @nb was not registered.
 */
int bus_unregister_notifier(struct bus_type *bus, struct notifier_block *nb)
{
	if (!bus || !bus->p)
		return -EINVAL;
	return blocking_notifier_chain_unregister(&bus->p->bus_notifier, nb);
}

void ukmem__bus_notify(struct device *dev, unsigned long event)
{
	if (dev->bus && dev->bus->p)
		blocking_notifier_call_chain(&dev->bus->p->bus_notifier, event, dev);
}

/* ---- buses ---- */

/**
 * bus_register - register a bus type
 * @bus: the bus; its name must be unique
 *
 * Return: 0, -EEXIST for a second bus of that name, -ENOMEM.
 */
int bus_register(struct bus_type *bus)
{
	struct subsys_private *priv;
	struct subsys_private *other;

	ukmem__ensure_started();
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	priv->bus = bus;
	INIT_LIST_HEAD(&priv->devices);
	INIT_LIST_HEAD(&priv->drivers);
	BLOCKING_INIT_NOTIFIER_HEAD(&priv->bus_notifier);
	priv->drivers_autoprobe = true;
	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(other, &ukmem__base.buses, node)
		if (other->bus == bus || !strcmp(other->bus->name, bus->name)) {
			pthread_mutex_unlock(&ukmem__base.lock);
			pthread_rwlock_destroy(&priv->bus_notifier.rwsem);
			free(priv);
			pr_warn("sysfs: cannot create duplicate filename '/bus/%s'\n", bus->name);
			return -EEXIST;
		}
	list_add_tail(&priv->node, &ukmem__base.buses);
	bus->p = priv;
	pthread_mutex_unlock(&ukmem__base.lock);
	return 0;
}

/**
 * bus_unregister - unregister a bus type
 * @bus: the bus, with no device or driver left on it
 *
 * A bus that still has devices or drivers gets a WARN and stays registered (the devices
 * still point at it).
 */
void bus_unregister(struct bus_type *bus)
{
	struct subsys_private *priv = bus ? bus->p : NULL;
	bool busy;

	if (WARN(!priv, "bus_unregister: bus '%s' is not registered\n", bus ? bus->name : "(null)"))
		return;
	pthread_mutex_lock(&ukmem__base.lock);
	busy = !list_empty(&priv->devices) || !list_empty(&priv->drivers);
	if (!busy) {
		list_del(&priv->node);
		bus->p = NULL;
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	if (WARN(busy, "bus '%s' unregistered while devices or drivers are still on it\n",
		 bus->name))
		return;
	pthread_rwlock_destroy(&priv->bus_notifier.rwsem);
	free(priv);
}

int ukmem__bus_add_device(struct device *dev)
{
	struct bus_type *bus = dev->bus;
	struct device *other;
	int err = 0;

	if (!bus)
		return 0;
	if (!bus->p) {
		pr_err("device '%s' on bus '%s', which is not registered\n", dev_name(dev), bus->name);
		return -EINVAL;
	}
	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(other, &bus->p->devices, p.knode_bus)
		if (!strcmp(dev_name(other), dev_name(dev))) {
			err = -EEXIST;
			break;
		}
	if (!err)
		list_add_tail(&dev->p.knode_bus, &bus->p->devices);
	pthread_mutex_unlock(&ukmem__base.lock);
	if (err) {
		pr_warn("sysfs: cannot create duplicate filename '/bus/%s/devices/%s'\n", bus->name,
			dev_name(dev));
		dump_stack();
	}
	return err;
}

void ukmem__bus_probe_device(struct device *dev)
{
	if (dev->bus && dev->bus->p && dev->bus->p->drivers_autoprobe)
		device_initial_probe(dev);
}

void ukmem__bus_remove_device(struct device *dev)
{
	if (!dev->bus)
		return;
	pthread_mutex_lock(&ukmem__base.lock);
	list_del_init(&dev->p.knode_bus);
	pthread_mutex_unlock(&ukmem__base.lock);
	device_release_driver(dev);
}

/* ---- walks ---- */

/**
 * bus_for_each_dev - call @fn on each device of @bus (after @start) until it returns non-zero
 * @bus: the bus
 * @start: begin after this device, or NULL
 * @data: passed to @fn
 * @fn: the callback
 *
 * Return: what @fn returned last, or -EINVAL for an unregistered bus.
 */
int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	struct ukmem__dev_snap snap;
	int error = 0;

	ukmem__ensure_started();
	if (!bus || !bus->p)
		return -EINVAL;
	if (UKMEM_SNAP(&bus->p->devices, p.knode_bus, start, &snap))
		return -ENOMEM;
	for (size_t i = 0; i < snap.n && !error; i++)
		error = fn(snap.v[i], data);
	ukmem__snap_put(&snap);
	return error;
}

/**
 * bus_find_device - the first device of @bus (after @start) that @match accepts
 * @bus: the bus
 * @start: begin after this device, or NULL
 * @data: passed to @match
 * @match: the test
 *
 * Return: the device with a reference taken (put_device() it), or NULL.
 */
struct device *bus_find_device(struct bus_type *bus, struct device *start, const void *data,
			       int (*match)(struct device *dev, const void *data))
{
	struct ukmem__dev_snap snap;
	struct device *found = NULL;

	ukmem__ensure_started();
	if (!bus || !bus->p)
		return NULL;
	if (UKMEM_SNAP(&bus->p->devices, p.knode_bus, start, &snap))
		return NULL;
	for (size_t i = 0; i < snap.n && !found; i++)
		if (match(snap.v[i], data))
			found = get_device(snap.v[i]);
	ukmem__snap_put(&snap);
	return found;
}

int device_match_name(struct device *dev, const void *name)
{
	return dev_name(dev) && !strcmp(dev_name(dev), name);
}

int device_match_of_node(struct device *dev, const void *np)
{
	return dev->of_node == np;
}

int device_match_fwnode(struct device *dev, const void *fwnode)
{
	return dev->fwnode == fwnode;
}

int device_match_devt(struct device *dev, const void *pdevt)
{
	return dev->devt == *(const dev_t *)pdevt;
}

int device_match_any(struct device *dev, const void *unused)
{
	return 1;
}

/* The driver this thread's innermost driver walk is calling (see wait_for_walks). */
static __thread struct driver_private *calling_drv;

void ukmem__driver_put(struct driver_private *priv)
{
	bool last;

	pthread_mutex_lock(&ukmem__base.lock);
	last = --priv->refs == 0;
	pthread_mutex_unlock(&ukmem__base.lock);
	if (last)
		free(priv);
}

/* One step of a driver walk: @fn on the driver of @priv when @call and the driver is not
 * being unregistered, counted in priv->busy while it runs; then the walk's reference goes.
 * Returns what @fn returned, or @ret when it was not called. */
static int drv_call_put(struct driver_private *priv, bool call,
			int (*fn)(struct device_driver *, void *), void *data, int ret)
{
	struct driver_private *outer = calling_drv;
	bool last;

	pthread_mutex_lock(&ukmem__base.lock);
	call = call && !priv->dead;
	priv->busy += call;
	pthread_mutex_unlock(&ukmem__base.lock);
	if (call) {
		calling_drv = priv;
		ret = fn(priv->driver, data);
		calling_drv = outer;
	}
	pthread_mutex_lock(&ukmem__base.lock);
	priv->busy -= call;
	last = --priv->refs == 0;
	pthread_mutex_unlock(&ukmem__base.lock);
	if (last)
		free(priv);
	return ret;
}

/* Waits until no walk is inside a call to the dying driver of @priv.  The caller's own call,
 * when it unregisters the driver from a walk's callback on that driver, is not waited for (it
 * could never end); the kernel would deadlock there. */
static void wait_for_walks(struct driver_private *priv)
{
	int own = calling_drv == priv;

	pthread_mutex_lock(&ukmem__base.lock);
	while (priv->busy > own) {
		pthread_mutex_unlock(&ukmem__base.lock);
		usleep(100);
		pthread_mutex_lock(&ukmem__base.lock);
	}
	pthread_mutex_unlock(&ukmem__base.lock);
}

/**
 * bus_for_each_drv - call @fn on each driver of @bus (after @start) until it returns non-zero
 * @bus: the bus
 * @start: begin after this driver, or NULL
 * @data: passed to @fn
 * @fn: the callback
 *
 * A driver being unregistered is skipped; its driver_unregister() waits until a call of
 * @fn on it has returned.
 * Return: what @fn returned last, or -EINVAL for an unregistered bus.
 */
int bus_for_each_drv(struct bus_type *bus, struct device_driver *start, void *data,
		     int (*fn)(struct device_driver *, void *))
{
	struct driver_private **v = NULL, *priv;
	size_t n = 0, i;
	int error = 0;

	ukmem__ensure_started();
	if (!bus || !bus->p)
		return -EINVAL;
	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(priv, &bus->p->drivers, knode_bus)
		n++;
	if (n && !(v = malloc(n * sizeof(*v)))) {
		pthread_mutex_unlock(&ukmem__base.lock);
		return -ENOMEM;
	}
	n = 0;
	list_for_each_entry(priv, &bus->p->drivers, knode_bus) {
		if (start) {
			if (priv->driver == start)
				start = NULL;
			continue;
		}
		priv->refs++;
		v[n++] = priv;
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	for (i = 0; i < n; i++)
		error = drv_call_put(v[i], !error, fn, data, error);
	free(v);
	return error;
}

/* One device of a rescan: attach it when it has no driver; only errors stop the walk. */
static int rescan_one(struct device *dev, void *data)
{
	int ret = 0;

	if (!UKMEM_LOAD(dev->driver)) {
		if (dev->parent && dev->bus->need_parent_lock)
			device_lock(dev->parent);
		ret = device_attach(dev);
		if (dev->parent && dev->bus->need_parent_lock)
			device_unlock(dev->parent);
	}
	return ret < 0 ? ret : 0;
}

/**
 * bus_rescan_devices - try the bus's drivers on each of its devices without a driver
 * @bus: the bus
 *
 * The first device whose attach fails (a match asking for deferral, -EPROBE_DEFER, for
 * one) ends the rescan, as in 6.1.
 * Return: 0; that error; -EINVAL for an unregistered bus.
 */
int bus_rescan_devices(struct bus_type *bus)
{
	return bus_for_each_dev(bus, NULL, NULL, rescan_one);
}

/* ---- drivers ---- */

/**
 * driver_find - the driver of @bus named @name
 * @name: the name
 * @bus: the bus
 *
 * Return: the driver, or NULL.
 */
struct device_driver *driver_find(const char *name, struct bus_type *bus)
{
	struct driver_private *priv;
	struct device_driver *found = NULL;

	ukmem__ensure_started();
	if (!bus || !bus->p)
		return NULL;
	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(priv, &bus->p->drivers, knode_bus)
		if (!strcmp(priv->driver->name, name)) {
			found = priv->driver;
			break;
		}
	pthread_mutex_unlock(&ukmem__base.lock);
	return found;
}

/**
 * driver_set_override - set or clear a device's driver_override (as writing it in sysfs)
 * @dev: the device whose lock guards @override
 * @override: the field (&pdev->driver_override), kmalloc'd or NULL
 * @s: the driver's name, ended by NUL or a newline; "" or "\n" clears the override
 * @len: bytes of @s (a page or more is refused)
 *
 * The old string is freed.  The override takes effect at the next match (device_attach,
 * device_reprobe): a device already bound stays bound.
 * Return: 0; -EINVAL for no @override or @s, or @len of PAGE_SIZE - 1 or more; -ENOMEM.
 */
int driver_set_override(struct device *dev, const char **override, const char *s, size_t len)
{
	const char *newline, *new = NULL, *old;

	if (!override || !s || len >= PAGE_SIZE - 1)
		return -EINVAL;
	len = strlen(s);		/* as 6.1: @len only bounds what may be stored */
	newline = memchr(s, '\n', len);
	if (newline)
		len = (size_t)(newline - s);
	if (len) {
		new = kstrndup(s, len, GFP_KERNEL);
		if (!new)
			return -ENOMEM;
	}
	device_lock(dev);
	old = *override;
	*override = new;
	device_unlock(dev);
	kfree(old);
	return 0;
}

/* Take a registered driver off its bus: unbind it from its devices, wait for the walks
 * using it, drop its private part. */
static void driver_remove(struct device_driver *drv)
{
	struct driver_private *priv = drv->p;

	pthread_mutex_lock(&ukmem__base.lock);
	UKMEM_STORE(priv->dead, true);
	list_del_init(&priv->knode_bus);
	pthread_mutex_unlock(&ukmem__base.lock);
	wait_for_walks(priv);
	ukmem__driver_detach(drv);
	pthread_mutex_lock(&ukmem__base.lock);
	drv->p = NULL;
	pthread_mutex_unlock(&ukmem__base.lock);
	ukmem__driver_put(priv);
}

/**
 * driver_register - register a driver on its bus and bind it to every matching device
 * @drv: the driver (drv->bus set)
 *
 * Return: 0; -EINVAL when the bus is not registered; -EBUSY when a driver of that name is
 * already registered on the bus; -ENOMEM (the driver is then not registered, even when it
 * was the walk over the bus's devices that failed).
 */
int driver_register(struct device_driver *drv)
{
	struct driver_private *priv, *other;
	int err = 0;

	ukmem__ensure_started();
	if (!drv->bus || !drv->bus->p) {
		pr_err("Driver '%s' was unable to register with bus_type '%s' because the bus was not initialized.\n",
		       drv->name, drv->bus ? drv->bus->name : "(null)");
		return -EINVAL;
	}
	if ((drv->bus->probe && drv->probe) || (drv->bus->remove && drv->remove) ||
	    (drv->bus->shutdown && drv->shutdown))
		pr_warn("Driver '%s' needs updating - please use bus_type methods\n", drv->name);
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	priv->driver = drv;
	priv->refs = 1;
	INIT_LIST_HEAD(&priv->devices);
	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(other, &drv->bus->p->drivers, knode_bus)
		if (other->driver == drv || !strcmp(other->driver->name, drv->name))
			err = -EBUSY;
	if (!err) {
		list_add_tail(&priv->knode_bus, &drv->bus->p->drivers);
		drv->p = priv;
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	if (err) {
		free(priv);
		pr_err("Error: Driver '%s' is already registered, aborting...\n", drv->name);
		return err;
	}
	if (drv->bus->p->drivers_autoprobe)
		err = driver_attach(drv);
	if (err) {		/* 6.1's bus_add_driver unwinds: the driver is not registered */
		driver_remove(drv);
		return err;
	}
	ukmem__deferred_probe_run();
	return 0;
}

/**
 * driver_unregister - unbind a driver from its devices and take it off its bus
 * @drv: the driver
 *
 * Waits for the walks (bus_for_each_drv(), device_attach()) that are calling into @drv; when
 * it returns, ukmem no longer uses @drv.
 */
void driver_unregister(struct device_driver *drv)
{
	if (!drv || !drv->p) {
		WARN(1, "Unexpected driver unregister!\n");
		return;
	}
	driver_remove(drv);
}


static int for_each_bound(struct device_driver *drv, struct device *start,
			  struct ukmem__dev_snap *snap)
{
	snap->v = NULL;
	snap->n = 0;
	if (!drv || !drv->p)
		return -EINVAL;
	return UKMEM_SNAP(&drv->p->devices, p.knode_driver, start, snap);
}

/**
 * driver_for_each_device - call @fn on each device bound to @drv until it returns non-zero
 * @drv: the driver
 * @start: begin after this device, or NULL
 * @data: passed to @fn
 * @fn: the callback
 *
 * Return: what @fn returned last.
 */
int driver_for_each_device(struct device_driver *drv, struct device *start, void *data,
			   int (*fn)(struct device *dev, void *))
{
	struct ukmem__dev_snap snap;
	int error = for_each_bound(drv, start, &snap);

	for (size_t i = 0; !error && i < snap.n; i++)
		error = fn(snap.v[i], data);
	ukmem__snap_put(&snap);
	return error;
}

/**
 * driver_find_device - the first device bound to @drv that @match accepts
 * @drv: the driver
 * @start: begin after this device, or NULL
 * @data: passed to @match
 * @match: the test
 *
 * Return: the device with a reference taken, or NULL.
 */
struct device *driver_find_device(struct device_driver *drv, struct device *start,
				  const void *data,
				  int (*match)(struct device *dev, const void *data))
{
	struct ukmem__dev_snap snap;
	struct device *found = NULL;

	if (for_each_bound(drv, start, &snap))
		return NULL;
	for (size_t i = 0; i < snap.n && !found; i++)
		if (match(snap.v[i], data))
			found = get_device(snap.v[i]);
	ukmem__snap_put(&snap);
	return found;
}
