/* SPDX-License-Identifier: MIT */
/*
 * Every devres entry point given a device it cannot use: NULL, an error pointer, and a
 * device that never went through device_initialize (zeroed memory).  The kernel oopses on
 * the first dereference; ukmem WARNs ("devres: NULL device", "... error pointer", "... never
 * initialized"), fails the call the way it fails when nothing matches, frees what it was
 * handed (devres_get's new resource), and corrupts nothing: the process goes on and
 * ukmem_exit() counts exactly the warnings, with no leak: no mapping, region, interrupt or
 * DMA buffer is made for a device that could not manage it.
 */
#include <linux/clk.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/genalloc.h>
#include <linux/hw_random.h>
#include <linux/watchdog.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

static int action_runs;

static void action(void *data)
{
	(void)data;
	action_runs++;
}

static irqreturn_t handler(int irq, void *data)
{
	(void)irq;
	(void)data;
	return IRQ_HANDLED;
}

static int rng_read(struct hwrng *rng, void *data, size_t max, bool wait)
{
	(void)rng;
	(void)wait;
	memset(data, 0x5a, max);
	return (int)max;
}

static int wdt_start(struct watchdog_device *wdd)
{
	(void)wdd;
	return 0;
}

static const struct watchdog_info wdt_info = { .identity = "bad-dev" };
static const struct watchdog_ops wdt_ops = { .start = wdt_start };
static struct hwrng rng = { .name = "bad-dev-rng", .read = rng_read };
static struct watchdog_device wdd = { .info = &wdt_info, .ops = &wdt_ops };

static void release(struct device *dev, void *res)
{
	(void)dev;
	(void)res;
}

/* Calls every entry point once with @dev; returns how many WARNs that must give. */
static int try_all(struct device *dev)
{
	struct resource mem = DEFINE_RES_MEM(0xfe000000, 4096);
	dma_addr_t dma;
	void *res;
	int warns = 0;

	KT_ASSERT(!devm_kmalloc(dev, 16, GFP_KERNEL));			warns++;
	KT_ASSERT(!devm_kzalloc(dev, 16, GFP_KERNEL));			warns++;
	KT_ASSERT(!devm_kcalloc(dev, 4, 4, GFP_KERNEL));		warns++;
	devm_kfree(dev, (void *)0x1000);				warns++;
	KT_ASSERT(!devm_krealloc(dev, (void *)0x1000, 32, GFP_KERNEL));	warns++;
	KT_ASSERT(!devres_find(dev, release, NULL, NULL));		warns++;
	res = devres_alloc(release, 8, GFP_KERNEL);
	KT_ASSERT(res);
	KT_ASSERT(!devres_get(dev, res, NULL, NULL));			warns++;	/* res freed */
	KT_ASSERT(!devres_remove(dev, release, NULL, NULL));		warns++;
	KT_EQ(devres_destroy(dev, release, NULL, NULL), -ENOENT);	warns++;
	KT_EQ(devres_release(dev, release, NULL, NULL), -ENOENT);	warns++;
	KT_ASSERT(!devres_open_group(dev, NULL, GFP_KERNEL));		warns++;
	devres_close_group(dev, NULL);					warns++;
	devres_remove_group(dev, NULL);					warns++;
	KT_EQ(devres_release_group(dev, NULL), 0);			warns++;
	KT_EQ(devm_add_action(dev, action, NULL), -EINVAL);		warns++;
	KT_EQ(devm_add_action_or_reset(dev, action, NULL), -EINVAL);	warns++;	/* runs it */
	devm_remove_action(dev, action, NULL);				warns += 2;	/* + not found */
	devm_release_action(dev, action, NULL);				warns += 2;
	KT_ASSERT(!devm_is_action_added(dev, action, NULL));		warns++;
	KT_EQ(devm_get_free_pages(dev, GFP_KERNEL, 0), 0);		warns++;
	KT_ASSERT(!devm_kstrdup(dev, "x", GFP_KERNEL));		warns++;
	/* other subsystems' devm_ calls ask before they make the resource */
	KT_ASSERT(!devm_ioremap(dev, 0xfe000000, 4096));		warns++;
	KT_EQ(PTR_ERR(devm_ioremap_resource(dev, &mem)), -EINVAL);	warns++;
	KT_ASSERT(!devm_request_mem_region(dev, 0xfe000000, 4096, "x"));	warns++;
	KT_EQ(devm_request_irq(dev, 5, handler, 0, "x", NULL), -EINVAL);	warns++;
	KT_ASSERT(!dmam_alloc_coherent(dev, 4096, &dma, GFP_KERNEL));	warns++;
	KT_ASSERT(!dmam_pool_create("x", dev, 64, 8, 0));		warns++;
	KT_EQ(PTR_ERR(devm_clk_get(dev, NULL)), -EINVAL);		warns++;
	KT_EQ(devm_hwrng_register(dev, &rng), -EINVAL);		warns++;
	KT_EQ(devm_watchdog_register_device(dev, &wdd), -EINVAL);	warns++;
	KT_EQ(PTR_ERR(devm_gen_pool_create(dev, 3, -1, "x")), -EINVAL);	warns++;
	return warns;
}

int main(void)
{
	struct device *never = kzalloc(sizeof(*never), GFP_KERNEL);	/* no device_initialize */
	struct device *devs[] = { NULL, ERR_PTR(-ENODEV), never };
	const char *why[] = { "devres: NULL device", "devres: device is an error pointer (-19)",
			      "was never initialized (device_initialize)" };
	int warns = 0;

	for (int i = 0; i < 3; i++) {
		char *out;
		int n;

		action_runs = 0;
		kt_capture_begin();
		n = try_all(devs[i]);
		out = kt_capture_end();
		KT_CONTAINS(out, why[i]);
		KT_EQ(action_runs, 1);		/* devm_add_action_or_reset ran it, nothing else did */
		warns += n;
		free(out);
	}
	kfree(never);
	KT_EQ(ukmem_exit(), warns);
	printf("test_devres_bad_dev: ok (%d warnings)\n", warns);
	return 0;
}
