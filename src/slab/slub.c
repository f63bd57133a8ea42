/* SPDX-License-Identifier: MIT */
/*
 * Object caches: slabs from the page allocator, per-thread object arrays, refill and flush
 * in batches, cache creation, shrinking and destruction, thread exit and fork.
 * The layout, the counters and the lock order are described in slab.h.
 *
 * Invariants:
 *  - A slab is on its cache's partial list iff it has a free object (free list or fresh);
 *    empty slabs (inuse == 0) sit at the list's tail and number nr_empty <= keep_empty.
 *  - A per-thread slot holds objects of its cache only, each exactly once, none on a free
 *    list; objs[-1] holds the array's length.  slot->n is written by its thread only
 *    (relaxed atomic, so that slabinfo and kmem_cache_destroy may read it from another
 *    thread).
 *  - A thread's hot object (slab.h) holds an object of a cache whose slot in that thread
 *    has an array, and counts as part of that slot; the slow paths and flushes spill it
 *    onto the array first (hot_spill), so the code below them sees arrays alone.
 *  - Per-thread tables are on slab.tables while their thread lives (under slab.mutex).
 *  - A destroyed cache whose objects still sit in other threads' arrays becomes a zombie:
 *    its id stays taken and the struct alive until the last of them comes back.
 *  - A debug cache (s->debug: slub_debug, kasan=on, a sanitizer watching) has no per-thread
 *    array (cpu_limit 0): all its operations reach the slow paths, which hand them to
 *    src/debug (slab_debug.h).  Inside this file a debug object is handled by its stride
 *    start; its user address is red_left_pad further.
 *  - While KFENCE samples, arrays have cap 0 (every free reaches the slow path) and no
 *    thread's arrays hold more objects than it allocates before its next sampled
 *    allocation: see "KFENCE's count" below.
 *  - The default mode's double-free check: before objects leave a thread's array, the array
 *    is searched for an object freed twice with a few frees between (slot_dedup), so such
 *    an object never reaches the depot or its slab twice.
 *  - An object going back to a slab is refused (and reported) when it is free there already
 *    (its bit in a bitmap slab; past the bump index, or on the free list, of a free-list
 *    slab: an object leaving a free list has its free pointer word cleared, so only a word
 *    that still decodes into the slab sends put_objects to search the list) or when its page
 *    is no longer a slab of the cache: a double free found late never corrupts a slab.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/sort.h>
#include <linux/poison.h>
#include <ukmem.h>
#include "slab/slab.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "debug/slab_debug.h"
#include "debug/annotate.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"

static const struct ukmem__slab_table zero_table;	/* every slot empty */
__thread struct ukmem__slab_tls ukmem__slab_tls __attribute__((tls_model("initial-exec"))) = {
	.tab = (struct ukmem__slab_slot *)zero_table.slots,
};

#define KMALLOC_CACHE(t, i)	(&ukmem__slab.kmalloc[t][i])
#define KMALLOC_ROW(t)		{ NULL, KMALLOC_CACHE(t, 1), KMALLOC_CACHE(t, 2), \
	KMALLOC_CACHE(t, 3), KMALLOC_CACHE(t, 4), KMALLOC_CACHE(t, 5), KMALLOC_CACHE(t, 6), \
	KMALLOC_CACHE(t, 7), KMALLOC_CACHE(t, 8), KMALLOC_CACHE(t, 9), KMALLOC_CACHE(t, 10), \
	KMALLOC_CACHE(t, 11), KMALLOC_CACHE(t, 12), KMALLOC_CACHE(t, 13) }

#define KMALLOC_ID(t, i)	((t) * UKMEM_KMALLOC_SLOTS + (i))
#define KMALLOC_SLOT(t, i)	[i] = { .id = KMALLOC_ID(t, i), \
	.slot_offset = KMALLOC_ID(t, i) * sizeof(struct ukmem__slab_slot) }
#define KMALLOC_SLOT_ROW(t)	{ KMALLOC_SLOT(t, 1), KMALLOC_SLOT(t, 2), KMALLOC_SLOT(t, 3), \
	KMALLOC_SLOT(t, 4), KMALLOC_SLOT(t, 5), KMALLOC_SLOT(t, 6), KMALLOC_SLOT(t, 7), \
	KMALLOC_SLOT(t, 8), KMALLOC_SLOT(t, 9), KMALLOC_SLOT(t, 10), KMALLOC_SLOT(t, 11), \
	KMALLOC_SLOT(t, 12), KMALLOC_SLOT(t, 13) }

struct ukmem__slab_state ukmem__slab = {
	.mutex = PTHREAD_MUTEX_INITIALIZER,
	.gate_lock = PTHREAD_MUTEX_INITIALIZER,
	.caches = LIST_HEAD_INIT(ukmem__slab.caches),
	.zombies = LIST_HEAD_INIT(ukmem__slab.zombies),
	.tables = LIST_HEAD_INIT(ukmem__slab.tables),
	/* (size - 1) / 8 -> kmalloc index for sizes up to 192, fixed at compile time so that a
	 * kmalloc of a run-time size finds a real cache (and so the start-up slow path) even as
	 * a process's first call: 8, 16, 24..32, 40..64, 72..96, 104..128, 136..192. */
#define SIZE_INDEX(f)	f(3), f(4), f(5), f(5), f(6), f(6), f(6), f(6), f(1), f(1), f(1), f(1), \
			f(7), f(7), f(7), f(7), f(2), f(2), f(2), f(2), f(2), f(2), f(2), f(2)
#define SIZE_ID(i)	(i)
	.size_index = { SIZE_INDEX(SIZE_ID) },
	/* the same as the normal caches themselves: __kmalloc's fast path loads its cache
	 * in one step */
#define SIZE_CACHE(i)	(&ukmem__slab.kmalloc[KMALLOC_NORMAL][i])
	.size_cache = { SIZE_INDEX(SIZE_CACHE) },
#undef SIZE_CACHE
#undef SIZE_ID
#undef SIZE_INDEX
	/* The kmalloc caches' ids and slot offsets, fixed at compile time too: a thread's
	 * first kmalloc reads slot_offset on the fast path while another thread may be
	 * starting ukmem, so start-up must not write it (any value finds the all-zero table
	 * of a thread that has no array yet, and so the slow path). */
	.kmalloc = { KMALLOC_SLOT_ROW(KMALLOC_NORMAL), KMALLOC_SLOT_ROW(KMALLOC_RECLAIM),
		     KMALLOC_SLOT_ROW(KMALLOC_DMA) },
};
/* The kernel's table of kmalloc caches: fixed addresses (never written), so kmalloc() of a
 * constant size compiles to one load even before ukmem has started. */
struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
	KMALLOC_ROW(KMALLOC_NORMAL), KMALLOC_ROW(KMALLOC_RECLAIM), KMALLOC_ROW(KMALLOC_DMA),
};
/* The library's own name for it (slab.h): since it is never written, a program's
 * copy-relocated instance holds the same pointers, and the library reads its own without
 * the GOT. */
extern struct kmem_cache *ukmem__kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1]
	__attribute__((alias("kmalloc_caches")));

/* ---- free pointers ---- */
static inline unsigned long fp_mask(const struct kmem_cache *s, unsigned long addr)
{
	return s->random ^ __builtin_bswap64(addr);
}

/* Under a sanitizer or valgrind the free pointer of a debug object is off limits to the
 * user: it is opened for the access. */
static inline void *fp_get(const struct kmem_cache *s, void *obj)
{
	unsigned long addr = (unsigned long)obj + s->offset, v;

	if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
		ukmem__annotate_open((void *)addr, sizeof(v));
	v = *(unsigned long *)addr;
	if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
		ukmem__annotate_close((void *)addr, sizeof(v));
	return (void *)(v ^ fp_mask(s, addr));
}

static inline void fp_set(const struct kmem_cache *s, void *obj, void *next)
{
	unsigned long addr = (unsigned long)obj + s->offset;

	if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
		ukmem__annotate_open((void *)addr, sizeof(next));
	*(unsigned long *)addr = (unsigned long)next ^ fp_mask(s, addr);
	if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
		ukmem__annotate_close((void *)addr, sizeof(next));
}

static inline bool slab_has_free(const struct slab *slab, const struct kmem_cache *s)
{
	if (s->use_map)
		return slab->free_map;
	return slab->freelist || slab->fresh < s->objects;
}

static noinline void freechain_corrupt(struct kmem_cache *s, struct slab *slab, void *obj, void *next)
{
	ukmem__report_begin();
	printk(KERN_ERR "=============================================================================\n");
	printk(KERN_ERR "BUG %s (%s): Freechain corrupt\n", s->name, ukmem__print_tainted());
	printk(KERN_ERR "-----------------------------------------------------------------------------\n\n");
	printk(KERN_ERR "Slab 0x%px objects=%u used=%u fp=0x%px\n", slab, s->objects, slab->inuse, obj);
	printk(KERN_ERR "Free pointer of object 0x%px decodes to 0x%px: expected an object of this slab\n",
	       obj, next);
	ukmem__add_taint(TAINT_BAD_PAGE, true);
	printk(KERN_ERR "FIX %s: Isolate slab 0x%px (its free objects are abandoned)\n", s->name, slab);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/* Could next be a free pointer of slab: NULL or an object of it? */
static inline bool fp_plausible(const struct kmem_cache *s, const struct slab *slab, void *next)
{
	return !next || ((unsigned long)next - (unsigned long)slab_address(slab) <= s->slab_mask &&
			 ukmem__obj_aligned(s, next));
}

/* An object leaving a free list has its free pointer word cleared (a plain zero decodes to
 * no plausible pointer), so that put_objects can tell a live object from a free one by that
 * word without walking the list. */
static inline void fp_clear(const struct kmem_cache *s, void *obj)
{
	unsigned long addr = (unsigned long)obj + s->offset;

	if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
		ukmem__annotate_open((void *)addr, sizeof(long));
	*(unsigned long *)addr = 0;
	if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
		ukmem__annotate_close((void *)addr, sizeof(long));
}

/* Take one object from a slab with a free object (cache lock held). */
static void *slab_pop(struct kmem_cache *s, struct slab *slab)
{
	void *obj = slab->freelist;

	if (s->use_map) {
		unsigned int i = __builtin_ctzl(slab->free_map);

		slab->free_map &= slab->free_map - 1;
		obj = (char *)slab_address(slab) + (unsigned long)i * s->size;
	} else if (obj) {
		void *next = fp_get(s, obj);

		if (unlikely(!fp_plausible(s, slab, next))) {
			freechain_corrupt(s, slab, obj, next);
			next = NULL;
			slab->corrupt = 1;
			slab->fresh = s->objects;
		}
		fp_clear(s, obj);
		slab->freelist = next;
	} else {
		obj = (char *)slab_address(slab) + (unsigned long)slab->fresh++ * s->size;
	}
	slab->inuse++;
	return obj;
}

/* Move up to want objects from the partial list to dst (cache lock held). */
static unsigned int take_objects(struct kmem_cache *s, void **dst, unsigned int want)
{
	unsigned int got = 0;

	while (got < want && !list_empty(&s->partial)) {
		struct slab *slab = list_first_entry(&s->partial, struct slab, slab_list);

		if (slab->inuse == 0)
			s->nr_empty--;
		while (got < want && slab_has_free(slab, s))
			dst[got++] = slab_pop(s, slab);
		if (!slab_has_free(slab, s)) {
			list_del(&slab->slab_list);
			s->nr_partial--;
		}
	}
	s->inuse += got;
	return got;
}

/* The slab of obj when it is one of s's, else NULL: an object whose second free waited in
 * an array may find its slab gone back to the page allocator, or the page another cache's. */
static inline struct slab *slab_of(const struct kmem_cache *s, const void *obj)
{
	struct slab *slab = ukmem__virt_to_slab(obj);

	return slab && slab->slab_cache == s ? slab : NULL;
}

/* Is obj (an object of slab, whose free objects are on a free list) free already: never
 * handed out, or on the list?  The list is walked only when obj's free pointer word looks
 * like one (slab_pop clears it): after a double free, or when the owner's data happens to.
 * The walk stops after the list's length (fresh - inuse), so a damaged list cannot hold it. */
static noinline bool on_freelist_slow(const struct kmem_cache *s, const struct slab *slab,
				      const void *obj)
{
	unsigned int left = slab->fresh - slab->inuse;

	for (void *p = slab->freelist; p && left--; p = fp_get(s, p)) {
		if (p == obj)
			return true;
		if (!fp_plausible(s, slab, p))
			break;
	}
	return false;
}

static inline bool already_free(const struct kmem_cache *s, const struct slab *slab, void *obj)
{
	char *base = slab_address(slab);
	void *next;

	if ((char *)obj >= base + (unsigned long)slab->fresh * s->size)
		return true;
	next = fp_get(s, obj);
	if (likely(next && (unsigned long)next - (unsigned long)base > s->slab_mask))
		return false;
	return on_freelist_slow(s, slab, obj);
}

/* Give *count objects back to their slabs (cache lock held).  Slabs that become empty beyond
 * keep_empty go to *discard (NULL: keep them).  Returns how many were refused because they
 * were free already (a double free found late); they are left in bad[].  With nbad > 0 it
 * stops at the nbad-th refusal, *count set to how many objects it went through (so every
 * refusal can be reported); with nbad == 0 refusals are dropped silently. */
static unsigned int put_objects(struct kmem_cache *s, void **src, unsigned int *count,
				struct list_head *discard, void **bad, unsigned int nbad)
{
	unsigned int refused = 0, i;

	for (i = 0; i < *count && (!nbad || refused < nbad); i++) {
		void *obj = src[i];
		struct slab *slab = slab_of(s, obj);
		bool was_full;

		if (unlikely(!slab || slab->inuse == 0 || slab->corrupt)) {
			if ((!slab || !slab->corrupt) && refused < nbad)
				bad[refused++] = obj;
			continue;
		}
		was_full = !slab_has_free(slab, s);
		if (s->use_map) {
			unsigned long bit = 1UL << ukmem__obj_index(s, obj);

			if (unlikely(slab->free_map & bit)) {	/* already free: a double free */
				if (refused < nbad)
					bad[refused++] = obj;
				continue;
			}
			slab->free_map |= bit;
		} else {
			if (unlikely(already_free(s, slab, obj))) {	/* a double free */
				if (refused < nbad)
					bad[refused++] = obj;
				continue;
			}
			fp_set(s, obj, slab->freelist);
			slab->freelist = obj;
		}
		slab->inuse--;
		s->inuse--;
		if (was_full) {
			list_add(&slab->slab_list, &s->partial);
			s->nr_partial++;
		}
		if (slab->inuse)
			continue;
		if (discard && s->nr_empty >= s->keep_empty) {
			slab->in_cache = 0;
			list_move(&slab->slab_list, discard);
			s->nr_partial--;
			s->nr_slabs--;
		} else {
			list_move_tail(&slab->slab_list, &s->partial);
			s->nr_empty++;
		}
	}
	*count = i;
	return refused;
}

/* ---- slab pages ---- */
static void account_slab(struct kmem_cache *s, long pages)
{
	ukmem__stat_add(s->flags & SLAB_RECLAIM_ACCOUNT ? UKMEM_STAT_SLAB_RECLAIMABLE_B :
			UKMEM_STAT_SLAB_UNRECLAIMABLE_B, pages * (long)PAGE_SIZE);
}

static noinline void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp)
{
	/* rate-limited as 6.1's slub_oom_rs: a loop that runs memory out prints ten */
	if ((gfp & __GFP_NOWARN) || !ukmem__report_ratelimit(__func__, 0))
		return;
	printk(KERN_WARNING "SLUB: Unable to allocate memory on node %d, gfp=%#x(%pGg)\n", -1,
	       gfp, &gfp);
	printk(KERN_WARNING "  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
	       s->name, s->object_size, s->size, s->order, s->order);
	printk(KERN_WARNING "  node 0: slabs: %lu, objs: %lu, free: %lu\n", s->nr_slabs,
	       s->nr_slabs * s->objects, s->nr_slabs * s->objects - s->inuse);
}

/* 6.1's kmalloc_fix_flags: zone modifiers a slab cannot honour are dropped, loudly. */
noinline gfp_t ukmem__kmalloc_fix_flags(gfp_t gfp)
{
	gfp_t invalid = gfp & GFP_SLAB_BUG_MASK;

	gfp &= ~GFP_SLAB_BUG_MASK;
	ukmem__console_lock();
	printk(KERN_WARNING "Unexpected gfp: %#x (%pGg). Fixing up to gfp: %#x (%pGg). Fix your code!\n",
	       invalid, &invalid, gfp, &gfp);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__console_unlock();
	return gfp;
}

static struct slab *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t pgfp;
	struct page *page;
	struct slab *slab;

	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = ukmem__kmalloc_fix_flags(gfp);
	WARN_ON_ONCE(s->ctor && (gfp & __GFP_ZERO));	/* zeroing undoes the constructor */
	pgfp = (gfp & (__GFP_HIGH | __GFP_NOWARN | __GFP_NOFAIL | __GFP_RECLAIM | __GFP_NORETRY |
		       __GFP_RETRY_MAYFAIL | __GFP_MEMALLOC | __GFP_NOMEMALLOC)) |
	       s->allocflags | __GFP_COMP;
	page = ukmem__alloc_pages(pgfp | __GFP_NOWARN, s->order);

	if (unlikely(!page)) {
		slab_out_of_memory(s, gfp);
		return NULL;
	}
	__SetPageSlab(page);
	slab = page_slab(page);
	slab->slab_cache = s;
	slab->freelist = NULL;
	if (s->use_map)
		slab->free_map = s->objects == 64 ? ~0UL : (1UL << s->objects) - 1;
	slab->inuse = 0;
	slab->fresh = 0;
	slab->corrupt = 0;
	for (unsigned long i = 1; i < (1UL << s->order); i++) {
		__SetPageSlab(page + i);
		page_slab(page + i)->slab_cache = s;
	}
	account_slab(s, 1L << s->order);
	if (unlikely(s->debug))
		ukmem__debug_new_slab(s, slab);
	if (s->ctor)
		for (unsigned int i = 0; i < s->objects; i++) {
			char *obj = (char *)slab_address(slab) + (unsigned long)i * s->size + s->red_left_pad;

			if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
				ukmem__annotate_undefined(obj, s->object_size);
			s->ctor(obj);
			if (unlikely(s->debug & SLAB_UKMEM_ANNOTATE))
				ukmem__annotate_close(obj, s->object_size);
		}
	return slab;
}

static void free_slab_pages(struct page *page, unsigned int order)
{
	struct slab *slab = page_slab(page);

	if (__atomic_load_n(&slab->leak_recs, __ATOMIC_ACQUIRE))	/* kmemleak's records */
		ukmem__leak_slab_gone(slab);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->inuse = slab->fresh = slab->corrupt = slab->in_cache = 0;
	page->lru.next = page->lru.prev = NULL;
	__ClearPageSlab(page);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		page_slab(page + i)->slab_cache = NULL;
		__ClearPageSlab(page + i);
	}
	__free_pages(page, order);
}

/* Runs on the RCU callback thread, which never allocates pages: what it frees must go
 * straight back to the buddy lists, not to its own page lists, where nothing would use it
 * (and meminfo would count it as used) until that thread exits. */
static void rcu_free_slab(void *head)
{
	struct slab *slab = container_of((struct rcu_head *)head, struct slab, rcu_head);
	unsigned int order = compound_order(slab_page(slab));

	ukmem__debug_slab_gone(slab, order);	/* the cache may be gone: its pages only */
	free_slab_pages(slab_page(slab), order);
	ukmem__drain_local_pages();
}

static void discard_slabs(struct kmem_cache *s, struct list_head *discard)
{
	struct slab *slab, *tmp;

	list_for_each_entry_safe(slab, tmp, discard, slab_list) {
		account_slab(s, -(1L << s->order));
		if (s->flags & SLAB_TYPESAFE_BY_RCU) {	/* readers may still look at its objects */
			ukmem__urcu_call(&slab->rcu_head, rcu_free_slab);
			continue;
		}
		if (unlikely(s->debug))
			ukmem__debug_slab_gone(slab, s->order);
		free_slab_pages(slab_page(slab), s->order);
	}
}

/* Add a new slab to the cache; false when the page allocator has nothing. */
static bool grow(struct kmem_cache *s, gfp_t gfp)
{
	struct slab *slab = new_slab(s, gfp);

	if (!slab)
		return false;
	pthread_mutex_lock(&s->lock);
	/* a member from here: what new_slab wrote is seen by a walk that reads this (release) */
	__atomic_store_n(&slab->in_cache, 1, __ATOMIC_RELEASE);
	list_add(&slab->slab_list, &s->partial);
	s->nr_partial++;
	s->nr_empty++;
	s->nr_slabs++;
	pthread_mutex_unlock(&s->lock);
	return true;
}

/* Fill dst with up to want objects, growing the cache once if it is empty. */
static unsigned int get_objects(struct kmem_cache *s, gfp_t gfp, void **dst, unsigned int want)
{
	unsigned int got;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		got = take_objects(s, dst, want);
		pthread_mutex_unlock(&s->lock);
		if (got || !grow(s, gfp))
			return got;
	}
}

static void put_and_discard(struct kmem_cache *s, void **src, unsigned int count,
			    unsigned long caller);

/* Double frees the slab refused; @caller is the free's caller when one free put the object
 * straight back (0 when a batch from an array did: the report then names this function). */
static noinline void report_late_double_free(struct kmem_cache *s, void **bad, unsigned int n,
					     unsigned long caller)
{
	for (unsigned int i = 0; i < n; i++) {
		bool gone = !slab_of(s, bad[i]);

		ukmem__slab_report_free("double-free", bad[i], gone ?
			"it was freed twice, and its slab has been given back to the page allocator since the first free" :
			"it is already free in its slab: it was freed twice", gone ? NULL : s, caller);
	}
}

void ukmem__slab_put(struct kmem_cache *s, void *stride)
{
	put_and_discard(s, &stride, 1, 0);
}

static void put_and_discard(struct kmem_cache *s, void **src, unsigned int count,
			    unsigned long caller)
{
	void *bad[4];

	while (count) {
		LIST_HEAD(discard);
		unsigned int done = count, refused;

		pthread_mutex_lock(&s->lock);
		refused = put_objects(s, src, &done, &discard, bad, ARRAY_SIZE(bad));
		pthread_mutex_unlock(&s->lock);
		discard_slabs(s, &discard);
		if (unlikely(refused))
			report_late_double_free(s, bad, refused, caller);
		src += done;
		count -= done;
	}
}

/* ---- per-thread tables ---- */
static void release_cache(struct kmem_cache *s);

/* The length of a slot's array (objs[-1]), 0 without one. */
static inline unsigned long slot_len(const struct ukmem__slab_slot *slot)
{
	return slot->objs ? (unsigned long)slot->objs[-1] : 0;
}

static struct ukmem__slab_table *this_table(void)
{
	return ukmem__slab_tls.own ?
	       container_of(ukmem__slab_tls.tab, struct ukmem__slab_table, slots[0]) : NULL;
}

static struct ukmem__slab_table *table_create(void)
{
	struct ukmem__slab_table *t;

	if (ukmem__slab_tls.exited)	/* a destructor running after ours: no arrays */
		return NULL;
	t = ukmem__os_alloc(sizeof(*t));
	if (!t)
		return NULL;
	ukmem__cpu();			/* arms the thread-exit flush */
	pthread_mutex_lock(&ukmem__slab.mutex);
	t->hot = &ukmem__slab_tls.hot;
	list_add(&t->node, &ukmem__slab.tables);
	ukmem__slab_tls.gen = ukmem__slab.flush_gen;
	pthread_mutex_unlock(&ukmem__slab.mutex);
	ukmem__slab_tls.tab = t->slots;
	ukmem__slab_tls.own = true;
	return t;
}

/* ---- the depot ---- */
/* Take a batch of s->batch objects as a full magazine; false when the depot is full. */
static bool depot_put(struct kmem_cache *s, void **src)
{
	struct ukmem__magazine *mag;

	pthread_mutex_lock(&s->depot_lock);
	if (s->nr_full >= s->max_full) {
		pthread_mutex_unlock(&s->depot_lock);
		return false;
	}
	mag = s->empty;
	if (mag) {
		s->empty = mag->next;
	} else {
		mag = malloc(sizeof(*mag) + s->batch * sizeof(void *));
		if (!mag) {
			pthread_mutex_unlock(&s->depot_lock);
			return false;
		}
	}
	memcpy(mag->objs, src, s->batch * sizeof(void *));
	mag->next = s->full;
	__atomic_store_n(&s->full, mag, __ATOMIC_RELAXED);	/* peeked at without the lock */
	s->nr_full++;
	s->depot_objects += s->batch;
	pthread_mutex_unlock(&s->depot_lock);
	return true;
}

/* Fill dst with a full magazine's s->batch objects; 0 when the depot is empty. */
static unsigned int depot_get(struct kmem_cache *s, void **dst)
{
	struct ukmem__magazine *mag;

	if (!__atomic_load_n(&s->full, __ATOMIC_RELAXED))
		return 0;
	pthread_mutex_lock(&s->depot_lock);
	mag = s->full;
	if (mag) {
		__atomic_store_n(&s->full, mag->next, __ATOMIC_RELAXED);
		s->nr_full--;
		s->depot_objects -= s->batch;
		memcpy(dst, mag->objs, s->batch * sizeof(void *));
		mag->next = s->empty;
		s->empty = mag;
	}
	pthread_mutex_unlock(&s->depot_lock);
	return mag ? s->batch : 0;
}

/* Everything in the depot back to the slabs; with release, the magazines are freed too. */
static void depot_drain(struct kmem_cache *s, bool release)
{
	struct ukmem__magazine *full, *empty = NULL;

	pthread_mutex_lock(&s->depot_lock);
	full = s->full;
	__atomic_store_n(&s->full, NULL, __ATOMIC_RELAXED);
	s->nr_full = 0;
	s->depot_objects = 0;
	if (release) {
		empty = s->empty;
		s->empty = NULL;
	}
	pthread_mutex_unlock(&s->depot_lock);
	while (full) {
		struct ukmem__magazine *next = full->next;

		put_and_discard(s, full->objs, s->batch, 0);
		if (release) {
			free(full);
		} else {
			pthread_mutex_lock(&s->depot_lock);
			full->next = s->empty;
			s->empty = full;
			pthread_mutex_unlock(&s->depot_lock);
		}
		full = next;
	}
	while (empty) {
		struct ukmem__magazine *next = empty->next;

		free(empty);
		empty = next;
	}
}

/*
 * The cheap double-free check of the default mode: before objects leave a thread's array,
 * each one leaving is compared with the next DEDUP_WINDOW objects freed after it (a
 * kfree(a); kfree(b); kfree(a) whose copies have not both been handed out yet).  The later
 * copy is dropped and reported, so the object cannot reach the depot or its slab twice.
 * DEDUP_WINDOW compares per object leaving, no memory touched but the array (a few
 * instructions per object freed, in the flush): the check covers double frees with up to
 * DEDUP_WINDOW - 1 other frees of the cache between them.
 * Returns the array's new fill.
 */
#define DEDUP_WINDOW	2

/* Rebuild the array without the later copy of each duplicate (rare: after a double free). */
static noinline unsigned int slot_drop_duplicates(struct kmem_cache *s,
						  struct ukmem__slab_slot *slot, unsigned int n)
{
	void **objs = slot->objs, *orig[1024];	/* cpu_limit() caps arrays at 1024 */
	unsigned int out = 0;

	if (NEVER(n > ARRAY_SIZE(orig)))
		return n;
	memcpy(orig, objs, n * sizeof(void *));
	for (unsigned int i = 0; i < n; i++) {
		bool dup = false;

		for (unsigned int k = i >= DEDUP_WINDOW ? i - DEDUP_WINDOW : 0; k < i; k++)
			dup |= orig[k] == orig[i];
		if (!dup) {
			objs[out++] = orig[i];
			continue;
		}
		ukmem__slab_report_free("double-free", orig[i],
			"it was freed twice (found twice among this thread's free objects, where it waited to be reused; the second free is dropped)",
			s, 0);
	}
	__atomic_store_n(&slot->n, out, __ATOMIC_RELAXED);
	return out;
}

static unsigned int slot_dedup(struct kmem_cache *s, struct ukmem__slab_slot *slot,
			       unsigned int n, unsigned int count)
{
	void **objs = slot->objs;
	unsigned int i = 0, lim = min(count, n > DEDUP_WINDOW ? n - DEDUP_WINDOW : 0);

	for (; i < lim; i++)		/* the common case, unrolled for DEDUP_WINDOW == 2 */
		if (unlikely((objs[i] == objs[i + 1]) | (objs[i] == objs[i + 2])))
			return slot_drop_duplicates(s, slot, n);
	for (; i < count && i < n; i++)
		for (unsigned int j = i + 1; j <= i + DEDUP_WINDOW && j < n; j++)
			if (unlikely(objs[i] == objs[j]))
				return slot_drop_duplicates(s, slot, n);
	return n;
}

static void kfence_gave(unsigned long k);

/* Give the oldest count objects of this thread's slot of s back (to the depot as one full
 * magazine, else to their slabs). */
static void slot_flush(struct kmem_cache *s, struct ukmem__slab_slot *slot, unsigned int count)
{
	unsigned int was = slot->n, n = slot_dedup(s, slot, was, count);

	if (count > n)
		count = n;
	if (count) {
		if (count != s->batch || __atomic_load_n(&s->dead, __ATOMIC_RELAXED) ||
		    !depot_put(s, slot->objs))
			put_and_discard(s, slot->objs, count, 0);
		memmove(slot->objs, slot->objs + count, (n - count) * sizeof(void *));
		__atomic_store_n(&slot->n, n - count, __ATOMIC_RELAXED);
	}
	if (unlikely(ukmem__kfence.interval))
		kfence_gave(was - (n - count));	/* duplicates dropped included */
}

static struct kmem_cache *cache_of_slot(unsigned int id, const struct ukmem__slab_slot *slot);

/* This thread's hot object onto its slot's array (flushing a full array first).  Every
 * slow path and flush starts here, so they see the arrays alone.  A hot object is set only
 * by a fast free into a slot with an array, and arrays go away only in
 * ukmem__slab_flush_thread, which spills first. */
static void hot_spill(struct ukmem__slab_table *t)
{
	struct kmem_cache *s = t ? t->hot->cache : NULL;
	struct ukmem__slab_slot *slot;
	unsigned long n;

	if (!s)
		return;
	slot = &t->slots[s->id];
	if (slot->n >= slot->cap)
		slot_flush(s, slot, min_t(unsigned int, s->batch, slot->cap));
	n = slot->n;
	slot->objs[n] = t->hot->obj;
	__atomic_store_n(&slot->n, n + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&t->hot->cache, NULL, __ATOMIC_RELAXED);
}

/* Give back everything this thread holds (thread exit, flush requests).  A destroyed cache
 * is released here when this thread held its last objects. */
void ukmem__slab_flush_thread(void)
{
	struct ukmem__slab_table *t = this_table();

	if (!t)
		return;
	hot_spill(t);
	for (unsigned int id = 0; id < UKMEM_SLAB_MAX_CACHES; id++) {
		struct ukmem__slab_slot *slot = &t->slots[id];
		struct kmem_cache *s;
		bool last = false;
		void **old;

		if (!slot->objs)
			continue;
		pthread_mutex_lock(&ukmem__slab.mutex);
		s = cache_of_slot(id, slot);
		if (s) {
			slot_flush(s, slot, slot->n);
			last = s->dead && ukmem__slab_cached_objects(s) == 0;
			if (last) {
				__atomic_store_n(&s->dead, false, __ATOMIC_RELAXED);	/* we release it */
				list_del(&s->list);
			}
		}
		/* gone from the slot under the mutex: a walker reading it holds the mutex */
		old = slot->objs - 1;
		__atomic_store_n(&slot->objs, NULL, __ATOMIC_RELAXED);
		slot->cap = 0;
		pthread_mutex_unlock(&ukmem__slab.mutex);
		free(old);
		if (last)
			release_cache(s);
	}
}

static void unpark_table(void);

static void slab_thread_exit(void)
{
	struct ukmem__slab_table *t;

	unpark_table();
	t = this_table();

	ukmem__slab_tls.exited = true;
	if (!t)
		return;
	ukmem__slab_flush_thread();
	pthread_mutex_lock(&ukmem__slab.mutex);
	list_del(&t->node);
	pthread_mutex_unlock(&ukmem__slab.mutex);
	ukmem__slab_tls.tab = (struct ukmem__slab_slot *)zero_table.slots;
	ukmem__slab_tls.own = false;
	ukmem__os_free(t, sizeof(*t));
}

/* Gives this thread's slot an array sized for s: an array left by an earlier cache with this
 * id (ids are reused once a destroyed cache's objects are all back) is replaced.  Under
 * slab.mutex, as the live-object walk reads other threads' slots under it (the array a
 * walker reads must not be freed under it). */
/* What the free fast path may fill of a slot of s: its whole array, or nothing while KFENCE
 * samples (every free must then reach the slow path, which counts). */
static inline unsigned long slot_cap_for(const struct kmem_cache *s)
{
	return ukmem__kfence.interval ? 0 : s->cpu_limit;
}

static noinline void slot_array_set(struct ukmem__slab_slot *slot, struct kmem_cache *s)
{
	void **old = NULL, **arr;

	pthread_mutex_lock(&ukmem__slab.mutex);
	if (slot_len(slot) != s->cpu_limit && !slot->n) {
		old = slot->objs ? slot->objs - 1 : NULL;
		__atomic_store_n(&slot->objs, NULL, __ATOMIC_RELAXED);
		slot->cap = 0;
	}
	if (!slot->objs && s->cpu_limit) {
		arr = calloc(s->cpu_limit + 1, sizeof(void *));
		if (arr) {
			arr[0] = (void *)(unsigned long)s->cpu_limit;
			__atomic_store_n(&slot->objs, arr + 1, __ATOMIC_RELEASE);
		}
	}
	if (slot->objs && !slot->n)	/* a new array, or KFENCE's setting changed since */
		slot->cap = slot_cap_for(s);
	pthread_mutex_unlock(&ukmem__slab.mutex);
	free(old);
}

/* This thread's table ready for the slow paths (hot object spilled, flush requests
 * honoured), or NULL: the thread is hooked (its table parked) or has none. */
static __always_inline struct ukmem__slab_table *table_ready(void)
{
	struct ukmem__slab_table *t = this_table();

	if (unlikely(ukmem__debug_hooked())) {	/* every allocation must reach the hooks */
		ukmem__slab_park_thread();
		return NULL;
	}
	if (unlikely(!t)) {
		unpark_table();
		t = this_table();
		if (!t && !(t = table_create()))
			return NULL;
	}
	hot_spill(t);
	if (unlikely(ukmem__slab_tls.gen != __atomic_load_n(&ukmem__slab.flush_gen, __ATOMIC_ACQUIRE))) {
		ukmem__slab_tls.gen = __atomic_load_n(&ukmem__slab.flush_gen, __ATOMIC_ACQUIRE);
		ukmem__slab_flush_thread();
	}
	return t;
}

/* The slot of s for this thread, with its array, ready for the slow paths. */
static struct ukmem__slab_slot *this_slot(struct kmem_cache *s)
{
	struct ukmem__slab_table *t = table_ready();
	struct ukmem__slab_slot *slot;

	if (!t)
		return NULL;
	slot = &t->slots[s->id];
	/* not while KFENCE samples and the array is right (its cap 0): the bulk calls come
	 * here on every call then, and the slab mutex would serialise them */
	if (unlikely((slot->objs && !slot->n &&
		      (slot->cap != slot_cap_for(s) || slot_len(slot) != s->cpu_limit)) ||
		     (!slot->objs && s->cpu_limit)))
		slot_array_set(slot, s);
	return slot;
}

/* this_slot() for the bulk calls, which come here on every call: the slot as it stands when
 * nothing is to be done first (this thread owns a table, its hot object is empty, no flush
 * is pending, no debug hook is armed, the array is set to the cache's capacity); else
 * this_slot() does what is needed.  A thread without a table of its own has the all-zero
 * table, whose slots have no array: the objs test covers it. */
static __always_inline struct ukmem__slab_slot *bulk_slot(struct kmem_cache *s)
{
	struct ukmem__slab_slot *slot = ukmem__slab_slot_of(ukmem__slab_tls.tab, s);

	if (unlikely(ukmem__slab_tls.hot.cache || ukmem__debug_hooked() ||
		     ukmem__slab_tls.gen != __atomic_load_n(&ukmem__slab.flush_gen, __ATOMIC_ACQUIRE) ||
		     !slot->objs || slot->cap != s->cpu_limit))
		return this_slot(s);
	return slot;
}

/* ---- the slow paths ---- */
static void *kfence_mode_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig);
static void kfence_mode_free(struct kmem_cache *s, void *obj, unsigned long caller);

/* k objects joined this thread's arrays on a slow path (kf_room >= k): KFENCE's count. */
static __always_inline void kfence_took(unsigned long k)
{
	ukmem__slab_tls.kf_room -= k;
	ukmem__slab_tls.kf_held += k;
}

/* Every free comes to the slow path while KFENCE samples (see "KFENCE's count"); the common
 * case is done here, first: onto an array of the cache's length with space, while kf_room
 * allows, the object not the array's top (freed twice: kfence_mode_free reports it). */
static __always_inline bool kfence_push(struct kmem_cache *s, void *obj)
{
	struct ukmem__slab_slot *slot = ukmem__slab_slot_of(ukmem__slab_tls.tab, s);
	void **objs = slot->objs;
	unsigned long n = slot->n;

	if (unlikely(!ukmem__slab_tls.kf_room || !objs || n >= s->cpu_limit ||
		     (unsigned long)objs[-1] != s->cpu_limit || objs[(long)n - 1] == obj))
		return false;
	objs[n] = obj;
	__atomic_store_n(&slot->n, n + 1, __ATOMIC_RELAXED);
	kfence_took(1);
	return true;
}

static bool want_init_on_free(const struct kmem_cache *s)
{
	return ukmem__slab_init_on_free(s);
}

/*
 * init_on_free's zeroing of @obj at its free, before the slab has seen it.  In a slab with a
 * free list the free-pointer word inside the object is left alone: the object may be on that
 * list already (a double free, which the slab then refuses), and the word is its link; a
 * valid free writes the word itself when it links the object, and every allocation wipes it
 * (alloc_slow_init: with init_on_free no thread keeps an array, so every allocation is a
 * slow one).  A slab with a bitmap (up to 64 objects) links nothing through its objects.
 */
static void free_init(const struct kmem_cache *s, void *obj)
{
	size_t fp = s->offset, end = fp + sizeof(void *);

	if (s->use_map || end > s->object_size) {
		memset(obj, 0, s->object_size);
		return;
	}
	memset(obj, 0, fp);
	memset((char *)obj + end, 0, s->object_size - end);
}

/* A debug cache: one object at a time through the checks (damaged ones are skipped), its
 * bytes final (zeroed or not), then kmalloc's slack past @orig marked. */
static noinline void *debug_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
				  size_t orig)
{
	void *stride, *obj = NULL;

	while (!obj && get_objects(s, gfp, &stride, 1))
		obj = ukmem__debug_alloc(s, stride, gfp, caller, orig);
	if (obj && ukmem__slab_want_init_on_alloc(s, gfp))
		memset(obj, 0, s->object_size);
	if (obj)
		ukmem__debug_mark_slack(s, obj);
	return obj;
}

/* The slow path past its fault-injection point: one object (kmem_cache_alloc_bulk's objects
 * come here after the bulk's single point).  Inlined into both callers, so that a recorded
 * stack starts at the allocator's entry. */
/* A debug cache's allocation: zeroed and marked in src/debug, told to kmemleak here. */
static __always_inline void *debug_alloc_tracked(struct kmem_cache *s, gfp_t gfp,
						 unsigned long caller, size_t orig)
{
	void *obj = debug_alloc(s, gfp, caller, orig);

	if (obj && ukmem__slab_leak_tracked(s))
		ukmem__leak_track(obj, s->object_size, UKMEM_LEAK_SLAB, caller);
	return obj;
}

/* One object straight from the slabs, for a slot without an array (@slot NULL: a hooked
 * thread, where a fail sweep attributes the object to its run: one object at a time, its
 * stack is affordable). */
static __always_inline void *alloc_one(struct kmem_cache *s, gfp_t gfp,
				       const struct ukmem__slab_slot *slot, unsigned long caller)
{
	void *obj;

	if (!get_objects(s, gfp, &obj, 1))
		return NULL;
	if (!slot && ukmem__slab_leak_tracked(s))
		ukmem__leak_track(obj, s->object_size, UKMEM_LEAK_SLAB, caller);
	return obj;
}

/* A slow allocation's object made ready: zeroed for init_on_alloc or __GFP_ZERO; with
 * init_on_free it was zeroed at its free, but a free list may have threaded its pointer
 * through it since: that word is wiped, as the kernel does. */
static __always_inline void *alloc_slow_init(struct kmem_cache *s, void *obj, gfp_t gfp)
{
	if (obj && ukmem__slab_want_init_on_alloc(s, gfp))
		memset(obj, 0, s->object_size);
	else if (obj && want_init_on_free(s) && s->offset + sizeof(void *) <= s->object_size)
		memset((char *)obj + s->offset, 0, sizeof(void *));
	return obj;
}

static __always_inline void *alloc_slow_unhooked(struct kmem_cache *s, gfp_t gfp,
						 unsigned long caller, size_t orig)
{
	struct ukmem__slab_slot *slot;
	void *obj = NULL;
	unsigned int n;

	if (unlikely(ukmem__kfence.interval))	/* its count, and the object it samples */
		return kfence_mode_alloc(s, gfp, caller, orig);
	if (unlikely(s->debug))
		return debug_alloc_tracked(s, gfp, caller, orig);
	slot = this_slot(s);
	n = slot ? slot->n : 0;
	if (n) {
		obj = slot->objs[n - 1];
		__atomic_store_n(&slot->n, n - 1, __ATOMIC_RELAXED);
	} else if (slot && slot->cap) {
		unsigned int got = slot->cap >= s->batch ? depot_get(s, slot->objs) : 0;

		if (!got)
			got = get_objects(s, gfp, slot->objs, min_t(unsigned int, s->batch, slot->cap));

		if (got) {
			obj = slot->objs[got - 1];
			__atomic_store_n(&slot->n, got - 1, __ATOMIC_RELAXED);
		}
	} else {
		obj = alloc_one(s, gfp, slot, caller);
	}
	return alloc_slow_init(s, obj, gfp);
}

noinline void *ukmem__slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
				      size_t orig)
{
	ukmem__ensure_started();
	if (unlikely(!s))
		return NULL;
	if (gfp & __GFP_DIRECT_RECLAIM)
		__might_sleep("include/linux/sched/mm.h", 274);
	if (ukmem__debug_hooked() && ukmem__should_failslab(s, gfp))
		return NULL;
	return alloc_slow_unhooked(s, gfp, caller, orig);
}

/* The objects of s this thread freed last and still holds: its hot object and the top of
 * its array (NULL where there is none).  Freeing either again is a double free.  Read before
 * this_slot(), whose flush on request would forget them. */
static __always_inline void freed_last(struct kmem_cache *s, void *last[2])
{
	struct ukmem__slab_table *t = this_table();
	const struct ukmem__slab_slot *slot;

	last[0] = last[1] = NULL;
	if (!t)
		return;
	if (t->hot->cache == s)
		last[0] = t->hot->obj;
	slot = &t->slots[s->id];
	if (slot->n)
		last[1] = slot->objs[slot->n - 1];
}

/* A free of one of the last two objects this thread freed into s (its hot object, its
 * array's top): the double-free report (true), the object left where it is. */
static bool freed_again(struct kmem_cache *s, void *obj, unsigned long caller)
{
	void *last[2];

	freed_last(s, last);
	if (obj != last[0] && obj != last[1])
		return false;
	ukmem__slab_report_free("double-free", obj,
		"it is already the most recently freed object of its cache", s, caller);
	return true;
}

/* The default mode's slow free: a double free of one of the last objects freed, a full
 * array, or a slot without one. */
static noinline void free_slow_plain(struct kmem_cache *s, void *obj, unsigned long caller)
{
	struct ukmem__slab_slot *slot;
	unsigned int n;

	if (freed_again(s, obj, caller))
		return;
	slot = this_slot(s);
	if (want_init_on_free(s))
		free_init(s, obj);
	if (!slot || !slot->cap) {
		put_and_discard(s, &obj, 1, caller);
		return;
	}
	if (slot->n >= slot->cap)
		slot_flush(s, slot, min_t(unsigned int, s->batch, slot->cap));
	n = slot->n;
	slot->objs[n] = obj;
	__atomic_store_n(&slot->n, n + 1, __ATOMIC_RELAXED);
}

/* Only tail calls, and no frame: while KFENCE samples every free comes here, and
 * kfence_push is its usual end. */
noinline void ukmem__slab_free_slow(struct kmem_cache *s, void *obj, unsigned long caller)
{
	if (unlikely(s->debug))
		ukmem__debug_free(s, obj, caller);
	else if (likely(!ukmem__kfence.interval))
		free_slow_plain(s, obj, caller);
	else if (!kfence_push(s, obj))
		kfence_mode_free(s, obj, caller);
}

/*
 * KFENCE's count.  kfence.sample_interval=N samples the N-th allocation a thread makes (the
 * first one included), while the fast paths keep their arrays and test nothing for it.
 * The allocation fast path pops from an array while the array is not empty; the free fast
 * path is what cannot count, so while KFENCE samples every slot's cap is 0 and each free
 * reaches the slow path (kfence_mode_free), which pushes onto the same array itself.  So
 * objects enter a thread's arrays only on its slow paths, and:
 *
 *	kf_room = (allocations before the thread's sampled one) - (objects in its arrays)
 *
 * does not change on the allocation fast path (a pop takes one from each), only on the slow
 * paths: a slow allocation takes one (it counts and leaves the arrays as they are), a push
 * or a refill takes one per object added, and slot_flush gives back one per object that
 * leaves (kfence_gave).  The slow paths add objects only while kf_room stays >= 0, so the
 * arrays never hold as many objects as the thread allocates before its sampled allocation,
 * which therefore always reaches the slow path.  There, kf_room is 0: the arrays hold as
 * many objects as the allocations left before it; when they may hold any (kf_held, an upper
 * bound: the slow paths add, the fast path's pops go unseen) they are given back
 * (kfence_drain, which gives kf_room its exact value), and the allocation is the sampled
 * one only when none were left.  That drain happens about once per N allocations.
 * Start-up's own allocations are neither counted nor sampled.
 */

/* k objects left this thread's arrays (slot_flush). */
static void kfence_gave(unsigned long k)
{
	ukmem__slab_tls.kf_room += k;
	ukmem__slab_tls.kf_held -= min(k, ukmem__slab_tls.kf_held);
}

/* This thread's arrays emptied (their objects back to the depot and the slabs), the arrays
 * kept: only the slots of caches in use can hold objects.  A destroyed cache's objects go
 * through ukmem__slab_flush_thread, which releases the cache when they were its last. */
static void kfence_drain(void)
{
	struct ukmem__slab_table *t = this_table();
	bool dead = false;

	if (!t)
		return;
	pthread_mutex_lock(&ukmem__slab.mutex);
	for (unsigned int w = 0; w < UKMEM_SLAB_MAX_CACHES / 64; w++)
		for (unsigned long bits = ukmem__slab.used_ids[w]; bits; bits &= bits - 1) {
			unsigned int id = w * 64 + __builtin_ctzl(bits);
			struct ukmem__slab_slot *slot = &t->slots[id];
			struct kmem_cache *s;

			if (!slot->n)
				continue;
			s = cache_of_slot(id, slot);
			if (s && !__atomic_load_n(&s->dead, __ATOMIC_RELAXED))
				slot_flush(s, slot, slot->n);
			else
				dead = true;
		}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	if (dead)
		ukmem__slab_flush_thread();
}

/* Count this allocation: true when it is the sampled one. */
static bool kfence_due(void)
{
	struct ukmem__slab_tls *tls = &ukmem__slab_tls;

	if (tls->kf_room) {
		tls->kf_room--;
		return false;
	}
	if (unlikely(ukmem__starting()))	/* start-up's own: not counted */
		return false;
	if (tls->kf_held) {
		kfence_drain();			/* kf_room += what they held */
		tls->kf_held = 0;
		if (tls->kf_room) {
			tls->kf_room--;
			return false;
		}
	}
	tls->kf_room = ukmem__kfence.interval - 1;
	return true;
}

/* this_slot() for KFENCE mode, where cap is 0: the array's length is the test. */
static struct ukmem__slab_slot *kfence_slot(struct kmem_cache *s)
{
	struct ukmem__slab_table *t = table_ready();
	struct ukmem__slab_slot *slot;

	if (!t)
		return NULL;
	slot = &t->slots[s->id];
	if (unlikely(slot_len(slot) != s->cpu_limit && !slot->n))
		slot_array_set(slot, s);
	return slot;
}

/* The slow allocation while KFENCE samples: counted, served from the pool when sampled, else
 * as alloc_slow_unhooked does, with refills kept within kf_room. */
static noinline void *kfence_mode_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller,
					size_t orig)
{
	struct ukmem__slab_slot *slot;
	void *obj = NULL;
	unsigned long n;

	if (kfence_due() && (obj = ukmem__kfence_alloc(s, gfp, caller, orig))) {
		/* sized and initialised there (6.1's KFENCE zeroes only the size asked for);
		 * kmemleak is told the cache's object size, as 6.1's slab_post_alloc_hook
		 * tells it for every object, KFENCE's included */
		if (ukmem__slab_leak_tracked(s))
			ukmem__leak_track(obj, s->object_size, UKMEM_LEAK_SLAB, caller);
		return obj;
	}
	if (unlikely(s->debug))
		return debug_alloc_tracked(s, gfp, caller, orig);
	slot = kfence_slot(s);
	n = slot ? slot->n : 0;
	if (n) {
		obj = slot->objs[n - 1];
		__atomic_store_n(&slot->n, n - 1, __ATOMIC_RELAXED);
		kfence_gave(1);
	} else if (slot && slot->objs) {
		/* this object and at most kf_room more for the array */
		unsigned long want = min3((unsigned long)s->batch, slot_len(slot),
					  ukmem__slab_tls.kf_room + 1);
		unsigned int got = want == s->batch ? depot_get(s, slot->objs) : 0;

		if (!got)
			got = get_objects(s, gfp, slot->objs, want);
		if (got) {
			obj = slot->objs[got - 1];
			__atomic_store_n(&slot->n, got - 1, __ATOMIC_RELAXED);
			kfence_took(got - 1);
		}
	} else {
		obj = alloc_one(s, gfp, slot, caller);
	}
	return alloc_slow_init(s, obj, gfp);
}

/* The free while KFENCE samples, past kfence_push: onto this thread's array while kf_room
 * allows, else straight back to its slab. */
static noinline void kfence_mode_free(struct kmem_cache *s, void *obj, unsigned long caller)
{
	struct ukmem__slab_slot *slot;
	unsigned long n;

	if (freed_again(s, obj, caller))
		return;
	slot = kfence_slot(s);
	if (want_init_on_free(s))
		free_init(s, obj);
	if (slot && slot->objs && (slot->n >= slot_len(slot) || !ukmem__slab_tls.kf_room))
		/* full, or the thread allocates no more objects before its sampled one than its
		 * arrays hold: the oldest go back, as a magazine when they make one */
		slot_flush(s, slot, min_t(unsigned int, s->batch, slot->n));
	if (!slot || !slot->objs || !ukmem__slab_tls.kf_room) {
		put_and_discard(s, &obj, 1, caller);
		return;
	}
	n = slot->n;
	slot->objs[n] = obj;
	__atomic_store_n(&slot->n, n + 1, __ATOMIC_RELAXED);
	kfence_took(1);
}

/*
 * kmemleak's records and the free fast path.  A record of a slab object (its stack, a
 * fail-sweep run, kmemleak_not_leak's flag ...) must go when the object is freed: a free
 * that left it would hand its stack and flags to the next object at that address.  The
 * fast path does not look records up; instead, while kmemleak holds any record of a
 * cache's objects (leak_records > 0), the cache's free_bound is 0, so that the fast path's
 * bound check fails and every free of the cache comes here, through the slow path's checks.
 * gate_lock orders the transitions: each one sets free_bound from the count it finds.  The
 * gate closes when the count leaves 0 (before the record's object is handed out, so no free
 * of it can pass the fast path); it opens lazily, once GATE_IDLE_FREES gated frees in a row
 * found no record, so that a cache whose last record comes and goes (one object at a time
 * under the debug hooks) does not take gate_lock twice a pair.
 */
#define GATE_IDLE_FREES	64

static void gate_update(struct kmem_cache *s)
{
	pthread_mutex_lock(&ukmem__slab.gate_lock);
	__atomic_store_n(&s->free_bound,
			 __atomic_load_n(&s->leak_records, __ATOMIC_RELAXED) ||
			 ukmem__leak_scan_running() ? 0 : s->obj_bound, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&ukmem__slab.gate_lock);
}

/* A kmemleak scan starts or ends (ukmem__leak_scanning changed): every cache's gate is
 * closed while one runs, so that the scan hears of every free (debug/kmemleak.h); after
 * it, each gate opens at once unless records hold it.  A cache created meanwhile has only
 * objects the scan did not list, which it takes for new ones anyway. */
void ukmem__slab_gates_update_all(void)
{
	struct kmem_cache *s;

	pthread_mutex_lock(&ukmem__slab.mutex);
	list_for_each_entry(s, &ukmem__slab.caches, list)
		gate_update(s);
	pthread_mutex_unlock(&ukmem__slab.mutex);
}

struct kmem_cache *ukmem__slab_leak_hold(const void *p)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	struct kmem_cache *s;

	if (!slab)
		return NULL;
	s = slab->slab_cache;
	if (__atomic_fetch_add(&s->leak_records, 1, __ATOMIC_RELAXED) == 0) {
		__atomic_store_n(&s->gate_idle, 0, __ATOMIC_RELAXED);
		gate_update(s);
	}
	return s;
}

/* The gate stays closed: ukmem__slab_free_tracked opens it once it has been idle. */
void ukmem__slab_leak_release(struct kmem_cache *s)
{
	__atomic_sub_fetch(&s->leak_records, 1, __ATOMIC_RELAXED);
}

/* The record goes first: once the object is back, another thread may allocate it and
 * record it anew. */
noinline void ukmem__slab_free_tracked(struct kmem_cache *s, void *obj)
{
	ukmem__leak_untrack(obj, UKMEM_LEAK_SLAB);
	if (!__atomic_load_n(&s->leak_records, __ATOMIC_RELAXED) &&
	    __atomic_add_fetch(&s->gate_idle, 1, __ATOMIC_RELAXED) >= GATE_IDLE_FREES) {
		__atomic_store_n(&s->gate_idle, 0, __ATOMIC_RELAXED);
		gate_update(s);
	}
	ukmem__slab_free(s, obj);
}

/* One object of a free_bulk, refused: a double free of one of the last objects freed
 * (@twice: it passed the object checks), or not an object of s. */
static noinline void free_bulk_refuse(struct kmem_cache *s, void *obj, bool twice,
				      unsigned long caller)
{
	if (twice)
		ukmem__slab_report_free("double-free", obj,
					"it is already the most recently freed object of its cache",
					s, caller);
	else
		ukmem__slab_bad_cache_free(s, obj, caller);
}

/* Copy the objects of p[0..count) that pass kmem_cache_free's checks to dst, in order, up to
 * the first one refused.  dst[-1] is the array's top (the NULL sentinel below objs[0] when
 * the array is empty), @b0 and @b1 the objects freed just before it: an object equal to any
 * of them, or to the object copied just before it (dst[i - 1], read back from the array),
 * is a double free.  The memory map is read into locals once; the object test
 * (ukmem__off_aligned: and, multiply, compare) takes the cache's fields as memory operands.
 * Each check is a branch of its own, out of the loop: the loop is about 27 instructions an
 * object, with nothing kept on the stack.  Out of line, so that the loop has the registers
 * to itself.  Return: the objects copied; fewer than count when p[return] is refused. */
static noinline size_t free_bulk_copy(const struct kmem_cache *s, void **dst, void **p,
				      size_t count, const void *b0, const void *b1)
{
	const unsigned long base = ukmem__memmap_local.page_offset;
	const unsigned long limit = ukmem__memmap_local.nr_pfns << PAGE_SHIFT;
	struct page *const pages = ukmem__memmap_local.pages;
	size_t i;

	for (i = 0; i < count; i++) {
		void *obj = p[i];
		unsigned long off = (unsigned long)obj - base;
		struct page *page;

		/* the pointer tests between the loads: side by side, the compiler would merge
		 * two of them with setcc and or, two instructions more */
		if (unlikely(off >= limit))
			break;
		page = pages + (off >> PAGE_SHIFT);
		if (unlikely(!PageSlab(page)))
			break;
		if (unlikely(obj == b0))
			break;
		if (unlikely(page_slab(page)->slab_cache != s))
			break;
		if (unlikely(obj == b1))
			break;
		if (unlikely(!ukmem__off_aligned(s, off)))
			break;
		if (unlikely(obj == dst[(long)i - 1]))
			break;
		dst[i] = obj;
	}
	return i;
}

/* kmem_cache_free of obj on behalf of caller (whose name a report gives, not this file's). */
static void free_one(struct kmem_cache *s, void *obj, unsigned long caller)
{
	if (unlikely(ukmem__free_check(obj) != s))
		ukmem__slab_bad_cache_free(s, obj, caller);
	else
		ukmem__slab_free(s, obj);
}

/* Objects of p[0..count) into this thread's array of s (@slot), up to the first one that
 * is refused; @before: the objects freed just before the array's top (freed_last).
 * Return: the objects taken; fewer than count when p[return] is refused (*@twice: as a
 * double free). */
static size_t free_bulk_run(struct kmem_cache *s, struct ukmem__slab_slot *slot, void **p,
			    size_t count, void *before[2], bool *twice)
{
	size_t i = 0;

	while (i < count) {
		unsigned long n = slot->n, take = min_t(size_t, slot->cap - n, count - i), done;
		void **dst = slot->objs + n;	/* dst[-1]: the top (before[] holds the earlier) */

		if (!take) {
			slot_flush(s, slot, min_t(unsigned int, s->batch, slot->cap));
			continue;
		}
		done = free_bulk_copy(s, dst, p + i, take, before[0], before[1]);
		i += done;
		__atomic_store_n(&slot->n, n + done, __ATOMIC_RELAXED);
		if (done < take) {	/* refused: a double free when it is one of those */
			*twice = p[i] == dst[(long)done - 1] || p[i] == before[0] ||
				 p[i] == before[1];
			break;
		}
	}
	return i;
}

/* kmem_cache_free_bulk: each object is checked as kmem_cache_free checks it, then copied
 * into this thread's array without a call per object.  A refused object is dealt with only
 * once the array is consistent again (its count stored): its report, or its free into the
 * cache it is really from (a wrong cache), may flush this thread's arrays.  The array is
 * looked up afresh after it. */
void ukmem__slab_free_bulk(struct kmem_cache *s, size_t size, void **p, unsigned long caller)
{
	size_t i = 0;

	while (i < size) {
		struct ukmem__slab_slot *slot;
		void *before[2];
		bool twice = false;

		freed_last(s, before);
		slot = bulk_slot(s);
		if (!slot || !slot->cap || want_init_on_free(s) ||
		    !__atomic_load_n(&s->free_bound, __ATOMIC_RELAXED)) {	/* kmemleak's gate */
			while (i < size)
				free_one(s, p[i++], caller);
			return;
		}
		i += free_bulk_run(s, slot, p + i, size - i, before, &twice);
		if (i < size) {
			free_bulk_refuse(s, p[i], twice, caller);
			i++;
		}
	}
}

/* ---- cache geometry ---- */
/* Locks held for a few hundred nanoseconds: spin a little before sleeping. */
static void ukmem__slab_mutex_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
}

/* x^-1 mod 2^32 for odd x (Newton's iteration doubles the correct bits each step). */
static unsigned int odd_inverse(unsigned int x)
{
	unsigned int inv = x;

	for (int i = 0; i < 5; i++)
		inv *= 2 - x * inv;
	return inv;
}

static unsigned int calc_order(unsigned int size, unsigned int min_objects)
{
	for (unsigned int order = 0; order <= 3; order++) {
		unsigned long slab_size = PAGE_SIZE << order;
		unsigned int objs = slab_size / size;

		if (objs >= min_objects && (slab_size % size) * 16 <= slab_size)
			return order;
	}
	for (unsigned int order = 0; order <= 3; order++)
		if ((PAGE_SIZE << order) / size >= 1 && ((PAGE_SIZE << order) % size) * 8 <= (PAGE_SIZE << order))
			return order;
	return get_order(size);
}

/* Per-thread array capacity: about 512 KiB of objects, 8 to 1024 of them, so every class up
 * to 4 KiB keeps at least 128 (SLAB's per-CPU arrays hold 120 small objects; larger arrays
 * keep typical working sets thread-local). */
static unsigned int cpu_limit(unsigned int size)
{
	return clamp((512U << 10) / size, 8U, 1024U);
}

static unsigned int calc_align(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	return ALIGN(max(align, (unsigned int)ARCH_SLAB_MINALIGN), sizeof(void *));
}

/*
 * The debug layout (SLUB's calculate_sizes with debug flags): a left red zone, the object, a
 * right red zone of at least a word, then the free pointer, the two tracks, the state word
 * and the quarantine link (all outside the object, so poison covers the whole object), and a
 * word of padding.  Offsets past the object are kept from the object's address.
 */
static void debug_layout(struct kmem_cache *s)
{
	unsigned int sz = ALIGN(s->object_size, sizeof(void *));

	if ((s->debug & SLAB_RED_ZONE) && sz == s->object_size)
		sz += sizeof(void *);
	s->rz_end = sz;
	s->offset = sz;
	sz += sizeof(void *);
	if (s->debug & (SLAB_STORE_USER | SLAB_KASAN))
		sz += 2 * sizeof(struct ukmem__track);
	sz += 2 * sizeof(u32);
	if (s->debug & UKMEM_QUARANTINE_FLAGS)
		sz += sizeof(void *);
	s->meta_end = sz;
	s->red_left_pad = 0;
	if (s->debug & SLAB_RED_ZONE) {
		sz += sizeof(void *);
		s->red_left_pad = ALIGN(sizeof(void *), s->align);
		sz += s->red_left_pad;
	}
	s->offset += s->red_left_pad;
	s->size = ALIGN(sz, s->align);
}

void ukmem__slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
			     unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	unsigned int sz = ALIGN(max(size, (unsigned int)sizeof(void *)), sizeof(void *));

	s->name = name;
	s->object_size = size;
	s->flags = flags;
	s->ctor = ctor;
	s->align = calc_align(flags, align, size);
	if (ctor || (flags & SLAB_TYPESAFE_BY_RCU)) {
		s->offset = sz;			/* outside the object: its bytes survive a free */
		sz += sizeof(void *);
	} else {
		s->offset = ALIGN_DOWN(size / 2, sizeof(void *));
	}
	s->size = ALIGN(sz, s->align);
	s->debug = ukmem__debug_cache_flags(name, flags, size);
	/* kasan=on's own poison is not the cache's SLAB_POISON (init_on_alloc zeroes) */
	s->flags |= s->debug & ~(SLAB_UKMEM_ANNOTATE | SLAB_UKMEM_KASAN_POISON |
				 (s->debug & SLAB_UKMEM_KASAN_POISON ? SLAB_POISON : 0));
	s->debug &= UKMEM_DEBUG_FLAGS;
	if (s->debug)
		debug_layout(s);
	s->order = calc_order(s->size, ukmem__slab.min_objects);
	s->objects = (PAGE_SIZE << s->order) / s->size;
	s->shift = __builtin_ctz(s->size);
	s->inverse = odd_inverse(s->size >> s->shift);
	s->slab_mask = (PAGE_SIZE << s->order) - 1;
	/* floor(2^64 / size) + 1, and objects * e with e = magic * size mod 2^64 (see
	 * ukmem__off_test); ~0UL / size is that floor, less one when size divides 2^64 */
	s->obj_magic = ~0UL / s->size + 1 + !(s->size & (s->size - 1));
	s->obj_bound = s->objects * (s->obj_magic * s->size);
	s->free_bound = s->obj_bound;
	s->min_partial = clamp(ilog2(s->size) / 2, 5, 10);
	s->keep_empty = max(s->min_partial, (unsigned int)(min(32ULL << 20, ukmem__cfg.mem / 32) >>
							     (PAGE_SHIFT + s->order)));
	s->use_map = s->objects <= 64;
	s->cpu_limit = want_init_on_free(s) || ukmem__slab_want_init_on_alloc(s, 0) || s->debug ?
		       0 : cpu_limit(s->size);
	s->batch = max(1u, (s->cpu_limit + 1) / 2);
	s->allocflags = (flags & SLAB_CACHE_DMA) ? GFP_DMA : (flags & SLAB_CACHE_DMA32) ? GFP_DMA32 : 0;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	if (getrandom(&s->random, sizeof(s->random), 0) != sizeof(s->random))
		s->random = (unsigned long)s ^ 0x9e3779b97f4a7c15UL;
	s->refcount = 1;
	ukmem__slab_mutex_init(&s->lock);
	ukmem__slab_mutex_init(&s->depot_lock);
	s->max_full = clamp((1U << 20) / s->size / s->batch, 2U, 64U);
	INIT_LIST_HEAD(&s->partial);
	if (s->debug)
		ukmem__debug_cache_created(s);
}

static int id_get(void)
{
	for (int w = 0; w < UKMEM_SLAB_MAX_CACHES / 64; w++)
		if (~ukmem__slab.used_ids[w]) {
			int b = __builtin_ctzl(~ukmem__slab.used_ids[w]);

			ukmem__slab.used_ids[w] |= 1UL << b;
			return w * 64 + b;
		}
	return -1;
}

static void id_put(unsigned int id)
{
	ukmem__slab.used_ids[id / 64] &= ~(1UL << (id % 64));
}

/* The cache a slot belongs to: through one of its objects, or the registry (slab.mutex
 * held).  NULL for an empty slot of a cache that no longer exists. */
static struct kmem_cache *cache_of_slot(unsigned int id, const struct ukmem__slab_slot *slot)
{
	struct kmem_cache *s;

	if (slot->n) {		/* the object's slab may be gone (a double free): then the lists */
		struct slab *slab = ukmem__virt_to_slab(slot->objs[0]);

		if (slab && slab->slab_cache->id == id)
			return slab->slab_cache;
	}
	list_for_each_entry(s, &ukmem__slab.caches, list)
		if (s->id == id)
			return s;
	list_for_each_entry(s, &ukmem__slab.zombies, list)
		if (s->id == id)
			return s;
	return NULL;
}

/* Objects of s held in threads' arrays, the depot and the quarantine (slab.mutex held). */
unsigned long ukmem__slab_cached_objects(struct kmem_cache *s)
{
	struct ukmem__slab_table *t;
	unsigned long n = 0;

	list_for_each_entry(t, &ukmem__slab.tables, node)
		n += __atomic_load_n(&t->slots[s->id].n, __ATOMIC_RELAXED) +
		     (__atomic_load_n(&t->hot->cache, __ATOMIC_RELAXED) == s);
	pthread_mutex_lock(&s->depot_lock);
	n += s->depot_objects;
	pthread_mutex_unlock(&s->depot_lock);
	return n + __atomic_load_n(&s->quarantined, __ATOMIC_RELAXED);
}

unsigned long ukmem__slab_live_objects(struct kmem_cache *s)
{
	unsigned long inuse, cached;

	pthread_mutex_lock(&ukmem__slab.mutex);
	cached = ukmem__slab_cached_objects(s);
	pthread_mutex_lock(&s->lock);
	inuse = s->inuse;
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&ukmem__slab.mutex);
	return inuse > cached ? inuse - cached : 0;
}

/* ---- public API ---- */
/* sizeof(struct kmem_cache_node) of 6.1's SLUB (with CONFIG_SLUB_DEBUG) on 64-bit: the size
 * kmem_cache_create's fault-injection point passes. */
#define KMEM_CACHE_NODE_SIZE	64

static noinline struct kmem_cache *create_failed(const char *name, int err, slab_flags_t flags)
{
	if (flags & SLAB_PANIC) {
		printk(KERN_EMERG "Kernel panic - not syncing: %s: Failed to create slab '%s'. Error %d\n",
		       "kmem_cache_create_usercopy", name, err);
		fflush(stderr);
		abort();
	}
	printk(KERN_WARNING "%s(%s) failed with error %d\n", "kmem_cache_create_usercopy", name, err);
	ukmem__print_task_line();	/* dump_stack()'s */
	ukmem__stack_dump(1);
	return NULL;
}

/* What a caller may ask of kmem_cache_create (6.1's list): the allocator's own flags
 * (SLAB_KMALLOC, SLAB_KASAN, SLAB_FAILSLAB, SLAB_SKIP_KFENCE) are refused. */
#define SLAB_FLAGS_PERMITTED	(SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
				 SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_DEBUG_OBJECTS | \
				 SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
				 SLAB_CONSISTENCY_CHECKS | SLAB_MEM_SPREAD | SLAB_NOLEAKTRACE | \
				 SLAB_RECLAIM_ACCOUNT | SLAB_TEMPORARY | SLAB_ACCOUNT | \
				 SLAB_NO_USER_FLAGS)

static void release_cache_rest(struct kmem_cache *s);

/**
 * kmem_cache_create_usercopy - create a cache whose objects have a region that may be copied
 * to and from user space
 * @name: shown in /proc/slabinfo (copied)
 * @size: object size, at most KMALLOC_MAX_SIZE (4 MiB)
 * @align: required alignment (0: ARCH_SLAB_MINALIGN); rounded up to a multiple of 8, as
 *         6.1 does, and refused when that is no power of two
 * @flags: SLAB_* flags a caller may give (SLAB_FLAGS_PERMITTED); others are refused
 * @useroffset: start of the user-copyable region
 * @usersize: its size; a region that does not fit in @size (or an offset without a size)
 *            is warned about and dropped, as 6.1 does: the cache has no such region
 * @ctor: constructor run once per object when its slab is created, or NULL
 *
 * Return: the cache, or NULL (a warning says why; SLAB_PANIC aborts instead).
 */
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *))
{
	struct kmem_cache *s;
	char *cname;
	int id;

	ukmem__ensure_started();
	might_sleep();
	/* 6.1's calculate_alignment: at least a word, rounded to words (3 means 8); one that
	 * is then no power of two (24) cannot be kept by power-of-two strides: refused. */
	align = ALIGN(max(align, (unsigned int)sizeof(void *)), sizeof(void *));
	if (!name || !size || size > KMALLOC_MAX_SIZE || (align & (align - 1)) ||
	    (flags & ~SLAB_FLAGS_PERMITTED))
		return create_failed(name ? name : "(null)", -EINVAL, flags);
	/* 6.1 fails closed on a bad region: a warning, and a cache with none */
	if (WARN_ON(!usersize && useroffset) ||
	    WARN_ON(size < usersize || size - usersize < useroffset))
		usersize = useroffset = 0;
	/* 6.1's new cache fails where its kmem_cache_node (kmem_cache_alloc_node, GFP_KERNEL)
	 * fails: one failslab point (its struct kmem_cache comes from the bootstrap cache,
	 * which failslab leaves alone) */
	if (ukmem__debug_hooked() &&
	    ukmem__should_fail(UKMEM_FAULT_OTHER, GFP_KERNEL, KMEM_CACHE_NODE_SIZE))
		return create_failed(name, -ENOMEM, flags);
	s = aligned_alloc(__alignof__(*s), sizeof(*s));
	if (s)
		memset(s, 0, sizeof(*s));
	cname = strdup(name);
	pthread_mutex_lock(&ukmem__slab.mutex);
	id = s && cname ? id_get() : -1;
	pthread_mutex_unlock(&ukmem__slab.mutex);
	if (id < 0) {
		free(s);
		free(cname);
		return create_failed(name, -ENOMEM, flags);
	}
	ukmem__slab_cache_setup(s, cname, size, align, flags & ~SLAB_KMALLOC, ctor);
	s->id = id;
	if (s->order >= MAX_ORDER) {	/* its debug layout outgrew the largest block */
		release_cache_rest(s);
		return create_failed(name, -EINVAL, flags);
	}
	s->slot_offset = id * sizeof(struct ukmem__slab_slot);
	s->useroffset = usersize ? useroffset : 0;
	s->usersize = usersize;
	pthread_mutex_lock(&ukmem__slab.mutex);
	list_add(&s->list, &ukmem__slab.caches);
	pthread_mutex_unlock(&ukmem__slab.mutex);
	/* A cache a fail sweep's run creates and keeps is the run's leak (its size: the
	 * objects').  Only there: 6.1's kmemleak never reports a cache (slab_caches holds it),
	 * nor does the exit report. */
	if (unlikely(ukmem__debug_tls.sweeping))
		ukmem__leak_track(s, s->object_size, UKMEM_LEAK_CACHE, _RET_IP_);
	return s;
}

/**
 * kmem_cache_create - create a cache of equally sized objects
 * See kmem_cache_create_usercopy(); the whole object is user-copyable.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	return kmem_cache_create_usercopy(name, size, align, flags, 0, 0, ctor);
}

/* Free every empty slab of s; with all, the partial list must hold empty slabs only. */
static void shrink_cache(struct kmem_cache *s, bool release)
{
	LIST_HEAD(discard);
	struct slab *slab, *tmp;

	depot_drain(s, release);
	pthread_mutex_lock(&s->lock);
	list_for_each_entry_safe(slab, tmp, &s->partial, slab_list) {
		if (slab->inuse || slab->corrupt)
			continue;
		slab->in_cache = 0;
		list_move(&slab->slab_list, &discard);
		s->nr_partial--;
		s->nr_empty--;
		s->nr_slabs--;
	}
	pthread_mutex_unlock(&s->lock);
	discard_slabs(s, &discard);
}

/* Bytes in slabs, every cache together. */
static long slab_bytes(void)
{
	return ukmem__stat(UKMEM_STAT_SLAB_RECLAIMABLE_B) + ukmem__stat(UKMEM_STAT_SLAB_UNRECLAIMABLE_B);
}

static void flush_this_slot(struct kmem_cache *s)
{
	struct ukmem__slab_table *t = this_table();

	hot_spill(t);
	if (t && t->slots[s->id].objs)
		slot_flush(s, &t->slots[s->id], t->slots[s->id].n);
}

/*
 * The page allocator's shrinker (direct reclaim, for allocations that may sleep): every cache
 * gives back its depot and empty slabs, as the kernel's slab shrinkers do under memory
 * pressure.  True when anything went back.  The slab allocator takes pages with none of its
 * locks held, so taking them here cannot deadlock.
 */
static bool slab_reclaim(void)
{
	long before = slab_bytes();
	struct kmem_cache *s;

	if (pthread_mutex_trylock(&ukmem__slab.mutex))
		return false;		/* a cache is being set up or torn down: skip this time */
	list_for_each_entry(s, &ukmem__slab.caches, list) {
		flush_this_slot(s);	/* the allocating thread's own arrays, then the cache */
		shrink_cache(s, false);
	}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	return slab_bytes() < before;
}

/**
 * kmem_cache_shrink - give a cache's empty slabs back to the page allocator
 * @s: the cache
 *
 * This thread's cached objects go back first; other threads give theirs back at their next
 * slow path.  May sleep (6.1's takes cpus_read_lock()).  Return: 1 when the cache still has
 * slabs (objects in use keep theirs), else 0, as 6.1's.
 */
int kmem_cache_shrink(struct kmem_cache *s)
{
	unsigned long left;

	/* s may be a kmalloc cache (a fixed address) whose fields start-up has not set yet. */
	ukmem__ensure_started();
	might_sleep();		/* 6.1's takes cpus_read_lock() */
	if (!s)
		return 0;
	if (s->debug & UKMEM_QUARANTINE_FLAGS)		/* quarantined objects are free ones */
		ukmem__kasan_quarantine_drain(s);
	flush_this_slot(s);
	__atomic_fetch_add(&ukmem__slab.flush_gen, 1, __ATOMIC_RELEASE);
	shrink_cache(s, false);
	pthread_mutex_lock(&s->lock);
	left = s->nr_slabs;
	pthread_mutex_unlock(&s->lock);
	return left ? 1 : 0;
}

static void release_after_callbacks(void *head)
{
	release_cache_rest(container_of((struct rcu_head *)head, struct kmem_cache, destroy_rcu));
}

static void rcu_flush_cb(void *head);

bool ukmem__slab_rcu_task_cb(void (*fn)(void *head))
{
	return fn == release_after_callbacks || fn == rcu_flush_cb;
}

/* Free a destroyed cache that is off every list and held by no thread (no locks held). */
static void release_cache(struct kmem_cache *s)
{
	shrink_cache(s, true);
	if (s->flags & SLAB_TYPESAFE_BY_RCU) {	/* slabs waiting for a grace period use s */
		if (ukmem__urcu_in_callback()) {
			/* destroyed from a callback, which cannot wait for its own batch: the
			 * rest runs after every callback queued so far, those slabs' included */
			ukmem__urcu_call(&s->destroy_rcu, release_after_callbacks);
			return;
		}
		ukmem__urcu_barrier();
	}
	release_cache_rest(s);
}

static void release_cache_rest(struct kmem_cache *s)
{
	if (__atomic_load_n(&s->leak_records, __ATOMIC_RELAXED))	/* stale ones: s goes now */
		ukmem__leak_forget_cache(s);
	pthread_mutex_lock(&ukmem__slab.mutex);
	id_put(s->id);
	pthread_mutex_unlock(&ukmem__slab.mutex);
	if (s->debug)
		ukmem__debug_cache_destroyed(s);
	ukmem__kfence_cache_gone(s);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->depot_lock);
	free((char *)s->name);
	free(s);
}

static void rcu_flush_cb(void *head)
{
	ukmem__slab_flush_thread();
}

/* kfree_rcu and call_rcu callbacks free on the RCU callback thread, whose arrays would keep
 * a destroyed cache's objects until its next slow path: have that thread give them back. */
static void flush_rcu_thread(struct kmem_cache *s)
{
	struct rcu_head head;
	unsigned long cached;

	if (!ukmem__urcu_used())
		return;
	if (ukmem__urcu_in_callback()) {	/* this is that thread (or runs its callbacks) */
		ukmem__slab_flush_thread();
		depot_drain(s, false);
		return;
	}
	pthread_mutex_lock(&ukmem__slab.mutex);
	cached = ukmem__slab_cached_objects(s);
	pthread_mutex_unlock(&ukmem__slab.mutex);
	if (!cached)
		return;
	ukmem__urcu_call(&head, rcu_flush_cb);
	ukmem__urcu_barrier();
	depot_drain(s, false);		/* where that thread's batches went */
}

/* The live objects of one cache (the first REMAINING_MAX), for the shutdown report. */
#define REMAINING_MAX	256
struct remaining {
	struct kmem_cache *s;
	unsigned long count;
	void *objs[REMAINING_MAX];
};

static void remaining_obj(void *arg, void *obj, unsigned int size, const char *cache)
{
	struct remaining *r = arg;

	if (cache == r->s->name && r->count++ < REMAINING_MAX)
		r->objs[r->count - 1] = obj;
}

/* The kernel's list_slab_objects(): a slab_err() header per slab, then its objects. */
static noinline void objects_remaining(struct kmem_cache *s, unsigned long live, unsigned long caller)
{
	struct remaining *r = calloc(1, sizeof(*r));
	struct ukmem__slab_walk w = { .obj = remaining_obj, .arg = r };
	struct slab *last = NULL;

	if (r) {
		r->s = s;
		if (ukmem__slab_walk_live(&w))
			r->count = 0;
	}
	ukmem__report_begin();
	for (unsigned long i = 0; r && i < min(r->count, (unsigned long)REMAINING_MAX); i++) {
		struct slab *slab = ukmem__virt_to_slab(r->objs[i]);

		if (slab != last) {
			last = slab;
			printk(KERN_ERR "=============================================================================\n");
			printk(KERN_ERR "BUG %s (%s): Objects remaining in %s on __kmem_cache_shutdown()\n",
			       s->name, ukmem__print_tainted(), s->name);
			printk(KERN_ERR "-----------------------------------------------------------------------------\n\n");
			printk(KERN_ERR "Slab 0x%px objects=%u used=%u fp=0x%px flags=%#lx(slab|head)\n",
			       slab, s->objects, slab->inuse, s->use_map ? NULL : slab->freelist,
			       slab_page(slab)->flags & ((1UL << PG_slab) | (1UL << PG_head)));
		}
		printk(KERN_ERR "Object 0x%px @offset=%lu\n", r->objs[i],
		       (unsigned long)((char *)r->objs[i] - (char *)slab_address(slab)));
	}
	ukmem__kfence_cache_live(s, true);	/* KFENCE's, which no slab holds */
	if (!r || !r->count)		/* no list: the count at least */
		printk(KERN_ERR "BUG %s (%s): Objects remaining in %s on __kmem_cache_shutdown(): %lu\n",
		       s->name, ukmem__print_tainted(), s->name, live);
	else if (r->count > REMAINING_MAX)
		printk(KERN_ERR "... and %lu more objects\n", r->count - REMAINING_MAX);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__add_taint(TAINT_BAD_PAGE, true);
	ukmem__report_end(UKMEM_REPORT_BUG);
	free(r);
	WARN(1, "%s %s: Slab cache still has objects when called from %pS", "kmem_cache_destroy",
	     s->name, (void *)caller);
}

static void destroy_cache(struct kmem_cache *s, unsigned long caller);

/* Is s a cache kmem_cache_create() made and nobody destroyed?  Asked before s is touched:
 * a destroyed cache's memory is gone. */
static bool cache_is_live(const struct kmem_cache *s)
{
	const struct kmem_cache *c;
	bool live = false;

	pthread_mutex_lock(&ukmem__slab.mutex);
	list_for_each_entry(c, &ukmem__slab.caches, list)
		if (c == s) {
			live = true;
			break;
		}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	return live;
}

/* kmem_cache_destroy of something that is not a live cache: what KASAN's check of the cache
 * says in 6.1 (a destroyed cache's memory is freed), and nothing is done. */
static noinline void destroy_not_live(const struct kmem_cache *s)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__report_begin();
	printk(KERN_ERR "==================================================================\n");
	printk(KERN_ERR "BUG: KASAN: use-after-free in kmem_cache_destroy\n");
	printk(KERN_ERR "Read of size 1 at addr %px by task %s/%d\n", s, c->task.comm, c->task.pid);
	printk(KERN_ERR "\n");
	ukmem__print_task_line();
	ukmem__stack_dump(2);
	printk(KERN_ERR "\n");
	printk(KERN_ERR "Expected a cache from kmem_cache_create() that is still live: %px was "
	       "destroyed already (or never created).  Nothing is done.\n", s);
	printk(KERN_ERR "==================================================================\n");
	ukmem__report_end(UKMEM_REPORT_BUG);
}

/**
 * kmem_cache_destroy - delete a cache
 * @s: the cache (NULL is ignored)
 *
 * Every object must have been freed: otherwise the kernel's "Slab cache still has objects"
 * report is printed and the cache is kept (its objects stay valid).  A second destroy of it
 * reports nothing, as in the kernel, and finishes the job once its objects are all back
 * (the kernel's keeps the cache for ever).  A cache already destroyed is reported and left
 * alone.  A SLAB_TYPESAFE_BY_RCU cache is checked at once, as 6.1's: objects that pending
 * call_rcu or kfree_rcu callbacks would free are still live (the caller must rcu_barrier()
 * first); only the release of its slabs and of the cache waits for the grace period and the
 * callbacks queued so far (release_cache), so no reader ever sees its memory go.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	might_sleep();
	if (unlikely(!cache_is_live(s))) {
		destroy_not_live(s);
		return;
	}
	if (WARN(s->is_kmalloc, "kmem_cache_destroy %s: kmalloc caches cannot be destroyed\n", s->name))
		return;
	ukmem__leak_untrack(s, UKMEM_LEAK_CACHE);	/* given back (a sweep run's record) */
	destroy_cache(s, _RET_IP_);
	barrier();			/* not a tail call: reports show kmem_cache_destroy */
}

/* kmem_cache_destroy once every callback that may use s has run. */
static void destroy_cache(struct kmem_cache *s, unsigned long caller)
{
	unsigned long live;
	bool kept;

	flush_this_slot(s);
	depot_drain(s, false);
	if (s->debug & UKMEM_QUARANTINE_FLAGS)
		ukmem__kasan_quarantine_drain(s);
	pthread_mutex_lock(&ukmem__slab.mutex);
	kept = s->refcount == 0;	/* destroyed before and kept: it was busy */
	if (!kept && --s->refcount > 0) {
		pthread_mutex_unlock(&ukmem__slab.mutex);
		return;
	}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	live = ukmem__slab_live_objects(s) + ukmem__kfence_cache_live(s, false);
	if (live) {
		if (!kept)	/* reported once: a second destroy of a busy cache is silent */
			objects_remaining(s, live, caller);
		barrier();		/* not a tail call: the report's stack shows this frame */
		return;
	}
	flush_rcu_thread(s);
	pthread_mutex_lock(&ukmem__slab.mutex);
	if (ukmem__slab_cached_objects(s)) {		/* other threads still hold some: a zombie */
		__atomic_store_n(&s->dead, true, __ATOMIC_RELAXED);
		list_move(&s->list, &ukmem__slab.zombies);
		__atomic_fetch_add(&ukmem__slab.flush_gen, 1, __ATOMIC_RELEASE);
		s = NULL;
	} else {
		list_del(&s->list);
	}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	if (s)
		release_cache(s);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	ukmem__ensure_started();	/* as kmem_cache_shrink */
	return s->object_size;
}

bool slab_is_available(void)
{
	return __atomic_load_n(&ukmem__started, __ATOMIC_ACQUIRE);
}

/**
 * kmem_cache_alloc_bulk - allocate size objects into p
 *
 * One fault-injection point for the whole call, as 6.1's (slab_pre_alloc_hook consults
 * failslab once, with the cache's object size): fail-nth counts the call once, and a failed
 * call returns 0 with nothing allocated.
 *
 * Return: size, or 0 when not all could be allocated (none is kept then).
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p)
{
	struct ukmem__slab_slot *slot;
	size_t i = 0;

	ukmem__ensure_started();
	if (ukmem__slab_atomic_misuse(gfp))	/* the context first: no call when it is fine */
		__might_sleep("include/linux/sched/mm.h", 274);
	slot = bulk_slot(s);		/* NULL on a hooked thread: the test costs the others nothing */
	if (!slot && ukmem__debug_hooked() &&
	    ukmem__should_failslab(s, gfp))
		return 0;
	if (slot && slot->cap && !(gfp & __GFP_ZERO)) {	/* zeroed ones one at a time */
		unsigned int n = slot->n, take = min_t(size_t, n, size);

		if (take) {
			memcpy(p, slot->objs + n - take, take * sizeof(void *));
			__atomic_store_n(&slot->n, n - take, __ATOMIC_RELAXED);
			i = take;
		}
	}
	while (i < size) {
		unsigned int got;

		if ((gfp & __GFP_ZERO) || !slot || !slot->cap) {
			p[i] = alloc_slow_unhooked(s, gfp, _RET_IP_, 0);
			got = p[i] != NULL;
		} else {
			got = get_objects(s, gfp, p + i, size - i);
		}
		if (!got) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
		i += got;
	}
	return (int)size;
}

static void slab_fork_lock(void)
{
	struct kmem_cache *s;

	pthread_mutex_lock(&ukmem__slab.mutex);
	list_for_each_entry(s, &ukmem__slab.caches, list) {
		pthread_mutex_lock(&s->depot_lock);
		pthread_mutex_lock(&s->lock);
	}
	list_for_each_entry(s, &ukmem__slab.zombies, list) {
		pthread_mutex_lock(&s->depot_lock);
		pthread_mutex_lock(&s->lock);
	}
}

static void slab_fork_unlock(void)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &ukmem__slab.zombies, list) {
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_unlock(&s->depot_lock);
	}
	list_for_each_entry(s, &ukmem__slab.caches, list) {
		pthread_mutex_unlock(&s->lock);
		pthread_mutex_unlock(&s->depot_lock);
	}
	pthread_mutex_unlock(&ukmem__slab.mutex);
}

/* In the child, the other threads are gone: their arrays go back to the slabs (every lock
 * is held by this thread here).  Empty slabs are kept; the next shrink frees them. */
static void slab_fork_child(int new_fd)
{
	struct ukmem__slab_table *t, *tmp, *mine;
	struct kmem_cache *s;

	unpark_table();
	mine = this_table();

	list_for_each_entry_safe(t, tmp, &ukmem__slab.tables, node) {
		if (t == mine)
			continue;
		if (t->hot->cache)
			put_objects(t->hot->cache, &t->hot->obj, &(unsigned int){ 1 }, NULL,
				    (void *[1]){ NULL }, 0);
		for (unsigned int id = 0; id < UKMEM_SLAB_MAX_CACHES; id++) {
			struct ukmem__slab_slot *slot = &t->slots[id];
			void *bad[1];

			if (!slot->objs)
				continue;
			s = slot->n ? cache_of_slot(id, slot) : NULL;
			if (s)
				put_objects(s, slot->objs, &(unsigned int){ slot->n }, NULL, bad, 0);
			free(slot->objs - 1);
		}
		list_del(&t->node);
		ukmem__os_free(t, sizeof(*t));
	}
}

/* ---- debug support: hooked threads and the live-object walk (for src/debug) ---- */
static __thread struct ukmem__slab_table *parked;	/* this thread's table while hooked */

/* Every allocation and free of this thread must reach the slow paths, where the debug hooks
 * are: its arrays go back and its table is parked (the fast paths see the all-zero table). */
void ukmem__slab_park_thread(void)
{
	struct ukmem__slab_table *t = this_table();

	if (!t)
		return;
	ukmem__slab_flush_thread();
	parked = t;
	ukmem__slab_tls.tab = (struct ukmem__slab_slot *)zero_table.slots;
	ukmem__slab_tls.own = false;
}

/* No longer hooked (or exiting, or forked): the parked table is this thread's again. */
static void unpark_table(void)
{
	if (!parked)
		return;
	ukmem__slab_tls.tab = parked->slots;
	ukmem__slab_tls.own = true;
	parked = NULL;
}

/* Open-addressing set of object addresses, in memory from the host (never scanned).  Sized
 * from a count taken first, but other threads go on freeing meanwhile: it grows at three
 * quarters full (without that, an add to a full set searched for ever). */
struct objset {
	unsigned long *slots;
	size_t cap, bytes, n;
};

static bool objset_init(struct objset *set, size_t n)
{
	set->cap = 64;
	while (set->cap < 2 * n)
		set->cap *= 2;
	set->n = 0;
	set->bytes = PAGE_ALIGN(set->cap * sizeof(unsigned long));
	set->slots = ukmem__os_alloc(set->bytes);
	return set->slots != NULL;
}

static size_t objset_hash(const struct objset *set, unsigned long v)
{
	return (size_t)((v >> 3) * 0x9e3779b97f4a7c15UL) & (set->cap - 1);
}

static void objset_put(struct objset *set, unsigned long v)
{
	size_t i = objset_hash(set, v);

	while (set->slots[i] && set->slots[i] != v)
		i = (i + 1) & (set->cap - 1);
	set->n += !set->slots[i];
	set->slots[i] = v;
}

/* Twice the room; false (the set unchanged) without memory. */
static bool objset_grow(struct objset *set)
{
	struct objset bigger;

	if (!objset_init(&bigger, set->cap))
		return false;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i])
			objset_put(&bigger, set->slots[i]);
	ukmem__os_free(set->slots, set->bytes);
	*set = bigger;
	return true;
}

static void objset_add(struct objset *set, unsigned long v)
{
	if (4 * (set->n + 1) > 3 * set->cap && !objset_grow(set) && set->n + 1 >= set->cap)
		return;		/* full and no memory: the object counts as live (reported, not lost) */
	objset_put(set, v);
}

static bool objset_has(const struct objset *set, unsigned long v)
{
	for (size_t i = objset_hash(set, v); set->slots[i]; i = (i + 1) & (set->cap - 1))
		if (set->slots[i] == v)
			return true;
	return false;
}

/* An entry of another thread's array, read as it is: its owner writes entries with plain
 * stores on its fast path, so the walk's picture is exact only when that thread is idle (as
 * documented).  The race is the design's, so the read is kept out of ThreadSanitizer's view. */
static noinline __attribute__((no_sanitize("thread"))) void *peek_entry(void **objs,
									 unsigned long i)
{
	return ((void *volatile *)objs)[i];
}

/* The objects held free in threads' arrays and depots (slab.mutex held): counted, and put in
 * @set when given; without @set their arrays and magazines are reported to w->internal
 * (ukmem's own memory).  Other threads' arrays are read as they are: exact when idle. */
static size_t walk_cached(struct objset *set, const struct ukmem__slab_walk *w)
{
	struct ukmem__slab_table *t;
	struct kmem_cache *s;
	struct list_head *lists[] = { &ukmem__slab.caches, &ukmem__slab.zombies };
	size_t n = 0;

	list_for_each_entry(t, &ukmem__slab.tables, node) {
		/* the thread's hot object: a free object outside its arrays */
		if (__atomic_load_n(&t->hot->cache, __ATOMIC_RELAXED)) {
			if (set)
				objset_add(set, (unsigned long)__atomic_load_n(&t->hot->obj,
									 __ATOMIC_RELAXED));
			n++;
		}
		for (unsigned int id = 0; id < UKMEM_SLAB_MAX_CACHES; id++) {
			struct ukmem__slab_slot *slot = &t->slots[id];
			unsigned long fill = __atomic_load_n(&slot->n, __ATOMIC_RELAXED);
			/* set and replaced only under slab.mutex, which this walk holds */
			void **objs = __atomic_load_n(&slot->objs, __ATOMIC_ACQUIRE);

			if (!objs)
				continue;
			if (set)
				for (unsigned long i = 0; i < fill; i++)
					objset_add(set, (unsigned long)peek_entry(objs, i));
			else if (w->internal)
				w->internal(w->arg, objs - 1, (slot_len(slot) + 1) * sizeof(void *));
			n += fill;
		}
	}
	for (int l = 0; l < 2; l++)
		list_for_each_entry(s, lists[l], list) {
			pthread_mutex_lock(&s->depot_lock);
			for (int e = 0; e < 2; e++)
				for (struct ukmem__magazine *m = e ? s->empty : s->full; m; m = m->next) {
					if (set && !e)
						for (unsigned int i = 0; i < s->batch; i++)
							objset_add(set, (unsigned long)m->objs[i]);
					else if (!set && w->internal)
						w->internal(w->arg, m, sizeof(*m) + s->batch * sizeof(void *));
					n += e ? 0 : s->batch;
				}
			pthread_mutex_unlock(&s->depot_lock);
		}
	return n;
}

/* Mark a slab's free objects in @free (its cache lock held); false when it is unusable. */
static bool slab_free_objects(struct kmem_cache *s, struct slab *slab, unsigned long *free)
{
	unsigned int steps = 0;

	if (slab->corrupt)
		return false;
	if (s->use_map) {
		free[0] = slab->free_map;
		return true;
	}
	for (unsigned int i = slab->fresh; i < s->objects; i++)
		free[i / 64] |= 1UL << (i % 64);
	for (void *p = slab->freelist; p && steps++ < s->objects; p = fp_get(s, p)) {
		unsigned long rel = (unsigned long)p - (unsigned long)slab_address(slab);

		if (rel > s->slab_mask || !ukmem__obj_aligned(s, p))
			return false;
		free[rel / s->size / 64] |= 1UL << (rel / s->size % 64);
	}
	return true;
}

/* The live objects of one slab (its cache lock held). */
static void walk_slab(struct kmem_cache *s, struct slab *slab, const struct objset *set,
		      const struct ukmem__slab_walk *w)
{
	unsigned long free[4096 / 64] = { 0 };
	char *base = slab_address(slab);

	if (!slab->inuse || s->objects > 4096 || (w->leak_tracked && (s->flags & SLAB_NOLEAKTRACE)) ||
	    !slab_free_objects(s, slab, free))
		return;
	for (unsigned int i = 0; i < s->objects; i++) {
		char *obj = base + (unsigned long)i * s->size;

		if (!(free[i / 64] & (1UL << (i % 64))) && !objset_has(set, (unsigned long)obj) &&
		    (!s->debug || ukmem__debug_object_live(s, obj)))
			w->obj(w->arg, obj + s->red_left_pad, s->object_size, s->name);
	}
}

/*
 * The walks below come to a slab from the page array or from an address, not from its
 * cache's lists, so they read struct pages that other threads may be writing: a page being
 * allocated (prep_new_page clears it), made a slab (new_slab, before grow() takes the lock),
 * or given back (free_slab_pages, after the lock is dropped).  peek_cache reads a page as it
 * is: a guess, checked again under the cache's lock by slab_member.  A slab is a member of
 * @s from grow() adding it (in_cache set under s->lock, after new_slab's writes: release)
 * until it is taken off to be discarded (in_cache cleared under s->lock), so with s->lock
 * held in_cache = 1 and slab_cache = @s (read in that order: acquire) mean nobody writes the
 * slab's fields but under s->lock.  Any other value is a page in transition, written as it is
 * read: the design's race, kept out of ThreadSanitizer's view as peek_entry's.
 */
static noinline __attribute__((no_sanitize("thread"))) struct kmem_cache *
peek_cache(const struct page *page)
{
	const volatile struct slab *slab = (const volatile struct slab *)page;

	if (!((slab->__page_flags >> PG_slab) & 1) ||
	    (((const volatile struct page *)page)->compound_head & 1))
		return NULL;
	return slab->slab_cache;
}

static noinline __attribute__((no_sanitize("thread"))) bool slab_member(const struct slab *slab,
									 const struct kmem_cache *s)
{
	return __atomic_load_n(&slab->in_cache, __ATOMIC_ACQUIRE) &&
	       peek_cache(slab_page(slab)) == s;
}

/* Is @s a cache (live or destroyed with objects left)?  slab.mutex held. */
static bool cache_known(const struct kmem_cache *s)
{
	struct kmem_cache *c;

	list_for_each_entry(c, &ukmem__slab.caches, list)
		if (c == s)
			return true;
	list_for_each_entry(c, &ukmem__slab.zombies, list)
		if (c == s)
			return true;
	return false;
}

struct slab_ref {
	struct kmem_cache *s;
	struct slab *slab;
};

static int cmp_slab_ref(const void *a, const void *b)
{
	const struct slab_ref *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	return x->slab < y->slab ? -1 : x->slab > y->slab;
}

/**
 * ukmem__slab_walk_live - visit every live slab object
 * @w: the callbacks: obj(arg, object, object_size, cache name) for each object that is
 *     allocated (not free in its slab, not held in a thread's array or a depot), and
 *     internal(arg, start, len) for ukmem's own arrays holding object pointers; with
 *     leak_tracked, SLAB_NOLEAKTRACE caches' objects are left out
 *
 * Takes slab.mutex, then one cache lock at a time (never all: fork does that): the
 * callbacks must not allocate from ukmem or print.  Exact when no other thread allocates or
 * frees meanwhile.  Return: 0 or -ENOMEM.
 */
int ukmem__slab_walk_live(const struct ukmem__slab_walk *w)
{
	struct objset set;
	struct slab_ref *refs = NULL;
	size_t nrefs = 0, cap = 0, bytes = 0;
	int err = 0;

	pthread_mutex_lock(&ukmem__slab.mutex);
	/* first pass: the arrays' own buffers to w, and how many objects they hold */
	if (!objset_init(&set, walk_cached(NULL, w))) {
		pthread_mutex_unlock(&ukmem__slab.mutex);
		return -ENOMEM;
	}
	walk_cached(&set, w);
	/* The slabs, from the page array (full slabs are on no list), grouped by cache. */
	for (unsigned long pfn = 0; pfn < __ukmem_memmap.nr_pfns; pfn++) {
		struct page *page = __ukmem_memmap.pages + pfn;
		struct kmem_cache *s;

		if (!ukmem__memmap_seen(pfn)) {	/* never allocated: reading would fault it in */
			pfn |= UKMEM_MEMMAP_FRAMES - 1;
			continue;
		}
		s = peek_cache(page);
		if (!s)
			continue;
		if (nrefs == cap) {
			size_t nbytes = PAGE_ALIGN((cap ? cap * 2 : 512) * sizeof(*refs));
			struct slab_ref *n = ukmem__os_alloc(nbytes);

			if (!n) {
				err = -ENOMEM;
				break;
			}
			if (refs) {
				memcpy(n, refs, nrefs * sizeof(*refs));
				ukmem__os_free(refs, bytes);
			}
			refs = n;
			bytes = nbytes;
			cap = nbytes / sizeof(*refs);
		}
		refs[nrefs++] = (struct slab_ref){ s, page_slab(page) };
	}
	if (nrefs)
		sort(refs, nrefs, sizeof(*refs), cmp_slab_ref, NULL);
	for (size_t i = 0; i < nrefs;) {
		struct kmem_cache *s = refs[i].s;
		bool known = cache_known(s);

		if (known)
			pthread_mutex_lock(&s->lock);
		for (; i < nrefs && refs[i].s == s; i++) {
			struct slab *slab = refs[i].slab;

			/* still a slab of this cache, now that its lock is held? */
			if (known && slab_member(slab, s))
				walk_slab(s, slab, &set, w);
		}
		if (known)
			pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&ukmem__slab.mutex);
	if (refs)
		ukmem__os_free(refs, bytes);
	ukmem__os_free(set.slots, set.bytes);
	return err;
}

/* Is @obj (of cache @s) held free in a thread's array, a hot object or @s's depot?  The
 * places walk_cached gathers, searched for one object of one cache: no set is built, so a
 * kmemleak_not_leak() costs a scan of one array per thread and one depot.  slab.mutex
 * held. */
static bool object_cached(const void *obj, struct kmem_cache *s)
{
	struct ukmem__slab_table *t;
	bool found = false;

	list_for_each_entry(t, &ukmem__slab.tables, node) {
		struct ukmem__slab_slot *slot = &t->slots[s->id];
		unsigned long fill = __atomic_load_n(&slot->n, __ATOMIC_RELAXED);
		/* set and replaced only under slab.mutex, which this search holds */
		void **objs = __atomic_load_n(&slot->objs, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(&t->hot->cache, __ATOMIC_RELAXED) == s &&
		    __atomic_load_n(&t->hot->obj, __ATOMIC_RELAXED) == obj)
			return true;
		for (unsigned long i = 0; objs && i < fill; i++)
			if (peek_entry(objs, i) == obj)
				return true;
	}
	pthread_mutex_lock(&s->depot_lock);
	for (struct ukmem__magazine *m = s->full; m && !found; m = m->next)
		for (unsigned int i = 0; i < s->batch && !found; i++)
			found = m->objs[i] == obj;
	pthread_mutex_unlock(&s->depot_lock);
	return found;
}

/**
 * ukmem__slab_object_live - is @p the start of an allocated slab object?
 * @p: an address in the direct map
 *
 * False for an address that is no object's start, and for a free object: free in its
 * slab, or held in a thread's array, a hot object or a depot.  For kmemleak's API, which
 * must not attach a flag to a free object (the next object there would inherit it).  Takes
 * slab.mutex and the cache's lock; exact when no other thread allocates or frees meanwhile.
 */
bool ukmem__slab_object_live(const void *p)
{
	struct slab *slab = ukmem__virt_to_slab(p);
	unsigned long free[4096 / 64] = { 0 };
	struct kmem_cache *s;
	unsigned long rel, idx;
	char *slot;
	bool live = false;

	if (!slab || ukmem__slab_object_start(p) != p)
		return false;
	pthread_mutex_lock(&ukmem__slab.mutex);
	s = peek_cache(slab_page(slab));
	if (!s || !cache_known(s)) {		/* the slab went meanwhile */
		pthread_mutex_unlock(&ukmem__slab.mutex);
		return false;
	}
	pthread_mutex_lock(&s->lock);
	rel = (unsigned long)p - s->red_left_pad - (unsigned long)slab_address(slab);
	idx = rel / s->size;
	slot = (char *)slab_address(slab) + idx * s->size;
	if (slab_member(slab, s) && s->objects <= 4096 &&
	    idx < s->objects && slab->inuse && slab_free_objects(s, slab, free))
		live = !(free[idx / 64] & (1UL << (idx % 64)));
	pthread_mutex_unlock(&s->lock);
	if (live)
		live = !object_cached(slot, s) && (!s->debug || ukmem__debug_object_live(s, slot));
	pthread_mutex_unlock(&ukmem__slab.mutex);
	return live;
}

/* Shut-down: the exiting thread's arrays go back, so that a double free they hold (two
 * frees of one object with others between: found when an array is emptied) is reported and
 * counted by ukmem_exit, as at a thread's exit. */
static void slab_exit(void)
{
	ukmem__slab_flush_thread();
}

static int ukmem__slab_init(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	ukmem__slab.min_objects = 4 * (ilog2(cpus > 0 ? cpus : 1) + 2);
	ukmem__os_on_thread_exit(slab_thread_exit);
	ukmem__os_on_thread_exit(ukmem__urcu_thread_exit);
	ukmem__mm_on_fork(slab_fork_lock, slab_fork_unlock, slab_fork_child);
	ukmem__show_register("slabinfo", ukmem__slab_show);
	ukmem__on_exit(slab_exit);
	ukmem__mm_add_shrinker(slab_reclaim);
	return ukmem__slab_init_caches();
}
UKMEM_INITCALL(UKMEM_INIT_SLAB, ukmem__slab_init);

/* The RCU callback thread's fork handlers, registered after every other subsystem's: the
 * host runs prepare handlers newest first, so the wait for the callback thread's batch comes
 * before any subsystem takes its locks for fork, whatever init level a subsystem registers
 * its handlers at (a batch may free through kmemleak, KASAN or KFENCE, whose prepare
 * handlers hold their locks across fork). */
static int ukmem__slab_fork_late_init(void)
{
	ukmem__os_atfork(ukmem__urcu_fork_prepare, ukmem__urcu_fork_parent, ukmem__urcu_fork_child);
	return 0;
}
UKMEM_INITCALL(UKMEM_INIT_LATE, ukmem__slab_fork_late_init);
