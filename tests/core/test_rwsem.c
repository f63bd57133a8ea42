/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer semaphores (<linux/rwsem.h>): readers share, a writer excludes everyone, a
 * new reader waits behind a waiting writer (so writers are not starved), any thread may end
 * a read hold, downgrade_write lets waiting readers in; the trylock and never-interrupted
 * calls return what 6.1's return.  Then the CONFIG_DEBUG_RWSEMS warnings (bad magic, bad
 * releases, which must leave the semaphore usable), lockdep's recursion report (the process
 * ends), might_sleep under a spinlock, and a thread's exit with a write hold.  Reports run
 * in children of their own: lock debugging reports once per process.
 */
#include <pthread.h>
#include <time.h>
#include <linux/gfp.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem.h>
#include "ktest.h"

static DECLARE_RWSEM(sem);
static DEFINE_SPINLOCK(slock);

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to 10 s for *v to reach want. */
static bool wait_for(int *v, int want)
{
	for (int i = 0; i < 10000; i++) {
		if (__atomic_load_n(v, __ATOMIC_ACQUIRE) >= want)
			return true;
		sleep_ms(1);
	}
	return false;
}

static bool wait_contended(struct rw_semaphore *s)
{
	for (int i = 0; i < 10000 && !rwsem_is_contended(s); i++)
		sleep_ms(1);
	return rwsem_is_contended(s);
}

/* ---- return values ---- */
static void test_trylocks(void)
{
	struct rw_semaphore *d = kmalloc(sizeof(*d), GFP_KERNEL);

	init_rwsem(d);
	KT_EQ(rwsem_is_locked(d), 0);
	KT_EQ(down_read_trylock(d), 1);
	KT_EQ(down_read_trylock(d), 1);		/* readers share */
	KT_NE(rwsem_is_locked(d), 0);
	KT_EQ(down_write_trylock(d), 0);
	up_read(d);
	up_read(d);
	KT_EQ(rwsem_is_locked(d), 0);
	KT_EQ(down_write_trylock(d), 1);
	KT_EQ(down_read_trylock(d), 0);
	up_write(d);
	KT_EQ(down_read_interruptible(d), 0);
	KT_EQ(down_read_killable(d), 0);
	up_read(d);
	up_read(d);
	KT_EQ(down_write_killable(d), 0);
	up_write(d);
	down_read_nested(d, 1);
	up_read(d);
	down_write_nested(d, 1);
	lockdep_assert_held_write(d);
	up_write(d);
	KT_EQ(rwsem_is_locked(d), 0);
	KT_EQ(rwsem_is_contended(d), 0);
	kfree(d);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- readers share, a writer excludes them ---- */
#define NR_READERS 4
static int readers_in, readers_go, writer_in, readers_done;

static void *reader(void *arg)
{
	(void)arg;
	down_read(&sem);
	KT_EQ(__atomic_load_n(&writer_in, __ATOMIC_ACQUIRE), 0);
	__atomic_fetch_add(&readers_in, 1, __ATOMIC_RELEASE);
	KT_ASSERT(wait_for(&readers_go, 1));
	KT_EQ(__atomic_load_n(&writer_in, __ATOMIC_ACQUIRE), 0);
	up_read(&sem);
	__atomic_fetch_add(&readers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	down_write(&sem);
	__atomic_store_n(&writer_in, 1, __ATOMIC_RELEASE);
	sleep_ms(20);
	__atomic_store_n(&writer_in, 0, __ATOMIC_RELEASE);
	up_write(&sem);
	return NULL;
}

static void test_concurrency(void)
{
	pthread_t r[NR_READERS], w, late;

	for (int i = 0; i < NR_READERS; i++)
		KT_EQ(pthread_create(&r[i], NULL, reader, NULL), 0);
	KT_ASSERT(wait_for(&readers_in, NR_READERS));	/* all hold it at once */
	KT_EQ(pthread_create(&w, NULL, writer, NULL), 0);
	KT_ASSERT(wait_contended(&sem));		/* the writer waits for them */
	KT_EQ(__atomic_load_n(&writer_in, __ATOMIC_ACQUIRE), 0);
	/* a writer waits: a new reader waits behind it, the trylock fails */
	KT_EQ(down_read_trylock(&sem), 0);
	KT_EQ(pthread_create(&late, NULL, reader, NULL), 0);
	sleep_ms(20);
	KT_EQ(__atomic_load_n(&readers_in, __ATOMIC_ACQUIRE), NR_READERS);
	__atomic_store_n(&readers_go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NR_READERS; i++)
		pthread_join(r[i], NULL);
	pthread_join(w, NULL);			/* the writer got it before the late reader */
	pthread_join(late, NULL);
	KT_EQ(readers_in, NR_READERS + 1);
	KT_EQ(rwsem_is_locked(&sem), 0);
	KT_EQ(rwsem_is_contended(&sem), 0);
}

/* Readers that keep the semaphore read-held without a gap: a writer still gets it. */
static int stop_readers, writer_done;

static void *overlapping_reader(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop_readers, __ATOMIC_ACQUIRE)) {
		down_read(&sem);
		sleep_ms(1);
		up_read(&sem);
	}
	return NULL;
}

static void *one_write(void *arg)
{
	(void)arg;
	down_write(&sem);
	up_write(&sem);
	__atomic_store_n(&writer_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_writer_not_starved(void)
{
	pthread_t r[NR_READERS], w;

	for (int i = 0; i < NR_READERS; i++)
		KT_EQ(pthread_create(&r[i], NULL, overlapping_reader, NULL), 0);
	sleep_ms(10);
	KT_EQ(pthread_create(&w, NULL, one_write, NULL), 0);
	KT_ASSERT(wait_for(&writer_done, 1));
	__atomic_store_n(&stop_readers, 1, __ATOMIC_RELEASE);
	pthread_join(w, NULL);
	for (int i = 0; i < NR_READERS; i++)
		pthread_join(r[i], NULL);
	KT_EQ(rwsem_is_locked(&sem), 0);
}

/* ---- downgrade_write: waiting readers get in, a waiting writer waits on ---- */
static int got_read, got_write;

static void *read_once(void *arg)
{
	(void)arg;
	down_read(&sem);
	__atomic_store_n(&got_read, 1, __ATOMIC_RELEASE);
	up_read(&sem);
	return NULL;
}

static void *write_once(void *arg)
{
	(void)arg;
	down_write(&sem);
	__atomic_store_n(&got_write, 1, __ATOMIC_RELEASE);
	up_write(&sem);
	return NULL;
}

static void test_downgrade(void)
{
	pthread_t r, w;

	down_write(&sem);
	KT_EQ(pthread_create(&r, NULL, read_once, NULL), 0);
	KT_ASSERT(wait_contended(&sem));
	KT_EQ(pthread_create(&w, NULL, write_once, NULL), 0);
	sleep_ms(20);
	KT_EQ(got_read, 0);
	downgrade_write(&sem);
	KT_ASSERT(wait_for(&got_read, 1));	/* the reader shares it with us */
	sleep_ms(20);
	KT_EQ(__atomic_load_n(&got_write, __ATOMIC_ACQUIRE), 0);
	KT_EQ(down_write_trylock(&sem), 0);
	up_read(&sem);
	KT_ASSERT(wait_for(&got_write, 1));
	pthread_join(r, NULL);
	pthread_join(w, NULL);
	KT_EQ(rwsem_is_locked(&sem), 0);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- a read hold ended by another thread ---- */
static void *take_read(void *arg)
{
	down_read(arg);
	return NULL;
}

static void *take_read_non_owner(void *arg)
{
	down_read_non_owner(arg);
	return NULL;
}

static void test_non_owner(void)
{
	pthread_t t;

	KT_EQ(pthread_create(&t, NULL, take_read, &sem), 0);
	pthread_join(t, NULL);			/* exits with it read-held: no report */
	KT_NE(rwsem_is_locked(&sem), 0);
	up_read(&sem);
	KT_EQ(pthread_create(&t, NULL, take_read_non_owner, &sem), 0);
	pthread_join(t, NULL);
	up_read_non_owner(&sem);
	KT_EQ(down_write_trylock(&sem), 1);
	up_write(&sem);
	KT_EQ(ukmem_report_count(), 0);
}

/* ---- reports, each in a child ---- */
static char *child(void (*fn)(void *), bool want_abort)
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	if (want_abort)
		KT_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	else
		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return out;
}

static void expect_start(const char *out, const char *want)
{
	if (strncmp(out, want, strlen(want)))
		KT_FAIL("expected the output to begin with \"%s\":\n%s", want, out);
}

#define CUT "------------[ cut here ]------------\n"

/* The state part of a warning: "count = 0x.., magic = 0x.., owner = 0x.., curr 0x.." */
static void expect_warn(const char *out, const char *cond, struct rw_semaphore *s,
			unsigned long count, unsigned long owner)
{
	char want[512];

	snprintf(want, sizeof(want), CUT "DEBUG_RWSEMS_WARN_ON(%s): count = 0x%lx, magic = 0x%lx, "
		 "owner = 0x%lx, curr 0x%lx, list empty\nWARNING: CPU: ", cond, count,
		 (unsigned long)s, owner, (unsigned long)current);
	expect_start(out, want);
}

struct drvdata {
	int x;
	struct rw_semaphore sem;
};

static void uninitialised(void *arg)
{
	struct drvdata *d = kzalloc(sizeof(*d), GFP_KERNEL);

	(void)arg;
	down_write(&d->sem);
	up_write(&d->sem);
	down_read(&d->sem);
	up_read(&d->sem);
	KT_EQ(ukmem_report_count(), 1);		/* once per semaphore */
	kfree(d);
	fprintf(stderr, "went on\n");
}

static void test_bad_magic(void)
{
	char *out, want[256];

	out = child(uninitialised, false);
	snprintf(want, sizeof(want), CUT "DEBUG_RWSEMS_WARN_ON(sem->magic != sem): count = 0x0, "
		 "magic = 0x0, owner = 0x0, curr 0x%lx, list empty\nWARNING: CPU: ",
		 (unsigned long)current);
	expect_start(out, want);
	KT_CONTAINS(out, " uninitialised+");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* up_write of a free semaphore, then of one the caller read-holds: reported, left alone. */
static void up_write_not_held(void *arg)
{
	(void)arg;
	up_write(&sem);
	KT_EQ(rwsem_is_locked(&sem), 0);
	down_read(&sem);
	up_write(&sem);				/* only counted now */
	KT_NE(rwsem_is_locked(&sem), 0);	/* still read-held */
	up_read(&sem);
	KT_EQ(down_write_trylock(&sem), 1);
	up_write(&sem);
	KT_EQ(ukmem_report_count(), 2);
	fprintf(stderr, "went on\n");
}

/* up_write of another thread's write hold: reported and released. */
static int other_holds, other_go;

static void *hold_write(void *arg)
{
	(void)arg;
	down_write(&sem);
	__atomic_store_n(&other_holds, 1, __ATOMIC_RELEASE);
	KT_ASSERT(wait_for(&other_go, 1));
	return NULL;			/* exits with it on its list: only counted (debug_locks off) */
}

static void up_write_other(void *arg)
{
	pthread_t t;

	(void)arg;
	KT_EQ(pthread_create(&t, NULL, hold_write, NULL), 0);
	KT_ASSERT(wait_for(&other_holds, 1));
	up_write(&sem);
	KT_EQ(rwsem_is_locked(&sem), 0);
	__atomic_store_n(&other_go, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	KT_EQ(down_read_trylock(&sem), 1);
	up_read(&sem);
	fprintf(stderr, "went on\n");
}

/* up_read with no reader: of a free semaphore, of one this thread write-holds, and after the
 * last reader left (6.1's reader-owned flag survives it: the "tmp < 0" check speaks). */
static void up_read_unheld(void *arg)
{
	DECLARE_RWSEM(other);

	(void)arg;
	up_read(&sem);
	down_write(&sem);
	up_read(&sem);				/* counted: the same condition */
	KT_NE(rwsem_is_locked(&sem), 0);	/* still write-held */
	up_write(&sem);
	down_read(&other);
	up_read(&other);
	up_read(&other);			/* another condition: printed */
	KT_EQ(rwsem_is_locked(&other), 0);
	KT_EQ(down_write_trylock(&other), 1);
	up_write(&other);
	KT_EQ(ukmem_report_count(), 3);
	fprintf(stderr, "went on\n");
}

static void downgrade_not_held(void *arg)
{
	(void)arg;
	downgrade_write(&sem);
	KT_EQ(rwsem_is_locked(&sem), 0);
	KT_EQ(down_write_trylock(&sem), 1);
	up_write(&sem);
	fprintf(stderr, "went on\n");
}

static void test_bad_release(void)
{
	char *out, *second;

	out = child(up_write_not_held, false);
	expect_warn(out, "(rwsem_owner(sem) != current) && !rwsem_test_oflags(sem, "
		    "RWSEM_NONSPINNABLE)", &sem, 0, 0);
	KT_CONTAINS(out, " up_write_not_held+");
	KT_EQ(kt_count(out, "[ cut here ]"), 1);
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(up_write_other, false);
	expect_start(out, CUT "DEBUG_RWSEMS_WARN_ON((rwsem_owner(sem) != current) && "
		     "!rwsem_test_oflags(sem, RWSEM_NONSPINNABLE)): count = 0x1, magic = 0x");
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(up_read_unheld, false);
	expect_warn(out, "!is_rwsem_reader_owned(sem)", &sem, 0, 0);
	second = strstr(out + 1, CUT);
	KT_ASSERT(second);
	KT_CONTAINS(second, "DEBUG_RWSEMS_WARN_ON(tmp < 0): count = 0x0, magic = 0x");
	KT_CONTAINS(second, ", owner = 0x1, curr 0x");
	KT_EQ(kt_count(out, "[ cut here ]"), 2);
	KT_CONTAINS(out, "went on\n");
	free(out);

	out = child(downgrade_not_held, false);
	expect_warn(out, "rwsem_owner(sem) != current", &sem, 0, 0);
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- a lock of a semaphore this thread write-holds: lockdep's report, the end ---- */
static noinline void relock_read(void *arg)
{
	(void)arg;
	down_write(&sem);
	down_read(&sem);
	fprintf(stderr, "went on\n");
}

static noinline void relock_write(void *arg)
{
	(void)arg;
	down_write(&sem);
	if (down_write_killable(&sem))
		return;
	fprintf(stderr, "went on\n");
}

static void test_recursion(void)
{
	char *out = child(relock_read, true), want[160];

	expect_start(out, "\n============================================\n"
		     "WARNING: possible recursive locking detected\n6.1.0-ukmem #1 ");
	snprintf(want, sizeof(want), "\n%s/", current->comm);
	KT_CONTAINS(out, want);
	KT_CONTAINS(out, " is trying to acquire lock:\n");
	KT_CONTAINS(out, " (rwsem), at: relock_read+");
	KT_CONTAINS(out, "\nbut task is already holding lock:\n");
	KT_CONTAINS(out, "\n *** DEADLOCK ***\n");
	KT_CONTAINS(out, " lock held by ");
	KT_CONTAINS(out, "\nstack backtrace:\nCPU: ");
	KT_NOT_CONTAINS(out, "went on");
	free(out);

	out = child(relock_write, true);
	expect_start(out, "\n============================================\n"
		     "WARNING: possible recursive locking detected\n");
	KT_CONTAINS(out, " (rwsem), at: relock_write+");
	KT_NOT_CONTAINS(out, "went on");
	free(out);
}

/* ---- might_sleep: the sleeping calls under a spinlock ---- */
static noinline void down_under_spinlock(void *arg)
{
	(void)arg;
	spin_lock(&slock);
	KT_EQ(down_read_trylock(&sem), 1);	/* does not sleep: not reported */
	up_read(&sem);
	KT_EQ(ukmem_report_count(), 0);
	down_read(&sem);
	spin_unlock(&slock);
	up_read(&sem);
	KT_EQ(ukmem_report_count(), 1);
	fprintf(stderr, "went on\n");
}

static void test_might_sleep(void)
{
	char *out = child(down_under_spinlock, false);

	expect_start(out, "BUG: sleeping function called from invalid context at ");
	KT_CONTAINS(out, "rwsem.c:");
	KT_CONTAINS(out, "Preemption disabled at:\n");
	KT_CONTAINS(out, " down_under_spinlock+");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- a thread's exit with a write hold: lockdep's held-locks report ---- */
static void *exit_holding(void *arg)
{
	(void)arg;
	down_write(&sem);
	return NULL;
}

static void thread_exit_write_held(void *arg)
{
	pthread_t t;

	(void)arg;
	KT_EQ(pthread_create(&t, NULL, exit_holding, NULL), 0);
	pthread_join(t, NULL);
	KT_EQ(ukmem_report_count(), 1);
	fprintf(stderr, "went on\n");
}

static void test_exit_write_held(void)
{
	char *out = child(thread_exit_write_held, false);

	expect_start(out, "\n====================================\nWARNING: ");
	KT_CONTAINS(out, " still has locks held!\n");
	KT_CONTAINS(out, "1 lock held by ");
	KT_CONTAINS(out, " (rwsem), at: exit_holding+");
	KT_CONTAINS(out, "went on\n");
	free(out);
}

int main(void)
{
	KT_EQ(ukmem_init("mem=32M"), 0);
	test_trylocks();
	test_concurrency();
	test_writer_not_starved();
	test_downgrade();
	test_non_owner();
	test_bad_magic();
	test_bad_release();
	test_recursion();
	test_might_sleep();
	test_exit_write_held();
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
