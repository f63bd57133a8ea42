/* SPDX-License-Identifier: MIT */
/*
 * A case that never returns, between two that pass: check_timeout.sh runs it with
 * kunit.timeout=1 and expects 6.1's "timed out" lines, that case alone "not ok", and the
 * case after it run.
 */
#include <unistd.h>
#include <kunit/test.h>

static void before_hang(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 1);
}

static void hangs(struct kunit *test)
{
	for (;;)
		pause();
}

static void after_hang(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2, 2);
}

static struct kunit_case timeout_cases[] = {
	KUNIT_CASE(before_hang),
	KUNIT_CASE(hangs),
	KUNIT_CASE(after_hang),
	{}
};

static struct kunit_suite timeout_suite = {
	.name = "kunit_timeout",
	.test_cases = timeout_cases,
};
kunit_test_suite(timeout_suite);
