/* SPDX-License-Identifier: MIT */
/*
 * The kstrto* family (lib/kstrtox.c's semantics): bases 0, 8, 10 and 16, a leading '+'
 * (and '-' for the signed ones), one trailing newline, -EINVAL for anything else and
 * -ERANGE past the type's range, *res untouched on failure; the most negative value of a
 * signed type is read without overflowing on the way.  kstrtos8, kstrtoll, kstrtou32/s32/u64/
 * s64 and simple_strto* (no checks, the end reported) as 6.1 has them; memparse reads as they
 * do and saturates.  Other bases take 6.1's digits,
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
	long long llv = 1;
	s8 s8v = 1;
	u32 u32v = 1;
	s32 s32v = 1;
	u64 u64v = 1;
	s64 s64v = 1;
	char *end;

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

	/* the rest of 6.1's family: kstrtos8, kstrtoll and the fixed-width forms */
	KT_EQ(kstrtos8("-128", 10, &s8v), 0);
	KT_EQ(s8v, -128);
	KT_EQ(kstrtos8("128", 10, &s8v), -ERANGE);
	KT_EQ(kstrtoll("-0x10", 0, &llv), 0);
	KT_EQ(llv, -16);
	KT_EQ(kstrtou32("4294967296", 10, &u32v), -ERANGE);
	KT_EQ(kstrtou32("0xffffffff\n", 16, &u32v), 0);
	KT_EQ(u32v, 0xffffffffu);
	KT_EQ(kstrtos32("-2147483649", 10, &s32v), -ERANGE);
	KT_EQ(kstrtos32("-2147483648", 10, &s32v), 0);
	KT_EQ(s32v == INT_MIN, 1);
	KT_EQ(kstrtou64("18446744073709551615", 10, &u64v), 0);
	KT_EQ(u64v == ~0ULL, 1);
	KT_EQ(kstrtos64("-9223372036854775808", 10, &s64v), 0);
	KT_EQ(s64v == LLONG_MIN, 1);

	/* simple_strto*: the digits there are, where they stop; no blank or '+' skipped, no
	 * overflow check (the value wraps) */
	KT_EQ(simple_strtoul("0x1fz", &end, 0), 31);
	KT_EQ(*end, 'z');
	KT_EQ(simple_strtoul("0x", &end, 16), 0);		/* the prefix is passed over */
	KT_EQ(*end, '\0');
	KT_EQ(simple_strtoul("0xg", &end, 0), 0);		/* base 0 without a hex digit: octal */
	KT_EQ(*end, 'x');
	KT_EQ(simple_strtol("-077", &end, 0), -63);
	KT_EQ(*end, '\0');
	KT_EQ(simple_strtoll("-9 apples", &end, 10), -9);
	KT_EQ(*end, ' ');
	KT_EQ(simple_strtoull("18446744073709551617", NULL, 10), 1);
	KT_EQ(simple_strtoul(" 5", &end, 10), 0);
	KT_EQ(*end, ' ');
	KT_EQ(simple_strtoul("+5", &end, 10), 0);
	KT_EQ(*end, '+');

	KT_EQ(kstrtou8("ff", 16, &u8v), 0);
	KT_EQ(u8v, 255);
	KT_EQ(kstrtou8("256", 10, &u8v), -ERANGE);
	KT_EQ(kstrtou8("12x", 10, &u8v), -EINVAL);
	KT_EQ(u8v, 255);

	/* memparse reads its number as simple_strtoull (it took strtoull's blanks and sign:
	 * "-1M" was ULLONG_MAX), and saturates where 6.1 wraps */
	KT_EQ(memparse("-1M", &end), 0);
	KT_EQ(*end, '-');
	KT_EQ(memparse(" 5K", &end), 0);
	KT_EQ(*end, ' ');
	KT_EQ(memparse("+2G", NULL), 0);
	KT_EQ(memparse("0x10k", &end), 16 << 10);
	KT_EQ(*end, '\0');
	KT_EQ(memparse("010M", NULL), 8 << 20);
	KT_EQ(memparse("99999999999999999999", &end) == ~0ULL, 1);
	KT_EQ(*end, '\0');
	KT_EQ(memparse("16E", &end) == ~0ULL, 1);
	KT_EQ(*end, '\0');
	printf("test_kstrtox: ok\n");
	return 0;
}
