/* SPDX-License-Identifier: MIT */
/*
 * <linux/mutex.h>: sleeping locks.  mutex_lock() may sleep, so it is checked by might_sleep();
 * unlocking a mutex the thread does not hold is a WARN, as with CONFIG_DEBUG_MUTEXES, and then
 * releases it, as 6.1 does.
 *
 * The owner word is the lock, as the kernel's: 0 when free, else the holder's thread id, with
 * a flag bit set while other threads sleep (or are about to) waiting for it.  Its fields are
 * ukmem's (context.c); a mutex is set up by DEFINE_MUTEX, __MUTEX_INITIALIZER (constant
 * initialisers, usable at file scope) or mutex_init().
 */
#ifndef _UKMEM_LINUX_MUTEX_H
#define _UKMEM_LINUX_MUTEX_H
#include <linux/types.h>
#include <linux/compiler.h>

struct mutex {
	unsigned int owner;	/* the lock: holder's thread id | waiters flag, 0 when free */
	const void *magic;	/* the mutex itself once initialised, as CONFIG_DEBUG_MUTEXES */
};
#define __MUTEX_INITIALIZER(name)	{ .owner = 0, .magic = &(name) }
#define DEFINE_MUTEX(name)		struct mutex name = __MUTEX_INITIALIZER(name)

void mutex_init(struct mutex *lock);
void mutex_destroy(struct mutex *lock);
void mutex_lock(struct mutex *lock);
int __must_check mutex_lock_interruptible(struct mutex *lock);
int __must_check mutex_lock_killable(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
#define mutex_lock_nested(l, sub)	mutex_lock(l)
#define mutex_lock_interruptible_nested(l, sub) mutex_lock_interruptible(l)
#endif
