/* SPDX-License-Identifier: MIT */
/* A second file of the same program registering its own suite (several files, one run). */
#include <kunit/test.h>

static void second_file_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static struct kunit_case second_cases[] = {
	KUNIT_CASE(second_file_case),
	{}
};

static struct kunit_suite second_suite = {
	.name = "kunit_second_file",
	.test_cases = second_cases,
};

kunit_test_suite(second_suite);
