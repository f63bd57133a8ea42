/* SPDX-License-Identifier: MIT */
/*
 * <linux/device/bus.h>: buses.  A bus matches drivers to devices (match), probes and removes
 * them (probe/remove, else the driver's own), and tells listeners about every step through
 * its notifier chain (BUS_NOTIFY_*).  Fields and values as Linux 6.1; sysfs, uevents,
 * power management and IOMMU hooks are accepted and not used.
 */
#ifndef _UKMEM_LINUX_DEVICE_BUS_H
#define _UKMEM_LINUX_DEVICE_BUS_H
#include <linux/types.h>
#include <linux/notifier.h>

struct device;
struct device_driver;
struct attribute_group;
struct kobj_uevent_env;
struct dev_pm_ops;
struct iommu_ops;
struct subsys_private;
struct fwnode_handle;
typedef struct pm_message { int event; } pm_message_t;
#include <linux/lockdep.h>	/* struct lock_class_key */

struct bus_type {
	const char *name;
	const char *dev_name;		/* "name%u" with dev->id for devices without a name */
	struct device *dev_root;
	const struct attribute_group **bus_groups;
	const struct attribute_group **dev_groups;
	const struct attribute_group **drv_groups;

	int (*match)(struct device *dev, struct device_driver *drv);
	int (*uevent)(struct device *dev, struct kobj_uevent_env *env);
	int (*probe)(struct device *dev);
	void (*sync_state)(struct device *dev);
	void (*remove)(struct device *dev);
	void (*shutdown)(struct device *dev);

	int (*online)(struct device *dev);
	int (*offline)(struct device *dev);

	int (*suspend)(struct device *dev, pm_message_t state);
	int (*resume)(struct device *dev);

	int (*num_vf)(struct device *dev);

	int (*dma_configure)(struct device *dev);
	void (*dma_cleanup)(struct device *dev);

	const struct dev_pm_ops *pm;
	const struct iommu_ops *iommu_ops;

	struct subsys_private *p;	/* the device core's own state */
	struct lock_class_key lock_key;

	bool need_parent_lock;
};

int __must_check bus_register(struct bus_type *bus);
void bus_unregister(struct bus_type *bus);
int __must_check bus_rescan_devices(struct bus_type *bus);

/* Matching helpers for bus_find_device() and friends. */
int device_match_name(struct device *dev, const void *name);
int device_match_of_node(struct device *dev, const void *np);
int device_match_fwnode(struct device *dev, const void *fwnode);
int device_match_devt(struct device *dev, const void *pdevt);
int device_match_any(struct device *dev, const void *unused);

int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data));
struct device *bus_find_device(struct bus_type *bus, struct device *start, const void *data,
			       int (*match)(struct device *dev, const void *data));
static inline struct device *bus_find_device_by_name(struct bus_type *bus, struct device *start,
						     const char *name)
{
	return bus_find_device(bus, start, name, device_match_name);
}
static inline struct device *bus_find_next_device(struct bus_type *bus, struct device *cur)
{
	return bus_find_device(bus, cur, NULL, device_match_any);
}
int bus_for_each_drv(struct bus_type *bus, struct device_driver *start, void *data,
		     int (*fn)(struct device_driver *, void *));

/*
 * Bus notifiers: called, in a context that may sleep, with the device as data.  Events are
 * sent in this order over a device's life: ADD_DEVICE, then for each binding BIND_DRIVER,
 * BOUND_DRIVER (or DRIVER_NOT_BOUND when probe fails), and at unbind UNBIND_DRIVER (before
 * remove() and before devres is released) and UNBOUND_DRIVER (after).  Deleting a device
 * sends DEL_DEVICE first (the driver is still bound), then the unbind events, then
 * REMOVED_DEVICE once the device is off the bus and its devres released.
 */
int bus_register_notifier(struct bus_type *bus, struct notifier_block *nb);
int bus_unregister_notifier(struct bus_type *bus, struct notifier_block *nb);

#define BUS_NOTIFY_ADD_DEVICE		0x00000001 /* device added */
#define BUS_NOTIFY_DEL_DEVICE		0x00000002 /* device to be removed */
#define BUS_NOTIFY_REMOVED_DEVICE	0x00000003 /* device removed */
#define BUS_NOTIFY_BIND_DRIVER		0x00000004 /* driver about to be bound */
#define BUS_NOTIFY_BOUND_DRIVER		0x00000005 /* driver bound to device */
#define BUS_NOTIFY_UNBIND_DRIVER	0x00000006 /* driver about to be unbound */
#define BUS_NOTIFY_UNBOUND_DRIVER	0x00000007 /* driver is unbound from the device */
#define BUS_NOTIFY_DRIVER_NOT_BOUND	0x00000008 /* driver fails to be bound */

struct kset;
#endif
