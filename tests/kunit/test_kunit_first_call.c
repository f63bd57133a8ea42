/* SPDX-License-Identifier: MIT */
/*
 * Regression: kunit_run_tests() as a process's first ukmem call (a program that runs its
 * suites itself, without the executor) starts ukmem before the runner's clean-up checks
 * read the allocators' lists, so the forked case passes instead of dying of SIGSEGV; and
 * the suites are numbered from 1 as in the kernel's KTAP, again from 1 after
 * __kunit_test_suites_exit().
 */
#include <kunit/test.h>
#include <ukmem.h>
#include "ktest.h"

static void fc_case(struct kunit *test)
{
	char *p = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[63], 0);
}

static struct kunit_case fc_cases[] = { KUNIT_CASE(fc_case), { .run_case = NULL } };
static struct kunit_suite fc_suite = { .name = "fc_first", .test_cases = fc_cases };
static struct kunit_suite fc_suite2 = { .name = "fc_second", .test_cases = fc_cases };

/* What the calls print on stdout (KTAP), run in this process. */
static char *ktap_of(void (*fn)(void))
{
	kt_capture_fd_begin(1);
	fn();
	return kt_capture_fd_end();
}

static void run_two(void)
{
	kunit_run_tests(&fc_suite);
	kunit_run_tests(&fc_suite2);
}

static void run_again(void)
{
	struct kunit_suite *suites[] = { &fc_suite, &fc_suite2 };

	__kunit_test_suites_exit(suites, 2);
	__kunit_test_suites_init(suites, 2);
}

int main(void)
{
	char *out = ktap_of(run_two);

	KT_NOT_CONTAINS(out, "crashed");
	KT_CONTAINS(out, "    ok 1 fc_case\nok 1 fc_first\n");
	KT_CONTAINS(out, "ok 2 fc_second\n");
	KT_EQ(kunit_suite_has_succeeded(&fc_suite), KUNIT_SUCCESS);
	KT_EQ(kunit_suite_has_succeeded(&fc_suite2), KUNIT_SUCCESS);
	free(out);
	out = ktap_of(run_again);
	KT_CONTAINS(out, "ok 1 fc_first\n");
	KT_CONTAINS(out, "ok 2 fc_second\n");
	free(out);
	KT_EQ(ukmem_exit(), 0);
	printf("test_kunit_first_call: ok\n");
	return 0;
}
