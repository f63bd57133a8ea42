/* SPDX-License-Identifier: MIT */
/*
 * Clocks: ukmem_clk_add's checks; clk_get's clkdev best match (device and connection,
 * device only, connection only, nothing); handles of their own; prepare and enable counts
 * with the kernel's WARNs for enabling an unprepared clock and for unbalanced disable and
 * unprepare; NULL clocks; rates; the devm_clk_get family through a platform driver (the
 * clock is released and disabled at unbind, also when probe fails after taking it); the
 * clk_summary report.
 */
#include <linux/clk.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <ukmem.h>
#include "ktest.h"

static void test_lookup(void)
{
	struct clk *c, *d;

	KT_EQ(ukmem_clk_add(NULL, NULL, 1), -EINVAL);
	KT_EQ(ukmem_clk_add("devA", NULL, 100), 0);
	KT_EQ(ukmem_clk_add("devA", "bus", 200), 0);
	KT_EQ(ukmem_clk_add(NULL, "ref", 300), 0);
	KT_EQ(ukmem_clk_add("devA", "bus", 1), -EEXIST);

	c = clk_get_sys("devA", NULL);
	KT_EQ(clk_get_rate(c), 100);
	clk_put(c);
	c = clk_get_sys("devA", "bus");
	KT_EQ(clk_get_rate(c), 200);
	clk_put(c);
	c = clk_get_sys("devA", "ref");		/* a device match outranks a name match */
	KT_EQ(clk_get_rate(c), 100);
	clk_put(c);
	c = clk_get_sys("devB", "ref");		/* any device's "ref" */
	KT_EQ(clk_get_rate(c), 300);
	clk_put(c);
	c = clk_get_sys("devA", "other");	/* the device's own clock, whatever the name */
	KT_EQ(clk_get_rate(c), 100);
	clk_put(c);
	KT_EQ(PTR_ERR(clk_get_sys("devB", NULL)), -ENOENT);
	KT_EQ(PTR_ERR(clk_get_sys("devB", "bus")), -ENOENT);
	KT_ASSERT(clk_get_optional(NULL, "none") == NULL);

	/* Two handles, one clock. */
	c = clk_get_sys("devA", "bus");
	d = clk_get_sys("devA", "bus");
	KT_ASSERT(c != d && clk_is_match(c, d));
	KT_EQ(clk_set_rate(c, 250), 0);
	KT_EQ(clk_get_rate(d), 250);
	KT_EQ(clk_round_rate(c, 123), 123);
	clk_put(c);
	clk_put(d);
	KT_EQ(ukmem_clk_enable_count("devA", "bus"), 0);
	KT_EQ(ukmem_clk_enable_count("devA", "nope"), -ENOENT);
}

static void test_counts(void)
{
	struct clk *c = clk_get_sys("devA", "bus");
	char *out;

	KT_EQ(clk_prepare_enable(c), 0);
	KT_EQ(clk_prepare_enable(c), 0);
	KT_EQ(ukmem_clk_enable_count("devA", "bus"), 2);
	clk_disable_unprepare(c);
	clk_disable_unprepare(c);
	KT_EQ(ukmem_clk_enable_count("devA", "bus"), 0);

	kt_capture_begin();
	KT_EQ(clk_enable(c), -ESHUTDOWN);
	clk_disable(c);
	clk_unprepare(c);
	out = kt_capture_end();
	KT_CONTAINS(out, "Enabling unprepared devA:bus");
	KT_CONTAINS(out, "devA:bus already disabled");
	KT_CONTAINS(out, "devA:bus already unprepared");
	free(out);
	KT_EQ(ukmem_clk_enable_count("devA", "bus"), 0);
	/* unprepared while still enabled: 6.1's warning */
	kt_capture_begin();
	KT_EQ(clk_prepare(c), 0);
	KT_EQ(clk_enable(c), 0);
	clk_unprepare(c);
	out = kt_capture_end();
	KT_CONTAINS(out, "Unpreparing enabled devA:bus");
	free(out);
	clk_disable(c);
	clk_put(c);

	/* An absent optional clock: every call is a no-op. */
	KT_EQ(clk_prepare_enable(NULL), 0);
	clk_disable_unprepare(NULL);
	KT_EQ(clk_get_rate(NULL), 0);
	KT_EQ(clk_set_rate(NULL, 5), 0);
	clk_put(NULL);
}

/* ---- devm through a driver ---- */
static int mode;
static struct clk *got, *got_opt;

static int clkdrv_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	got = devm_clk_get_enabled(dev, "bus");
	if (IS_ERR(got))
		return PTR_ERR(got);
	got_opt = devm_clk_get_optional(dev, "missing");
	if (IS_ERR(got_opt))
		return PTR_ERR(got_opt);
	if (mode == 1)
		return -EIO;		/* fail after taking the clocks */
	if (mode == 2) {
		struct clk *p = devm_clk_get_prepared(dev, NULL);

		if (IS_ERR(p))
			return PTR_ERR(p);
		devm_clk_put(dev, p);
	}
	return 0;
}

static struct platform_driver clkdrv = {
	.probe = clkdrv_probe,
	.driver = { .name = "clkdrv" },
};

static void test_devm(void)
{
	struct platform_device *pdev;

	KT_EQ(ukmem_clk_add("clkdrv.0", "bus", 50), 0);
	KT_EQ(platform_driver_register(&clkdrv), 0);

	pdev = platform_device_register_simple("clkdrv", 0, NULL, 0);
	KT_ASSERT(device_is_bound(&pdev->dev));
	KT_EQ(clk_get_rate(got), 50);
	KT_ASSERT(got_opt == NULL);
	KT_EQ(ukmem_clk_enable_count("clkdrv.0", "bus"), 1);
	{
		char *out = kt_show("clk_summary");

		KT_CONTAINS(out, "clkdrv.0:bus");
		free(out);
	}
	platform_device_unregister(pdev);
	KT_EQ(ukmem_clk_enable_count("clkdrv.0", "bus"), 0);

	mode = 1;
	pdev = platform_device_register_simple("clkdrv", 0, NULL, 0);
	KT_ASSERT(!device_is_bound(&pdev->dev));
	KT_EQ(ukmem_clk_enable_count("clkdrv.0", "bus"), 0);
	platform_device_unregister(pdev);

	/* A default clock for the device: it now answers any name the device asks for. */
	mode = 2;
	KT_EQ(ukmem_clk_add("clkdrv.0", NULL, 60), 0);
	pdev = platform_device_register_simple("clkdrv", 0, NULL, 0);
	KT_ASSERT(device_is_bound(&pdev->dev));
	KT_EQ(clk_get_rate(got_opt), 60);
	platform_device_unregister(pdev);
	KT_EQ(ukmem_clk_enable_count("clkdrv.0", "bus"), 0);

	/* No clock for this device: probe fails with -ENOENT. */
	mode = 0;
	pdev = platform_device_register_simple("clkdrv", 1, NULL, 0);
	KT_ASSERT(!device_is_bound(&pdev->dev));
	platform_device_unregister(pdev);
	platform_driver_unregister(&clkdrv);
}

int main(void)
{
	test_lookup();
	test_counts();
	test_devm();
	KT_EQ(ukmem_exit(), 4);		/* the four WARNs of test_counts */
	printf("clk: ok\n");
	return 0;
}
