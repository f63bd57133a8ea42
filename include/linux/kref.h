/* SPDX-License-Identifier: MIT */
/*
 * <linux/kref.h>: reference counts that run a release function when the last one goes.
 * Over-release is a WARN (the kernel's refcount_t saturates and warns the same way) and the
 * release does not run twice.
 */
#ifndef _UKMEM_LINUX_KREF_H
#define _UKMEM_LINUX_KREF_H
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>

struct kref {
	struct { atomic_t refs; } refcount;
};

#define KREF_INIT(n)	{ .refcount = { .refs = ATOMIC_INIT(n) } }

static inline void kref_init(struct kref *kref)
{
	atomic_set(&kref->refcount.refs, 1);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return atomic_read(&kref->refcount.refs);
}

static inline void kref_get(struct kref *kref)
{
	WARN_ON_ONCE(atomic_inc_return(&kref->refcount.refs) <= 1);
}

/* Drop a reference; release(kref) runs at the last and then 1 is returned. */
static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	int left = atomic_dec_return(&kref->refcount.refs);

	if (WARN_ON_ONCE(left < 0))
		return 0;
	if (left == 0) {
		release(kref);
		return 1;
	}
	return 0;
}

/* Take a reference unless the count already reached zero. */
static inline bool __must_check kref_get_unless_zero(struct kref *kref)
{
	int old = atomic_read(&kref->refcount.refs);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&kref->refcount.refs.counter, &old, old + 1, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return true;
}
#endif
