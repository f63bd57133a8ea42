/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("kmemleak") while another thread grows a list at its head: every node stays
 * reachable from a global, and no scan may call any of them a leak.  (A node allocated after
 * the scan took its list of objects was unknown to it, so the nodes below it, reachable only
 * through it, were reported: hundreds a scan.)  Objects freed during a scan are no leaks
 * either.
 */
#include <pthread.h>
#include <unistd.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

struct node {
	struct node *next;
	long v;
};

static struct node *head;
static bool stop;

static void *grow(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct node *n = kmalloc(sizeof(*n), GFP_KERNEL);

		n->next = __atomic_load_n(&head, __ATOMIC_RELAXED);
		n->v = 0;
		__atomic_store_n(&head, n, __ATOMIC_RELEASE);
		kfree(kmalloc(24, GFP_KERNEL));		/* and objects freed meanwhile */
		usleep(20);
	}
	return NULL;
}

int main(void)
{
	pthread_t t;

	KT_EQ(ukmem_init(""), 0);
	KT_EQ(pthread_create(&t, NULL, grow, NULL), 0);
	usleep(10000);
	for (int k = 0; k < 10; k++) {
		char *out = kt_show("kmemleak");

		KT_NOT_CONTAINS(out, "unreferenced object");
		free(out);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	while (head) {
		struct node *n = head;

		head = n->next;
		kfree(n);
	}
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
