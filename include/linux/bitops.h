/* SPDX-License-Identifier: MIT */
/*
 * <linux/bitops.h>: bit masks and single-word bit searches and counts.  The atomic bit
 * operations on memory (set_bit, test_and_set_bit, find_*_bit ...) are not here yet: code
 * that uses them fails to compile (implicit declaration) instead of getting a silent stub.
 */
#ifndef _UKMEM_LINUX_BITOPS_H
#define _UKMEM_LINUX_BITOPS_H
#include <linux/types.h>
#include <linux/compiler.h>

#ifndef BIT
#define BIT(nr)			(1UL << (nr))
#endif
#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif
#ifndef BITS_PER_BYTE
#define BITS_PER_BYTE		8
#endif
#ifndef BITS_PER_LONG
#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)	/* usable in #if, as the kernel's */
#endif
#ifndef BITS_PER_TYPE
#define BITS_PER_TYPE(type)	(sizeof(type) * BITS_PER_BYTE)
#endif
#ifndef BITS_TO_LONGS
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_TYPE(long) - 1) / BITS_PER_TYPE(long))
#endif

/* 1-based index of the lowest / highest set bit; 0 when none (the kernel's ffs/fls).  ffs
 * is the C library's (<strings.h>, same meaning), declared here as glibc does. */
int ffs(int x);
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
/* 0-based index of the lowest / highest set bit; undefined for 0, as the kernel's. */
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline unsigned long __fls(unsigned long x) { return BITS_PER_LONG - 1 - __builtin_clzl(x); }

static inline unsigned int hweight8(unsigned int w) { return __builtin_popcount(w & 0xff); }
static inline unsigned int hweight16(unsigned int w) { return __builtin_popcount(w & 0xffff); }
static inline unsigned int hweight32(unsigned int w) { return __builtin_popcount(w); }
static inline unsigned long hweight64(u64 w) { return __builtin_popcountll(w); }
static inline unsigned long hweight_long(unsigned long w) { return __builtin_popcountl(w); }

static inline u32 rol32(u32 word, unsigned int shift) { return (word << (shift & 31)) | (word >> ((-shift) & 31)); }
static inline u32 ror32(u32 word, unsigned int shift) { return (word >> (shift & 31)) | (word << ((-shift) & 31)); }
#endif
