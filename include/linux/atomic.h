/* SPDX-License-Identifier: MIT */
/*
 * <linux/atomic.h>: atomic_t, atomic_long_t and atomic64_t on the compiler's __atomic builtins.
 * Value-returning operations are fully ordered, as in the kernel; plain ones are relaxed.
 */
#ifndef _UKMEM_LINUX_ATOMIC_H
#define _UKMEM_LINUX_ATOMIC_H
#include <linux/types.h>
#include <linux/compiler.h>

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()		smp_mb()
#define rmb()		smp_rmb()
#define wmb()		smp_wmb()
#define smp_mb__before_atomic()	barrier()
#define smp_mb__after_atomic()	barrier()
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define cpu_relax()		__builtin_ia32_pause()

#define xchg(p, v)		__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n) ({ typeof(*(p)) __o = (o); \
	__atomic_compare_exchange_n(p, &__o, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); __o; })
#define try_cmpxchg(p, po, n) \
	__atomic_compare_exchange_n(p, po, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

/* One family of operations per type: prefix, type, value type. */
#define UKMEM_ATOMIC_OPS(pfx, T, V) \
static inline V pfx##_read(const T *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); } \
static inline void pfx##_set(T *v, V i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); } \
static inline void pfx##_set_release(T *v, V i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); } \
static inline V pfx##_read_acquire(const T *v) { return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); } \
static inline void pfx##_add(V i, T *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); } \
static inline void pfx##_sub(V i, T *v) { __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); } \
static inline void pfx##_inc(T *v) { pfx##_add(1, v); } \
static inline void pfx##_dec(T *v) { pfx##_sub(1, v); } \
static inline void pfx##_and(V i, T *v) { __atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED); } \
static inline void pfx##_or(V i, T *v) { __atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED); } \
static inline V pfx##_add_return(V i, T *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); } \
static inline V pfx##_sub_return(V i, T *v) { return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); } \
static inline V pfx##_fetch_add(V i, T *v) { return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); } \
static inline V pfx##_fetch_sub(V i, T *v) { return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); } \
static inline V pfx##_fetch_or(V i, T *v) { return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST); } \
static inline V pfx##_fetch_and(V i, T *v) { return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST); } \
static inline V pfx##_inc_return(T *v) { return pfx##_add_return(1, v); } \
static inline V pfx##_dec_return(T *v) { return pfx##_sub_return(1, v); } \
static inline bool pfx##_inc_and_test(T *v) { return pfx##_add_return(1, v) == 0; } \
static inline bool pfx##_dec_and_test(T *v) { return pfx##_sub_return(1, v) == 0; } \
static inline bool pfx##_sub_and_test(V i, T *v) { return pfx##_sub_return(i, v) == 0; } \
static inline V pfx##_xchg(T *v, V n) { return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); } \
static inline V pfx##_cmpxchg(T *v, V o, V n) { \
	__atomic_compare_exchange_n(&v->counter, &o, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	return o; } \
static inline bool pfx##_try_cmpxchg(T *v, V *o, V n) { \
	return __atomic_compare_exchange_n(&v->counter, o, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); } \
static inline V pfx##_fetch_add_unless(T *v, V a, V u) { \
	V c = pfx##_read(v); \
	do { if (c == u) break; } while (!pfx##_try_cmpxchg(v, &c, c + a)); \
	return c; } \
static inline bool pfx##_add_unless(T *v, V a, V u) { return pfx##_fetch_add_unless(v, a, u) != u; } \
static inline bool pfx##_inc_not_zero(T *v) { return pfx##_add_unless(v, 1, 0); }

UKMEM_ATOMIC_OPS(atomic, atomic_t, int)
UKMEM_ATOMIC_OPS(atomic_long, atomic_long_t, long)
UKMEM_ATOMIC_OPS(atomic64, atomic64_t, s64)
#endif
