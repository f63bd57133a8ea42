/* SPDX-License-Identifier: MIT */
/*
 * platform_demo's driver: a platform driver written exactly as a kernel driver is.
 *
 * Its probe takes everything with devm_* calls (private data, a ring, a name, an action
 * that "disables the hardware") and its remove does nothing by hand: devres releases it
 * all, newest first, when the driver unbinds, and on every error path of probe.  The demo
 * program (platform_demo.c) and the fault-injection test (tests/drivers) link this file.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/err.h>

static unsigned int ring_size = 64;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "entries in the ring");

struct demo_priv {
	struct device *dev;
	void __iomem *regs;
	int irq;
	u32 *ring;
	const char *label;
	bool enabled;
};

static void demo_disable(void *data)
{
	struct demo_priv *priv = data;

	priv->enabled = false;
	dev_info(priv->dev, "hardware disabled\n");
}

static int demo_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct demo_priv *priv;
	struct resource *res;
	int ret;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->dev = dev;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return dev_err_probe(dev, -EINVAL, "no register window\n");
	priv->irq = platform_get_irq(pdev, 0);
	if (priv->irq < 0)
		return priv->irq;

	priv->ring = devm_kcalloc(dev, ring_size, sizeof(*priv->ring), GFP_KERNEL);
	if (!priv->ring)
		return -ENOMEM;
	priv->label = devm_kasprintf(dev, GFP_KERNEL, "%s-ring%u", dev_name(dev), ring_size);
	if (!priv->label)
		return -ENOMEM;

	priv->enabled = true;
	ret = devm_add_action_or_reset(dev, demo_disable, priv);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, priv);
	dev_info(dev, "probed: regs %pR, irq %d, %s\n", res, priv->irq, priv->label);
	return 0;
}

static int demo_remove(struct platform_device *pdev)
{
	struct demo_priv *priv = platform_get_drvdata(pdev);

	dev_info(&pdev->dev, "remove (devres releases the rest), ring at %px\n", priv->ring);
	return 0;
}

static const struct of_device_id demo_of_match[] = {
	{ .compatible = "ukmem,demo" },
	{ }
};
MODULE_DEVICE_TABLE(of, demo_of_match);

static struct platform_driver demo_driver = {
	.probe = demo_probe,
	.remove = demo_remove,
	.driver = {
		.name = "platform_demo",
		.of_match_table = demo_of_match,
	},
};
module_platform_driver(demo_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ukmem example platform driver");
