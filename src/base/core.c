/* SPDX-License-Identifier: MIT */
/*
 * The device core (drivers/base/core.c): a device's life (initialize, add, del, release),
 * its reference count and name, its children, root devices, dev_* printing and
 * dev_err_probe; the device model's state (ukmem__base), start-up and shut-down.
 *
 * Invariants: a device is on ukmem__base.devices (and its bus's and parent's lists) exactly
 * while p.registered; a registered device holds a reference (device_initialize's, dropped by
 * device_unregister), so release never runs on a registered device (if a caller drops
 * references it does not own, the release is refused with a WARN instead of freeing a device
 * the lists still reach).  The name is kmalloc'd and freed after release (the release
 * callback still sees it, as in 6.1); a static device that is set up again forgets it first
 * (p.released).
 * Locking: see base.h.  At ukmem_exit, module exits run, then every driver still bound is
 * unbound and every device still registered is unregistered (last added first each time), so
 * devres is released before the leak check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ukmem.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "core/core.h"
#include "mm/mm.h"
#include "base/base.h"

struct ukmem__base ukmem__base = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.devices = LIST_HEAD_INIT(ukmem__base.devices),
	.buses = LIST_HEAD_INIT(ukmem__base.buses),
	.deferred_pending = LIST_HEAD_INIT(ukmem__base.deferred_pending),
	.deferred_active = LIST_HEAD_INIT(ukmem__base.deferred_active),
	.mod_lock = PTHREAD_MUTEX_INITIALIZER,
};

/* ---- snapshots ---- */
int ukmem__snap_devices(struct list_head *head, size_t offset, struct device *start,
			struct ukmem__dev_snap *snap)
{
	struct list_head *pos;
	size_t n = 0;

	snap->v = NULL;
	snap->n = 0;
	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each(pos, head)
		n++;
	if (n) {
		snap->v = malloc(n * sizeof(*snap->v));
		if (!snap->v) {
			pthread_mutex_unlock(&ukmem__base.lock);
			return -ENOMEM;
		}
	}
	list_for_each(pos, head) {
		struct device *dev = (struct device *)((char *)pos - offset);

		if (start) {		/* walks begin after start */
			if (dev == start)
				start = NULL;
			continue;
		}
		__atomic_fetch_add(&dev->p.refcount, 1, __ATOMIC_RELAXED);
		snap->v[snap->n++] = dev;
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	return 0;
}

void ukmem__snap_put(struct ukmem__dev_snap *snap)
{
	for (size_t i = 0; i < snap->n; i++)
		put_device(snap->v[i]);
	free(snap->v);
	snap->v = NULL;
	snap->n = 0;
}

/* ---- names, references, release ---- */

/**
 * dev_set_name - name a device
 * @dev: the device
 * @fmt: printf-style format of the name
 *
 * The name is copied (kmalloc'd); a '/' in it becomes '!', as sysfs requires.  A NULL
 * @fmt keeps the name the device has.
 * Return: 0, -ENOMEM, or -EINVAL for a NULL @fmt on a device without a name.
 */
int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;
	char *s, *old;

	ukmem__ensure_started();
	ukmem__device_forget_released(dev);
	if (unlikely(!fmt)) {
		/* 6.1 keeps a name the device has (and oopses formatting NULL when it has none) */
		if (dev->p.name)
			return 0;
		WARN(1, "dev_set_name: NULL format for a device without a name\n");
		return -EINVAL;
	}
	va_start(ap, fmt);
	s = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!s)
		return -ENOMEM;
	for (char *c = s; (c = strchr(c, '/')) != NULL;)
		*c = '!';
	old = dev->p.name;
	dev->p.name = s;
	kfree(old);
	return 0;
}

/**
 * dev_driver_string - the name a device's messages carry first
 * @dev: the device
 *
 * Return: the bound driver's name, else the bus's name, else "".
 */
const char *dev_driver_string(const struct device *dev)
{
	struct device_driver *drv = __atomic_load_n(&dev->driver, __ATOMIC_RELAXED);

	if (drv)
		return drv->name;
	return dev->bus ? dev->bus->name : "";
}

void ukmem__device_forget_released(struct device *dev)
{
	struct device_node *np = dev->p.own_of_node;

	if (likely(!dev->p.released))
		return;
	if (np && dev->of_node == np)
		dev->of_node = NULL;
	if (np && dev->fwnode == &np->fwnode)
		dev->fwnode = NULL;
	dev->p.name = NULL;
	dev->p.own_of_node = NULL;
	dev->p.released = false;
	dev->p.initialized = false;	/* as a zeroed device: device_initialize comes next */
}

void ukmem__device_private_init(struct device *dev)
{
	dev->p.refcount = 1;
	INIT_LIST_HEAD(&dev->p.knode_all);
	INIT_LIST_HEAD(&dev->p.knode_bus);
	INIT_LIST_HEAD(&dev->p.knode_parent);
	INIT_LIST_HEAD(&dev->p.children);
	INIT_LIST_HEAD(&dev->p.knode_driver);
	INIT_LIST_HEAD(&dev->p.deferred_probe);
	INIT_LIST_HEAD(&dev->p.devres_group_list);
	dev->p.devres_owner = NULL;
	dev->p.devres_active = 0;
	dev->p.devres_revoked = 0;
	dev->p.initialized = true;
}

/* device_initialize of a device that is initialized already (and not released since):
 * kobject_init's complaint.  A registered one is left alone, where 6.1 goes on to
 * re-initialize it: its list links (and its devres list, and its lock) are in use. */
static noinline bool initialized_again(struct device *dev)
{
	pr_err("kobject (%p): tried to init an initialized object, something is seriously wrong.\n",
	       dev);
	dump_stack();
	return UKMEM_LOAD(dev->p.registered);
}

/**
 * device_initialize - prepare a device for use: one reference, empty lists, locks
 * @dev: the device, zeroed by its allocator (a name set before is kept)
 *
 * After this the device is given up with put_device(), never freed directly.  A device
 * initialized already gets kobject_init's "tried to init an initialized object"; one that is
 * registered is then left as it is (its lists, devres and lock are in use).
 */
void device_initialize(struct device *dev)
{
	ukmem__ensure_started();
	if (unlikely(dev->p.initialized && !dev->p.released) && initialized_again(dev))
		return;
	ukmem__device_forget_released(dev);
	ukmem__device_private_init(dev);
	mutex_init(&dev->mutex);
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
	INIT_LIST_HEAD(&dev->dma_pools);
	set_dev_node(dev, NUMA_NO_NODE);
}

/**
 * get_device - take a reference on a device
 * @dev: the device, or NULL
 *
 * Return: @dev.
 */
struct device *get_device(struct device *dev)
{
	if (!dev)
		return NULL;
	if (WARN(!dev->p.initialized,
		 "kobject: '%s' (%p): is not initialized, yet kobject_get() is being called.\n",
		 dev_name(dev) ? dev_name(dev) : "(null)", dev))
		return dev;
	if (WARN(__atomic_fetch_add(&dev->p.refcount, 1, __ATOMIC_RELAXED) <= 0,
		 "refcount_t: addition on 0; use-after-free.\n"))
		__atomic_store_n(&dev->p.refcount, 0, __ATOMIC_RELAXED);
	return dev;
}

#define RELEASE_HOOKS	4
static void (*release_hooks[RELEASE_HOOKS])(struct device *dev);

void ukmem__device_release_hook(void (*fn)(struct device *dev))
{
	for (int i = 0; i < RELEASE_HOOKS; i++)
		if (!release_hooks[i]) {
			release_hooks[i] = fn;
			return;
		}
	WARN(1, "ukmem: too many device release hooks\n");
}

static void device_release(struct device *dev)
{
	char *name = dev->p.name;
	struct device_node *np = dev->p.own_of_node;

	if (WARN(dev->p.registered,
		 "device '%s': last reference dropped while still registered (put_device without get_device?)\n",
		 dev_name(dev))) {
		__atomic_store_n(&dev->p.refcount, 1, __ATOMIC_RELAXED);
		return;		/* keep it alive: the lists still reach it */
	}
	/* Resources a driverless device (or a deleted one) acquired go now. */
	ukmem__devres_report_lost_groups(dev, "the device was released");
	ukmem__devres_release_all(dev);
	for (int i = 0; i < RELEASE_HOOKS && release_hooks[i]; i++)
		release_hooks[i](dev);
	kfree(dev->p.deferred_probe_reason);
	dev->p.deferred_probe_reason = NULL;
	/* The release callback still sees the name and the node (6.1's kobject_cleanup frees
	 * the name after it); they are freed below.  The device is not touched after its
	 * release, so a static one registered again forgets them when it is set up again. */
	dev->p.released = true;
	if (dev->release) {
		dev->release(dev);
	} else if (dev->type && dev->type->release) {
		dev->type->release(dev);
	} else {
		WARN(1, KERN_ERR "Device '%s' does not have a release() function, it is broken and must be fixed. See Documentation/core-api/kobject.rst.\n",
		     name);
	}
	ukmem__of_node_free(np);
	kfree(name);
}

/**
 * put_device - drop a reference; the last one releases the device
 * @dev: the device, or NULL
 *
 * Release frees what devres still holds, then calls dev->release (or the type's); a device
 * with neither gets the kernel's WARN.
 */
void put_device(struct device *dev)
{
	int left;

	if (!dev)
		return;
	WARN(!dev->p.initialized,
	     "kobject: '%s' (%p): is not initialized, yet kobject_put() is being called.\n",
	     dev_name(dev) ?: "(null)", dev);
	left = __atomic_sub_fetch(&dev->p.refcount, 1, __ATOMIC_ACQ_REL);
	if (likely(left > 0))
		return;
	if (WARN(left < 0, "refcount_t: underflow; use-after-free.\n")) {
		__atomic_store_n(&dev->p.refcount, 0, __ATOMIC_RELAXED);
		return;
	}
	device_release(dev);
}

/* ---- add and delete ---- */

/* A registered device with dev's name in the same directory: the same parent, or the same
 * bus.  Called with ukmem__base.lock held. */
static struct device *find_duplicate(struct device *dev)
{
	struct device *other;

	list_for_each_entry(other, &ukmem__base.devices, p.knode_all) {
		if (strcmp(dev_name(other), dev_name(dev)))
			continue;
		if (other->parent == dev->parent || (dev->bus && other->bus == dev->bus))
			return other;
	}
	return NULL;
}

static noinline void report_duplicate(struct device *dev, struct device *other)
{
	char path[512];
	int n = 0;

	if (dev->bus && other->bus == dev->bus && other->parent != dev->parent)
		n = snprintf(path, sizeof(path), "/bus/%s/devices/%s", dev->bus->name, dev_name(dev));
	else if (dev->parent)
		n = snprintf(path, sizeof(path), "/devices/%s/%s", dev_name(dev->parent), dev_name(dev));
	else
		n = snprintf(path, sizeof(path), "/devices/%s", dev_name(dev));
	(void)n;
	pr_warn("sysfs: cannot create duplicate filename '%s'\n", path);
	dump_stack();
	pr_err("kobject_add_internal failed for %s with -EEXIST, don't try to register things with the same name in the same directory.\n",
	       dev_name(dev));
}

/* A parent that is not registered (never added, or deleted) has no sysfs directory for the
 * child: 6.1's sysfs_create_dir_ns fails with -ENOENT and kobject_add_internal says so. */
static noinline void report_no_parent_dir(struct device *dev, struct device *parent)
{
	pr_err("kobject_add_internal failed for %s (error: %d parent: %s)\n", dev_name(dev),
	       -ENOENT, dev_name(parent) ? dev_name(parent) : "(null)");
}

/**
 * device_add - make an initialized device known: name, parent, bus; probe drivers for it
 * @dev: the device (device_initialize'd)
 *
 * The name comes from init_name, else dev_set_name, else the bus's dev_name and dev->id.
 * A name already used in the same directory (same parent, or same bus) fails with -EEXIST,
 * as sysfs refuses it; a parent that is not registered (never added, or deleted already)
 * fails it with -ENOENT, as its sysfs directory is missing.  Bus listeners get
 * BUS_NOTIFY_ADD_DEVICE, then the bus's drivers are tried.  On error the caller still owns its reference: put_device() it.  A device that
 * never went through device_initialize() is refused with kobject_add()'s "tried to add an
 * uninitialized object" and -EINVAL (after get_device()'s and put_device()'s warnings); an
 * empty name gets kobject_add_internal()'s "attempted to be registered with empty name!"
 * WARN and -EINVAL.
 * Return: 0 or -errno.
 */
int device_add(struct device *dev)
{
	struct device *parent = NULL, *other;
	int error;

	ukmem__ensure_started();
	dev = get_device(dev);
	if (!dev)
		return -EINVAL;
	if (WARN(dev->p.registered, "device '%s' is already registered\n", dev_name(dev))) {
		put_device(dev);
		return -EEXIST;
	}
	error = 0;
	if (dev->init_name) {
		error = dev_set_name(dev, "%s", dev->init_name);
		dev->init_name = NULL;
	}
	if (dev_name(dev))
		error = 0;
	else if (dev->bus && dev->bus->dev_name)
		error = dev_set_name(dev, "%s%u", dev->bus->dev_name, dev->id);
	else
		error = -EINVAL;
	if (error)
		goto name_error;
	if (unlikely(!dev->p.initialized)) {
		/* kobject_add()'s refusal: nothing is listed, no lock or list is touched. */
		pr_err("kobject '%s' (%p): tried to add an uninitialized object, something is seriously wrong.\n",
		       dev_name(dev), dev);
		dump_stack();
		error = -EINVAL;
		goto name_error;
	}
	if (WARN(!dev_name(dev)[0], "kobject: (%p): attempted to be registered with empty name!\n",
		 dev)) {
		error = -EINVAL;	/* kobject_add_internal()'s refusal */
		goto name_error;
	}

	parent = get_device(dev->parent);
	if (parent && dev_to_node(dev) == NUMA_NO_NODE)
		set_dev_node(dev, dev_to_node(parent));

	pthread_mutex_lock(&ukmem__base.lock);
	if (unlikely(parent && !parent->p.registered)) {
		pthread_mutex_unlock(&ukmem__base.lock);
		report_no_parent_dir(dev, parent);
		error = -ENOENT;
		goto error;
	}
	other = find_duplicate(dev);
	if (!other) {
		UKMEM_STORE(dev->p.registered, true);
		dev->p.dead = false;
		list_add_tail(&dev->p.knode_all, &ukmem__base.devices);
		ukmem__base.nr_devices++;
		if (parent)
			list_add_tail(&dev->p.knode_parent, &parent->p.children);
	}
	pthread_mutex_unlock(&ukmem__base.lock);
	if (other) {
		report_duplicate(dev, other);
		error = -EEXIST;
		goto error;
	}
	error = ukmem__bus_add_device(dev);
	if (error)
		goto bus_error;
	ukmem__bus_notify(dev, BUS_NOTIFY_ADD_DEVICE);
	ukmem__bus_probe_device(dev);
	ukmem__deferred_probe_run();
	put_device(dev);
	return 0;

bus_error:
	pthread_mutex_lock(&ukmem__base.lock);
	list_del_init(&dev->p.knode_all);
	list_del_init(&dev->p.knode_parent);
	ukmem__base.nr_devices--;
	UKMEM_STORE(dev->p.registered, false);
	pthread_mutex_unlock(&ukmem__base.lock);
error:
	put_device(parent);
name_error:
	put_device(dev);
	return error;
}

/**
 * kill_device - mark a device as going away: no driver binds to it from now on
 * @dev: the device, with device_lock held
 *
 * Return: true the first time.
 */
bool kill_device(struct device *dev)
{
	if (dev->p.dead)
		return false;
	dev->p.dead = true;
	return true;
}

/**
 * device_del - take a device out of the model: unbind its driver, release its devres
 * @dev: a registered device
 *
 * Listeners get BUS_NOTIFY_DEL_DEVICE first and BUS_NOTIFY_REMOVED_DEVICE last.  The caller
 * keeps its reference (device_unregister drops it).
 */
void device_del(struct device *dev)
{
	struct device *parent = dev->parent;

	if (WARN(!UKMEM_LOAD(dev->p.registered), "device_del: device '%s' is not registered\n",
		 dev->p.released || !dev_name(dev) ? "(null)" : dev_name(dev)))
		return;
	device_lock(dev);
	kill_device(dev);
	device_unlock(dev);

	ukmem__bus_notify(dev, BUS_NOTIFY_DEL_DEVICE);
	pthread_mutex_lock(&ukmem__base.lock);
	list_del_init(&dev->p.knode_parent);
	pthread_mutex_unlock(&ukmem__base.lock);
	ukmem__bus_remove_device(dev);
	ukmem__deferred_probe_del(dev);
	ukmem__devres_report_lost_groups(dev, "the device was deleted");
	ukmem__devres_release_all(dev);
	ukmem__bus_notify(dev, BUS_NOTIFY_REMOVED_DEVICE);

	pthread_mutex_lock(&ukmem__base.lock);
	list_del_init(&dev->p.knode_all);
	ukmem__base.nr_devices--;
	UKMEM_STORE(dev->p.registered, false);
	pthread_mutex_unlock(&ukmem__base.lock);
	put_device(parent);
}

/**
 * device_register - device_initialize() then device_add()
 * @dev: the device
 *
 * On error, give the device up with put_device(), not by freeing it.
 * Return: 0 or -errno.
 */
int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

/**
 * device_unregister - device_del() then drop the caller's reference
 * @dev: the device
 */
void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

/* ---- children ---- */

static int for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data), bool reverse)
{
	struct ukmem__dev_snap snap;
	int error = 0;

	if (!parent->p.initialized)
		return 0;
	if (UKMEM_SNAP(&parent->p.children, p.knode_parent, NULL, &snap))
		return -ENOMEM;
	for (size_t i = 0; i < snap.n && !error; i++)
		error = fn(snap.v[reverse ? snap.n - 1 - i : i], data);
	ukmem__snap_put(&snap);
	return error;
}

/**
 * device_for_each_child - call @fn on each child of @parent until it returns non-zero
 * @parent: the parent
 * @data: passed to @fn
 * @fn: the callback
 *
 * Return: what @fn returned last (0 when every call returned 0).
 */
int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data))
{
	return for_each_child(parent, data, fn, false);
}

/**
 * device_for_each_child_reverse - device_for_each_child(), last child first
 * @parent: the parent
 * @data: passed to @fn
 * @fn: the callback
 *
 * Return: what @fn returned last.
 */
int device_for_each_child_reverse(struct device *parent, void *data,
				  int (*fn)(struct device *dev, void *data))
{
	return for_each_child(parent, data, fn, true);
}

/**
 * device_find_child - the first child for which @match returns non-zero
 * @parent: the parent
 * @data: passed to @match
 * @match: the test
 *
 * Return: the child with a reference taken (put_device() it), or NULL.
 */
struct device *device_find_child(struct device *parent, void *data,
				 int (*match)(struct device *dev, void *data))
{
	struct ukmem__dev_snap snap;
	struct device *found = NULL;

	if (!parent || !parent->p.initialized)
		return NULL;
	if (UKMEM_SNAP(&parent->p.children, p.knode_parent, NULL, &snap))
		return NULL;
	for (size_t i = 0; i < snap.n && !found; i++)
		if (match(snap.v[i], data))
			found = get_device(snap.v[i]);
	ukmem__snap_put(&snap);
	return found;
}

static int match_name(struct device *dev, void *name)
{
	return !strcmp(dev_name(dev), name);
}

/**
 * device_find_child_by_name - the child named @name
 * @parent: the parent
 * @name: the name
 *
 * Return: the child with a reference taken, or NULL.
 */
struct device *device_find_child_by_name(struct device *parent, const char *name)
{
	return device_find_child(parent, (void *)name, match_name);
}

struct device *ukmem__find_device_by_name(const char *name)
{
	struct device *dev, *found = NULL;

	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(dev, &ukmem__base.devices, p.knode_all)
		if (!strcmp(dev_name(dev), name)) {
			found = dev;
			__atomic_fetch_add(&dev->p.refcount, 1, __ATOMIC_RELAXED);
			break;
		}
	pthread_mutex_unlock(&ukmem__base.lock);
	return found;
}

/* ---- root devices ---- */
struct root_device {
	struct device dev;
	struct module *owner;
};

static void root_device_release(struct device *dev)
{
	kfree(container_of(dev, struct root_device, dev));
}

/**
 * __root_device_register - register a parentless, busless device to group others under
 * @name: its name
 * @owner: the module (THIS_MODULE)
 *
 * Return: the device, or an ERR_PTR (-ENOMEM, -EEXIST).
 */
struct device *__root_device_register(const char *name, struct module *owner)
{
	struct root_device *root;
	int err;

	ukmem__ensure_started();
	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root)
		return ERR_PTR(-ENOMEM);
	err = dev_set_name(&root->dev, "%s", name);
	if (err) {
		kfree(root);
		return ERR_PTR(err);
	}
	root->dev.release = root_device_release;
	root->owner = owner;
	err = device_register(&root->dev);
	if (err) {
		put_device(&root->dev);
		return ERR_PTR(err);
	}
	return &root->dev;
}

/**
 * root_device_unregister - unregister a device made by root_device_register()
 * @dev: the root device
 */
void root_device_unregister(struct device *dev)
{
	device_unregister(dev);
}

/* ---- dev_* printing ---- */

/**
 * dev_vprintk_emit - print at a numeric log level (the device's identity is in @fmt already)
 * @level: 0..7, or negative for the default level
 * @dev: the device
 * @fmt: the format
 * @args: its arguments
 *
 * Return: the number of characters formatted.
 */
int dev_vprintk_emit(int level, const struct device *dev, const char *fmt, va_list args)
{
	char lvl_fmt[] = { KERN_SOH_ASCII, (char)('0' + (level & 7)), '%', 'p', 'V', 0 };
	struct va_format vaf;
	va_list ap;
	int n;

	va_copy(ap, args);
	vaf.fmt = fmt;
	vaf.va = &ap;
	n = printk(level >= 0 ? lvl_fmt : lvl_fmt + 2, &vaf);
	va_end(ap);
	return n;
}

/**
 * dev_printk_emit - dev_vprintk_emit() with variable arguments
 * @level: 0..7, or negative for the default level
 * @dev: the device
 * @fmt: the format
 *
 * Return: the number of characters formatted.
 */
int dev_printk_emit(int level, const struct device *dev, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = dev_vprintk_emit(level, dev, fmt, ap);
	va_end(ap);
	return n;
}

static void __dev_printk(const char *level, const struct device *dev, struct va_format *vaf)
{
	if (dev)
		dev_printk_emit(level[1] - '0', dev, "%s %s: %pV", dev_driver_string(dev),
				dev_name(dev), vaf);
	else
		printk("%s(NULL device *): %pV", level, vaf);
}

/**
 * _dev_printk - print "DRIVER DEVICE: message" at @level (dev_printk, dev_err and friends)
 * @level: KERN_ERR, KERN_INFO, ...
 * @dev: the device, or NULL ("(NULL device *): message")
 * @fmt: the format (the kernel's, with its %p extensions)
 */
void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	__dev_printk(level, dev, &vaf);
	va_end(args);
}

/* _dev_emerg ... _dev_dbg: _dev_printk at each level (the dev_err() family). */
#define DEFINE_DEV_PRINTK(func, kern_level)				\
void func(const struct device *dev, const char *fmt, ...)		\
{									\
	struct va_format vaf;						\
	va_list args;							\
									\
	va_start(args, fmt);						\
	vaf.fmt = fmt;							\
	vaf.va = &args;							\
	__dev_printk(kern_level, dev, &vaf);				\
	va_end(args);							\
}
DEFINE_DEV_PRINTK(_dev_emerg, KERN_EMERG)
DEFINE_DEV_PRINTK(_dev_alert, KERN_ALERT)
DEFINE_DEV_PRINTK(_dev_crit, KERN_CRIT)
DEFINE_DEV_PRINTK(_dev_err, KERN_ERR)
DEFINE_DEV_PRINTK(_dev_warn, KERN_WARNING)
DEFINE_DEV_PRINTK(_dev_notice, KERN_NOTICE)
DEFINE_DEV_PRINTK(_dev_info, KERN_INFO)
DEFINE_DEV_PRINTK(_dev_dbg, KERN_DEBUG)

static int dev_probe_failed(const struct device *dev, int err, bool fatal, const char *fmt,
			    va_list vargsp)
{
	struct va_format vaf;
	va_list vargs;

	va_copy(vargs, vargsp);
	vaf.fmt = fmt;
	vaf.va = &vargs;
	switch (err) {
	case -EPROBE_DEFER:
		ukmem__set_deferred_reason(dev, fmt, vargsp);
		dev_dbg(dev, "error %pe: %pV", ERR_PTR(err), &vaf);
		break;
	case -ENOMEM:
		break;	/* the allocator has said enough */
	default:
		if (fatal)
			dev_err(dev, "error %pe: %pV", ERR_PTR(err), &vaf);
		else
			dev_warn(dev, "error %pe: %pV", ERR_PTR(err), &vaf);
		break;
	}
	va_end(vargs);
	return err;
}

/**
 * dev_err_probe - report a probe error and return it
 * @dev: the device being probed
 * @err: the error
 * @fmt: what failed
 *
 * -EPROBE_DEFER is printed only at debug level and kept as the device's deferral reason
 * (ukmem_show("devices_deferred")); -ENOMEM is not printed; anything else is a dev_err
 * "error -ECODE: message".
 * Return: @err.
 */
int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	dev_probe_failed(dev, err, true, fmt, args);
	va_end(args);
	return err;
}

/**
 * dev_warn_probe - dev_err_probe() at warning level
 * @dev: the device being probed
 * @err: the error
 * @fmt: what failed
 *
 * Return: @err.
 */
int dev_warn_probe(const struct device *dev, int err, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	dev_probe_failed(dev, err, false, fmt, args);
	va_end(args);
	return err;
}

/* ---- start-up and shut-down ---- */

int ukmem__show_devices_deferred(FILE *out, const char *arg)
{
	struct device *dev;

	pthread_mutex_lock(&ukmem__base.lock);
	list_for_each_entry(dev, &ukmem__base.deferred_pending, p.deferred_probe)
		fprintf(out, "%s\t%s", dev_name(dev),
			dev->p.deferred_probe_reason ? dev->p.deferred_probe_reason : "\n");
	list_for_each_entry(dev, &ukmem__base.deferred_active, p.deferred_probe)
		fprintf(out, "%s\t%s", dev_name(dev),
			dev->p.deferred_probe_reason ? dev->p.deferred_probe_reason : "\n");
	pthread_mutex_unlock(&ukmem__base.lock);
	return 0;
}

/*
 * Unbind every driver still bound, last added device first, then release what driverless
 * devices hold, before any device is deleted: devres may own devices (an MFD's children, or
 * a test's devices tied to a root device, unregistered by a devm action), and deleting those
 * first would leave the action a freed device.  Unbinding a child first runs its remove
 * while its parent is still bound, as the kernel's shutdown order has it; the parent's
 * unbind then unregisters the child itself.
 */
static void unbind_all(void)
{
	struct ukmem__dev_snap snap;

	if (UKMEM_SNAP(&ukmem__base.devices, p.knode_all, NULL, &snap))
		return;
	for (size_t i = snap.n; i-- > 0;) {
		struct device *dev = snap.v[i];

		if (dev != &platform_bus && UKMEM_LOAD(dev->p.registered) && UKMEM_LOAD(dev->driver))
			device_release_driver(dev);
	}
	for (size_t i = snap.n; i-- > 0;) {
		struct device *dev = snap.v[i];

		if (dev == &platform_bus || !UKMEM_LOAD(dev->p.registered) || UKMEM_LOAD(dev->driver))
			continue;
		ukmem__devres_report_lost_groups(dev, "the device was deleted");
		ukmem__devres_release_all(dev);
	}
	ukmem__snap_put(&snap);
}

/* Unregister every device still registered, last added first (children before parents). */
static void unregister_all(void)
{
	for (;;) {
		struct device *dev = NULL, *pos;

		pthread_mutex_lock(&ukmem__base.lock);
		list_for_each_entry_reverse(pos, &ukmem__base.devices, p.knode_all)
			if (pos != &platform_bus) {
				dev = pos;
				__atomic_fetch_add(&dev->p.refcount, 1, __ATOMIC_RELAXED);
				break;
			}
		pthread_mutex_unlock(&ukmem__base.lock);
		if (!dev)
			return;
		pr_info("ukmem: device %s still registered at exit: unregistering it\n",
			dev_name(dev));
		if (ukmem__is_platform_device(dev))
			platform_device_unregister(to_platform_device(dev));
		else
			device_unregister(dev);
		put_device(dev);
	}
}

static void base_exit(void)
{
	char *name;

	ukmem__base.exiting = true;
	ukmem__modules_exit_all();
	unbind_all();
	unregister_all();
	/* The platform bus device stays (nothing may follow ukmem_exit but lookups); its name
	 * goes back to the static one so the leak check finds no kmalloc of the model's own. */
	pthread_mutex_lock(&ukmem__base.lock);
	name = platform_bus.p.name;
	platform_bus.init_name = "platform";
	platform_bus.p.name = NULL;
	pthread_mutex_unlock(&ukmem__base.lock);
	kfree(name);
}

/* fork(): the child must not inherit the model's locks held by another thread. */
static void base_fork_lock(void)
{
	pthread_mutex_lock(&ukmem__base.mod_lock);
	pthread_mutex_lock(&ukmem__base.lock);
	ukmem__devres_fork_lock();
}

static void base_fork_unlock(void)
{
	ukmem__devres_fork_unlock();
	pthread_mutex_unlock(&ukmem__base.lock);
	pthread_mutex_unlock(&ukmem__base.mod_lock);
}

static void base_fork_child(int new_ram_fd)
{
	ukmem__devres_fork_child();
}

static int base_init(void)
{
	int err;

	ukmem__mm_on_fork(base_fork_lock, base_fork_unlock, base_fork_child);
	ukmem__show_register("devres:", ukmem__show_devres);
	ukmem__show_register("devices_deferred", ukmem__show_devices_deferred);
	ukmem__devres_leak_init();
	err = ukmem__platform_bus_init();
	/* The platform bus's name took a slab page: leave no page cached on this thread, so a
	 * program's first nr_free_pages() already counts everything free. */
	ukmem__drain_local_pages();
	return err;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, base_init);

/* Shut-down hooks run last-registered first: registering late makes the device model go
 * before the subsystems it uses (and before a leak check registered earlier). */
static int base_late_init(void)
{
	ukmem__on_exit(base_exit);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_LATE, base_late_init);
