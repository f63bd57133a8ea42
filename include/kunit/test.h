/* SPDX-License-Identifier: MIT */
/*
 * <kunit/test.h>: KUnit, the kernel's unit-test framework, in a process (Linux 6.1's API).
 *
 * A suite is registered with kunit_test_suite(s)(): its pointer goes into the section
 * "ukmem_kunit_suites" of the program, which the runner (ukmem_kunit_run in <ukmem.h>, or
 * the ukmem-kunit main library) walks.  Several files of one program may each register
 * suites; they run in link order.  The runner prints KTAP as the kernel's executor does.
 *
 * Each test case runs, by default, in a forked child of the runner: a crash is that case's
 * failure, and nothing a case does leaks into the next.  An assertion that fails leaves the
 * case at once (siglongjmp to the runner); an expectation only marks it failed.  Resources
 * and kunit_kmalloc'ed memory are released when the case ends, last added first.
 *
 * Beyond 6.1: KUNIT_EXPECT_MEMEQ/MEMNEQ and kunit_add_action (from later kernels).
 */
#ifndef _UKMEM_KUNIT_TEST_H
#define _UKMEM_KUNIT_TEST_H
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <kunit/assert.h>
#include <kunit/resource.h>
#include <kunit/test-bug.h>
#include <kunit/try-catch.h>

#define KUNIT_MAX_SUITE_NAME	256	/* name[] size of struct kunit_suite (6.1 keeps 256) */
#define KUNIT_STATUS_COMMENT_SIZE 256
#define KUNIT_PARAM_DESC_SIZE	128
#define KUNIT_LOG_SIZE		512
#define KUNIT_SUBTEST_INDENT	"    "
#define KUNIT_SUBSUBTEST_INDENT	"        "

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;
struct dentry;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	/* private: set by the runner */
	enum kunit_status status;
	char *log;
};

static inline char *kunit_status_to_ok_not_ok(enum kunit_status status)
{
	switch (status) {
	case KUNIT_SKIPPED:
	case KUNIT_SUCCESS:
		return "ok";
	case KUNIT_FAILURE:
		return "not ok";
	}
	return "invalid";
}

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_PARAM(test_name, gen_params) \
	{ .run_case = test_name, .name = #test_name, .generate_params = gen_params }

struct kunit_suite {
	const char name[KUNIT_MAX_SUITE_NAME];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
	/* private: set by the runner */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	struct dentry *debugfs;
	char *log;
	int suite_init_err;
};

struct kunit {
	void *priv;			/* for the test's init/exit to share state */
	/* private: set by the runner */
	const char *name;
	char *log;
	struct kunit_try_catch try_catch;
	const void *param_value;
	int param_index;
	spinlock_t lock;		/* guards status and resources */
	enum kunit_status status;
	struct list_head resources;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
};

static inline void kunit_set_failure(struct kunit *test)
{
	WRITE_ONCE(test->status, KUNIT_FAILURE);
}

bool kunit_enabled(void);
void kunit_init_test(struct kunit *test, const char *name, char *log);
int kunit_run_tests(struct kunit_suite *suite);
size_t kunit_suite_num_test_cases(struct kunit_suite *suite);
unsigned int kunit_test_case_num(struct kunit_suite *suite, struct kunit_case *test_case);
enum kunit_status kunit_suite_has_succeeded(struct kunit_suite *suite);
int __kunit_test_suites_init(struct kunit_suite * const * const suites, int num_suites);
void __kunit_test_suites_exit(struct kunit_suite **suites, int num_suites);
void kunit_cleanup(struct kunit *test);

/*
 * Registration: each suite pointer goes into the "ukmem_kunit_suites" section (a C
 * identifier, so the linker defines __start_/__stop_ symbols for it in the program).
 */
#define __kunit_test_suites(unique_array, ...)					\
	static struct kunit_suite *unique_array[]				\
	__attribute__((used, section("ukmem_kunit_suites"), aligned(sizeof(void *)))) = \
	{ __VA_ARGS__ }
#define kunit_test_suites(__suites...)						\
	__kunit_test_suites(__UNIQUE_ID(array), ##__suites)
#define kunit_test_suite(suite)	kunit_test_suites(&suite)
/* Init-section suites run the same way here (there is no init memory to free). */
#define kunit_test_init_section_suites(__suites...) kunit_test_suites(__suites)
#define kunit_test_init_section_suite(suite)	kunit_test_init_section_suites(&suite)

#define kunit_suite_for_each_test_case(suite, test_case)		\
	for (test_case = suite->test_cases; test_case->run_case; test_case++)

/* ---- managed memory: freed when the test case ends ---- */
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);
static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}
/* Free memory from kunit_kmalloc* early; a pointer the test did not get so fails the test. */
void kunit_kfree(struct kunit *test, const void *ptr);
static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}
static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/* ---- logging: lines go to the runner's output, indented as the kernel's ---- */
void __printf(2, 3) kunit_log_append(char *log, const char *fmt, ...);
void __printf(3, 4) __kunit_printk(const char *level, const char *name, const char *fmt, ...);
void __printf(2, 3) __kunit_log(const char *level, const char *fmt, ...);

#define kunit_log(lvl, test_or_suite, fmt, ...)				\
	do { (void)(test_or_suite); __kunit_log(lvl, fmt, ##__VA_ARGS__); } while (0)
#define kunit_printk(lvl, test, fmt, ...)				\
	__kunit_printk(lvl, (test)->name, fmt, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...)	kunit_printk(KERN_INFO, test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_printk(KERN_WARNING, test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_printk(KERN_ERR, test, fmt, ##__VA_ARGS__)

/* ---- skipping ---- */
#define kunit_mark_skipped(test_or_suite, fmt, ...)			\
	do {								\
		WRITE_ONCE((test_or_suite)->status, KUNIT_SKIPPED);	\
		scnprintf((test_or_suite)->status_comment,		\
			  KUNIT_STATUS_COMMENT_SIZE, fmt, ##__VA_ARGS__); \
	} while (0)
#define kunit_skip(test_or_suite, fmt, ...)				\
	do {								\
		kunit_mark_skipped((test_or_suite), fmt, ##__VA_ARGS__); \
		kunit_try_catch_throw(&((test_or_suite)->try_catch));	\
	} while (0)

/* ---- expectations and assertions ---- */
#define __KUNIT_LEAVE_IF_ASSERT(test, assert_type)			\
	do {								\
		if ((assert_type) == KUNIT_ASSERTION)			\
			kunit_try_catch_throw(&(test)->try_catch);	\
	} while (0)

#define KUNIT_SUCCEED(test)	do { } while (0)

#define KUNIT_FAIL_ASSERTION(test, assert_type, fmt, ...)		\
	do {								\
		static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
		__kunit_fail_msg(test, &__loc, assert_type, fmt, ##__VA_ARGS__); \
		__KUNIT_LEAVE_IF_ASSERT(test, assert_type);		\
	} while (0)
#define KUNIT_FAIL(test, fmt, ...)					\
	KUNIT_FAIL_ASSERTION(test, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)

#define KUNIT_UNARY_ASSERTION(test, assert_type, condition, expected_true, fmt, ...) \
	do {								\
		if (!likely(!!(condition) == !!(expected_true))) {	\
			static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
			__kunit_fail_bool(test, &__loc, assert_type, #condition, \
					  expected_true, fmt, ##__VA_ARGS__);	\
			__KUNIT_LEAVE_IF_ASSERT(test, assert_type);	\
		}							\
	} while (0)
#define KUNIT_TRUE_MSG_ASSERTION(test, assert_type, condition, fmt, ...) \
	KUNIT_UNARY_ASSERTION(test, assert_type, condition, true, fmt, ##__VA_ARGS__)
#define KUNIT_FALSE_MSG_ASSERTION(test, assert_type, condition, fmt, ...) \
	KUNIT_UNARY_ASSERTION(test, assert_type, condition, false, fmt, ##__VA_ARGS__)

#define KUNIT_BINARY_INT_ASSERTION(test, assert_type, left, op, right, fmt, ...) \
	do {								\
		const typeof(left) __left = (left);			\
		const typeof(right) __right = (right);			\
		if (!likely(__left op __right)) {			\
			static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
			__kunit_fail_int(test, &__loc, assert_type, #op, #left, \
					 (long long)__left, #right, (long long)__right, \
					 fmt, ##__VA_ARGS__);		\
			__KUNIT_LEAVE_IF_ASSERT(test, assert_type);	\
		}							\
	} while (0)

/* The null pointer the KUNIT_*_NULL checks compare with, spelled as the kernel's NULL is, so
 * that their failure text is 6.1's whatever the compiler's <stddef.h> NULL looks like (clang's
 * is "((void*)0)"). */
#define __UKMEM_KUNIT_NULL ((void *)0)

/* One level more than the other checks, as 6.1's KUNIT_BASE_BINARY_ASSERTION: the NULL that
 * KUNIT_*_NULL pass is expanded before it is turned into text ("((void *)0)", as 6.1 prints). */
#define KUNIT_BINARY_PTR_ASSERTION(test, assert_type, left, op, right, fmt, ...) \
	__KUNIT_BINARY_PTR_ASSERTION(test, assert_type, left, op, right, fmt, ##__VA_ARGS__)
#define __KUNIT_BINARY_PTR_ASSERTION(test, assert_type, left, op, right, fmt, ...) \
	do {								\
		const typeof(left) __left = (left);			\
		const typeof(right) __right = (right);			\
		if (!likely(__left op __right)) {			\
			static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
			__kunit_fail_ptr(test, &__loc, assert_type, #op, #left, \
					 (const void *)__left, #right,	\
					 (const void *)__right, fmt, ##__VA_ARGS__); \
			__KUNIT_LEAVE_IF_ASSERT(test, assert_type);	\
		}							\
	} while (0)

#define KUNIT_BINARY_STR_ASSERTION(test, assert_type, left, op, right, fmt, ...) \
	do {								\
		const char *__left = (left);				\
		const char *__right = (right);				\
		if (!likely(strcmp(__left, __right) op 0)) {		\
			static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
			__kunit_fail_str(test, &__loc, assert_type, #op, #left, \
					 __left, #right, __right, fmt, ##__VA_ARGS__); \
			__KUNIT_LEAVE_IF_ASSERT(test, assert_type);	\
		}							\
	} while (0)

#define KUNIT_MEM_ASSERTION(test, assert_type, left, op, right, size, fmt, ...) \
	do {								\
		const void *__left = (left);				\
		const void *__right = (right);				\
		const size_t __size = (size);				\
		if (!likely(__left && __right && memcmp(__left, __right, __size) op 0)) { \
			static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
			__kunit_fail_mem(test, &__loc, assert_type, #op, #left, \
					 __left, #right, __right, __size, fmt, ##__VA_ARGS__); \
			__KUNIT_LEAVE_IF_ASSERT(test, assert_type);	\
		}							\
	} while (0)

#define KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(test, assert_type, ptr, fmt, ...) \
	do {								\
		const typeof(ptr) __ptr = (ptr);			\
		if (IS_ERR_OR_NULL(__ptr)) {				\
			static const struct kunit_loc __loc = KUNIT_CURRENT_LOC; \
			__kunit_fail_err_or_null(test, &__loc, assert_type, #ptr, \
						 (const void *)__ptr, fmt, ##__VA_ARGS__); \
			__KUNIT_LEAVE_IF_ASSERT(test, assert_type);	\
		}							\
	} while (0)

/* The expectation and assertion families: the same checks, K = EXPECT or ASSERT. */
#define KUNIT_EXPECT_TRUE(test, c)		KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, NULL)
#define KUNIT_EXPECT_TRUE_MSG(test, c, fmt, ...) KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, c)		KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, NULL)
#define KUNIT_EXPECT_FALSE_MSG(test, c, fmt, ...) KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_EXPECTATION, c, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE(test, c)		KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, NULL)
#define KUNIT_ASSERT_TRUE_MSG(test, c, fmt, ...) KUNIT_TRUE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE(test, c)		KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, NULL)
#define KUNIT_ASSERT_FALSE_MSG(test, c, fmt, ...) KUNIT_FALSE_MSG_ASSERTION(test, KUNIT_ASSERTION, c, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FAILURE(test, fmt, ...)	KUNIT_FAIL_ASSERTION(test, KUNIT_ASSERTION, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_EQ(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, NULL)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, NULL)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, <, r, NULL)
#define KUNIT_EXPECT_LT_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, <=, r, NULL)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, >, r, NULL)
#define KUNIT_EXPECT_GT_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, >=, r, NULL)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, NULL)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, NULL)
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, <, r, NULL)
#define KUNIT_ASSERT_LT_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, <=, r, NULL)
#define KUNIT_ASSERT_LE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, >, r, NULL)
#define KUNIT_ASSERT_GT_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE(test, l, r)		KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, >=, r, NULL)
#define KUNIT_ASSERT_GE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, >=, r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(test, l, r)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, NULL)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE(test, l, r)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, NULL)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ(test, l, r)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, NULL)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE(test, l, r)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, NULL)
#define KUNIT_ASSERT_PTR_NE_MSG(test, l, r, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL(test, p)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, p, ==, __UKMEM_KUNIT_NULL, NULL)
#define KUNIT_EXPECT_NULL_MSG(test, p, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, p, ==, __UKMEM_KUNIT_NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL(test, p)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, p, !=, __UKMEM_KUNIT_NULL, NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, p, !=, __UKMEM_KUNIT_NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL(test, p)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, p, ==, __UKMEM_KUNIT_NULL, NULL)
#define KUNIT_ASSERT_NULL_MSG(test, p, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, p, ==, __UKMEM_KUNIT_NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(test, p)		KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, p, !=, __UKMEM_KUNIT_NULL, NULL)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, fmt, ...) KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, p, !=, __UKMEM_KUNIT_NULL, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_STREQ(test, l, r)		KUNIT_BINARY_STR_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, NULL)
#define KUNIT_EXPECT_STREQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ(test, l, r)		KUNIT_BINARY_STR_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, NULL)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ(test, l, r)		KUNIT_BINARY_STR_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, NULL)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ(test, l, r)		KUNIT_BINARY_STR_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, NULL)
#define KUNIT_ASSERT_STRNEQ_MSG(test, l, r, fmt, ...) KUNIT_BINARY_STR_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_MEMEQ(test, l, r, n)	KUNIT_MEM_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, n, NULL)
#define KUNIT_EXPECT_MEMEQ_MSG(test, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, n, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ(test, l, r, n)	KUNIT_MEM_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, n, NULL)
#define KUNIT_EXPECT_MEMNEQ_MSG(test, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, n, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ(test, l, r, n)	KUNIT_MEM_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, n, NULL)
#define KUNIT_ASSERT_MEMEQ_MSG(test, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, n, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ(test, l, r, n)	KUNIT_MEM_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, n, NULL)
#define KUNIT_ASSERT_MEMNEQ_MSG(test, l, r, n, fmt, ...) KUNIT_MEM_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, n, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p)	KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(test, KUNIT_EXPECTATION, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...) KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(test, KUNIT_EXPECTATION, p, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p)	KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(test, KUNIT_ASSERTION, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...) KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION(test, KUNIT_ASSERTION, p, fmt, ##__VA_ARGS__)

/* ---- parameterised tests ---- */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ? ((typeof(__next)) prev) + 1 : (array); \
		if (__next - (array) < ARRAY_SIZE((array))) {			\
			void (*__get_desc)(typeof(__next), char *) = get_desc;	\
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}
#endif
