/* SPDX-License-Identifier: MIT */
/*
 * <linux/random.h>: the kernel's random number interface.  Every get_random_* value comes
 * from the host's CSPRNG (getrandom(2)), which is always initialized, so the *_wait variants
 * never wait.  The add_*_randomness inputs are counted (ukmem_show("random")) but cannot
 * change what the host's generator returns.
 */
#ifndef _UKMEM_LINUX_RANDOM_H
#define _UKMEM_LINUX_RANDOM_H
#include <linux/types.h>
#include <linux/prandom.h>
#include <linux/limits.h>

void add_device_randomness(const void *buf, size_t len);
void add_hwgenerator_randomness(const void *buf, size_t len, size_t entropy);
void add_interrupt_randomness(int irq);
void add_input_randomness(unsigned int type, unsigned int code, unsigned int value);
static inline void add_latent_entropy(void) { }

void get_random_bytes(void *buf, size_t len);
u8 get_random_u8(void);
u16 get_random_u16(void);
u32 get_random_u32(void);
u64 get_random_u64(void);
static inline unsigned long get_random_long(void) { return (unsigned long)get_random_u64(); }
static inline unsigned int get_random_int(void) { return get_random_u32(); }

u32 __get_random_u32_below(u32 ceil);
/* Uniform in [0, ceil), without modulo bias; ceil 0 gives any u32 (as the kernel's). */
static inline u32 get_random_u32_below(u32 ceil)
{
	return __get_random_u32_below(ceil);
}
static inline u32 get_random_u32_above(u32 floor)
{
	return floor + 1 + get_random_u32_below(U32_MAX - floor);
}
static inline u32 get_random_u32_inclusive(u32 floor, u32 ceil)
{
	return floor + get_random_u32_below(ceil - floor + 1);
}

bool rng_is_initialized(void);
static inline int wait_for_random_bytes(void) { return 0; }
static inline int get_random_bytes_wait(void *buf, size_t nbytes)
{
	get_random_bytes(buf, nbytes);
	return 0;
}
static inline unsigned long get_random_canary(void)
{
	return get_random_long() & ~0xffUL;
}
#endif
