/* SPDX-License-Identifier: MIT */
/*
 * <linux/device/driver.h>: drivers.  A driver registers on a bus; the bus matches it against
 * every device without a driver and probes the matches.  Fields as Linux 6.1.  Probing is
 * always synchronous here (probe_type is accepted; see docs/device-model.md).
 */
#ifndef _UKMEM_LINUX_DEVICE_DRIVER_H
#define _UKMEM_LINUX_DEVICE_DRIVER_H
#include <linux/types.h>
#include <linux/device/bus.h>
#include <linux/module.h>

enum probe_type {
	PROBE_DEFAULT_STRATEGY,
	PROBE_PREFER_ASYNCHRONOUS,
	PROBE_FORCE_SYNCHRONOUS,
};

struct of_device_id;
struct acpi_device_id;
struct driver_private;

struct device_driver {
	const char *name;
	struct bus_type *bus;

	struct module *owner;
	const char *mod_name;

	bool suppress_bind_attrs;
	enum probe_type probe_type;

	const struct of_device_id *of_match_table;
	const struct acpi_device_id *acpi_match_table;

	int (*probe)(struct device *dev);
	void (*sync_state)(struct device *dev);
	int (*remove)(struct device *dev);
	void (*shutdown)(struct device *dev);
	int (*suspend)(struct device *dev, pm_message_t state);
	int (*resume)(struct device *dev);
	const struct attribute_group **groups;
	const struct attribute_group **dev_groups;

	const struct dev_pm_ops *pm;
	void (*coredump)(struct device *dev);

	struct driver_private *p;	/* the device core's own state */
};

int __must_check driver_register(struct device_driver *drv);
void driver_unregister(struct device_driver *drv);
struct device_driver *driver_find(const char *name, struct bus_type *bus);
int driver_probe_done(void);
void wait_for_device_probe(void);
int __must_check driver_attach(struct device_driver *drv);
int driver_for_each_device(struct device_driver *drv, struct device *start, void *data,
			   int (*fn)(struct device *dev, void *));
struct device *driver_find_device(struct device_driver *drv, struct device *start,
				  const void *data,
				  int (*match)(struct device *dev, const void *data));
static inline struct device *driver_find_device_by_name(struct device_driver *drv,
							const char *name)
{
	return driver_find_device(drv, NULL, name, device_match_name);
}
int driver_set_override(struct device *dev, const char **override, const char *s, size_t len);
void driver_deferred_probe_add(struct device *dev);
int driver_deferred_probe_check_state(struct device *dev);

/*
 * module_driver(): a module whose init registers one driver and whose exit unregisters it;
 * builtin_driver(): the same without an exit.
 */
#define module_driver(__driver, __register, __unregister, ...)			\
static int __init __driver##_init(void)						\
{										\
	return __register(&(__driver), ##__VA_ARGS__);				\
}										\
module_init(__driver##_init);							\
static void __exit __driver##_exit(void)					\
{										\
	__unregister(&(__driver), ##__VA_ARGS__);				\
}										\
module_exit(__driver##_exit);

#define builtin_driver(__driver, __register, ...)				\
static int __init __driver##_init(void)						\
{										\
	return __register(&(__driver), ##__VA_ARGS__);				\
}										\
device_initcall(__driver##_init);
#endif
