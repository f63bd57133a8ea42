/* SPDX-License-Identifier: MIT */
/* platform_demo's driver under ukmem_fail_sweep: every probe failure path comes back clean. */
#include "sweep.h"

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
	struct platform_device *pdev = platform_device_register_full(&info);

	KT_ASSERT(!IS_ERR(pdev));
	KT_EQ(ukmem_modules_init(), 0);
	KT_ASSERT(platform_get_drvdata(pdev) != NULL);
	sweep_driver(pdev, 4);
	ukmem_modules_exit();
	platform_device_unregister(pdev);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
