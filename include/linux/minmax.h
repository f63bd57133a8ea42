/* SPDX-License-Identifier: MIT */
/* <linux/minmax.h>: type-checked min/max/clamp without double evaluation. */
#ifndef _UKMEM_LINUX_MINMAX_H
#define _UKMEM_LINUX_MINMAX_H
#include <linux/compiler.h>

#define __ukmem_cmp(x, y, op)	({ typeof(x) _x = (x); typeof(y) _y = (y); \
				   (void)(&_x == &_y); _x op _y ? _x : _y; })
#define min(x, y)		__ukmem_cmp(x, y, <)
#define max(x, y)		__ukmem_cmp(x, y, >)
#define min3(x, y, z)		min((typeof(x))min(x, y), z)
#define max3(x, y, z)		max((typeof(x))max(x, y), z)
#define min_t(type, x, y)	({ type _a = (x); type _b = (y); _a < _b ? _a : _b; })
#define max_t(type, x, y)	({ type _a = (x); type _b = (y); _a > _b ? _a : _b; })
#define clamp(val, lo, hi)	min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(typeof(val), val, lo, hi)
#define min_not_zero(x, y)	({ typeof(x) __x = (x); typeof(y) __y = (y); \
				   __x == 0 ? __y : ((__y == 0) ? __x : min(__x, __y)); })
#define swap(a, b)		do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)
#endif
