/* SPDX-License-Identifier: MIT */
/*
 * platform_demo: a platform driver written exactly as a kernel driver is, and a small
 * program that plays the kernel around it.
 *
 * The driver (platform_demo_drv.c) takes everything with devm_* calls and its remove does
 * nothing by hand: devres releases it all, newest first, when it unbinds.  This program
 * registers the device with a register window and an interrupt, loads the module (module_platform_driver),
 * unbinds and rebinds it, and prints the device's devres listing between the steps.
 * Try UKMEM_CMDLINE="platform_demo.ring_size=1000 devres.log=1".
 */
#include <stdio.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <ukmem.h>

static void show(const char *when, struct platform_device *pdev)
{
	char name[64];

	/* On the console (stderr), in order with the driver's messages. */
	fprintf(stderr, "\n--- devres of %s %s ---\n", dev_name(&pdev->dev), when);
	snprintf(name, sizeof(name), "devres:%s", dev_name(&pdev->dev));
	ukmem_show(name, stderr);
}

int main(void)
{
	struct resource res[] = {
		DEFINE_RES_MEM_NAMED(0xfe200000, 0x1000, "demo-regs"),
		DEFINE_RES_IRQ(9),
	};
	struct platform_device_info info = {
		.name = "demo", .id = 0, .res = res, .num_res = ARRAY_SIZE(res),
		.compatible = "ukmem,demo",
	};
	struct platform_device *pdev;
	int err;

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev))
		return 1;
	show("before the module is loaded", pdev);

	err = ukmem_modules_init();		/* module_init: registers the driver, which binds */
	if (err)
		return 2;
	show("after probe", pdev);

	device_release_driver(&pdev->dev);	/* unbind: remove(), then devres, newest first */
	show("after unbind", pdev);

	if (device_attach(&pdev->dev) != 1)	/* bind again */
		return 3;
	show("after rebind", pdev);

	ukmem_modules_exit();			/* module_exit: unregisters the driver */
	platform_device_unregister(pdev);
	fprintf(stderr, "\nplatform_demo: %d problems\n", ukmem_exit());
	return 0;
}
