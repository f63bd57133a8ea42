/* SPDX-License-Identifier: MIT */
/* <linux/log2.h>: integer logarithms and power-of-two rounding. */
#ifndef _UKMEM_LINUX_LOG2_H
#define _UKMEM_LINUX_LOG2_H
#include <linux/types.h>

static inline __attribute__((const)) int __ilog2_u64(u64 n) { return 63 - __builtin_clzll(n); }
#define ilog2(n)	((n) ? __ilog2_u64((u64)(n)) : -1)
static inline __attribute__((const)) bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}
static inline __attribute__((const)) unsigned long __roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}
static inline __attribute__((const)) unsigned long __rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}
#define roundup_pow_of_two(n)	__roundup_pow_of_two(n)
#define rounddown_pow_of_two(n)	__rounddown_pow_of_two(n)
#define order_base_2(n)		((n) > 1 ? ilog2((n) - 1) + 1 : 0)
#endif
