/* SPDX-License-Identifier: MIT */
/*
 * <linux/rwsem.h>: reader-writer semaphores, sleeping locks that readers share and a writer
 * holds alone, with the checks of a 6.1 kernel built with CONFIG_DEBUG_RWSEMS.  The calls
 * that may sleep are checked by might_sleep(); a read or write lock of a semaphore the
 * thread write-holds gets lockdep's recursive-locking report and aborts.  A new reader waits
 * while a writer waits, so writers are not starved.  Any thread may up_read() (a read hold
 * has no owner the release must match); down_read_non_owner() and up_read_non_owner() say
 * so explicitly.  See docs/context.md.
 */
#ifndef _UKMEM_LINUX_RWSEM_H
#define _UKMEM_LINUX_RWSEM_H
#include <pthread.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <linux/lockdep.h>

struct rw_semaphore {
	atomic_long_t count;	/* the kernel's layout: bit 0 writer, bit 1 waiters, readers << 8 */
	atomic_long_t owner;	/* the writer's task, or the last reader's with bit 0 set */
	pthread_mutex_t wait_lock;	/* guards every change of the fields above and below */
	pthread_cond_t read_wait, write_wait;
	int nr_read_waiting, nr_write_waiting;
	unsigned int read_batch;	/* readers waiting before it changed may pass waiting writers */
	void *magic;		/* the semaphore itself once initialised, as CONFIG_DEBUG_RWSEMS */
};

#define RWSEM_UNLOCKED_VALUE		0L
#define __RWSEM_INITIALIZER(name)						\
	{ .count = ATOMIC_LONG_INIT(RWSEM_UNLOCKED_VALUE), .owner = ATOMIC_LONG_INIT(0),	\
	  .wait_lock = PTHREAD_MUTEX_INITIALIZER, .read_wait = PTHREAD_COND_INITIALIZER,	\
	  .write_wait = PTHREAD_COND_INITIALIZER, .nr_read_waiting = 0,		\
	  .nr_write_waiting = 0, .read_batch = 0, .magic = &(name) }
#define DECLARE_RWSEM(name)	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key);
#define init_rwsem(sem)							\
	do {								\
		static struct lock_class_key __key;			\
									\
		__init_rwsem((sem), #sem, &__key);			\
	} while (0)

static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count) != 0;
}
int rwsem_is_contended(struct rw_semaphore *sem);

void down_read(struct rw_semaphore *sem);
int __must_check down_read_interruptible(struct rw_semaphore *sem);
int __must_check down_read_killable(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int __must_check down_write_killable(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);
void down_read_non_owner(struct rw_semaphore *sem);
void up_read_non_owner(struct rw_semaphore *sem);

/* Lock-class nesting annotations: no lockdep here, so they are the plain calls. */
#define down_read_nested(sem, sub)		down_read(sem)
#define down_read_killable_nested(sem, sub)	down_read_killable(sem)
#define down_write_nested(sem, sub)		down_write(sem)
#define down_write_killable_nested(sem, sub)	down_write_killable(sem)
#define down_write_nest_lock(sem, nest_lock)	do { (void)(nest_lock); down_write(sem); } while (0)
#endif
