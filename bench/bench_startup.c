/* SPDX-License-Identifier: MIT */
/*
 * Start-up cost: how long a process takes to start ukmem (default mem=1G, and mem=16G),
 * make one kmalloc and one vmalloc, and shut down (ukmem_exit), measured over forked
 * children that each start from scratch; a child that only forks and exits is the baseline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

#define RUNS	50

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Milliseconds per child, on average, for children that run fn(arg). */
static double per_child_ms(int (*fn)(const char *), const char *arg)
{
	double t0 = now();

	for (int i = 0; i < RUNS; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0)
			_exit(fn(arg));
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "bench_startup: a child failed\n");
			exit(1);
		}
	}
	return (now() - t0) * 1e3 / RUNS;
}

static int nothing(const char *cmdline)
{
	return 0;
}

static int start_use_exit(const char *cmdline)
{
	void *k, *v;

	if (ukmem_init(cmdline))
		return 1;
	k = kmalloc(64, GFP_KERNEL);
	v = vmalloc(1 << 16);
	if (!k || !v)
		return 1;
	kfree(k);
	vfree(v);
	return ukmem_exit();
}

int main(void)
{
	double base = per_child_ms(nothing, NULL);

	printf("start-up: fork + ukmem_init + kmalloc + vmalloc + ukmem_exit, mean of %d children\n",
	       RUNS);
	printf("%-12s %10s %14s\n", "cmdline", "ms/child", "ms over fork");
	printf("%-12s %10.3f %14s\n", "(no ukmem)", base, "-");
	for (const char **c = (const char *[]){ "mem=1G", "mem=16G", NULL }; *c; c++) {
		double ms = per_child_ms(start_use_exit, *c);

		printf("%-12s %10.3f %14.3f\n", *c, ms, ms - base);
	}
	return 0;
}
