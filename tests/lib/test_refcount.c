/* SPDX-License-Identifier: MIT */
/*
 * refcount_t and kref as 6.1's: a get after the last put ("refcount_t: addition on 0;
 * use-after-free."), a put too many ("refcount_t: underflow; use-after-free."), an increment
 * past INT_MAX and a plain decrement to 0 each warn once with 6.1's text and leave the count
 * saturated, where it stays: the release never runs for it.  The _not_zero, _if_one,
 * _not_one and _and_lock forms; kref_put_mutex and kref_put_lock hold the lock in release;
 * four threads sharing one kref release it exactly once.
 */
#include <pthread.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include "ktest.h"

static DEFINE_SPINLOCK(lock);
static DEFINE_MUTEX(mutex);
static int released;

static void release(struct kref *kref)
{
	(void)kref;
	released++;
}

/* @fn's output must be one warning with @text from refcount_warn_saturate, or nothing. */
static void expect_warning(void (*fn)(void), const char *text)
{
	unsigned long before = ukmem_report_count();
	char *out;

	kt_capture_begin();
	fn();
	out = kt_capture_end();
	if (text) {
		KT_ASSERT(strstr(out, "------------[ cut here ]------------\n") == out);
		KT_CONTAINS(out, text);
		KT_CONTAINS(out, "WARNING: CPU: ");
		KT_CONTAINS(out, "refcount.c:");
		KT_CONTAINS(out, " refcount_warn_saturate\n");
		KT_EQ(kt_count(out, "WARNING: CPU: "), 1);
		KT_EQ(ukmem_report_count(), before + 1);
	} else {
		KT_EQ(strlen(out), 0);
		KT_EQ(ukmem_report_count(), before);
	}
	free(out);
}

static struct kref k;
static refcount_t r;

static void put_too_many(void)
{
	kref_init(&k);
	KT_EQ(kref_put(&k, release), 1);
	KT_EQ(released, 1);
	KT_EQ(kref_put(&k, release), 0);		/* underflow: saturated, no release */
	KT_EQ(released, 1);
	KT_EQ(refcount_read(&k.refcount), (unsigned int)REFCOUNT_SATURATED);
}

static void get_after_last_put(void)
{
	kref_init(&k);
	KT_EQ(kref_put(&k, release), 1);
	kref_get(&k);					/* addition on 0 */
	KT_EQ(kref_read(&k), (unsigned int)REFCOUNT_SATURATED);
	KT_EQ(kref_put(&k, release), 0);		/* saturated: it stays */
	KT_EQ(kref_read(&k), (unsigned int)REFCOUNT_SATURATED);
	KT_EQ(released, 2);
}

static void past_int_max(void)
{
	refcount_set(&r, REFCOUNT_MAX);
	refcount_inc(&r);
	KT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
	refcount_inc(&r);				/* saturated: stays, warned once */
	KT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
	KT_ASSERT(!refcount_dec_and_test(&r));
}

static void dec_to_zero(void)
{
	refcount_set(&r, 1);
	refcount_dec(&r);
	KT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
}

static void not_zero_on_saturated(void)
{
	KT_ASSERT(refcount_inc_not_zero(&r));		/* saturated is not zero */
	KT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
}

static void second_underflow(void)
{
	kref_init(&k);
	KT_EQ(kref_put(&k, release), 1);
	KT_EQ(kref_put(&k, release), 0);		/* warned already: once per kind */
	KT_EQ(released, 3);
}

/* The valid uses print nothing. */
static void valid_uses(void)
{
	unsigned long flags;

	refcount_set(&r, 0);
	KT_ASSERT(!refcount_inc_not_zero(&r));
	KT_EQ(refcount_read(&r), 0);
	refcount_set(&r, 1);
	KT_ASSERT(refcount_inc_not_zero(&r));
	refcount_add(3, &r);
	KT_EQ(refcount_read(&r), 5);
	KT_ASSERT(!refcount_sub_and_test(3, &r));
	KT_ASSERT(!refcount_dec_if_one(&r));		/* 2 */
	KT_ASSERT(refcount_dec_not_one(&r));		/* 2 -> 1 */
	KT_ASSERT(!refcount_dec_not_one(&r));		/* 1 stays */
	KT_EQ(refcount_read(&r), 1);
	KT_ASSERT(refcount_dec_if_one(&r));
	KT_EQ(refcount_read(&r), 0);

	refcount_set(&r, 2);
	KT_ASSERT(!refcount_dec_and_lock(&r, &lock));
	KT_ASSERT(!spin_is_locked(&lock) && !in_atomic());
	KT_ASSERT(refcount_dec_and_lock(&r, &lock));
	KT_ASSERT(spin_is_locked(&lock) && in_atomic());
	spin_unlock(&lock);
	refcount_set(&r, 1);
	KT_ASSERT(refcount_dec_and_lock_irqsave(&r, &lock, &flags));
	KT_ASSERT(irqs_disabled());
	spin_unlock_irqrestore(&lock, flags);
	KT_ASSERT(!irqs_disabled());
	refcount_set(&r, 1);
	KT_ASSERT(refcount_dec_and_mutex_lock(&r, &mutex));
	KT_ASSERT(mutex_is_locked(&mutex));
	mutex_unlock(&mutex);

	kref_init(&k);
	KT_ASSERT(kref_get_unless_zero(&k));
	KT_EQ(kref_put_lock(&k, release, &lock), 0);
	KT_ASSERT(!spin_is_locked(&lock));
	KT_EQ(kref_put_lock(&k, release, &lock), 1);
	KT_ASSERT(spin_is_locked(&lock));
	spin_unlock(&lock);
	KT_ASSERT(!kref_get_unless_zero(&k));
	kref_init(&k);
	KT_EQ(kref_put_mutex(&k, release, &mutex), 1);
	KT_ASSERT(mutex_is_locked(&mutex));
	mutex_unlock(&mutex);
	KT_EQ(released, 2);
}

/* Four threads take and drop references on one kref; the last put releases it, once. */
#define THREADS	4
#define ROUNDS	20000
static struct kref shared = KREF_INIT(THREADS);
static int shared_released;

static void shared_release(struct kref *kref)
{
	KT_ASSERT(kref == &shared);
	__atomic_fetch_add(&shared_released, 1, __ATOMIC_RELAXED);
}

static void *churn(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		kref_get(&shared);
		KT_EQ(kref_put(&shared, shared_release), 0);
	}
	kref_put(&shared, shared_release);
	return arg;
}

static void threads(void)
{
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++)
		KT_EQ(pthread_create(&t[i], NULL, churn, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	KT_EQ(shared_released, 1);
	KT_EQ(kref_read(&shared), 0);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=32M"), 0);
	expect_warning(valid_uses, NULL);
	released = 0;
	expect_warning(put_too_many, "refcount_t: underflow; use-after-free.\n");
	expect_warning(get_after_last_put, "refcount_t: addition on 0; use-after-free.\n");
	expect_warning(past_int_max, "refcount_t: saturated; leaking memory.\n");
	expect_warning(dec_to_zero, "refcount_t: decrement hit 0; leaking memory.\n");
	expect_warning(not_zero_on_saturated, "refcount_t: saturated; leaking memory.\n");
	expect_warning(second_underflow, NULL);
	threads();
	KT_EQ(ukmem_exit(), 5);
	return 0;
}
