/* SPDX-License-Identifier: MIT */
/*
 * kmemleak's gate on the free fast path (src/slab/slub.c): while kmemleak holds a record of
 * any object of a cache, every free of that cache goes through the slow path, which drops
 * the object's record.  One thread keeps opening and closing the gate of kmalloc-96
 * (kmemleak_not_leak on its own objects, then kfree) while another allocates and frees
 * objects of the same cache: a free the fast path turned away while the gate was closed may
 * find it open again, and must still free the object quietly, not report it.  Nothing is
 * reported and nothing leaks; the objects flagged and freed are not kept from later reports.
 */
#include <pthread.h>
#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

#define ROUNDS	200000

static void *flagger(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		void *p = kmalloc(96, GFP_KERNEL);

		KT_ASSERT(p);
		kmemleak_not_leak(p);
		kfree(p);
	}
	return NULL;
}

static void *freer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		void *p[4];

		for (int j = 0; j < 4; j++)
			KT_ASSERT((p[j] = kmalloc(90, GFP_KERNEL)) != NULL);
		for (int j = 0; j < 4; j++)
			kfree(p[j]);
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	void *leak;

	KT_EQ(pthread_create(&a, NULL, flagger, NULL), 0);
	KT_EQ(pthread_create(&b, NULL, freer, NULL), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	KT_EQ(ukmem_report_count(), 0);
	leak = kmalloc(96, GFP_KERNEL);		/* the gate is open again: one real leak */
	KT_ASSERT(leak);
	KT_EQ(ukmem_exit(), 1);
	printf("test_kmemleak_gate: ok\n");
	return 0;
}
