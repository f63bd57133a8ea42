/* SPDX-License-Identifier: MIT */
/*
 * <linux/rcupdate.h>: read-copy-update, on liburcu's memb flavour.  Every thread is an RCU
 * reader: it is registered with liburcu on its first rcu_read_lock() and unregistered when
 * it exits.  Readers nest; synchronize_rcu() waits for every reader that started before it;
 * call_rcu() callbacks run in call order on ukmem's RCU callback thread after a grace
 * period, in kernel context of their own (a ukmem "CPU" like any thread).
 *
 * kfree_rcu()/kvfree_rcu() take one argument (the object; may sleep) or two (the object and
 * its struct rcu_head member; never sleeps), as in 6.1.
 */
#ifndef _UKMEM_LINUX_RCUPDATE_H
#define _UKMEM_LINUX_RCUPDATE_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>

void rcu_read_lock(void);
void rcu_read_unlock(void);
bool rcu_read_lock_held(void);
void synchronize_rcu(void);
void synchronize_rcu_expedited(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void rcu_barrier(void);
/* A reader with bottom halves disabled, as 6.1's (local_bh_disable: in_softirq()). */
void rcu_read_lock_bh(void);
void rcu_read_unlock_bh(void);
#define rcu_read_lock_sched()		rcu_read_lock()
#define rcu_read_unlock_sched()		rcu_read_unlock()
#define synchronize_rcu_tasks()		synchronize_rcu()
#define rcu_read_lock_bh_held()		rcu_read_lock_held()
#define rcu_read_lock_any_held()	rcu_read_lock_held()

#define RCU_INITIALIZER(v)		((typeof(*(v)) __force __rcu *)(v))
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_dereference_raw(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference(p)		rcu_dereference_raw(p)
#define rcu_dereference_bh(p)		rcu_dereference_raw(p)
#define rcu_dereference_sched(p)	rcu_dereference_raw(p)
#define rcu_dereference_check(p, c)	rcu_dereference_raw(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)
#define rcu_replace_pointer(rcu_ptr, ptr, c)				\
({									\
	typeof(ptr) __tmp = rcu_dereference_protected((rcu_ptr), (c));	\
	rcu_assign_pointer((rcu_ptr), (ptr));				\
	__tmp;								\
})

/* kvfree_rcu: func carries the offset of the rcu_head in the object (two arguments) or,
 * with head == NULL, the object itself (one argument). */
void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func);
#define __is_kvfree_rcu_offset(offset)	((offset) < 4096)
#define kfree_rcu(ptr, rhf...)		kvfree_rcu(ptr, ## rhf)
#define KVFREE_GET_MACRO(_1, _2, NAME, ...) NAME
#define kvfree_rcu(...)	KVFREE_GET_MACRO(__VA_ARGS__, kvfree_rcu_arg_2, kvfree_rcu_arg_1)(__VA_ARGS__)
#define kvfree_rcu_mightsleep(ptr)	kvfree_rcu_arg_1(ptr)
#define kfree_rcu_mightsleep(ptr)	kvfree_rcu_mightsleep(ptr)
#define kvfree_rcu_arg_2(ptr, rhf)						\
do {										\
	typeof(ptr) ___p = (ptr);						\
										\
	if (___p) {								\
		BUILD_BUG_ON(!__is_kvfree_rcu_offset(offsetof(typeof(*(ptr)), rhf))); \
		kvfree_call_rcu(&((___p)->rhf), (rcu_callback_t)(unsigned long)	\
				(offsetof(typeof(*(ptr)), rhf)));		\
	}									\
} while (0)
#define kvfree_rcu_arg_1(ptr)							\
do {										\
	typeof(ptr) ___p = (ptr);						\
										\
	if (___p)								\
		kvfree_call_rcu(NULL, (rcu_callback_t)(___p));			\
} while (0)
#endif
