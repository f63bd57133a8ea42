/* SPDX-License-Identifier: MIT */
/*
 * <linux/math.h>: rounding divisions and roundings to multiples, as 6.1's macros (those that
 * are statement expressions evaluate each operand once).
 */
#ifndef _UKMEM_LINUX_MATH_H
#define _UKMEM_LINUX_MATH_H
#include <linux/types.h>
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(ll, d)	((unsigned long long)(((ll) + (d) - 1) / (d)))
/* The nearest quotient, a half rounded away from zero: when the operands are signed and of
 * opposite signs the half is taken off, not added.  Each operand is evaluated once. */
#define DIV_ROUND_CLOSEST(x, divisor) ({					\
	typeof(x) __drc_x = (x);						\
	typeof(divisor) __drc_d = (divisor);					\
	bool __drc_up = (typeof(x))-1 > 0 || (typeof(divisor))-1 > 0 ||		\
			(__drc_x > 0) == (__drc_d > 0);				\
	__drc_up ? (__drc_x + __drc_d / 2) / __drc_d : (__drc_x - __drc_d / 2) / __drc_d; \
})
#define DIV_ROUND_CLOSEST_ULL(x, divisor) ({					\
	typeof(divisor) __drcu_d = (divisor);					\
	unsigned long long __drcu_x = (x) + __drcu_d / 2;			\
	__drcu_x / __drcu_d;							\
})
/* x * numer / denom without overflowing in x * numer (the remainder is scaled apart). */
#define mult_frac(x, numer, denom) ({						\
	typeof(x) __mf_q = (x) / (denom);					\
	typeof(x) __mf_r = (x) % (denom);					\
	__mf_q * (numer) + __mf_r * (numer) / (denom);				\
})
/* glibc's <sys/param.h> (which includes UAPI headers) has its own roundup: the kernel's wins. */
#undef roundup
#define roundup(x, y)		({ typeof(y) __y = y; (((x) + (__y - 1)) / __y) * __y; })
#define rounddown(x, y)		({ typeof(x) __x = (x); __x - (__x % (y)); })
#define round_up(x, y)		((((x) - 1) | ((typeof(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((typeof(x))((y) - 1)))
#define abs_diff(a, b)		({ typeof(a) __a = (a); typeof(b) __b = (b); \
				   __a > __b ? (__a - __b) : (__b - __a); })
#endif
