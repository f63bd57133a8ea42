/* SPDX-License-Identifier: MIT */
/*
 * Slab allocator internals (SLUB semantics): caches, slabs overlaid on struct page, the
 * per-thread object arrays, and the inline fast paths shared by kmem_cache_* and kmalloc.
 *
 * Four levels hold free objects:
 *  1. a per-thread array per cache ("slot": objs[0..n), LIFO).  Only its thread touches
 *     it, so the fast paths take no lock and no atomic instruction.  Any thread may put any
 *     object of the cache into its own array: a cross-thread free costs the same as a local
 *     one.  A full array gives its oldest half back in one batch, an empty one takes a batch.
 *     In front of the arrays, each thread has one hot object (struct ukmem__slab_hot): a free
 *     puts its object there when it is empty, and the next allocation from that object's
 *     cache takes it.  It sits at a fixed place in the thread's TLS, so a kmalloc after a
 *     kfree reads what the kfree stored at an address known in advance: the kfree's chain
 *     of dependent loads (pointer -> page -> cache -> slot) feeds only predicted branches,
 *     not the next allocation (see docs/performance.md).  It counts as part of its cache's
 *     slot: the slow paths, flushes and counts see it there.
 *  2. the cache's depot of full magazines (Bonwick's magazine layer): a batch leaves one
 *     thread's array and reaches another's with one short critical section and a copy,
 *     without touching the objects, so a consumer thread's frees feed a producer's
 *     allocations directly.  It holds at most about 1 MiB of objects per cache.
 *  3. each slab's free objects: a bitmap in struct slab when the slab has at most 64
 *     objects (out of band: freeing touches no object memory, and a late double free is
 *     seen exactly); otherwise a free list threaded through the free objects at
 *     cache->offset and encoded (ptr ^ cache->random ^ bswap(address of the slot)), plus a
 *     bump index over objects never handed out (fresh slabs are not touched until used);
 *  4. the page allocator: a slab is 2^order pages (compound above order 0, naturally
 *     aligned), with PageSlab and slab_cache set in every page, so a free finds its cache
 *     from any address in O(1).
 *
 * Counters: slab->inuse counts the slab's objects that are out of its free list (live, in
 * a thread's array or in the depot); cache->inuse sums them (both under cache->lock);
 * depot_objects counts the depot's (under depot_lock); so live objects = inuse -
 * depot_objects - the sum of the threads' slot fills, exactly when threads are idle.
 *
 * Locking: slab.mutex (the cache list, ids, create/destroy, thread tables) >
 * cache->depot_lock > cache->lock (the cache's slab lists and counters) > the page
 * allocator's zone locks > the console.  No cache lock is held while calling the page
 * allocator or a constructor; a report may be printed under one (the console comes last).
 */
#ifndef UKMEM_SLAB_H
#define UKMEM_SLAB_H
#include <pthread.h>
#include <stdio.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/list.h>
#include "core/core.h"
#include "mm/mm.h"
#include "slab/urcu_glue.h"

#pragma GCC visibility push(hidden)

/* Zone modifiers a slab cannot honour (6.1's GFP_SLAB_BUG_MASK): kmalloc_fix_flags drops
 * them with its warning. */
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
gfp_t ukmem__kmalloc_fix_flags(gfp_t gfp);

#define UKMEM_SLAB_MAX_CACHES	4096		/* ids; per-thread tables have one slot per id */
#define UKMEM_KMALLOC_SLOTS	(KMALLOC_SHIFT_HIGH + 1)
#define UKMEM_KMALLOC_LARGE	0x6b6d616c6c6f634cUL	/* head->index of a large kmalloc */
/* head->index of a large kmalloc freed and held in kasan=on's quarantine */
#define UKMEM_KMALLOC_LARGE_FREED	0x6b667265656c6172UL

struct kmem_cache {
	/* read by every fast-path operation */
	unsigned long slot_offset;	/* id * sizeof(struct ukmem__slab_slot) */
	unsigned int id;		/* slot index in per-thread tables */
	unsigned int objects;		/* objects per slab */
	unsigned long free_bound;	/* obj_bound, or 0 while kmemleak holds records of this
					 * cache's objects: the free fast path's bound (a long:
					 * compared straight from memory) */
	unsigned long slab_mask;	/* slab bytes - 1 (slabs are naturally aligned) */
	unsigned long obj_magic;	/* floor(2^64 / size) + 1: see ukmem__off_test */
	unsigned long obj_bound;	/* objects * (obj_magic * size - 2^64) */
	unsigned int inverse;		/* odd part of size, inverted mod 2^32 */
	unsigned int shift;		/* size = odd part << shift */
	unsigned int size;		/* object stride */
	/* the rest */
	unsigned int object_size;	/* what the user asked for */
	unsigned int align;
	unsigned int offset;		/* free pointer offset in a free object */
	unsigned int order;
	unsigned int cpu_limit;		/* per-thread array capacity (0: no array) */
	unsigned int batch;		/* objects moved per refill/flush */
	unsigned int min_partial;	/* SLUB's minimum of partial slabs (slabinfo) */
	unsigned int keep_empty;	/* empty slabs kept before they go back (32 MiB, at most 1/32 of RAM) */
	bool use_map;			/* slabs track free objects in free_map */
	unsigned int useroffset, usersize;
	slab_flags_t flags;
	slab_flags_t debug;		/* debug options (src/debug/slab_debug.h); 0: none */
	unsigned int red_left_pad;	/* debug layout: left red zone before each object */
	unsigned int rz_end;		/* object + right red zone (SLUB's inuse) */
	unsigned int meta_end;		/* end of the debug metadata, from the object */
	unsigned long quarantined;	/* objects in the KASAN quarantine (its lock) */
	gfp_t allocflags;		/* added to the page allocation (GFP_DMA ...) */
	unsigned long random;		/* free pointer encoding secret */
	void (*ctor)(void *);
	const char *name;
	int refcount;
	bool dead;			/* destroyed; released when threads give back its objects */
	bool is_kmalloc;
	int leak_records;		/* kmemleak's records of its objects (ukmem__slab_leak_hold) */
	unsigned int gate_idle;		/* gated frees in a row that found no record */
	struct list_head list;		/* slab.caches or slab.zombies */
	struct rcu_head destroy_rcu;	/* destroyed from an RCU callback: the rest runs later */

	pthread_mutex_t depot_lock;	/* the magazine depot: */
	struct ukmem__magazine *full;	/* full magazines (batch objects each) */
	struct ukmem__magazine *empty;	/* spare ones */
	unsigned int nr_full, max_full;
	unsigned long depot_objects;

	pthread_mutex_t lock;		/* below */
	struct list_head partial;	/* slabs with free objects (empty ones at the tail) */
	unsigned long nr_partial, nr_empty;
	unsigned long nr_slabs;
	unsigned long inuse;		/* objects out of slab free lists */
};

/* A magazine: a batch of free objects moving between threads through the cache's depot. */
struct ukmem__magazine {
	struct ukmem__magazine *next;
	void *objs[];
};

/* The slab's view of its head page (struct page's owner area; flags and _refcount stay). */
struct slab {
	unsigned long __page_flags;
	union {
		struct list_head slab_list;
		struct rcu_head rcu_head;	/* SLAB_TYPESAFE_BY_RCU: freed after a grace period */
	};
	struct kmem_cache *slab_cache;
	union {
		void *freelist;		/* encoded chain of free objects (objects > 64) */
		unsigned long free_map;	/* bit i: object i is free (objects <= 64) */
	};
	unsigned short inuse;		/* objects not free in the slab */
	unsigned short fresh;		/* objects [fresh, objects) never handed out */
	unsigned short corrupt;		/* free list found damaged: never reused or freed */
	unsigned short in_cache;	/* 1 from grow() adding it to its cache until it is taken
					 * off to be discarded: written under the cache's lock */
	unsigned int __page_type;
	atomic_t __page_refcount;
	void *leak_recs;		/* kmemleak's records of its objects, or NULL (overlays
				 * ukmem_reserved, which only a driver's pages use) */
};
_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");
_Static_assert(offsetof(struct slab, __page_flags) == offsetof(struct page, flags), "flags");
_Static_assert(offsetof(struct slab, __page_refcount) == offsetof(struct page, _refcount), "ref");
_Static_assert(offsetof(struct slab, __page_type) == offsetof(struct page, page_type), "type");
_Static_assert(offsetof(struct slab, slab_list) == offsetof(struct page, lru), "list");
_Static_assert(offsetof(struct slab, in_cache) + 2 <= offsetof(struct page, _mapcount), "owner area");
_Static_assert(offsetof(struct slab, leak_recs) == offsetof(struct page, ukmem_reserved), "leak");

#define slab_page(s)		((struct page *)(s))
#define page_slab(p)		((struct slab *)(p))
static inline void *slab_address(const struct slab *slab)
{
	return page_address((struct page *)slab);
}

/* init_on_free=1 zeroes an object at its free, unless its bytes must survive (a constructor's
 * work, SLAB_TYPESAFE_BY_RCU) or poison replaces the zeroes (SLAB_POISON): the kernel's
 * slab_want_init_on_free().  The debug free path (src/debug) zeroes too. */
static inline bool ukmem__slab_init_on_free(const struct kmem_cache *s)
{
	return ukmem__cfg.init_on_free && !s->ctor &&
	       !(s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON));
}

/* An allocation is zeroed: init_on_alloc=1 (with the same exceptions as init_on_free) or
 * __GFP_ZERO, as the kernel's slab_want_init_on_alloc(). */
static inline bool ukmem__slab_want_init_on_alloc(const struct kmem_cache *s, gfp_t gfp)
{
	if (ukmem__cfg.init_on_alloc && !s->ctor && !(s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)))
		return true;
	return gfp & __GFP_ZERO;
}

/* One per-thread slot per cache id: the object array and its fill.  objs[-1] holds the
 * array's length (a small number, never an object's address: it also ends the free fast
 * path's look at the top object when the array is empty).  cap is what the free fast path
 * may fill: the length, or 0 while KFENCE samples (every free then reaches the slow path,
 * which keeps the count; see "KFENCE's count" in slub.c). */
struct ukmem__slab_slot {
	void **objs;
	unsigned long n, cap;		/* longs: no zero-extension on the fast paths */
};

/* A thread's hot object: an object it freed while the hot object was empty, until an
 * allocation from its cache takes it.  It counts as part of its cache's slot (logically on
 * top of that slot's array); every slow path first puts it there (hot_spill in slub.c), so
 * the slow paths see arrays only.  Only its thread writes it (relaxed atomics: counts read
 * cache from other threads).  A free puts an object here only when its slot has an array
 * (cap > 0): a thread without a table of its own never fills it. */
struct ukmem__slab_hot {
	struct kmem_cache *cache;	/* NULL: empty */
	void *obj;
};

/* A thread's table: registry link, where its hot object is, one slot per cache id. */
struct ukmem__slab_table {
	struct list_head node;		/* on slab.tables, under slab.mutex */
	struct ukmem__slab_hot *hot;	/* the owner's ukmem__slab_tls.hot (other threads
					 * read its cache for counts; a fork child empties it) */
	struct ukmem__slab_slot slots[UKMEM_SLAB_MAX_CACHES];
};

struct ukmem__slab_tls {
	struct ukmem__slab_slot *tab;	/* UKMEM_SLAB_MAX_CACHES slots; a shared all-zero table
					 * until this thread's first slow path */
	struct ukmem__slab_hot hot;	/* next to tab: one TLS base reaches both */
	unsigned long gen;		/* last slab.flush_gen this thread honoured */
	bool own;			/* tab is this thread's */
	bool exited;			/* past its exit hook: no new table (it would leak) */
	bool rcu_registered;		/* a liburcu reader (rcu_host.c) */
	/* KFENCE's count (slub.c), 0 while it is off: allocations this thread makes before its
	 * next sampled one, less the objects in its arrays; and at least those objects */
	unsigned long kf_room, kf_held;
};
extern __thread struct ukmem__slab_tls ukmem__slab_tls __attribute__((tls_model("initial-exec")));

/* The subsystem's state. */
struct ukmem__slab_state {
	pthread_mutex_t mutex;
	pthread_mutex_t gate_lock;	/* leaf: free_bound of every cache (its transitions) */
	struct list_head caches;	/* newest first, as /proc/slabinfo lists them */
	struct list_head zombies;	/* destroyed, waiting for threads to give objects back */
	struct list_head tables;	/* every live thread's table */
	unsigned long flush_gen;	/* bumped when every thread should empty its arrays */
	unsigned long used_ids[UKMEM_SLAB_MAX_CACHES / 64];
	unsigned int min_objects;
	struct kmem_cache kmalloc[NR_KMALLOC_TYPES][UKMEM_KMALLOC_SLOTS];
	char kmalloc_names[NR_KMALLOC_TYPES][UKMEM_KMALLOC_SLOTS][24];
	unsigned char size_index[24];	/* (size - 1) / 8 -> kmalloc index, sizes <= 192 */
	struct kmem_cache *size_cache[24];	/* (size - 1) / 8 -> its normal kmalloc cache */
};
extern struct ukmem__slab_state ukmem__slab;
/* kmalloc_caches under a hidden name: the fast paths read it without the GOT (slub.c). */
extern struct kmem_cache *ukmem__kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/* ---- slow paths and internals (slub.c) ---- */
/* kzalloc's fast path, out of line (see ukmem__slab_alloc_sized). */
void *ukmem__slab_alloc_zeroed(struct kmem_cache *s, gfp_t gfp, size_t orig);
/* @orig: kmalloc's requested size (0: none). */
void *ukmem__slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig);
void ukmem__slab_free_slow(struct kmem_cache *s, void *obj, unsigned long caller);
/* A free of a valid object the fast path turned away (see ukmem__slab_plain_object). */
void ukmem__slab_free_tracked(struct kmem_cache *s, void *obj);
struct kmem_cache *ukmem__kmalloc_slab(size_t size, gfp_t gfp);
void ukmem__slab_cache_setup(struct kmem_cache *s, const char *name, unsigned int size,
			     unsigned int align, slab_flags_t flags, void (*ctor)(void *));
void ukmem__slab_flush_thread(void);	/* this thread's arrays back to their slabs */
int ukmem__slab_show(FILE *out, const char *arg);
int ukmem__slab_init_caches(void);
unsigned long ukmem__slab_live_objects(struct kmem_cache *s);	/* exact when threads are idle */
unsigned long ukmem__slab_cached_objects(struct kmem_cache *s);	/* slab.mutex held */
void *ukmem__slab_object_start(const void *p);	/* object containing p, or NULL */
void ukmem__kmalloc_large_release(struct page *head);	/* its pages back, no checks */
bool ukmem__kmalloc_large_claim(struct page *head, unsigned long mark);
bool ukmem__is_rodata(const void *p);	/* in a read-only segment of a loaded object (.rodata) */

void ukmem__slab_free_bulk(struct kmem_cache *s, size_t size, void **p, unsigned long caller);
void ukmem__slab_put(struct kmem_cache *s, void *stride);	/* one object back to its slab */

/* ukmem's own deferred slab work queued as RCU callbacks (a cache destroyed from a callback,
 * the callback thread's flush): it runs in task context, as 6.1's work items do (slub.c). */
bool ukmem__slab_rcu_task_cb(void (*fn)(void *head));

/* ---- debug support (slub.c; used by src/debug) ---- */
/* kmemleak takes a record of the slab object at p: the cache counted (hand it back to
 * ukmem__slab_leak_release when the record goes), or NULL when p is not on a slab page. */
struct kmem_cache *ukmem__slab_leak_hold(const void *p);
void ukmem__slab_leak_release(struct kmem_cache *s);
/* kmemleak's scan started or ended: every cache's free gate follows (slub.c). */
void ukmem__slab_gates_update_all(void);
void ukmem__slab_park_thread(void);	/* this thread's allocations all take the slow path */
struct ukmem__slab_walk {
	void (*obj)(void *arg, void *obj, unsigned int size, const char *cache);
	void (*internal)(void *arg, const void *start, size_t len);
	void *arg;
	bool leak_tracked;	/* only caches kmemleak tracks: not SLAB_NOLEAKTRACE ones */
};
/* kmemleak records s's objects: it is on, and s is not SLAB_NOLEAKTRACE (as 6.1's
 * kmemleak_alloc_recursive, which leaves such caches' objects untracked). */
static inline bool ukmem__slab_leak_tracked(const struct kmem_cache *s)
{
	return ukmem__cfg.kmemleak && !(s->flags & SLAB_NOLEAKTRACE);
}
int ukmem__slab_walk_live(const struct ukmem__slab_walk *w);
bool ukmem__slab_object_live(const void *p);

/* ---- reports (kmalloc.c) ---- */
void ukmem__slab_bad_cache_free(struct kmem_cache *s, const void *p, unsigned long caller);
void ukmem__slab_wrong_cache(const struct kmem_cache *s, struct kmem_cache *from, void *obj);
void ukmem__slab_report_free(const char *bug, const void *p, const char *why,
			     struct kmem_cache *s, unsigned long caller);

/* ---- RCU (rcu.c; rcu_host.c is the only file that includes liburcu): urcu_glue.h ---- */

/* ---- fast paths ---- */

/* The page of p when p is in the direct map and on a slab page (any page of the slab: the
 * tail pages of a multi-page slab carry PG_slab and slab_cache too), else NULL.  Flags and
 * slab_cache are stable while the slab lives, so no lock is needed. */
static __always_inline struct slab *ukmem__virt_to_slab_page(const void *p)
{
	unsigned long pfn = ((unsigned long)p - ukmem__memmap_local.page_offset) >> PAGE_SHIFT;
	struct page *page;

	if (unlikely(pfn >= ukmem__memmap_local.nr_pfns))
		return NULL;
	page = ukmem__memmap_local.pages + pfn;
	return likely(PageSlab(page)) ? page_slab(page) : NULL;
}

/* The slab (its head page) holding p, or NULL. */
static __always_inline struct slab *ukmem__virt_to_slab(const void *p)
{
	struct slab *slab = ukmem__virt_to_slab_page(p);

	if (slab && slab->slab_cache->order && !PageHead(slab_page(slab)))
		slab = page_slab(compound_head(slab_page(slab)));
	return slab;
}

/* The exact-division test: off (p's offset in the direct map, p - PAGE_OFFSET) is the start
 * of one of the first objects of its slab when rel * obj_magic (mod 2^64) is below a bound,
 * rel being p's offset in its slab.  With magic = floor(2^64 / size) + 1 and e = magic * size
 * - 2^64 (1 <= e <= size), rel = k * size gives k * e, below objects * e (obj_bound) exactly
 * when k < objects; any other rel (r = rel mod size, 0 < r < size) gives k * e + r * magic,
 * at least magic > 2^41 and without wrapping, since size and the slab are at most 4 MiB
 * (2^22) and obj_bound at most the slab's size.  One multiply and one compare, where the
 * modular inverse needs a rotate by a shift held in %cl. */
static __always_inline unsigned long ukmem__off_test(const struct kmem_cache *s, unsigned long off)
{
	return (off & s->slab_mask) * s->obj_magic;
}

static __always_inline bool ukmem__off_aligned(const struct kmem_cache *s, unsigned long off)
{
	return ukmem__off_test(s, off) < s->obj_bound;
}

static __always_inline bool ukmem__obj_aligned(const struct kmem_cache *s, const void *p)
{
	return ukmem__off_aligned(s, (unsigned long)p - ukmem__memmap_local.page_offset);
}

/* kfree's and kmem_cache_free's checks in one pass: the slab page holding p, when p is in
 * the direct map, on a slab page and exactly at an object's start, and kmemleak holds no
 * record of the cache's objects (free_bound is 0 then: the slow path drops the record
 * before the object goes back); else NULL. */
static __always_inline struct kmem_cache *ukmem__free_check(const void *p)
{
	unsigned long off = (unsigned long)p - ukmem__memmap_local.page_offset;
	struct page *page;
	struct kmem_cache *s;

	if (unlikely((off >> PAGE_SHIFT) >= ukmem__memmap_local.nr_pfns))
		return NULL;
	page = ukmem__memmap_local.pages + (off >> PAGE_SHIFT);
	if (unlikely(!PageSlab(page)))
		return NULL;
	s = page_slab(page)->slab_cache;
	return likely(ukmem__off_test(s, off) < ukmem__racy_read(s->free_bound)) ? s : NULL;
}

/* p starts an object of s on @slab (p's slab, or NULL), and s is not a debug cache: a valid
 * object the free fast path turned away, which only kmemleak's gate (free_bound 0) does;
 * whether the gate is still closed does not matter (it may have opened since). */
static __always_inline bool ukmem__slab_plain_object(const struct slab *slab,
						     const struct kmem_cache *s, const void *p)
{
	return slab && slab->slab_cache == s && !s->debug && ukmem__obj_aligned(s, p);
}

/* Index of an object already known to start an object of s. */
static __always_inline unsigned int ukmem__obj_index(const struct kmem_cache *s, const void *p)
{
	unsigned int rel = ((unsigned long)p - ukmem__memmap_local.page_offset) & s->slab_mask;
	unsigned int q = rel * s->inverse;

	return (q >> s->shift) | (q << ((32 - s->shift) & 31));
}

/* An allocation that may sleep, made where sleeping is not allowed. */
static __always_inline bool ukmem__slab_atomic_misuse(gfp_t gfp)
{
	/* context first: it is all but always zero, so GFP_KERNEL costs no gfp test */
	return unlikely(ukmem__this_cpu.atomic_ctx) && (gfp & __GFP_DIRECT_RECLAIM);
}

/* The fast paths.  They are inlined into the public entry points, so _RET_IP_ in their slow
 * branches is the entry point's caller (computed only there).  Only the owning thread writes
 * its slots and hot object (relaxed atomic stores, since other threads read n and the hot
 * object's cache for counts); its own reads are plain. */
static __always_inline struct ukmem__slab_slot *ukmem__slab_slot_of(struct ukmem__slab_slot *tab,
								 const struct kmem_cache *s)
{
	return (struct ukmem__slab_slot *)((char *)tab + s->slot_offset);
}

/* The fast path for a gfp without __GFP_ZERO: an object, or NULL when the slow path must
 * run (s is never NULL here: an empty hot object's cache is NULL). */
static __always_inline void *ukmem__slab_try_plain(struct kmem_cache *s, gfp_t gfp)
{
	struct ukmem__slab_hot *hot = &ukmem__slab_tls.hot;
	struct ukmem__slab_slot *slot;
	unsigned long n;
	void *obj;

	if (unlikely(ukmem__slab_atomic_misuse(gfp)))
		return NULL;
	if (hot->cache == s) {
		__atomic_store_n(&hot->cache, NULL, __ATOMIC_RELAXED);
		obj = hot->obj;
	} else {
		/* the table read here only: the hot branch does not pay for it */
		slot = ukmem__slab_slot_of(ukmem__slab_tls.tab, s);
		n = slot->n;
		if (unlikely(!n))
			return NULL;
		__atomic_store_n(&slot->n, n - 1, __ATOMIC_RELAXED);
		obj = slot->objs[n - 1];
	}
	if (!obj)			/* never: arrays and the hot object hold objects */
		__builtin_unreachable();	/* (so the caller's NULL test costs nothing) */
	return obj;
}

/*
 * An allocation.  @orig is the size kmalloc was asked for (0: the object size), which only
 * the slow path uses: a debug cache's object keeps it, and kasan=on and the tools'
 * annotations check the bytes past it.  __GFP_ZERO (kzalloc, kmem_cache_zalloc) goes out of
 * line to ukmem__slab_alloc_zeroed by a tail call: its own copy of the fast path, then the
 * zeroing; the plain path keeps its one gfp test and needs no frame.
 */
static __always_inline void *ukmem__slab_alloc_sized(struct kmem_cache *s, gfp_t gfp,
						     size_t orig)
{
	void *obj;

	if (unlikely(gfp & __GFP_ZERO))
		return ukmem__slab_alloc_zeroed(s, gfp, orig);
	obj = ukmem__slab_try_plain(s, gfp);
	if (likely(obj))
		return obj;
	return ukmem__slab_alloc_slow(s, gfp, _RET_IP_, orig);
}

static __always_inline void *ukmem__slab_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return ukmem__slab_alloc_sized(s, gfp, 0);
}

/* Put obj (already checked to be an object start of s) into this thread's hot object when
 * it is empty, else onto the array.  Either way the object must be neither the hot object
 * nor the array's top already (a double free), and the slot must have an array. */
static __always_inline void ukmem__slab_free(struct kmem_cache *s, void *obj)
{
	struct ukmem__slab_slot *tab = ukmem__slab_tls.tab;
	struct ukmem__slab_hot *hot = &ukmem__slab_tls.hot;
	struct ukmem__slab_slot *slot = ukmem__slab_slot_of(tab, s);
	unsigned long n = slot->n;

	if (unlikely(n >= slot->cap || slot->objs[(long)n - 1] == obj)) {
		ukmem__slab_free_slow(s, obj, _RET_IP_);
		return;
	}
	if (!hot->cache) {
		__atomic_store_n(&hot->obj, obj, __ATOMIC_RELAXED);
		__atomic_store_n(&hot->cache, s, __ATOMIC_RELAXED);
		return;
	}
	if (unlikely(hot->obj == obj)) {	/* the hot object freed again */
		ukmem__slab_free_slow(s, obj, _RET_IP_);
		return;
	}
	slot->objs[n] = obj;
	__atomic_store_n(&slot->n, n + 1, __ATOMIC_RELAXED);
}

#pragma GCC visibility pop
#endif
