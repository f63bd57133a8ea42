/* SPDX-License-Identifier: MIT */
/*
 * The test-side hooks of the kernel's tools/testing/radix-tree programs, on ukmem: what the
 * suite's own stand-in (its linux.c) gives those programs, here given by ukmem itself plus
 * counters.
 *
 * - nr_allocated: objects of slab caches allocated through the suite's code and not yet
 *   freed.  The suite's kmem_cache_alloc/kmem_cache_alloc_lru/kmem_cache_free reach
 *   radix_glue_cache_alloc/radix_glue_cache_free (glue.h), which call ukmem's functions and
 *   count.
 * - kmem_cache_set_non_kernel(): the stand-in's budget of non-sleeping allocations per cache,
 *   which the maple-tree tests raise (xarray and idr-test never do); see its comment.
 * - cpuhp_setup_state_nocalls (include/linux/cpu.h): the teardown lib/radix-tree.c registers
 *   runs for every possible CPU at the end, as if every CPU went offline.
 * - rcu_register_thread/rcu_unregister_thread: ukmem's RCU registers a thread on its first
 *   read-side section and unregisters it when it exits; registering enters one section now.
 *
 * The exit check (an atexit handler registered after ukmem started, so it runs before
 * ukmem's own exit hook): CPUs' preloads given back, RCU callbacks finished, then
 * nr_allocated must be 0, the program must have allocated from ukmem's caches (slabinfo
 * lists radix_tree_node) and seen a non-sleeping allocation fail, ukmem must have printed
 * exactly RADIX_EXPECTED_WARNINGS reports (the WARNs the suite provokes on purpose: its
 * "vvv Ignore ... warnings" sections; tests.cmake counts them) and ukmem_exit() must find
 * nothing more (no leak).  Any of these failing makes the exit status 1.
 *
 * - time(): idr-test's soak loops run for fixed lengths of wall time (2, 10, 10 and 11 s of
 *   time()).  Linked with --wrap=time, time() runs RADIX_TIME_SCALE times faster than the
 *   host's clock (tests.cmake sets 50: every loop still runs its checks, for a fiftieth of
 *   the time; RADIX_TIME_SCALE=1 gives the suite's own lengths).
 *
 * Locking: the counters are atomics; the teardown pointer is written once during start-up
 * (radix_tree_init) before any other thread exists.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "include/linux/cpu.h"

struct list_lru;

/* The stand-in's counter, named as the suite's test.h declares it. */
int nr_allocated;

#define NON_KERNEL_CACHES	8

static struct radix_glue {
	int (*teardown)(unsigned int cpu);
	unsigned long allocated;	/* objects handed out, all time */
	unsigned long nowait_failed;	/* non-sleeping allocations that failed */
	pthread_mutex_t lock;		/* guards non_kernel[] */
	struct {
		struct kmem_cache *s;
		unsigned int budget;
	} non_kernel[NON_KERNEL_CACHES];	/* the stand-in's per-cache "non-kernel" budget */
} glue = { .lock = PTHREAD_MUTEX_INITIALIZER };

/**
 * kmem_cache_set_non_kernel() - the stand-in's budget of non-sleeping allocations
 * @s: a cache
 * @val: how many allocations without __GFP_DIRECT_RECLAIM may succeed from now on
 *
 * Non-sleeping allocations fail (failslab with ignore-gfp-wait, tests.cmake) unless the
 * cache has budget left: each one that takes budget is made __GFP_NOFAIL, which fault
 * injection never fails, as the stand-in counts its non_kernel down.
 */
void kmem_cache_set_non_kernel(struct kmem_cache *s, unsigned int val)
{
	int free_slot = -1;

	pthread_mutex_lock(&glue.lock);
	for (int i = 0; i < NON_KERNEL_CACHES; i++) {
		if (glue.non_kernel[i].s == s) {
			glue.non_kernel[i].budget = val;
			pthread_mutex_unlock(&glue.lock);
			return;
		}
		if (!glue.non_kernel[i].s && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		fprintf(stderr, "radix-tree glue: more than %d caches with a non-kernel budget\n",
			NON_KERNEL_CACHES);
		abort();
	}
	glue.non_kernel[free_slot].s = s;
	glue.non_kernel[free_slot].budget = val;
	pthread_mutex_unlock(&glue.lock);
}

/* Takes one from @s's budget: true when there was one. */
static bool non_kernel_take(struct kmem_cache *s)
{
	bool took = false;

	pthread_mutex_lock(&glue.lock);
	for (int i = 0; i < NON_KERNEL_CACHES; i++)
		if (glue.non_kernel[i].s == s && glue.non_kernel[i].budget) {
			glue.non_kernel[i].budget--;
			took = true;
			break;
		}
	pthread_mutex_unlock(&glue.lock);
	return took;
}

void *radix_glue_cache_alloc(struct kmem_cache *s, struct list_lru *lru, gfp_t gfp)
{
	void *p;

	if (!(gfp & __GFP_DIRECT_RECLAIM) && non_kernel_take(s))
		gfp |= __GFP_NOFAIL;
	p = kmem_cache_alloc_lru(s, lru, gfp);

	if (p) {
		__atomic_fetch_add(&nr_allocated, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&glue.allocated, 1, __ATOMIC_RELAXED);
	} else if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		__atomic_fetch_add(&glue.nowait_failed, 1, __ATOMIC_RELAXED);
	}
	return p;
}

void radix_glue_cache_free(struct kmem_cache *s, void *objp)
{
	if (objp)
		__atomic_fetch_sub(&nr_allocated, 1, __ATOMIC_RELAXED);
	kmem_cache_free(s, objp);
}

int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
			      int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu))
{
	if (state != CPUHP_RADIX_DEAD || startup || !teardown || glue.teardown) {
		fprintf(stderr, "radix-tree glue: unexpected cpuhp_setup_state_nocalls(%d, %s)\n",
			state, name);
		return -EINVAL;
	}
	glue.teardown = teardown;
	return 0;
}

void rcu_register_thread(void)
{
	rcu_read_lock();
	rcu_read_unlock();
}

void rcu_unregister_thread(void)
{
	/* ukmem's RCU unregisters the thread when it exits. */
}

/* Whether ukmem's slabinfo lists a cache of this name. */
static bool ukmem_has_cache(const char *name)
{
	char *buf = NULL, *line;
	size_t len = 0;
	bool found = false;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return false;
	ukmem_show("slabinfo", f);
	fclose(f);
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == ' ')
			found = true;
	free(buf);
	return found;
}

static void radix_glue_exit(void)
{
	unsigned int cpu;
	unsigned long reports;
	int problems = 0, leaks;

	if (glue.teardown)
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			glue.teardown(cpu);
	rcu_barrier();
	if (nr_allocated) {
		printf("radix-tree glue: %d slab objects still allocated\n", nr_allocated);
		problems++;
	}
	if (!glue.allocated || !ukmem_has_cache("radix_tree_node")) {
		printf("radix-tree glue: nothing was allocated from ukmem's radix_tree_node cache\n");
		problems++;
	}
	if (!glue.nowait_failed) {
		printf("radix-tree glue: no non-sleeping allocation failed (failslab not set?)\n");
		problems++;
	}
	reports = ukmem_report_count();
	if (reports != RADIX_EXPECTED_WARNINGS) {
		printf("radix-tree glue: %lu reports, expected %d (the suite's own WARNs)\n",
		       reports, RADIX_EXPECTED_WARNINGS);
		problems++;
	}
	leaks = ukmem_exit() - (int)reports;
	if (leaks) {
		printf("radix-tree glue: %d more problem(s) found at exit\n", leaks);
		problems++;
	}
	printf("radix-tree glue: %lu objects from ukmem's slab caches, %lu non-sleeping "
	       "allocations failed, %lu expected warnings; %d problem(s) found\n",
	       glue.allocated, glue.nowait_failed, reports, problems);
	fflush(NULL);
	if (problems)
		_exit(1);
}

/* Start ukmem before main() so that the exit check runs before ukmem's own exit hook. */
__attribute__((constructor)) static void radix_glue_start(void)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");

	if (ukmem_init(cmdline ? cmdline : "") == -EINVAL)
		exit(2);
	atexit(radix_glue_exit);
}

/* ---- time(), sped up (programs linked with --wrap=time) ---- */
time_t __real_time(time_t *t);
time_t __wrap_time(time_t *t);

static struct {
	pthread_once_t once;
	long scale;		/* RADIX_TIME_SCALE, at least 1 */
	time_t base;		/* the host's time() at the first call */
	struct timespec start;	/* the monotonic clock then */
} fast_time = { .once = PTHREAD_ONCE_INIT };

static void fast_time_init(void)
{
	const char *e = getenv("RADIX_TIME_SCALE");

	fast_time.scale = e && atol(e) > 0 ? atol(e) : 1;
	fast_time.base = __real_time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &fast_time.start);
}

time_t __wrap_time(time_t *t)
{
	struct timespec now;
	double elapsed;
	time_t v;

	pthread_once(&fast_time.once, fast_time_init);
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (double)(now.tv_sec - fast_time.start.tv_sec) +
		  (now.tv_nsec - fast_time.start.tv_nsec) * 1e-9;
	v = fast_time.base + (time_t)(elapsed * (double)fast_time.scale);
	if (t)
		*t = v;
	return v;
}
