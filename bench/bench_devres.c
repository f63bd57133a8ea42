/* SPDX-License-Identifier: MIT */
/*
 * devres benchmark: devm_kzalloc and its release side by side with kzalloc and kfree, with
 * the ratio the goal is written against (docs/performance.md: a devm_kzalloc+release pair
 * within 2x of kzalloc+kfree).  Cases:
 *   pair   one object allocated and freed again, 64 bytes (devm_kfree releases it);
 *   batch  1,000 objects of 64 bytes, then all released: kfree each, against the driver
 *          unbinding (devres releasing them; the unbind and rebind are counted too);
 *   group  the same, released with devres_release_group;
 *   unbind a device with 10,000 managed objects unbinds (per object).
 * Each figure is the best of several rounds, so a burst of load hits both sides alike.
 * Usage: bench_devres [-q]   (-q: fewer repetitions)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <ukmem.h>

static int rounds = 15;
static long pairs = 500000;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline void opaque(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static noinline double pair_kzalloc(void)
{
	double t = now();

	for (long i = 0; i < pairs; i++) {
		void *p = kzalloc(64, GFP_KERNEL);

		opaque(p);
		kfree(p);
	}
	return (now() - t) / pairs * 1e9;
}

static noinline double pair_devm(struct device *dev)
{
	double t = now();

	for (long i = 0; i < pairs; i++) {
		void *p = devm_kzalloc(dev, 64, GFP_KERNEL);

		opaque(p);
		devm_kfree(dev, p);
	}
	return (now() - t) / pairs * 1e9;
}

#define BATCH 1000
static void *objs[BATCH];

static noinline double batch_kzalloc(void)
{
	long loops = pairs / BATCH;
	double t = now();

	for (long l = 0; l < loops; l++) {
		for (int i = 0; i < BATCH; i++)
			objs[i] = kzalloc(64, GFP_KERNEL);
		for (int i = 0; i < BATCH; i++)
			kfree(objs[i]);
	}
	return (now() - t) / (loops * BATCH) * 1e9;
}

static noinline double batch_unbind(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	long loops = pairs / BATCH;
	double t = now();

	for (long l = 0; l < loops; l++) {
		for (int i = 0; i < BATCH; i++)
			opaque(devm_kzalloc(dev, 64, GFP_KERNEL));
		device_release_driver(dev);
		if (device_attach(dev) != 1)
			return -1;
	}
	return (now() - t) / (loops * BATCH) * 1e9;
}

static noinline double batch_group(struct device *dev)
{
	long loops = pairs / BATCH;
	double t = now();

	for (long l = 0; l < loops; l++) {
		void *grp = devres_open_group(dev, NULL, GFP_KERNEL);

		for (int i = 0; i < BATCH; i++)
			opaque(devm_kzalloc(dev, 64, GFP_KERNEL));
		devres_release_group(dev, grp);
	}
	return (now() - t) / (loops * BATCH) * 1e9;
}

#define MANY 10000
static int many_probe(struct platform_device *pdev)
{
	for (int i = 0; i < MANY; i++)
		if (!devm_kzalloc(&pdev->dev, 64, GFP_KERNEL))
			return -ENOMEM;
	return 0;
}

static struct platform_driver many_driver = {
	.probe = many_probe,
	.driver = { .name = "bench-many" },
};

static int empty_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver batch_driver = {
	.probe = empty_probe,
	.driver = { .name = "bench-batch" },
};

static double unbind_many(struct platform_device *pdev)
{
	double t;

	if (device_attach(&pdev->dev) != 1)
		return -1;
	t = now();
	device_release_driver(&pdev->dev);
	return (now() - t) / MANY * 1e9;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	double kp = 1e9, dp = 1e9, kb = 1e9, db = 1e9, gb = 1e9, ub = 1e9;
	struct platform_device *pdev, *bdev;
	struct device *dev;

	if (argc > 1 && !strcmp(argv[1], "-q")) {
		rounds = 2;
		pairs = 200000;
	}
	dev = root_device_register("bench");
	pdev = platform_device_register_simple("bench-many", 0, NULL, 0);
	bdev = platform_device_register_simple("bench-batch", 0, NULL, 0);
	if (IS_ERR(dev) || IS_ERR(pdev) || IS_ERR(bdev) || platform_driver_register(&many_driver) ||
	    platform_driver_register(&batch_driver))
		return 1;
	device_release_driver(&pdev->dev);
	for (int r = 0; r < rounds; r++) {
		kp = best(kp, pair_kzalloc());
		dp = best(dp, pair_devm(dev));
		kb = best(kb, batch_kzalloc());
		db = best(db, batch_unbind(bdev));
		gb = best(gb, batch_group(dev));
		ub = best(ub, unbind_many(pdev));
	}
	printf("case    kzalloc+kfree  devm_kzalloc+release  ratio  (goal <= 2.00)\n");
	printf("pair    %10.1f ns  %17.1f ns  %5.2f\n", kp, dp, dp / kp);
	printf("batch   %10.1f ns  %17.1f ns  %5.2f  (released by unbind)\n", kb, db, db / kb);
	printf("group   %10.1f ns  %17.1f ns  %5.2f  (released by devres_release_group)\n", kb, gb,
	       gb / kb);
	printf("unbind of a device with %d devm objects: %.1f ns per object\n", MANY, ub);
	platform_driver_unregister(&many_driver);
	platform_driver_unregister(&batch_driver);
	platform_device_unregister(pdev);
	platform_device_unregister(bdev);
	root_device_unregister(dev);
	return ukmem_exit();
}
