/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU allocator benchmark: an alloc_percpu(u64) + free_percpu pair, side by side with what
 * a user would otherwise write: calloc of one cache line per possible CPU + free; and, for the
 * accessors, this_cpu_inc of a per-CPU counter against an atomic increment of one shared
 * counter and a plain increment of a thread-local one (all on one thread).
 *
 * Usage: bench_percpu [seconds per measurement, default 0.2] [rounds, default 5]
 * Best round kept.  Prints ns per operation and the ratio to the alternative
 * (docs/performance.md, "Per-CPU memory").
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <linux/percpu.h>
#include <ukmem.h>

enum op { ALLOC_PERCPU, CALLOC, THIS_CPU_INC, ATOMIC_INC, TLS_INC, NR_OPS };
static const char *const names[NR_OPS] = {
	"alloc_percpu+free_percpu", "calloc(cpus x 64)+free", "this_cpu_inc",
	"shared atomic increment", "thread-local increment",
};

static u64 __percpu *counter;
static u64 shared;
static __thread u64 local;
static void *volatile sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void run(enum op op, int n)
{
	for (int i = 0; i < n; i++) {
		switch (op) {
		case ALLOC_PERCPU: {
			u64 __percpu *p = alloc_percpu(u64);

			sink = p;
			free_percpu(p);
			break;
		}
		case CALLOC: {
			void *p = calloc(nr_cpu_ids, 64);

			sink = p;
			free(p);
			break;
		}
		case THIS_CPU_INC:
			this_cpu_inc(*counter);
			break;
		case ATOMIC_INC:
			__atomic_fetch_add(&shared, 1, __ATOMIC_RELAXED);
			break;
		default:
			local++;
			__asm__ volatile("" : : "r"(&local) : "memory");
			break;
		}
	}
}

static double measure(enum op op, double seconds, int rounds)
{
	double best = 1e30;

	for (int r = 0; r < rounds; r++) {
		unsigned long n = 0;
		double t0 = now(), t;

		do {
			run(op, 1000);
			n += 1000;
			t = now() - t0;
		} while (t < seconds);
		if (t * 1e9 / n < best)
			best = t * 1e9 / n;
	}
	return best;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.2, ns[NR_OPS];
	int rounds = argc > 2 ? atoi(argv[2]) : 5;

	counter = alloc_percpu(u64);
	for (int op = 0; op < NR_OPS; op++)
		ns[op] = measure(op, seconds, rounds);
	printf("per-CPU memory, %u possible CPUs, best of %d x %.2f s\n", nr_cpu_ids, rounds, seconds);
	printf("%-28s %8s %12s\n", "operation", "ns/op", "ratio");
	printf("%-28s %8.1f %12s\n", names[ALLOC_PERCPU], ns[ALLOC_PERCPU], "");
	printf("%-28s %8.1f %9.2f (alloc_percpu / calloc)\n", names[CALLOC], ns[CALLOC],
	       ns[ALLOC_PERCPU] / ns[CALLOC]);
	printf("%-28s %8.1f %12s\n", names[THIS_CPU_INC], ns[THIS_CPU_INC], "");
	printf("%-28s %8.1f %9.2f (this_cpu_inc / atomic)\n", names[ATOMIC_INC], ns[ATOMIC_INC],
	       ns[THIS_CPU_INC] / ns[ATOMIC_INC]);
	printf("%-28s %8.1f %9.2f (this_cpu_inc / thread-local)\n", names[TLS_INC], ns[TLS_INC],
	       ns[THIS_CPU_INC] / ns[TLS_INC]);
	free_percpu(counter);
	return ukmem_exit();
}
