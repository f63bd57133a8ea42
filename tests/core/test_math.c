/* SPDX-License-Identifier: MIT */
/*
 * <linux/math.h>'s rounding divisions as 6.1 defines them: DIV_ROUND_CLOSEST rounds half
 * away from zero for signed operands of either sign (hwmon-style conversions of negative
 * readings) and evaluates each operand once; DIV_ROUND_CLOSEST_ULL and mult_frac.
 */
#include <linux/kernel.h>
#include "ktest.h"

int main(void)
{
	int calls = 0;
	long mc = -12500;
	unsigned int u = 7;

	KT_EQ(DIV_ROUND_CLOSEST(5, 2), 3);
	KT_EQ(DIV_ROUND_CLOSEST(-5, 2), -3);		/* was -2: half rounded up, not away */
	KT_EQ(DIV_ROUND_CLOSEST(-7, 2), -4);
	KT_EQ(DIV_ROUND_CLOSEST(5, -2), -3);
	KT_EQ(DIV_ROUND_CLOSEST(-5, -2), 3);
	KT_EQ(DIV_ROUND_CLOSEST(-4, 3), -1);
	KT_EQ(DIV_ROUND_CLOSEST(mc, 1000L), -13);	/* millidegrees to degrees */
	KT_EQ(DIV_ROUND_CLOSEST(u, 2u), 4);
	KT_EQ(DIV_ROUND_CLOSEST(0, 3), 0);
	KT_EQ(DIV_ROUND_CLOSEST(10, (calls++, 4)), 3);	/* the divisor is read once */
	KT_EQ(calls, 1);
	KT_EQ(DIV_ROUND_CLOSEST_ULL(10000000001ULL, 2), 5000000001ULL);
	KT_EQ(DIV_ROUND_CLOSEST_ULL(7ULL, 2u), 4);
	KT_EQ(mult_frac(100000000000LL, 3, 7), 42857142857LL);
	KT_EQ(mult_frac(10, 3, 4), 7);
	printf("test_math: ok\n");
	return 0;
}
