/* SPDX-License-Identifier: MIT */
/* A driver hands devm_kzalloc a NULL device (the kernel oopses on its first dereference):
 * ukmem WARNs, names the problem, returns NULL and goes on; nothing is leaked. */
#define BUG_FIRST_LINE	"devres: NULL device"
#define BUG_SIGNAL	0
#include <linux/device.h>
#include <linux/platform_device.h>
#include "bug.h"

static BUG_FN void use(struct device *dev)
{
	void *p = devm_kzalloc(dev, 32, GFP_KERNEL);

	if (p)
		devm_kfree(dev, p);
	NO_TAIL();
}

static void run_with(bool null)
{
	struct platform_device *pdev = platform_device_register_simple("bugdev", -1, NULL, 0);

	KT_ASSERT(!IS_ERR(pdev));
	use(null ? NULL : &pdev->dev);
	platform_device_unregister(pdev);
}

static void buggy(void) { run_with(true); }
static void fixed(void) { run_with(false); }
