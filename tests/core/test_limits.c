/* SPDX-License-Identifier: MIT */
/*
 * <limits.h> builds with ukmem's include/ first on the path: glibc's <limits.h> pulls in
 * <linux/limits.h> and then tests INT_MAX in #if, which failed to compile while ukmem
 * defined INT_MAX with a cast (found building the kernel's radix-tree suite).  The maxima
 * keep the kernel's types and values, whichever header comes first.
 */
#include <limits.h>
#include <linux/limits.h>
#include <linux/kernel.h>
#include "ktest.h"

#if INT_MAX != 2147483647 || UINT_MAX != 4294967295U || LONG_MIN >= 0 || ULLONG_MAX == 0
#error "the limits must be usable in #if"
#endif

int main(void)
{
	KT_ASSERT(__builtin_types_compatible_p(__typeof__(INT_MAX), int));
	KT_ASSERT(__builtin_types_compatible_p(__typeof__(UINT_MAX), unsigned int));
	KT_ASSERT(__builtin_types_compatible_p(__typeof__(LONG_MIN), long));
	KT_ASSERT(__builtin_types_compatible_p(__typeof__(ULONG_MAX), unsigned long));
	KT_ASSERT(__builtin_types_compatible_p(__typeof__(LLONG_MIN), long long));
	KT_ASSERT(__builtin_types_compatible_p(__typeof__(ULLONG_MAX), unsigned long long));
	KT_EQ(INT_MIN, -2147483647 - 1);
	KT_EQ(UINT_MAX, ~0U);
	KT_EQ(ULONG_MAX, ~0UL);
	KT_EQ(LLONG_MAX, (long long)(~0ULL >> 1));
	KT_EQ(S32_MAX, INT_MAX);
	return 0;
}
