/* SPDX-License-Identifier: MIT */
/*
 * Regression: jiffies read by two threads at once as a process's first readings of the
 * clock.  Thread "late" reads the clock first, but before it turns the reading into jiffies
 * thread "early" reads the clock and sets the clock's origin from its (later) reading.  The
 * late thread's elapsed time was then negative and wrapped to about 2^64 ns: jiffies years
 * ahead, so time_is_after_jiffies(jiffies + 60 * HZ) was false (found by the first-call test
 * from 4 threads, once in some thirty runs).  A reading from before the origin now counts as
 * the origin's tick.
 *
 * The window is made certain, not waited for: the test links with --wrap=clock_gettime, and
 * the wrapper holds the late thread between its clock reading and its return until the
 * early thread has read jiffies.
 */
#include <pthread.h>
#include <semaphore.h>
#include <time.h>
#include <linux/jiffies.h>
#include <ukmem.h>
#include "ktest.h"

int __real_clock_gettime(clockid_t id, struct timespec *ts);

static __thread int hold_after_reading;	/* the late thread's next reading waits */
static sem_t early_go, early_done;

int __wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
	int ret = __real_clock_gettime(id, ts);

	if (hold_after_reading && id == CLOCK_MONOTONIC) {
		hold_after_reading = 0;
		sem_post(&early_go);
		while (sem_wait(&early_done))
			;
	}
	return ret;
}

static void *early(void *arg)
{
	unsigned long *j = arg;

	while (sem_wait(&early_go))
		;
	*j = jiffies;
	sem_post(&early_done);
	return NULL;
}

int main(void)
{
	unsigned long j_early = 0, j_late;
	pthread_t t;

	sem_init(&early_go, 0, 0);
	sem_init(&early_done, 0, 0);
	if (pthread_create(&t, NULL, early, &j_early))
		KT_FAIL("pthread_create");
	hold_after_reading = 1;
	j_late = jiffies;
	pthread_join(t, NULL);
	KT_EQ(hold_after_reading, 0);		/* the wrapper did hold the late reading */
	printf("early reader: INITIAL_JIFFIES + %lu, late reader: INITIAL_JIFFIES + %lu\n",
	       j_early - INITIAL_JIFFIES, j_late - INITIAL_JIFFIES);
	KT_ASSERT(j_early - INITIAL_JIFFIES < HZ);
	KT_ASSERT(j_late - INITIAL_JIFFIES < HZ);
	KT_ASSERT(time_is_after_jiffies(jiffies + 60 * HZ));
	KT_EQ(ukmem_exit(), 0);
	printf("test_jiffies_first: ok\n");
	return 0;
}
