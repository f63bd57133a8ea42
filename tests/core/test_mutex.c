/* SPDX-License-Identifier: MIT */
/*
 * struct mutex across threads, whose owner word is the lock itself:
 *  - an unlock by a thread that does not hold the mutex is 6.1's DEBUG_MUTEXES WARNING and
 *    really releases it: a thread asleep on it gets it, and the holder's exit reports no
 *    lock still held (its list drops the mutex); the holder's own later unlock of the mutex
 *    it no longer holds is only counted (lock debugging is off after the first report) and
 *    releases whoever holds it then, whose exit reports nothing either;
 *  - mutex_is_locked() never reads false while the mutex is held: two threads hand it back
 *    and forth, each holding it until a third has checked it, which checks only when its
 *    own trylock failed (so a holder that cannot let go until the check holds it);
 *  - several threads counting under the mutex (lock, trylock, the _interruptible and
 *    _killable forms) reach the exact total;
 *  - under ThreadSanitizer: data written under the mutex and then without it by another
 *    thread is reported as a race (the annotations hide nothing real), the same write made
 *    under the mutex is not.
 * Each report case runs in a child of its own (lock debugging reports once per process),
 * before this process starts threads of its own.
 */
#include <pthread.h>
#include <sched.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <ukmem.h>
#include "ktest.h"

static DEFINE_MUTEX(m);
static int stage;

static void stage_set(int s)
{
	__atomic_store_n(&stage, s, __ATOMIC_RELEASE);
}

static void stage_wait(int s)
{
	while (__atomic_load_n(&stage, __ATOMIC_ACQUIRE) < s)
		sched_yield();
}

static pthread_t start(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	KT_EQ(pthread_create(&t, NULL, fn, arg), 0);
	return t;
}

static char *child(void (*fn)(void *))
{
	char *out;
	int status = kt_run_child(fn, NULL, &out);

	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return out;
}

static void expect_one_warning(const char *out)
{
	static const char warn[] = "------------[ cut here ]------------\n"
		"DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)\nWARNING: CPU: ";

	if (strncmp(out, warn, strlen(warn)))
		KT_FAIL("expected the report to begin with \"%s\":\n%s", warn, out);
	KT_EQ(kt_count(out, "[ cut here ]"), 1);
	KT_NOT_CONTAINS(out, "still has locks held");
	KT_CONTAINS(out, "went on\n");
}

/* ---- an unlock by a thread that does not hold the mutex ---- */
static int holder_pid;

static void *holder(void *arg)
{
	(void)arg;
	mutex_lock(&m);
	__atomic_store_n(&holder_pid, current->pid, __ATOMIC_RELAXED);
	stage_set(1);
	stage_wait(3);
	return NULL;			/* it holds nothing now: its exit reports nothing */
}

static void *sleeper(void *arg)
{
	(void)arg;
	mutex_lock(&m);			/* asleep until the main thread releases the mutex */
	KT_ASSERT(mutex_is_locked(&m));
	mutex_unlock(&m);
	return NULL;
}

static void unlock_by_other(void *arg)
{
	pthread_t h, s;

	(void)arg;
	h = start(holder, NULL);
	stage_wait(1);
	s = start(sleeper, NULL);
	/* the sleeper has flagged itself on the word: it is no longer the bare holder id */
	while (__atomic_load_n(&m.owner, __ATOMIC_RELAXED) ==
	       (unsigned int)__atomic_load_n(&holder_pid, __ATOMIC_RELAXED))
		sched_yield();
	mutex_unlock(&m);		/* the holder's: the WARNING, then released */
	KT_EQ(pthread_join(s, NULL), 0);	/* the sleeper got it and let it go */
	KT_ASSERT(!mutex_is_locked(&m));
	KT_EQ(mutex_trylock(&m), 1);
	mutex_unlock(&m);
	stage_set(3);
	KT_EQ(pthread_join(h, NULL), 0);
	KT_EQ(ukmem_report_count(), 1);	/* the WARNING only: no lock held at the exit */
	fprintf(stderr, "went on\n");
}

static void test_unlock_by_other(void)
{
	char *out = child(unlock_by_other);

	expect_one_warning(out);
	free(out);
}

/* The holder unlocks after the main thread released its mutex and a third took it: that
 * unlock is of a mutex it does not hold (counted, lock debugging being off) and releases the
 * third's hold, so neither exit has a lock to report. */
static void *late_holder(void *arg)
{
	(void)arg;
	mutex_lock(&m);
	stage_set(1);
	stage_wait(2);
	mutex_unlock(&m);		/* the third's by now */
	stage_set(3);
	stage_wait(4);
	return NULL;
}

static void *third(void *arg)
{
	(void)arg;
	mutex_lock(&m);
	stage_set(2);
	stage_wait(3);
	KT_ASSERT(!mutex_is_locked(&m));	/* the late holder released it */
	return NULL;
}

static void owner_unlocks_late(void *arg)
{
	pthread_t h, t;

	(void)arg;
	h = start(late_holder, NULL);
	stage_wait(1);
	mutex_unlock(&m);		/* the WARNING, then released */
	t = start(third, NULL);
	KT_EQ(pthread_join(t, NULL), 0);
	KT_EQ(mutex_trylock(&m), 1);
	mutex_unlock(&m);
	stage_set(4);
	KT_EQ(pthread_join(h, NULL), 0);
	KT_EQ(ukmem_report_count(), 2);	/* the WARNING and the late holder's unlock */
	fprintf(stderr, "went on\n");
}

static void test_owner_unlocks_late(void)
{
	char *out = child(owner_unlocks_late);

	expect_one_warning(out);
	free(out);
}

/* ---- ThreadSanitizer still sees a real race on data the mutex guards ---- */
static int guarded;

static void *write_guarded(void *arg)
{
	(void)arg;
	mutex_lock(&m);
	guarded = 1;
	mutex_unlock(&m);
	return NULL;
}

/* The two writes are unordered unless both take the mutex, whichever runs first. */
static void race(void *arg)
{
	pthread_t t = start(write_guarded, NULL);

	if (arg) {
		mutex_lock(&m);
		guarded = 2;
		mutex_unlock(&m);
	} else {
		guarded = 2;		/* without the mutex: a race */
	}
	KT_EQ(pthread_join(t, NULL), 0);
	KT_ASSERT(guarded == 1 || guarded == 2);	/* read, so the writes are kept */
	fprintf(stderr, "went on\n");
}

static void test_tsan_race(void)
{
	char *out;
	int status;

	status = kt_run_child(race, NULL, &out);
	KT_CONTAINS(out, "WARNING: ThreadSanitizer: data race");
	KT_ASSERT(WIFEXITED(status));
	free(out);
	status = kt_run_child(race, &m, &out);
	KT_NOT_CONTAINS(out, "ThreadSanitizer");
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	KT_CONTAINS(out, "went on\n");
	free(out);
}

/* ---- mutex_is_locked while the mutex changes hands ---- */
static struct {
	int rounds;		/* rounds to run */
	int round;		/* the last round a holder took (under the mutex) */
	int checked;		/* the last round the checker checked */
	int done;		/* the last round whose holder has unlocked */
	unsigned long trylocks;	/* the checker's own takes */
} hand;

/* Take the mutex, hold it until the checker has seen it held, let it go. */
static void *hander(void *arg)
{
	(void)arg;
	for (;;) {
		int r;

		mutex_lock(&m);
		r = ++hand.round;
		if (r > hand.rounds) {
			mutex_unlock(&m);
			return NULL;
		}
		while (__atomic_load_n(&hand.checked, __ATOMIC_ACQUIRE) < r)
			sched_yield();
		mutex_unlock(&m);
		__atomic_store_n(&hand.done, r, __ATOMIC_RELEASE);
	}
}

static void test_is_locked_handoff(void)
{
	pthread_t a, b;

	hand.rounds = 5000;
	a = start(hander, NULL);
	b = start(hander, NULL);
	for (int r = 1; r <= hand.rounds; r++) {
		/* the last holder has let go; the mutex is free or this round's holder has it */
		while (__atomic_load_n(&hand.done, __ATOMIC_ACQUIRE) < r - 1)
			sched_yield();
		while (mutex_trylock(&m)) {	/* free: give it back and look again */
			hand.trylocks++;
			mutex_unlock(&m);
			sched_yield();
		}
		/* held by this round's holder, which keeps it until told: it must read held */
		if (!mutex_is_locked(&m))
			KT_FAIL("round %d: mutex_is_locked() read false while the mutex was held",
				r);
		__atomic_store_n(&hand.checked, r, __ATOMIC_RELEASE);
	}
	KT_EQ(pthread_join(a, NULL), 0);
	KT_EQ(pthread_join(b, NULL), 0);
	KT_ASSERT(!mutex_is_locked(&m));
	printf("mutex_is_locked: %d hand-overs checked (%lu takes while free)\n", hand.rounds,
	       hand.trylocks);
}

/* ---- contention: an exact count ---- */
#define COUNTERS	4
#define COUNTS		20000
static unsigned long counter;

static void *count(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < COUNTS; i++) {
		switch ((i + id) % 4) {
		case 0:
			mutex_lock(&m);
			break;
		case 1:
			KT_EQ(mutex_lock_interruptible(&m), 0);
			break;
		case 2:
			KT_EQ(mutex_lock_killable(&m), 0);
			break;
		default:
			while (!mutex_trylock(&m))
				sched_yield();
		}
		counter++;		/* a plain increment: the mutex is all that orders it */
		mutex_unlock(&m);
	}
	return NULL;
}

static void test_counter(void)
{
	pthread_t t[COUNTERS];

	for (long i = 0; i < COUNTERS; i++)
		t[i] = start(count, (void *)i);
	for (int i = 0; i < COUNTERS; i++)
		KT_EQ(pthread_join(t[i], NULL), 0);
	KT_EQ(counter, (unsigned long)COUNTERS * COUNTS);
	KT_ASSERT(!mutex_is_locked(&m));
}

int main(void)
{
	KT_EQ(ukmem_init("mem=32M"), 0);
	test_unlock_by_other();
	test_owner_unlocks_late();
	if (KT_UNDER_TSAN)
		test_tsan_race();
	test_is_locked_handoff();
	test_counter();
	KT_EQ(ukmem_report_count(), 0);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
