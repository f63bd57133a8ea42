/* SPDX-License-Identifier: MIT */
/*
 * The cost of the debugging modes against the plain fast path: slub_debug=FZPU, kasan=on
 * and KFENCE sampling (kfence.sample_interval=100 and 1000), each in a forked child started
 * with that command line.  Two patterns: the hot pair (kmalloc(64) then kfree, repeated) and
 * a batch (1,000 kmalloc(64) then their 1,000 kfrees), in nanoseconds per pair; the ratio is
 * to the plain mode.  The best of several runs is printed (the machine is shared).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/slab.h>
#include <ukmem.h>

#define HOT_PAIRS	2000000
#define BATCH		1000
#define BATCH_ROUNDS	1000
#define TRIES		3

static const struct { const char *name, *cmdline; double scale; } modes[] = {
	{ "plain", "", 1 },
	{ "kfence.sample_interval=1000000", "kfence.sample_interval=1000000", 1 },
	{ "kfence.sample_interval=1000", "kfence.sample_interval=1000", 1 },
	{ "kfence.sample_interval=100", "kfence.sample_interval=100", 1 },
	{ "slub_debug=FZPU", "slub_debug=FZPU", 20 },
	{ "kasan=on", "kasan=on", 20 },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void measure(const char *cmdline, double scale, int fd)
{
	static void *objs[BATCH];
	long hot = HOT_PAIRS / scale, rounds = BATCH_ROUNDS / scale;
	double t, r[2];

	if (ukmem_init(cmdline))
		exit(1);
	fflush(stderr);
	for (long i = 0; i < 10000; i++)	/* warm up */
		kfree(kmalloc(64, GFP_KERNEL));
	t = now();
	for (long i = 0; i < hot; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		__asm__ __volatile__("" : "+r"(p));
		kfree(p);
	}
	r[0] = (now() - t) * 1e9 / hot;
	t = now();
	for (long k = 0; k < rounds; k++) {
		for (int i = 0; i < BATCH; i++)
			objs[i] = kmalloc(64, GFP_KERNEL);
		for (int i = 0; i < BATCH; i++)
			kfree(objs[i]);
	}
	r[1] = (now() - t) * 1e9 / (rounds * BATCH);
	if (write(fd, r, sizeof(r)) != sizeof(r))
		exit(1);
	exit(0);
}

int main(void)
{
	double best[sizeof(modes) / sizeof(modes[0])][2];

	printf("bench_debug: ns per kmalloc(64)/kfree pair (best of %d), ratio to plain\n", TRIES);
	printf("%-30s %10s %7s %10s %7s\n", "mode", "hot pair", "ratio", "batch", "ratio");
	for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		best[m][0] = best[m][1] = 1e18;
		for (int k = 0; k < TRIES; k++) {
			int fds[2], status;
			double r[2];
			pid_t pid;

			if (pipe(fds))
				return 1;
			fflush(stdout);
			pid = fork();
			if (pid == 0) {
				close(fds[0]);
				measure(modes[m].cmdline, modes[m].scale, fds[1]);
			}
			close(fds[1]);
			if (read(fds[0], r, sizeof(r)) != sizeof(r) || waitpid(pid, &status, 0) < 0) {
				fprintf(stderr, "bench_debug: the %s child failed\n", modes[m].name);
				return 1;
			}
			close(fds[0]);
			for (int i = 0; i < 2; i++)
				if (r[i] < best[m][i])
					best[m][i] = r[i];
		}
		printf("%-30s %10.1f %6.1fx %10.1f %6.1fx\n", modes[m].name, best[m][0],
		       best[m][0] / best[0][0], best[m][1], best[m][1] / best[0][1]);
	}
	return 0;
}
