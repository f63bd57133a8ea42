/* SPDX-License-Identifier: MIT */
/*
 * drivers/char/hw_random/st-rng.c (Linux 6.1, unmodified) against an emulated ST RNG.
 * The model follows the driver's description of the block: a FIFO of four 16-bit samples;
 * ST_RNG_STATUS_REG (0x20) has ST_RNG_STATUS_FIFO_FULL (bit 5) once the FIFO is full (here
 * after FILL_POLLS status reads since it was last emptied: filling takes time, and the
 * driver polls up to 24 times, 1 us apart); each read of ST_RNG_DATA_REG (0x24) takes the
 * oldest sample.  The block runs from the device's default clock, which probe enables with
 * devm_clk_get_enabled.
 *
 * The test reads through the hwrng core and matches every byte to the samples the model
 * made, checks the status polling, makes the FIFO stall (a non-blocking read gives -EAGAIN
 * after the driver's 24 polls; a blocking one gives up with -ETIMEDOUT), probes a device
 * without a clock (probe fails with -ENOENT and leaves nothing behind), unbinds (the clock
 * goes off) and ends with no leak.
 */
#include <stdlib.h>
#include "upstream.h"

#define BASE		0xfee80000ULL
#define BASE_NOCLK	0xfee90000ULL
#define STATUS		0x20
#define DATA		0x24
#define FIFO_FULL	(1u << 5)
#define FIFO_DEPTH	4
#define FILL_POLLS	3

static struct st_model {
	const char *dev_name;
	u32 state;
	u16 fifo[FIFO_DEPTH];
	int count;		/* samples in the FIFO */
	int polls;		/* status reads since the FIFO was emptied */
	bool stalled;		/* the FIFO never fills */
	u16 produced[256];
	int nproduced;
	int status_reads;
	int bad;		/* underflow, reads without the clock, unknown registers, writes */
} m = { "fee80000.rng", 0xfeedbeef };

static u64 st_read(void *priv, u64 off, unsigned int size)
{
	struct st_model *d = priv;

	if (size != 4 || ukmem_clk_enable_count(d->dev_name, NULL) <= 0) {
		d->bad++;
		return 0;
	}
	if (off == STATUS) {
		d->status_reads++;
		if (d->count < FIFO_DEPTH && !d->stalled && ++d->polls >= FILL_POLLS) {
			while (d->count < FIFO_DEPTH)
				d->fifo[d->count++] = (u16)model_next(&d->state);
			d->polls = 0;
		}
		return d->count == FIFO_DEPTH ? FIFO_FULL : 0;
	}
	if (off == DATA) {
		u16 v;

		if (!d->count || d->nproduced == (int)ARRAY_SIZE(d->produced)) {
			d->bad++;
			return 0;
		}
		v = d->fifo[0];
		memmove(d->fifo, d->fifo + 1, sizeof(d->fifo[0]) * --d->count);
		d->produced[d->nproduced++] = v;
		return v;
	}
	d->bad++;
	return 0;
}

static void st_write(void *priv, u64 off, unsigned int size, u64 val)
{
	((struct st_model *)priv)->bad++;
}

static const struct ukmem_mmio_ops st_ops = { st_read, st_write };
static const struct resource st_res[] = { DEFINE_RES_MEM(BASE, 0x1000) };
static const struct resource noclk_res[] = { DEFINE_RES_MEM(BASE_NOCLK, 0x1000) };
static const struct platform_device_info st_info = {
	.name = "fee80000.rng", .id = PLATFORM_DEVID_NONE,
	.res = st_res, .num_res = 1, .compatible = "st,rng",
};
static const struct platform_device_info noclk_info = {
	.name = "fee90000.rng", .id = PLATFORM_DEVID_NONE,
	.res = noclk_res, .num_res = 1, .compatible = "st,rng",
};
static struct reg_log log;

static int st_clock_off(void)
{
	return ukmem_clk_enable_count("fee80000.rng", NULL) != 0 || m.bad;
}

int main(void)
{
	struct platform_device *pdev, *noclk;
	u8 buf[32];
	char *out;

	KT_EQ(ukmem_mmio_add("st-rng-hw", BASE, 0x1000, &st_ops, &m), 0);
	KT_EQ(ukmem_mmio_set_hook(BASE, reg_log_hook, &log), 0);
	KT_EQ(ukmem_clk_add("fee80000.rng", NULL, 100000000), 0);
	KT_EQ(ukmem_modules_init(), 0);

	kt_capture_begin();
	pdev = add_device(&st_info);
	out = kt_capture_end();
	KT_ASSERT(device_is_bound(&pdev->dev));
	KT_CONTAINS(out, "st-hwrandom fee80000.rng: Successfully registered HW RNG\n");
	free(out);
	KT_EQ(ukmem_clk_enable_count("fee80000.rng", NULL), 1);
	/* Early randomness: the FIFO fills on the third poll, then four samples. */
	KT_EQ(m.nproduced, 4);
	REG_LOG_EXPECT(&log, R(STATUS, 0), R(STATUS, 0), R(STATUS, FIFO_FULL),
		       R(DATA, m.produced[0]), R(DATA, m.produced[1]),
		       R(DATA, m.produced[2]), R(DATA, m.produced[3]));

	/* 32 bytes: four driver reads of 8 bytes, each handed out whole. */
	KT_EQ(ukmem_hwrng_read(NULL, buf, sizeof(buf), true), 32);
	KT_EQ(m.nproduced, 20);
	KT_EQ(memcmp(buf, &m.produced[4], 32), 0);

	/* A stalled FIFO: the driver polls 24 times and returns 0. */
	m.stalled = true;
	m.status_reads = 0;
	KT_EQ(ukmem_hwrng_read(NULL, buf, 8, false), -EAGAIN);
	KT_EQ(m.status_reads, 24);
	KT_EQ(ukmem_hwrng_read(NULL, buf, 8, true), -ETIMEDOUT);
	m.stalled = false;
	KT_EQ(ukmem_hwrng_read(NULL, buf, 8, true), 8);
	KT_EQ(memcmp(buf, &m.produced[20], 8), 0);

	/* A device whose clock is not there: probe fails, nothing stays behind. */
	kt_capture_begin();
	noclk = add_device(&noclk_info);
	out = kt_capture_end();
	KT_ASSERT(!device_is_bound(&noclk->dev));
	KT_CONTAINS(out, "probe of fee90000.rng failed with error -2");
	free(out);
	platform_device_unregister(noclk);

	platform_device_unregister(pdev);
	KT_EQ(ukmem_clk_enable_count("fee80000.rng", NULL), 0);
	KT_EQ(m.bad, 0);

	probe_sweep(&st_info, st_clock_off);

	ukmem_mmio_remove(BASE);
	KT_EQ(ukmem_exit(), 0);
	printf("st-rng: %d samples read from the model, all matched\n", m.nproduced);
	return 0;
}
