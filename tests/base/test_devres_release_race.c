/* SPDX-License-Identifier: MIT */
/*
 * A device's devres released (platform_device_unregister) while another thread devm_kfree's
 * its objects, also run under ThreadSanitizer.  Every devm_kfree either finds its object
 * and frees it silently, or comes after the release and gets the devm_kfree WARNING; the
 * release frees the rest: nothing is lost, nothing is freed twice, and the reports number
 * exactly the late devm_kfrees.  The release's unlocked peeks at the resource list (lost
 * groups, then the release itself) raced the other thread's unlink: ThreadSanitizer
 * reported them; they now look under the devres lock.
 */
#include <pthread.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define OBJS	300
#define ROUNDS	20

static struct device *dev;
static void *objs[OBJS];
static pthread_barrier_t start;

static void *free_all(void *arg)
{
	pthread_barrier_wait(&start);
	for (int i = 0; i < OBJS; i++)
		devm_kfree(dev, objs[i]);
	return NULL;
}

int main(void)
{
	unsigned long reports = 0;

	for (int r = 0; r < ROUNDS; r++) {
		struct platform_device *pd = platform_device_register_simple("release_race", r, NULL, 0);
		unsigned long before = ukmem_report_count();
		pthread_t t;
		char *out;

		KT_ASSERT(!IS_ERR(pd));
		dev = &pd->dev;
		get_device(dev);
		for (int i = 0; i < OBJS; i++)
			KT_ASSERT((objs[i] = devm_kmalloc(dev, 32, GFP_KERNEL)));
		pthread_barrier_init(&start, NULL, 2);
		KT_EQ(pthread_create(&t, NULL, free_all, NULL), 0);
		kt_capture_begin();
		pthread_barrier_wait(&start);
		platform_device_unregister(pd);
		pthread_join(t, NULL);
		out = kt_capture_end();
		/* each report is a devm_kfree of an object the release had freed already */
		reports += ukmem_report_count() - before;
		KT_ASSERT(ukmem_report_count() - before <= OBJS);
		if (ukmem_report_count() != before)
			KT_CONTAINS(out, "WARNING: CPU: ");
		KT_NOT_CONTAINS(out, "BUG");
		free(out);
		put_device(dev);
		pthread_barrier_destroy(&start);
	}
	printf("%lu late devm_kfree(s) reported in %d rounds\n", reports, ROUNDS);
	KT_EQ(ukmem_exit(), (int)reports);
	printf("ok\n");
	return 0;
}
