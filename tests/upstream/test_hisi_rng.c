/* SPDX-License-Identifier: MIT */
/*
 * drivers/char/hw_random/hisi-rng.c (Linux 6.1, unmodified) against an emulated HiSilicon
 * RNG.  The model follows the register map in the driver: RNG_SEED (0x0) takes the seed,
 * RNG_CTRL (0x4) has RNG_EN (bit 0), RNG_RING_EN (bit 1) and RNG_SEED_SEL (bit 2),
 * RNG_RAN_NUM (0x10) gives the next 32-bit number of a generator seeded from RNG_SEED while
 * RNG_EN is set, RNG_PHY_SEED (0x14) shows the generator's state.
 *
 * The test binds the driver through its compatible string, checks what its init wrote
 * (seed, then control: RNG_EN, or all three bits with hisi_rng.seed_sel=1), reads through
 * the hwrng core and matches every byte to the numbers the model produced, checks the
 * core's rng_dev_read hand-out order for odd lengths, unbinds (the cleanup clears
 * RNG_CTRL), and ends with no leak.
 */
#include <stdlib.h>
#include <linux/hw_random.h>
#include "upstream.h"

#define BASE		0xe3000000ULL
#define RNG_SEED	0x0
#define RNG_CTRL	0x4
#define RNG_RAN_NUM	0x10
#define RNG_PHY_SEED	0x14

static struct hisi_model {
	u32 seed, ctrl, state;
	u32 produced[512];
	int nproduced;
	int seeds;		/* writes to RNG_SEED */
	int bad;		/* reads while disabled, unknown registers, odd widths */
} m;

static u64 hisi_read(void *priv, u64 off, unsigned int size)
{
	struct hisi_model *d = priv;

	if (size != 4) {
		d->bad++;
		return 0;
	}
	switch (off) {
	case RNG_SEED:
		return d->seed;
	case RNG_CTRL:
		return d->ctrl;
	case RNG_PHY_SEED:
		return d->state;
	case RNG_RAN_NUM:
		if (!(d->ctrl & 1) || d->nproduced == (int)ARRAY_SIZE(d->produced)) {
			d->bad++;
			return 0;
		}
		return d->produced[d->nproduced++] = model_next(&d->state);
	}
	d->bad++;
	return 0;
}

static void hisi_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct hisi_model *d = priv;

	if (size != 4) {
		d->bad++;
		return;
	}
	if (off == RNG_SEED) {
		d->seed = (u32)val;
		d->state = d->seed ? d->seed : 0x9e3779b9;	/* the generator needs a non-zero state */
		d->seeds++;
	} else if (off == RNG_CTRL) {
		d->ctrl = (u32)val & 7;
	} else {
		d->bad++;
	}
}

static const struct ukmem_mmio_ops hisi_ops = { hisi_read, hisi_write };
static const struct resource hisi_res[] = { DEFINE_RES_MEM(BASE, 0x100) };
static const struct platform_device_info hisi_info = {
	.name = "e3000000.rng", .id = PLATFORM_DEVID_NONE,
	.res = hisi_res, .num_res = 1, .compatible = "hisilicon,hip05-rng",
};

static struct reg_log log;

/* After every run of the sweep the generator is stopped. */
static int hisi_stopped(void)
{
	return m.ctrl != 0 || m.bad;
}

int main(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	u32 want_ctrl = cmdline && strstr(cmdline, "hisi_rng.seed_sel=1") ? 7 : 1;
	struct platform_device *pdev;
	u8 buf[64], small[6];
	char *out;

	KT_EQ(ukmem_mmio_add("hisi-rng-hw", BASE, 0x100, &hisi_ops, &m), 0);
	KT_EQ(ukmem_mmio_set_hook(BASE, reg_log_hook, &log), 0);
	KT_EQ(ukmem_modules_init(), 0);

	/* Probe: init runs as the rng becomes current, then 32 bytes of early randomness
	 * (hisi_rng_read gives 4 per call). */
	pdev = add_device(&hisi_info);
	KT_ASSERT(device_is_bound(&pdev->dev));
	KT_EQ(m.seeds, 1);
	KT_EQ(m.ctrl, want_ctrl);
	KT_EQ(m.nproduced, 1);
	REG_LOG_EXPECT(&log, W(RNG_SEED, m.seed), W(RNG_CTRL, want_ctrl),
		       R(RNG_RAN_NUM, m.produced[0]));
	out = kt_show("hwrng");
	KT_CONTAINS(out, "rng_current: e3000000.rng\n");
	free(out);

	/* 64 bytes: sixteen register reads, each handed out whole and in order. */
	reg_log_clear(&log);
	KT_EQ(ukmem_hwrng_read(NULL, buf, sizeof(buf), true), 64);
	KT_EQ(m.nproduced, 17);
	KT_EQ(memcmp(buf, &m.produced[1], 64), 0);
	KT_EQ(log.n, 16);

	/* Odd lengths: the core keeps what it did not hand out and gives it from the end of
	 * its buffer backwards (rng_dev_read's data_avail). */
	KT_EQ(ukmem_hwrng_read(NULL, small, 6, false), 6);
	KT_EQ(m.nproduced, 19);
	KT_EQ(memcmp(small, &m.produced[17], 4), 0);
	KT_EQ(memcmp(small + 4, (u8 *)&m.produced[18] + 2, 2), 0);
	KT_EQ(ukmem_hwrng_read("e3000000.rng", small, 2, false), 2);
	KT_EQ(m.nproduced, 19);
	KT_EQ(memcmp(small, &m.produced[18], 2), 0);
	KT_EQ(ukmem_hwrng_read("no-such-rng", small, 2, false), -ENODEV);

	/* Unbind: devres unregisters the rng, whose cleanup stops the generator. */
	reg_log_clear(&log);
	platform_device_unregister(pdev);
	REG_LOG_EXPECT(&log, W(RNG_CTRL, 0));
	KT_EQ(ukmem_hwrng_read(NULL, small, 2, false), -ENODEV);
	KT_EQ(m.bad, 0);

	/* The probe under the fail sweep: every run clean, the generator stopped after each. */
	probe_sweep(&hisi_info, hisi_stopped);

	ukmem_mmio_remove(BASE);
	KT_EQ(ukmem_exit(), 0);
	printf("hisi-rng: %d numbers read from the model, all matched\n", m.nproduced);
	return 0;
}
