// SPDX-License-Identifier: MIT
/*
 * acme_trng_kunit: a KUnit suite for acme-trng.c, unchanged, against the emulated ACME TRNG
 * of acme-model.c.  Every case gets a freshly probed device from the suite's init and gives
 * it back in exit; the runner runs each case in a child process of its own, checks it left
 * no memory behind and that ukmem printed no report during it (docs/testing-drivers.md).
 *
 * Build (see docs/testing-drivers.md):
 *   cc $(pkg-config --cflags ukmem) -DKBUILD_MODNAME='"acme_trng"' -c acme-trng.c
 *   cc $(pkg-config --cflags ukmem) -c acme-model.c acme_trng_kunit.c
 *   cc -o acme_trng_kunit acme-trng.o acme-model.o acme_trng_kunit.o \
 *      $(pkg-config --libs ukmem-kunit)
 *
 * Built with -DACME_SHOW_FAILURES it has four more cases, each with a bug of a kind the
 * runner catches: a wrong expectation, a leak, a write past an allocation and a crash.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "acme-model.h"

#define READ_SIZE	64	/* the hwrng core's buffer: one driver read, handed out whole */

/* Before the cases, in the runner: the board's clock and the driver's registration. */
static int acme_suite_init(struct kunit_suite *suite)
{
	int err = acme_board_init();

	return err ? err : ukmem_modules_init();
}

/* Before each case: the device appears and the driver probes it. */
static int acme_test_init(struct kunit *test)
{
	struct platform_device *pdev;
	int err = acme_model_add();

	if (err)
		return err;
	pdev = platform_device_register_full(&trng_info);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	test->priv = pdev;
	return 0;
}

/* After each case, also after a failed assertion or a failed init (as 6.1's runner). */
static void acme_test_exit(struct kunit *test)
{
	if (test->priv)
		platform_device_unregister(test->priv);
	acme_model_remove();
}

static void acme_probe_test(struct kunit *test)
{
	struct platform_device *pdev = test->priv;

	KUNIT_ASSERT_TRUE(test, device_is_bound(&pdev->dev));
	KUNIT_EXPECT_EQ(test, hw.ctrl, 1);	/* the rng is current: its init ran */
	KUNIT_EXPECT_EQ(test, ukmem_clk_enable_count(TRNG_DEV, NULL), 1);
}

static void acme_read_test(struct kunit *test)
{
	struct platform_device *pdev = test->priv;
	u8 *buf = kunit_kzalloc(test, READ_SIZE, GFP_KERNEL);	/* freed after the case */
	int first = hw.nwords;	/* registration already read some early randomness */

	KUNIT_ASSERT_TRUE(test, device_is_bound(&pdev->dev));
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, ukmem_hwrng_read(NULL, buf, READ_SIZE, true), READ_SIZE);
	KUNIT_EXPECT_EQ(test, hw.nwords - first, READ_SIZE / 4);
	KUNIT_EXPECT_MEMEQ(test, buf, &hw.words[first], READ_SIZE);
	KUNIT_EXPECT_EQ(test, hw.errors, 0);
}

static void acme_unbind_test(struct kunit *test)
{
	platform_device_unregister(test->priv);
	test->priv = NULL;
	KUNIT_EXPECT_EQ(test, hw.ctrl, 0);
	KUNIT_EXPECT_EQ(test, ukmem_clk_enable_count(TRNG_DEV, NULL), 0);
	KUNIT_EXPECT_EQ(test, hw.errors, 0);
}

#ifdef ACME_SHOW_FAILURES
static void acme_bug_expectation(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, hw.ctrl, 0);	/* wrong: a bound device is enabled */
}

static void acme_bug_leak(struct kunit *test)
{
	u8 *copy = kmalloc(READ_SIZE, GFP_KERNEL);	/* never freed */

	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, ukmem_hwrng_read(NULL, copy, READ_SIZE, true), READ_SIZE);
}

static void acme_bug_out_of_bounds(struct kunit *test)
{
	u32 *words = kcalloc(4, sizeof(u32), GFP_KERNEL);
	volatile int i = 4;		/* one past the end */

	KUNIT_ASSERT_NOT_NULL(test, words);
	words[i] = hw.ctrl;
	kfree(words);
}

static void acme_bug_crash(struct kunit *test)
{
	struct platform_device *volatile pdev = NULL;

	KUNIT_EXPECT_TRUE(test, device_is_bound(&pdev->dev));
}
#endif

static struct kunit_case acme_cases[] = {
	KUNIT_CASE(acme_probe_test),
	KUNIT_CASE(acme_read_test),
	KUNIT_CASE(acme_unbind_test),
#ifdef ACME_SHOW_FAILURES
	KUNIT_CASE(acme_bug_expectation),
	KUNIT_CASE(acme_bug_leak),
	KUNIT_CASE(acme_bug_out_of_bounds),
	KUNIT_CASE(acme_bug_crash),
#endif
	{}
};

static struct kunit_suite acme_suite = {
	.name = "acme_trng",
	.suite_init = acme_suite_init,
	.init = acme_test_init,
	.exit = acme_test_exit,
	.test_cases = acme_cases,
};
kunit_test_suite(acme_suite);
