/* SPDX-License-Identifier: MIT */
/* <linux/spinlock_types.h>: spinlock_t and raw_spinlock_t; statically initialisable. */
#ifndef _UKMEM_LINUX_SPINLOCK_TYPES_H
#define _UKMEM_LINUX_SPINLOCK_TYPES_H
#include <linux/types.h>

/* The debug fields of CONFIG_DEBUG_SPINLOCK: what its reports print. */
#define SPINLOCK_MAGIC		0xdead4ead
#define RWLOCK_MAGIC		0xdeaf1eed

typedef struct raw_spinlock {
	unsigned int locked;	/* 0 free, 1 held */
	unsigned int magic;	/* SPINLOCK_MAGIC once initialised */
	int owner;		/* pid of the holder, for the reports; 0 when free */
	int owner_cpu;		/* the holder's CPU; -1 when free */
} raw_spinlock_t;

typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

#define __RAW_SPIN_LOCK_INIT		{ 0, SPINLOCK_MAGIC, 0, -1 }
#define __RAW_SPIN_LOCK_UNLOCKED(name)	((raw_spinlock_t)__RAW_SPIN_LOCK_INIT)
#define __SPIN_LOCK_UNLOCKED(name)	((spinlock_t){ __RAW_SPIN_LOCK_INIT })
#define DEFINE_RAW_SPINLOCK(x)		raw_spinlock_t x = __RAW_SPIN_LOCK_INIT
#define DEFINE_SPINLOCK(x)		spinlock_t x = { __RAW_SPIN_LOCK_INIT }

/* rwlock_t: a reader-writer spinlock. */
typedef struct {
	int cnt;		/* >0 readers, -1 writer */
	unsigned int magic;	/* RWLOCK_MAGIC once initialised */
	int owner;		/* pid of the writer; 0 when not write-held */
	int owner_cpu;		/* the writer's CPU; -1 when not write-held */
} rwlock_t;
#define __RW_LOCK_INIT			{ 0, RWLOCK_MAGIC, 0, -1 }
#define __RW_LOCK_UNLOCKED(name)	((rwlock_t)__RW_LOCK_INIT)
#define DEFINE_RWLOCK(x)		rwlock_t x = __RW_LOCK_INIT
#endif
