/* SPDX-License-Identifier: MIT */
/*
 * The resource tree (iomem_resource, ioport_resource): nested, sorted, non-overlapping ranges
 * of physical address space.  Start-up enters the RAM layout; drivers request regions below.
 *
 * Invariants: siblings are sorted by start and never overlap; every child lies inside its
 * parent.  A busy resource (IORESOURCE_BUSY) is never descended into by __request_region.
 * A resource leaves the tree alone: whatever lies below it when it is released (an emulated
 * device's entry below a platform resource or a driver's claim) moves up to its parent, so
 * no resource in the tree ever names a parent that has left it.
 * Locking: resource_lock guards every tree; it is a leaf lock (nothing is taken inside).
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <linux/ioport.h>
#include <linux/sched.h>
#include "core/core.h"
#include "mm/mm.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"

struct resource ioport_resource = {
	.name = "PCI IO", .start = 0, .end = 0xffff, .flags = IORESOURCE_IO,
};
struct resource iomem_resource = {
	.name = "PCI mem", .start = 0, .end = ~(resource_size_t)0, .flags = IORESOURCE_MEM,
};
static pthread_mutex_t resource_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every entry point takes the tree through here: the RAM that start-up enters must be in the
 * tree before anyone else looks, or a first call could take a range that start-up then finds
 * taken. */
static void tree_lock(void)
{
	ukmem__ensure_started();
	pthread_mutex_lock(&resource_lock);
}

/* Link @new below @root, or return what it collides with (@root if it does not fit). */
static struct resource *request_locked(struct resource *root, struct resource *new)
{
	struct resource **p = &root->child, *tmp;

	if (new->end < new->start || new->start < root->start || new->end > root->end)
		return root;
	for (;;) {
		tmp = *p;
		if (!tmp || tmp->start > new->end) {
			new->sibling = tmp;
			*p = new;
			new->parent = root;
			new->child = NULL;
			return NULL;
		}
		p = &tmp->sibling;
		if (tmp->end < new->start)
			continue;
		return tmp;
	}
}

/* Take old (at *p in its parent's list) out of the tree; its children take its place. */
static void unlink_locked(struct resource **p, struct resource *old)
{
	struct resource *chd = old->child;

	*p = old->sibling;
	if (chd) {
		for (;; chd = chd->sibling) {
			chd->parent = old->parent;
			if (!chd->sibling)
				break;
		}
		chd->sibling = old->sibling;
		*p = old->child;
		old->child = NULL;
	}
	old->parent = NULL;
	old->sibling = NULL;
}

static int release_locked(struct resource *old)
{
	struct resource **p;

	if (!old->parent)
		return -EINVAL;
	for (p = &old->parent->child; *p; p = &(*p)->sibling)
		if (*p == old) {
			unlink_locked(p, old);
			return 0;
		}
	return -EINVAL;
}

struct resource *request_resource_conflict(struct resource *root, struct resource *new)
{
	struct resource *conflict;

	tree_lock();
	conflict = request_locked(root, new);
	pthread_mutex_unlock(&resource_lock);
	return conflict;
}

int request_resource(struct resource *root, struct resource *new)
{
	return request_resource_conflict(root, new) ? -EBUSY : 0;
}

/**
 * release_resource - take @old out of the tree
 *
 * Resources still below @old take its place in its parent, as remove_resource() gives
 * them (6.1 takes the subtree out with it, leaving those resources out of the tree with a
 * parent that their owner may free: an emulated device below a platform device's resource
 * would vanish from iomem when the platform device goes).
 * Return: 0, or -EINVAL when @old is not in a tree.
 */
int release_resource(struct resource *old)
{
	int err;

	tree_lock();
	err = release_locked(old);
	pthread_mutex_unlock(&resource_lock);
	return err;
}

/**
 * insert_resource - insert @new below @parent, adopting the resources that lie inside it
 *
 * @new goes down into a resource that holds it (busy or not, as in 6.1), one with exactly
 * @new's range included (6.1 adopts that one: here whatever comes later nests below, so an
 * emulated device stays above the platform resource registered after it, as docs/io.md
 * shows).  Inserting a resource that is in the tree already is 6.1's "duplicated
 * insertion" WARN_ON.
 * Return: 0, or -EBUSY (a partial overlap, a range outside @parent, a duplicate).
 */
int insert_resource(struct resource *parent, struct resource *new)
{
	struct resource *first, *next, **p;
	int err = 0;

	tree_lock();
	for (;; parent = first) {
		first = request_locked(parent, new);
		if (!first)
			goto out;
		if (first == parent || first == new) {
			err = -EBUSY;
			goto out;
		}
		if (first->start > new->start || first->end < new->end)
			break;	/* adopt @first and its siblings inside @new */
	}
	if (first->start < new->start) {
		err = -EBUSY;
		goto out;
	}
	for (next = first; next->sibling && next->sibling->start <= new->end; next = next->sibling)
		;
	if (next->end > new->end) {
		err = -EBUSY;
		goto out;
	}
	new->parent = parent;
	new->sibling = next->sibling;
	new->child = first;
	next->sibling = NULL;
	for (struct resource *r = first; r; r = r->sibling)
		r->parent = new;
	for (p = &parent->child; *p != first; p = &(*p)->sibling)
		;
	*p = new;
out:
	pthread_mutex_unlock(&resource_lock);
	WARN_ON(first == new);		/* the kernel's "duplicated insertion" */
	return err;
}

/**
 * __request_region - claim [start, start + n) below @parent for a driver (busy)
 * @name: the claimer's name, shown in iomem/ioports (not copied)
 * @flags: more IORESOURCE_* bits (IORESOURCE_EXCLUSIVE)
 *
 * Goes down into non-busy resources that hold the range (a device, a window).  May sleep
 * (its resource is a GFP_KERNEL allocation in 6.1): atomic context is reported.
 * Return: the claimed resource, or NULL (a busy or partial overlap, no memory).
 */
struct resource *__request_region(struct resource *parent, resource_size_t start,
				  resource_size_t n, const char *name, int flags)
{
	struct resource *res;

	/* The kernel's alloc_resource is a kzalloc(GFP_KERNEL): it may sleep, and failslab
	 * reaches it. */
	might_sleep();
	if (ukmem__debug_hooked() && ukmem__should_fail(UKMEM_FAULT_OTHER, GFP_KERNEL, sizeof(*res)))
		return NULL;
	res = calloc(1, sizeof(*res));
	if (!res)
		return NULL;
	res->name = name;
	res->start = start;
	res->end = start + n - 1;
	res->flags = resource_type(parent) | (parent->flags & IORESOURCE_EXT_TYPE_BITS) |
		     IORESOURCE_BUSY | (unsigned long)flags;
	res->desc = parent->desc;
	tree_lock();
	for (;;) {
		struct resource *conflict = request_locked(parent, res);

		if (!conflict)
			break;
		if (conflict != parent && !(conflict->flags & IORESOURCE_BUSY)) {
			parent = conflict;
			continue;
		}
		pthread_mutex_unlock(&resource_lock);
		free(res);
		return NULL;
	}
	pthread_mutex_unlock(&resource_lock);
	/* kmemleak reports a region never released: the struct is the key, never read. */
	ukmem__leak_track(res, n, UKMEM_LEAK_RESOURCE, _RET_IP_);
	return res;
}

/**
 * __release_region - release the busy region [start, start + n) claimed below @parent
 *
 * Resources below the region (an emulated device added inside a claim) move up to its
 * parent.  A range that is no claimed region warns "Trying to free nonexistent resource".
 */
void __release_region(struct resource *parent, resource_size_t start, resource_size_t n)
{
	resource_size_t end = start + n - 1;
	struct resource **p;

	tree_lock();
	p = &parent->child;
	while (*p) {
		struct resource *res = *p;

		if (res->start > start || res->end < end) {
			p = &res->sibling;
			continue;
		}
		if (!(res->flags & IORESOURCE_BUSY)) {
			p = &res->child;
			continue;
		}
		if (res->start != start || res->end != end)
			break;
		unlink_locked(p, res);
		pthread_mutex_unlock(&resource_lock);
		ukmem__leak_untrack(res, UKMEM_LEAK_RESOURCE);
		free(res);
		return;
	}
	pthread_mutex_unlock(&resource_lock);
	pr_warn("Trying to free nonexistent resource <%pa-%pa>\n", &start, &end);
}

/**
 * remove_resource - take a resource that insert_resource() placed out of the tree
 * @old: the resource; its children move up to its parent, in place
 *
 * Return: 0, or -EINVAL when @old is not in a tree.
 */
int remove_resource(struct resource *old)
{
	int err;

	pthread_mutex_lock(&resource_lock);
	err = release_locked(old);
	pthread_mutex_unlock(&resource_lock);
	return err;
}

static bool type_match(const struct resource *p, unsigned long flags, unsigned long desc)
{
	return (p->flags & flags) == flags && (desc == IORES_DESC_NONE || desc == p->desc);
}

/* The resource after d in a depth-first walk of root's descendants, or NULL. */
static struct resource *next_below(struct resource *root, struct resource *d)
{
	if (d->child)
		return d->child;
	while (!d->sibling && d->parent != root)
		d = d->parent;
	return d->sibling;
}

/* 6.1's look below a top-level resource p that is not of the kind: every matching
 * descendant (any depth) that overlaps [start, end] counts in *type, and they cover p's part
 * of it, [s, e], when they reach from s to e without a gap. */
static bool covered_below(struct resource *p, resource_size_t start, resource_size_t end,
			  resource_size_t s, resource_size_t e, unsigned long flags,
			  unsigned long desc, int *type)
{
	for (struct resource *d = p->child; d; d = next_below(p, d)) {
		if (d->end < start || d->start > end || !type_match(d, flags, desc))
			continue;
		(*type)++;
		if (d->start > s)
			return false;
		if (d->end >= e)
			return true;
		s = max(s, d->end + 1);
	}
	return false;
}

/**
 * region_intersects - how [start, start + size) relates to resources of a kind
 * @flags: IORESOURCE_* bits a resource must have (e.g. IORESOURCE_SYSTEM_RAM)
 * @desc: IORES_DESC_* it must have, or IORES_DESC_NONE for any
 *
 * Looks at the top level of iomem_resource and, below a top-level resource that does not
 * match, at its descendants (any depth), as 6.1: each matching one counts, and the
 * resource counts as another kind unless they cover its part of the range.  Ranges with no
 * resource at all count for neither side.
 *
 * Return: REGION_DISJOINT (no match), REGION_INTERSECTS (only matches) or REGION_MIXED.
 */
int region_intersects(resource_size_t start, size_t size, unsigned long flags,
		      unsigned long desc)
{
	resource_size_t end = start + size - 1;
	int type = 0, other = 0;

	pthread_mutex_lock(&resource_lock);
	for (struct resource *p = iomem_resource.child; p; p = p->sibling) {
		resource_size_t s = max(p->start, start), e = min(p->end, end);

		if (s > e)
			continue;
		if (type_match(p, flags, desc))
			type++;
		else if (!covered_below(p, start, end, s, e, flags, desc, &type))
			other++;
	}
	pthread_mutex_unlock(&resource_lock);
	if (!type)
		return REGION_DISJOINT;
	return other ? REGION_MIXED : REGION_INTERSECTS;
}

/**
 * ukmem__resource_for_each - call fn on every resource below root, depth first, locked
 * @fn: gets the resource and its depth; must not touch the tree
 */
void ukmem__resource_for_each(struct resource *root,
			      void (*fn)(const struct resource *r, int depth, void *arg),
			      void *arg)
{
	int depth = 0;

	pthread_mutex_lock(&resource_lock);
	for (struct resource *p = root->child; p;) {
		fn(p, depth, arg);
		if (p->child) {
			p = p->child;
			depth++;
			continue;
		}
		while (!p->sibling && p->parent != root) {
			p = p->parent;
			depth--;
		}
		p = p->sibling;
	}
	pthread_mutex_unlock(&resource_lock);
}

/**
 * iomem_map_sanity_check - does [addr, addr + size) spill out of a hardware resource?
 *
 * A non-busy resource (a device, a window) that the range overlaps but does not lie in (at
 * page granularity) makes it warn "resource sanity check: requesting [mem ...], which spans
 * more than NAME [mem ...]" and return -1; busy resources (drivers' claims) are not checked.
 * Return: 0 when the range is sane.
 */
int iomem_map_sanity_check(resource_size_t addr, unsigned long size)
{
	resource_size_t end = addr + size - 1;
	struct resource *p, *bad = NULL;

	pthread_mutex_lock(&resource_lock);
	for (p = iomem_resource.child; p && !bad;) {
		if (p->start <= end && p->end >= addr && !(p->flags & IORESOURCE_BUSY) &&
		    !(PHYS_PFN(p->start) <= PHYS_PFN(addr) && PHYS_PFN(p->end) >= PHYS_PFN(end)))
			bad = p;
		if (p->child) {
			p = p->child;
			continue;
		}
		while (!p->sibling && p->parent != &iomem_resource)
			p = p->parent;
		p = p->sibling;
	}
	if (bad)
		pr_warn("resource sanity check: requesting [mem %pa-%pa], which spans more than "
			"%s %pR\n", &addr, &end, bad->name, bad);
	pthread_mutex_unlock(&resource_lock);
	return bad ? -1 : 0;
}

static void show_tree(FILE *out, const struct resource *r, int depth, int width)
{
	for (; r; r = r->sibling) {
		fprintf(out, "%*s%0*llx-%0*llx : %s\n", depth * 2, "", width,
			(unsigned long long)r->start, width, (unsigned long long)r->end,
			r->name ? r->name : "<BAD>");
		show_tree(out, r->child, depth + 1, width);
	}
}

int ukmem__show_iomem(FILE *out, const char *arg)
{
	tree_lock();
	show_tree(out, iomem_resource.child, 0, 8);
	pthread_mutex_unlock(&resource_lock);
	return 0;
}

int ukmem__show_ioports(FILE *out, const char *arg)
{
	pthread_mutex_lock(&resource_lock);
	show_tree(out, ioport_resource.child, 0, 4);
	pthread_mutex_unlock(&resource_lock);
	return 0;
}

int ukmem__resource_init(void)
{
	static struct resource ram_res[2], low_res = {
		.name = "Reserved", .start = 0, .end = UKMEM_RESERVED_LOW - 1,
		.flags = IORESOURCE_MEM | IORESOURCE_BUSY, .desc = IORES_DESC_RESERVED,
	};
	int err = request_resource(&iomem_resource, &low_res);

	for (int i = 0; i < ukmem__mm.nr_ram && !err; i++) {
		ram_res[i] = (struct resource){
			.name = "System RAM",
			.start = max(ukmem__mm.ram[i].start, (phys_addr_t)UKMEM_RESERVED_LOW),
			.end = ukmem__mm.ram[i].end - 1,
			.flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
		};
		err = request_resource(&iomem_resource, &ram_res[i]);
	}
	return err;
}
