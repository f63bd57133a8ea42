/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("kmemleak") while another thread pops the head of a list, frees it, and pushes
 * a new node at once: the allocation hands the freed address straight back (the per-thread
 * array is LIFO), so during a scan one address is first the old node and then a new one.
 * Every node stays reachable from a global (or from the pushing thread's registers for a
 * few instructions), so no scan may call any of them a leak.  Before the scan told a freed
 * and reused address from the object it had listed, the new node was taken for the old one
 * (not a new object, so its contents were not roots) and a scan that read the head between
 * the pop and the push reported it and the nodes below it (in six runs of six).
 * A real leak made meanwhile is still found, so a scan that found nothing fails.
 * Several caches take part (kmalloc-16 nodes, kmalloc-32 payloads reached only through
 * them, and a kmem_cache of its own), so a payload missed through its node is caught too.
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

struct node {
	struct node *next;
	void *payload;
};

#define NODES	64
#define SCANS	60
#define SCAN_SECONDS	20	/* at most (a ThreadSanitizer build's scan takes seconds) */

static struct node *head;
static struct kmem_cache *extra_cache;
static void *extra;		/* an object of extra_cache, replaced by a new one in turn */
static void *in_flight;		/* the payload between its two nodes */
static bool stop;

static void *churn(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct node *old = __atomic_load_n(&head, __ATOMIC_ACQUIRE), *n;
		void *payload = old->payload, *e;

		/* the payload stays in memory while it moves: a pointer held only in this
		 * thread's registers is missed by design (docs/kmemleak.md), and a debug
		 * cache (a sanitizer build's) poisons the freed node that still held it */
		__atomic_store_n(&in_flight, payload, __ATOMIC_RELAXED);
		__atomic_store_n(&head, old->next, __ATOMIC_RELEASE);	/* pop */
		kfree(old);
		n = kmalloc(sizeof(*n), GFP_KERNEL);			/* old's address again */
		KT_ASSERT(n);
		n->payload = payload;
		n->next = __atomic_load_n(&head, __ATOMIC_RELAXED);
		__atomic_store_n(&head, n, __ATOMIC_RELEASE);		/* push */
		__atomic_store_n(&in_flight, NULL, __ATOMIC_RELAXED);

		e = __atomic_exchange_n(&extra, NULL, __ATOMIC_ACQ_REL);
		kmem_cache_free(extra_cache, e);
		e = kmem_cache_alloc(extra_cache, GFP_KERNEL);
		KT_ASSERT(e);
		__atomic_store_n(&extra, e, __ATOMIC_RELEASE);
	}
	return NULL;
}

static unsigned long hidden;
#define HIDE	0x5a5a5a5a5a5a5a5aUL

static noinline void leak_one(void)
{
	void *volatile p = kmalloc(200, GFP_KERNEL);

	KT_ASSERT(p);
	hidden = (unsigned long)p ^ HIDE;
	p = NULL;
}

int main(void)
{
	int reports = 0;
	time_t start;
	pthread_t t;

	KT_EQ(ukmem_init(""), 0);
	extra_cache = kmem_cache_create("reuse_extra", 48, 0, 0, NULL);
	KT_ASSERT(extra_cache);
	extra = kmem_cache_alloc(extra_cache, GFP_KERNEL);
	for (int i = 0; i < NODES; i++) {
		struct node *n = kmalloc(sizeof(*n), GFP_KERNEL);

		n->payload = kmalloc(32, GFP_KERNEL);
		n->next = head;
		head = n;
	}
	KT_EQ(pthread_create(&t, NULL, churn, NULL), 0);
	usleep(1000);
	start = time(NULL);
	for (int k = 0; k < SCANS && time(NULL) - start < SCAN_SECONDS; k++) {
		char *out = kt_show("kmemleak");

		if (strstr(out, "unreferenced object")) {
			reports++;
			if (reports == 1)
				fprintf(stderr, "scan %d:\n%s", k, out);
		}
		free(out);
	}
	KT_EQ(reports, 0);
	leak_one();
	kt_scrub_stack();
	{
		char *out = kt_show("kmemleak");

		KT_CONTAINS(out, "(size 256):");	/* its kmalloc class */
		free(out);
	}
	kfree((void *)(hidden ^ HIDE));
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	while (head) {
		struct node *n = head;

		head = n->next;
		kfree(n->payload);
		kfree(n);
	}
	kmem_cache_free(extra_cache, extra);
	kmem_cache_destroy(extra_cache);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
