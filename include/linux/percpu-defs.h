/* SPDX-License-Identifier: MIT */
/*
 * <linux/percpu-defs.h>: per-CPU variables and the accessors of per-CPU data.
 *
 * A __percpu pointer (from alloc_percpu, or &var of a DEFINE_PER_CPU variable) is a cookie:
 * per_cpu_ptr(ptr, cpu) turns it into the address of that CPU's copy.  Dynamic cookies lie in
 * a reserved window that faults when dereferenced directly, and the translation is two loads
 * (the chunk's unit table, then the CPU's unit).  Static variables live in the "ukmem_percpu"
 * section, which is the template: each possible CPU gets its own copy at start-up, and &var
 * is translated through the section's own cookie range.  Each program or library that
 * defines per-CPU variables registers its section from a constructor below.
 *
 * Several threads can share a CPU id when there are more threads than possible CPUs, so the
 * read-modify-write operations (this_cpu_add, __this_cpu_inc, ...) are atomic instructions
 * (relaxed) rather than the kernel's interrupt-safe plain ones; reads and writes are single
 * relaxed accesses, as the kernel's are single instructions.
 */
#ifndef _UKMEM_LINUX_PERCPU_DEFS_H
#define _UKMEM_LINUX_PERCPU_DEFS_H
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/preempt.h>

#define UKMEM_PCPU_CHUNK_SHIFT	15	/* 32 KiB per CPU per chunk: PCPU_MIN_UNIT_SIZE */

/* Read-mostly map published by the per-CPU allocator (src/mm/percpu.c). */
struct ukmem_percpu_map {
	unsigned long base, size;	/* the cookie window */
	unsigned int nr_cpus;
	char ***units;		/* units[chunk][cpu]: that CPU's copy of the chunk */
};
extern struct ukmem_percpu_map __ukmem_percpu;
void *__ukmem_per_cpu_ptr_slow(const void *ptr, unsigned int cpu);
void __ukmem_percpu_section(char *start, char *stop);

/* Before start-up the map is being written: size (stored last, with release) is read first
 * and base atomically, so a racing first call only misses to the slow path, which starts. */
static inline void *__ukmem_per_cpu_ptr(const void *ptr, unsigned int cpu)
{
	unsigned long size = __atomic_load_n(&__ukmem_percpu.size, __ATOMIC_ACQUIRE);
	unsigned long off = (unsigned long)ptr - __atomic_load_n(&__ukmem_percpu.base,
								 __ATOMIC_RELAXED);
	char **units;

	if (likely(off < size && cpu < __ukmem_percpu.nr_cpus)) {
		units = __atomic_load_n(&__ukmem_percpu.units[off >> UKMEM_PCPU_CHUNK_SHIFT],
					__ATOMIC_ACQUIRE);
		if (likely(units != NULL))
			return units[cpu] + (off & ((1UL << UKMEM_PCPU_CHUNK_SHIFT) - 1));
	}
	return __ukmem_per_cpu_ptr_slow(ptr, cpu);
}

/* This link unit's per-CPU section (weak: absent when it defines no per-CPU variable). */
extern char __start_ukmem_percpu[] __attribute__((__weak__, __visibility__("hidden")));
extern char __stop_ukmem_percpu[] __attribute__((__weak__, __visibility__("hidden")));
static void __attribute__((__constructor__, __used__)) __ukmem_percpu_register_section(void)
{
	if ((unsigned long)__start_ukmem_percpu != (unsigned long)__stop_ukmem_percpu)
		__ukmem_percpu_section(__start_ukmem_percpu, __stop_ukmem_percpu);
}

#define PER_CPU_BASE_SECTION	"ukmem_percpu"
#define DECLARE_PER_CPU_SECTION(type, name, sec) \
	extern __section(PER_CPU_BASE_SECTION) __typeof__(type) name
#define DEFINE_PER_CPU_SECTION(type, name, sec) \
	__section(PER_CPU_BASE_SECTION) __typeof__(type) name
#define DECLARE_PER_CPU(type, name)		DECLARE_PER_CPU_SECTION(type, name, "")
#define DEFINE_PER_CPU(type, name)		DEFINE_PER_CPU_SECTION(type, name, "")
#define DECLARE_PER_CPU_FIRST(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_FIRST(type, name)	DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_ALIGNED(type, name)	DECLARE_PER_CPU(type, name) __aligned(64)
#define DEFINE_PER_CPU_ALIGNED(type, name)	DEFINE_PER_CPU(type, name) __aligned(64)
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name) DECLARE_PER_CPU_ALIGNED(type, name)
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name) DEFINE_PER_CPU_ALIGNED(type, name)
#define DECLARE_PER_CPU_PAGE_ALIGNED(type, name) DECLARE_PER_CPU(type, name) __aligned(4096)
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name)	DEFINE_PER_CPU(type, name) __aligned(4096)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_READ_MOSTLY(type, name)	DEFINE_PER_CPU(type, name)
#define EXPORT_PER_CPU_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var)

/* ---- addresses ---- */
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))__ukmem_per_cpu_ptr((const void *)(ptr), (cpu)))
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, raw_smp_processor_id())
#define this_cpu_ptr(ptr)	raw_cpu_ptr(ptr)
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), (cpu)))
#define get_cpu_ptr(var)	({ preempt_disable(); this_cpu_ptr(var); })
#define put_cpu_ptr(var)	do { (void)(var); preempt_enable(); } while (0)
#define get_cpu_var(var)	(*get_cpu_ptr(&(var)))
#define put_cpu_var(var)	put_cpu_ptr(&(var))

/* ---- operations on this CPU's copy (pcp is an lvalue such as var or ptr->field) ---- */
#define __ukmem_pcpu_op(pcp, op, val) \
	((void)__atomic_##op(raw_cpu_ptr(&(pcp)), (__typeof__(pcp))(val), __ATOMIC_RELAXED))
#define __ukmem_pcpu_op_return(pcp, op, val) \
	__atomic_##op(raw_cpu_ptr(&(pcp)), (__typeof__(pcp))(val), __ATOMIC_RELAXED)
#define __ukmem_pcpu_cmpxchg(pcp, oval, nval) ({ \
	__typeof__(pcp) __old = (oval); \
	__atomic_compare_exchange_n(raw_cpu_ptr(&(pcp)), &__old, (nval), 0, \
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED); \
	__old; })

#define raw_cpu_read(pcp)		__atomic_load_n(raw_cpu_ptr(&(pcp)), __ATOMIC_RELAXED)
#define raw_cpu_write(pcp, val) \
	__atomic_store_n(raw_cpu_ptr(&(pcp)), (__typeof__(pcp))(val), __ATOMIC_RELAXED)
#define raw_cpu_add(pcp, val)		__ukmem_pcpu_op(pcp, fetch_add, val)
#define raw_cpu_sub(pcp, val)		__ukmem_pcpu_op(pcp, fetch_sub, val)
#define raw_cpu_inc(pcp)		raw_cpu_add(pcp, 1)
#define raw_cpu_dec(pcp)		raw_cpu_sub(pcp, 1)
#define raw_cpu_and(pcp, val)		__ukmem_pcpu_op(pcp, fetch_and, val)
#define raw_cpu_or(pcp, val)		__ukmem_pcpu_op(pcp, fetch_or, val)
#define raw_cpu_add_return(pcp, val)	__ukmem_pcpu_op_return(pcp, add_fetch, val)
#define raw_cpu_sub_return(pcp, val)	__ukmem_pcpu_op_return(pcp, sub_fetch, val)
#define raw_cpu_inc_return(pcp)		raw_cpu_add_return(pcp, 1)
#define raw_cpu_dec_return(pcp)		raw_cpu_sub_return(pcp, 1)
#define raw_cpu_xchg(pcp, nval)		__ukmem_pcpu_op_return(pcp, exchange_n, nval)
#define raw_cpu_cmpxchg(pcp, oval, nval) __ukmem_pcpu_cmpxchg(pcp, oval, nval)

#define __this_cpu_read(pcp)		raw_cpu_read(pcp)
#define __this_cpu_write(pcp, val)	raw_cpu_write(pcp, val)
#define __this_cpu_add(pcp, val)	raw_cpu_add(pcp, val)
#define __this_cpu_sub(pcp, val)	raw_cpu_sub(pcp, val)
#define __this_cpu_inc(pcp)		raw_cpu_inc(pcp)
#define __this_cpu_dec(pcp)		raw_cpu_dec(pcp)
#define __this_cpu_and(pcp, val)	raw_cpu_and(pcp, val)
#define __this_cpu_or(pcp, val)		raw_cpu_or(pcp, val)
#define __this_cpu_add_return(pcp, val)	raw_cpu_add_return(pcp, val)
#define __this_cpu_sub_return(pcp, val)	raw_cpu_sub_return(pcp, val)
#define __this_cpu_inc_return(pcp)	raw_cpu_inc_return(pcp)
#define __this_cpu_dec_return(pcp)	raw_cpu_dec_return(pcp)
#define __this_cpu_xchg(pcp, nval)	raw_cpu_xchg(pcp, nval)
#define __this_cpu_cmpxchg(pcp, o, n)	raw_cpu_cmpxchg(pcp, o, n)

#define this_cpu_read(pcp)		raw_cpu_read(pcp)
#define this_cpu_write(pcp, val)	raw_cpu_write(pcp, val)
#define this_cpu_add(pcp, val)		raw_cpu_add(pcp, val)
#define this_cpu_sub(pcp, val)		raw_cpu_sub(pcp, val)
#define this_cpu_inc(pcp)		raw_cpu_inc(pcp)
#define this_cpu_dec(pcp)		raw_cpu_dec(pcp)
#define this_cpu_and(pcp, val)		raw_cpu_and(pcp, val)
#define this_cpu_or(pcp, val)		raw_cpu_or(pcp, val)
#define this_cpu_add_return(pcp, val)	raw_cpu_add_return(pcp, val)
#define this_cpu_sub_return(pcp, val)	raw_cpu_sub_return(pcp, val)
#define this_cpu_inc_return(pcp)	raw_cpu_inc_return(pcp)
#define this_cpu_dec_return(pcp)	raw_cpu_dec_return(pcp)
#define this_cpu_xchg(pcp, nval)	raw_cpu_xchg(pcp, nval)
#define this_cpu_cmpxchg(pcp, o, n)	raw_cpu_cmpxchg(pcp, o, n)
#endif
