/* SPDX-License-Identifier: MIT */
/*
 * <linux/compiler.h>: compiler attributes and annotations as kernel code uses them.
 * Sparse annotations (__user, __iomem, __force, ...) expand to nothing here.
 */
#ifndef _UKMEM_LINUX_COMPILER_H
#define _UKMEM_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define __user
#define __kernel
#define __iomem
#define __force
#define __percpu
#define __rcu
#define __private
#define __bitwise
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __cond_lock(x, c)	(c)

#undef __always_inline		/* glibc's <sys/cdefs.h> has its own */
#define __always_inline		inline __attribute__((__always_inline__))
#ifndef __inline
#define __inline		inline
#endif
#define noinline		__attribute__((__noinline__))
#define __noreturn		__attribute__((__noreturn__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(s)		__attribute__((__section__(s)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __scanf(a, b)		__attribute__((__format__(scanf, a, b)))
#define __malloc		__attribute__((__malloc__))
#define __alloc_size(x, ...)	__attribute__((__alloc_size__(x, ## __VA_ARGS__)))
#define __weak			__attribute__((__weak__))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __visible		__attribute__((__externally_visible__))
#define __deprecated
#define __randomize_layout
#define __no_randomize_layout
#define __init
#define __exit
#define __initdata
#define __exitdata
#define __initconst
#define __ref
#define __read_mostly
#define __ro_after_init
#define notrace
#define __counted_by(m)
#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif

#define barrier()		__asm__ __volatile__("" ::: "memory")
#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define __must_be_array(a)	0

#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#define data_race(expr)		(expr)

#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#ifndef __has_attribute
#define __has_attribute(x)	0
#endif

/* Hide a variable's value from the optimizer (it must assume anything). */
#ifndef OPTIMIZER_HIDE_VAR
#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r" (var) : "0" (var))
#endif
#endif
