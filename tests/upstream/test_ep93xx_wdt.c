/* SPDX-License-Identifier: MIT */
/*
 * drivers/watchdog/ep93xx_wdt.c (Linux 6.1, unmodified) against an emulated Cirrus Logic
 * EP93xx watchdog.  The model follows the driver: EP93XX_WATCHDOG (0x00) reads the boot
 * status (bit 0: the last reset came from the watchdog; bit 3: nCS1 disable detected) and
 * takes commands: 0xaaaa enables, 0xaa55 disables, 0x5555 kicks; anything else is a bug.
 * An enabled watchdog fires 250 ms after its last kick (the driver's header), which the
 * model notes on every access.
 *
 * The test finds the watchdog by its device's name and as watchdog0, checks the boot
 * status and the timeouts the core set up, then drives it as /dev/watchdog would and
 * asserts the exact register writes: a ping or a timeout change while stopped writes
 * nothing; start writes 0xaaaa, ping and a timeout change 0x5555, stop 0xaa55; start while
 * active and stop while stopped write nothing; bad timeouts are refused.  Unbinding an
 * active watchdog leaves the hardware running (the driver does not ask to stop on
 * unregister), as in the kernel.  With ep93xx_wdt.nowayout=1 (second run) stop gives -EBUSY
 * and the hardware keeps running.  Leak check at the end.
 */
#include <stdlib.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/watchdog.h>
#include "upstream.h"

#define BASE		0xc0940000ULL
#define WDOG		0x00
#define WDSTATUS	0x04
#define FIRE_NS		250000000ULL

static struct wdt_model {
	u32 boot;		/* what reads of EP93XX_WATCHDOG give */
	bool enabled;
	bool fired;
	u64 last_kick_ns;
	int bad;		/* unknown commands, unknown registers, odd widths */
} m = { .boot = 0x01 };

static u64 now_ns(void)
{
	return (u64)ktime_get_ns();
}

static void wdt_check(struct wdt_model *d)
{
	if (d->enabled && now_ns() - d->last_kick_ns > FIRE_NS)
		d->fired = true;
}

static u64 wdt_read(void *priv, u64 off, unsigned int size)
{
	struct wdt_model *d = priv;

	wdt_check(d);
	if (size != 4 || (off != WDOG && off != WDSTATUS)) {
		d->bad++;
		return 0;
	}
	return off == WDOG ? d->boot : 0;
}

static void wdt_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct wdt_model *d = priv;

	wdt_check(d);
	if (size != 4 || off != WDOG) {
		d->bad++;
		return;
	}
	switch (val) {
	case 0xaaaa:
		d->enabled = true;
		d->last_kick_ns = now_ns();
		break;
	case 0xaa55:
		d->enabled = false;
		break;
	case 0x5555:
		d->last_kick_ns = now_ns();
		break;
	default:
		d->bad++;
	}
}

static const struct ukmem_mmio_ops wdt_ops = { wdt_read, wdt_write };
static const struct resource wdt_res[] = { DEFINE_RES_MEM(BASE, 0x8) };
static const struct platform_device_info wdt_info = {
	.name = "ep93xx-wdt", .id = PLATFORM_DEVID_NONE, .res = wdt_res, .num_res = 1,
};
static struct reg_log log;

/* Probing never starts the watchdog, and no watchdog stays registered. */
static int wdt_idle(void)
{
	return m.enabled || m.bad || ukmem_watchdog_find("watchdog0") != NULL;
}

int main(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	bool nowayout = cmdline && strstr(cmdline, "ep93xx_wdt.nowayout=1");
	struct platform_device *pdev;
	struct watchdog_device *wdd;
	char *out;

	KT_EQ(ukmem_mmio_add("ep93xx-wdt-hw", BASE, 0x8, &wdt_ops, &m), 0);
	KT_EQ(ukmem_mmio_set_hook(BASE, reg_log_hook, &log), 0);
	KT_EQ(ukmem_modules_init(), 0);

	kt_capture_begin();
	pdev = add_device(&wdt_info);
	out = kt_capture_end();
	KT_ASSERT(device_is_bound(&pdev->dev));
	KT_CONTAINS(out, "ep93xx-wdt ep93xx-wdt: EP93XX watchdog driver \n");
	free(out);
	REG_LOG_EXPECT(&log, R(WDOG, 0x01));		/* probe reads the boot status */

	wdd = ukmem_watchdog_find("ep93xx-wdt");
	KT_ASSERT(wdd);
	KT_ASSERT(ukmem_watchdog_find("watchdog0") == wdd);
	KT_ASSERT(!ukmem_watchdog_find("watchdog1"));
	KT_EQ(wdd->id, 0);
	KT_EQ(wdd->bootstatus, WDIOF_CARDRESET);
	KT_EQ(wdd->timeout, cmdline && strstr(cmdline, "ep93xx_wdt.timeout=60") ? 60 : 30);
	KT_EQ(wdd->min_timeout, 1);
	KT_EQ(wdd->max_hw_heartbeat_ms, 200);
	KT_ASSERT(!watchdog_active(wdd));
	KT_EQ(!!(wdd->status & (1UL << WDOG_NO_WAY_OUT)), nowayout);

	/* Stopped: neither a ping nor a new timeout reaches the hardware. */
	reg_log_clear(&log);
	KT_EQ(ukmem_watchdog_ping(wdd), 0);
	KT_EQ(ukmem_watchdog_set_timeout(wdd, 10), 0);
	KT_EQ(wdd->timeout, 10);
	KT_EQ(log.n, 0);

	/* Start, ping, a new timeout (pings), refused timeouts, start again, stop, stop. */
	KT_EQ(ukmem_watchdog_start(wdd), 0);
	KT_ASSERT(watchdog_active(wdd));
	KT_EQ(ukmem_watchdog_ping(wdd), 0);
	KT_EQ(ukmem_watchdog_set_timeout(wdd, 20), 0);
	KT_EQ(wdd->timeout, 20);
	KT_EQ(ukmem_watchdog_set_timeout(wdd, 0), -EINVAL);		/* under min_timeout */
	KT_EQ(ukmem_watchdog_set_timeout(wdd, UINT_MAX / 1000 + 1), -EINVAL);
	KT_EQ(wdd->timeout, 20);
	KT_EQ(ukmem_watchdog_start(wdd), 0);
	out = kt_show("watchdog");
	KT_CONTAINS(out, "watchdog0: ep93xx-wdt identity \"EP93xx Watchdog\" timeout 20 status active");
	free(out);
	if (!nowayout) {
		KT_EQ(ukmem_watchdog_stop(wdd), 0);
		KT_ASSERT(!watchdog_active(wdd));
		KT_EQ(ukmem_watchdog_stop(wdd), 0);
		REG_LOG_EXPECT(&log, W(WDOG, 0xaaaa), W(WDOG, 0x5555), W(WDOG, 0x5555),
			       W(WDOG, 0xaa55));
		KT_ASSERT(!m.enabled);
		/* Start again and unbind while active: the hardware keeps running. */
		KT_EQ(ukmem_watchdog_start(wdd), 0);
	} else {
		kt_capture_begin();
		KT_EQ(ukmem_watchdog_stop(wdd), -EBUSY);
		out = kt_capture_end();
		KT_CONTAINS(out, "watchdog: watchdog0: nowayout prevents watchdog being stopped!\n");
		free(out);
		KT_ASSERT(watchdog_active(wdd));
		REG_LOG_EXPECT(&log, W(WDOG, 0xaaaa), W(WDOG, 0x5555), W(WDOG, 0x5555));
	}
	KT_ASSERT(m.enabled);
	reg_log_clear(&log);
	platform_device_unregister(pdev);
	KT_EQ(log.n, 0);
	KT_ASSERT(m.enabled);
	KT_ASSERT(!ukmem_watchdog_find("ep93xx-wdt"));
	KT_ASSERT(!ukmem_watchdog_find("watchdog0"));
	KT_EQ(ukmem_watchdog_ping(wdd), -ENODEV);	/* only compared, never dereferenced */
	wdt_check(&m);
	KT_ASSERT(!m.fired);
	m.enabled = false;		/* the board resets the block */

	probe_sweep(&wdt_info, wdt_idle);

	ukmem_mmio_remove(BASE);
	KT_EQ(ukmem_exit(), 0);
	printf("ep93xx_wdt: register writes as expected%s\n", nowayout ? " (nowayout)" : "");
	return 0;
}
