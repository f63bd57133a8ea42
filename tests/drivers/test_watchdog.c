/* SPDX-License-Identifier: MIT */
/*
 * The watchdog core with drivers written here: registration checks and their message;
 * watchdogN ids, reused after unregister; watchdog_init_timeout with a good and a bad
 * parameter and with min > max; ping falls back to start for a driver without ping; a
 * driver without stop leaves WDOG_HW_RUNNING set and is then pinged although not active,
 * and started by a ping; the driver's own set_timeout; the -EOPNOTSUPP checks; pings closer
 * than min_hw_heartbeat_ms are skipped; stop_on_unregister; the report's note where the
 * kernel would run its keepalive worker.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/watchdog.h>
#include <ukmem.h>
#include "ktest.h"

static int starts, stops, pings, set_timeouts;

static int w_start(struct watchdog_device *wdd) { starts++; return 0; }
static int w_stop(struct watchdog_device *wdd) { stops++; return 0; }
static int w_ping(struct watchdog_device *wdd) { pings++; return 0; }
static int w_set_timeout(struct watchdog_device *wdd, unsigned int t)
{
	set_timeouts++;
	wdd->timeout = t & ~1u;		/* the hardware has even steps */
	return 0;
}

static const struct watchdog_info info_full = {
	.options = WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE,
	.identity = "full",
};
static const struct watchdog_info info_bare = { .options = 0, .identity = "bare" };
static const struct watchdog_ops ops_full = { .start = w_start, .stop = w_stop, .ping = w_ping };
static const struct watchdog_ops ops_noping = { .start = w_start, .stop = w_stop };
static const struct watchdog_ops ops_nostop = { .start = w_start, .ping = w_ping };
static const struct watchdog_ops ops_own_timeout = {
	.start = w_start, .stop = w_stop, .ping = w_ping, .set_timeout = w_set_timeout,
};

static void reset(void)
{
	starts = stops = pings = set_timeouts = 0;
}

static void test_register(void)
{
	struct watchdog_device a = { .info = &info_full, .ops = &ops_full, .timeout = 10 };
	struct watchdog_device b = { .info = &info_full, .ops = &ops_full, .timeout = 10 };
	struct watchdog_device nostart = { .info = &info_full, .ops = &ops_nostop };
	struct watchdog_device nostop = { .info = &info_full, .ops = &ops_nostop };
	static const struct watchdog_ops no_start = { .stop = w_stop };
	char *out;

	nostart.ops = &no_start;
	kt_capture_begin();
	KT_EQ(watchdog_register_device(&nostart), -EINVAL);
	KT_EQ(watchdog_register_device(&nostop), -EINVAL);	/* no stop, no max_hw_heartbeat_ms */
	out = kt_capture_end();
	KT_CONTAINS(out, "full: failed to register watchdog device (err = -22)");
	free(out);

	KT_EQ(watchdog_register_device(&a), 0);
	KT_EQ(watchdog_register_device(&b), 0);
	KT_EQ(a.id, 0);
	KT_EQ(b.id, 1);
	KT_ASSERT(ukmem_watchdog_find("watchdog1") == &b);
	watchdog_unregister_device(&a);
	KT_ASSERT(!ukmem_watchdog_find("watchdog0"));
	KT_EQ(watchdog_register_device(&a), 0);
	KT_EQ(a.id, 0);					/* the lowest free id */
	watchdog_unregister_device(&a);
	watchdog_unregister_device(&b);
}

/* The device tree's "timeout-sec" as of_property_read_u32 reads it: the first cell of a
 * property of at least 4 bytes (a longer one too); a zero is out of range. */
static void test_dt_timeout(struct watchdog_device *w)
{
	static u8 cells[8] = { 0, 0, 0, 20, 0, 0, 0, 7 };
	struct property prop = { .name = "timeout-sec", .length = 8, .value = cells };
	struct device_node np = { .name = "wdt", .full_name = "wdt", .properties = &prop };
	struct device dev = { .of_node = &np };
	char *out;

	KT_EQ(watchdog_init_timeout(w, 0, &dev), 0);
	KT_EQ(w->timeout, 20);
	prop.length = 4;
	cells[3] = 25;
	KT_EQ(watchdog_init_timeout(w, 0, &dev), 0);
	KT_EQ(w->timeout, 25);
	cells[3] = 0;
	kt_capture_begin();
	KT_EQ(watchdog_init_timeout(w, 0, &dev), -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "watchdog: full: DT supplied timeout (0) out of range\n");
	KT_CONTAINS(out, "watchdog: full: falling back to default timeout (25)\n");
	free(out);
}

static void test_init_timeout(void)
{
	struct watchdog_device w = { .info = &info_full, .ops = &ops_full, .timeout = 30,
				     .min_timeout = 1, .max_timeout = 60 };
	char *out;

	KT_EQ(watchdog_init_timeout(&w, 45, NULL), 0);
	KT_EQ(w.timeout, 45);
	kt_capture_begin();
	KT_EQ(watchdog_init_timeout(&w, 61, NULL), -EINVAL);
	out = kt_capture_end();
	KT_CONTAINS(out, "watchdog: full: driver supplied timeout (61) out of range\n");
	KT_CONTAINS(out, "watchdog: full: falling back to default timeout (45)\n");
	free(out);
	KT_EQ(w.timeout, 45);
	KT_EQ(watchdog_init_timeout(&w, 0, NULL), 0);		/* nothing asked */

	w.min_timeout = 100;
	kt_capture_begin();
	watchdog_init_timeout(&w, 0, NULL);
	out = kt_capture_end();
	KT_CONTAINS(out, "watchdog: Invalid min and max timeout values, resetting to 0!\n");
	free(out);
	KT_EQ(w.min_timeout, 0);
	KT_EQ(w.max_timeout, 0);
	test_dt_timeout(&w);
}

static void test_paths(void)
{
	struct watchdog_device w = { .info = &info_full, .ops = &ops_noping, .timeout = 10 };
	struct watchdog_device h = { .info = &info_full, .ops = &ops_nostop, .timeout = 10,
				     .max_hw_heartbeat_ms = 5000 };
	struct watchdog_device t = { .info = &info_full, .ops = &ops_own_timeout, .timeout = 10 };
	struct watchdog_device bare = { .info = &info_bare, .ops = &ops_full, .timeout = 10 };
	char *out;

	/* No ping op: a ping restarts. */
	KT_EQ(watchdog_register_device(&w), 0);
	reset();
	KT_EQ(ukmem_watchdog_start(&w), 0);
	KT_EQ(ukmem_watchdog_ping(&w), 0);
	KT_EQ(starts, 2);
	KT_EQ(ukmem_watchdog_stop(&w), 0);
	KT_EQ(stops, 1);
	watchdog_unregister_device(&w);

	/* No stop op: "stop" leaves the hardware running; the core then pings it. */
	KT_EQ(watchdog_register_device(&h), 0);
	reset();
	KT_EQ(ukmem_watchdog_start(&h), 0);
	KT_EQ(starts, 1);
	out = kt_show("watchdog");
	KT_CONTAINS(out, "timeout 10 status active (the kernel would ping it: no worker here)");
	free(out);
	KT_EQ(ukmem_watchdog_stop(&h), 0);
	KT_ASSERT(!watchdog_active(&h));
	KT_ASSERT(watchdog_hw_running(&h));
	KT_EQ(ukmem_watchdog_ping(&h), 0);
	KT_EQ(pings, 1);
	KT_EQ(ukmem_watchdog_start(&h), 0);	/* running hardware: started by a ping */
	KT_EQ(starts, 1);
	KT_EQ(pings, 2);
	KT_ASSERT(watchdog_active(&h));
	watchdog_unregister_device(&h);

	/* The driver's own set_timeout; then a ping only if running. */
	KT_EQ(watchdog_register_device(&t), 0);
	reset();
	KT_EQ(ukmem_watchdog_set_timeout(&t, 7), 0);
	KT_EQ(t.timeout, 6);
	KT_EQ(set_timeouts, 1);
	KT_EQ(pings, 0);
	KT_EQ(ukmem_watchdog_start(&t), 0);
	KT_EQ(ukmem_watchdog_set_timeout(&t, 9), 0);
	KT_EQ(pings, 1);
	/* min_hw_heartbeat_ms: a ping right after another is skipped. */
	t.min_hw_heartbeat_ms = 10000;
	KT_EQ(ukmem_watchdog_ping(&t), 0);
	KT_EQ(pings, 1);
	t.min_hw_heartbeat_ms = 0;
	KT_EQ(ukmem_watchdog_ping(&t), 0);
	KT_EQ(pings, 2);
	/* stop_on_unregister: an active watchdog is stopped on the way out. */
	watchdog_stop_on_unregister(&t);
	watchdog_unregister_device(&t);
	KT_EQ(stops, 1);
	KT_EQ(ukmem_watchdog_ping(&t), -ENODEV);

	/* Without the options: -EOPNOTSUPP. */
	KT_EQ(watchdog_register_device(&bare), 0);
	KT_EQ(ukmem_watchdog_set_timeout(&bare, 5), -EOPNOTSUPP);
	KT_EQ(ukmem_watchdog_start(&bare), 0);
	KT_EQ(ukmem_watchdog_ping(&bare), -EOPNOTSUPP);
	KT_EQ(ukmem_watchdog_stop(&bare), 0);
	watchdog_unregister_device(&bare);
	KT_ASSERT(!ukmem_watchdog_find("watchdog0"));
	KT_ASSERT(!ukmem_watchdog_find(NULL));
}

int main(void)
{
	test_register();
	test_init_timeout();
	test_paths();
	KT_EQ(ukmem_exit(), 0);
	printf("watchdog core: ok\n");
	return 0;
}
