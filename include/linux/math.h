/* SPDX-License-Identifier: MIT */
/* <linux/math.h> */
#ifndef _UKMEM_LINUX_MATH_H
#define _UKMEM_LINUX_MATH_H
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(ll, d)	((unsigned long long)(((ll) + (d) - 1) / (d)))
#define DIV_ROUND_CLOSEST(x, d)	(((x) + ((d) / 2)) / (d))
/* glibc's <sys/param.h> (which includes UAPI headers) has its own roundup: the kernel's wins. */
#undef roundup
#define roundup(x, y)		({ typeof(y) __y = y; (((x) + (__y - 1)) / __y) * __y; })
#define rounddown(x, y)		({ typeof(x) __x = (x); __x - (__x % (y)); })
#define round_up(x, y)		((((x) - 1) | ((typeof(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((typeof(x))((y) - 1)))
#define abs_diff(a, b)		({ typeof(a) __a = (a); typeof(b) __b = (b); \
				   __a > __b ? (__a - __b) : (__b - __a); })
#endif
