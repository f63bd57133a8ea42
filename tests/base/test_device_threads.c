/* SPDX-License-Identifier: MIT */
/*
 * The device model under threads (also run under ThreadSanitizer):
 *  - two threads bind and unbind their own devices concurrently;
 *  - 1,000 devices, two threads binding, unbinding and reprobing random ones: nothing lost
 *    (every probe matched by a remove, no devres left, slab objects back to the start);
 *  - four threads using devres (memory and actions) on one device at once;
 *  - a driver registered and unregistered over and over while another thread adds and
 *    deletes devices it matches.
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/platform_device.h>
#include <linux/err.h>
#include "basetest.h"

static int nr_probes, nr_removes;	/* atomic */

static void free_action(void *p)
{
	kfree(p);
}

static int t_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	void *p;

	__atomic_fetch_add(&nr_probes, 1, __ATOMIC_RELAXED);
	if (!devm_kzalloc(dev, 48, GFP_KERNEL) || !devm_kasprintf(dev, GFP_KERNEL, "%s", dev_name(dev)))
		return -ENOMEM;
	p = kmalloc(16, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	return devm_add_action_or_reset(dev, free_action, p);
}

static int t_remove(struct platform_device *pdev)
{
	__atomic_fetch_add(&nr_removes, 1, __ATOMIC_RELAXED);
	return 0;
}

static struct platform_driver t_driver = {
	.probe = t_probe,
	.remove = t_remove,
	.driver = { .name = "tdev" },
};

#define NDEV 1000
static struct platform_device *devs[NDEV];

struct worker {
	pthread_t tid;
	unsigned int seed;
	int first, count, rounds;
};

static void *own_devices(void *arg)
{
	struct worker *w = arg;

	for (int r = 0; r < w->rounds; r++)
		for (int i = w->first; i < w->first + w->count; i++) {
			KT_EQ(device_attach(&devs[i]->dev), 1);
			device_release_driver(&devs[i]->dev);
		}
	return NULL;
}

static void *random_ops(void *arg)
{
	struct worker *w = arg;

	for (int r = 0; r < w->rounds; r++) {
		struct device *dev = &devs[rand_r(&w->seed) % NDEV]->dev;

		switch (rand_r(&w->seed) % 3) {
		case 0:
			KT_ASSERT(device_attach(dev) >= 0);
			break;
		case 1:
			device_release_driver(dev);
			break;
		case 2:
			KT_EQ(device_reprobe(dev), 0);
			break;
		}
	}
	return NULL;
}

static void run(void *(*fn)(void *), struct worker *w, int n)
{
	for (int i = 0; i < n; i++)
		KT_EQ(pthread_create(&w[i].tid, NULL, fn, &w[i]), 0);
	for (int i = 0; i < n; i++)
		KT_EQ(pthread_join(w[i].tid, NULL), 0);
}

static void check_nothing_lost(long slab0)
{
	int bound = 0;

	for (int i = 0; i < NDEV; i++) {
		if (device_is_bound(&devs[i]->dev))
			bound++;
		else
			KT_ASSERT(list_empty(&devs[i]->dev.devres_head));
	}
	KT_EQ(__atomic_load_n(&nr_probes, __ATOMIC_RELAXED),
	      __atomic_load_n(&nr_removes, __ATOMIC_RELAXED) + bound);
	platform_driver_unregister(&t_driver);
	for (int i = 0; i < NDEV; i++)
		KT_ASSERT(!devs[i]->dev.driver && list_empty(&devs[i]->dev.devres_head));
	KT_EQ(__atomic_load_n(&nr_probes, __ATOMIC_RELAXED),
	      __atomic_load_n(&nr_removes, __ATOMIC_RELAXED));
	KT_EQ(bt_slab_active(), slab0);
}

static void test_two_threads_own_devices(void)
{
	struct worker w[2] = { { .first = 0, .count = 10, .rounds = 200 },
			       { .first = 10, .count = 10, .rounds = 200 } };
	long slab0 = bt_slab_active();

	t_driver.driver.bus = NULL;
	KT_EQ(platform_driver_register(&t_driver), 0);
	for (int i = 0; i < 20; i++)
		device_release_driver(&devs[i]->dev);
	run(own_devices, w, 2);
	check_nothing_lost(slab0);
}

static void test_random_stress(void)
{
	struct worker w[2] = { { .seed = 1, .rounds = 20000 }, { .seed = 2, .rounds = 20000 } };
	long slab0 = bt_slab_active();

	nr_probes = nr_removes = 0;
	KT_EQ(platform_driver_register(&t_driver), 0);	/* binds all 1,000 */
	KT_EQ(nr_probes, NDEV);
	run(random_ops, w, 2);
	check_nothing_lost(slab0);
}

/* ---- devres from several threads on one device ---- */
static struct device *shared_dev;

static void *devres_worker(void *arg)
{
	struct worker *w = arg;
	void *mine[64];

	for (int r = 0; r < w->rounds; r++) {
		for (int i = 0; i < 64; i++)
			KT_ASSERT((mine[i] = devm_kmalloc(shared_dev, 8 + i, GFP_KERNEL)));
		for (int i = 0; i < 64; i += 2)
			devm_kfree(shared_dev, mine[i]);
		/* (No groups here: a group spans what every thread adds after it opens.) */
		KT_EQ(devm_add_action(shared_dev, free_action, mine[1]), 0);
		KT_ASSERT(devm_is_action_added(shared_dev, free_action, mine[1]));
		devm_remove_action(shared_dev, free_action, mine[1]);
		for (int i = 1; i < 64; i += 2)
			devm_kfree(shared_dev, mine[i]);
	}
	return NULL;
}

static void test_shared_devres(void)
{
	struct worker w[4] = { { .rounds = 300 }, { .rounds = 300 }, { .rounds = 300 },
			       { .rounds = 300 } };
	long slab0 = bt_slab_active();

	shared_dev = root_device_register("shared");
	KT_ASSERT(!IS_ERR(shared_dev));
	run(devres_worker, w, 4);
	KT_ASSERT(list_empty(&shared_dev->devres_head));
	root_device_unregister(shared_dev);
	KT_EQ(ukmem_report_count(), 0);
	KT_ASSERT(bt_slab_active() <= slab0);
}

/* ---- a driver coming and going while devices come and go ---- */
static volatile int stop;

static void *driver_churn(void *arg)
{
	struct worker *w = arg;

	for (int r = 0; r < w->rounds; r++) {
		KT_EQ(platform_driver_register(&t_driver), 0);
		platform_driver_unregister(&t_driver);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void *device_churn(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct platform_device *p = platform_device_register_simple("tdev", 5000, NULL, 0);

		KT_ASSERT(!IS_ERR(p));
		platform_device_unregister(p);
	}
	return NULL;
}

static void test_driver_churn(void)
{
	struct worker w[2] = { { .rounds = 300 }, { .rounds = 0 } };
	long slab0 = bt_slab_active();

	nr_probes = nr_removes = 0;
	KT_EQ(pthread_create(&w[0].tid, NULL, driver_churn, &w[0]), 0);
	KT_EQ(pthread_create(&w[1].tid, NULL, device_churn, &w[1]), 0);
	KT_EQ(pthread_join(w[0].tid, NULL), 0);
	KT_EQ(pthread_join(w[1].tid, NULL), 0);
	for (int i = 0; i < NDEV; i++)
		KT_ASSERT(!devs[i]->dev.driver && list_empty(&devs[i]->dev.devres_head));
	KT_EQ(__atomic_load_n(&nr_probes, __ATOMIC_RELAXED),
	      __atomic_load_n(&nr_removes, __ATOMIC_RELAXED));
	KT_EQ(bt_slab_active(), slab0);
}

int main(void)
{
	long slab0 = bt_slab_active();

	for (int i = 0; i < NDEV; i++) {
		devs[i] = platform_device_register_simple("tdev", i, NULL, 0);
		KT_ASSERT(!IS_ERR(devs[i]));
	}
	test_two_threads_own_devices();
	test_random_stress();
	test_shared_devres();
	test_driver_churn();
	for (int i = 0; i < NDEV; i++)
		platform_device_unregister(devs[i]);
	KT_EQ(bt_slab_active(), slab0);
	KT_EQ(ukmem_exit(), 0);
	printf("test_device_threads: ok\n");
	return 0;
}
