/* SPDX-License-Identifier: MIT */
/*
 * <linux/slab.h>: the slab allocator's API as Linux 6.1 declares it (SLUB flavour): object
 * caches (kmem_cache_*), kmalloc and its family, and the kv* declarations (kvmalloc and
 * friends live with vmalloc).  Flag values, size classes and limits are the kernel's for
 * x86-64 with 4 KiB pages.
 */
#ifndef _UKMEM_LINUX_SLAB_H
#define _UKMEM_LINUX_SLAB_H
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/kernel.h>
#include <linux/numa.h>
#include <asm/page.h>
#include <linux/string.h>
#include <linux/rcupdate.h>
#include <linux/export.h>	/* the kernel's slab.h reaches it too; lib/memcat_p.c relies on it */

/* Cache flags (slab_flags_t). */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t __force)0x00000100U)
#define SLAB_RED_ZONE		((slab_flags_t __force)0x00000400U)
#define SLAB_POISON		((slab_flags_t __force)0x00000800U)
#define SLAB_KMALLOC		((slab_flags_t __force)0x00001000U)
#define SLAB_HWCACHE_ALIGN	((slab_flags_t __force)0x00002000U)
#define SLAB_CACHE_DMA		((slab_flags_t __force)0x00004000U)
#define SLAB_CACHE_DMA32	((slab_flags_t __force)0x00008000U)
#define SLAB_STORE_USER		((slab_flags_t __force)0x00010000U)
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t __force)0x00020000U)
#define SLAB_TEMPORARY		SLAB_RECLAIM_ACCOUNT
#define SLAB_PANIC		((slab_flags_t __force)0x00040000U)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t __force)0x00080000U)
#define SLAB_MEM_SPREAD		((slab_flags_t __force)0x00100000U)
#define SLAB_TRACE		((slab_flags_t __force)0x00200000U)
#define SLAB_DEBUG_OBJECTS	((slab_flags_t __force)0x00400000U)
#define SLAB_NOLEAKTRACE	((slab_flags_t __force)0x00800000U)
#define SLAB_FAILSLAB		((slab_flags_t __force)0x02000000U)
#define SLAB_ACCOUNT		((slab_flags_t __force)0x04000000U)
#define SLAB_KASAN		((slab_flags_t __force)0x08000000U)
#define SLAB_NO_USER_FLAGS	((slab_flags_t __force)0x10000000U)
#define SLAB_SKIP_KFENCE	((slab_flags_t __force)0x20000000U)

/* kmalloc(0) returns this: not NULL, and any access to it faults.  kfree() ignores it. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* Size classes: 8 .. 8 KiB from caches, larger from the page allocator (up to 4 MiB). */
#define ARCH_KMALLOC_MINALIGN	__alignof__(unsigned long long)
#define ARCH_SLAB_MINALIGN	__alignof__(unsigned long long)
#define KMALLOC_MIN_SIZE	ARCH_KMALLOC_MINALIGN
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_SHIFT_MAX	(MAX_ORDER + PAGE_SHIFT - 1)
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_ORDER	(KMALLOC_SHIFT_MAX - PAGE_SHIFT)
#define SLAB_OBJ_MIN_SIZE	(KMALLOC_MIN_SIZE < 16 ? (KMALLOC_MIN_SIZE) : 16)

#define __assume_kmalloc_alignment	__attribute__((__assume_aligned__(ARCH_KMALLOC_MINALIGN)))
#define __assume_slab_alignment		__attribute__((__assume_aligned__(ARCH_SLAB_MINALIGN)))
#define __assume_page_alignment		__attribute__((__assume_aligned__(PAGE_SIZE)))
#ifndef __realloc_size
#define __realloc_size(x, ...)		__attribute__((__alloc_size__(x, ## __VA_ARGS__)))
#endif

struct kmem_cache;
struct list_lru;

/* The allocation and free entry points are called through the GOT rather than a PLT stub
 * where the compiler can (gcc's noplt, in position-independent callers): a call into the
 * shared library is then one indirect call instead of a call and the stub's jump, and a
 * static link turns it back into a direct call. */
#if __has_attribute(__noplt__)
#define __ukmem_noplt	__attribute__((__noplt__))
#else
#define __ukmem_noplt
#endif

bool slab_is_available(void);
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
int kmem_cache_shrink(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);

#define KMEM_CACHE(__struct, __flags)						\
	kmem_cache_create(#__struct, sizeof(struct __struct),			\
			  __alignof__(struct __struct), (__flags), NULL)
#define KMEM_CACHE_USERCOPY(__struct, __flags, __field)				\
	kmem_cache_create_usercopy(#__struct, sizeof(struct __struct),		\
				   __alignof__(struct __struct), (__flags),	\
				   offsetof(struct __struct, __field),		\
				   sizeof_field(struct __struct, __field), NULL)

void * __must_check krealloc(const void *objp, size_t new_size, gfp_t flags) __realloc_size(2);
void kfree(const void *objp) __ukmem_noplt;
void kfree_sensitive(const void *objp);
size_t __ksize(const void *objp);
size_t ksize(const void *objp);
bool kmem_dump_obj(void *object);
size_t kmalloc_size_roundup(size_t size);

/* kmalloc cache types, as 6.1 with ZONE_DMA and without memcg kmem accounting. */
enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_CGROUP = KMALLOC_NORMAL,
	KMALLOC_RECLAIM,
	KMALLOC_DMA,
	NR_KMALLOC_TYPES
};
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
#define KMALLOC_NOT_NORMAL_BITS	(__GFP_RECLAIMABLE | __GFP_DMA)

static __always_inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely((flags & KMALLOC_NOT_NORMAL_BITS) == 0))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	return KMALLOC_RECLAIM;
}

/* The kmalloc cache index of a size: 0 for 0, 1 for 65..96, 2 for 129..192, else log2. */
static __always_inline unsigned int __kmalloc_index(size_t size, bool size_is_constant)
{
	(void)size_is_constant;
	if (!size)
		return 0;
	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	if (size <= 16) return 4;
	if (size <= 32) return 5;
	if (size <= 64) return 6;
	if (size <= 128) return 7;
	if (size <= 256) return 8;
	if (size <= 512) return 9;
	if (size <= 1024) return 10;
	if (size <= 2 * 1024) return 11;
	if (size <= 4 * 1024) return 12;
	if (size <= 8 * 1024) return 13;
	if (size <= 16 * 1024) return 14;
	if (size <= 32 * 1024) return 15;
	if (size <= 64 * 1024) return 16;
	if (size <= 128 * 1024) return 17;
	if (size <= 256 * 1024) return 18;
	if (size <= 512 * 1024) return 19;
	if (size <= 1024 * 1024) return 20;
	if (size <= 2 * 1024 * 1024) return 21;
	return 22;
}
#define kmalloc_index(s)	__kmalloc_index(s, true)

void *__kmalloc(size_t size, gfp_t flags) __assume_kmalloc_alignment __alloc_size(1) __ukmem_noplt;
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __assume_slab_alignment __malloc
	__ukmem_noplt;
void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru,
			   gfp_t gfpflags) __assume_slab_alignment __malloc;
void kmem_cache_free(struct kmem_cache *s, void *objp) __ukmem_noplt;
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p) __ukmem_noplt;
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p) __ukmem_noplt;

static __always_inline void kfree_bulk(size_t size, void **p)
{
	kmem_cache_free_bulk(NULL, size, p);
}

void *__kmalloc_node(size_t size, gfp_t flags, int node) __assume_kmalloc_alignment __alloc_size(1)
	__ukmem_noplt;
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node) __assume_slab_alignment __malloc;
void *kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size)
	__assume_kmalloc_alignment __alloc_size(3) __ukmem_noplt;
void *kmalloc_node_trace(struct kmem_cache *s, gfp_t gfpflags, int node, size_t size)
	__assume_kmalloc_alignment __alloc_size(4) __ukmem_noplt;
void *kmalloc_large(size_t size, gfp_t flags) __assume_page_alignment __alloc_size(1);
void *kmalloc_large_node(size_t size, gfp_t flags, int node) __assume_page_alignment __alloc_size(1);

/**
 * kmalloc - allocate kernel memory
 * @size: bytes wanted
 * @flags: GFP flags (GFP_KERNEL may sleep; GFP_ATOMIC, GFP_NOWAIT do not)
 *
 * Return: physically contiguous memory aligned to ARCH_KMALLOC_MINALIGN (power-of-two sizes
 * naturally aligned), ZERO_SIZE_PTR for 0 bytes, or NULL.
 */
static __always_inline __alloc_size(1) void *kmalloc(size_t size, gfp_t flags)
{
	if (__builtin_constant_p(size)) {
		unsigned int index;

		if (size > KMALLOC_MAX_CACHE_SIZE)
			return kmalloc_large(size, flags);
		index = kmalloc_index(size);
		if (!index)
			return ZERO_SIZE_PTR;
		return kmalloc_trace(kmalloc_caches[kmalloc_type(flags)][index], flags, size);
	}
	return __kmalloc(size, flags);
}

static __always_inline __alloc_size(1) void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	if (__builtin_constant_p(size)) {
		unsigned int index;

		if (size > KMALLOC_MAX_CACHE_SIZE)
			return kmalloc_large_node(size, flags, node);
		index = kmalloc_index(size);
		if (!index)
			return ZERO_SIZE_PTR;
		return kmalloc_node_trace(kmalloc_caches[kmalloc_type(flags)][index], flags,
					  node, size);
	}
	return __kmalloc_node(size, flags, node);
}

static inline __alloc_size(1, 2) void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	if (__builtin_constant_p(n) && __builtin_constant_p(size))
		return kmalloc(bytes, flags);
	return __kmalloc(bytes, flags);
}

static inline __realloc_size(2, 3) void * __must_check krealloc_array(void *p, size_t new_n,
								      size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return krealloc(p, bytes, flags);
}

static inline __alloc_size(1, 2) void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

void *__kmalloc_node_track_caller(size_t size, gfp_t flags, int node,
				  unsigned long caller) __alloc_size(1);
#define kmalloc_node_track_caller(size, flags, node) \
	__kmalloc_node_track_caller(size, flags, node, _RET_IP_)
#define kmalloc_track_caller(size, flags) \
	__kmalloc_node_track_caller(size, flags, NUMA_NO_NODE, _RET_IP_)

static inline __alloc_size(1, 2) void *kmalloc_array_node(size_t n, size_t size, gfp_t flags,
							  int node)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	if (__builtin_constant_p(n) && __builtin_constant_p(size))
		return kmalloc_node(bytes, flags, node);
	return __kmalloc_node(bytes, flags, node);
}

static inline __alloc_size(1, 2) void *kcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{
	return kmalloc_array_node(n, size, flags | __GFP_ZERO, node);
}

static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}

static inline __alloc_size(1) void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline __alloc_size(1) void *kzalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node(size, flags | __GFP_ZERO, node);
}

/* kvmalloc and friends: kmalloc when it can, vmalloc otherwise (implemented with vmalloc). */
extern void *kvmalloc_node(size_t size, gfp_t flags, int node) __alloc_size(1);
static inline __alloc_size(1) void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}
static inline __alloc_size(1) void *kvzalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_node(size, flags | __GFP_ZERO, node);
}
static inline __alloc_size(1) void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}
static inline __alloc_size(1, 2) void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc(bytes, flags);
}
static inline __alloc_size(1, 2) void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}
extern void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags)
	__realloc_size(3);
extern void kvfree(const void *addr);
extern void kvfree_sensitive(const void *addr, size_t len);

#endif
