/* SPDX-License-Identifier: MIT */
/*
 * The driver-support cores under concurrent use: four threads read through the hwrng core
 * while a second rng is registered and unregistered (becoming current and giving way) 300
 * times: every word a driver produced is handed out at most once and none is torn (the
 * core serialises driver reads and its shared buffer); clk_enable/clk_disable pairs from
 * four threads leave the count at 0; watchdog pings from four threads all reach the driver.
 */
#include <pthread.h>
#include <linux/clk.h>
#include <linux/hw_random.h>
#include <linux/kernel.h>
#include <linux/watchdog.h>
#include <ukmem.h>
#include "ktest.h"

#define THREADS	4
#define ROUNDS	200

static u32 counter;	/* words are 1, 2, 3, ... across both rngs (driver reads are serialised) */
static u8 seen[THREADS * ROUNDS * 64 / 4 + 300 * 2 * 8 + 64];	/* reads, early randomness */

static int count_read(struct hwrng *rng, void *data, size_t max, bool wait)
{
	u32 *p = data;

	for (int i = 0; i < 4; i++)
		p[i] = ++counter;
	return 16;
}

static struct hwrng r1 = { .name = "r1", .read = count_read };
static struct hwrng r2 = { .name = "r2", .read = count_read, .quality = 500 };
static volatile int stop_flipping;
static int torn;

static void *reader(void *arg)
{
	u32 buf[16];

	for (int i = 0; i < ROUNDS; i++) {
		ssize_t n = ukmem_hwrng_read(NULL, buf, sizeof(buf), true);

		if (n != (ssize_t)sizeof(buf)) {
			__atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
			continue;
		}
		for (int k = 0; k < 16; k++) {
			if (!buf[k] || buf[k] >= sizeof(seen) ||
			    __atomic_fetch_add(&seen[buf[k]], 1, __ATOMIC_RELAXED))
				__atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void *flipper(void *arg)
{
	for (int i = 0; i < 300 && !__atomic_load_n(&stop_flipping, __ATOMIC_ACQUIRE); i++) {
		if (hwrng_register(&r2) == 0)
			hwrng_unregister(&r2);
	}
	return NULL;
}

static struct clk *shared_clk;

static void *clk_user(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		if (clk_enable(shared_clk) == 0)
			clk_disable(shared_clk);
	}
	return NULL;
}

static int pings;
static int w_start(struct watchdog_device *wdd) { return 0; }
static int w_stop(struct watchdog_device *wdd) { return 0; }
static int w_ping(struct watchdog_device *wdd) { pings++; return 0; }	/* core's lock held */
static const struct watchdog_info w_info = { .options = WDIOF_KEEPALIVEPING, .identity = "t" };
static const struct watchdog_ops w_ops = { .start = w_start, .stop = w_stop, .ping = w_ping };
static struct watchdog_device wdd = { .info = &w_info, .ops = &w_ops, .timeout = 10 };

static void *pinger(void *arg)
{
	for (int i = 0; i < ROUNDS; i++)
		ukmem_watchdog_ping(&wdd);
	return NULL;
}

static void run(void *(*fn)(void *))
{
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++)
		KT_EQ(pthread_create(&t[i], NULL, fn, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

int main(void)
{
	pthread_t flip;

	KT_EQ(hwrng_register(&r1), 0);
	KT_EQ(pthread_create(&flip, NULL, flipper, NULL), 0);
	run(reader);
	__atomic_store_n(&stop_flipping, 1, __ATOMIC_RELEASE);
	pthread_join(flip, NULL);
	KT_EQ(torn, 0);
	hwrng_unregister(&r1);

	KT_EQ(ukmem_clk_add("threads", NULL, 1000), 0);
	shared_clk = clk_get_sys("threads", NULL);
	KT_EQ(clk_prepare(shared_clk), 0);
	run(clk_user);
	KT_EQ(ukmem_clk_enable_count("threads", NULL), 0);
	clk_unprepare(shared_clk);
	clk_put(shared_clk);

	KT_EQ(watchdog_register_device(&wdd), 0);
	KT_EQ(ukmem_watchdog_start(&wdd), 0);
	run(pinger);
	KT_EQ(pings, THREADS * ROUNDS);
	KT_EQ(ukmem_watchdog_stop(&wdd), 0);
	watchdog_unregister_device(&wdd);

	KT_EQ(ukmem_exit(), 0);
	printf("cores under threads: ok (%u words)\n", counter);
	return 0;
}
