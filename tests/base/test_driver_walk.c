/* SPDX-License-Identifier: MIT */
/*
 * Driver walks against driver_unregister (also run under ThreadSanitizer).  Once
 * driver_unregister() returns, the driver's memory may go (a module unloads, a thread's own
 * driver dies with the thread), so no walk may still be calling into it:
 *  - a bus_for_each_drv() callback that is running on a driver when another thread
 *    unregisters it has returned before driver_unregister() does;
 *  - a callback that unregisters its own driver returns (it is not waited for);
 *  - the first-call test's pattern, many times and in fresh processes, before and after
 *    ukmem_exit: 4 threads each register a driver of their own (freed and poisoned right after
 *    its unregister), walk the bus from it once all are registered and unregister it, so a
 *    walk meets drivers being unregistered; every callback must see a live driver.  This crashed once in about ten runs of the first-call test before the fix.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/platform_device.h>
#include "basetest.h"

#define LIVE	0x11fe11feU
#define GONE	0xdeadbeefU

/* A driver the test allocates, with a word saying whether it is still live. */
struct wdrv {
	struct platform_driver pdrv;
	unsigned int magic;
	char name[32];
};

static struct wdrv *wdrv_of(struct device_driver *drv)
{
	return container_of(to_platform_driver(drv), struct wdrv, pdrv);
}

/* ---- a callback running while its driver is unregistered ---- */

static struct platform_driver slow_drv = { .driver = { .name = "walk_slow" } };
static int slow_inside, slow_done;	/* atomic */

static int slow_visit(struct device_driver *drv, void *data)
{
	if (drv != &slow_drv.driver)
		return 0;
	__atomic_store_n(&slow_inside, 1, __ATOMIC_RELEASE);
	usleep(100 * 1000);		/* the other thread's driver_unregister runs meanwhile */
	__atomic_store_n(&slow_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void *slow_walker(void *arg)
{
	KT_EQ(bus_for_each_drv(&platform_bus_type, NULL, NULL, slow_visit), 0);
	return NULL;
}

static void test_unregister_waits_for_callback(void)
{
	pthread_t t;

	KT_EQ(platform_driver_register(&slow_drv), 0);
	KT_EQ(pthread_create(&t, NULL, slow_walker, NULL), 0);
	while (!__atomic_load_n(&slow_inside, __ATOMIC_ACQUIRE))
		usleep(100);
	platform_driver_unregister(&slow_drv);
	KT_EQ(__atomic_load_n(&slow_done, __ATOMIC_ACQUIRE), 1);
	pthread_join(t, NULL);
	/* Gone from the walks. */
	slow_inside = 0;
	KT_EQ(bus_for_each_drv(&platform_bus_type, NULL, NULL, slow_visit), 0);
	KT_EQ(slow_inside, 0);
}

/* ---- a callback unregistering its own driver ---- */

static struct platform_driver self_drv = { .driver = { .name = "walk_self" } };
static int self_calls;

static int self_visit(struct device_driver *drv, void *data)
{
	if (drv != &self_drv.driver)
		return 0;
	self_calls++;
	platform_driver_unregister(&self_drv);
	return 1;
}

static void test_callback_unregisters_its_driver(void)
{
	KT_EQ(platform_driver_register(&self_drv), 0);
	KT_EQ(bus_for_each_drv(&platform_bus_type, NULL, NULL, self_visit), 1);
	KT_EQ(self_calls, 1);
	KT_ASSERT(!driver_find("walk_self", &platform_bus_type));
}

/* ---- the first-call test's pattern ---- */

#define RACERS	4
static pthread_barrier_t barrier;
static int visits;	/* atomic */

static int check_visit(struct device_driver *drv, void *data)
{
	struct wdrv *w = wdrv_of(drv);

	if (__atomic_load_n(&w->magic, __ATOMIC_RELAXED) != LIVE)
		KT_FAIL("a walk called into driver %p after its unregister", (void *)w);
	__atomic_fetch_add(&visits, 1, __ATOMIC_RELAXED);
	return 0;
}

static void *racer(void *arg)
{
	struct wdrv *w = calloc(1, sizeof(*w));

	KT_ASSERT(w);
	snprintf(w->name, sizeof(w->name), "walk_%lu", (unsigned long)arg);
	w->pdrv.driver.name = w->name;
	w->magic = LIVE;
	pthread_barrier_wait(&barrier);
	KT_EQ(platform_driver_register(&w->pdrv), 0);
	pthread_barrier_wait(&barrier);		/* all registered: the walks see each other's */
	KT_EQ(bus_for_each_drv(&platform_bus_type, &w->pdrv.driver, NULL, check_visit), 0);
	platform_driver_unregister(&w->pdrv);
	__atomic_store_n(&w->magic, GONE, __ATOMIC_RELAXED);
	free(w);
	return NULL;
}

static void race_round(void)
{
	pthread_t t[RACERS];

	pthread_barrier_init(&barrier, NULL, RACERS);
	for (unsigned long i = 0; i < RACERS; i++)
		KT_EQ(pthread_create(&t[i], NULL, racer, (void *)i), 0);
	for (int i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
}

/* In a fresh process: as the first call, or right after ukmem_init and ukmem_exit. */
static void race_child(void *after_exit)
{
	if (after_exit && (ukmem_init(getenv("UKMEM_CMDLINE")) || ukmem_exit()))
		KT_FAIL("cannot start and shut down");
	for (int r = 0; r < 20; r++)
		race_round();
	KT_EQ(ukmem_report_count(), 0);
	exit(0);
}

/* Before this process touches ukmem: every child is a fresh start. */
static void test_walk_race_fresh(void)
{
	for (int p = 0; p < 40; p++) {
		char *out;
		int status = kt_run_child(race_child, (void *)(long)(p & 1), &out);

		if (!WIFEXITED(status) || WEXITSTATUS(status))
			KT_FAIL("fresh process %d (%s): status %#x:\n%s", p,
				p & 1 ? "after ukmem_exit" : "first call", status, out);
		free(out);
	}
}

static void test_walk_race(void)
{
	long slab0 = bt_slab_active();

	for (int r = 0; r < 200; r++)
		race_round();
	/* Walks overlapped other threads' drivers at least sometimes. */
	printf("driver walk race: %d calls into other threads' drivers in 200 rounds\n", visits);
	KT_EQ(bt_slab_active(), slab0);
}

int main(void)
{
	test_walk_race_fresh();
	test_unregister_waits_for_callback();
	test_callback_unregisters_its_driver();
	test_walk_race();
	KT_EQ(ukmem_exit(), 0);
	printf("test_driver_walk: ok\n");
	return 0;
}
