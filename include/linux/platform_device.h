/* SPDX-License-Identifier: MIT */
/*
 * <linux/platform_device.h>: the platform bus, as Linux 6.1's drivers/base/platform.c.
 * Devices are named "NAME.ID", "NAME" (PLATFORM_DEVID_NONE) or "NAME.ID.auto"; their memory
 * and I/O resources are claimed in the resource tree (iomem_resource) when they are added;
 * drivers match by driver_override, of_match_table (the device's "compatible" list), id_table,
 * then name.  A platform device gets 32-bit DMA masks as the kernel's platform bus gives them.
 */
#ifndef _UKMEM_LINUX_PLATFORM_DEVICE_H
#define _UKMEM_LINUX_PLATFORM_DEVICE_H
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/ioport.h>

#define PLATFORM_DEVID_NONE	(-1)
#define PLATFORM_DEVID_AUTO	(-2)

struct mfd_cell;
struct property_entry;
struct pdev_archdata { char __unused_archdata; };

struct platform_device {
	const char	*name;
	int		id;
	bool		id_auto;
	struct device	dev;
	u64		platform_dma_mask;
	struct device_dma_parameters dma_parms;
	u32		num_resources;
	struct resource	*resource;

	const struct platform_device_id	*id_entry;
	const char *driver_override;	/* kmalloc'd: the only driver that may bind */

	struct mfd_cell *mfd_cell;
	struct pdev_archdata	archdata;
};

#define platform_get_device_id(pdev)	((pdev)->id_entry)
#define dev_is_platform(dev)		((dev)->bus == &platform_bus_type)
#define to_platform_device(x)		container_of((x), struct platform_device, dev)

extern struct bus_type platform_bus_type;
extern struct device platform_bus;

int platform_device_register(struct platform_device *pdev);
void platform_device_unregister(struct platform_device *pdev);

struct resource *platform_get_resource(struct platform_device *dev, unsigned int type,
				       unsigned int num);
struct resource *platform_get_mem_or_io(struct platform_device *dev, unsigned int num);
struct resource *platform_get_resource_byname(struct platform_device *dev, unsigned int type,
					      const char *name);
int platform_get_irq(struct platform_device *dev, unsigned int num);
int platform_get_irq_optional(struct platform_device *dev, unsigned int num);
int platform_irq_count(struct platform_device *dev);
int platform_get_irq_byname(struct platform_device *dev, const char *name);
int platform_get_irq_byname_optional(struct platform_device *dev, const char *name);
int platform_add_devices(struct platform_device **devs, int num);
struct device *platform_find_device_by_driver(struct device *start,
					      const struct device_driver *drv);

/*
 * platform_device_info: what platform_device_register_full() makes a device from.
 * compatible is ukmem's addition (there is no device tree): the device's compatible strings,
 * most specific first, separated by blanks ("vnd,chip-v2 vnd,chip"); drivers'
 * of_match_table is matched against it (see ukmem_device_set_compatible()).
 */
struct platform_device_info {
	struct device *parent;
	struct fwnode_handle *fwnode;
	bool of_node_reused;

	const char *name;
	int id;

	const struct resource *res;
	unsigned int num_res;

	const void *data;
	size_t size_data;
	u64 dma_mask;

	const struct property_entry *properties;
	const char *compatible;
};
struct platform_device *platform_device_register_full(const struct platform_device_info *pdevinfo);

static inline struct platform_device *platform_device_register_resndata(
		struct device *parent, const char *name, int id,
		const struct resource *res, unsigned int num, const void *data, size_t size)
{
	struct platform_device_info pdevinfo = {
		.parent = parent, .name = name, .id = id, .res = res, .num_res = num,
		.data = data, .size_data = size, .dma_mask = 0,
	};

	return platform_device_register_full(&pdevinfo);
}

static inline struct platform_device *platform_device_register_simple(
		const char *name, int id, const struct resource *res, unsigned int num)
{
	return platform_device_register_resndata(NULL, name, id, res, num, NULL, 0);
}

static inline struct platform_device *platform_device_register_data(
		struct device *parent, const char *name, int id, const void *data, size_t size)
{
	return platform_device_register_resndata(parent, name, id, NULL, 0, data, size);
}

struct platform_device *platform_device_alloc(const char *name, int id);
int platform_device_add_resources(struct platform_device *pdev, const struct resource *res,
				  unsigned int num);
int platform_device_add_data(struct platform_device *pdev, const void *data, size_t size);
int platform_device_add(struct platform_device *pdev);
void platform_device_del(struct platform_device *pdev);
void platform_device_put(struct platform_device *pdev);

struct platform_driver {
	int (*probe)(struct platform_device *);
	int (*remove)(struct platform_device *);
	void (*remove_new)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	int (*suspend)(struct platform_device *, pm_message_t state);
	int (*resume)(struct platform_device *);
	struct device_driver driver;
	const struct platform_device_id *id_table;
	bool prevent_deferred_probe;
	bool driver_managed_dma;
};

#define to_platform_driver(drv)	(container_of((drv), struct platform_driver, driver))

#define platform_driver_register(drv)	__platform_driver_register(drv, THIS_MODULE)
int __platform_driver_register(struct platform_driver *drv, struct module *owner);
void platform_driver_unregister(struct platform_driver *drv);

#define platform_driver_probe(drv, probe) __platform_driver_probe(drv, probe, THIS_MODULE)
int __platform_driver_probe(struct platform_driver *driver,
			    int (*probe)(struct platform_device *), struct module *module);

int __platform_register_drivers(struct platform_driver * const *drivers, unsigned int count,
				struct module *owner);
void platform_unregister_drivers(struct platform_driver * const *drivers, unsigned int count);
#define platform_register_drivers(drivers, count) \
	__platform_register_drivers(drivers, count, THIS_MODULE)

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

#define module_platform_driver(__platform_driver) \
	module_driver(__platform_driver, platform_driver_register, platform_driver_unregister)
#define builtin_platform_driver(__platform_driver) \
	builtin_driver(__platform_driver, platform_driver_register)

#define module_platform_driver_probe(__platform_driver, __platform_probe)	\
static int __init __platform_driver##_init(void)				\
{										\
	return platform_driver_probe(&(__platform_driver), __platform_probe);	\
}										\
module_init(__platform_driver##_init);						\
static void __exit __platform_driver##_exit(void)				\
{										\
	platform_driver_unregister(&(__platform_driver));			\
}										\
module_exit(__platform_driver##_exit);

#define builtin_platform_driver_probe(__platform_driver, __platform_probe)	\
static int __init __platform_driver##_init(void)				\
{										\
	return platform_driver_probe(&(__platform_driver), __platform_probe);	\
}										\
device_initcall(__platform_driver##_init);
#endif
