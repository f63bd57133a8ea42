/* SPDX-License-Identifier: MIT */
/* uart_demo's driver (ukuart) under ukmem_fail_sweep: every probe failure path (its mapping,
 * region, interrupt, vmalloc'd buffer and kmem_cache) comes back clean. */
#include "sweep.h"
#include "ukuart.h"

int main(void)
{
	struct resource res[] = { DEFINE_RES_MEM(UART_BASE, UART_SIZE), DEFINE_RES_IRQ(UART_IRQ) };
	static struct ukuart_hw hw;
	struct platform_device *pdev;

	KT_EQ(ukmem_mmio_add("ukuart-hw", UART_BASE, UART_SIZE, &ukuart_hw_ops, &hw), 0);
	pdev = platform_device_register_simple("ukuart", 0, res, ARRAY_SIZE(res));
	KT_ASSERT(!IS_ERR(pdev));
	KT_EQ(ukmem_modules_init(), 0);
	KT_ASSERT(platform_get_drvdata(pdev) != NULL);
	sweep_driver(pdev, 6);
	ukmem_modules_exit();
	platform_device_unregister(pdev);
	ukmem_mmio_remove(UART_BASE);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
