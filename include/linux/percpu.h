/* SPDX-License-Identifier: MIT */
/*
 * <linux/percpu.h>: the dynamic per-CPU allocator.  An allocation is zeroed on every possible
 * CPU, aligned as asked (a power of two, at most PAGE_SIZE) and at most PCPU_MIN_UNIT_SIZE
 * bytes, as the kernel's.  free_percpu of a pointer alloc_percpu did not return warns and
 * frees nothing.
 */
#ifndef _UKMEM_LINUX_PERCPU_H
#define _UKMEM_LINUX_PERCPU_H
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/percpu-defs.h>

#define PCPU_MIN_ALLOC_SHIFT	2
#define PCPU_MIN_ALLOC_SIZE	(1 << PCPU_MIN_ALLOC_SHIFT)
#define PCPU_MIN_UNIT_SIZE	(32 << 10)

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp) __malloc;
void __percpu *__alloc_percpu(size_t size, size_t align) __malloc;
void free_percpu(void __percpu *ptr);
phys_addr_t per_cpu_ptr_to_phys(void *addr);

#define alloc_percpu_gfp(type, gfp) \
	((__typeof__(type) __percpu *)__alloc_percpu_gfp(sizeof(type), __alignof__(type), gfp))
#define alloc_percpu(type) \
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
#endif
