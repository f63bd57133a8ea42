/* SPDX-License-Identifier: MIT */
/*
 * drivers/char/hw_random/meson-rng.c (Linux 6.1, unmodified) against an emulated Amlogic
 * Meson RNG: one register, RNG_DATA (0x00), that gives the next 32-bit random number, and
 * an optional "core" clock that must run while the register is read.
 *
 * Two devices: one with its core clock (probe enables it, unbind disables it) and one
 * without (the clock is optional).  Both register an rng without init, so both give early
 * randomness at registration although only the first becomes current; reading the second
 * by name makes it current, as writing rng_current does.  Every byte read is matched to
 * the model's numbers.  Unbind, leak check.
 */
#include <stdlib.h>
#include "upstream.h"

#define BASE_A		0xc8834000ULL
#define BASE_B		0xc8835000ULL
#define RNG_DATA	0x00

struct meson_model {
	const char *dev_name;	/* whose clock gates it */
	bool clocked;		/* needs dev_name's "core" clock */
	u32 state;
	u32 produced[64];
	int nproduced;
	int bad;		/* reads without the clock, unknown registers, writes */
};

static u64 meson_read(void *priv, u64 off, unsigned int size)
{
	struct meson_model *d = priv;

	if (off != RNG_DATA || size != 4 || d->nproduced == (int)ARRAY_SIZE(d->produced) ||
	    (d->clocked && ukmem_clk_enable_count(d->dev_name, "core") <= 0)) {
		d->bad++;
		return 0;
	}
	return d->produced[d->nproduced++] = model_next(&d->state);
}

static void meson_write(void *priv, u64 off, unsigned int size, u64 val)
{
	((struct meson_model *)priv)->bad++;	/* the block has no writable register */
}

static const struct ukmem_mmio_ops meson_ops = { meson_read, meson_write };
static struct meson_model ma = { "c8834000.rng", true, 0x12345678 };
static struct meson_model mb = { "c8835000.rng", false, 0x0badf00d };
static const struct resource res_a[] = { DEFINE_RES_MEM(BASE_A, 0x4) };
static const struct resource res_b[] = { DEFINE_RES_MEM(BASE_B, 0x4) };
static const struct platform_device_info info_a = {
	.name = "c8834000.rng", .id = PLATFORM_DEVID_NONE,
	.res = res_a, .num_res = 1, .compatible = "amlogic,meson-rng",
};
static const struct platform_device_info info_b = {
	.name = "c8835000.rng", .id = PLATFORM_DEVID_NONE,
	.res = res_b, .num_res = 1, .compatible = "amlogic,meson-rng",
};

/* After every run of the sweep the clock is off again. */
static int meson_clock_off(void)
{
	return ukmem_clk_enable_count("c8834000.rng", "core") != 0 || ma.bad;
}

int main(void)
{
	struct platform_device *a, *b;
	u8 buf[40];
	char *out;

	KT_EQ(ukmem_mmio_add("meson-rng-a", BASE_A, 0x4, &meson_ops, &ma), 0);
	KT_EQ(ukmem_mmio_add("meson-rng-b", BASE_B, 0x4, &meson_ops, &mb), 0);
	KT_EQ(ukmem_clk_add("c8834000.rng", "core", 24000000), 0);
	KT_EQ(ukmem_modules_init(), 0);

	a = add_device(&info_a);
	KT_ASSERT(device_is_bound(&a->dev));
	KT_EQ(ukmem_clk_enable_count("c8834000.rng", "core"), 1);
	KT_EQ(ma.nproduced, 1);				/* early randomness */
	b = add_device(&info_b);
	KT_ASSERT(device_is_bound(&b->dev));
	KT_EQ(mb.nproduced, 1);				/* no init: read although not current */
	out = kt_show("hwrng");
	KT_CONTAINS(out, "rng_current: c8834000.rng\n");
	KT_CONTAINS(out, "rng_available: c8834000.rng(quality 0) c8835000.rng(quality 0)\n");
	free(out);

	KT_EQ(ukmem_hwrng_read(NULL, buf, 40, true), 40);
	KT_EQ(ma.nproduced, 11);
	KT_EQ(memcmp(buf, &ma.produced[1], 40), 0);

	/* Choose the second by name: it becomes current, gives 32 bytes of early randomness
	 * (one read), then the 8 asked for. */
	KT_EQ(ukmem_hwrng_read("c8835000.rng", buf, 8, false), 8);
	KT_EQ(mb.nproduced, 4);
	KT_EQ(memcmp(buf, &mb.produced[2], 8), 0);
	out = kt_show("hwrng");
	KT_CONTAINS(out, "rng_current: c8835000.rng (chosen)\n");
	free(out);

	/* Unbinding the current one hands over to the other (early randomness again). */
	platform_device_unregister(b);
	KT_EQ(ma.nproduced, 12);
	KT_EQ(ukmem_hwrng_read(NULL, buf, 4, false), 4);
	KT_EQ(memcmp(buf, &ma.produced[12], 4), 0);
	platform_device_unregister(a);
	KT_EQ(ukmem_clk_enable_count("c8834000.rng", "core"), 0);
	KT_EQ(ukmem_hwrng_read(NULL, buf, 4, false), -ENODEV);
	KT_EQ(ma.bad + mb.bad, 0);

	probe_sweep(&info_a, meson_clock_off);

	ukmem_mmio_remove(BASE_A);
	ukmem_mmio_remove(BASE_B);
	KT_EQ(ukmem_exit(), 0);
	printf("meson-rng: %d + %d numbers read from the models, all matched\n",
	       ma.nproduced, mb.nproduced);
	return 0;
}
