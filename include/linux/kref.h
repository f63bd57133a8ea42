/* SPDX-License-Identifier: MIT */
/*
 * <linux/kref.h>: reference counts that run a release function when the last one goes, on
 * refcount_t as 6.1's: a get after the last put, or a put too many, saturates the count with
 * refcount_t's warning ("refcount_t: addition on 0; use-after-free.", "refcount_t: underflow;
 * use-after-free.") and the release does not run again.
 */
#ifndef _UKMEM_LINUX_KREF_H
#define _UKMEM_LINUX_KREF_H
#include <linux/compiler.h>
#include <linux/refcount.h>

struct kref {
	refcount_t refcount;
};

#define KREF_INIT(n)	{ .refcount = REFCOUNT_INIT(n), }

static inline void kref_init(struct kref *kref)
{
	refcount_set(&kref->refcount, 1);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return refcount_read(&kref->refcount);
}

static inline void kref_get(struct kref *kref)
{
	refcount_inc(&kref->refcount);
}

/* Drop a reference; release(kref) runs at the last and then 1 is returned. */
static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (refcount_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

/* kref_put() whose last put takes @lock first and runs release() with it held; release()
 * drops it. */
static inline int kref_put_mutex(struct kref *kref, void (*release)(struct kref *kref),
				 struct mutex *lock)
{
	if (refcount_dec_and_mutex_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}

static inline int kref_put_lock(struct kref *kref, void (*release)(struct kref *kref),
				spinlock_t *lock)
{
	if (refcount_dec_and_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}

/* Take a reference unless the count already reached zero (the object is being released). */
static inline int __must_check kref_get_unless_zero(struct kref *kref)
{
	return refcount_inc_not_zero(&kref->refcount);
}
#endif
