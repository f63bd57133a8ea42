/* SPDX-License-Identifier: MIT */
/*
 * <linux/types.h>: the system's UAPI types (__u8 ... __u64) plus the kernel-internal ones
 * (u8 ... u64, bool, gfp_t, phys_addr_t, atomic_t, list heads).  The UAPI part comes from
 * the system header of the same name so glibc headers that include it keep working.
 */
/* glibc's <sys/kd.h> defines the system header's guard (and __undef_LINUX_TYPES_H) to keep
 * <linux/types.h> out of the UAPI header it includes: keep out too, until a later include. */
#if !defined(_UKMEM_LINUX_TYPES_H) && !defined(__undef_LINUX_TYPES_H)
#define _UKMEM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef __u8  u8;
typedef __s8  s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

typedef unsigned int __bitwise gfp_t;
typedef unsigned int __bitwise slab_flags_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef phys_addr_t resource_size_t;
typedef unsigned long irq_hw_number_t;
typedef unsigned int fmode_t;
typedef u64 sector_t;
typedef unsigned long pgoff_t;

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { s64 counter; } atomic64_t;

struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };

/* RCU callback head, as the kernel spells it. */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
#define rcu_head callback_head
typedef void (*rcu_callback_t)(struct rcu_head *head);

/* sort()'s callbacks (<linux/sort.h>). */
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);
typedef void (*swap_func_t)(void *a, void *b, int size);
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef int (*cmp_func_t)(const void *a, const void *b);

#endif
