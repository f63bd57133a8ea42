/* SPDX-License-Identifier: MIT */
/*
 * The bridge to liburcu (memb flavour): the only file that includes liburcu's headers, whose
 * struct rcu_head would clash with the kernel's name.  Threads register as readers on first
 * use and unregister at exit.  The kernel's struct rcu_head (callback_head) has liburcu's
 * layout, {next, func}, so a kernel callback is handed to liburcu unchanged.
 *
 * Locking: liburcu's own; the registration flag is per-thread (in struct ukmem__slab_tls).
 */
#include <stdbool.h>
#include <stddef.h>
#include <urcu/urcu-memb.h>
#include <urcu/call-rcu.h>
#include "platform/platform.h"
#include "slab/urcu_glue.h"

_Static_assert(sizeof(struct rcu_head) == 2 * sizeof(void *), "kernel and liburcu rcu_head agree");
_Static_assert(offsetof(struct rcu_head, func) == sizeof(void *), "func follows next");

/* This thread is a registered reader: a flag in the slab subsystem's per-thread state. */
#define registered	(*ukmem__rcu_registered())
static bool call_rcu_used;		/* set once, read without a lock */

static inline void ensure_registered(void)
{
	if (__builtin_expect(!registered, 0)) {
		ukmem__rcu_thread_arm();
		urcu_memb_register_thread();
		registered = true;
	}
}

void ukmem__urcu_read_lock(void)
{
	ensure_registered();
	urcu_memb_read_lock();
}

void ukmem__urcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

bool ukmem__urcu_read_ongoing(void)
{
	return registered && urcu_memb_read_ongoing();
}

void ukmem__urcu_synchronize(void)
{
	urcu_memb_synchronize_rcu();
}

void ukmem__urcu_barrier(void)
{
	ensure_registered();
	urcu_memb_barrier();
}

void ukmem__urcu_call(void *head, void (*fn)(void *head))
{
	ensure_registered();
	if (!__atomic_load_n(&call_rcu_used, __ATOMIC_RELAXED))
		__atomic_store_n(&call_rcu_used, true, __ATOMIC_RELAXED);
	urcu_memb_call_rcu((struct rcu_head *)head, (void (*)(struct rcu_head *))fn);
}

bool ukmem__urcu_used(void)
{
	return __atomic_load_n(&call_rcu_used, __ATOMIC_RELAXED);
}

void ukmem__urcu_thread_exit(void)
{
	if (registered) {
		urcu_memb_unregister_thread();
		registered = false;
	}
}

void ukmem__urcu_fork_prepare(void)
{
	urcu_memb_call_rcu_before_fork();
}

void ukmem__urcu_fork_parent(void)
{
	urcu_memb_call_rcu_after_fork_parent();
}

void ukmem__urcu_fork_child(void)
{
	urcu_memb_call_rcu_after_fork_child();
}
