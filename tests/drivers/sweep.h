/* SPDX-License-Identifier: MIT */
/*
 * Drives an example driver's every probe failure path: ukmem_fail_sweep binds and unbinds
 * the driver with allocation N failing, N = 1, 2, ... until a bind meets no injection point,
 * and checks after each run that everything the run acquired (memory, mappings, regions,
 * interrupts' memory) came back.  The test then asserts no faulty run, that the sweep went
 * through more than a handful of injection points, and a clean ukmem_exit().
 */
#ifndef UKMEM_DRIVER_SWEEP_H
#define UKMEM_DRIVER_SWEEP_H
#include <stdio.h>
#include <stdlib.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <ukmem.h>
#include "ktest.h"

static int sweep_binds, sweep_failed_probes;

/* One run: bind (probe) and, when the probe succeeded, unbind (remove and devres). */
static int sweep_bind_cycle(void *arg)
{
	struct platform_device *pdev = arg;
	int ret = device_attach(&pdev->dev);

	sweep_binds++;
	if (ret != 1) {
		sweep_failed_probes++;
		return ret < 0 ? ret : -ENODEV;
	}
	device_release_driver(&pdev->dev);
	return 0;
}

/* The driver is registered (and bound) already: unbind it, sweep, and check the outcome. */
static void sweep_driver(struct platform_device *pdev, int min_points)
{
	char *out, *line;
	int faulty, runs = 0, leaked = -1;

	device_release_driver(&pdev->dev);
	kt_capture_begin();
	faulty = ukmem_fail_sweep(sweep_bind_cycle, pdev);
	out = kt_capture_end();
	line = strstr(out, "ukmem_fail_sweep: ");
	while (line && sscanf(line, "ukmem_fail_sweep: %d runs, %d leaked", &runs, &leaked) != 2)
		line = strstr(line + 1, "ukmem_fail_sweep: ");
	if (faulty)
		fputs(out, stderr);
	KT_EQ(faulty, 0);
	KT_EQ(leaked, 0);
	KT_ASSERT(runs >= min_points);
	KT_EQ(sweep_binds, runs);
	KT_EQ(sweep_failed_probes, runs - 1);	/* every run but the last failed its probe */
	free(out);
	KT_EQ(device_attach(&pdev->dev), 1);	/* and the driver still binds */
}
#endif
