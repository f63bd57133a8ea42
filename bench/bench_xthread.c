/* SPDX-License-Identifier: MIT */
/*
 * Cross-thread benchmark: the workload of test_xthread_stress (tests/stress/xthread.h: more
 * threads than CPUs, sizes over powers of two with 1 in 64 large ones, objects filled,
 * traded through a shared array, freed by other threads, threads re-created every round)
 * on ukmem (kmalloc/kfree, kvmalloc/kvfree for the large ones) and through malloc/free on
 * glibc, jemalloc, tcmalloc and mimalloc (LD_PRELOAD, as bench_slab does).  Each allocator
 * runs in a child process of its own, in turn, for several rounds; wall and CPU time
 * (user + system, all threads) are the best round's, peak RSS (the child's ru_maxrss: for
 * ukmem, the simulated RAM it touched) the largest.  Ratios are the peer's figure over ukmem's: above 1, ukmem is faster / smaller.
 *
 * Usage: bench_xthread [-q]      (-q: one round)
 * Internal mode: --run ukmem|malloc
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "peers.h"
#include "xthread.h"


static void *uk_alloc(size_t size, int zero)
{
	return zero ? kzalloc(size, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
}

static void *uk_alloc_large(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static void uk_free(void *p)
{
	kfree(p);
}

static void uk_free_large(void *p)
{
	kvfree(p);
}

static void *m_alloc(size_t size, int zero)
{
	return zero ? calloc(1, size) : malloc(size);
}

static void *m_alloc_large(size_t size)
{
	return malloc(size);
}

static struct xt_params params(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return (struct xt_params){ .threads = (int)(cpus < 2 ? 4 : 2 * cpus + 1), .rounds = 10,
				   .ops = 10000, .slots = 256 };
}

/* In the child: one run, "time SECONDS" and "rss KIB" on stdout. */
static int run(const char *which)
{
	static const struct xt_alloc uk = { uk_alloc, uk_free, uk_alloc_large, uk_free_large };
	static const struct xt_alloc m = { m_alloc, free, m_alloc_large, free };
	struct xt_params p = params();
	bool use_ukmem = !strcmp(which, "ukmem");
	struct timespec a, b;
	struct rusage ru;
	unsigned long errors;

	if (use_ukmem && ukmem_init("mem=1G"))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	errors = xt_run(use_ukmem ? &uk : &m, &p);
	clock_gettime(CLOCK_MONOTONIC, &b);
	getrusage(RUSAGE_SELF, &ru);
	printf("time %.4f\nrss %ld\ncpu %.4f\n",
	       (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9, ru.ru_maxrss,
	       ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6);
	return errors != 0;
}

/* Runs this program with --run which (LD_PRELOAD=lib when lib); false when it failed. */
static bool child(const char *lib, const char *which, double *secs, long *rss, double *cpu)
{
	char *argv[] = { "/proc/self/exe", "--run", (char *)which, NULL };
	char *out = peer_run_child(lib, argv);
	bool ok;

	*secs = peer_parse_key(out, "time");
	*rss = (long)peer_parse_key(out, "rss");
	*cpu = peer_parse_key(out, "cpu");
	ok = out && *secs >= 0 && *rss >= 0 && *cpu >= 0;
	free(out);
	return ok;
}

int main(int argc, char **argv)
{
	struct xt_params p = params();
	double best[NPEERS + 1], cpu[NPEERS + 1];
	long rss[NPEERS + 1];
	bool have[NPEERS + 1];
	int rounds = argc > 1 && !strcmp(argv[1], "-q") ? 1 : 3;

	if (argc > 2 && !strcmp(argv[1], "--run"))
		return run(argv[2]);
	printf("ukmem cross-thread benchmark: %ld CPUs online; %d threads x %d rounds x %d objects,\n"
	       "8 B .. 32 KiB and 1 in 64 of 64 KiB .. 2 MiB, traded through %d slots; best of %d\n",
	       sysconf(_SC_NPROCESSORS_ONLN), p.threads, p.rounds, p.ops, p.slots, rounds);
	for (unsigned i = 0; i <= NPEERS; i++) {
		have[i] = i == 0 || peer_available(i - 1);
		best[i] = cpu[i] = -1;
		rss[i] = 0;
	}
	for (int round = 0; round < rounds; round++)
		for (unsigned i = 0; i <= NPEERS; i++) {
			double t, c;
			long r;

			if (!have[i])
				continue;
			if (!child(i ? peers[i - 1].lib : NULL, i ? "malloc" : "ukmem", &t, &r, &c)) {
				printf("%s: the run failed\n", i ? peers[i - 1].name : "ukmem");
				return 1;
			}
			if (best[i] < 0 || t < best[i])
				best[i] = t;
			if (cpu[i] < 0 || c < cpu[i])
				cpu[i] = c;
			if (r > rss[i])
				rss[i] = r;
		}
	printf("\n%-18s %9s %7s %9s %7s %12s %7s\n", "allocator", "wall (s)", "ratio", "CPU (s)",
	       "ratio", "peak RSS", "ratio");
	for (unsigned i = 0; i <= NPEERS; i++) {
		if (!have[i])
			continue;
		printf("%-18s %9.3f %7.2f %9.3f %7.2f %8ld MiB %7.2f\n",
		       i ? peers[i - 1].name : "ukmem (kmalloc)", best[i], best[i] / best[0], cpu[i],
		       cpu[i] / cpu[0], rss[i] >> 10, (double)rss[i] / rss[0]);
	}
	return 0;
}
