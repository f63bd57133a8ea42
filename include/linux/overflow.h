/* SPDX-License-Identifier: MIT */
/* <linux/overflow.h>: overflow-checked arithmetic; size helpers saturate at SIZE_MAX. */
#ifndef _UKMEM_LINUX_OVERFLOW_H
#define _UKMEM_LINUX_OVERFLOW_H
#include <linux/compiler.h>
#include <stdint.h>
#include <stdbool.h>
#include <linux/types.h>

/* Signedness and limits of an expression's type (no evaluation of x). */
#define is_signed_type(t)	(((t)(-1)) < (t)1)
#define __type_half_max(t)	((t)1 << (8 * sizeof(t) - 1 - is_signed_type(t)))
#define type_max(t)		((t)((__type_half_max(t) - 1) + __type_half_max(t)))
#define type_min(t)		((t)-type_max(t) - (t)1)
#define is_non_negative(a)	((a) > 0 || (a) == 0)
#define is_negative(a)		(!(is_non_negative(a)))

/* A check's result must be used: the overflowing value is not safe. */
static inline bool __must_check __must_check_overflow(bool overflow)
{
	return __builtin_expect(overflow, 0);
}

#define check_add_overflow(a, b, d)	__must_check_overflow(__builtin_add_overflow(a, b, d))
#define check_sub_overflow(a, b, d)	__must_check_overflow(__builtin_sub_overflow(a, b, d))
#define check_mul_overflow(a, b, d)	__must_check_overflow(__builtin_mul_overflow(a, b, d))

/*
 * check_shl_overflow(a, s, d): *d = a << s; true when that is not a faithful shift: s
 * negative or at least the width of *d (then the shift is by 0), a negative, the result
 * negative, or bits lost (shifting back does not give a).
 */
#define check_shl_overflow(a, s, d) __must_check_overflow(({			\
	typeof(a) __shl_a = (a);						\
	typeof(s) __shl_s = (s);						\
	typeof(d) __shl_d = (d);						\
	unsigned int __shl_n = (is_non_negative(__shl_s) &&			\
				__shl_s < 8 * sizeof(*__shl_d)) ? __shl_s : 0;	\
	*__shl_d = (typeof(*__shl_d))((u64)__shl_a << __shl_n);		\
	__shl_n != __shl_s || is_negative(*__shl_d) || is_negative(__shl_a) ||	\
		(*__shl_d >> __shl_n) != __shl_a;				\
}))

static inline size_t __must_check size_mul(size_t a, size_t b)
{
	size_t r;
	return check_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}
static inline size_t __must_check size_add(size_t a, size_t b)
{
	size_t r;
	return check_add_overflow(a, b, &r) ? SIZE_MAX : r;
}
static inline size_t __must_check size_sub(size_t a, size_t b)
{
	size_t r;
	if (a == SIZE_MAX || b == SIZE_MAX || check_sub_overflow(a, b, &r))
		return SIZE_MAX;
	return r;
}
#define array_size(a, b)	size_mul(a, b)
#define array3_size(a, b, c)	size_mul(size_mul(a, b), c)
#define flex_array_size(p, member, count) size_mul(count, sizeof(*(p)->member))
#define struct_size(p, member, count) \
	size_add(sizeof(*(p)), flex_array_size(p, member, count))
#endif
