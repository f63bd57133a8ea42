/* SPDX-License-Identifier: MIT */
/*
 * The calls between the slab allocator and its liburcu bridge (rcu_host.c).  Plain C types
 * only: rcu_host.c includes liburcu, whose struct rcu_head clashes with the kernel's, so it
 * cannot include slab.h; both include this.
 */
#ifndef UKMEM_SLAB_URCU_GLUE_H
#define UKMEM_SLAB_URCU_GLUE_H
#include <stdbool.h>

#pragma GCC visibility push(hidden)

void ukmem__rcu_thread_arm(void);
void ukmem__rcu_run(void *head, void (*fn)(void *head));	/* one callback, in its context (rcu.c) */
void ukmem__rcu_batch_done(void);	/* a batch ran: task context again (rcu.c) */
bool *ukmem__rcu_registered(void);	/* this thread's flag (rcu.c) */
void ukmem__urcu_register(void);	/* before the first read lock (its flag: rcu_registered) */
void ukmem__urcu_read_lock(void);
void ukmem__urcu_read_unlock(void);
bool ukmem__urcu_read_ongoing(void);
void ukmem__urcu_synchronize(void);
void ukmem__urcu_barrier(void);
bool ukmem__urcu_in_callback(void);	/* this thread is running RCU callbacks */
bool ukmem__urcu_call(void *head, void (*fn)(void *head));	/* false: head is pending */
/* kfree_rcu: ukmem__rcu_free_obj(obj) after a grace period, the object left untouched until
 * then; false: obj (or head) is pending */
bool ukmem__urcu_call_obj(void *obj, void *head, void (*fn)(void *head));
void ukmem__rcu_free_obj(void *obj);	/* kfree_rcu's free (rcu.c) */
void ukmem__urcu_thread_exit(void);
bool ukmem__urcu_used(void);		/* call_rcu was ever called */
void ukmem__urcu_fork_prepare(void);
void ukmem__urcu_fork_parent(void);
void ukmem__urcu_fork_child(void);

#pragma GCC visibility pop
#endif
