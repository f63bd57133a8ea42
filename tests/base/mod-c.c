/* SPDX-License-Identifier: MIT */
/*
 * A test module built without KBUILD_MODNAME (its name is "mod_c", from the file name, as
 * kbuild makes it), with a core_initcall that runs before every module_init, and a platform
 * driver registered with module_platform_driver.
 */
#include <stdio.h>
#include <string.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include "modtrace.h"

static int level;
module_param(level, int, 0444);

static int __init mod_c_early(void)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "c-core(%d)", level);
	modtrace_add(buf);
	return 0;
}
core_initcall(mod_c_early);

static int c_probe(struct platform_device *pdev)
{
	modtrace_add("c-probe");
	return devm_kzalloc(&pdev->dev, 32, GFP_KERNEL) ? 0 : -ENOMEM;
}

static int c_remove(struct platform_device *pdev)
{
	modtrace_add("c-remove");
	return 0;
}

static struct platform_driver c_driver = {
	.probe = c_probe,
	.remove = c_remove,
	.driver = { .name = "mod-c-dev" },
};
module_platform_driver(c_driver);
MODULE_LICENSE("GPL");
