/* SPDX-License-Identifier: MIT */
/*
 * <linux/refcount.h>: reference counts that refuse to wrap, as 6.1's (lib/refcount.c).
 *
 * A count that would go from 0 to 1 (a get after the last put), past INT_MAX, or below 0
 * is not changed as asked: it is set to REFCOUNT_SATURATED, where it stays (a saturated
 * object leaks instead of being freed while in use), and refcount_warn_saturate() prints
 * 6.1's warning, "refcount_t: addition on 0; use-after-free." and the like, once per kind.
 * refcount_dec_and_test() is true exactly once, for the put that took the count from 1 to
 * 0; a saturated count never reaches 0 again.
 *
 * Ordering as 6.1's: increments are relaxed, decrements release, and the decrement that
 * reaches 0 is also an acquire (the release code sees every earlier put's writes).
 */
#ifndef _UKMEM_LINUX_REFCOUNT_H
#define _UKMEM_LINUX_REFCOUNT_H
#include <limits.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/spinlock_types.h>

struct mutex;

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t);

/* old + i and old - i as the kernel computes them (-fno-strict-overflow: they wrap). */
static inline int __refcount_wrap(int old, int i)
{
	return (int)((unsigned int)old + (unsigned int)i);
}

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

static inline __must_check bool __refcount_add_not_zero(int i, refcount_t *r, int *oldp)
{
	int old = refcount_read(r);

	do {
		if (!old)
			break;
	} while (!__atomic_compare_exchange_n(&r->refs.counter, &old, __refcount_wrap(old, i),
					      false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (oldp)
		*oldp = old;
	if (unlikely(old < 0 || __refcount_wrap(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return old;
}

/* Add @i unless the count is 0; false when it was 0 (the object is going away). */
static inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	return __refcount_add_not_zero(i, r, NULL);
}

static inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return __refcount_add_not_zero(1, r, NULL);
}

static inline void __refcount_add(int i, refcount_t *r, int *oldp)
{
	int old = __atomic_fetch_add(&r->refs.counter, i, __ATOMIC_RELAXED);

	if (oldp)
		*oldp = old;
	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || __refcount_wrap(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline void refcount_add(int i, refcount_t *r)
{
	__refcount_add(i, r, NULL);
}

static inline void refcount_inc(refcount_t *r)
{
	__refcount_add(1, r, NULL);
}

static inline __must_check bool __refcount_sub_and_test(int i, refcount_t *r, int *oldp)
{
	int old = __atomic_fetch_sub(&r->refs.counter, i, __ATOMIC_RELEASE);

	if (oldp)
		*oldp = old;
	if (old == i) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (unlikely(old < 0 || __refcount_wrap(old, -i) < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

/* Take @i away; true when that made the count 0 (the caller frees the object). */
static inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	return __refcount_sub_and_test(i, r, NULL);
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return __refcount_sub_and_test(1, r, NULL);
}

/* A decrement that must not be the last: reaching 0 is "decrement hit 0; leaking memory." */
static inline void refcount_dec(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs.counter, 1, __ATOMIC_RELEASE);

	if (unlikely(old <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

bool refcount_dec_if_one(refcount_t *r);
bool refcount_dec_not_one(refcount_t *r);
bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock);
bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock);
bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock, unsigned long *flags);
#endif
