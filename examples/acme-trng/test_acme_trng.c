// SPDX-License-Identifier: MIT
/*
 * test_acme_trng: tests acme-trng.c, unchanged, against an emulated ACME TRNG.
 *
 *   1. the emulated device: the registers of the datasheet (see acme-trng.c), backed by a
 *      generator whose every output is logged, so the test knows which bytes are right;
 *   2. the "board": the device's register window, its clock and its compatible string;
 *   3. the checks: probe enables the block and its clock, bytes read through the hwrng core
 *      are the device's words, unbind stops both, the probe survives every allocation
 *      failure (ukmem_fail_sweep), and nothing leaks (ukmem_exit() == 0).
 *
 * Build (see docs/testing-drivers.md):
 *   cc $(pkg-config --cflags ukmem) -DKBUILD_MODNAME='"acme_trng"' -c acme-trng.c
 *   cc $(pkg-config --cflags ukmem) -c test_acme_trng.c
 *   cc -o test_acme_trng acme-trng.o test_acme_trng.o $(pkg-config --libs ukmem)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>
#include <ukmem.h>

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	exit(1); } } while (0)

/* ---- 1. the emulated device ---- */
#define TRNG_BASE	0xfe100000ULL
#define TRNG_SIZE	0x100

struct acme_model {
	u32 ctrl;
	bool ready;
	u32 state;		/* xorshift32 */
	u32 words[256];		/* every word the device gave, in order */
	int nwords;
	int errors;		/* accesses the datasheet does not allow */
};

static struct acme_model hw = { .state = 2463534242u };

static u32 next_word(struct acme_model *m)
{
	m->state ^= m->state << 13;
	m->state ^= m->state >> 17;
	m->state ^= m->state << 5;
	return m->state;
}

static u64 acme_mmio_read(void *priv, u64 off, unsigned int size)
{
	struct acme_model *m = priv;
	bool was_ready = m->ready;

	switch (off) {
	case 0x00:
		return m->ctrl;
	case 0x04:		/* a new word is ready one status read after the last was taken */
		if (m->ctrl & 1)
			m->ready = true;
		return was_ready;
	case 0x08:
		if (!(m->ctrl & 1) || m->nwords == (int)ARRAY_SIZE(m->words)) {
			m->errors++;
			return 0;
		}
		m->ready = false;
		return m->words[m->nwords++] = next_word(m);
	}
	m->errors++;
	return 0;
}

static void acme_mmio_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct acme_model *m = priv;

	if (off == 0x00 && size == 4)
		m->ctrl = (u32)val & 1;
	else
		m->errors++;
}

static const struct ukmem_mmio_ops acme_ops = { acme_mmio_read, acme_mmio_write };

/* ---- 2. the board ---- */
static const struct resource trng_res[] = { DEFINE_RES_MEM(TRNG_BASE, TRNG_SIZE) };
static const struct platform_device_info trng_info = {
	.name = "fe100000.trng", .id = PLATFORM_DEVID_NONE,
	.res = trng_res, .num_res = 1, .compatible = "acme,trng",
};

/* ---- 3. the checks ---- */
static int probe_and_remove(void *arg)
{
	struct platform_device *pdev = platform_device_register_full(&trng_info);
	int bound;

	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	bound = device_is_bound(&pdev->dev);
	platform_device_unregister(pdev);
	/* whatever happened, the block and its clock are off again */
	CHECK(hw.ctrl == 0);
	CHECK(ukmem_clk_enable_count("fe100000.trng", NULL) == 0);
	return bound ? 0 : -ENODEV;
}

int main(void)
{
	struct platform_device *pdev;
	u8 buf[64];	/* the core's buffer size: one driver read, handed out whole */
	int first;

	CHECK(ukmem_mmio_add("acme-trng", TRNG_BASE, TRNG_SIZE, &acme_ops, &hw) == 0);
	CHECK(ukmem_clk_add("fe100000.trng", NULL, 48000000) == 0);
	CHECK(ukmem_modules_init() == 0);		/* module_platform_driver registers */

	pdev = platform_device_register_full(&trng_info);
	CHECK(!IS_ERR(pdev) && device_is_bound(&pdev->dev));
	CHECK(hw.ctrl == 1);					/* init ran: it is current */
	CHECK(ukmem_clk_enable_count("fe100000.trng", NULL) == 1);

	first = hw.nwords;		/* registration read some early randomness */
	CHECK(ukmem_hwrng_read(NULL, buf, sizeof(buf), true) == sizeof(buf));
	CHECK(hw.nwords - first == sizeof(buf) / 4);
	CHECK(memcmp(buf, &hw.words[first], sizeof(buf)) == 0);

	platform_device_unregister(pdev);
	CHECK(hw.ctrl == 0);
	CHECK(ukmem_clk_enable_count("fe100000.trng", NULL) == 0);

	CHECK(ukmem_fail_sweep(probe_and_remove, NULL) == 0);
	CHECK(hw.errors == 0);

	ukmem_mmio_remove(TRNG_BASE);
	CHECK(ukmem_exit() == 0);
	printf("acme-trng: %d words from the device, all delivered intact\n", hw.nwords);
	return 0;
}
