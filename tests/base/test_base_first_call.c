/* SPDX-License-Identifier: MIT */
/*
 * Every kind of device-model entry point works as a process's very first ukmem call: each
 * child below makes one as its first call (the parent makes none before forking).  A first
 * call in atomic context starts ukmem in process context: start-up's own sleeping
 * allocations (the platform bus's) are not reported against the caller.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <ukmem.h>
#include "ktest.h"

static int nb_call(struct notifier_block *nb, unsigned long action, void *data)
{
	return NOTIFY_DONE;
}

static void first_notifier(void *arg)
{
	static struct notifier_block nb = { .notifier_call = nb_call };

	KT_EQ(bus_register_notifier(&platform_bus_type, &nb), 0);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static void first_platform_device(void *arg)
{
	struct platform_device *pdev = platform_device_register_simple("first", 0, NULL, 0);

	KT_ASSERT(!IS_ERR(pdev) && pdev->dev.parent == &platform_bus);
	platform_device_unregister(pdev);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static int probe(struct platform_device *pdev)
{
	return 0;
}

static void first_driver(void *arg)
{
	static struct platform_driver drv = { .probe = probe, .driver = { .name = "first" } };

	KT_EQ(platform_driver_register(&drv), 0);
	platform_driver_unregister(&drv);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static void first_find(void *arg)
{
	KT_ASSERT(!bus_find_device_by_name(&platform_bus_type, NULL, "nothing"));
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static void first_root_device(void *arg)
{
	struct device *dev = root_device_register("first");

	KT_ASSERT(!IS_ERR(dev));
	KT_ASSERT(devm_kzalloc(dev, 10, GFP_KERNEL));
	root_device_unregister(dev);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static void nothing_release(struct device *dev, void *res)
{
}

static void first_devres_alloc(void *arg)
{
	void *res = devres_alloc(nothing_release, 16, GFP_KERNEL);

	KT_ASSERT(res);
	devres_free(res);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static DEFINE_PER_CPU(long, first_pcpu);

static void first_this_cpu_inc_atomic(void *arg)
{
	preempt_disable();
	this_cpu_inc(first_pcpu);
	KT_ASSERT(in_atomic());
	preempt_enable();
	KT_EQ(this_cpu_read(first_pcpu), 1);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static void first_devres_alloc_irqs_disabled(void *arg)
{
	void *res;

	local_irq_disable();
	res = devres_alloc(nothing_release, 16, GFP_ATOMIC);
	KT_ASSERT(irqs_disabled());
	local_irq_enable();
	KT_ASSERT(res);
	devres_free(res);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

static void first_modules_init(void *arg)
{
	KT_EQ(ukmem_modules_init(), 0);
	KT_EQ(ukmem_exit(), 0);
	fprintf(stderr, "first call ok\n");
}

int main(void)
{
	void (*fns[])(void *) = { first_notifier, first_platform_device, first_driver, first_find,
				  first_root_device, first_devres_alloc, first_modules_init,
				  first_this_cpu_inc_atomic, first_devres_alloc_irqs_disabled };

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		char *out;
		int status = kt_run_child(fns[i], NULL, &out);

		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		KT_CONTAINS(out, "first call ok");
		free(out);
	}
	printf("test_base_first_call: ok\n");
	return 0;
}
