/* SPDX-License-Identifier: MIT */
/*
 * The cost of kmemleak's tracking, side by side: the kmalloc(64)/kfree hot pair (also with
 * kmalloc-64's gate closed: one object flagged with kmemleak_not_leak stays alive, so every
 * free of the cache takes the slow path that drops records), alloc_page/__free_page,
 * vmalloc(4 KiB)/vfree, and the driver half's tracked objects (alloc_percpu/free_percpu,
 * ioremap/iounmap of an emulated device's page: a record with a stack each), each measured
 * with kmemleak=off, with
 * kmemleak=on (the default: slab objects are found in the slabs at report time, a driver's
 * page carries its caller, vmalloc areas are records with a stack), and with
 * kmemleak.stacks=on (every allocation takes the hooked slow path and records its stack:
 * what fault injection and fail sweeps also cost).
 *
 * Each configuration runs in its own child process (the command line is read once at
 * start-up); every measurement is repeated for some rounds and the best is kept.
 * Usage: bench_kmemleak [seconds per measurement, default 0.2] [rounds, default 5] [config]
 * seconds 0 runs a fixed number of pairs (100,000; vmalloc 1,000) for instruction counts
 * under callgrind; config (0, 1, 2) runs that configuration only, in this process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

enum { KMALLOC, KMALLOC_GATED, PAGE, VMALLOC, PERCPU, IOREMAP, NR_OPS };
static const char *const op_names[NR_OPS] = {
	"kmalloc(64)+kfree", "  the same, gate closed", "alloc_page+__free_page", "vmalloc(4K)+vfree",
	"alloc_percpu+free_percpu", "ioremap+iounmap",
};
static const char *const configs[] = {
	"kmemleak=off", "kmemleak=on", "kmemleak=on kmemleak.stacks=on",
};
#define NR_CONFIGS	(int)(sizeof(configs) / sizeof(configs[0]))

#define DEV_BASE	0xc0000000ULL	/* a memory-backed emulated device for ioremap */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Nanoseconds per pair of @op, for about @seconds (0: a fixed count, for callgrind). */
static double measure(int op, double seconds)
{
	bool slow = op == VMALLOC || op == IOREMAP;
	unsigned long pairs = 0, batch = slow ? 256 : 65536;
	void *flagged = NULL;
	double start, t;

	if (op == KMALLOC_GATED) {	/* a record of kmalloc-64's (none with kmemleak=off) */
		flagged = kmalloc(64, GFP_KERNEL);
		kmemleak_not_leak(flagged);
	}
	start = now();

	if (seconds == 0)
		batch = slow ? 1000 : 100000;
	do {
		for (unsigned long i = 0; i < batch; i++) {
			if (op == KMALLOC || op == KMALLOC_GATED) {
				void *p = kmalloc(64, GFP_KERNEL);

				__asm__ volatile("" : : "r"(p) : "memory");
				kfree(p);
			} else if (op == PAGE) {
				struct page *page = alloc_page(GFP_KERNEL);

				__asm__ volatile("" : : "r"(page) : "memory");
				__free_page(page);
			} else if (op == VMALLOC) {
				void *v = vmalloc(PAGE_SIZE);

				*(volatile char *)v = 1;
				vfree(v);
			} else if (op == PERCPU) {
				u64 __percpu *c = alloc_percpu(u64);

				__asm__ volatile("" : : "r"(c) : "memory");
				free_percpu(c);
			} else {
				void __iomem *r = ioremap(DEV_BASE, PAGE_SIZE);

				__asm__ volatile("" : : "r"(r) : "memory");
				iounmap(r);
			}
		}
		pairs += batch;
		t = now() - start;
	} while (t < seconds);
	kfree(flagged);
	return t * 1e9 / pairs;
}

static void run_config(int cfg, double seconds, int rounds, int fd)
{
	double best[NR_OPS];

	if (ukmem_init(configs[cfg])) {
		fprintf(stderr, "bench_kmemleak: cannot start with \"%s\"\n", configs[cfg]);
		_exit(1);
	}
	if (ukmem_mmio_add("bench-dev", DEV_BASE, PAGE_SIZE, NULL, NULL))
		_exit(1);
	for (int op = 0; op < NR_OPS; op++) {
		best[op] = 1e30;
		for (int r = 0; r < rounds; r++) {
			double ns = measure(op, seconds);

			if (ns < best[op])
				best[op] = ns;
		}
	}
	if (write(fd, best, sizeof(best)) != sizeof(best))
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.2, ns[NR_CONFIGS][NR_OPS];
	int rounds = argc > 2 ? atoi(argv[2]) : 5;

	if (argc > 3) {			/* one configuration, in this process */
		int fds[2];

		if (pipe(fds))
			return 1;
		run_config(atoi(argv[3]) % NR_CONFIGS, seconds, rounds, fds[1]);
	}

	for (int cfg = 0; cfg < NR_CONFIGS; cfg++) {
		int fds[2], status;
		pid_t pid;

		if (pipe(fds))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			run_config(cfg, seconds, rounds, fds[1]);
		}
		close(fds[1]);
		if (read(fds[0], ns[cfg], sizeof(ns[cfg])) != sizeof(ns[cfg]))
			return 1;
		close(fds[0]);
		waitpid(pid, &status, 0);
	}
	printf("%-24s", "ns per pair");
	for (int cfg = 0; cfg < NR_CONFIGS; cfg++)
		printf("  %-30s", configs[cfg]);
	printf("\n");
	for (int op = 0; op < NR_OPS; op++) {
		printf("%-24s", op_names[op]);
		for (int cfg = 0; cfg < NR_CONFIGS; cfg++)
			printf("  %8.1f (x%5.2f)              ", ns[cfg][op], ns[cfg][op] / ns[0][op]);
		printf("\n");
	}
	printf("(xN: time relative to kmemleak=off; lower is better)\n");
	return 0;
}
