/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("slabinfo"): version 2.1 header, one line per cache including every kmalloc
 * cache, and counts that match the live objects exactly, also while other threads hold
 * free objects in their per-thread arrays; slab memory shows in meminfo.
 */
#include <pthread.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

struct line { long active, num, objsize, perslab, pages, active_slabs, num_slabs; };

static char *slabinfo(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	KT_EQ(ukmem_show("slabinfo", f), 0);
	fclose(f);
	return buf;
}

static bool find(const char *cache, struct line *l)
{
	char *buf = slabinfo(), *save = NULL;
	bool found = false;

	for (char *ln = strtok_r(buf, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		char name[64];
		long t1, t2, t3;

		if (sscanf(ln, "%63s %ld %ld %ld %ld %ld : tunables %ld %ld %ld : slabdata %ld %ld",
			   name, &l->active, &l->num, &l->objsize, &l->perslab, &l->pages, &t1, &t2,
			   &t3, &l->active_slabs, &l->num_slabs) == 11 && !strcmp(name, cache)) {
			found = true;
			break;
		}
	}
	free(buf);
	return found;
}

static long active(const char *cache)
{
	struct line l;

	KT_ASSERT(find(cache, &l));
	return l.active;
}

static struct kmem_cache *shared_cache;
static pthread_barrier_t barrier;

static void *churn(void *arg)
{
	void *p[50];

	/* Allocate and free: the objects stay cached in this thread's array. */
	for (int i = 0; i < 50; i++)
		p[i] = kmem_cache_alloc(shared_cache, GFP_KERNEL);
	for (int i = 0; i < 50; i++)
		kmem_cache_free(shared_cache, p[i]);
	p[0] = kmem_cache_alloc(shared_cache, GFP_KERNEL);	/* one stays live */
	pthread_barrier_wait(&barrier);			/* main checks the counts */
	pthread_barrier_wait(&barrier);
	kmem_cache_free(shared_cache, p[0]);
	return NULL;
}

int main(void)
{
	static const char *const kmalloc_names[] = {
		"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
		"kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
		"kmalloc-4k", "kmalloc-8k", "kmalloc-rcl-64", "dma-kmalloc-512",
	};
	struct kmem_cache *c;
	void *objs[1000];
	struct line l;
	char *buf;
	pthread_t t[2];

	KT_EQ(ukmem_init(getenv("UKMEM_CMDLINE") ? getenv("UKMEM_CMDLINE") : ""), 0);	/* ukmem.annotate=0 under ASan */
	buf = slabinfo();
	KT_ASSERT(!strncmp(buf, "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n", 200));
	free(buf);
	for (size_t i = 0; i < sizeof(kmalloc_names) / sizeof(kmalloc_names[0]); i++)
		KT_ASSERT(find(kmalloc_names[i], &l));
	KT_ASSERT(find("kmalloc-64", &l));
	KT_EQ(l.objsize, 64);
	KT_EQ(l.perslab, 64);
	KT_EQ(l.pages, 1);
	KT_ASSERT(find("kmalloc-8k", &l));
	KT_EQ(l.objsize, 8192);
	KT_EQ(l.pages * 4096 / 8192, l.perslab);

	c = kmem_cache_create("counted", 100, 0, 0, NULL);
	KT_ASSERT(find("counted", &l));
	KT_EQ(l.active, 0);
	KT_EQ(l.num, 0);
	for (int i = 0; i < 1000; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(find("counted", &l));
	KT_EQ(l.active, 1000);
	KT_EQ(l.objsize, 104);
	KT_ASSERT(l.num >= 1000 && l.num == l.num_slabs * l.perslab);
	for (int i = 0; i < 400; i++)
		kmem_cache_free(c, objs[i]);
	KT_EQ(active("counted"), 600);
	for (int i = 400; i < 1000; i++)
		kmem_cache_free(c, objs[i]);
	KT_EQ(active("counted"), 0);
	kmem_cache_shrink(c);
	KT_ASSERT(find("counted", &l));
	KT_EQ(l.num_slabs, 0);

	/* kmalloc caches count too. */
	{
		long before = active("kmalloc-192");

		for (int i = 0; i < 300; i++)
			objs[i] = kmalloc(150, GFP_KERNEL);
		KT_EQ(active("kmalloc-192"), before + 300);
		for (int i = 0; i < 300; i++)
			kfree(objs[i]);
		KT_EQ(active("kmalloc-192"), before);
	}

	/* Objects cached by other threads are free, not active. */
	shared_cache = c;
	pthread_barrier_init(&barrier, NULL, 3);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, churn, NULL);
	pthread_barrier_wait(&barrier);
	KT_EQ(active("counted"), 2);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	KT_EQ(active("counted"), 0);
	kmem_cache_destroy(c);
	KT_ASSERT(!find("counted", &l));

	/* Slab memory appears in meminfo. */
	{
		char *m = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&m, &len);

		KT_EQ(ukmem_show("meminfo", f), 0);
		fclose(f);
		KT_CONTAINS(m, "Slab:");
		KT_CONTAINS(m, "SUnreclaim:");
		free(m);
	}
	KT_EQ(ukmem_report_count(), 0);
	printf("test_slabinfo: ok\n");
	return 0;
}
