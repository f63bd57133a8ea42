/* SPDX-License-Identifier: MIT */
/*
 * The CPU model's command line: possible_cpus= (and the DMA parameters, parsed in the same
 * place) reject bad values with a one-line error; by default there are as many possible
 * CPUs as the host has, at least 2; threads are bound to CPU ids round robin, every id
 * below nr_cpu_ids.
 */
#include <pthread.h>
#include <unistd.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <ukmem.h>
#include "ktest.h"

#define MAX_THREADS	64

static void expect_rejected(const char *cmdline)
{
	char *out;
	int err;

	kt_capture_begin();
	err = ukmem_init(cmdline);
	out = kt_capture_end();
	KT_EQ(err, -EINVAL);
	KT_CONTAINS(out, "ukmem: bad command line parameter");
	KT_CONTAINS(out, cmdline);
	KT_EQ(strchr(out, '\n') - out, (long)strlen(out) - 1);
	free(out);
}

static pthread_barrier_t barrier;

static void *record_cpu(void *arg)
{
	*(int *)arg = smp_processor_id();
	pthread_barrier_wait(&barrier);	/* all alive at once: distinct thread numbers */
	return NULL;
}

int main(void)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu[MAX_THREADS], seen[MAX_THREADS] = { 0 }, n, nr_threads;
	pthread_t t[MAX_THREADS];

	expect_rejected("possible_cpus=0");
	expect_rejected("possible_cpus=abc");
	expect_rejected("possible_cpus=1025");
	expect_rejected("possible_cpus=");
	expect_rejected("swiotlb=");
	expect_rejected("swiotlb=0");
	expect_rejected("swiotlb=64,fast");
	expect_rejected("swiotlb=64,");
	expect_rejected("swiotlb=lots");
	expect_rejected("dma_debug=maybe");
	expect_rejected("dma_debug_driver=");

	KT_EQ(ukmem_init("swiotlb=128,force dma_debug=on dma_debug_driver=mydrv"), 0);
	n = nr_cpu_ids;
	KT_EQ(n, host < 2 ? 2 : host > 1024 ? 1024 : host);
	nr_threads = 2 * n < MAX_THREADS ? 2 * n : MAX_THREADS;
	pthread_barrier_init(&barrier, NULL, nr_threads);
	for (int i = 0; i < nr_threads; i++)
		KT_EQ(pthread_create(&t[i], NULL, record_cpu, &cpu[i]), 0);
	for (int i = 0; i < nr_threads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nr_threads; i++) {
		KT_ASSERT(cpu[i] >= 0 && cpu[i] < n);
		seen[cpu[i]]++;
	}
	for (int c = 0; c < n && c < MAX_THREADS; c++)
		KT_ASSERT(seen[c] >= 1);	/* round robin reaches every CPU */
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
