/* SPDX-License-Identifier: MIT */
/*
 * <linux/lockdep.h>: the lock-class annotations, as a kernel built without CONFIG_LOCKDEP
 * has them: ukmem has no lock validator, so a class key is an empty struct and setting a
 * lock's class does nothing (lockdep_assert_held and its relatives are in
 * <linux/spinlock.h>).
 */
#ifndef _UKMEM_LINUX_LOCKDEP_H
#define _UKMEM_LINUX_LOCKDEP_H
#include <linux/spinlock.h>

struct lock_class_key { char __unused_key; };	/* not empty: C gives an empty struct size 0 */
#define lockdep_set_class(lock, key)		do { (void)(lock); (void)(key); } while (0)
#define lockdep_set_class_and_name(lock, key, name)				\
	do { (void)(lock); (void)(key); (void)(name); } while (0)
#define lockdep_set_subclass(lock, sub)		do { (void)(lock); (void)(sub); } while (0)
#endif
