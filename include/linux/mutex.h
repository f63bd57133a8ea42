/* SPDX-License-Identifier: MIT */
/*
 * <linux/mutex.h>: sleeping locks.  mutex_lock() may sleep, so it is checked by might_sleep();
 * unlocking a mutex the thread does not hold is a WARN, as with CONFIG_DEBUG_MUTEXES.
 */
#ifndef _UKMEM_LINUX_MUTEX_H
#define _UKMEM_LINUX_MUTEX_H
#include <pthread.h>
#include <linux/types.h>
#include <linux/compiler.h>

struct mutex {
	pthread_mutex_t lock;
	int owner;		/* pid of the holder, 0 when free */
	const void *magic;	/* the mutex itself once initialised, as CONFIG_DEBUG_MUTEXES */
};
#define __MUTEX_INITIALIZER(name)	{ PTHREAD_MUTEX_INITIALIZER, 0, &(name) }
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
