/* SPDX-License-Identifier: MIT */
/*
 * Page allocator benchmark: alloc+free pairs per second of order-0 (4 KiB) and order-3
 * (32 KiB) blocks, on 1 and 2 threads, for ukmem's alloc_pages/__free_pages side by side with
 * what a user would otherwise call: posix_memalign(4096)+free and mmap+munmap of the same size.
 * Each allocation gets one byte written to it (memory that is never touched is not memory
 * anyone uses).  Two patterns: "pair" frees each block right after allocating it; "batch"
 * allocates 32 blocks, then frees them (pcp refills, buddy splits and merges).
 *
 * Usage: bench_pages [seconds per measurement, default 0.2] [rounds, default 5]
 * Every cell is measured once per round, the three allocators taking turns, and the best
 * round is kept: on a shared machine the best run is the one least disturbed by others.
 * Prints one table with the ratios ukmem/posix_memalign and ukmem/mmap (higher: ukmem faster).
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem.h>

#define BATCH	32

enum impl { UKMEM, MEMALIGN, MMAP, NR_IMPLS };
static const char *const impl_names[NR_IMPLS] = { "ukmem", "posix_memalign", "mmap" };

struct cell {
	enum impl impl;
	unsigned int order;
	bool batch;
	double seconds;
	pthread_barrier_t *start;
	unsigned long pairs;		/* out */
	double elapsed;			/* out */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline void *get(enum impl impl, unsigned int order)
{
	size_t size = PAGE_SIZE << order;
	void *p = NULL;

	switch (impl) {
	case UKMEM: {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		p = page ? page_address(page) : NULL;
		break;
	}
	case MEMALIGN:
		if (posix_memalign(&p, PAGE_SIZE, size))
			p = NULL;
		break;
	default:
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			p = NULL;
		break;
	}
	if (!p) {
		fprintf(stderr, "bench_pages: %s order %u: out of memory\n", impl_names[impl], order);
		exit(1);
	}
	*(volatile char *)p = 1;
	return p;
}

static inline void put(enum impl impl, unsigned int order, void *p)
{
	switch (impl) {
	case UKMEM:
		__free_pages(virt_to_page(p), order);
		break;
	case MEMALIGN:
		free(p);
		break;
	default:
		munmap(p, PAGE_SIZE << order);
		break;
	}
}

static void *run_cell(void *arg)
{
	struct cell *c = arg;
	unsigned long pairs = 0;
	void *blocks[BATCH];
	double start, end;

	/* Warm up: the first touch of RAM, lazy start-up, per-thread lists. */
	for (int i = 0; i < 1000; i++)
		put(c->impl, c->order, get(c->impl, c->order));
	pthread_barrier_wait(c->start);
	start = now();
	end = start + c->seconds;
	do {
		for (int r = 0; r < 64; r++) {
			if (c->batch) {
				for (int i = 0; i < BATCH; i++)
					blocks[i] = get(c->impl, c->order);
				for (int i = 0; i < BATCH; i++)
					put(c->impl, c->order, blocks[i]);
				pairs += BATCH;
			} else {
				put(c->impl, c->order, get(c->impl, c->order));
				pairs++;
			}
		}
	} while (now() < end);
	c->elapsed = now() - start;
	c->pairs = pairs;
	return NULL;
}

/* Pairs per second of all threads together. */
static double measure(enum impl impl, unsigned int order, bool batch, int threads, double seconds)
{
	struct cell cells[2];
	pthread_t tids[2];
	pthread_barrier_t start;
	double rate = 0;

	pthread_barrier_init(&start, NULL, threads);
	for (int t = 0; t < threads; t++) {
		cells[t] = (struct cell){ impl, order, batch, seconds, &start, 0, 0 };
		pthread_create(&tids[t], NULL, run_cell, &cells[t]);
	}
	for (int t = 0; t < threads; t++) {
		pthread_join(tids[t], NULL);
		rate += cells[t].pairs / cells[t].elapsed;
	}
	pthread_barrier_destroy(&start);
	return rate;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.2;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;

	if (ukmem_init("mem=1G")) {
		fprintf(stderr, "bench_pages: ukmem_init failed\n");
		return 1;
	}
	printf("alloc+free pairs per second (millions), all threads together, best of %d; "
	       "ratio > 1: ukmem faster\n\n", rounds);
	printf("%-5s %-7s %-6s %10s %15s %10s %12s %12s\n", "order", "threads", "shape",
	       "ukmem", "posix_memalign", "mmap", "ukmem/pm", "ukmem/mmap");
	for (unsigned int order = 0; order <= 3; order += 3)
		for (int threads = 1; threads <= 2; threads++)
			for (int batch = 0; batch <= 1; batch++) {
				double r[NR_IMPLS] = { 0 };

				for (int round = 0; round < rounds; round++)
					for (int i = 0; i < NR_IMPLS; i++)
						r[i] = fmax(r[i], measure(i, order, batch, threads, seconds));
				printf("%-5u %-7d %-6s %10.2f %15.2f %10.2f %11.2fx %11.2fx\n", order,
				       threads, batch ? "batch" : "pair", r[UKMEM] / 1e6,
				       r[MEMALIGN] / 1e6, r[MMAP] / 1e6, r[UKMEM] / r[MEMALIGN],
				       r[UKMEM] / r[MMAP]);
				fflush(stdout);
			}
	return ukmem_exit();
}
