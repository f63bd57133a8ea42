/* SPDX-License-Identifier: MIT */
/*
 * <linux/prandom.h>: the kernel's seeded pseudo-random generator (the four-part Tausworthe
 * generator of lib/random32.c, so a seed gives the same sequence as in the kernel) and the
 * helpers around it.  Not for anything that needs unpredictability: use get_random_bytes().
 */
#ifndef _UKMEM_LINUX_PRANDOM_H
#define _UKMEM_LINUX_PRANDOM_H
#include <linux/types.h>

struct rnd_state {
	__u32 s1, s2, s3, s4;
};

u32 prandom_u32_state(struct rnd_state *state);
void prandom_bytes_state(struct rnd_state *state, void *buf, size_t nbytes);
u32 get_random_u32(void);

/* A value in [0, ep_ro): the high half of a 32x32 product, as in 6.1. */
static inline u32 prandom_u32_max(u32 ep_ro)
{
	return (u32)(((u64)get_random_u32() * ep_ro) >> 32);
}

static inline u32 __seed(u32 x, u32 m)
{
	return (x < m) ? x + m : x;
}

/* Seed @state from a 64-bit value (each part above the minimum its shift needs). */
static inline void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	u32 i = (u32)(((seed >> 32) ^ (seed << 10) ^ seed) & 0xffffffffUL);

	state->s1 = __seed(i, 2U);
	state->s2 = __seed(i, 8U);
	state->s3 = __seed(i, 16U);
	state->s4 = __seed(i, 128U);
}

/* The classic linear congruential step, for drivers that want a tiny sequence. */
static inline u32 next_pseudo_random32(u32 seed)
{
	return seed * 1664525 + 1013904223;
}
#endif
