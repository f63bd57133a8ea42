/* SPDX-License-Identifier: MIT */
/*
 * Time and randomness for drivers: jiffies start at INITIAL_JIFFIES and follow the clock;
 * the jiffies conversions round up; time_after survives the wrap; ktime arithmetic; delays
 * last at least what was asked; a sleep under a spinlock is reported and a delay is not;
 * prandom_u32_state gives the kernel's taus113 sequence (lib/random32.c's self-test
 * vectors); get_random_* fill what they are asked and stay in range.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include "ktest.h"

static void test_jiffies(void)
{
	unsigned long j0 = jiffies;

	/* A fresh process is within seconds of INITIAL_JIFFIES (five minutes before the
	 * low 32 bits wrap). */
	KT_ASSERT(time_after_eq(j0, INITIAL_JIFFIES));
	KT_ASSERT(time_before(j0, INITIAL_JIFFIES + 10 * HZ));
	msleep(20);
	KT_ASSERT(time_after_eq(jiffies, j0 + msecs_to_jiffies(20) - 1));
	KT_EQ(HZ, 250);
	KT_EQ(msecs_to_jiffies(0), 0);
	KT_EQ(msecs_to_jiffies(1), 1);
	KT_EQ(msecs_to_jiffies(4), 1);
	KT_EQ(msecs_to_jiffies(5), 2);
	KT_EQ(msecs_to_jiffies(1000), HZ);
	KT_EQ(usecs_to_jiffies(1), 1);
	/* 6.1's ceiling: past jiffies_to_usecs(MAX_JIFFY_OFFSET), "forever" (MAX_JIFFY_OFFSET),
	 * not UINT_MAX microseconds rounded up to 1073742 ticks */
	KT_EQ(usecs_to_jiffies(4294959296U), 1073740);
	KT_EQ(usecs_to_jiffies(4294959297U), MAX_JIFFY_OFFSET);
	KT_EQ(usecs_to_jiffies(UINT_MAX), MAX_JIFFY_OFFSET);
	KT_EQ(msecs_to_jiffies(UINT_MAX), MAX_JIFFY_OFFSET);
	KT_EQ(jiffies_to_msecs(HZ), 1000);
	KT_EQ(jiffies_to_usecs(1), 4000);
	KT_ASSERT(time_after(5UL, ULONG_MAX - 5));		/* across the wrap */
	KT_ASSERT(time_before(ULONG_MAX - 5, 5UL));
	KT_ASSERT(time_in_range(10UL, 10UL, 20UL));
	KT_ASSERT(!time_in_range_open(20UL, 10UL, 20UL));
	KT_ASSERT(time_is_after_jiffies(jiffies + HZ));
	KT_ASSERT(time_is_before_jiffies(jiffies - 1));
}

static void test_ktime(void)
{
	ktime_t t0 = ktime_get(), t1;

	KT_EQ(ktime_add_us(t0, 3) - t0, 3000);
	KT_EQ(ktime_add_ms(t0, 2) - t0, 2000000);
	KT_EQ(ktime_to_us(ms_to_ktime(7)), 7000);
	KT_EQ(ktime_set(1, 5), 1000000005);
	KT_EQ(ktime_us_delta(ktime_add_us(t0, 9), t0), 9);
	KT_ASSERT(ktime_after(ktime_add_ns(t0, 1), t0));
	KT_ASSERT(ktime_before(ktime_sub_ns(t0, 1), t0));
	KT_EQ(ktime_compare(t0, t0), 0);
	udelay(100);
	t1 = ktime_get();
	KT_ASSERT(ktime_us_delta(t1, t0) >= 100);
	usleep_range(200, 400);
	KT_ASSERT(ktime_us_delta(ktime_get(), t1) >= 200);
	t1 = ktime_get();
	ndelay(500);
	mdelay(1);
	KT_ASSERT(ktime_us_delta(ktime_get(), t1) >= 1000);
	KT_EQ(msleep_interruptible(1), 0);
	KT_ASSERT(ktime_get_real() > 1600000000LL * NSEC_PER_SEC);	/* the wall clock */
}

static void test_atomic_context(void)
{
	DEFINE_SPINLOCK(lock);
	unsigned long before = ukmem_report_count();
	char *out;

	spin_lock(&lock);
	udelay(10);			/* spinning is fine under a lock */
	spin_unlock(&lock);
	KT_EQ(ukmem_report_count(), before);
	kt_capture_begin();
	spin_lock(&lock);
	usleep_range(10, 20);		/* sleeping is not: the scheduler's report (no might_sleep) */
	KT_EQ(preempt_count(), 0);	/* schedule() went on with the count reset */
	spin_unlock(&lock);		/* so the unlock's preempt_enable underflows */
	out = kt_capture_end();
	KT_ASSERT(!strncmp(out, "BUG: scheduling while atomic: ", 30));
	KT_CONTAINS(out, "/0x00000002\nModules linked in:\nPreemption disabled at:\n");
	KT_CONTAINS(out, "DEBUG_LOCKS_WARN_ON(val > preempt_count())");
	KT_EQ(ukmem_report_count(), before + 2);
	free(out);
}

static void test_prandom(void)
{
	/* lib/random32.c's seed boundary vectors: LCG seeding, ten warm-up steps, then one. */
	static const struct { u32 seed, result; } v[] = {
		{ 1U, 3484351685U }, { 2U, 2623130059U }, { 3U, 3125133893U }, { 4U, 984847254U },
	};
	struct rnd_state s, s2;
	u8 bytes[7];

	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
		s.s1 = __seed(v[i].seed * 69069U, 2U);
		s.s2 = __seed(s.s1 * 69069U, 8U);
		s.s3 = __seed(s.s2 * 69069U, 16U);
		s.s4 = __seed(s.s3 * 69069U, 128U);
		for (int k = 0; k < 10; k++)
			prandom_u32_state(&s);
		KT_EQ(prandom_u32_state(&s), v[i].result);
	}
	/* Same seed, same sequence; bytes are the values little-endian. */
	prandom_seed_state(&s, 3141592653589793238ULL);
	s2 = s;
	prandom_bytes_state(&s, bytes, sizeof(bytes));
	{
		u32 a = prandom_u32_state(&s2), b = prandom_u32_state(&s2);

		KT_EQ(memcmp(bytes, &a, 4), 0);
		KT_EQ(memcmp(bytes + 4, &b, 3), 0);
	}
}

static void test_random(void)
{
	u8 a[64] = { 0 }, b[64] = { 0 };

	get_random_bytes(a, sizeof(a));
	get_random_bytes(b, sizeof(b));
	KT_NE(memcmp(a, b, sizeof(a)), 0);
	for (int i = 0; i < 1000; i++) {
		KT_ASSERT(get_random_u32_below(7) < 7);
		KT_ASSERT(prandom_u32_max(3) < 3);
		u32 r = get_random_u32_inclusive(5, 6);

		KT_ASSERT(r == 5 || r == 6);
		KT_ASSERT(get_random_u32_above(U32_MAX - 1) == U32_MAX);
	}
	KT_ASSERT(rng_is_initialized());
	KT_EQ(get_random_bytes_wait(a, 8), 0);
	add_device_randomness(a, 16);
	{
		char *out = kt_show("random");

		KT_CONTAINS(out, "device_bytes: 16\n");
		free(out);
	}
}

int main(void)
{
	test_jiffies();
	test_ktime();
	test_prandom();
	test_random();
	test_atomic_context();
	KT_EQ(ukmem_exit(), 2);		/* scheduling while atomic, then the unlock's underflow */
	printf("time and random: ok\n");
	return 0;
}
