/* SPDX-License-Identifier: MIT */
/*
 * Two threads free the same objects at once, under slub_debug=FZPU and under kasan=on (run
 * both ways): every object's second free is reported as a double free, exactly once, and
 * nothing else is (the losing free used to run its checks while the winner poisoned the
 * object: false "Redzone overwritten" and "slab-out-of-bounds" reports, and some double frees
 * seen only late).  The objects are then free once: the cache has none live.
 */
#include <pthread.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define N	2000

static void *objs[N];
static pthread_barrier_t start;

static void *free_all(void *arg)
{
	pthread_barrier_wait(&start);
	for (int i = 0; i < N; i++)
		kfree(objs[i]);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	char *out;

	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE")), 0);
	for (int i = 0; i < N; i++)
		objs[i] = kmalloc(64, GFP_KERNEL);
	KT_EQ(pthread_barrier_init(&start, NULL, 2), 0);
	kt_capture_begin();
	for (int i = 0; i < 2; i++)
		KT_EQ(pthread_create(&t[i], NULL, free_all, NULL), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	out = kt_capture_end();
	KT_EQ(ukmem_report_count(), N);
	KT_NOT_CONTAINS(out, "Redzone overwritten");
	KT_NOT_CONTAINS(out, "out-of-bounds");
	KT_NOT_CONTAINS(out, "Poison overwritten");
	free(out);
	KT_EQ(ukmem_exit(), N);		/* nothing leaked, nothing else found */
	return 0;
}
