/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("slabinfo"): /proc/slabinfo, version 2.1, SLUB's columns, one line per cache
 * (the kmalloc caches included), newest cache first as the kernel lists them.
 *
 * active_objs counts live objects exactly (objects in threads' arrays and in the depot are
 * free, not active);
 * the figures are a snapshot and exact when no other thread is allocating.
 *
 * Locking: slab.mutex while walking the caches, each cache's lock for its counters.
 */
#include <linux/kernel.h>
#include "slab/slab.h"

struct slabinfo_line {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
};

static void cache_info(struct kmem_cache *s, struct slabinfo_line *l)
{
	unsigned long inuse, cached;

	cached = ukmem__slab_cached_objects(s);
	pthread_mutex_lock(&s->lock);
	inuse = s->inuse;
	l->num_slabs = s->nr_slabs;
	l->active_slabs = s->nr_slabs;
	pthread_mutex_unlock(&s->lock);
	l->num_objs = l->num_slabs * s->objects;
	l->active_objs = inuse > cached ? inuse - cached : 0;
}

/**
 * ukmem__slab_show - print /proc/slabinfo to out
 */
int ukmem__slab_show(FILE *out, const char *arg)
{
	struct kmem_cache *s;

	fprintf(out, "slabinfo - version: 2.1\n");
	fprintf(out, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	fprintf(out, " : tunables <limit> <batchcount> <sharedfactor>");
	fprintf(out, " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	pthread_mutex_lock(&ukmem__slab.mutex);
	list_for_each_entry(s, &ukmem__slab.caches, list) {
		struct slabinfo_line l;

		cache_info(s, &l);
		fprintf(out, "%-17s %6lu %6lu %6u %4u %4d", s->name, l.active_objs, l.num_objs,
			s->size, s->objects, 1 << s->order);
		fprintf(out, " : tunables %4u %4u %4u", 0, 0, 0);
		fprintf(out, " : slabdata %6lu %6lu %6lu\n", l.active_slabs, l.num_slabs, 0UL);
	}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	return 0;
}
