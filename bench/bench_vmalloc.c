/* SPDX-License-Identifier: MIT */
/*
 * vmalloc benchmark, after the kernel's lib/test_vmalloc.c workloads: microseconds per
 * vmalloc+vfree pair (touching the first byte, as test_vmalloc does), side by side with
 * anonymous mmap+munmap of the same sizes (the naive way to get fresh mapped memory), at 1
 * and 2 threads, in the same run.  Each cell is the best of ROUNDS runs, the two taking
 * turns, so that load from other processes on the machine hurts both alike.
 *
 *   fix_size        1 page
 *   random_size     1..100 pages
 *   long_busy_list  1 page, with 500 other areas live around each pair
 *   align_shift     1 page aligned to 2^12..2^23 (mmap: over-allocate and trim)
 *   full_fit        1 page into the holes of a list with every other area freed
 *
 * Usage: bench_vmalloc [pairs per thread and run]   (default 5000)
 * Ratio < 1: vmalloc faster.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

#define BUSY	500
#define FIT	500
#define ROUNDS	5

enum impl { VMALLOC, MMAP };

struct run {
	int workload;
	enum impl impl;
	long pairs;
	double us;		/* per pair, this thread */
	pthread_barrier_t *start;
	unsigned int seed;
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static unsigned int rnd(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *get(enum impl impl, size_t size, size_t align)
{
	char *p, *a;

	if (impl == VMALLOC)
		return align > PAGE_SIZE ? __vmalloc_node(size, align, GFP_KERNEL, NUMA_NO_NODE,
							  __builtin_return_address(0))
					 : vmalloc(size);
	if (align <= PAGE_SIZE) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	p = mmap(NULL, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + size + align - (a + size));
	return a;
}

static void put(enum impl impl, void *p, size_t size)
{
	if (impl == VMALLOC)
		vfree(p);
	else
		munmap(p, size);
}

static void pair(enum impl impl, size_t size, size_t align)
{
	volatile char *p = get(impl, size, align);

	if (!p) {
		fprintf(stderr, "bench_vmalloc: allocation of %zu bytes failed\n", size);
		exit(1);
	}
	*p = 0;
	put(impl, (void *)p, size);
}

static void *worker(void *arg)
{
	struct run *r = arg;
	void *busy[BUSY > FIT ? BUSY : FIT];
	double t0;

	if (r->workload == 2)
		for (int i = 0; i < BUSY; i++)
			busy[i] = get(r->impl, PAGE_SIZE, 0);
	if (r->workload == 4) {
		for (int i = 0; i < FIT; i++)
			busy[i] = get(r->impl, PAGE_SIZE, 0);
		for (int i = 0; i < FIT; i += 2)
			put(r->impl, busy[i], PAGE_SIZE);
	}
	pthread_barrier_wait(r->start);
	t0 = now_us();
	for (long i = 0; i < r->pairs; i++) {
		switch (r->workload) {
		case 1:
			pair(r->impl, (rnd(&r->seed) % 100 + 1) * PAGE_SIZE, 0);
			break;
		case 3:
			pair(r->impl, PAGE_SIZE, 1UL << (12 + i % 12));
			break;
		default:
			pair(r->impl, PAGE_SIZE, 0);
			break;
		}
	}
	r->us = (now_us() - t0) / r->pairs;
	if (r->workload == 2)
		for (int i = 0; i < BUSY; i++)
			put(r->impl, busy[i], PAGE_SIZE);
	if (r->workload == 4)
		for (int i = 1; i < FIT; i += 2)
			put(r->impl, busy[i], PAGE_SIZE);
	return NULL;
}

static double measure(int workload, enum impl impl, int threads, long pairs)
{
	struct run r[2];
	pthread_t t[2];
	pthread_barrier_t start;
	double sum = 0;

	pthread_barrier_init(&start, NULL, threads);
	for (int i = 0; i < threads; i++) {
		r[i] = (struct run){ .workload = workload, .impl = impl, .pairs = pairs,
				     .start = &start, .seed = 2463534242u + i };
		pthread_create(&t[i], NULL, worker, &r[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		sum += r[i].us;
	}
	pthread_barrier_destroy(&start);
	return sum / threads;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"fix_size", "random_size", "long_busy_list", "align_shift", "full_fit",
	};
	long pairs = argc > 1 ? atol(argv[1]) : 5000;

	if (ukmem_init("mem=2G")) {
		fprintf(stderr, "bench_vmalloc: ukmem_init failed\n");
		return 1;
	}
	printf("microseconds per alloc+free pair (per thread), best of %d runs of %ld pairs\n",
	       ROUNDS, pairs);
	printf("%-15s %7s %12s %12s %8s\n", "workload", "threads", "vmalloc us", "mmap us",
	       "ratio");
	for (int w = 0; w < 5; w++) {
		for (int threads = 1; threads <= 2; threads++) {
			double v = 1e30, m = 1e30;

			/* Warm both up (page cache of RAM, lazy areas), then take turns. */
			measure(w, VMALLOC, threads, pairs / 10 + 1);
			measure(w, MMAP, threads, pairs / 10 + 1);
			for (int round = 0; round < ROUNDS; round++) {
				v = min(v, measure(w, VMALLOC, threads, pairs));
				m = min(m, measure(w, MMAP, threads, pairs));
			}

			printf("%-15s %7d %12.3f %12.3f %8.2f\n", names[w], threads, v, m, v / m);
			fflush(stdout);
		}
	}
	return ukmem_exit() ? 1 : 0;
}
