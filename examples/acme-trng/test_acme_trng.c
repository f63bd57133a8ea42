// SPDX-License-Identifier: MIT
/*
 * test_acme_trng: tests acme-trng.c, unchanged, against an emulated ACME TRNG.
 *
 *   1. the emulated device: the registers of the datasheet (see acme-trng.c), backed by a
 *      generator whose every output is logged, so the test knows which bytes are right
 *      (acme-model.c);
 *   2. the "board": the device's register window, its clock and its compatible string
 *      (acme-model.c);
 *   3. the checks, here: probe enables the block and its clock, bytes read through the hwrng core
 *      are the device's words, unbind stops both, the probe survives every allocation
 *      failure (ukmem_fail_sweep), and nothing leaks (ukmem_exit() == 0).
 *
 * Build (see docs/testing-drivers.md):
 *   cc $(pkg-config --cflags ukmem) -DKBUILD_MODNAME='"acme_trng"' -c acme-trng.c
 *   cc $(pkg-config --cflags ukmem) -c test_acme_trng.c acme-model.c
 *   cc -o test_acme_trng acme-trng.o test_acme_trng.o acme-model.o $(pkg-config --libs ukmem)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>
#include <ukmem.h>
#include "acme-model.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	exit(1); } } while (0)

/* The checks (the emulated device and its board are in acme-model.c). */
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

	CHECK(acme_board_init() == 0);
	CHECK(acme_model_add() == 0);
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

	acme_model_remove();
	CHECK(ukmem_exit() == 0);
	printf("acme-trng: %d words from the device, all delivered intact\n", hw.nwords);
	return 0;
}
