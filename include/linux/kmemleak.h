/* SPDX-License-Identifier: MIT */
/*
 * <linux/kmemleak.h>: telling the leak detector about objects it cannot see or must not
 * report.  kmemleak is on by default in ukmem (kmemleak=off turns it off); slab objects,
 * pages and vmalloc areas are known to it without any call.  See docs/kmemleak.md.
 */
#ifndef _UKMEM_LINUX_KMEMLEAK_H
#define _UKMEM_LINUX_KMEMLEAK_H
#include <linux/types.h>
#include <linux/gfp_types.h>
#include <linux/slab.h>

struct vm_struct;

void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp);
void kmemleak_alloc_percpu(const void __percpu *ptr, size_t size, gfp_t gfp);
void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp);
void kmemleak_free(const void *ptr);
void kmemleak_free_part(const void *ptr, size_t size);
void kmemleak_free_percpu(const void __percpu *ptr);
void kmemleak_update_trace(const void *ptr);
void kmemleak_not_leak(const void *ptr);
void kmemleak_ignore(const void *ptr);
void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp);
void kmemleak_no_scan(const void *ptr);
void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp);
void kmemleak_free_part_phys(phys_addr_t phys, size_t size);
void kmemleak_ignore_phys(phys_addr_t phys);

static inline void kmemleak_alloc_recursive(const void *ptr, size_t size, int min_count,
					    slab_flags_t flags, gfp_t gfp)
{
	if (!(flags & SLAB_NOLEAKTRACE))
		kmemleak_alloc(ptr, size, min_count, gfp);
}

static inline void kmemleak_free_recursive(const void *ptr, slab_flags_t flags)
{
	if (!(flags & SLAB_NOLEAKTRACE))
		kmemleak_free(ptr);
}

static inline void kmemleak_erase(void **ptr)
{
	*ptr = NULL;
}
#endif
