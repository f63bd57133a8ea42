/* SPDX-License-Identifier: MIT */
/*
 * <linux/of_device.h>: matching a device's "compatible" list against a driver's
 * of_match_table (first the most specific compatible, as the kernel's of_match_node).
 */
#ifndef _UKMEM_LINUX_OF_DEVICE_H
#define _UKMEM_LINUX_OF_DEVICE_H
#include <linux/of.h>
#include <linux/device.h>

const struct of_device_id *of_match_device(const struct of_device_id *matches,
					   const struct device *dev);
const void *of_device_get_match_data(const struct device *dev);
const void *device_get_match_data(const struct device *dev);
static inline int of_driver_match_device(struct device *dev, const struct device_driver *drv)
{
	return of_match_device(drv->of_match_table, dev) != NULL;
}
#endif
