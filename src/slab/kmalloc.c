/* SPDX-License-Identifier: MIT */
/*
 * kmalloc and kfree: the size classes (8 .. 8 KiB, plus 96 and 192) in three kinds (normal,
 * reclaimable, DMA), larger sizes straight from the page allocator as compound pages, the
 * object-cache entry points, and the checks every free goes through.
 *
 * A free finds its cache from the page in O(1).  Before anything is touched it checks the
 * pointer: in the direct map, on a slab page, the start of an object, not the object this
 * thread freed last.  A pointer that fails is reported (KASAN's invalid-free / double-free)
 * and ignored, so a bad free never corrupts the allocator.  A large kmalloc is recognised by
 * a mark in its head page (page->index), so kfree of a page from alloc_pages is refused too;
 * the free takes the mark with a compare-and-swap, so of two kfrees of one block at once
 * exactly one releases it;
 * its head's page->private holds the size asked for (what kmemleak reports, as the kernel's).
 * With kasan=on a freed large block waits in the quarantine (src/debug/kasan.c) marked
 * UKMEM_KMALLOC_LARGE_FREED, so that a second kfree of it is known.
 *
 * Locking: none here; see slub.c.
 */
#include <string.h>
#include <linux/kernel.h>
#include "slab/slab.h"
#include "mm/mm.h"
#include "debug/slab_debug.h"
#include "debug/annotate.h"

/* ---- reports ---- */
noinline void ukmem__slab_report_free(const char *bug, const void *p, const char *why,
				      struct kmem_cache *s, unsigned long caller)
{
	struct ukmem__cpu *c = ukmem__cpu();

	if (!caller)
		caller = _RET_IP_;
	ukmem__report_begin();
	printk(KERN_ERR "==================================================================\n");
	printk(KERN_ERR "BUG: KASAN: %s in %pB\n", bug, (void *)caller);
	printk(KERN_ERR "Free of addr %px by task %s/%d\n", p, c->task.comm, c->task.pid);
	printk(KERN_ERR "\n");
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	printk(KERN_ERR "\n");
	if (s && ukmem__virt_to_slab(p)) {	/* else it is no object of s's: say nothing of one */
		void *start = ukmem__slab_object_start(p);

		printk(KERN_ERR "The buggy address belongs to the object at %px\n which belongs to the cache %s of size %u\n",
		       start ? start : (void *)p, s->name, s->object_size);
		if (start && start != p)
			printk(KERN_ERR "The buggy address is located %ld bytes inside of\n %u-byte region [%px, %px)\n",
			       (long)((const char *)p - (char *)start), s->object_size, start,
			       (char *)start + s->object_size);
	}
	printk(KERN_ERR "Expected the start of a live kmalloc or slab object: %s.  The free is ignored.\n",
	       why);
	printk(KERN_ERR "==================================================================\n");
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static noinline void kfree_nonslab(const void *p, unsigned long caller);
static noinline void *kmalloc_large_for(size_t size, gfp_t gfp, unsigned long caller);
static noinline void kfree_checked_slow(const void *p, unsigned long caller);

/* ---- lookups ---- */
static __always_inline unsigned int kmalloc_index_of(size_t size)
{
	if (size <= 192)
		return ukmem__slab.size_index[(size - 1) / 8];
	return 64 - __builtin_clzl(size - 1);
}

/* The kmalloc cache for 1 .. KMALLOC_MAX_CACHE_SIZE bytes (never NULL). */
static __always_inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp)
{
	return ukmem__kmalloc_caches[kmalloc_type(gfp)][kmalloc_index_of(size)];
}

/* DMA and reclaimable requests, and zeroed ones, out of line so the common case is one
 * table load. */
static noinline void *kmalloc_typed(size_t size, gfp_t gfp)
{
	return ukmem__slab_alloc_sized(kmalloc_slab(size, gfp), gfp, size);
}

struct kmem_cache *ukmem__kmalloc_slab(size_t size, gfp_t gfp)
{
	return size ? kmalloc_slab(size, gfp) : ZERO_SIZE_PTR;
}

void *ukmem__slab_object_start(const void *p)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	struct page *head;

	if (slab) {
		struct kmem_cache *s = slab->slab_cache;
		unsigned long rel = (unsigned long)p - (unsigned long)slab_address(slab);
		unsigned long idx = rel / s->size;

		if (unlikely(s->debug))
			return ukmem__debug_object_start(s, p);
		return idx < s->objects ? (char *)slab_address(slab) + idx * s->size : NULL;
	}
	if (ukmem__is_kfence_address(p))
		return ukmem__kfence_object_start(p);
	if (!virt_addr_valid(p))
		return NULL;
	head = compound_head(virt_to_page(p));
	if (PageHead(head) && head->index == UKMEM_KMALLOC_LARGE)
		return page_address(head);
	return NULL;
}

/* ---- allocation ---- */
/* kzalloc: the fast path's object zeroed whole, as 6.1's post-allocation hook zeroes
 * object_size (a tail call to memset: no frame), or the slow path, which zeroes its own.
 * Reached by a tail call, so _RET_IP_ is the entry point's caller. */
noinline void *ukmem__slab_alloc_zeroed(struct kmem_cache *s, gfp_t gfp, size_t orig)
{
	void *obj = ukmem__slab_try_plain(s, gfp);

	if (likely(obj))
		return memset(obj, 0, s->object_size);
	return ukmem__slab_alloc_slow(s, gfp, _RET_IP_, orig);
}

/* kmalloc's slow path by size (the cache found again): the fast path keeps the size where it
 * arrived, as this call's first argument, instead of moving it aside for the slow path.
 * 0 and the large sizes (size - 1 wraps round for 0) come here too, so that the fast path
 * has one slow call, and the caller is read for it alone. */
static noinline void *kmalloc_slow(size_t size, gfp_t gfp, unsigned long caller)
{
	if (size - 1 >= KMALLOC_MAX_CACHE_SIZE)
		return size ? kmalloc_large_for(size, gfp, caller) : ZERO_SIZE_PTR;
	return ukmem__slab_alloc_slow(kmalloc_slab(size, gfp), gfp, caller, size);
}

/*
 * __kmalloc's body, inlined into each entry point.  Sizes up to 192 (the common ones) are
 * told apart with one test, and their cache is one load from a table indexed by
 * (size - 1) / 8; the rest are one bsr away (64 - clz(size - 1)), 0 and the large sizes
 * (size - 1 wraps round for 0) last.  The gfp test comes after the cache load: DMA,
 * reclaimable and zeroed requests go out of line.  @caller is the slow path's (the large
 * block's owner for kmemleak, the debug caches' track); 0 stands for _RET_IP_, which is then
 * read on the slow branch only (a return address passed in is read on entry).
 */
static __always_inline void *kmalloc_sized(size_t size, gfp_t gfp, unsigned long caller)
{
	size_t size_1 = size - 1;
	struct kmem_cache *s;
	void *obj;

	if (likely(size_1 < 192))
		s = ukmem__slab.size_cache[size_1 / 8];
	else if (likely(size_1 < KMALLOC_MAX_CACHE_SIZE))
		s = (&ukmem__kmalloc_caches[KMALLOC_NORMAL][1])[63 ^ __builtin_clzl(size_1)];
	else
		return kmalloc_slow(size, gfp, caller ?: _RET_IP_);	/* 0 or large */
	if (unlikely(gfp & (KMALLOC_NOT_NORMAL_BITS | __GFP_ZERO)))	/* one test for both */
		return kmalloc_typed(size, gfp);
	obj = ukmem__slab_try_plain(s, gfp);
	if (likely(obj))
		return obj;
	return kmalloc_slow(size, gfp, caller ?: _RET_IP_);
}

void *__kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_sized(size, gfp, 0);
}

void *__kmalloc_node(size_t size, gfp_t gfp, int node)
{
	return kmalloc_sized(size, gfp, 0);
}

void *__kmalloc_node_track_caller(size_t size, gfp_t gfp, int node, unsigned long caller)
{
	return kmalloc_sized(size, gfp, caller);
}

/**
 * kmalloc_trace - kmalloc from a known size class (what kmalloc() of a constant size calls)
 */
void *kmalloc_trace(struct kmem_cache *s, gfp_t gfp, size_t size)
{
	return ukmem__slab_alloc_sized(s, gfp, size);
}

void *kmalloc_node_trace(struct kmem_cache *s, gfp_t gfp, int node, size_t size)
{
	return ukmem__slab_alloc_sized(s, gfp, size);
}

/* A compound page block for kmalloc of @size on behalf of @caller (kmemleak names it). */
static noinline void *kmalloc_large_for(size_t size, gfp_t gfp, unsigned long caller)
{
	/* At least order 1: kfree knows a large block by the mark in its compound head, and an
	 * order-0 page (a direct kmalloc_large() of a small size) has no head. */
	unsigned int order = size > KMALLOC_MAX_SIZE ? MAX_ORDER : max(get_order(size), 1);
	struct page *page;

	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = ukmem__kmalloc_fix_flags(gfp);
	page = ukmem__alloc_pages_caller(gfp | __GFP_COMP, order, caller);

	if (!page)
		return NULL;
	page->index = UKMEM_KMALLOC_LARGE;
	set_page_private(page, size);	/* the requested size: kmemleak reports it, as the kernel's */
	ukmem__stat_add(UKMEM_STAT_SLAB_UNRECLAIMABLE_B, (long)(PAGE_SIZE << order));
	if (unlikely(ukmem__cfg.kasan))		/* the slack past size: a red zone */
		ukmem__kasan_kmalloc_large(page, size);
	return page_address(page);
}

/**
 * kmalloc_large - kmalloc above KMALLOC_MAX_CACHE_SIZE: a compound page block
 */
void *kmalloc_large(size_t size, gfp_t gfp)
{
	return kmalloc_large_for(size, gfp, _RET_IP_);
}

void *kmalloc_large_node(size_t size, gfp_t gfp, int node)
{
	return kmalloc_large_for(size, gfp, _RET_IP_);
}

/* The object-cache entry points take the cache from the caller: a NULL cache gets NULL
 * (the fast path must not see it: an empty hot object's cache is NULL). */
static __always_inline void *cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	if (unlikely(!s))
		return NULL;
	return ukmem__slab_alloc(s, gfp);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return cache_alloc(s, gfp);
}

void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru, gfp_t gfp)
{
	return cache_alloc(s, gfp);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node)
{
	return cache_alloc(s, gfp);
}

/* ---- freeing ---- */
static noinline void bad_slab_free(struct kmem_cache *s, const void *p, unsigned long caller)
{
	ukmem__slab_report_free("invalid-free", p,
		"the pointer is inside an object, not at its start", s, caller);
}

/**
 * kfree - free memory from kmalloc and friends
 * @objp: what kmalloc returned; NULL and ZERO_SIZE_PTR are ignored
 *
 * A pointer that is not a live kmalloc object is reported and left alone.
 */
/* kfree()'s body, inlined into each entry point, so that _RET_IP_ (read only on the slow
 * branches: a caller passed in would be loaded on the fast path too) names the entry point's
 * caller: kfree's, or kfree_bulk's. */
static __always_inline void kfree_inline(const void *objp)
{
	struct kmem_cache *s = ukmem__free_check(objp);

	if (unlikely(!s)) {
		kfree_checked_slow(objp, _RET_IP_);
		return;
	}
	ukmem__slab_free(s, (void *)objp);
}

void kfree(const void *objp)
{
	kfree_inline(objp);
}

/* kmem_cache_free with @s (NULL too) of an object of cache @from (NULL: destroyed): 6.1's
 * cache_from_obj warning, then its print_tracking of @obj (on a slab of @from; NULL: none).
 * The caller then frees the object into the cache it is from, as 6.1's kmem_cache_free does
 * with the cache cache_from_obj returns. */
noinline void ukmem__slab_wrong_cache(const struct kmem_cache *s, struct kmem_cache *from,
				      void *obj)
{
	WARN(1, "%s: Wrong slab cache. %s but object is from %s\n", "cache_from_obj",
	     s ? s->name : "(null)", from ? from->name : "<destroyed>");
	if (from && obj && from->debug)
		ukmem__debug_print_tracking(from, obj);
}

/* kmem_cache_free(@s, @p) of an object on a slab of @real: the warning, then the free
 * kmem_cache_free(real, p) would make, with all of real's checks (a double free, a pointer
 * inside an object, a debug cache's) on behalf of @caller. */
static noinline void free_to_real_cache(struct kmem_cache *s, struct kmem_cache *real,
					const void *p, unsigned long caller)
{
	ukmem__slab_wrong_cache(s, real, (void *)p);
	if (ukmem__free_check(p) == real)
		ukmem__slab_free_slow(real, (void *)p, caller);
	else
		ukmem__slab_bad_cache_free(real, p, caller);
}

noinline void ukmem__slab_bad_cache_free(struct kmem_cache *s, const void *p, unsigned long caller)
{
	struct slab *slab = ukmem__virt_to_slab(p);

	if (ukmem__is_kfence_address(p)) {
		struct kmem_cache *owner = ukmem__kfence_cache_of(p);

		if (!s && owner) {	/* not a kfree: a cache named, and none given */
			ukmem__slab_wrong_cache(s, owner, NULL);
			s = NULL;	/* then freed as kfree would: into its own cache */
		}
		if (ukmem__kfence_free(s, p, caller))	/* warns of a wrong cache itself */
			return;
	}
	if (ukmem__slab_plain_object(slab, s, p)) {
		ukmem__slab_free_tracked(s, (void *)p);
		return;
	}
	if (slab && slab->slab_cache == s && s->debug) {
		ukmem__debug_free(s, p, caller);
		return;
	}
	if (!slab) {
		bool outside = ZERO_OR_NULL_PTR(p) || !virt_addr_valid(p);

		ukmem__slab_report_free("invalid-free", p, outside ?
			"kmem_cache_free() of an address outside the slab allocator" :
			"kmem_cache_free() of a page that is not a slab", s, caller);
		return;
	}
	if (slab->slab_cache != s) {
		free_to_real_cache(s, slab->slab_cache, p, caller);
		return;
	}
	bad_slab_free(s, p, caller);
}

/**
 * kmem_cache_free - give an object back to its cache
 * @s: the cache it came from
 * @objp: the object
 */
void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	if (unlikely(ukmem__free_check(objp) != s || !s)) {
		ukmem__slab_bad_cache_free(s, objp, _RET_IP_);
		return;
	}
	ukmem__slab_free(s, objp);
}

/**
 * kmem_cache_free_bulk - free size objects; s may be NULL for kmalloc objects (kfree_bulk)
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	if (s) {
		ukmem__slab_free_bulk(s, size, p, _RET_IP_);
		return;
	}
	for (size_t i = 0; i < size; i++)	/* kfree on behalf of the caller */
		kfree_inline(p[i]);
}

/* A large kmalloc block's pages go back to the page allocator. */
void ukmem__kmalloc_large_release(struct page *head)
{
	unsigned int order = compound_order(head);

	head->index = 0;
	set_page_private(head, 0);
	ukmem__stat_add(UKMEM_STAT_SLAB_UNRECLAIMABLE_B, -(long)(PAGE_SIZE << order));
	__free_pages(head, order);
}

/* Is the page of p (in the direct map) in a free block of the page allocator?  The block
 * holding it starts at p's frame rounded down to its order: the first head found going up
 * the orders that covers the frame says (a racy look, for a report). */
static bool page_in_free_block(const void *p)
{
	unsigned long pfn = page_to_pfn(virt_to_page(p));

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned int order;
		enum ukmem__pfn_kind kind = ukmem__pfn_classify(pfn & ~((1UL << o) - 1), &order);

		if (kind == UKMEM_PFN_HOLE || kind == UKMEM_PFN_RESERVED)
			return false;
		if (kind != UKMEM_PFN_TAIL && order >= o)
			return kind == UKMEM_PFN_FREE;
	}
	return false;
}

/**
 * ukmem__kmalloc_large_claim - take a large block's mark, replacing it with @mark
 *
 * Of two kfrees of one block at once only one may have it (both passed the checks): the
 * default free releases the pages (@mark 0), kasan=on's quarantine holds them
 * (UKMEM_KMALLOC_LARGE_FREED).  Return: true for the one that took it.
 */
bool ukmem__kmalloc_large_claim(struct page *head, unsigned long mark)
{
	unsigned long expected = UKMEM_KMALLOC_LARGE;

	return __atomic_compare_exchange_n(&head->index, &expected, mark, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

static noinline void kfree_nonslab(const void *p, unsigned long caller)
{
	struct page *head;

	if (ZERO_OR_NULL_PTR(p))
		return;
	if (!virt_addr_valid(p)) {
		bool vm = (const char *)p >= ukmem__mm.vmalloc_start && (const char *)p < ukmem__mm.vmalloc_end;

		ukmem__slab_report_free("invalid-free", p, vm ?
			"the address is in the vmalloc area, not in the direct map (use vfree or kvfree)" :
			"the address is not in the direct map of RAM (a stack, static or heap address?)",
			NULL, caller);
		return;
	}
	head = compound_head(virt_to_page(p));
	if (PageHead(head) && head->index == UKMEM_KMALLOC_LARGE) {
		if (p != page_address(head))
			ukmem__slab_report_free("invalid-free", p,
				"the pointer is inside a large kmalloc block, not at its start", NULL, caller);
		else if (unlikely(ukmem__cfg.kasan)) {
			if (!ukmem__kasan_kfree_large(head, caller))
				ukmem__kmalloc_large_release(head);	/* else checked and quarantined */
		} else if (ukmem__kmalloc_large_claim(head, 0)) {
			ukmem__kmalloc_large_release(head);
		} else {
			ukmem__slab_report_free("double-free", p,
				"another thread freed this large kmalloc block at the same time", NULL, caller);
		}
		return;
	}
	if (PageHead(head) && head->index == UKMEM_KMALLOC_LARGE_FREED) {	/* kasan=on */
		ukmem__kasan_report_large(p == page_address(head) ? "double-free" : "invalid-free",
					  p, caller);
		return;
	}
	if (page_ref_count(head) == 0 && page_in_free_block(p))
		ukmem__slab_report_free("double-free", p, "the memory is not allocated (already freed?)",
					NULL, caller);
	else
		ukmem__slab_report_free("invalid-free", p,
			"the page belongs to the page allocator, not to kmalloc", NULL, caller);
}

/* kfree of something that failed the fast checks: not slab memory, or not an object start. */
static noinline void kfree_checked_slow(const void *p, unsigned long caller)
{
	struct slab *slab = ukmem__virt_to_slab(p);

	if (ukmem__is_kfence_address(p) && ukmem__kfence_free(NULL, p, caller))
		return;
	if (slab && ukmem__slab_plain_object(slab, slab->slab_cache, p))
		ukmem__slab_free_tracked(slab->slab_cache, (void *)p);
	else if (slab && slab->slab_cache->debug)
		ukmem__debug_free(slab->slab_cache, p, caller);
	else if (!slab)
		kfree_nonslab(p, caller);
	else
		bad_slab_free(slab->slab_cache, p, caller);
}

/* 6.1's slab_ksize: what a caller may use of an object of s.  The object size when the
 * bytes past it are checked (red zones, poison, kasan=on, a tool watching); the object
 * rounded up to a word (SLUB's inuse) under the other debug options, whose metadata starts
 * there; else the whole stride, unless the free pointer follows the object (a constructor
 * or SLAB_TYPESAFE_BY_RCU: its bytes must survive). */
static size_t slab_ksize(const struct kmem_cache *s)
{
	if (s->debug & (SLAB_RED_ZONE | SLAB_POISON | SLAB_KASAN))
		return s->object_size;
	if (s->debug)
		return s->rz_end;
	if (s->ctor || (s->flags & SLAB_TYPESAFE_BY_RCU))
		return s->offset;
	return s->size;
}

/* Usable size of a slab object or a large kmalloc, 0 (with a warning) for anything else. */
static size_t object_size(const void *p)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	struct page *head;

	if (ukmem__is_kfence_address(p)) {
		size_t size = ukmem__kfence_ksize(p);

		WARN(!size, "ksize: %px is not the start of a live KFENCE object\n", p);
		return size;
	}
	if (slab) {
		if (slab->slab_cache->debug ? ukmem__debug_valid_object(slab->slab_cache, p) :
		    ukmem__obj_aligned(slab->slab_cache, p))
			return slab_ksize(slab->slab_cache);
		WARN(1, "ksize: %px is not the start of an object of %s\n", p, slab->slab_cache->name);
		return 0;
	}
	if (virt_addr_valid(p)) {
		head = compound_head(virt_to_page(p));
		if (PageHead(head) && head->index == UKMEM_KMALLOC_LARGE && p == page_address(head))
			return page_size(head);
	}
	WARN(1, "ksize: %px is not a kmalloc object\n", p);
	return 0;
}

size_t __ksize(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	return object_size(objp);
}

/**
 * ksize - the usable size of a slab object: its kmalloc class, or a cache's stride as 6.1
 *         gives it (24 for a 20-byte cache; under debug options the object size with red
 *         zones or poison, the object rounded up to a word with F, U or T alone)
 */
/* A debug cache's kmalloc object, or a large kmalloc with kasan=on (p, a valid one), now
 * holds @size bytes (0: all of it): its slack moves.  Nothing for other objects. */
static void debug_resize(const void *p, size_t size)
{
	struct slab *slab = ukmem__virt_to_slab(p);

	if (ukmem__is_kfence_address(p))
		return;
	if (slab && slab->slab_cache->debug)
		ukmem__debug_resize(slab->slab_cache, (void *)p, size);
	else if (!slab && unlikely(ukmem__cfg.kasan))
		ukmem__kasan_large_resize(virt_to_head_page(p), size);
}

/* A moving krealloc copies the whole class (ks bytes), as 6.1's, which turns KASAN's checks
 * off for the copy: kmalloc's slack of a debug cache is opened to a watching tool for it.
 * Under kasan=on the slack holds the red zone's pattern, which 6.1's KASAN keeps in shadow
 * memory: the copy has zeroes there (what 6.1 copies from a zeroed object), not the
 * pattern.  A large block's slack, under kasan=on, likewise. */
static void copy_class(void *to, const void *from, size_t ks)
{
	struct slab *slab = ukmem__virt_to_slab(from);
	struct kmem_cache *s = slab ? slab->slab_cache : NULL;
	size_t used = 0;
	bool pattern = false;

	if (s && s->debug && !ukmem__is_kfence_address(from)) {
		used = ukmem__debug_slack(s, (void *)from);
		pattern = s->debug & SLAB_KASAN;
	} else if (!slab && unlikely(ukmem__cfg.kasan) && !ukmem__is_kfence_address(from)) {
		used = ukmem__kasan_large_slack(virt_to_head_page(from));
		pattern = true;
	}
	if (used >= ks)
		used = 0;
	if (used && pattern) {
		memcpy(to, from, used);
		memset((char *)to + used, 0, ks - used);
		return;
	}
	if (used)
		ukmem__annotate_open((const char *)from + used, ks - used);
	memcpy(to, from, ks);
	if (used)
		ukmem__annotate_close((const char *)from + used, ks - used);
}

/* kasan=on: p lies in a large kmalloc block that was freed and waits in the quarantine. */
static bool large_freed(const void *p)
{
	struct page *head;

	if (!virt_addr_valid(p))
		return false;
	head = compound_head(virt_to_page(p));
	return PageHead(head) && head->index == UKMEM_KMALLOC_LARGE_FREED;
}

/* p is a freed object: with kasan=on a quarantined or free one (not of a
 * SLAB_TYPESAFE_BY_RCU cache, which KASAN does not poison) or a quarantined large block,
 * reported as 6.1's kasan_check_byte in krealloc and ksize reports it; in KFENCE's pool one
 * on a freed object's page, KFENCE's use-after-free.  The caller then fails. */
static bool freed_object(const void *p, unsigned long caller)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	struct kmem_cache *s = slab ? slab->slab_cache : NULL;

	if (ukmem__is_kfence_address(p))
		return !ukmem__kfence_check_byte(p, caller);
	if (!s && unlikely(ukmem__cfg.kasan) && large_freed(p)) {
		ukmem__kasan_report_large("use-after-free", p, caller);
		return true;
	}
	if (likely(!s || !(s->debug & SLAB_KASAN)) || (s->flags & SLAB_TYPESAFE_BY_RCU) ||
	    !ukmem__debug_valid_object(s, p) ||
	    !ukmem__debug_object_freed(s, p))
		return false;
	ukmem__kasan_report_read_freed(s, p, caller);
	return true;
}

/* As 6.1's ksize: the whole object is the caller's from now on (kmalloc's slack is no
 * longer checked; __ksize leaves it).  A freed object that kasan=on or KFENCE knows is
 * reported, size 0. */
size_t ksize(const void *objp)
{
	size_t size;

	if (!ZERO_OR_NULL_PTR(objp) && unlikely(freed_object(objp, _RET_IP_)))
		return 0;
	size = __ksize(objp);

	if (size)
		debug_resize(objp, 0);
	return size;
}

/**
 * kmalloc_size_roundup - the size kmalloc would really give for @size
 *
 * Return: 0 for 0; the class size up to KMALLOC_MAX_CACHE_SIZE; beyond it, whole pages of
 * the power-of-two order, even past KMALLOC_MAX_SIZE, as 6.1 computes it; SIZE_MAX for
 * SIZE_MAX.
 */
size_t kmalloc_size_roundup(size_t size)
{
	struct kmem_cache *s;

	if (size == SIZE_MAX)		/* a saturated size stays saturated */
		return SIZE_MAX;
	if (size > KMALLOC_MAX_CACHE_SIZE)	/* pages, even past what kmalloc gives (6.1) */
		return PAGE_SIZE << get_order(size);
	s = ukmem__kmalloc_slab(size, GFP_KERNEL);
	if (ZERO_OR_NULL_PTR(s))
		return 0;
	ukmem__ensure_started();
	return s->object_size;
}

/* p (a valid object start of a debug cache) is free or quarantined: its state word says
 * so.  Nothing may write into it: its poison would read as a write after free, reported
 * at a later, innocent allocation that then loses the object. */
static bool debug_object_free(const void *p)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	struct kmem_cache *s = slab ? slab->slab_cache : NULL;

	return s && s->debug && !ukmem__is_kfence_address(p) && ukmem__debug_valid_object(s, p) &&
	       ukmem__debug_object_freed(s, p);
}

/**
 * kfree_sensitive - clear an object's memory (its whole class size), then free it
 *
 * A freed object that the debug options know (kasan=on, slub_debug, KFENCE, a tool
 * watching) is not cleared: kfree then reports the double free.  (6.1 clears it first
 * under slub_debug, whose later allocation of it then reports its poison overwritten.)
 */
void kfree_sensitive(const void *objp)
{
	size_t ks;

	if (ZERO_OR_NULL_PTR(objp))
		return;
	ks = ksize(objp);	/* as 6.1: the slack is the caller's, cleared too, no report */
	if (ks && !debug_object_free(objp)) {
		memset((void *)objp, 0, ks);
		__asm__ __volatile__("" : : "r"(objp) : "memory");
	}
	/* kfree's body, so that a report of this free names our caller in every build: a
	 * call to kfree was a tail call in some (the caller named) and not in others
	 * (ThreadSanitizer's function-exit hook follows it: kfree_sensitive named) */
	kfree_inline(objp);
}

/**
 * krealloc - resize a kmalloc object
 * @p: the object (NULL: like kmalloc)
 * @new_size: 0 frees @p and returns ZERO_SIZE_PTR
 * @flags: GFP flags
 *
 * Shrinking, or growing within the size class, keeps the object in place.  Otherwise the
 * content moves to a new object and the old one is freed.  Return: NULL on failure (the old
 * object is left as it was), and for a freed @p that kasan=on or KFENCE knows (KASAN's or
 * KFENCE's use-after-free report, as 6.1's kasan_check_byte).
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p)) {
		if (unlikely(freed_object(p, _RET_IP_)))	/* 6.1's kasan_check_byte */
			return NULL;
		ks = object_size(p);
		if (!ks)			/* no object's start (warned) */
			return NULL;
		if (ks >= new_size) {
			debug_resize(p, new_size);	/* in place: the slack starts past it */
			return (void *)p;
		}
	}
	ret = kmalloc_sized(new_size, flags, 0);
	if (ret && !ZERO_OR_NULL_PTR(p)) {
		copy_class(ret, p, ks);
		kfree(p);
	}
	return ret;
}

bool kmem_dump_obj(void *object)
{
	struct slab *slab = ukmem__virt_to_slab(object);
	void *start;

	if (ukmem__is_kfence_address(object))	/* its pool pages are not slab pages here */
		return ukmem__kfence_dump_obj(object);
	if (!slab)
		return false;
	start = ukmem__slab_object_start(object);
	printk(KERN_CONT " slab %s", slab->slab_cache->name);
	if (start)
		printk(KERN_CONT " start %px pointer offset %lu size %u", start,
		       (unsigned long)((char *)object - (char *)start), slab->slab_cache->object_size);
	printk(KERN_CONT "\n");
	return true;
}

/* ---- start-up ---- */
static void kmalloc_name(char *buf, size_t len, enum kmalloc_cache_type type, unsigned int size)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = { "kmalloc-", "kmalloc-rcl-", "dma-kmalloc-" };

	if (size >= 1024)
		snprintf(buf, len, "%s%uk", prefix[type], size / 1024);
	else
		snprintf(buf, len, "%s%u", prefix[type], size);
}

static void new_kmalloc_cache(enum kmalloc_cache_type type, unsigned int idx)
{
	static const slab_flags_t extra[NR_KMALLOC_TYPES] = { 0, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA };
	struct kmem_cache *s = &ukmem__slab.kmalloc[type][idx];
	unsigned int size = idx == 1 ? 96 : idx == 2 ? 192 : 1U << idx;
	char *name = ukmem__slab.kmalloc_names[type][idx];

	kmalloc_name(name, sizeof(ukmem__slab.kmalloc_names[type][idx]), type, size);
	/* power-of-two classes are naturally aligned, debug layouts included (as the kernel) */
	ukmem__slab_cache_setup(s, name, size, is_power_of_2(size) ? size : ARCH_KMALLOC_MINALIGN,
				SLAB_KMALLOC | extra[type], NULL);
	/* id and slot_offset are set at compile time (slub.c): not written here. */
	s->is_kmalloc = true;
	s->usersize = size;
	ukmem__slab.used_ids[s->id / 64] |= 1UL << (s->id % 64);
	list_add(&s->list, &ukmem__slab.caches);
}

int ukmem__slab_init_caches(void)
{
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++)
		for (unsigned int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++) {
			new_kmalloc_cache(type, i);
			if (i == 6)
				new_kmalloc_cache(type, 1);
			if (i == 7)
				new_kmalloc_cache(type, 2);
		}
	return 0;
}
