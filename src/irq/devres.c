/* SPDX-License-Identifier: MIT */
/*
 * Device-managed interrupt handlers (kernel/irq/devres.c): freed by devres when the driver
 * unbinds or probe fails, last in first out with the driver's other resources.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include "core/core.h"
#include "irq/irq.h"
#include "base/base.h"

struct irq_devres {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(struct device *dev, void *res)
{
	struct irq_devres *this = res;

	free_irq(this->irq, this->dev_id);
}

static int devm_irq_match(struct device *dev, void *res, void *data)
{
	struct irq_devres *this = res, *match = data;

	return this->irq == match->irq && this->dev_id == match->dev_id;
}

/**
 * devm_request_threaded_irq - request_threaded_irq() freed when the driver unbinds
 * @devname: NULL means dev_name(dev)
 *
 * Return: 0 or request_threaded_irq()'s error (-ENOMEM when devres cannot be allocated).
 */
int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id)
{
	struct irq_devres *dr;
	int rc;

	if (ukmem__devres_dev_bad(dev))
		return -EINVAL;
	dr = devres_alloc(devm_irq_release, sizeof(*dr), GFP_KERNEL);
	if (!dr)
		return -ENOMEM;
	if (!devname)
		devname = dev_name(dev);
	rc = request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
	if (rc) {
		devres_free(dr);
		return rc;
	}
	dr->irq = irq;
	dr->dev_id = dev_id;
	devres_add(dev, dr);
	return 0;
}

/**
 * devm_request_any_context_irq - request_any_context_irq() freed when the driver unbinds
 *
 * Return: IRQC_IS_HARDIRQ, or a negative error.
 */
int devm_request_any_context_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
				 unsigned long irqflags, const char *devname, void *dev_id)
{
	struct irq_devres *dr;
	int rc;

	if (ukmem__devres_dev_bad(dev))
		return -EINVAL;
	dr = devres_alloc(devm_irq_release, sizeof(*dr), GFP_KERNEL);
	if (!dr)
		return -ENOMEM;
	if (!devname)
		devname = dev_name(dev);
	rc = request_any_context_irq(irq, handler, irqflags, devname, dev_id);
	if (rc < 0) {
		devres_free(dr);
		return rc;
	}
	dr->irq = irq;
	dr->dev_id = dev_id;
	devres_add(dev, dr);
	return rc;
}

/**
 * devm_free_irq - free a devm-requested handler now (warns when it is not one of @dev's)
 */
void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id)
{
	struct irq_devres match_data = { irq, dev_id };

	WARN_ON(devres_destroy(dev, devm_irq_release, devm_irq_match, &match_data));
	free_irq(irq, dev_id);
}
