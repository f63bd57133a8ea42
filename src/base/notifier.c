/* SPDX-License-Identifier: MIT */
/*
 * Notifier chains (kernel/notifier.c): singly linked lists of callbacks sorted by priority.
 * Atomic chains: writers take the chain's spinlock, callers walk it as an RCU reader (as
 * 6.1: a callback may register other callbacks, or call the chain again),
 * and unregistering waits for a grace period, so no walk still uses the callback when it
 * returns.  Blocking chains are guarded by their rw-semaphore (callbacks may sleep), raw
 * chains by their caller.  Writers publish with release stores and walkers read with
 * acquire loads, so a walk sees a consistent list while a writer changes it.
 */
#include <errno.h>
#include <linux/notifier.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include "core/core.h"

static int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (unlikely(*nl == n)) {
			WARN(1, "notifier callback %ps already registered", n->notifier_call);
			return -EEXIST;
		}
		if (n->priority > (*nl)->priority)
			break;
		nl = &(*nl)->next;
	}
	n->next = *nl;
	__atomic_store_n(nl, n, __ATOMIC_RELEASE);
	return 0;
}

static int notifier_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (*nl == n) {
			__atomic_store_n(nl, n->next, __ATOMIC_RELEASE);
			return 0;
		}
		nl = &(*nl)->next;
	}
	return -ENOENT;
}

static int notifier_call_chain(struct notifier_block **nl, unsigned long val, void *v)
{
	int ret = NOTIFY_DONE;
	struct notifier_block *nb = __atomic_load_n(nl, __ATOMIC_ACQUIRE), *next;

	while (nb) {
		next = __atomic_load_n(&nb->next, __ATOMIC_ACQUIRE);
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}

/**
 * atomic_notifier_chain_register - add a callback to an atomic chain
 * @nh: the chain
 * @n: the callback
 *
 * Return: 0, or -EEXIST when already on the chain.
 */
int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&nh->lock, flags);
	ret = notifier_chain_register(&nh->head, n);
	spin_unlock_irqrestore(&nh->lock, flags);
	return ret;
}

/**
 * atomic_notifier_chain_unregister - remove a callback from an atomic chain
 * @nh: the chain
 * @n: the callback
 *
 * Waits for the walks that may still be calling @n (a grace period), as 6.1.
 * Return: 0, or -ENOENT.
 */
int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&nh->lock, flags);
	ret = notifier_chain_unregister(&nh->head, n);
	spin_unlock_irqrestore(&nh->lock, flags);
	synchronize_rcu();
	return ret;
}

/**
 * atomic_notifier_call_chain - call an atomic chain's callbacks (atomic context)
 * @nh: the chain
 * @val: the event
 * @v: its data
 *
 * The callbacks run inside an RCU read-side section, not under the chain's lock: they may
 * register callbacks on the chain, or call it again, as in 6.1 (not unregister: that waits
 * for the grace period their own section holds up).
 * Return: the last callback's return value (NOTIFY_DONE when none ran).
 */
int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v)
{
	int ret;

	rcu_read_lock();
	ret = notifier_call_chain(&nh->head, val, v);
	rcu_read_unlock();
	return ret;
}

/**
 * atomic_notifier_call_chain_is_empty - whether the chain has no callback
 * @nh: the chain
 *
 * Return: true when empty.
 */
bool atomic_notifier_call_chain_is_empty(struct atomic_notifier_head *nh)
{
	return !__atomic_load_n(&nh->head, __ATOMIC_ACQUIRE);
}

/**
 * blocking_notifier_chain_register - add a callback to a blocking chain
 * @nh: the chain
 * @n: the callback
 *
 * Return: 0, or -EEXIST when already on the chain.
 */
int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *n)
{
	int ret;

	ukmem__ensure_started();
	might_sleep();
	pthread_rwlock_wrlock(&nh->rwsem);
	ret = notifier_chain_register(&nh->head, n);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}

/**
 * blocking_notifier_chain_unregister - remove a callback from a blocking chain
 * @nh: the chain
 * @n: the callback
 *
 * Return: 0, or -ENOENT.
 */
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				       struct notifier_block *n)
{
	int ret;

	might_sleep();
	pthread_rwlock_wrlock(&nh->rwsem);
	ret = notifier_chain_unregister(&nh->head, n);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}

/**
 * blocking_notifier_call_chain - call a blocking chain's callbacks (they may sleep)
 * @nh: the chain
 * @val: the event
 * @v: its data
 *
 * Return: the last callback's return value (NOTIFY_DONE when none ran).
 */
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v)
{
	int ret = NOTIFY_DONE;

	if (__atomic_load_n(&nh->head, __ATOMIC_ACQUIRE)) {
		might_sleep();
		pthread_rwlock_rdlock(&nh->rwsem);
		ret = notifier_call_chain(&nh->head, val, v);
		pthread_rwlock_unlock(&nh->rwsem);
	}
	return ret;
}

/**
 * raw_notifier_chain_register - add a callback to a raw chain (caller serialises)
 * @nh: the chain
 * @n: the callback
 *
 * Return: 0, or -EEXIST.
 */
int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *n)
{
	return notifier_chain_register(&nh->head, n);
}

/**
 * raw_notifier_chain_unregister - remove a callback from a raw chain
 * @nh: the chain
 * @n: the callback
 *
 * Return: 0, or -ENOENT.
 */
int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *n)
{
	return notifier_chain_unregister(&nh->head, n);
}

/**
 * raw_notifier_call_chain - call a raw chain's callbacks
 * @nh: the chain
 * @val: the event
 * @v: its data
 *
 * Return: the last callback's return value.
 */
int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v)
{
	return notifier_call_chain(&nh->head, val, v);
}
