/* SPDX-License-Identifier: MIT */
/*
 * vmalloc benchmark, after the kernel's lib/test_vmalloc.c workloads: microseconds per
 * vmalloc+vfree pair (touching the first byte, as test_vmalloc does), side by side with
 * anonymous mmap+munmap of the same sizes (the naive way to get fresh mapped memory), at 1
 * and 2 threads, in the same run.  Each cell is the best of several runs, the two taking
 * turns, so that load from other processes on the machine hurts both alike (short runs:
 * on a shared machine the best one is the one nobody preempted).
 *
 * Then the host calls a one-page pair is made of, each sequence timed in a loop of its
 * own on a mapping laid out as ukmem lays out a one-page area (a page of a memfd mapped
 * shared into a PROT_NONE reservation, then a guard page: a guard region where the host
 * has them).  "mprotect NONE + READ|WRITE" is what a reused area costs the host (vfree
 * takes access away, the next vmalloc of that size gives it back): the floor of a one-page
 * pair that keeps a freed area faulting.  The other rows are the alternatives: the same
 * inside a mapping shared with neighbours (it splits and merges), guard regions as the
 * revocation (the page must be faulted in again), and a fresh mapping per area.
 *
 *   fix_size        1 page
 *   random_size     1..100 pages
 *   long_busy_list  1 page, with 500 other areas live around each pair
 *   align_shift     1 page aligned to 2^12..2^23 (mmap: over-allocate and trim)
 *   full_fit        1 page into the holes of a list with every other area freed
 *
 * Usage: bench_vmalloc [pairs per thread and run] [runs] [ukmem command line]
 *        (defaults: 1000, 15, "mem=2G"; e.g. "mem=2G kmemleak=off" shows what kmemleak's
 *        record of each area costs)
 * Ratio < 1: vmalloc faster.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/vmalloc.h>
#include <ukmem.h>

#define BUSY	500
#define FIT	500

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

/* ---- the host calls behind a one-page pair ---- */

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102	/* Linux 6.13 uapi */
#define MADV_GUARD_REMOVE	103
#endif

/* Host-call sequences, each measured in a loop of its own (as a pair runs them). */
enum host_seq {
	H_NULL, H_MPROTECT, H_SPLIT, H_GUARD, H_GUARD_FAULT, H_FRESH, H_ANON, NR_HOST,
};
static const char *const host_names[NR_HOST] = {
	[H_NULL] = "null system call (getppid)",
	[H_MPROTECT] = "mprotect NONE + mprotect READ|WRITE",
	[H_SPLIT] = "the same, inside a larger mapping",
	[H_GUARD] = "MADV_GUARD_INSTALL + MADV_GUARD_REMOVE",
	[H_GUARD_FAULT] = "the same + first write (page fault)",
	[H_FRESH] = "mmap page+guard, guard region, write, unmap",
	[H_ANON] = "anon mmap + first write + munmap",
};

struct host {
	int fd;
	char *win;		/* a reservation, as the vmalloc window */
	char *area;		/* one page and its guard page, in win */
	char *shared;		/* the middle one of three such areas in one mapping */
	bool guard;		/* the guard page is a guard region */
};

/* Map page 0 of the file (and page 1 as its guard) at area, as ukmem maps a fresh area. */
static void host_map(struct host *h)
{
	mmap(h->area, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, h->fd, 0);
	h->guard = !madvise(h->area + PAGE_SIZE, PAGE_SIZE, MADV_GUARD_INSTALL);
	*(volatile char *)h->area = 1;
}

static void host_unmap(struct host *h)
{
	mmap(h->area, 2 * PAGE_SIZE, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/* Microseconds per iteration of one sequence, the mean over n iterations. */
static double host_round(struct host *h, enum host_seq seq, int n)
{
	double t0 = now_us();

	for (int i = 0; i < n; i++) {
		switch (seq) {
		case H_NULL:
			syscall(SYS_getppid);
			break;
		case H_MPROTECT:
			mprotect(h->area, 2 * PAGE_SIZE, PROT_NONE);
			mprotect(h->area, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
			*(volatile char *)h->area = 1;
			break;
		case H_SPLIT:		/* the mapping splits in three, then merges back */
			mprotect(h->shared, 2 * PAGE_SIZE, PROT_NONE);
			mprotect(h->shared, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
			*(volatile char *)h->shared = 1;
			break;
		case H_GUARD:
		case H_GUARD_FAULT:
			madvise(h->area, PAGE_SIZE, MADV_GUARD_INSTALL);
			madvise(h->area, PAGE_SIZE, MADV_GUARD_REMOVE);
			if (seq == H_GUARD_FAULT)
				*(volatile char *)h->area = 1;
			break;
		case H_FRESH:
			host_unmap(h);
			host_map(h);
			break;
		default:
			pair(MMAP, PAGE_SIZE, 0);
			break;
		}
	}
	return (now_us() - t0) / n;
}

static void host_calls(int runs)
{
	struct host h = { .fd = memfd_create("bench_vmalloc", MFD_CLOEXEC) };
	double best[NR_HOST];

	h.win = mmap(NULL, 64 * PAGE_SIZE, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (h.fd < 0 || ftruncate(h.fd, 8 * PAGE_SIZE) || h.win == MAP_FAILED) {
		fprintf(stderr, "bench_vmalloc: no memfd or reservation for the host calls\n");
		return;
	}
	h.area = h.win + 16 * PAGE_SIZE;
	host_map(&h);
	h.shared = h.win + 34 * PAGE_SIZE;
	mmap(h.shared - 2 * PAGE_SIZE, 6 * PAGE_SIZE, PROT_READ | PROT_WRITE,
	     MAP_SHARED | MAP_FIXED, h.fd, 2 * PAGE_SIZE);
	*(volatile char *)h.shared = 1;
	for (int k = 0; k < NR_HOST; k++)
		best[k] = 1e30;
	for (int run = 0; run < runs * 2; run++)
		for (int k = 0; k < NR_HOST; k++)
			if (h.guard || (k != H_GUARD && k != H_GUARD_FAULT))
				best[k] = min(best[k], host_round(&h, k, 500));
	printf("\nhost calls on a one-page area laid out as ukmem's (a shared page of a memfd in a\n"
	       "PROT_NONE reservation, then its guard page%s), microseconds per sequence,\n"
	       "best of %d runs of 500\n", h.guard ? " as a guard region" : "", runs * 2);
	for (int k = 0; k < NR_HOST; k++) {
		if (best[k] < 1e30)
			printf("%-46s %8.3f\n", host_names[k], best[k]);
		else
			printf("%-46s %8s\n", host_names[k], "n/a");
	}
	munmap(h.win, 64 * PAGE_SIZE);
	close(h.fd);
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"fix_size", "random_size", "long_busy_list", "align_shift", "full_fit",
	};
	long pairs = argc > 1 ? atol(argv[1]) : 1000;
	int runs = argc > 2 ? atoi(argv[2]) : 15;
	const char *cmdline = argc > 3 ? argv[3] : "mem=2G";

	if (pairs < 1 || runs < 1) {
		fprintf(stderr, "usage: bench_vmalloc [pairs per run] [runs] [ukmem command line]\n");
		return 2;
	}
	if (ukmem_init(cmdline)) {
		fprintf(stderr, "bench_vmalloc: ukmem_init(\"%s\") failed\n", cmdline);
		return 1;
	}
	printf("microseconds per alloc+free pair (per thread), best of %d runs of %ld pairs, "
	       "ukmem \"%s\"\n", runs, pairs, cmdline);
	printf("%-15s %7s %12s %12s %8s\n", "workload", "threads", "vmalloc us", "mmap us",
	       "ratio");
	for (int w = 0; w < 5; w++) {
		for (int threads = 1; threads <= 2; threads++) {
			double v = 1e30, m = 1e30;

			/* Warm both up (page cache of RAM, lazy areas), then take turns. */
			measure(w, VMALLOC, threads, pairs / 10 + 1);
			measure(w, MMAP, threads, pairs / 10 + 1);
			for (int run = 0; run < runs; run++) {
				v = min(v, measure(w, VMALLOC, threads, pairs));
				m = min(m, measure(w, MMAP, threads, pairs));
			}

			printf("%-15s %7d %12.3f %12.3f %8.2f\n", names[w], threads, v, m, v / m);
			fflush(stdout);
		}
	}
	host_calls(runs);
	return ukmem_exit() ? 1 : 0;
}
