/* SPDX-License-Identifier: MIT */
/* <linux/spinlock_types.h>: spinlock_t and raw_spinlock_t; statically initialisable. */
#ifndef _UKMEM_LINUX_SPINLOCK_TYPES_H
#define _UKMEM_LINUX_SPINLOCK_TYPES_H
#include <linux/types.h>

typedef struct raw_spinlock {
	unsigned int locked;	/* 0 free, 1 held */
	int owner;		/* pid of the holder, for recursion reports; 0 when free */
} raw_spinlock_t;

typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

#define __RAW_SPIN_LOCK_UNLOCKED(name)	((raw_spinlock_t){ 0, 0 })
#define __SPIN_LOCK_UNLOCKED(name)	((spinlock_t){ { 0, 0 } })
#define DEFINE_RAW_SPINLOCK(x)		raw_spinlock_t x = { 0, 0 }
#define DEFINE_SPINLOCK(x)		spinlock_t x = { { 0, 0 } }

/* rwlock_t: a reader-writer spinlock. */
typedef struct {
	int cnt;		/* >0 readers, -1 writer */
} rwlock_t;
#define __RW_LOCK_UNLOCKED(name)	((rwlock_t){ 0 })
#define DEFINE_RWLOCK(x)		rwlock_t x = { 0 }
#endif
