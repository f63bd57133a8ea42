/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the upstream-driver tests: a log of register accesses (filled by the
 * ukmem_mmio_set_hook hook, so it holds what the driver did, in order), the generator the
 * emulated RNGs draw from, and the probe-and-unbind cycle the fault sweeps repeat.
 *
 * The drivers under test are Linux 6.1 files compiled unmodified (tests.cmake); everything
 * here plays the hardware and the user around them.
 */
#ifndef UPSTREAM_TEST_H
#define UPSTREAM_TEST_H
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>
#include <ukmem.h>
#include "ktest.h"

struct reg_access {
	u64 off;
	unsigned int size;
	bool write;
	u64 val;
};

struct reg_log {
	struct reg_access a[512];
	int n;
	int lost;	/* accesses past the end of a[] */
};

static void __attribute__((__unused__)) reg_log_hook(void *arg, u64 off, unsigned int size,
						     bool write, u64 val)
{
	struct reg_log *log = arg;

	if (log->n == (int)ARRAY_SIZE(log->a)) {
		log->lost++;
		return;
	}
	log->a[log->n++] = (struct reg_access){ off, size, write, val };
}

static inline void reg_log_clear(struct reg_log *log)
{
	log->n = 0;
	log->lost = 0;
}

/* Assert the log holds exactly @n accesses equal to @want (width 4 unless given). */
#define REG_LOG_EXPECT(log, ...) do {							\
	const struct reg_access _w[] = { __VA_ARGS__ };					\
	int _n = (int)ARRAY_SIZE(_w);							\
	KT_EQ((log)->lost, 0);								\
	for (int _i = 0; _i < _n && _i < (log)->n; _i++) {				\
		const struct reg_access *_g = &(log)->a[_i];				\
		if (_g->off != _w[_i].off || _g->write != _w[_i].write ||		\
		    _g->val != _w[_i].val || _g->size != (_w[_i].size ? _w[_i].size : 4)) \
			KT_FAIL("access %d: found %s 0x%llx = 0x%llx (%u bytes), expected "	\
				"%s 0x%llx = 0x%llx", _i, _g->write ? "write" : "read",	\
				(unsigned long long)_g->off, (unsigned long long)_g->val,	\
				_g->size, _w[_i].write ? "write" : "read",		\
				(unsigned long long)_w[_i].off, (unsigned long long)_w[_i].val); \
	}										\
	KT_EQ((log)->n, _n);								\
} while (0)
#define W(off, val)	{ (off), 4, true, (val) }
#define R(off, val)	{ (off), 4, false, (val) }

/* The emulated generators' source: xorshift32, so a test can replay what a model made. */
static inline u32 model_next(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* Register @info's device (the driver binds to it at once) and say whether it bound. */
static inline struct platform_device *add_device(const struct platform_device_info *info)
{
	struct platform_device *pdev = platform_device_register_full(info);

	KT_ASSERT(!IS_ERR(pdev));
	return pdev;
}

/*
 * The fault sweep of a probe: each run registers the device (the driver probes it at once)
 * and unregisters it; ukmem_fail_sweep fails the 1st, 2nd, ... allocation of successive
 * runs and checks after each that nothing the run acquired is still held.  @check (may be
 * NULL) looks at the emulated device after each run: non-zero marks the run bad (say,
 * the hardware left running or a clock left on).
 */
struct sweep_ctx {
	const struct platform_device_info *info;
	int (*check)(void);
	int runs, bound, bad;
};

static int sweep_probe(void *arg)
{
	struct sweep_ctx *c = arg;
	struct platform_device *pdev = platform_device_register_full(c->info);
	int ret;

	c->runs++;
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	ret = device_is_bound(&pdev->dev) ? 0 : -ENODEV;
	if (!ret)
		c->bound++;
	platform_device_unregister(pdev);
	if (c->check && c->check())
		c->bad++;
	return ret;
}

static __attribute__((__unused__)) void probe_sweep(const struct platform_device_info *info,
						    int (*check)(void))
{
	struct sweep_ctx c = { .info = info, .check = check };

	KT_EQ(ukmem_fail_sweep(sweep_probe, &c), 0);
	KT_ASSERT(c.runs > 2);		/* faults were injected ... */
	KT_EQ(c.bound, 1);		/* ... into every run but the last */
	KT_EQ(c.bad, 0);
	printf("%s: fail sweep of the probe: %d runs, all clean\n", info->name, c.runs);
}
#endif
