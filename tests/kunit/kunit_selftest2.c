/* SPDX-License-Identifier: MIT */
/*
 * A second file of the same program registering its own suites (several files, one run;
 * within a file the compiler may emit the registrations in either order).
 */
#include <kunit/test.h>
#include <linux/slab.h>

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

/* For --fail-sweep: both pass without injection; the leaky one forgets its first object when
 * the second allocation fails, which the sweep must catch. */
static void sweep_clean(struct kunit *test)
{
	void *a = kmalloc(40, GFP_KERNEL), *b = kmalloc(80, GFP_KERNEL);

	kfree(a);
	kfree(b);
}

static void sweep_leaky(struct kunit *test)
{
	void *a = kmalloc(40, GFP_KERNEL), *b;

	if (!a)
		return;
	b = kmalloc(80, GFP_KERNEL);
	if (!b)
		return;			/* the bug: a is lost */
	kfree(b);
	kfree(a);
}

static struct kunit_case sweep_cases[] = {
	KUNIT_CASE(sweep_clean),
	KUNIT_CASE(sweep_leaky),
	{}
};

static struct kunit_suite sweep_suite = {
	.name = "kunit_sweep",
	.test_cases = sweep_cases,
};

kunit_test_suite(sweep_suite);

/* A suite whose suite_init fails: its cases do not run, the suite is "not ok". */
static int bad_suite_init(struct kunit_suite *suite)
{
	return -EIO;
}

static void bad_init_case(struct kunit *test)
{
	KUNIT_FAIL(test, "MUST NOT PRINT: a case of a suite whose init failed ran");
}

static struct kunit_case bad_init_cases[] = {
	KUNIT_CASE(bad_init_case),
	{}
};

static struct kunit_suite bad_init_suite = {
	.name = "kunit_bad_init",
	.suite_init = bad_suite_init,
	.test_cases = bad_init_cases,
};

kunit_test_suite(bad_init_suite);
