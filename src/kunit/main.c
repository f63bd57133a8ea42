/* SPDX-License-Identifier: MIT */
/*
 * main() of a KUnit test program (the ukmem-kunit library, libukmem-kunit.a): link it with
 * files that register suites with kunit_test_suites() and the program runs them all.
 * It lives in the program, not in libukmem, so that the suite section it walks is the
 * program's own.
 */
#include <ukmem.h>

int main(int argc, char **argv)
{
	return ukmem_kunit_run(argc, argv);
}
