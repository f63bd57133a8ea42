/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU allocator and per-CPU variables (run with possible_cpus=3): areas are zeroed
 * and aligned on every possible CPU and each CPU's copy is its own; counters bumped by more
 * threads than there are CPUs sum exactly; DEFINE_PER_CPU variables start from their
 * initialiser on every CPU; many allocations spread over several chunks and come back;
 * illegal sizes and foreign or double frees warn and free nothing; meminfo's Percpu line
 * follows the chunks; a forked child gets its own copy of every CPU's data; failures for want
 * of memory are warned of as 6.1 does (ten times, never for atomic allocations), and no gfp
 * flag takes a per-CPU allocation into the page allocator's reserves.
 */
#include <pthread.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define NR_THREADS	7
#define NR_INCS		100000

struct stats {
	long packets;
	long bytes;
	char pad[40];
};

static DEFINE_PER_CPU(long, static_count);
static DEFINE_PER_CPU(int, initialised) = 42;
DEFINE_PER_CPU_ALIGNED(struct stats, aligned_stats);
static struct stats __percpu *dyn;
static int plain;

static unsigned long percpu_kb(void)
{
	char *text = kt_show("meminfo"), *line = strstr(text, "\nPercpu:");
	unsigned long kb;

	KT_ASSERT(line);
	KT_EQ(sscanf(line, "\nPercpu: %lu kB", &kb), 1);
	free(text);
	return kb;
}

static void zeroed_and_private(void)
{
	int *p = alloc_percpu(int);
	unsigned int cpu;

	KT_ASSERT(p);
	KT_EQ(nr_cpu_ids, 3);
	KT_EQ(num_possible_cpus(), 3);
	for_each_possible_cpu(cpu) {
		KT_EQ(*per_cpu_ptr(p, cpu), 0);
		*per_cpu_ptr(p, cpu) = 100 + cpu;
	}
	for_each_possible_cpu(cpu)
		KT_EQ(*per_cpu_ptr(p, cpu), 100 + cpu);
	KT_NE(per_cpu_ptr(p, 0), per_cpu_ptr(p, 1));
	KT_EQ(this_cpu_read(*p), 100 + smp_processor_id());
	this_cpu_write(*p, 7);
	KT_EQ(*this_cpu_ptr(p), 7);
	KT_EQ(per_cpu_ptr_to_phys(per_cpu_ptr(p, 1)), virt_to_phys(per_cpu_ptr(p, 1)));
	free_percpu(p);

	/* Reused space comes back zeroed. */
	p = alloc_percpu(int);
	for_each_possible_cpu(cpu)
		KT_EQ(*per_cpu_ptr(p, cpu), 0);
	free_percpu(p);
}

static void alignment(void)
{
	static const size_t aligns[] = { 1, 2, 8, 64, 256, 1024, 4096 };
	void __percpu *small = __alloc_percpu(3, 1);	/* shifts later areas off alignment */

	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		void __percpu *p = __alloc_percpu(24, aligns[i]);
		int cpu;

		KT_ASSERT(p);
		for_each_possible_cpu(cpu) {
			char *q = per_cpu_ptr(p, cpu);

			KT_EQ((unsigned long)q % aligns[i], 0);
			for (int b = 0; b < 24; b++)
				KT_EQ(q[b], 0);
		}
		free_percpu(p);
	}
	free_percpu(small);
	KT_EQ((unsigned long)this_cpu_ptr(&aligned_stats) % 64, 0);
}

static void *incrementer(void *arg)
{
	(void)arg;
	KT_ASSERT((unsigned int)smp_processor_id() < nr_cpu_ids);
	for (int i = 0; i < NR_INCS; i++) {
		this_cpu_inc(dyn->packets);
		this_cpu_add(dyn->bytes, 1500);
		__this_cpu_inc(static_count);
		if (i % 1000 == 0) {
			struct stats *s = get_cpu_ptr(dyn);

			(void)s;
			put_cpu_ptr(dyn);
		}
	}
	this_cpu_sub(static_count, 10);
	this_cpu_dec(static_count);
	return NULL;
}

static void sums_across_threads(void)
{
	pthread_t t[NR_THREADS];
	long packets = 0, bytes = 0, count = 0;
	int cpu;

	dyn = alloc_percpu(struct stats);
	KT_ASSERT(dyn);
	for (int i = 0; i < NR_THREADS; i++)
		KT_EQ(pthread_create(&t[i], NULL, incrementer, NULL), 0);
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	for_each_possible_cpu(cpu) {
		packets += per_cpu_ptr(dyn, cpu)->packets;
		bytes += per_cpu(dyn->bytes, cpu);
		count += per_cpu(static_count, cpu);
	}
	KT_EQ(packets, (long)NR_THREADS * NR_INCS);
	KT_EQ(bytes, (long)NR_THREADS * NR_INCS * 1500);
	KT_EQ(count, (long)NR_THREADS * (NR_INCS - 11));
	free_percpu(dyn);
}

static void static_variables(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		KT_EQ(per_cpu(initialised, cpu), 42);
	per_cpu(initialised, 1) = 5;
	KT_EQ(per_cpu(initialised, 0), 42);
	KT_EQ(per_cpu(initialised, 2), 42);
	KT_EQ(per_cpu(initialised, 1), 5);
	KT_EQ(initialised, 42);				/* the template is not a CPU's copy */
	KT_EQ(this_cpu_add_return(initialised, 1), per_cpu(initialised, smp_processor_id()));
	cpu = this_cpu_read(initialised);
	KT_EQ(this_cpu_xchg(initialised, 9), cpu);
	KT_EQ(this_cpu_cmpxchg(initialised, 9, 11), 9);
	KT_EQ(this_cpu_cmpxchg(initialised, 9, 12), 11);
	KT_EQ(this_cpu_read(initialised), 11);
}

static void many_chunks(void)
{
	enum { N = 200 };
	void __percpu *p[N];
	unsigned long base = percpu_kb();

	for (int i = 0; i < N; i++) {
		p[i] = __alloc_percpu(4000, 8);
		KT_ASSERT(p[i]);
		for (int cpu = 0; cpu < 3; cpu++)
			memset(per_cpu_ptr(p[i], cpu), i, 4000);
	}
	fprintf(stderr, "Percpu: %lu kB before, %lu kB with %d areas\n", base, percpu_kb(), N);
	KT_ASSERT(percpu_kb() >= (N * 4000UL * 3) / 1024);
	for (int i = 0; i < N; i++)
		for (int cpu = 0; cpu < 3; cpu++)
			KT_EQ(((unsigned char *)per_cpu_ptr(p[i], cpu))[3999], i & 0xff);
	for (int i = 0; i < N; i++)
		free_percpu(p[i]);
	/* Every emptied chunk but one went back. */
	KT_ASSERT(percpu_kb() <= base + 3 * 32);
}

static void in_child(void *arg)
{
	int *p = arg, *q = alloc_percpu(int);

	*per_cpu_ptr(p, 0) = 99;
	*per_cpu_ptr(q, 1) = 5;
	if (per_cpu(initialised, 0) != 42 || *per_cpu_ptr(q, 0) != 0)
		_exit(3);
	free_percpu(q);
	_exit(0);
}

/* A forked child has its own copy of every CPU's data. */
static void after_fork(void)
{
	int *p = alloc_percpu(int);
	char *out;

	per_cpu(initialised, 0) = 42;
	*per_cpu_ptr(p, 0) = 1;
	KT_EQ(kt_run_child(in_child, p, &out), 0);
	free(out);
	KT_EQ(*per_cpu_ptr(p, 0), 1);
	free_percpu(p);
}

static void bad_calls(void)
{
	unsigned long before = ukmem_report_count();
	void *k = kmalloc(16, GFP_KERNEL);
	int *p = alloc_percpu(int);
	char *out;

	void *bad[4];

	kt_capture_begin();
	bad[0] = __alloc_percpu(PCPU_MIN_UNIT_SIZE + 1, 8);
	bad[1] = __alloc_percpu(16, 24);
	bad[2] = __alloc_percpu(16, 2 * PAGE_SIZE);
	bad[3] = __alloc_percpu(0, 8);
	free_percpu(k);				/* not a per-CPU pointer */
	free_percpu(&initialised);		/* a static one */
	free_percpu((char *)p + 4);		/* inside an area */
	free_percpu(p);
	free_percpu(p);				/* twice */
	out = kt_capture_end();
	for (int i = 0; i < 4; i++)
		KT_ASSERT(!bad[i]);
	KT_CONTAINS(out, "illegal size (32772) or align (8) for percpu allocation");
	KT_CONTAINS(out, "illegal size (16) or align (24) for percpu allocation");
	KT_CONTAINS(out, "WARNING: CPU: ");
	KT_CONTAINS(out, "is not a live per-CPU allocation");
	KT_EQ(ukmem_report_count(), before + 8);
	free(out);

	/* The kmalloc object was left alone. */
	memset(k, 1, 16);
	kfree(k);

	kt_capture_begin();
	bad[0] = per_cpu_ptr(&plain, 0);	/* not a per-CPU variable */
	bad[1] = per_cpu_ptr(&initialised, 3);	/* not a possible CPU */
	out = kt_capture_end();
	KT_ASSERT(!bad[0] && !bad[1]);
	KT_CONTAINS(out, "is not a live per-CPU pointer");
	KT_CONTAINS(out, "CPU 3 is not possible (nr_cpu_ids is 3)");
	free(out);
}

/* With memory gone, 6.1 warns of the first ten failed GFP_KERNEL allocations, then says it
 * stops; failed atomic allocations are silent. */
static void failures_child(void *arg)
{
	const size_t unit = PCPU_MIN_UNIT_SIZE;
	void __percpu *p;
	char *out;
	int n = 0;

	KT_EQ(ukmem_init(arg), 0);
	while (__alloc_percpu_gfp(unit, 8, GFP_KERNEL | __GFP_NOWARN))
		n++;
	KT_ASSERT(n > 10);
	/* As 6.1's, only GFP_KERNEL's bits, __GFP_NORETRY and __GFP_NOWARN are passed on to
	 * the page allocator: __GFP_HIGH (in GFP_ATOMIC) and __GFP_NOFAIL take no reserve. */
	kt_capture_begin();
	for (int i = 0; i < 3; i++) {
		KT_ASSERT(!__alloc_percpu_gfp(unit, 8, GFP_ATOMIC));
		KT_ASSERT(!__alloc_percpu_gfp(unit, 8, GFP_NOWAIT));
	}
	out = kt_capture_end();
	KT_NOT_CONTAINS(out, "percpu: allocation failed");	/* atomic: silent */
	free(out);
	KT_ASSERT(!__alloc_percpu_gfp(unit, 8, GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN));
	KT_ASSERT(!__alloc_percpu_gfp(unit, 8, GFP_KERNEL | __GFP_HIGH | __GFP_NOWARN));
	kt_capture_begin();
	for (int i = 0; i < 12; i++) {
		p = __alloc_percpu(unit, 8);
		KT_ASSERT(!p);
	}
	out = kt_capture_end();
	KT_EQ(kt_count(out, "percpu: allocation failed, size=32768 align=8 atomic=0, "), 10);
	KT_EQ(kt_count(out, "percpu: limit reached, disable warning"), 1);
	free(out);
	exit(0);
}

static void failure_warnings(void)
{
	char *out = kt_child_output(failures_child, "mem=16M possible_cpus=2");

	free(out);
}

int main(void)
{
	failure_warnings();
	KT_EQ(ukmem_init("possible_cpus=3"), 0);
	zeroed_and_private();
	alignment();
	sums_across_threads();
	static_variables();
	many_chunks();
	after_fork();
	bad_calls();
	KT_EQ(ukmem_exit(), 10);
	return 0;
}
