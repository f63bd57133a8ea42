/* SPDX-License-Identifier: MIT */
/*
 * Misuse of the driver-support cores is reported and survived, each in a child of its own:
 * hwrng_unregister of a generator unregistered already or never registered (6.1 list_del()s
 * it again: before, a general protection fault, or a silent crash as a first call);
 * clk_put of a handle put already (before, the clock's handle count dropped twice through
 * freed memory, and the last handle's put wrapped it); an error pointer passed to
 * clk_prepare, clk_enable, clk_get_rate or clk_set_rate (before, a crash); a watchdog
 * registered twice (before, two list entries and a NULL dereference at the next start); a
 * hwrng read into a NULL buffer is 6.1's -EFAULT (before, a crash in memcpy).
 */
#include <linux/clk.h>
#include <linux/err.h>
#include <linux/hw_random.h>
#include <linux/kernel.h>
#include <linux/watchdog.h>
#include <ukmem.h>
#include "ktest.h"

static int rng_reads;

static int rng_read(struct hwrng *rng, void *data, size_t max, bool wait)
{
	rng_reads++;
	memset(data, 0x5a, 8);
	return 8;
}

static struct hwrng rng_a = { .name = "misuse-a", .read = rng_read };
static struct hwrng rng_b = { .name = "misuse-b", .read = rng_read, .quality = 10 };
static struct hwrng rng_never = { .name = "never", .read = rng_read };

static void hwrng_twice(void *arg)
{
	u8 buf[4];

	KT_EQ(hwrng_register(&rng_a), 0);
	KT_EQ(hwrng_register(&rng_b), 0);
	hwrng_unregister(&rng_b);
	hwrng_unregister(&rng_b);		/* again: warned, nothing done */
	/* the list is whole: the one left reads, and leaves cleanly */
	KT_EQ(ukmem_hwrng_read(NULL, buf, sizeof(buf), false), 4);
	KT_CONTAINS(kt_show("hwrng"), "rng_current: misuse-a");
	/* a NULL buffer: 6.1's -EFAULT from copy_to_user, the driver's bytes consumed */
	rng_reads = 0;
	KT_EQ(ukmem_hwrng_read(NULL, NULL, 20, false), -EFAULT);
	KT_EQ(ukmem_hwrng_read(NULL, NULL, 0, false), 0);
	KT_EQ(ukmem_hwrng_read(NULL, buf, sizeof(buf), false), 4);
	KT_EQ(rng_reads, 1);	/* the 4 bytes left went to the faulting read: a new driver read */

	hwrng_unregister(&rng_a);
	KT_EQ(ukmem_hwrng_read(NULL, buf, sizeof(buf), false), -ENODEV);
	KT_EQ(ukmem_exit(), 1);
	fprintf(stderr, "child done\n");
}

static void hwrng_never(void *arg)
{
	hwrng_unregister(&rng_never);		/* the first call: warned, no hang */
	hwrng_unregister(NULL);
	KT_EQ(ukmem_exit(), 2);
	fprintf(stderr, "child done\n");
}

static void clk_twice(void *arg)
{
	struct clk *a, *b;

	KT_EQ(ukmem_clk_add("misuse.0", "bus", 1000), 0);
	a = clk_get_sys("misuse.0", "bus");
	b = clk_get_sys("misuse.0", "bus");
	KT_ASSERT(!IS_ERR(a) && !IS_ERR(b));
	clk_put(a);
	clk_put(a);				/* warned, b's reference kept */
	KT_EQ(clk_prepare_enable(b), 0);
	KT_EQ(ukmem_clk_enable_count("misuse.0", "bus"), 1);
	clk_disable_unprepare(b);
	clk_put(b);
	KT_EQ(ukmem_exit(), 1);			/* the WARN; the kmalloc'd handles all freed */
	fprintf(stderr, "child done\n");
}

static void clk_err(void *arg)
{
	struct clk *e = ERR_PTR(-EPROBE_DEFER);

	KT_EQ(clk_prepare(e), -EPROBE_DEFER);	/* the first call: warned, no crash */
	KT_EQ(clk_enable(e), -EPROBE_DEFER);
	KT_EQ(clk_get_rate(e), 0);
	KT_EQ(clk_set_rate(e, 5), -EPROBE_DEFER);
	KT_EQ(clk_prepare_enable(e), -EPROBE_DEFER);
	clk_disable_unprepare(e);		/* 6.1 ignores error pointers there */
	KT_EQ(ukmem_exit(), 5);
	fprintf(stderr, "child done\n");
}

static int wd_starts;

static int wd_start(struct watchdog_device *wdd)
{
	wd_starts++;
	return 0;
}

static int wd_stop(struct watchdog_device *wdd)
{
	return 0;
}

static const struct watchdog_ops wd_ops = { .start = wd_start, .stop = wd_stop };
static const struct watchdog_info wd_info = { .identity = "misuse-wdt" };

static void wdt_twice(void *arg)
{
	static struct watchdog_device wdd = { .info = &wd_info, .ops = &wd_ops };
	static struct watchdog_device never = { .info = &wd_info, .ops = &wd_ops };

	KT_EQ(watchdog_register_device(&wdd), 0);
	KT_EQ(watchdog_register_device(&wdd), -EBUSY);	/* warned; the first stands */
	KT_EQ(wdd.id, 0);
	KT_EQ(ukmem_watchdog_start(&wdd), 0);
	KT_EQ(wd_starts, 1);
	KT_EQ(ukmem_watchdog_stop(&wdd), 0);
	watchdog_unregister_device(&wdd);
	KT_EQ(ukmem_watchdog_start(&wdd), -ENODEV);
	watchdog_unregister_device(&wdd);		/* again: warned */
	/* never registered, its wd_data garbage: found not registered, not dereferenced */
	never.wd_data = (void *)0x10;
	watchdog_unregister_device(&never);
	KT_ASSERT(ukmem_watchdog_find("watchdog0") == NULL);
	KT_EQ(ukmem_exit(), 3);
	fprintf(stderr, "child done\n");
}

/* Run @fn in a child that must finish; its output. */
static char *run(const char *name, void (*fn)(void *))
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	if (!WIFEXITED(status) || WEXITSTATUS(status))
		KT_FAIL("%s: the child died (status %#x)", name, status);
	KT_CONTAINS(out, "child done");
	return out;
}

int main(void)
{
	const char *rng_msg = "is not a registered hwrng (unregistered twice?); nothing done";
	char *out;

	out = run("hwrng_twice", hwrng_twice);
	KT_EQ(kt_count(out, rng_msg), 1);
	free(out);
	out = run("hwrng_never", hwrng_never);
	KT_EQ(kt_count(out, rng_msg), 2);
	free(out);
	out = run("clk_twice", clk_twice);
	KT_EQ(kt_count(out, "is not a clock handle from clk_get (put twice?)"), 1);
	free(out);
	out = run("clk_err", clk_err);
	KT_EQ(kt_count(out, "clk_prepare: error pointer -EPROBE_DEFER passed as a clock"), 2);
	KT_EQ(kt_count(out, "clk_enable: error pointer -EPROBE_DEFER passed as a clock"), 1);
	KT_EQ(kt_count(out, "clk_get_rate: error pointer"), 1);
	KT_EQ(kt_count(out, "clk_set_rate: error pointer"), 1);
	free(out);
	out = run("wdt_twice", wdt_twice);
	KT_EQ(kt_count(out, "watchdog0: registered already"), 1);
	KT_EQ(kt_count(out, "failed to register watchdog device (err = -16)"), 1);
	KT_EQ(kt_count(out, "watchdog_unregister_device: watchdog not registered"), 2);
	free(out);
	printf("cores misuse: ok\n");
	return 0;
}
