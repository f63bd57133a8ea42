/* SPDX-License-Identifier: MIT */
/*
 * KUnit internals shared by test.c (the API's out-of-line parts) and runner.c (the executor).
 */
#ifndef UKMEM_KUNIT_KUNIT_H
#define UKMEM_KUNIT_KUNIT_H
#include <stdio.h>
#include <kunit/test.h>

#pragma GCC visibility push(hidden)

/* The test case running on this thread (kunit_get_current_test), set by the runner. */
extern __thread struct kunit *ukmem__kunit_current;

/* KUnit's state beyond the running test: where output goes while a fail-sweep run's
 * lines are held back (NULL: stdout). */
struct ukmem__kunit {
	FILE *capture;
};
extern struct ukmem__kunit ukmem__kunit;

/* Where KTAP goes (stdout); every line is flushed at once so a crash loses nothing. */
void ukmem__kunit_vline(const char *fmt, va_list ap);
void __printf(1, 2) ukmem__kunit_line(const char *fmt, ...);

#pragma GCC visibility pop
#endif
