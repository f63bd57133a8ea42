/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("kmemleak") while another thread grows a list at its head: every node stays
 * reachable from a global, and no scan may call any of them a leak.  (A node allocated after
 * the scan took its list of objects was unknown to it, so the nodes below it, reachable only
 * through it, were reported: hundreds a scan.)  Objects freed during a scan are no leaks
 * either.  And a real leak made meanwhile is still found: a scan that found nothing would
 * pass the rest.  The list stops growing at LIST_MAX nodes (objects are still allocated and
 * freed meanwhile): a list that grew without bound made each scan longer than the last, and
 * under ThreadSanitizer ten scans took minutes.  (Addresses freed and reused during a scan
 * are test_kmemleak_scan_reuse's.)
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

#define LIST_MAX	8192

static struct node *head;
static bool stop;

static void *grow(void *arg)
{
	for (long len = 0; !__atomic_load_n(&stop, __ATOMIC_RELAXED); len++) {
		if (len < LIST_MAX) {
			struct node *n = kmalloc(sizeof(*n), GFP_KERNEL);

			n->next = __atomic_load_n(&head, __ATOMIC_RELAXED);
			n->v = 0;
			__atomic_store_n(&head, n, __ATOMIC_RELEASE);
		}
		kfree(kmalloc(24, GFP_KERNEL));		/* and objects freed meanwhile */
		usleep(20);
	}
	return NULL;
}

/* One object nothing points to (its address kept scrambled, for the clean-up): the scans
 * while the thread runs must still find it.  kmalloc's frames left its address below this
 * thread's stack pointer, and the frames of the scan's callers (kt_show, ukmem_show) do not
 * write every slot they occupy (an instrumented build's frames have unwritten redzones): a
 * stale copy there would be a reference, as in the kernel's scan.  kt_scrub_stack() clears it. */
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
	pthread_t t;

	KT_EQ(ukmem_init(""), 0);
	KT_EQ(pthread_create(&t, NULL, grow, NULL), 0);
	usleep(10000);
	for (int k = 0; k < 10; k++) {
		char *out = kt_show("kmemleak");

		KT_NOT_CONTAINS(out, "unreferenced object");
		free(out);
	}
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
		kfree(n);
	}
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
