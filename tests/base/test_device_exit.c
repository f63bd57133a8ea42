/* SPDX-License-Identifier: MIT */
/*
 * ukmem_exit tears the device model down: module exits, then every driver still bound is
 * unbound, then every device still registered (bound, deferred with a reason, holding
 * devres, with children, owned by another device's devres) is unregistered, so no slab
 * object of the model or of its devices is left for the leak check.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/err.h>
#include "basetest.h"

static int probe(struct platform_device *pdev)
{
	if (pdev->id == 2)
		return dev_err_probe(&pdev->dev, -EPROBE_DEFER, "never ready\n");
	return devm_kasprintf(&pdev->dev, GFP_KERNEL, "%s", "held") ? 0 : -ENOMEM;
}

static struct platform_driver drv = { .probe = probe, .driver = { .name = "left" } };
module_platform_driver(drv);

/* An MFD-style parent: its probe registers a child device and hands it to devres, which
 * unregisters it when the parent unbinds.  Both drivers stay registered until exit, which
 * unbinds drivers before deleting devices: the child is unregistered once, by its owner,
 * never first by the exit and then again (freed) by the parent's action. */
static int child_removes, child_unregisters;

static void unregister_child(void *child)
{
	child_unregisters++;
	platform_device_unregister(child);
}

static int mfd_probe(struct platform_device *pdev)
{
	struct platform_device_info info = { .parent = &pdev->dev, .name = "mfd-cell",
					     .id = PLATFORM_DEVID_AUTO };
	struct platform_device *child = platform_device_register_full(&info);

	if (IS_ERR(child))
		return PTR_ERR(child);
	return devm_add_action_or_reset(&pdev->dev, unregister_child, child);
}

static int cell_probe(struct platform_device *pdev)
{
	return 0;
}

static int cell_remove(struct platform_device *pdev)
{
	child_removes++;
	return 0;
}

static struct platform_driver mfd_drv = { .probe = mfd_probe, .driver = { .name = "mfd" } };
static struct platform_driver cell_drv = { .probe = cell_probe, .remove = cell_remove,
					   .driver = { .name = "mfd-cell" } };

int main(void)
{
	struct device *root = root_device_register("left-root");
	struct platform_device *kid;
	char *out;

	KT_ASSERT(!IS_ERR(root));
	KT_ASSERT(devm_kzalloc(root, 100, GFP_KERNEL));
	KT_EQ(ukmem_modules_init(), 0);
	for (int i = 0; i < 3; i++)
		KT_ASSERT(!IS_ERR(platform_device_register_simple("left", i, NULL, 0)));
	kid = platform_device_alloc("left", 7);
	kid->dev.parent = root;
	KT_EQ(platform_device_add(kid), 0);
	KT_ASSERT(device_is_bound(&kid->dev));
	/* The same ownership without a driver: a device tied to a root device's devres. */
	{
		struct device *owner = root_device_register("owner-root");
		struct platform_device *owned = platform_device_register_simple("owned", 0, NULL, 0);

		KT_ASSERT(!IS_ERR(owner) && !IS_ERR(owned));
		KT_EQ(devm_add_action_or_reset(owner, unregister_child, owned), 0);
	}
	KT_EQ(platform_driver_register(&cell_drv), 0);
	KT_EQ(platform_driver_register(&mfd_drv), 0);
	KT_ASSERT(!IS_ERR(platform_device_register_simple("mfd", 0, NULL, 0)));
	out = kt_show("devices_deferred");
	KT_CONTAINS(out, "left.2\tleft: never ready");
	free(out);
	KT_ASSERT(bt_slab_active() > 0);

	kt_capture_begin();
	KT_EQ(ukmem_exit(), 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem: device left.7 still registered at exit: unregistering it");
	KT_CONTAINS(out, "ukmem: device left-root still registered at exit: unregistering it");
	KT_CONTAINS(out, "ukmem: device mfd.0 still registered at exit: unregistering it");
	KT_NOT_CONTAINS(out, "mfd-cell.0.auto still registered");
	free(out);
	KT_EQ(child_removes, 1);
	KT_EQ(child_unregisters, 2);
	KT_EQ(bt_slab_active(), 0);
	printf("test_device_exit: ok\n");
	return 0;
}
