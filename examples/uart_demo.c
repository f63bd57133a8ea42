/* SPDX-License-Identifier: MIT */
/*
 * uart_demo: a kernel-style platform driver for a small emulated UART, run against ukmem.
 *
 * The device side (ukuart_hw.c) is what a test or a board file provides; the driver
 * (ukuart_drv.c) is written exactly as a Linux driver (ukuart.h says what each file holds).
 *
 * The run: register the device, load the driver (probe), transmit, receive two messages
 * through interrupts, show /proc-style excerpts (iomem, interrupts, vmallocinfo, slabinfo),
 * write physmap.svg, unbind, unload, and end with ukmem_exit's leak check.
 * Usage: uart_demo [where to write physmap.svg]  (default ./uart_demo_physmap.svg)
 * With UKMEM_CMDLINE=ukuart.bug=1 the interrupt handler allocates with GFP_KERNEL in
 * hard-irq context, a classic bug, which ukmem reports as the kernel does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include "ukuart.h"

/* ============================ the demo program ============================ */
static void excerpt(const char *report, const char *const *keep)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ukmem_show(report, f);
	fclose(f);
	printf("---- %s (excerpt) ----\n", report);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		for (const char *const *k = keep; *k; k++)
			if (strstr(line, *k)) {
				printf("%s\n", line);
				break;
			}
	free(buf);
}

int main(int argc, char **argv)
{
	static const char *const iomem_keep[] = { "RAM", "Reserved", "ukuart", NULL };
	static const char *const irq_keep[] = { "CPUs", "ukuart", NULL };
	static const char *const vm_keep[] = { "ukuart", "ioremap", NULL };
	static const char *const slab_keep[] = { "slabinfo", "# name", "ukuart_msg", NULL };
	struct resource res[] = { DEFINE_RES_MEM(UART_BASE, UART_SIZE), DEFINE_RES_IRQ(UART_IRQ) };
	static struct ukuart_hw hw;
	struct platform_device *pdev;
	struct ukuart *u;
	const char *svg_path = argc > 1 ? argv[1] : "uart_demo_physmap.svg";
	FILE *svg;
	int problems;

	setvbuf(stdout, NULL, _IONBF, 0);	/* keep order with the console (stderr) */
	/* the board: an emulated UART and its platform device */
	if (ukmem_mmio_add("ukuart-hw", UART_BASE, UART_SIZE, &ukuart_hw_ops, &hw))
		return 1;
	pdev = platform_device_register_simple("ukuart", 0, res, ARRAY_SIZE(res));
	if (IS_ERR(pdev))
		return 1;

	/* load: module_init registers the driver, which probes the device */
	if (ukmem_modules_init())
		return 1;
	u = platform_get_drvdata(pdev);
	if (!u)
		return 1;

	/* use */
	ukuart_tx(u, "hello from ukuart\n");
	printf("uart_demo: the device transmitted: %s", hw.tx);
	ukuart_hw_receive(&hw, "ping");
	synchronize_irq(u->irq);
	ukuart_hw_receive(&hw, "pong");
	synchronize_irq(u->irq);

	if (!ukuart_bug) {
		excerpt("iomem", iomem_keep);
		excerpt("interrupts", irq_keep);
		excerpt("vmallocinfo", vm_keep);
		excerpt("slabinfo", slab_keep);
		svg = fopen(svg_path, "w");
		if (svg) {
			ukmem_show("physmap.svg", svg);
			fclose(svg);
			printf("uart_demo: wrote %s\n", svg_path);
		}
	}

	/* unbind, unload, unplug */
	device_release_driver(&pdev->dev);
	if (!ukuart_bug) {
		excerpt("iomem", iomem_keep);
		excerpt("vmallocinfo", vm_keep);
	}
	ukmem_modules_exit();
	platform_device_unregister(pdev);
	ukmem_mmio_remove(UART_BASE);

	problems = ukmem_exit();
	printf("uart_demo: ukmem_exit found %d problem%s\n", problems, problems == 1 ? "" : "s");
	return problems ? 2 : 0;
}
