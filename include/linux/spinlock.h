/* SPDX-License-Identifier: MIT */
/*
 * <linux/spinlock.h>: spinning locks that disable preemption (and interrupts or bottom halves
 * in their _irq/_irqsave/_bh forms) for the holding thread, exactly as the kernel's do, so that
 * might_sleep() inside them is reported.  Taking a lock the thread already holds is reported
 * as the kernel's spinlock debugging does ("BUG: spinlock recursion", "BUG: rwlock
 * recursion") and aborts: the kernel would hang there.  Bad unlocks are reported as
 * CONFIG_DEBUG_SPINLOCK's, once per process (debug_locks).
 */
#ifndef _UKMEM_LINUX_SPINLOCK_H
#define _UKMEM_LINUX_SPINLOCK_H
#include <linux/spinlock_types.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/atomic.h>
#include <linux/bottom_half.h>

void _raw_spin_lock(raw_spinlock_t *lock);
void _raw_spin_unlock(raw_spinlock_t *lock);
int _raw_spin_trylock(raw_spinlock_t *lock);
unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock);
void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags);
void _raw_spin_lock_irq(raw_spinlock_t *lock);
void _raw_spin_unlock_irq(raw_spinlock_t *lock);
void _raw_spin_lock_bh(raw_spinlock_t *lock);
void _raw_spin_unlock_bh(raw_spinlock_t *lock);

#define raw_spin_lock_init(l)		do { *(l) = __RAW_SPIN_LOCK_UNLOCKED(l); } while (0)
#define raw_spin_lock(l)		_raw_spin_lock(l)
#define raw_spin_unlock(l)		_raw_spin_unlock(l)
#define raw_spin_trylock(l)		_raw_spin_trylock(l)
#define raw_spin_lock_irqsave(l, f)	do { (f) = _raw_spin_lock_irqsave(l); } while (0)
#define raw_spin_unlock_irqrestore(l, f) _raw_spin_unlock_irqrestore(l, f)
#define raw_spin_lock_irq(l)		_raw_spin_lock_irq(l)
#define raw_spin_unlock_irq(l)		_raw_spin_unlock_irq(l)
#define raw_spin_lock_bh(l)		_raw_spin_lock_bh(l)
#define raw_spin_unlock_bh(l)		_raw_spin_unlock_bh(l)
#define raw_spin_is_locked(l)		(__atomic_load_n(&(l)->locked, __ATOMIC_RELAXED) != 0)

#define spin_lock_init(l)		do { *(l) = __SPIN_LOCK_UNLOCKED(l); } while (0)
static inline void spin_lock(spinlock_t *l) { _raw_spin_lock(&l->rlock); }
static inline void spin_unlock(spinlock_t *l) { _raw_spin_unlock(&l->rlock); }
static inline int spin_trylock(spinlock_t *l) { return _raw_spin_trylock(&l->rlock); }
static inline void spin_lock_irq(spinlock_t *l) { _raw_spin_lock_irq(&l->rlock); }
static inline void spin_unlock_irq(spinlock_t *l) { _raw_spin_unlock_irq(&l->rlock); }
static inline void spin_lock_bh(spinlock_t *l) { _raw_spin_lock_bh(&l->rlock); }
static inline void spin_unlock_bh(spinlock_t *l) { _raw_spin_unlock_bh(&l->rlock); }
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f)
{
	_raw_spin_unlock_irqrestore(&l->rlock, f);
}
static inline int spin_is_locked(spinlock_t *l) { return raw_spin_is_locked(&l->rlock); }
#define spin_lock_irqsave(l, f)		do { (f) = _raw_spin_lock_irqsave(&(l)->rlock); } while (0)
#define spin_lock_nested(l, sub)	spin_lock(l)
#define spin_lock_irqsave_nested(l, f, sub) spin_lock_irqsave(l, f)
/* The trylocks of the _irqsave/_irq/_bh forms: interrupts or bottom halves are off only
 * when the lock was taken, as 6.1's. */
#define raw_spin_trylock_irqsave(l, f) ({						\
	local_irq_save(f);								\
	_raw_spin_trylock(l) ? 1 : ({ local_irq_restore(f); 0; });			\
})
#define spin_trylock_irqsave(l, f)	raw_spin_trylock_irqsave(&(l)->rlock, f)
#define spin_trylock_irq(l) ({								\
	local_irq_disable();								\
	_raw_spin_trylock(&(l)->rlock) ? 1 : ({ local_irq_enable(); 0; });		\
})
#define spin_trylock_bh(l) ({								\
	local_bh_disable();								\
	_raw_spin_trylock(&(l)->rlock) ? 1 : ({ local_bh_enable(); 0; });		\
})
#define assert_spin_locked(l)		WARN_ON(!spin_is_locked(l))
#define lockdep_assert_held(l)		do { (void)(l); } while (0)
#define lockdep_assert_held_read(l)	do { (void)(l); } while (0)
#define lockdep_assert_held_write(l)	do { (void)(l); } while (0)

void _raw_read_lock(rwlock_t *lock);
void _raw_read_unlock(rwlock_t *lock);
void _raw_write_lock(rwlock_t *lock);
void _raw_write_unlock(rwlock_t *lock);
int _raw_read_trylock(rwlock_t *lock);
int _raw_write_trylock(rwlock_t *lock);
#define rwlock_init(l)			do { *(l) = __RW_LOCK_UNLOCKED(l); } while (0)
#define read_lock(l)			_raw_read_lock(l)
#define read_unlock(l)			_raw_read_unlock(l)
#define write_lock(l)			_raw_write_lock(l)
#define write_unlock(l)			_raw_write_unlock(l)
#define read_lock_irqsave(l, f)		do { local_irq_save(f); _raw_read_lock(l); } while (0)
#define read_unlock_irqrestore(l, f)	do { _raw_read_unlock(l); local_irq_restore(f); } while (0)
#define write_lock_irqsave(l, f)	do { local_irq_save(f); _raw_write_lock(l); } while (0)
#define write_unlock_irqrestore(l, f)	do { _raw_write_unlock(l); local_irq_restore(f); } while (0)
#define read_trylock(l)			_raw_read_trylock(l)
#define write_trylock(l)		_raw_write_trylock(l)
#define read_lock_irq(l)		do { local_irq_disable(); _raw_read_lock(l); } while (0)
#define read_unlock_irq(l)		do { _raw_read_unlock(l); local_irq_enable(); } while (0)
#define write_lock_irq(l)		do { local_irq_disable(); _raw_write_lock(l); } while (0)
#define write_unlock_irq(l)		do { _raw_write_unlock(l); local_irq_enable(); } while (0)
#define read_lock_bh(l)			do { local_bh_disable(); _raw_read_lock(l); } while (0)
#define read_unlock_bh(l)		do { _raw_read_unlock(l); local_bh_enable(); } while (0)
#define write_lock_bh(l)		do { local_bh_disable(); _raw_write_lock(l); } while (0)
#define write_unlock_bh(l)		do { _raw_write_unlock(l); local_bh_enable(); } while (0)
#endif
