/* SPDX-License-Identifier: MIT */
/*
 * <kunit/test-bug.h>: the test running on this thread, for code under test that wants to
 * fail it from deep inside (kunit_fail_current_test).
 */
#ifndef _UKMEM_KUNIT_TEST_BUG_H
#define _UKMEM_KUNIT_TEST_BUG_H
#include <linux/compiler.h>

struct kunit;

/* The test case running on this thread, or NULL. */
struct kunit *kunit_get_current_test(void);

void __printf(3, 4) __kunit_fail_current_test(const char *file, int line, const char *fmt, ...);
/* Mark the current test failed (no-op outside a test), with a message. */
#define kunit_fail_current_test(fmt, ...) \
	__kunit_fail_current_test(__FILE__, __LINE__, fmt, ##__VA_ARGS__)
#endif
