/* SPDX-License-Identifier: MIT */
/*
 * The kstrto* family (lib/kstrtox.c's semantics): bases 0, 8, 10 and 16, a leading '+'
 * (and '-' for the signed ones), one trailing newline, -EINVAL for anything else and
 * -ERANGE past the type's range, *res untouched on failure; the most negative value of a
 * signed type is read without overflowing on the way.  Other bases take 6.1's digits,
 * 0-9 and a-f only: base 36 reads "1f" but not "z".  module_param's byte, short,
 * ushort and ullong types parse with kstrtou8, kstrtos16, kstrtou16 and kstrtoull.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include "ktest.h"

int main(void)
{
	unsigned long long ull = 1;
	u16 u16v = 1;
	s16 s16v = 1;
	u8 u8v = 1;
	long lv = 1;
	int iv = 1;

	KT_EQ(kstrtoull("18446744073709551615", 10, &ull), 0);
	KT_EQ(ull == ~0ULL, 1);
	KT_EQ(kstrtoull("18446744073709551616", 10, &ull), -ERANGE);
	KT_EQ(kstrtoull("+0x10\n", 0, &ull), 0);
	KT_EQ(ull, 16);
	KT_EQ(kstrtoull("-1", 10, &ull), -EINVAL);
	KT_EQ(ull, 16);

	/* bases above 16: 6.1's _parse_integer knows no digit past f */
	KT_EQ(kstrtoull("1f", 36, &ull), 0);
	KT_EQ(ull, 51);
	KT_EQ(kstrtoull("g", 17, &ull), -EINVAL);
	KT_EQ(kstrtoull("1z", 36, &ull), -EINVAL);
	KT_EQ(ull, 51);
	KT_EQ(kstrtoull("00", 1, &ull), 0);
	KT_EQ(ull, 0);
	KT_EQ(kstrtoull("1", 1, &ull), -EINVAL);

	KT_EQ(kstrtou16("65535", 10, &u16v), 0);
	KT_EQ(u16v, 65535);
	KT_EQ(kstrtou16("65536", 10, &u16v), -ERANGE);
	KT_EQ(u16v, 65535);
	KT_EQ(kstrtou16("0777", 0, &u16v), 0);
	KT_EQ(u16v, 511);

	KT_EQ(kstrtos16("-32768", 10, &s16v), 0);
	KT_EQ(s16v, -32768);
	KT_EQ(kstrtos16("32768", 10, &s16v), -ERANGE);
	KT_EQ(kstrtos16("-32769", 10, &s16v), -ERANGE);
	KT_EQ(s16v, -32768);

	/* LONG_MIN itself is in range, and reading it overflows nothing (UBSan checks) */
	KT_EQ(kstrtol("-9223372036854775808", 10, &lv), 0);
	KT_EQ(lv == LONG_MIN, 1);
	KT_EQ(kstrtol("-9223372036854775809", 10, &lv), -ERANGE);
	KT_EQ(kstrtol("9223372036854775808", 10, &lv), -ERANGE);
	KT_EQ(lv == LONG_MIN, 1);
	KT_EQ(kstrtol("-0", 10, &lv), 0);
	KT_EQ(lv, 0);
	KT_EQ(kstrtoint("-2147483648", 0, &iv), 0);
	KT_EQ(iv == INT_MIN, 1);

	KT_EQ(kstrtou8("ff", 16, &u8v), 0);
	KT_EQ(u8v, 255);
	KT_EQ(kstrtou8("256", 10, &u8v), -ERANGE);
	KT_EQ(kstrtou8("12x", 10, &u8v), -EINVAL);
	KT_EQ(u8v, 255);
	printf("test_kstrtox: ok\n");
	return 0;
}
