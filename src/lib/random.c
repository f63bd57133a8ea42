/* SPDX-License-Identifier: MIT */
/*
 * Random numbers (drivers/char/random.c's interface, lib/random32.c's generator).
 *
 * get_random_* draw from the host's CSPRNG through the platform layer; it cannot fail on
 * Linux >= 3.17, and if it ever did ukmem stops with a BUG rather than hand out predictable
 * bytes.  The add_*_randomness inputs (hwrng early randomness, device ids) are counted in
 * rnd.{device,hw}_bytes and shown by ukmem_show("random"); the host's generator does not take
 * them, which is the one difference from the kernel: nothing a driver feeds in can be read
 * back, so no test can depend on it.
 *
 * prandom_u32_state is the kernel's taus113 step; a given seed gives the kernel's sequence.
 *
 * Locking: none needed; the counters are atomics.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/random.h>
#include "core/core.h"
#include "platform/platform.h"

static struct {
	unsigned long device_bytes;	/* add_device_randomness */
	unsigned long hw_bytes;		/* add_hwgenerator_randomness */
	unsigned long hw_entropy;	/* bits credited by hwrng drivers */
	unsigned long events;		/* interrupt and input events */
} rnd;

/**
 * get_random_bytes - fill a buffer with random bytes
 * @buf: where to write
 * @len: how many bytes
 *
 * From the host's CSPRNG; never blocks once the host has seeded it (at its boot).
 */
void get_random_bytes(void *buf, size_t len)
{
	int err = ukmem__os_getrandom(buf, len);

	if (unlikely(err)) {
		pr_emerg("random: the host's getrandom failed (%d)\n", err);
		BUG();
	}
}

/** get_random_u8 - a random byte */
u8 get_random_u8(void)
{
	u8 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

/** get_random_u16 - a random 16-bit value */
u16 get_random_u16(void)
{
	u16 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

/** get_random_u32 - a random 32-bit value */
u32 get_random_u32(void)
{
	u32 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

/** get_random_u64 - a random 64-bit value */
u64 get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

/**
 * __get_random_u32_below - a uniform value in [0, @ceil)
 * @ceil: the bound (0: any 32-bit value)
 *
 * Lemire's multiply-and-reject, as the kernel's: no modulo bias.
 */
u32 __get_random_u32_below(u32 ceil)
{
	u32 rand = get_random_u32();
	u64 mult;

	if (unlikely(!ceil))
		return rand;
	mult = (u64)ceil * rand;
	if (unlikely((u32)mult < ceil)) {
		u32 bound = -ceil % ceil;

		while (unlikely((u32)mult < bound))
			mult = (u64)ceil * get_random_u32();
	}
	return (u32)(mult >> 32);
}

/** rng_is_initialized - true: the host's generator is seeded before any process runs */
bool rng_is_initialized(void)
{
	return true;
}

/**
 * add_device_randomness - mix device data (not credited as entropy) into the pool
 * @buf: the data
 * @len: its length
 *
 * Counted only: see the comment at the top of this file.
 */
void add_device_randomness(const void *buf, size_t len)
{
	(void)buf;
	__atomic_fetch_add(&rnd.device_bytes, len, __ATOMIC_RELAXED);
}

/**
 * add_hwgenerator_randomness - bytes from a hardware generator, credited @entropy bits
 * @buf: the data
 * @len: its length
 * @entropy: the bits of entropy the caller claims
 */
void add_hwgenerator_randomness(const void *buf, size_t len, size_t entropy)
{
	(void)buf;
	__atomic_fetch_add(&rnd.hw_bytes, len, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rnd.hw_entropy, entropy, __ATOMIC_RELAXED);
}

/** add_interrupt_randomness - an interrupt's timing (counted) */
void add_interrupt_randomness(int irq)
{
	(void)irq;
	__atomic_fetch_add(&rnd.events, 1, __ATOMIC_RELAXED);
}

/** add_input_randomness - an input event's timing (counted) */
void add_input_randomness(unsigned int type, unsigned int code, unsigned int value)
{
	(void)type;
	(void)code;
	(void)value;
	__atomic_fetch_add(&rnd.events, 1, __ATOMIC_RELAXED);
}

#define TAUS(s, a, b, c, d) ((((s) & (c)) << (d)) ^ ((((s) << (a)) ^ (s)) >> (b)))

/**
 * prandom_u32_state - the next value of a seeded pseudo-random sequence
 * @state: the generator, seeded with prandom_seed_state()
 */
u32 prandom_u32_state(struct rnd_state *state)
{
	state->s1 = TAUS(state->s1, 6U, 13U, 4294967294U, 18U);
	state->s2 = TAUS(state->s2, 2U, 27U, 4294967288U, 2U);
	state->s3 = TAUS(state->s3, 13U, 21U, 4294967280U, 7U);
	state->s4 = TAUS(state->s4, 3U, 12U, 4294967168U, 13U);
	return state->s1 ^ state->s2 ^ state->s3 ^ state->s4;
}

/**
 * prandom_bytes_state - fill a buffer from a seeded sequence
 * @state: the generator
 * @buf: where to write
 * @nbytes: how many bytes (whole values little-endian, then the low bytes of one more)
 */
void prandom_bytes_state(struct rnd_state *state, void *buf, size_t nbytes)
{
	u8 *p = buf;

	for (; nbytes >= sizeof(u32); nbytes -= sizeof(u32), p += sizeof(u32)) {
		u32 v = prandom_u32_state(state);

		memcpy(p, &v, sizeof(v));
	}
	if (nbytes) {
		u32 rem = prandom_u32_state(state);

		do {
			*p++ = (u8)rem;
			rem >>= 8;
		} while (--nbytes);
	}
}

static int random_show(FILE *out, const char *arg)
{
	(void)arg;
	fprintf(out, "source: host getrandom\n");
	fprintf(out, "device_bytes: %lu\nhwgenerator_bytes: %lu\nhwgenerator_entropy_bits: %lu\n"
		"events: %lu\n",
		__atomic_load_n(&rnd.device_bytes, __ATOMIC_RELAXED),
		__atomic_load_n(&rnd.hw_bytes, __ATOMIC_RELAXED),
		__atomic_load_n(&rnd.hw_entropy, __ATOMIC_RELAXED),
		__atomic_load_n(&rnd.events, __ATOMIC_RELAXED));
	return 0;
}

static int random_init(void)
{
	ukmem__show_register("random", random_show);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_SUBSYS, random_init);
