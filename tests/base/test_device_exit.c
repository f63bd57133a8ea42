/* SPDX-License-Identifier: MIT */
/*
 * ukmem_exit tears the device model down: module exits, then every device still registered
 * (bound, deferred with a reason, holding devres, with children), so no slab object of the
 * model or of its devices is left for the leak check.
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
	out = kt_show("devices_deferred");
	KT_CONTAINS(out, "left.2\tleft: never ready");
	free(out);
	KT_ASSERT(bt_slab_active() > 0);

	kt_capture_begin();
	KT_EQ(ukmem_exit(), 0);
	out = kt_capture_end();
	KT_CONTAINS(out, "ukmem: device left.7 still registered at exit: unregistering it");
	KT_CONTAINS(out, "ukmem: device left-root still registered at exit: unregistering it");
	free(out);
	KT_EQ(bt_slab_active(), 0);
	printf("test_device_exit: ok\n");
	return 0;
}
