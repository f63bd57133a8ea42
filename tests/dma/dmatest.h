/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the DMA tests: a platform device "dmadev" bound to a platform driver of the
 * same name (so reports read "DMA-API: dmadev dmadev: ") and a fill/check pattern.
 */
#ifndef UKMEM_DMATEST_H
#define UKMEM_DMATEST_H
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>
#include "ktest.h"

static struct device *dt_dev;
static struct platform_device *dt_pdev;

static int dt_probe(struct platform_device *pdev)
{
	dt_dev = &pdev->dev;
	return 0;
}

static struct platform_driver dt_driver = {
	.probe = dt_probe,
	.driver = { .name = "dmadev" },
};

/* Registers "dmadev" and binds the driver to it. */
static __attribute__((unused)) struct device *dt_setup(void)
{
	KT_EQ(platform_driver_register(&dt_driver), 0);
	dt_pdev = platform_device_register_simple("dmadev", -1, NULL, 0);
	KT_ASSERT(!IS_ERR(dt_pdev));
	KT_ASSERT(dt_dev == &dt_pdev->dev);
	return dt_dev;
}

static __attribute__((unused)) void dt_fill(void *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		((unsigned char *)p)[i] = (unsigned char)(seed + i * 7);
}

static __attribute__((unused)) bool dt_check(const void *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		if (((const unsigned char *)p)[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}
#endif
