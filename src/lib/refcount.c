/* SPDX-License-Identifier: MIT */
/*
 * refcount_t's out-of-line half (lib/refcount.c): the saturation warning and the decrements
 * that take a lock when they reach 0.  The inline operations are in <linux/refcount.h>.
 *
 * A count the inline code found wrong is set to REFCOUNT_SATURATED and warned about with
 * 6.1's text, each kind once per process as 6.1's WARN_ONCE()s (the two overflow kinds
 * share a text, and each has its own "once").
 *
 * Locking: none of its own (refcount_state's flags are set atomically); the _lock forms
 * return with the caller's lock held when they return true.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

static struct {
	bool warned[REFCOUNT_DEC_LEAK + 1];	/* per kind: its warning was printed */
} refcount_state;

/**
 * refcount_warn_saturate - saturate a count gone wrong and say how it went wrong
 * @r: the count
 * @t: what the caller found: an increment from 0, past INT_MAX, a decrement below 0 ...
 */
void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	static const char *const what[] = {
		[REFCOUNT_ADD_NOT_ZERO_OVF] = "saturated; leaking memory",
		[REFCOUNT_ADD_OVF] = "saturated; leaking memory",
		[REFCOUNT_ADD_UAF] = "addition on 0; use-after-free",
		[REFCOUNT_SUB_UAF] = "underflow; use-after-free",
		[REFCOUNT_DEC_LEAK] = "decrement hit 0; leaking memory",
	};

	refcount_set(r, REFCOUNT_SATURATED);
	if ((unsigned int)t > REFCOUNT_DEC_LEAK) {
		WARN_ONCE(1, "refcount_t: unknown saturation event!?\n");
		return;
	}
	if (!__atomic_exchange_n(&refcount_state.warned[t], true, __ATOMIC_RELAXED))
		WARN(1, "refcount_t: %s.\n", what[t]);
}

/**
 * refcount_dec_if_one - take the count from 1 to 0, and nothing else
 * @r: the count
 *
 * Return: true when the count was 1 and is now 0.
 */
bool refcount_dec_if_one(refcount_t *r)
{
	int one = 1;

	return __atomic_compare_exchange_n(&r->refs.counter, &one, 0, false, __ATOMIC_RELEASE,
					   __ATOMIC_RELAXED);
}

/**
 * refcount_dec_not_one - decrement unless the count is 1
 * @r: the count
 *
 * A saturated count is left alone (and true returned); a count below 0 warns.
 * Return: false when the count was 1 (left as it is), true otherwise.
 */
bool refcount_dec_not_one(refcount_t *r)
{
	unsigned int val = atomic_read(&r->refs), new;

	do {
		if (unlikely(val == (unsigned int)REFCOUNT_SATURATED))
			return true;
		if (val == 1)
			return false;
		new = val - 1;
		if (new > val) {
			WARN_ONCE(1, "refcount_t: underflow; use-after-free.\n");
			return true;
		}
	} while (!__atomic_compare_exchange_n(&r->refs.counter, (int *)&val, (int)new, false,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return true;
}

/**
 * refcount_dec_and_mutex_lock - decrement, taking @lock when the count reaches 0
 * @r: the count
 * @lock: the mutex that guards the object's lookup
 *
 * Return: true, with @lock held, when the count reached 0; false otherwise (not held).
 */
bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		mutex_unlock(lock);
		return false;
	}
	return true;
}

/**
 * refcount_dec_and_lock - decrement, taking @lock when the count reaches 0
 * @r: the count
 * @lock: the spinlock that guards the object's lookup
 *
 * Return: true, with @lock held, when the count reached 0; false otherwise (not held).
 */
bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		spin_unlock(lock);
		return false;
	}
	return true;
}

/**
 * refcount_dec_and_lock_irqsave - refcount_dec_and_lock() with interrupts disabled
 * @r: the count
 * @lock: the spinlock, taken with spin_lock_irqsave()
 * @flags: where the interrupt state is saved while @lock is held
 *
 * Return: true, with @lock held and *@flags set, when the count reached 0; false otherwise.
 */
bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock, unsigned long *flags)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock_irqsave(lock, *flags);
	if (!refcount_dec_and_test(r)) {
		spin_unlock_irqrestore(lock, *flags);
		return false;
	}
	return true;
}
