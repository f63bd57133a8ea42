/* SPDX-License-Identifier: MIT */
/*
 * The platform bus (drivers/base/platform.c): platform devices (a name, an id, resources,
 * platform data), platform drivers, their matching and probing, and resource lookups.
 *
 * Invariants: a platform device made by platform_device_alloc lives in a platform_object
 * (the device and its name in one kmalloc object) freed by platform_device_release with its
 * resources, data and driver_override.  While added, its MEM and IO resources are in the
 * resource tree (iomem_resource / ioport_resource, or the parent the resource names), named
 * after the device when they have no name.  Automatic ids come from platform.ids, the lowest
 * free id first, as the kernel's ida.
 * Locking: platform.lock guards the id map only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ukmem.h>
#include <linux/platform_device.h>
#include <linux/of_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "core/bits.h"
#include "core/core.h"
#include "base/base.h"

#define PLATFORM_DMA_MASK_32	0xffffffffULL	/* DMA_BIT_MASK(32) */

static struct {
	pthread_mutex_t lock;
	unsigned long *ids;		/* PLATFORM_DEVID_AUTO ids in use (bitmap) */
	unsigned int nr_ids;		/* bits in ids */
} platform = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void platform_bus_release(struct device *dev)
{
}

struct device platform_bus = {
	.init_name = "platform",
	.release = platform_bus_release,
};

/* ---- automatic ids ---- */
static int id_alloc(void)
{
	unsigned int i;
	int id = -ENOMEM;

	pthread_mutex_lock(&platform.lock);
	i = ukmem__bits_next(platform.ids, platform.nr_ids, 0, false);
	if (i < platform.nr_ids) {
		id = (int)i;
	} else {
		unsigned int nr = platform.nr_ids ? platform.nr_ids * 2 : 256;
		unsigned long *ids = realloc(platform.ids, nr / 8);

		if (ids) {
			memset((char *)ids + platform.nr_ids / 8, 0, (nr - platform.nr_ids) / 8);
			id = (int)platform.nr_ids;
			platform.ids = ids;
			platform.nr_ids = nr;
		}
	}
	if (id >= 0)
		ukmem__bits_assign(platform.ids, id, 1, true);
	pthread_mutex_unlock(&platform.lock);
	return id;
}

static void id_free(int id)
{
	pthread_mutex_lock(&platform.lock);
	if (ALWAYS(id >= 0 && (unsigned int)id < platform.nr_ids))
		ukmem__bits_assign(platform.ids, id, 1, false);
	pthread_mutex_unlock(&platform.lock);
}

/* ---- resources ---- */

/**
 * platform_get_resource - the @num-th resource of @type
 * @dev: the platform device
 * @type: IORESOURCE_MEM, IORESOURCE_IO, IORESOURCE_IRQ, ...
 * @num: the index among resources of that type
 *
 * Return: the resource, or NULL.
 */
struct resource *platform_get_resource(struct platform_device *dev, unsigned int type,
				       unsigned int num)
{
	for (u32 i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];

		if (type == resource_type(r) && num-- == 0)
			return r;
	}
	return NULL;
}

/**
 * platform_get_mem_or_io - the @num-th memory or I/O resource
 * @dev: the platform device
 * @num: the index among MEM and IO resources
 *
 * Return: the resource, or NULL.
 */
struct resource *platform_get_mem_or_io(struct platform_device *dev, unsigned int num)
{
	for (u32 i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];

		if ((resource_type(r) & (IORESOURCE_MEM | IORESOURCE_IO)) && num-- == 0)
			return r;
	}
	return NULL;
}

/**
 * platform_get_resource_byname - the resource of @type named @name
 * @dev: the platform device
 * @type: the resource type
 * @name: the name
 *
 * Return: the resource, or NULL.
 */
struct resource *platform_get_resource_byname(struct platform_device *dev, unsigned int type,
					      const char *name)
{
	for (u32 i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];

		if (unlikely(!r->name))
			continue;
		if (type == resource_type(r) && !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

/**
 * ukmem__platform_irq_trigger_register - the interrupt layer gives its trigger-type setter
 */
void ukmem__platform_irq_trigger_register(int (*fn)(unsigned int irq, unsigned long type))
{
	ukmem__base.irq_set_trigger = fn;
}

/**
 * platform_get_irq_optional - the @num-th interrupt, without an error message
 * @dev: the platform device
 * @num: the index among IRQ resources
 *
 * As 6.1, a resource with trigger bits (IORESOURCE_IRQ_HIGHEDGE ... _LOWLEVEL, the
 * IRQF_TRIGGER_* values) makes them the line's trigger type, which requesters that give
 * none inherit and sharers must match.
 * Return: the interrupt number, -ENXIO when there is none (or a resource with trigger bits
 * names a line that does not exist), -EINVAL for interrupt 0.
 */
int platform_get_irq_optional(struct platform_device *dev, unsigned int num)
{
	struct resource *r = platform_get_resource(dev, IORESOURCE_IRQ, num);
	int ret = r ? (int)r->start : -ENXIO;

	if (r && (r->flags & IORESOURCE_BITS) && ukmem__base.irq_set_trigger &&
	    ukmem__base.irq_set_trigger((unsigned int)r->start, r->flags & IORESOURCE_BITS))
		ret = -ENXIO;

	if (WARN(!ret, "0 is an invalid IRQ number\n"))
		return -EINVAL;
	return ret;
}

/**
 * platform_get_irq - the @num-th interrupt; "IRQ index N not found" when there is none
 * @dev: the platform device
 * @num: the index
 *
 * Return: the interrupt number, or -errno.
 */
int platform_get_irq(struct platform_device *dev, unsigned int num)
{
	int ret = platform_get_irq_optional(dev, num);

	if (ret < 0)
		return dev_err_probe(&dev->dev, ret, "IRQ index %u not found\n", num);
	return ret;
}

/**
 * platform_irq_count - how many interrupts the device has
 * @dev: the platform device
 *
 * Return: the count.
 */
int platform_irq_count(struct platform_device *dev)
{
	int ret, nr = 0;

	while ((ret = platform_get_irq_optional(dev, nr)) >= 0)
		nr++;
	if (ret == -EPROBE_DEFER)
		return ret;
	return nr;
}

static int __platform_get_irq_byname(struct platform_device *dev, const char *name)
{
	struct resource *r = platform_get_resource_byname(dev, IORESOURCE_IRQ, name);

	if (r) {
		if (WARN(!r->start, "0 is an invalid IRQ number\n"))
			return -EINVAL;
		return (int)r->start;
	}
	return -ENXIO;
}

/**
 * platform_get_irq_byname - the interrupt named @name; "IRQ NAME not found" when none
 * @dev: the platform device
 * @name: the name
 *
 * Return: the interrupt number, or -errno.
 */
int platform_get_irq_byname(struct platform_device *dev, const char *name)
{
	int ret = __platform_get_irq_byname(dev, name);

	if (ret < 0)
		return dev_err_probe(&dev->dev, ret, "IRQ %s not found\n", name);
	return ret;
}

/**
 * platform_get_irq_byname_optional - platform_get_irq_byname() without the message
 * @dev: the platform device
 * @name: the name
 *
 * Return: the interrupt number, or -errno.
 */
int platform_get_irq_byname_optional(struct platform_device *dev, const char *name)
{
	return __platform_get_irq_byname(dev, name);
}

/* ---- devices ---- */
struct platform_object {
	struct platform_device pdev;
	char name[];
};

static void setup_pdev_dma_masks(struct platform_device *pdev)
{
	pdev->dev.dma_parms = &pdev->dma_parms;
	if (!pdev->dev.coherent_dma_mask)
		pdev->dev.coherent_dma_mask = PLATFORM_DMA_MASK_32;
	if (!pdev->dev.dma_mask) {
		pdev->platform_dma_mask = PLATFORM_DMA_MASK_32;
		pdev->dev.dma_mask = &pdev->platform_dma_mask;
	}
}

static void platform_device_release(struct device *dev)
{
	struct platform_object *pa = container_of(dev, struct platform_object, pdev.dev);

	kfree(pa->pdev.dev.platform_data);
	kfree(pa->pdev.resource);
	kfree(pa->pdev.driver_override);
	kfree(pa);
}

bool ukmem__is_platform_device(struct device *dev)
{
	return dev->bus == &platform_bus_type;
}

/**
 * platform_device_put - drop a reference to a platform device
 * @pdev: the device, or NULL
 */
void platform_device_put(struct platform_device *pdev)
{
	if (!IS_ERR_OR_NULL(pdev))
		put_device(&pdev->dev);
}

/**
 * platform_device_alloc - make a platform device, not yet added
 * @name: the base name
 * @id: the instance (PLATFORM_DEVID_NONE, PLATFORM_DEVID_AUTO, or a number)
 *
 * Return: the device (give it up with platform_device_put), or NULL.
 */
struct platform_device *platform_device_alloc(const char *name, int id)
{
	struct platform_object *pa;

	ukmem__ensure_started();
	pa = kzalloc(sizeof(*pa) + strlen(name) + 1, GFP_KERNEL);
	if (!pa)
		return NULL;
	strcpy(pa->name, name);
	pa->pdev.name = pa->name;
	pa->pdev.id = id;
	device_initialize(&pa->pdev.dev);
	pa->pdev.dev.release = platform_device_release;
	setup_pdev_dma_masks(&pa->pdev);
	return &pa->pdev;
}

/**
 * platform_device_add_resources - give a device a copy of @res
 * @pdev: the device (not yet added)
 * @res: the resources, or NULL
 * @num: how many
 *
 * Return: 0, or -ENOMEM.
 */
int platform_device_add_resources(struct platform_device *pdev, const struct resource *res,
				  unsigned int num)
{
	struct resource *r = NULL;

	if (res) {
		r = kmemdup(res, sizeof(struct resource) * num, GFP_KERNEL);
		if (!r)
			return -ENOMEM;
	}
	kfree(pdev->resource);
	pdev->resource = r;
	pdev->num_resources = num;
	return 0;
}

/**
 * platform_device_add_data - give a device a copy of its platform data
 * @pdev: the device (not yet added)
 * @data: the data, or NULL
 * @size: its size
 *
 * Return: 0, or -ENOMEM.
 */
int platform_device_add_data(struct platform_device *pdev, const void *data, size_t size)
{
	void *d = NULL;

	if (data) {
		d = kmemdup(data, size, GFP_KERNEL);
		if (!d)
			return -ENOMEM;
	}
	kfree(pdev->dev.platform_data);
	pdev->dev.platform_data = d;
	return 0;
}

static void release_resources(struct platform_device *pdev, u32 n)
{
	while (n--) {
		struct resource *r = &pdev->resource[n];

		if (r->parent)
			release_resource(r);
	}
}

/**
 * platform_device_add - add a platform device: name it, claim its resources, probe drivers
 * @pdev: the device
 *
 * A resource that collides with one already in the tree fails the add with "failed to claim
 * resource N" and -EBUSY.  Unnamed resources take the device's name; added again (after
 * platform_device_del() or a failed add), resources named so take the new name (6.1 leaves
 * them the old one, which dev_set_name frees).
 * Return: 0 or -errno.
 */
int platform_device_add(struct platform_device *pdev)
{
	uintptr_t old_name;
	u32 i;
	int ret;

	if (!pdev)
		return -EINVAL;
	ukmem__ensure_started();
	/* Added before (then deleted, or the add failed): the resources it named carry the
	 * name that dev_set_name frees below; they take the new one. */
	old_name = (uintptr_t)pdev->dev.p.name;
	if (!pdev->dev.parent)
		pdev->dev.parent = &platform_bus;
	pdev->dev.bus = &platform_bus_type;

	switch (pdev->id) {
	default:
		ret = dev_set_name(&pdev->dev, "%s.%d", pdev->name, pdev->id);
		break;
	case PLATFORM_DEVID_NONE:
		ret = dev_set_name(&pdev->dev, "%s", pdev->name);
		break;
	case PLATFORM_DEVID_AUTO:
		ret = id_alloc();
		if (ret < 0)
			return ret;
		pdev->id = ret;
		pdev->id_auto = true;
		ret = dev_set_name(&pdev->dev, "%s.%d.auto", pdev->name, pdev->id);
		break;
	}
	if (ret)
		goto err_id;

	for (i = 0; i < pdev->num_resources; i++) {
		struct resource *p, *r = &pdev->resource[i];

		if (r->name == NULL || (old_name && (uintptr_t)r->name == old_name))
			r->name = dev_name(&pdev->dev);
		p = r->parent;
		if (!p) {
			if (resource_type(r) == IORESOURCE_MEM)
				p = &iomem_resource;
			else if (resource_type(r) == IORESOURCE_IO)
				p = &ioport_resource;
		}
		if (p) {
			ret = insert_resource(p, r);
			if (ret) {
				dev_err(&pdev->dev, "failed to claim resource %u: %pR\n", i, r);
				goto failed;
			}
		}
	}

	ret = device_add(&pdev->dev);
	if (ret == 0)
		return ret;
failed:
	release_resources(pdev, i);
err_id:
	if (pdev->id_auto) {
		id_free(pdev->id);
		pdev->id = PLATFORM_DEVID_AUTO;
		pdev->id_auto = false;
	}
	return ret;
}

/**
 * platform_device_del - remove a platform device (its resources leave the tree)
 * @pdev: the device
 */
void platform_device_del(struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		return;
	device_del(&pdev->dev);
	if (pdev->id_auto) {
		id_free(pdev->id);
		pdev->id = PLATFORM_DEVID_AUTO;
		pdev->id_auto = false;
	}
	release_resources(pdev, pdev->num_resources);
}

/**
 * platform_device_register - add a platform device the caller allocated
 * @pdev: the device (with a release function of its own)
 *
 * Return: 0 or -errno.
 */
int platform_device_register(struct platform_device *pdev)
{
	device_initialize(&pdev->dev);
	setup_pdev_dma_masks(pdev);
	return platform_device_add(pdev);
}

/**
 * platform_device_unregister - platform_device_del() then drop the reference
 * @pdev: the device
 */
void platform_device_unregister(struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		return;
	platform_device_del(pdev);
	platform_device_put(pdev);
}

/**
 * platform_device_register_full - make and add a platform device from a description
 * @pdevinfo: name, id, parent, resources, data, DMA mask, compatible list
 *
 * Return: the device, or an ERR_PTR.
 */
struct platform_device *platform_device_register_full(const struct platform_device_info *pdevinfo)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(pdevinfo->name, pdevinfo->id);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	pdev->dev.parent = pdevinfo->parent;
	pdev->dev.fwnode = pdevinfo->fwnode;
	pdev->dev.of_node = of_node_get(to_of_node(pdev->dev.fwnode));
	pdev->dev.of_node_reused = pdevinfo->of_node_reused;
	if (pdevinfo->dma_mask) {
		pdev->platform_dma_mask = pdevinfo->dma_mask;
		pdev->dev.dma_mask = &pdev->platform_dma_mask;
		pdev->dev.coherent_dma_mask = pdevinfo->dma_mask;
	}
	ret = platform_device_add_resources(pdev, pdevinfo->res, pdevinfo->num_res);
	if (ret)
		goto err;
	ret = platform_device_add_data(pdev, pdevinfo->data, pdevinfo->size_data);
	if (ret)
		goto err;
	if (pdevinfo->compatible) {
		ret = ukmem_device_set_compatible(&pdev->dev, pdevinfo->compatible);
		if (ret)
			goto err;
	}
	ret = platform_device_add(pdev);
	if (ret) {
err:
		platform_device_put(pdev);
		return ERR_PTR(ret);
	}
	return pdev;
}

/**
 * platform_add_devices - register several platform devices; all or none
 * @devs: the devices
 * @num: how many
 *
 * Return: 0 or the first error.
 */
int platform_add_devices(struct platform_device **devs, int num)
{
	int i, ret = 0;

	for (i = 0; i < num; i++) {
		ret = platform_device_register(devs[i]);
		if (ret) {
			while (--i >= 0)
				platform_device_unregister(devs[i]);
			break;
		}
	}
	return ret;
}

/* ---- drivers ---- */

/**
 * __platform_driver_register - register a platform driver (platform_driver_register)
 * @drv: the driver
 * @owner: its module
 *
 * Return: 0 or -errno (see driver_register()).
 */
int __platform_driver_register(struct platform_driver *drv, struct module *owner)
{
	/* Written only when they change: a walk that still holds the driver from an earlier
	 * registration may be reading them. */
	if (drv->driver.owner != owner)
		drv->driver.owner = owner;
	if (drv->driver.bus != &platform_bus_type)
		drv->driver.bus = &platform_bus_type;
	return driver_register(&drv->driver);
}

/**
 * platform_driver_unregister - unregister a platform driver (unbinding its devices)
 * @drv: the driver
 */
void platform_driver_unregister(struct platform_driver *drv)
{
	driver_unregister(&drv->driver);
}

static int platform_probe_fail(struct platform_device *pdev)
{
	return -ENXIO;
}

/**
 * __platform_driver_probe - register a driver for devices that exist already, once
 * @drv: the driver
 * @probe: its probe
 * @module: its module
 *
 * The driver binds to the devices present now; later devices are refused, and deferral is
 * not supported.  When it binds nothing, it is unregistered again.  Its probe_type becomes
 * PROBE_FORCE_SYNCHRONOUS, as in 6.1.
 * Return: 0, -ENODEV when nothing bound, or -errno.
 */
int __platform_driver_probe(struct platform_driver *drv, int (*probe)(struct platform_device *),
			    struct module *module)
{
	int retval, code;

	if (drv->driver.probe_type == PROBE_PREFER_ASYNCHRONOUS) {
		pr_err("%s: drivers registered with %s can not be probed asynchronously\n",
		       drv->driver.name, __func__);
		return -EINVAL;
	}
	/* It checks what bound when the registration returns: probes are synchronous. */
	drv->driver.probe_type = PROBE_FORCE_SYNCHRONOUS;
	drv->prevent_deferred_probe = true;
	drv->driver.suppress_bind_attrs = true;
	drv->probe = probe;
	retval = code = __platform_driver_register(drv, module);
	if (retval)
		return retval;
	drv->probe = platform_probe_fail;
	pthread_mutex_lock(&ukmem__base.lock);
	if (code == 0 && list_empty(&drv->driver.p->devices))
		retval = -ENODEV;
	pthread_mutex_unlock(&ukmem__base.lock);
	if (retval)
		platform_driver_unregister(drv);
	return retval;
}

/**
 * __platform_register_drivers - register several platform drivers; all or none
 * @drivers: the drivers
 * @count: how many
 * @owner: their module
 *
 * Return: 0 or the first error.
 */
int __platform_register_drivers(struct platform_driver * const *drivers, unsigned int count,
				struct module *owner)
{
	unsigned int i;
	int err;

	for (i = 0; i < count; i++) {
		err = __platform_driver_register(drivers[i], owner);
		if (err < 0) {
			pr_err("failed to register platform driver %ps: %d\n", drivers[i], err);
			while (i--)
				platform_driver_unregister(drivers[i]);
			return err;
		}
	}
	return 0;
}

/**
 * platform_unregister_drivers - unregister drivers, last first
 * @drivers: the drivers
 * @count: how many
 */
void platform_unregister_drivers(struct platform_driver * const *drivers, unsigned int count)
{
	while (count--)
		platform_driver_unregister(drivers[count]);
}

static int platform_match_driver(struct device *dev, const void *drv)
{
	return __atomic_load_n(&dev->driver, __ATOMIC_RELAXED) == drv;
}

/**
 * platform_find_device_by_driver - a platform device bound to @drv (after @start)
 * @start: begin after this device, or NULL
 * @drv: the driver
 *
 * Return: the device with a reference taken, or NULL.
 */
struct device *platform_find_device_by_driver(struct device *start,
					      const struct device_driver *drv)
{
	return bus_find_device(&platform_bus_type, start, drv, platform_match_driver);
}

/* ---- the bus ---- */
static const struct platform_device_id *platform_match_id(const struct platform_device_id *id,
							  struct platform_device *pdev)
{
	for (; id->name[0]; id++)
		if (strcmp(pdev->name, id->name) == 0) {
			pdev->id_entry = id;
			return id;
		}
	return NULL;
}

static int platform_match(struct device *dev, struct device_driver *drv)
{
	struct platform_device *pdev = to_platform_device(dev);
	struct platform_driver *pdrv = to_platform_driver(drv);

	if (pdev->driver_override)
		return !strcmp(pdev->driver_override, drv->name);
	if (of_driver_match_device(dev, drv))
		return 1;
	if (pdrv->id_table)
		return platform_match_id(pdrv->id_table, pdev) != NULL;
	return strcmp(pdev->name, drv->name) == 0;
}

static int platform_probe(struct device *_dev)
{
	struct platform_driver *drv = to_platform_driver(_dev->driver);
	struct platform_device *dev = to_platform_device(_dev);
	int ret = 0;

	if (unlikely(drv->probe == platform_probe_fail))
		return -ENXIO;
	if (drv->probe)
		ret = drv->probe(dev);
	if (drv->prevent_deferred_probe && ret == -EPROBE_DEFER) {
		dev_warn(_dev, "probe deferral not supported\n");
		ret = -ENXIO;
	}
	return ret;
}

static void platform_remove(struct device *_dev)
{
	struct platform_driver *drv = to_platform_driver(_dev->driver);
	struct platform_device *dev = to_platform_device(_dev);

	if (drv->remove_new) {
		drv->remove_new(dev);
	} else if (drv->remove) {
		int ret = drv->remove(dev);

		if (ret)
			dev_warn(_dev, "remove callback returned a non-zero value. This will be ignored.\n");
	}
}

static void platform_shutdown(struct device *_dev)
{
	struct platform_driver *drv;

	if (!_dev->driver)
		return;
	drv = to_platform_driver(_dev->driver);
	if (drv->shutdown)
		drv->shutdown(to_platform_device(_dev));
}

struct bus_type platform_bus_type = {
	.name		= "platform",
	.match		= platform_match,
	.probe		= platform_probe,
	.remove		= platform_remove,
	.shutdown	= platform_shutdown,
};

int ukmem__platform_bus_init(void)
{
	int err;

	if (platform_bus.p.registered)
		return 0;
	err = device_register(&platform_bus);
	if (err) {
		put_device(&platform_bus);
		return err;
	}
	err = bus_register(&platform_bus_type);
	if (err)
		device_unregister(&platform_bus);
	return err;
}
