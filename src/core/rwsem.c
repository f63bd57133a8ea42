/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer semaphores (<linux/rwsem.h>) with the checks of a 6.1 kernel built with
 * CONFIG_DEBUG_RWSEMS, on a host mutex and two condition variables (not a host rwlock: a
 * read hold may be released by any thread, which POSIX leaves undefined for those).
 *
 * State: count keeps the kernel's layout (RWSEM_WRITER_LOCKED, RWSEM_FLAG_WAITERS, the
 * readers from bit 8), so rwsem_is_locked() and the reports read what 6.1's would; owner is
 * the writer's task_struct, or the last reader's with RWSEM_READER_OWNED set (a reader's
 * release clears the pointer when it is its own and keeps the flag, as 6.1's).  Invariants:
 * the writer bit and the reader count are never both set; RWSEM_FLAG_WAITERS is set exactly
 * when a thread waits; a thread waits only while the lock is held or, for a reader, while a
 * writer waits.  Fairness: a new reader waits behind a waiting writer; a writer's release
 * with readers waiting lets every one of them in (read_batch changes, they pass the waiting
 * writers once), the last reader's release wakes one writer.
 *
 * Locking: wait_lock (a leaf, held briefly, also by the non-sleeping calls) guards every
 * change of the state; count and owner are also read without it (relaxed atomics) by
 * rwsem_is_locked and the recursion check, which only needs to see its own thread's store.
 * A write hold is on the thread's held-lock list (context.c), for lockdep's reports of a
 * recursion and of locks held at exit; read holds are not tracked (any thread may end one).
 *
 * The mistakes are DEBUG_RWSEMS_WARN_ON()'s WARNINGs, each condition printed once per
 * process (a WARN_ONCE in 6.1) and counted after that, and they turn lock debugging off.
 * Unlike 6.1, a release that would corrupt the state (an up_read with no reader, an
 * up_write or downgrade_write of a semaphore nobody write-holds) changes nothing.
 */
#include <pthread.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/rwsem.h>
#include "core/core.h"

/* count (the kernel's bits) and owner flags */
#define RWSEM_WRITER_LOCKED	(1UL << 0)
#define RWSEM_FLAG_WAITERS	(1UL << 1)
#define RWSEM_READER_SHIFT	8
#define RWSEM_READER_BIAS	(1UL << RWSEM_READER_SHIFT)
#define RWSEM_READER_MASK	(~(RWSEM_READER_BIAS - 1))
#define RWSEM_LOCK_MASK		(RWSEM_WRITER_LOCKED | RWSEM_READER_MASK)
#define RWSEM_READER_OWNED	(1UL << 0)
#define RWSEM_OWNER_FLAGS_MASK	3UL

static inline unsigned long count_get(struct rw_semaphore *sem)
{
	return (unsigned long)__atomic_load_n(&sem->count.counter, __ATOMIC_RELAXED);
}

static inline void count_set(struct rw_semaphore *sem, unsigned long v)
{
	__atomic_store_n(&sem->count.counter, (long)v, __ATOMIC_RELAXED);
}

static inline unsigned long owner_get(struct rw_semaphore *sem)
{
	return (unsigned long)__atomic_load_n(&sem->owner.counter, __ATOMIC_RELAXED);
}

static inline void owner_set(struct rw_semaphore *sem, unsigned long v)
{
	__atomic_store_n(&sem->owner.counter, (long)v, __ATOMIC_RELAXED);
}

/* ---- the reports ---- */
/* DEBUG_RWSEMS_WARN_ON's conditions, as 6.1 spells them. */
enum rwsem_check { RWSEM_BAD_MAGIC, RWSEM_NOT_READER_OWNED, RWSEM_NO_READER, RWSEM_NOT_WRITER,
		   RWSEM_DOWNGRADE_NOT_WRITER, RWSEM_NR_CHECKS };
static const char *const check_text[RWSEM_NR_CHECKS] = {
	[RWSEM_BAD_MAGIC] = "sem->magic != sem",
	[RWSEM_NOT_READER_OWNED] = "!is_rwsem_reader_owned(sem)",
	[RWSEM_NO_READER] = "tmp < 0",
	[RWSEM_NOT_WRITER] = ("(rwsem_owner(sem) != current) && "
			      "!rwsem_test_oflags(sem, RWSEM_NONSPINNABLE)"),
	[RWSEM_DOWNGRADE_NOT_WRITER] = "rwsem_owner(sem) != current",
};
static bool check_warned[RWSEM_NR_CHECKS];

/* 6.1's DEBUG_RWSEMS_WARN_ON(): a WARN_ONCE with the semaphore's state, then lock debugging
 * goes off.  Later ones of the same condition are only counted. */
static noinline void rwsem_warn(struct rw_semaphore *sem, enum rwsem_check what)
{
	if (__atomic_exchange_n(&check_warned[what], true, __ATOMIC_RELAXED)) {
		ukmem__report_silent();
		return;
	}
	WARN(1, "DEBUG_RWSEMS_WARN_ON(%s): count = 0x%lx, magic = 0x%lx, owner = 0x%lx, "
	     "curr 0x%lx, list %sempty\n", check_text[what], count_get(sem),
	     (unsigned long)__atomic_load_n(&sem->magic, __ATOMIC_RELAXED), owner_get(sem),
	     (unsigned long)current, count_get(sem) & RWSEM_FLAG_WAITERS ? "not " : "");
	ukmem__debug_locks_off();
}

/* A semaphore never initialised (init_rwsem, DECLARE_RWSEM) or copied: reported, then
 * marked initialised, so that one semaphore is reported once. */
static noinline void rwsem_bad_magic(struct rw_semaphore *sem)
{
	rwsem_warn(sem, RWSEM_BAD_MAGIC);
	__atomic_store_n(&sem->magic, sem, __ATOMIC_RELAXED);
}

static __always_inline void rwsem_check_magic(struct rw_semaphore *sem)
{
	if (unlikely(__atomic_load_n(&sem->magic, __ATOMIC_RELAXED) != sem))
		rwsem_bad_magic(sem);
}

/* ---- state changes, under wait_lock ---- */
static void waiters_update(struct rw_semaphore *sem)
{
	unsigned long count = count_get(sem) & ~RWSEM_FLAG_WAITERS;

	if (sem->nr_read_waiting || sem->nr_write_waiting)
		count |= RWSEM_FLAG_WAITERS;
	count_set(sem, count);
}

static bool read_blocked(struct rw_semaphore *sem)
{
	return (count_get(sem) & RWSEM_WRITER_LOCKED) || sem->nr_write_waiting;
}

static void read_wait(struct rw_semaphore *sem)
{
	unsigned int batch = sem->read_batch;

	sem->nr_read_waiting++;
	waiters_update(sem);
	ukmem__hung_sleep_begin(TASK_UNINTERRUPTIBLE);
	do
		pthread_cond_wait(&sem->read_wait, &sem->wait_lock);
	while ((count_get(sem) & RWSEM_WRITER_LOCKED) ||
	       (sem->nr_write_waiting && sem->read_batch == batch));
	ukmem__hung_sleep_end();
	sem->nr_read_waiting--;
	waiters_update(sem);
}

static void write_wait(struct rw_semaphore *sem)
{
	sem->nr_write_waiting++;
	waiters_update(sem);
	ukmem__hung_sleep_begin(TASK_UNINTERRUPTIBLE);
	do
		pthread_cond_wait(&sem->write_wait, &sem->wait_lock);
	while (count_get(sem) & RWSEM_LOCK_MASK);
	ukmem__hung_sleep_end();
	sem->nr_write_waiting--;
	waiters_update(sem);
}

/* The lock is free or read-held after a writer left: the readers waiting go first. */
static void wake_after_write(struct rw_semaphore *sem)
{
	if (sem->nr_read_waiting) {
		sem->read_batch++;
		pthread_cond_broadcast(&sem->read_wait);
	} else if (sem->nr_write_waiting && !(count_get(sem) & RWSEM_LOCK_MASK)) {
		pthread_cond_signal(&sem->write_wait);
	}
}

/* A free semaphore becomes @c's write hold (wait_lock held; the held-lock list after it). */
static void write_acquire(struct rw_semaphore *sem, struct ukmem__cpu *c)
{
	count_set(sem, count_get(sem) | RWSEM_WRITER_LOCKED);
	owner_set(sem, (unsigned long)c->curr);
}

static void read_acquire(struct rw_semaphore *sem, const struct task_struct *owner)
{
	count_set(sem, count_get(sem) + RWSEM_READER_BIAS);
	owner_set(sem, (unsigned long)owner | RWSEM_READER_OWNED);
}

/* 6.1's is_rwsem_reader_owned() (with DEBUG_RWSEMS): not write-locked, and the last owner
 * was a reader. */
static bool reader_owned(struct rw_semaphore *sem)
{
	return !(count_get(sem) & RWSEM_WRITER_LOCKED) && (owner_get(sem) & RWSEM_READER_OWNED);
}

static bool write_owned_by(struct rw_semaphore *sem, const struct task_struct *t)
{
	return owner_get(sem) == (unsigned long)t;
}

/* ---- initialisation and the questions ---- */
/**
 * __init_rwsem - initialise a reader-writer semaphore (init_rwsem() calls it)
 * @sem: the semaphore
 * @name: its name (unused: there is no lockdep)
 * @key: its lock class (unused)
 */
void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	*sem = (struct rw_semaphore)__RWSEM_INITIALIZER(*sem);
}

/**
 * rwsem_is_contended - whether a thread waits for the semaphore
 * @sem: the semaphore
 */
int rwsem_is_contended(struct rw_semaphore *sem)
{
	return (count_get(sem) & RWSEM_FLAG_WAITERS) != 0;
}

/* ---- taking it ---- */
/* Every sleeping lock call: might_sleep(), then a semaphore this thread write-holds ends
 * the process with lockdep's report (a read or write lock of it would sleep for ever). */
static __always_inline struct ukmem__cpu *down_check(struct rw_semaphore *sem, unsigned long ip)
{
	struct ukmem__cpu *c;

	might_sleep();
	rwsem_check_magic(sem);
	c = ukmem__cpu();
	if (unlikely(write_owned_by(sem, c->curr)))
		ukmem__lock_recursion(c, sem, "rwsem", ip);
	return c;
}

static void rwsem_read_lock(struct rw_semaphore *sem, const struct task_struct *owner)
{
	pthread_mutex_lock(&sem->wait_lock);
	if (read_blocked(sem))
		read_wait(sem);
	read_acquire(sem, owner);
	pthread_mutex_unlock(&sem->wait_lock);
}

static void rwsem_write_lock(struct rw_semaphore *sem, struct ukmem__cpu *c, unsigned long ip)
{
	pthread_mutex_lock(&sem->wait_lock);
	if (count_get(sem) & RWSEM_LOCK_MASK)
		write_wait(sem);
	write_acquire(sem, c);
	pthread_mutex_unlock(&sem->wait_lock);
	ukmem__held_lock_add(c, sem, "rwsem", ip);
}

/**
 * down_read - take a reader-writer semaphore for reading
 * @sem: the semaphore
 *
 * May sleep: waits while a writer holds it or waits for it.
 */
void down_read(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c = down_check(sem, _RET_IP_);

	rwsem_read_lock(sem, c->curr);
}

/**
 * down_read_interruptible - down_read() that a signal may interrupt
 * @sem: the semaphore
 *
 * Return: 0; nothing interrupts a ukmem thread's wait (-EINTR in the kernel).
 */
int down_read_interruptible(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c = down_check(sem, _RET_IP_);

	rwsem_read_lock(sem, c->curr);
	return 0;
}

/**
 * down_read_killable - down_read() that a fatal signal may interrupt
 * @sem: the semaphore
 *
 * Return: 0; nothing interrupts a ukmem thread's wait (-EINTR in the kernel).
 */
int down_read_killable(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c = down_check(sem, _RET_IP_);

	rwsem_read_lock(sem, c->curr);
	return 0;
}

/**
 * down_read_non_owner - down_read() for a hold another thread will release
 * @sem: the semaphore
 */
void down_read_non_owner(struct rw_semaphore *sem)
{
	down_check(sem, _RET_IP_);
	rwsem_read_lock(sem, NULL);
}

/**
 * down_read_trylock - take a semaphore for reading if that needs no wait
 * @sem: the semaphore
 *
 * Return: 1 when taken, 0 when a writer holds it or a thread waits for it.  Does not sleep.
 */
int down_read_trylock(struct rw_semaphore *sem)
{
	int ret = 0;

	rwsem_check_magic(sem);
	pthread_mutex_lock(&sem->wait_lock);
	if (!(count_get(sem) & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_WAITERS))) {
		read_acquire(sem, current);
		ret = 1;
	}
	pthread_mutex_unlock(&sem->wait_lock);
	return ret;
}

/**
 * down_write - take a reader-writer semaphore for writing
 * @sem: the semaphore
 *
 * May sleep: waits until no reader and no writer holds it.
 */
void down_write(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c = down_check(sem, _RET_IP_);

	rwsem_write_lock(sem, c, _RET_IP_);
}

/**
 * down_write_killable - down_write() that a fatal signal may interrupt
 * @sem: the semaphore
 *
 * Return: 0; nothing interrupts a ukmem thread's wait (-EINTR in the kernel).
 */
int down_write_killable(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c = down_check(sem, _RET_IP_);

	rwsem_write_lock(sem, c, _RET_IP_);
	return 0;
}

/**
 * down_write_trylock - take a semaphore for writing if it is free
 * @sem: the semaphore
 *
 * Return: 1 when taken, 0 when it is held or a thread waits for it.  Does not sleep.
 */
int down_write_trylock(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c;

	rwsem_check_magic(sem);
	c = ukmem__cpu();
	pthread_mutex_lock(&sem->wait_lock);
	if (count_get(sem)) {
		pthread_mutex_unlock(&sem->wait_lock);
		return 0;
	}
	write_acquire(sem, c);
	pthread_mutex_unlock(&sem->wait_lock);
	ukmem__held_lock_add(c, sem, "rwsem", _RET_IP_);
	return 1;
}

/* ---- releasing it ---- */
/**
 * up_read - release a read hold
 * @sem: the semaphore
 *
 * Any thread may release a read hold.  With no reader holding it, 6.1's DEBUG_RWSEMS
 * warning, and the semaphore is left as it is.
 */
void up_read(struct rw_semaphore *sem)
{
	unsigned long count, owner;

	rwsem_check_magic(sem);
	pthread_mutex_lock(&sem->wait_lock);
	count = count_get(sem);
	if (unlikely(!reader_owned(sem) || !(count & RWSEM_READER_MASK))) {
		rwsem_warn(sem, reader_owned(sem) ? RWSEM_NO_READER : RWSEM_NOT_READER_OWNED);
		pthread_mutex_unlock(&sem->wait_lock);
		return;
	}
	owner = owner_get(sem);
	if ((owner & ~RWSEM_OWNER_FLAGS_MASK) == (unsigned long)current)
		owner_set(sem, owner & RWSEM_OWNER_FLAGS_MASK);
	count -= RWSEM_READER_BIAS;
	count_set(sem, count);
	if (!(count & RWSEM_READER_MASK) && sem->nr_write_waiting)
		pthread_cond_signal(&sem->write_wait);
	pthread_mutex_unlock(&sem->wait_lock);
}

/**
 * up_read_non_owner - release a read hold taken by down_read_non_owner()
 * @sem: the semaphore
 */
void up_read_non_owner(struct rw_semaphore *sem)
{
	up_read(sem);
}

/* A release or downgrade by a thread that does not write-hold @sem: 6.1's warning; false
 * when nobody write-holds it (it must be left alone). */
static bool write_release_check(struct rw_semaphore *sem, struct ukmem__cpu *c,
				enum rwsem_check what)
{
	if (likely((count_get(sem) & RWSEM_WRITER_LOCKED) && write_owned_by(sem, c->curr))) {
		ukmem__held_lock_del(c, sem);
		return true;
	}
	rwsem_warn(sem, what);
	return count_get(sem) & RWSEM_WRITER_LOCKED;
}

/**
 * up_write - release a write hold
 * @sem: the semaphore
 *
 * Another thread's write hold is released after 6.1's DEBUG_RWSEMS warning; a semaphore
 * nobody write-holds is left alone after it.
 */
void up_write(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c;

	rwsem_check_magic(sem);
	c = ukmem__cpu();
	pthread_mutex_lock(&sem->wait_lock);
	if (write_release_check(sem, c, RWSEM_NOT_WRITER)) {
		owner_set(sem, 0);
		count_set(sem, count_get(sem) & ~RWSEM_WRITER_LOCKED);
		wake_after_write(sem);
	}
	pthread_mutex_unlock(&sem->wait_lock);
}

/**
 * downgrade_write - turn the caller's write hold into a read hold
 * @sem: the semaphore
 *
 * Readers waiting get in with it; waiting writers go on waiting.
 */
void downgrade_write(struct rw_semaphore *sem)
{
	struct ukmem__cpu *c;

	rwsem_check_magic(sem);
	c = ukmem__cpu();
	pthread_mutex_lock(&sem->wait_lock);
	if (write_release_check(sem, c, RWSEM_DOWNGRADE_NOT_WRITER)) {
		count_set(sem, count_get(sem) - RWSEM_WRITER_LOCKED + RWSEM_READER_BIAS);
		owner_set(sem, (unsigned long)c->curr | RWSEM_READER_OWNED);
		wake_after_write(sem);
	}
	pthread_mutex_unlock(&sem->wait_lock);
}
