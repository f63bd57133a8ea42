/* SPDX-License-Identifier: MIT */
/*
 * The cost of ukmem_fail_sweep on a function that allocates in a loop: N kmallocs, then
 * their N kfrees.  The sweep makes N + 1 runs and run n reaches n points, so the function's
 * own work is quadratic (about N * N / 2 allocations in all); this measures what the sweep
 * adds per run on top (the leak check after each run), with and without many other live
 * objects that carry kmemleak records (allocated before the sweep with kmemleak.stacks=on,
 * so every one of them has a record).  Each configuration runs in a forked child started
 * with its command line; the best of a few tries is printed (the machine is shared).
 *
 *	build/bench/bench_sweep [N...]	(default: 250 500 1000 2000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/slab.h>
#include <ukmem.h>

#define TRIES		3
#define BACKGROUND	100000		/* live recorded objects in the "busy" configuration */

static int nr_allocs;
static void **objs;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int alloc_loop(void *arg)
{
	int i, err = 0;

	for (i = 0; i < nr_allocs; i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		if (!objs[i]) {
			err = -ENOMEM;
			break;
		}
	}
	while (i--)
		kfree(objs[i]);
	return err;
}

/* One sweep in this (child) process; writes the seconds it took to @fd. */
static void measure(int n, int background, int fd)
{
	void **bg = NULL;
	double t;

	if (ukmem_init(background ? "kmemleak.stacks=on failslab.verbose=0" :
				    "failslab.verbose=0"))
		exit(1);
	if (background) {
		bg = calloc(BACKGROUND, sizeof(*bg));
		for (int i = 0; i < BACKGROUND && bg; i++)
			bg[i] = kmalloc(32, GFP_KERNEL);
	}
	nr_allocs = n;
	objs = calloc(n, sizeof(*objs));
	t = now();
	if (!objs || ukmem_fail_sweep(alloc_loop, NULL) != 0)
		exit(1);
	t = now() - t;
	if (write(fd, &t, sizeof(t)) != sizeof(t))
		exit(1);
	_exit(0);
}

static double best_of(int n, int background)
{
	double best = 1e18;

	for (int k = 0; k < TRIES; k++) {
		int fds[2], status;
		double t;
		pid_t pid;

		if (pipe(fds))
			exit(1);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			measure(n, background, fds[1]);
		}
		close(fds[1]);
		if (read(fds[0], &t, sizeof(t)) != sizeof(t) || waitpid(pid, &status, 0) < 0) {
			fprintf(stderr, "bench_sweep: the child for N=%d failed\n", n);
			exit(1);
		}
		close(fds[0]);
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	static const int defaults[] = { 250, 500, 1000, 2000 };
	int nr = argc > 1 ? argc - 1 : 4;

	printf("bench_sweep: ukmem_fail_sweep over N kmallocs + N kfrees (N + 1 runs), best of %d\n",
	       TRIES);
	printf("%8s %12s %14s %16s %18s\n", "N", "sweep (s)", "per run (us)", "busy sweep (s)",
	       "busy per run (us)");
	for (int i = 0; i < nr; i++) {
		int n = argc > 1 ? atoi(argv[i + 1]) : defaults[i];
		double quiet = best_of(n, 0), busy = best_of(n, 1);

		printf("%8d %12.3f %14.1f %16.3f %18.1f\n", n, quiet, quiet * 1e6 / (n + 1), busy,
		       busy * 1e6 / (n + 1));
	}
	return 0;
}
