/* SPDX-License-Identifier: MIT */
/*
 * The device model and the platform bus: naming, resources in the iomem tree, DMA masks,
 * matching (name, id_table, of_match_table, driver_override), probe failure at every step
 * releasing exactly what was acquired, unbind/rebind cycles leaving no memory behind, bus
 * notifier events, deferred probe, dev_* printing, IRQ and resource lookups, and shut-down
 * unregistering what is left.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/mod_devicetable.h>
#include <linux/of_device.h>
#include <linux/err.h>
#include "basetest.h"

/* ---- a driver whose probe acquires NSTEPS resources and can fail at any step ---- */
#define NSTEPS 6
static int fail_at = -1;		/* step to fail at, -1 for none */
static int probes, removes;

static int steps_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	probes++;
	for (int i = 0; i < NSTEPS; i++) {
		if (i == fail_at)
			return -EIO;
		switch (i % 3) {
		case 0:
			if (!devm_kzalloc(dev, 64 << i, GFP_KERNEL))
				return -ENOMEM;
			break;
		case 1:
			if (devm_add_action_or_reset(dev, bt_record, (void *)(long)(i + 1)))
				return -ENOMEM;
			break;
		case 2:
			if (!devm_kasprintf(dev, GFP_KERNEL, "step %d of %s", i, dev_name(dev)))
				return -ENOMEM;
			break;
		}
	}
	platform_set_drvdata(pdev, pdev);
	return 0;
}

static int steps_remove(struct platform_device *pdev)
{
	removes++;
	KT_ASSERT(platform_get_drvdata(pdev) == pdev);
	return 0;
}

static struct platform_driver steps_driver = {
	.probe = steps_probe,
	.remove = steps_remove,
	.driver = { .name = "steps" },
};

static void test_probe_failure_each_step(void)
{
	struct platform_device *pdev = platform_device_register_simple("steps", 0, NULL, 0);
	long slab0;

	KT_ASSERT(!IS_ERR(pdev));
	slab0 = bt_slab_active();
	for (fail_at = 0; fail_at < NSTEPS; fail_at++) {
		char *out;

		bt_log_reset();
		kt_capture_begin();
		KT_EQ(platform_driver_register(&steps_driver), 0);
		out = kt_capture_end();
		KT_CONTAINS(out, "steps: probe of steps.0 failed with error -5");
		free(out);
		KT_ASSERT(!pdev->dev.driver && !device_is_bound(&pdev->dev));
		KT_ASSERT(!platform_get_drvdata(pdev));
		/* The actions acquired before the failing step ran, newest first. */
		if (fail_at <= 1)
			KT_EQ(bt_log.n, 0);
		else if (fail_at <= 4)
			BT_LOG_EQ(2);
		else
			BT_LOG_EQ(5, 2);
		KT_ASSERT(list_empty(&pdev->dev.devres_head));
		KT_EQ(bt_slab_active(), slab0);
		platform_driver_unregister(&steps_driver);
	}
	fail_at = -1;
	platform_device_unregister(pdev);
	KT_EQ(ukmem_report_count(), 0);
}

static void test_unbind_rebind_no_leak(void)
{
	struct platform_device *pdev;
	unsigned long pages1;
	long slab0, slab1;

	slab0 = bt_slab_active();
	pdev = platform_device_register_simple("steps", 3, NULL, 0);
	KT_ASSERT(!IS_ERR(pdev));
	probes = removes = 0;
	KT_EQ(platform_driver_register(&steps_driver), 0);
	KT_ASSERT(device_is_bound(&pdev->dev));
	device_release_driver(&pdev->dev);		/* warm-up cycle */
	KT_EQ(device_attach(&pdev->dev), 1);
	device_release_driver(&pdev->dev);
	pages1 = bt_free_pages();
	slab1 = bt_slab_active();
	for (int i = 0; i < 200; i++) {
		bt_log_reset();
		KT_EQ(device_attach(&pdev->dev), 1);
		KT_ASSERT(!list_empty(&pdev->dev.devres_head));
		if (i % 2)
			device_release_driver(&pdev->dev);
		else
			KT_EQ(device_reprobe(&pdev->dev), 0);	/* unbind, then bind again */
		if (i % 2 == 0)
			device_release_driver(&pdev->dev);
		KT_ASSERT(list_empty(&pdev->dev.devres_head));
		if (i % 2)
			BT_LOG_EQ(5, 2);
		else
			BT_LOG_EQ(5, 2, 5, 2);
	}
	KT_EQ(bt_slab_active(), slab1);
	KT_EQ(bt_free_pages(), pages1);
	KT_EQ(probes, removes);
	platform_driver_unregister(&steps_driver);
	platform_device_unregister(pdev);
	KT_EQ(bt_slab_active(), slab0);
}

/* ---- naming, resources, DMA masks ---- */
static void test_platform_devices(void)
{
	struct resource res[] = {
		DEFINE_RES_MEM_NAMED(0xfe000000, 0x1000, "regs"),
		DEFINE_RES_MEM(0xfe001000, 0x100),
		DEFINE_RES_IRQ_NAMED(5, "rx"),
		DEFINE_RES_IRQ(7),
	};
	struct resource clash = DEFINE_RES_MEM(0xfe000800, 0x1000);	/* straddles two */
	struct platform_device *a, *b, *c, *d, *e;
	char *iomem, *out;
	unsigned long reports = ukmem_report_count();

	a = platform_device_register_simple("plat", 0, res, ARRAY_SIZE(res));
	b = platform_device_register_simple("plat", PLATFORM_DEVID_NONE, NULL, 0);
	c = platform_device_register_simple("plat", PLATFORM_DEVID_AUTO, NULL, 0);
	d = platform_device_register_simple("plat", PLATFORM_DEVID_AUTO, NULL, 0);
	KT_ASSERT(!IS_ERR(a) && !IS_ERR(b) && !IS_ERR(c) && !IS_ERR(d));
	KT_ASSERT(!strcmp(dev_name(&a->dev), "plat.0"));
	KT_ASSERT(!strcmp(dev_name(&b->dev), "plat"));
	KT_ASSERT(!strcmp(dev_name(&c->dev), "plat.0.auto"));
	KT_ASSERT(!strcmp(dev_name(&d->dev), "plat.1.auto"));
	KT_ASSERT(a->dev.parent == &platform_bus && dev_is_platform(&a->dev));
	KT_EQ(a->dev.coherent_dma_mask, 0xffffffffULL);
	KT_EQ(*a->dev.dma_mask, 0xffffffffULL);
	KT_ASSERT(a->dev.dma_parms == &a->dma_parms);

	/* The device has copies of the resources; memory ones are in the tree. */
	KT_ASSERT(a->resource != res && a->num_resources == 4);
	iomem = kt_show("iomem");
	KT_CONTAINS(iomem, "fe000000-fe000fff : regs");
	KT_CONTAINS(iomem, "fe001000-fe0010ff : plat.0");
	free(iomem);
	KT_ASSERT(platform_get_resource(a, IORESOURCE_MEM, 1)->start == 0xfe001000);
	KT_ASSERT(!platform_get_resource(a, IORESOURCE_MEM, 2));
	KT_ASSERT(platform_get_resource_byname(a, IORESOURCE_MEM, "regs") == &a->resource[0]);
	KT_ASSERT(platform_get_mem_or_io(a, 1) == &a->resource[1]);
	KT_EQ(platform_get_irq(a, 0), 5);
	KT_EQ(platform_get_irq(a, 1), 7);
	KT_EQ(platform_get_irq_byname(a, "rx"), 5);
	KT_EQ(platform_irq_count(a), 2);
	KT_EQ(platform_get_irq_optional(a, 2), -ENXIO);
	kt_capture_begin();
	KT_EQ(platform_get_irq(a, 2), -ENXIO);
	KT_EQ(platform_get_irq_byname(a, "tx"), -ENXIO);
	out = kt_capture_end();
	KT_CONTAINS(out, "platform plat.0: error -ENXIO: IRQ index 2 not found");
	KT_CONTAINS(out, "platform plat.0: error -ENXIO: IRQ tx not found");
	free(out);

	/* A colliding resource fails the add; a duplicate name too. */
	kt_capture_begin();
	e = platform_device_register_simple("other", 0, &clash, 1);
	KT_ASSERT(IS_ERR(e) && PTR_ERR(e) == -EBUSY);
	e = platform_device_register_simple("plat", 0, NULL, 0);
	KT_ASSERT(IS_ERR(e) && PTR_ERR(e) == -EEXIST);
	out = kt_capture_end();
	KT_CONTAINS(out, "platform other.0: failed to claim resource 0: [mem 0xfe000800-0xfe0017ff]");
	KT_CONTAINS(out, "sysfs: cannot create duplicate filename '/devices/platform/plat.0'");
	free(out);

	KT_ASSERT(bus_find_device_by_name(&platform_bus_type, NULL, "plat.1.auto") == &d->dev);
	put_device(&d->dev);
	platform_device_unregister(c);
	c = platform_device_register_simple("plat", PLATFORM_DEVID_AUTO, NULL, 0);
	KT_ASSERT(!strcmp(dev_name(&c->dev), "plat.0.auto"));	/* lowest free id again */
	platform_device_unregister(a);
	iomem = kt_show("iomem");
	KT_NOT_CONTAINS(iomem, "plat.0");
	KT_NOT_CONTAINS(iomem, "regs");
	free(iomem);
	KT_ASSERT(!bus_find_device_by_name(&platform_bus_type, NULL, "plat.0"));
	platform_device_unregister(b);
	platform_device_unregister(c);
	platform_device_unregister(d);
	KT_EQ(ukmem_report_count(), reports);
}

/* ---- matching ---- */
static const struct platform_device_id ids[] = {
	{ "idchip-a", 1 }, { "idchip-b", 2 }, { }
};
static const struct of_device_id of_ids[] = {
	{ .compatible = "vnd,generic", .data = "generic" },
	{ .compatible = "vnd,chip-v2", .data = "v2" },
	{ }
};
static const void *matched_data;
static kernel_ulong_t matched_id;

static int match_probe(struct platform_device *pdev)
{
	const struct platform_device_id *id = platform_get_device_id(pdev);

	matched_data = of_device_get_match_data(&pdev->dev);
	matched_id = id ? id->driver_data : 0;
	return 0;
}

static struct platform_driver match_driver = {
	.probe = match_probe,
	.id_table = ids,
	.driver = { .name = "matcher", .of_match_table = of_ids },
};

static void test_matching(void)
{
	struct platform_device *b, *byname, *dt, *other;
	struct platform_device_info info = {
		.name = "dtdev", .id = PLATFORM_DEVID_NONE,
		.compatible = "vnd,chip-v2  vnd,generic ",
	};

	KT_EQ(platform_driver_register(&match_driver), 0);
	b = platform_device_register_simple("idchip-b", 1, NULL, 0);
	KT_ASSERT(device_is_bound(&b->dev) && matched_id == 2);
	KT_ASSERT(b->id_entry == &ids[1]);
	byname = platform_device_register_simple("matcher", 1, NULL, 0);
	KT_ASSERT(!device_is_bound(&byname->dev));	/* an id_table replaces name matching */
	dt = platform_device_register_full(&info);
	KT_ASSERT(!IS_ERR(dt));
	KT_ASSERT(device_is_bound(&dt->dev));
	KT_ASSERT(matched_data && !strcmp(matched_data, "v2"));	/* most specific first */
	KT_ASSERT(of_device_is_compatible(dt->dev.of_node, "vnd,generic"));
	KT_EQ(of_property_match_string(dt->dev.of_node, "compatible", "vnd,generic"), 1);
	KT_EQ(of_property_match_string(dt->dev.of_node, "compatible", "vnd,other"), -ENODATA);
	{
		/* 6.1's answers for a list whose last string runs off the property's end, and
		 * for a property without a value (was -ENODATA and -EINVAL) */
		static char list[8] = "a\0bc";		/* "bc" is not ended within 4 bytes */
		struct property bad = { .name = "names", .length = 4, .value = list };
		struct property empty = { .name = "empty", .next = &bad };
		struct device_node np = { .properties = &empty };

		KT_EQ(of_property_match_string(&np, "names", "a"), 0);
		KT_EQ(of_property_match_string(&np, "names", "zz"), -EILSEQ);
		KT_EQ(of_property_match_string(&np, "empty", "a"), -ENODATA);
		KT_EQ(of_property_match_string(&np, "none", "a"), -EINVAL);
		bad.name = "compatible";
		KT_ASSERT(of_device_is_compatible(&np, "A"));
		KT_ASSERT(!of_device_is_compatible(&np, "bc"));
	}
	KT_EQ(ukmem_device_set_compatible(&dt->dev, "vnd,again"), -EINVAL);	/* has one */
	{
		struct platform_device *p = platform_device_alloc("blank", 0);

		KT_EQ(ukmem_device_set_compatible(&p->dev, "  "), -EINVAL);
		KT_ASSERT(!p->dev.of_node);
		platform_device_put(p);
	}

	/* driver_override: only the named driver binds. */
	other = platform_device_alloc("idchip-a", 0);
	other->driver_override = kstrdup("nobody", GFP_KERNEL);
	KT_EQ(platform_device_add(other), 0);
	KT_ASSERT(!device_is_bound(&other->dev));
	/* driver_set_override, as a write to sysfs's driver_override: "" or "\n" clears,
	 * a newline ends the name, a page or more is refused. */
	KT_EQ(driver_set_override(&other->dev, &other->driver_override, "", 0), 0);
	KT_ASSERT(!other->driver_override);
	KT_EQ(driver_set_override(&other->dev, NULL, "x", 1), -EINVAL);
	KT_EQ(driver_set_override(&other->dev, &other->driver_override, "x", PAGE_SIZE - 1),
	      -EINVAL);
	KT_EQ(driver_set_override(&other->dev, &other->driver_override, "nobody\n", 7), 0);
	KT_ASSERT(!strcmp(other->driver_override, "nobody"));
	KT_EQ(device_attach(&other->dev), 0);
	KT_EQ(driver_set_override(&other->dev, &other->driver_override, "\n", 1), 0);
	KT_ASSERT(!other->driver_override);
	KT_EQ(driver_set_override(&other->dev, &other->driver_override, "matcher", 7), 0);
	KT_EQ(device_attach(&other->dev), 1);
	KT_EQ(matched_id, 0);			/* no id_table match was made: no id_entry */

	platform_driver_unregister(&match_driver);
	KT_ASSERT(!device_is_bound(&b->dev) && !b->dev.driver);
	platform_device_unregister(b);
	platform_device_unregister(byname);
	platform_device_unregister(dt);
	platform_device_unregister(other);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- notifier events ---- */
static unsigned long events[32];
static int nr_events;
static bool devres_live_at_unbind, devres_gone_at_unbound;

static int notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;

	if (strncmp(dev_name(dev), "notified", 8))
		return NOTIFY_DONE;
	events[nr_events++] = action;
	if (action == BUS_NOTIFY_UNBIND_DRIVER)
		devres_live_at_unbind = !list_empty(&dev->devres_head);
	if (action == BUS_NOTIFY_UNBOUND_DRIVER)
		devres_gone_at_unbound = list_empty(&dev->devres_head);
	return NOTIFY_OK;
}

static struct notifier_block nb = { .notifier_call = notify };

static void test_notifier(void)
{
	struct platform_device *pdev;
	static const unsigned long want[] = {
		BUS_NOTIFY_ADD_DEVICE, BUS_NOTIFY_BIND_DRIVER, BUS_NOTIFY_DRIVER_NOT_BOUND,
		BUS_NOTIFY_BIND_DRIVER, BUS_NOTIFY_BOUND_DRIVER, BUS_NOTIFY_DEL_DEVICE,
		BUS_NOTIFY_UNBIND_DRIVER, BUS_NOTIFY_UNBOUND_DRIVER, BUS_NOTIFY_REMOVED_DEVICE,
	};
	struct platform_driver drv = { .probe = steps_probe, .remove = steps_remove,
				       .driver = { .name = "notified" } };
	char *out;

	KT_EQ(bus_register_notifier(&platform_bus_type, &nb), 0);
	KT_EQ(bus_register_notifier(&platform_bus_type, &nb) != 0, 1);
	fail_at = 2;
	kt_capture_begin();
	KT_EQ(platform_driver_register(&drv), 0);
	pdev = platform_device_register_simple("notified", 0, NULL, 0);
	out = kt_capture_end();
	free(out);
	fail_at = -1;
	KT_EQ(device_attach(&pdev->dev), 1);
	platform_device_unregister(pdev);
	platform_driver_unregister(&drv);
	KT_EQ(bus_unregister_notifier(&platform_bus_type, &nb), 0);
	KT_EQ(bus_unregister_notifier(&platform_bus_type, &nb), -ENOENT);
	KT_EQ(nr_events, (int)ARRAY_SIZE(want));
	for (int i = 0; i < nr_events; i++)
		KT_EQ(events[i], want[i]);
	KT_ASSERT(devres_live_at_unbind && devres_gone_at_unbound);
	/* The failed double registration WARNed. */
	KT_EQ(ukmem_report_count(), 1);
}

/* ---- deferred probe ---- */
static bool supplier_ready;

static int consumer_probe(struct platform_device *pdev)
{
	if (!supplier_ready)
		return dev_err_probe(&pdev->dev, -EPROBE_DEFER, "waiting for the supplier\n");
	KT_ASSERT(devm_kzalloc(&pdev->dev, 10, GFP_KERNEL));
	return 0;
}

static int supplier_probe(struct platform_device *pdev)
{
	supplier_ready = true;
	return 0;
}

static struct platform_driver consumer = { .probe = consumer_probe,
					   .driver = { .name = "consumer" } };
static struct platform_driver supplier = { .probe = supplier_probe,
					   .driver = { .name = "supplier" } };

static void test_deferred_probe(void)
{
	struct platform_device *c, *s;
	char *deferred;

	c = platform_device_register_simple("consumer", 0, NULL, 0);
	KT_EQ(platform_driver_register(&consumer), 0);
	KT_ASSERT(!device_is_bound(&c->dev));
	deferred = kt_show("devices_deferred");
	KT_CONTAINS(deferred, "consumer.0\tconsumer: waiting for the supplier\n");
	free(deferred);
	/* Another driver binding retries the deferred device before its call returns. */
	KT_EQ(platform_driver_register(&supplier), 0);
	s = platform_device_register_simple("supplier", 0, NULL, 0);
	KT_ASSERT(device_is_bound(&s->dev));
	KT_ASSERT(device_is_bound(&c->dev));
	deferred = kt_show("devices_deferred");
	KT_EQ(strlen(deferred), 0);
	free(deferred);

	/* A device that stays deferred leaves the list (and its reason) when deleted. */
	supplier_ready = false;
	device_release_driver(&c->dev);
	KT_EQ(device_attach(&c->dev), 0);
	deferred = kt_show("devices_deferred");
	KT_CONTAINS(deferred, "consumer.0");
	free(deferred);
	platform_device_unregister(c);
	deferred = kt_show("devices_deferred");
	KT_EQ(strlen(deferred), 0);
	free(deferred);
	platform_device_unregister(s);
	platform_driver_unregister(&consumer);
	platform_driver_unregister(&supplier);
}

/* ---- platform_driver_probe: the devices present now, never later ones ---- */
static int once_probes;

static int once_probe(struct platform_device *pdev)
{
	once_probes++;
	return 0;
}

static void test_platform_driver_probe(void)
{
	struct platform_driver once = { .driver = { .name = "once" } };
	struct platform_driver none = { .driver = { .name = "nobody-here" } };
	struct platform_device *now, *later;

	now = platform_device_register_simple("once", 0, NULL, 0);
	KT_EQ(platform_driver_probe(&once, once_probe), 0);
	KT_EQ(once_probes, 1);
	KT_EQ(once.driver.probe_type, PROBE_FORCE_SYNCHRONOUS);	/* as 6.1 sets it */
	KT_ASSERT(device_is_bound(&now->dev));
	later = platform_device_register_simple("once", 1, NULL, 0);
	KT_ASSERT(!device_is_bound(&later->dev));	/* probe is now platform_probe_fail */
	KT_EQ(once_probes, 1);
	KT_EQ(platform_driver_probe(&none, once_probe), -ENODEV);	/* nothing bound: gone */
	KT_ASSERT(!none.driver.p);
	platform_driver_unregister(&once);
	platform_device_unregister(now);
	platform_device_unregister(later);
}

/* ---- printing ---- */
static void test_dev_printk(void)
{
	struct platform_device *pdev = platform_device_register_simple("printer", 0, NULL, 0);
	struct platform_driver drv = { .probe = match_probe, .driver = { .name = "printer" } };
	char *out;

	kt_capture_begin();
	dev_info(&pdev->dev, "unbound %d\n", 1);
	KT_EQ(platform_driver_register(&drv), 0);
	dev_err(&pdev->dev, "bound %s\n", "yes");
	dev_warn(&pdev->dev, "warn\n");
	dev_notice(&pdev->dev, "notice\n");
	dev_dbg(&pdev->dev, "debug is silent at loglevel 7\n");
	for (int i = 0; i < 3; i++)
		dev_warn_once(&pdev->dev, "only once\n");
	dev_info(NULL, "no device\n");
	KT_EQ(dev_err_probe(&pdev->dev, -EINVAL, "bad %s\n", "thing"), -EINVAL);
	KT_EQ(dev_err_probe(&pdev->dev, -ENOMEM, "not printed\n"), -ENOMEM);
	out = kt_capture_end();
	KT_CONTAINS(out, "platform printer.0: unbound 1\n");
	KT_CONTAINS(out, "printer printer.0: bound yes\n");
	KT_CONTAINS(out, "printer printer.0: warn\n");
	KT_CONTAINS(out, "printer printer.0: notice\n");
	KT_NOT_CONTAINS(out, "debug is silent");
	KT_ASSERT(strstr(out, "only once") && !strstr(strstr(out, "only once") + 1, "only once"));
	KT_CONTAINS(out, "(NULL device *): no device\n");
	KT_CONTAINS(out, "printer printer.0: error -EINVAL: bad thing\n");
	KT_NOT_CONTAINS(out, "not printed");
	free(out);
	platform_driver_unregister(&drv);
	platform_device_unregister(pdev);
}

/* ---- the device core without a bus ---- */
static int count_child(struct device *dev, void *data)
{
	(*(int *)data)++;
	return 0;
}

static void test_core(void)
{
	struct device *root = root_device_register("rootdev"), *found;
	struct platform_device *kids[3];
	int n = 0;

	KT_ASSERT(!IS_ERR(root));
	KT_ASSERT(IS_ERR(root_device_register("rootdev")));	/* the name is taken */
	KT_EQ(ukmem_report_count(), 1);		/* nothing else: the sysfs warning is no WARN */
	for (int i = 0; i < 3; i++) {
		kids[i] = platform_device_alloc("kid", i);
		kids[i]->dev.parent = root;
		KT_EQ(platform_device_add_data(kids[i], &i, sizeof(i)), 0);
		KT_EQ(platform_device_add(kids[i]), 0);
	}
	KT_EQ(*(int *)dev_get_platdata(&kids[2]->dev), 2);
	KT_EQ(device_for_each_child(root, &n, count_child), 0);
	KT_EQ(n, 3);
	found = device_find_child_by_name(root, "kid.1");
	KT_ASSERT(found == &kids[1]->dev);
	put_device(found);
	for (int i = 0; i < 3; i++)
		platform_device_unregister(kids[i]);
	n = 0;
	device_for_each_child(root, &n, count_child);
	KT_EQ(n, 0);
	root_device_unregister(root);
}

/* platform_device_add of a device that is added already: its resources are in the tree, and
 * inserting one again is 6.1's "duplicated insertion" WARN, "failed to claim resource" and
 * -EBUSY; the tree keeps its shape (the resource once stayed behind, its own parent, after
 * the device was gone, and the resources after it were cut off the tree). */
static void test_add_twice_keeps_iomem(void)
{
	struct resource ra[] = { DEFINE_RES_MEM(0xfe100000, 0x1000) };
	struct resource rb[] = { DEFINE_RES_MEM(0xfe200000, 0x1000) };
	struct platform_device *a = platform_device_alloc("twice-a", 0);
	struct platform_device *b = platform_device_alloc("twice-b", 0);
	unsigned long before = ukmem_report_count();
	char *out, *iomem;

	KT_EQ(platform_device_add_resources(a, ra, 1), 0);
	KT_EQ(platform_device_add_resources(b, rb, 1), 0);
	KT_EQ(platform_device_add(a), 0);
	KT_EQ(platform_device_add(b), 0);
	kt_capture_begin();
	KT_EQ(platform_device_add(a), -EBUSY);
	out = kt_capture_end();
	KT_CONTAINS(out, "failed to claim resource 0: [mem 0xfe100000-0xfe100fff]");
	free(out);
	KT_EQ(ukmem_report_count(), before + 1);
	iomem = kt_show("iomem");
	KT_CONTAINS(iomem, "fe100000-fe100fff : twice-a.0\n");
	KT_CONTAINS(iomem, "fe200000-fe200fff : twice-b.0\n");
	free(iomem);
	KT_ASSERT(device_is_registered(&a->dev));
	platform_device_unregister(a);
	iomem = kt_show("iomem");
	KT_NOT_CONTAINS(iomem, "twice-a");
	KT_CONTAINS(iomem, "fe200000-fe200fff : twice-b.0\n");
	free(iomem);
	platform_device_unregister(b);
	iomem = kt_show("iomem");
	KT_NOT_CONTAINS(iomem, "twice-b");
	free(iomem);
}

/* platform_device_register of a static device that is registered already: 6.1's kobject_init
 * complaint, then device_add's -EEXIST.  The registered device is left as it is: its list
 * links (the device lists once lost their order and a walk never ended), its devres and its
 * lock are untouched. */
static int count_dev(struct device *dev, void *data)
{
	(*(int *)data)++;
	return 0;
}

static int again_actions;

static void again_action(void *data)
{
	again_actions++;
}

static void nop_release(struct device *dev)
{
}

static void test_register_twice(void)
{
	static struct platform_device spd = { .name = "reg-twice", .id = 0,
					      .dev.release = nop_release };
	struct platform_device *before_dev = platform_device_register_simple("reg-before", 0, NULL, 0);
	struct platform_device *after_dev;
	unsigned long reports;
	int n0 = 0, n1 = 0;
	char *out;

	KT_EQ(platform_device_register(&spd), 0);
	after_dev = platform_device_register_simple("reg-after", 0, NULL, 0);
	KT_EQ(devm_add_action(&spd.dev, again_action, NULL), 0);
	bus_for_each_dev(&platform_bus_type, NULL, &n0, count_dev);
	reports = ukmem_report_count();
	kt_capture_begin();
	KT_EQ(platform_device_register(&spd), -EEXIST);
	device_initialize(&spd.dev);
	out = kt_capture_end();
	KT_CONTAINS(out, "): tried to init an initialized object, something is seriously wrong.");
	KT_CONTAINS(out, "device 'reg-twice.0' is already registered");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);	/* device_add's WARN */
	bus_for_each_dev(&platform_bus_type, NULL, &n1, count_dev);
	KT_EQ(n1, n0);
	platform_device_unregister(after_dev);
	KT_EQ(again_actions, 0);
	platform_device_unregister(&spd);
	KT_EQ(again_actions, 1);
	platform_device_unregister(before_dev);
	KT_EQ(platform_device_register(&spd), 0);	/* released: may be registered again */
	platform_device_unregister(&spd);
}

/* A release callback still sees the device's name and node, as in 6.1 (kobject_cleanup frees
 * the name after the release); a static device registered again gets its new name and
 * node, not the freed ones. */
static char released_name[64];
static bool released_had_node;

static void record_release(struct device *dev)
{
	snprintf(released_name, sizeof(released_name), "%s", dev_name(dev) ?: "(null)");
	released_had_node = dev->of_node != NULL;
}

static void record_release_free(struct device *dev)
{
	record_release(dev);
	kfree(dev);
}

/* dev_set_name(dev, NULL): 6.1 keeps the name a device has (it crashed formatting NULL); a
 * device without one gets a warning and -EINVAL here (6.1 oopses). */
static void test_set_name_null(void)
{
	/* through a pointer without the format attribute: NULL is no format string */
	int (*set_name)(struct device *, const char *, ...) = dev_set_name;
	const char *none = NULL;
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	unsigned long before = ukmem_report_count();
	char *out;

	device_initialize(dev);
	dev->release = record_release_free;
	kt_capture_begin();
	KT_EQ(set_name(dev, none), -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "dev_set_name: NULL format for a device without a name");
	free(out);
	KT_EQ(ukmem_report_count(), before + 1);
	KT_EQ(dev_set_name(dev, "keep-%d", 3), 0);
	KT_EQ(set_name(dev, none), 0);
	KT_ASSERT(!strcmp(dev_name(dev), "keep-3"));
	put_device(dev);
	KT_EQ(ukmem_report_count(), before + 1);
}

static void test_release_sees_name(void)
{
	static struct platform_device spd = { .name = "static-pd", .id = 4,
					      .dev.release = record_release };
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	unsigned long before = ukmem_report_count();

	device_initialize(dev);
	KT_EQ(dev_set_name(dev, "named-%d", 7), 0);
	dev->release = record_release_free;
	KT_EQ(device_add(dev), 0);
	device_unregister(dev);
	KT_ASSERT(!strcmp(released_name, "named-7"));

	for (int round = 0; round < 2; round++) {
		KT_EQ(ukmem_device_set_compatible(&spd.dev, round ? "vnd,b" : "vnd,a"), 0);
		KT_EQ(platform_device_register(&spd), 0);
		KT_ASSERT(!strcmp(dev_name(&spd.dev), "static-pd.4"));
		KT_ASSERT(of_device_is_compatible(spd.dev.of_node, round ? "vnd,b" : "vnd,a"));
		platform_device_unregister(&spd);
		KT_ASSERT(!strcmp(released_name, "static-pd.4"));
		KT_ASSERT(released_had_node);
	}
	KT_EQ(ukmem_report_count(), before);
}

/* put_device of a device that never went through device_initialize: 6.1's kobject
 * warning, then the refcount's (it was 0). */
static void test_put_uninitialized(void)
{
	static struct device zeroed;
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	put_device(&zeroed);
	out = kt_capture_end();
	KT_CONTAINS(out, "kobject: '(null)' (");
	KT_CONTAINS(out, "): is not initialized, yet kobject_put() is being called.");
	KT_CONTAINS(out, "refcount_t: underflow; use-after-free.");
	KT_EQ(ukmem_report_count(), before + 2);
	free(out);
}

/* device_add (and platform_device_add) of a device that never went through
 * device_initialize: 6.1's kobject_add refuses it with -EINVAL and lists nothing; the
 * warnings are get_device's and put_device's.  The device's zeroed lists are never
 * touched, so unregistering it afterwards is only more warnings, not a crash. */
static void test_add_uninitialized(void)
{
	static struct device zeroed;
	static struct platform_device zeroed_pdev = { .name = "never-init", .id = 3 };
	unsigned long before = ukmem_report_count();
	char *out;

	KT_EQ(dev_set_name(&zeroed, "zeroed"), 0);
	kt_capture_begin();
	KT_EQ(device_add(&zeroed), -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "is not initialized, yet kobject_get() is being called.");
	KT_CONTAINS(out, "kobject 'zeroed' (");
	KT_CONTAINS(out, "): tried to add an uninitialized object, something is seriously wrong.");
	KT_ASSERT(!device_is_registered(&zeroed));
	KT_EQ(ukmem_report_count(), before + 3);
	free(out);
	KT_ASSERT(bus_find_device_by_name(&platform_bus_type, NULL, "never-init.3") == NULL);
	KT_EQ(platform_device_add(&zeroed_pdev), -EINVAL);
	KT_ASSERT(!device_is_registered(&zeroed_pdev.dev));
	KT_ASSERT(bus_find_device_by_name(&platform_bus_type, NULL, "never-init.3") == NULL);
	device_unregister(&zeroed);	/* not registered: WARNs, frees nothing */
	KT_EQ(ukmem_report_count(), before + 9);
	kfree(zeroed.p.name);
	kfree(zeroed_pdev.dev.p.name);
}

/* ---- shut-down: what is still registered is unregistered by ukmem_exit ---- */
static int exit_removes;
static int exit_remove(struct platform_device *pdev)
{
	exit_removes++;
	return 0;
}

static void exit_child(void *arg)
{
	struct platform_driver drv = { .probe = steps_probe, .remove = exit_remove,
				       .driver = { .name = "leftover" } };
	struct platform_device *pdev = platform_device_register_simple("leftover", 0, NULL, 0);

	bt_log_reset();
	KT_EQ(platform_driver_register(&drv), 0);
	KT_ASSERT(device_is_bound(&pdev->dev));
	fprintf(stderr, "exit returned %d\n", ukmem_exit());
	fprintf(stderr, "removes %d, released %d\n", exit_removes, bt_log.n);
}

static void test_exit_unregisters(void)
{
	char *out;
	int status = kt_run_child(exit_child, NULL, &out);

	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "ukmem: device leftover.0 still registered at exit: unregistering it");
	KT_CONTAINS(out, "removes 1, released 2");
	free(out);
}

int main(void)
{
	test_probe_failure_each_step();
	test_unbind_rebind_no_leak();
	test_platform_devices();
	test_matching();
	test_notifier();
	KT_EQ(ukmem_report_count(), 1);
	test_deferred_probe();
	test_dev_printk();
	test_platform_driver_probe();
	test_core();
	test_exit_unregisters();
	test_put_uninitialized();
	test_add_uninitialized();
	test_release_sees_name();
	test_set_name_null();
	test_add_twice_keeps_iomem();
	test_register_twice();
	KT_EQ(ukmem_exit(), 15);	/* the double notifier registration, the ones above */
	printf("test_device: ok\n");
	return 0;
}
