/* SPDX-License-Identifier: MIT */
/*
 * <kunit/try-catch.h>: how a test case is left early.  The kernel runs each case in a kthread
 * and ends the thread on a failed assertion; ukmem runs it on the runner's thread (in a
 * forked child by default) and leaves with siglongjmp to the point the runner set.
 */
#ifndef _UKMEM_KUNIT_TRY_CATCH_H
#define _UKMEM_KUNIT_TRY_CATCH_H
#include <setjmp.h>
#include <linux/compiler.h>

struct kunit;

struct kunit_try_catch {
	struct kunit *test;
	int try_result;			/* 0, or -EINTR when the case was left early */
	sigjmp_buf *env;		/* where kunit_try_catch_throw lands; NULL outside a case */
};

/* Leave the running test case now (the runner's landing point).  Does not return. */
void __noreturn kunit_try_catch_throw(struct kunit_try_catch *try_catch);

static inline int kunit_try_catch_get_result(struct kunit_try_catch *try_catch)
{
	return try_catch->try_result;
}
#endif
