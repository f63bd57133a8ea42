/* SPDX-License-Identifier: MIT */
/*
 * <kunit/assert.h>: what a failed KUnit expectation or assertion prints.  The checks
 * themselves are macros in <kunit/test.h>; a failure calls one of the out-of-line reporters
 * below, which marks the test failed and prints the kernel's text:
 *     # <test>: EXPECTATION FAILED at <file>:<line>
 *     Expected <left> <op> <right>, but
 *         <left> == <value>
 *         <right> == <value>
 *     <optional message>
 * (a side that is a literal of its own value is not repeated, as in 6.1).
 */
#ifndef _UKMEM_KUNIT_ASSERT_H
#define _UKMEM_KUNIT_ASSERT_H
#include <linux/compiler.h>
#include <linux/types.h>

struct kunit;

enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

struct kunit_loc {
	int line;
	const char *file;
};

#define KUNIT_CURRENT_LOC { .file = __FILE__, .line = __LINE__ }

void __printf(4, 5) __kunit_fail_msg(struct kunit *test, const struct kunit_loc *loc,
				     enum kunit_assert_type type, const char *fmt, ...);
void __printf(6, 7) __kunit_fail_bool(struct kunit *test, const struct kunit_loc *loc,
				      enum kunit_assert_type type, const char *text,
				      bool expected_true, const char *fmt, ...);
void __printf(9, 10) __kunit_fail_int(struct kunit *test, const struct kunit_loc *loc,
				      enum kunit_assert_type type, const char *op,
				      const char *left_text, long long left,
				      const char *right_text, long long right,
				      const char *fmt, ...);
void __printf(9, 10) __kunit_fail_ptr(struct kunit *test, const struct kunit_loc *loc,
				      enum kunit_assert_type type, const char *op,
				      const char *left_text, const void *left,
				      const char *right_text, const void *right,
				      const char *fmt, ...);
void __printf(9, 10) __kunit_fail_str(struct kunit *test, const struct kunit_loc *loc,
				      enum kunit_assert_type type, const char *op,
				      const char *left_text, const char *left,
				      const char *right_text, const char *right,
				      const char *fmt, ...);
void __printf(10, 11) __kunit_fail_mem(struct kunit *test, const struct kunit_loc *loc,
				       enum kunit_assert_type type, const char *op,
				       const char *left_text, const void *left,
				       const char *right_text, const void *right, size_t size,
				       const char *fmt, ...);
void __printf(6, 7) __kunit_fail_err_or_null(struct kunit *test, const struct kunit_loc *loc,
					     enum kunit_assert_type type, const char *text,
					     const void *ptr, const char *fmt, ...);
#endif
