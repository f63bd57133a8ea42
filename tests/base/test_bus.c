/* SPDX-License-Identifier: MIT */
/*
 * A bus of our own (not the platform bus): devices named from the bus's dev_name and their
 * id, a match function, driver-level probe/remove, device_bind_driver and
 * device_driver_attach, bus_rescan_devices, walks, driver_find, bus_unregister refusing a busy
 * bus; static platform devices with platform_add_devices; dev_dbg and the deferred-probe
 * debug lines at loglevel=8.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/err.h>
#include "basetest.h"

struct toy {
	struct device dev;
	int kind;
};
#define to_toy(d) container_of(d, struct toy, dev)

static int toy_match(struct device *dev, struct device_driver *drv)
{
	return to_toy(dev)->kind == (drv->name[0] == 'a' ? 1 : 2);
}

static struct bus_type toy_bus = {
	.name = "toy",
	.dev_name = "toy",
	.match = toy_match,
};

static int probes, removes;

static int toy_probe(struct device *dev)
{
	probes++;
	return devm_kzalloc(dev, 8, GFP_KERNEL) ? 0 : -ENOMEM;
}

static int toy_remove(struct device *dev)
{
	removes++;
	return 0;
}

static struct device_driver drv_a = { .name = "a-driver", .bus = &toy_bus,
				      .probe = toy_probe, .remove = toy_remove };
static struct device_driver drv_b = { .name = "b-driver", .bus = &toy_bus,
				      .probe = toy_probe, .remove = toy_remove };

static void toy_release(struct device *dev)
{
	kfree(to_toy(dev));
}

static struct toy *new_toy(int id, int kind)
{
	struct toy *t = kzalloc(sizeof(*t), GFP_KERNEL);

	t->kind = kind;
	t->dev.bus = &toy_bus;
	t->dev.id = id;
	t->dev.release = toy_release;
	KT_EQ(device_register(&t->dev), 0);
	return t;
}

static int count(struct device *dev, void *data)
{
	(*(int *)data)++;
	return 0;
}

static void test_toy_bus(void)
{
	struct toy *t0, *t1, *t2;
	struct device *found;
	char *out;
	int n = 0;
	unsigned long reports = ukmem_report_count();

	KT_EQ(bus_register(&toy_bus), 0);
	KT_EQ(bus_register(&toy_bus), -EEXIST);
	t0 = new_toy(0, 1);
	t1 = new_toy(1, 2);
	t2 = new_toy(2, 1);
	KT_ASSERT(!strcmp(dev_name(&t1->dev), "toy1"));
	KT_EQ(driver_register(&drv_a), 0);
	KT_EQ(driver_register(&drv_a) != 0, 1);		/* already registered */
	KT_ASSERT(driver_find("a-driver", &toy_bus) == &drv_a);
	KT_ASSERT(t0->dev.driver == &drv_a && t2->dev.driver == &drv_a && !t1->dev.driver);
	KT_EQ(probes, 2);
	KT_EQ(driver_for_each_device(&drv_a, NULL, &n, count), 0);
	KT_EQ(n, 2);
	found = driver_find_device_by_name(&drv_a, "toy2");
	KT_ASSERT(found == &t2->dev);
	put_device(found);
	n = 0;
	KT_EQ(bus_for_each_dev(&toy_bus, &t0->dev, &n, count), 0);	/* after toy0 */
	KT_EQ(n, 2);
	KT_ASSERT(bus_find_next_device(&toy_bus, &t1->dev) == &t2->dev);
	put_device(&t2->dev);

	/* device_driver_attach probes a driver the bus would not match. */
	KT_EQ(device_driver_attach(&drv_a, &t1->dev), 0);
	KT_ASSERT(t1->dev.driver == &drv_a);
	KT_EQ(device_driver_attach(&drv_a, &t1->dev), -EBUSY);
	device_driver_detach(&t1->dev);
	KT_ASSERT(!t1->dev.driver);

	/* device_bind_driver binds without probing. */
	device_lock(&t1->dev);
	t1->dev.driver = &drv_a;
	KT_EQ(device_bind_driver(&t1->dev), 0);
	device_unlock(&t1->dev);
	KT_ASSERT(device_is_bound(&t1->dev));
	KT_EQ(probes, 3);
	device_release_driver(&t1->dev);
	KT_EQ(removes, 2);

	/* A second driver; rescan binds what it matches. */
	drv_b.p = NULL;
	KT_EQ(driver_register(&drv_b), 0);
	KT_ASSERT(t1->dev.driver == &drv_b);
	device_release_driver(&t1->dev);
	KT_EQ(bus_rescan_devices(&toy_bus), 0);
	KT_ASSERT(t1->dev.driver == &drv_b);

	kt_capture_begin();
	bus_unregister(&toy_bus);			/* busy: WARN, stays registered */
	out = kt_capture_end();
	KT_CONTAINS(out, "bus 'toy' unregistered while devices or drivers are still on it");
	free(out);
	KT_EQ(ukmem_report_count(), reports + 1);
	KT_ASSERT(toy_bus.p);

	driver_unregister(&drv_a);
	driver_unregister(&drv_b);
	KT_EQ(removes, probes + 1);			/* device_bind_driver bound without a probe */
	kt_capture_begin();
	driver_unregister(&drv_b);			/* twice: the kernel's WARN */
	out = kt_capture_end();
	KT_CONTAINS(out, "Unexpected driver unregister!");
	free(out);
	device_unregister(&t0->dev);
	device_unregister(&t1->dev);
	device_unregister(&t2->dev);
	bus_unregister(&toy_bus);
	KT_ASSERT(!toy_bus.p);
	KT_EQ(ukmem_report_count(), reports + 2);
}

/* Static platform devices with their own release, registered together. */
static int static_released;

static void static_release(struct device *dev)
{
	static_released++;
}

static struct resource clash = DEFINE_RES_MEM(0xfe300000, 0x100);
static struct resource clash2 = DEFINE_RES_MEM(0xfe300080, 0x100);
static struct platform_device s0 = { .name = "static", .id = 0,
				     .dev = { .release = static_release } };
static struct platform_device s1 = { .name = "static", .id = 1,
				     .dev = { .release = static_release } };
static struct platform_device s2 = { .name = "static", .id = 2, .num_resources = 1,
				     .resource = &clash, .dev = { .release = static_release } };
static struct platform_device s3 = { .name = "static", .id = 3, .num_resources = 1,
				     .resource = &clash2, .dev = { .release = static_release } };

static void test_static_platform_devices(void)
{
	struct platform_device *ok[] = { &s0, &s1, &s2 }, *bad[] = { &s0, &s1, &s3 };
	char *out;
	int n;

	KT_EQ(platform_add_devices(ok, 3), 0);
	KT_ASSERT(device_is_registered(&s2.dev) && s2.resource[0].parent);
	platform_device_unregister(&s0);
	platform_device_unregister(&s1);
	KT_EQ(static_released, 2);
	/* s3 collides with s2: all or none. */
	kt_capture_begin();
	n = platform_add_devices(bad, 3);
	out = kt_capture_end();
	KT_EQ(n, -EBUSY);
	KT_CONTAINS(out, "platform static.3: failed to claim resource 0");
	free(out);
	KT_ASSERT(!device_is_registered(&s0.dev) && !device_is_registered(&s1.dev));
	KT_EQ(static_released, 4);
	/* A device whose registration failed is given up with platform_device_put (as the
	 * kernel's platform_device_register asks): that releases it and frees its name. */
	platform_device_put(&s3);
	KT_EQ(static_released, 5);
	platform_device_unregister(&s2);
	KT_EQ(static_released, 6);
}

/* loglevel=8: dev_dbg and the binding core's debug lines reach the console. */
static int defer_probe(struct platform_device *pdev)
{
	return -EPROBE_DEFER;
}

static void test_debug_messages(void)
{
	struct platform_driver drv = { .probe = defer_probe, .driver = { .name = "dbg" } };
	struct platform_device *pdev = platform_device_register_simple("dbg", 0, NULL, 0);
	char *out;

	int ret;

	kt_capture_begin();
	dev_dbg(&pdev->dev, "a debug line\n");
	ret = platform_driver_register(&drv);
	platform_driver_unregister(&drv);
	platform_device_unregister(pdev);
	out = kt_capture_end();
	KT_EQ(ret, 0);
	KT_CONTAINS(out, "platform dbg.0: a debug line\n");
	KT_CONTAINS(out, "dbg dbg.0: Driver dbg requests probe deferral\n");
	KT_CONTAINS(out, "platform dbg.0: Added to deferred list\n");
	KT_CONTAINS(out, "platform dbg.0: Removed from deferred list\n");
	free(out);
}

/* A child of a parent that is not registered (never added, or deleted) has no directory to
 * go in: 6.1's sysfs refuses it with -ENOENT; the caller's reference still gives it up. */
static int plain_releases;

static void plain_release(struct device *dev)
{
	plain_releases++;
	kfree(dev);
}

static struct device *new_plain(const char *name, struct device *parent)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	device_initialize(dev);
	dev->release = plain_release;
	dev->parent = parent;
	KT_EQ(dev_set_name(dev, "%s", name), 0);
	return dev;
}

static void test_parent_not_registered(void)
{
	struct device *parent = new_plain("lone-parent", NULL);
	struct device *child = new_plain("child0", parent);
	char *out;
	int ret;

	plain_releases = 0;
	kt_capture_begin();
	ret = device_add(child);
	out = kt_capture_end();
	KT_EQ(ret, -ENOENT);
	KT_CONTAINS(out, "kobject_add_internal failed for child0 (error: -2 parent: lone-parent)\n");
	free(out);
	KT_ASSERT(!device_find_child_by_name(parent, "child0"));
	put_device(child);
	KT_EQ(plain_releases, 1);

	KT_EQ(device_add(parent), 0);
	get_device(parent);
	device_unregister(parent);
	child = new_plain("child1", parent);
	kt_capture_begin();
	ret = device_add(child);
	out = kt_capture_end();
	KT_EQ(ret, -ENOENT);
	KT_CONTAINS(out, "kobject_add_internal failed for child1 (error: -2 parent: lone-parent)\n");
	free(out);
	put_device(child);
	KT_EQ(plain_releases, 2);
	put_device(parent);
	KT_EQ(plain_releases, 3);
}

/* An empty name cannot be a sysfs directory: 6.1's kobject_add_internal WARNs and refuses
 * it; the caller's reference still gives the device up. */
static void test_empty_name(void)
{
	struct device *dev = new_plain("", NULL);
	char *out;
	int ret;

	plain_releases = 0;
	kt_capture_begin();
	ret = device_add(dev);
	out = kt_capture_end();
	KT_EQ(ret, -EINVAL);
	KT_CONTAINS(out, "attempted to be registered with empty name!\n");
	KT_CONTAINS(out, "WARNING: ");
	free(out);
	KT_ASSERT(!device_find_child_by_name(&platform_bus, ""));
	put_device(dev);
	KT_EQ(plain_releases, 1);
}

/* A platform device added again after platform_device_del(): dev_set_name frees the name
 * its unnamed resources took at the first add; they take the new one. */
static void test_readd_resource_name(void)
{
	struct resource res[] = { DEFINE_RES_MEM(0xfe100000, 0x100) };
	struct platform_device *pdev = platform_device_alloc("readd", 1);
	struct resource *r;
	char *iomem;

	KT_EQ(platform_device_add_resources(pdev, res, 1), 0);
	KT_EQ(platform_device_add(pdev), 0);
	r = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	KT_ASSERT(r->name == dev_name(&pdev->dev));
	platform_device_del(pdev);
	KT_EQ(platform_device_add(pdev), 0);
	KT_ASSERT(r->name == dev_name(&pdev->dev));
	iomem = kt_show("iomem");
	KT_CONTAINS(iomem, "fe100000-fe1000ff : readd.1\n");
	free(iomem);
	platform_device_unregister(pdev);
}

/* bus_rescan_devices passes on the first attach error, as 6.1's: here a match that asks
 * for deferral. */
static int fussy_match(struct device *dev, struct device_driver *drv)
{
	return -EPROBE_DEFER;
}

static struct bus_type fussy_bus = { .name = "fussy", .dev_name = "fussy", .match = fussy_match };
static struct device_driver fussy_drv = { .name = "fussy-drv", .bus = &fussy_bus };

static void test_rescan_error(void)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	KT_EQ(bus_register(&fussy_bus), 0);
	KT_EQ(driver_register(&fussy_drv), 0);
	dev->bus = &fussy_bus;
	dev->release = plain_release;
	KT_EQ(device_register(dev), 0);
	KT_ASSERT(!dev->driver);
	KT_EQ(bus_rescan_devices(&fussy_bus), -EPROBE_DEFER);
	device_unregister(dev);
	KT_EQ(bus_rescan_devices(&fussy_bus), 0);
	driver_unregister(&fussy_drv);
	bus_unregister(&fussy_bus);
}

int main(void)
{
	test_toy_bus();
	test_static_platform_devices();
	test_debug_messages();
	test_parent_not_registered();
	test_empty_name();
	test_readd_resource_name();
	test_rescan_error();
	/* the WARNs of a second driver_unregister, of a busy bus_unregister, of the empty name */
	KT_EQ(ukmem_exit(), 3);
	printf("test_bus: ok\n");
	return 0;
}
