/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator's debugging half: slub_debug (red zones, poisoning, consistency checks,
 * allocation/free tracking, trace), the KASAN-class mode (kasan=on: quarantine, exact
 * double/invalid-free detection), KFENCE sampling, and the sanitizer/valgrind annotations.
 *
 * How it joins the allocator: a cache with any debug option gets no per-thread array
 * (cpu_limit 0), so every allocation and free of it reaches the slab's slow paths, which call
 * the hooks below.  With no option set, no cache is marked and the fast paths never see this
 * code.  The slab layer lays out debug objects (slub.c, as SLUB's calculate_sizes does):
 *
 *   stride start
 *   | left red zone (red_left_pad) | object (object_size) | right red zone (to inuse) |
 *   | free pointer | track alloc | track free | state word | quarantine link | padding |
 *
 * Inside the slab layer objects are handled by their stride start; the hooks translate to the
 * object address the user sees (stride + red_left_pad) and back.
 *
 * Per-object state (the state word) is exact under the cache's debug options: ALLOCATED from
 * allocation to free, QUARANTINED while in the KASAN quarantine, FREE on the slab.  That is what
 * makes every double free visible however many frees lie between.
 *
 * Locking: the hooks run with no slab lock held, except ukmem__debug_new_slab (none either:
 * a new slab is private until grow() publishes it).  The quarantine has its own lock, taken
 * before any cache lock; the stack depot has its own, innermost.
 */
#ifndef UKMEM_SLAB_DEBUG_H
#define UKMEM_SLAB_DEBUG_H
#include <linux/slab.h>
#include "core/core.h"

#pragma GCC visibility push(hidden)

struct kmem_cache;
struct slab;
struct page;

/* ukmem's own flag: a sanitizer or valgrind watches (red zones, quarantine, annotations). */
#define SLAB_UKMEM_ANNOTATE	((slab_flags_t __force)0x40000000U)
/* kasan=on poisons the objects of a cache that did not ask for SLAB_POISON: its own way of
 * finding writes after free, not the cache's SLAB_POISON (6.1's KASAN poisons shadow memory),
 * so init_on_alloc=1 still zeroes them.  Set in the debug flags only, at setup. */
#define SLAB_UKMEM_KASAN_POISON	((slab_flags_t __force)0x80000000U)
/* Debug flags that route a cache through the hooks (SLAB_KASAN: the kasan=on mode). */
#define UKMEM_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
				 SLAB_STORE_USER | SLAB_TRACE | SLAB_KASAN | SLAB_UKMEM_ANNOTATE)
/* Modes whose frees go through the quarantine. */
#define UKMEM_QUARANTINE_FLAGS	(SLAB_KASAN | SLAB_UKMEM_ANNOTATE)

/* Object states kept in the state word. */
enum ukmem__obj_state {
	UKMEM_OBJ_FREE = 0x46524545,		/* on its slab's free list / bitmap */
	UKMEM_OBJ_ALLOCATED = 0x414c4c4f,	/* handed out */
	UKMEM_OBJ_QUARANTINED = 0x51554152,	/* freed, held back (kasan=on) */
	UKMEM_OBJ_FREEING = 0x46524e47,		/* a free has claimed it and is under way */
	UKMEM_OBJ_BAD = 0x4241442d,		/* found damaged: never handed out again */
};

/* An allocation or free record (SLUB's struct track, with a stack-depot handle). */
struct ukmem__track {
	unsigned long addr;		/* caller */
	unsigned int handle;		/* stack depot handle, 0: none */
	int cpu;
	int pid;
	unsigned long when;		/* ukmem__jiffies(): milliseconds */
};

/* ---- stack depot (slab_track.c) ---- */
unsigned int ukmem__depot_save(int skip);		/* this stack, minus skip frames */
unsigned int ukmem__depot_store(const unsigned long *pcs, int n);
int ukmem__depot_fetch(unsigned int handle, const unsigned long **pcs);
void ukmem__depot_ranges(void (*fn)(void *arg, const void *start, size_t len), void *arg);
void ukmem__depot_print(unsigned int handle, unsigned long from, const char *indent);
unsigned long ukmem__jiffies(void);
void ukmem__depot_fork(bool prepare);

/* ---- configuration (slub_debug.c) ---- */
/* The debug flags for a cache by name: slub_debug= blocks, kasan=on, and the cache's own
 * SLAB_RED_ZONE/POISON/STORE_USER flags.  Called by cache setup. */
slab_flags_t ukmem__debug_cache_flags(const char *name, slab_flags_t flags, unsigned int size);

/* ---- hooks, called by the slab layer's slow paths (slub_debug.c) ---- */
void ukmem__debug_new_slab(struct kmem_cache *s, struct slab *slab);
/* stride is a free object fresh from its slab; returns the object for the user, or NULL when
 * the object was found damaged (reported; it is kept out of use). */
void *ukmem__debug_alloc(struct kmem_cache *s, void *stride, gfp_t gfp, unsigned long caller,
			size_t orig);
/*
 * kmalloc's slack: @orig, the size a kmalloc asked for (0: a cache object), is kept in the
 * object's metadata (the word after the state word).  Once the object's bytes are final
 * (zeroed or not), ukmem__debug_mark_slack marks the bytes past it: kasan=on fills them with
 * the red zone's pattern, checked at free (ukmem__debug_slack gives where it starts), and the
 * tools' annotations put them off limits.  ukmem__debug_resize moves the mark (krealloc in
 * place: @size; ksize: 0, the whole object is the caller's, as 6.1's ksize unpoisons it).
 */
void ukmem__debug_mark_slack(struct kmem_cache *s, void *obj);
unsigned int ukmem__debug_slack(struct kmem_cache *s, void *obj);	/* 0: none */
void ukmem__debug_resize(struct kmem_cache *s, void *obj, size_t size);
/* Free of p (what the user passed) to s, the cache of the slab p lies on.  Every check runs
 * first; the object reaches its slab (or the quarantine) only when all pass. */
void ukmem__debug_free(struct kmem_cache *s, const void *p, unsigned long caller);
void ukmem__debug_cache_created(struct kmem_cache *s);
void ukmem__debug_cache_destroyed(struct kmem_cache *s);
/* A slab's 2^order pages go back to the page allocator (nothing to do unless a tool watches). */
void ukmem__debug_slab_gone(struct slab *slab, unsigned int order);
/* The object containing p in a debug cache (its user address), or NULL. */
void *ukmem__debug_object_start(struct kmem_cache *s, const void *p);
/* True when p is exactly a user object address of debug cache s. */
bool ukmem__debug_valid_object(struct kmem_cache *s, const void *p);
bool ukmem__debug_object_live(struct kmem_cache *s, void *stride);
bool ukmem__debug_object_freed(struct kmem_cache *s, const void *obj);

/* ---- KASAN mode (kasan.c) ---- */
void ukmem__kasan_quarantine_put(struct kmem_cache *s, void *obj);
void ukmem__kasan_quarantine_drain(struct kmem_cache *s);	/* NULL: every cache */
void ukmem__kasan_report_free(const char *bug, struct kmem_cache *s, const void *p,
			      const char *why, unsigned long caller);
void ukmem__kasan_check_redzone(struct kmem_cache *s, struct slab *slab, char *obj,
				unsigned long caller);
void ukmem__kasan_report_uaf(struct kmem_cache *s, void *obj, const u8 *first, unsigned int len);
/* kasan_check_byte's report: krealloc or ksize read a byte of the freed object p. */
void ukmem__kasan_report_read_freed(struct kmem_cache *s, const void *p, unsigned long caller);
/*
 * Large kmalloc (whole pages) under kasan=on, as 6.1's kasan_kmalloc_large and
 * kasan_kfree_large: the slack past the size asked for holds the red zone's pattern,
 * checked at kfree (the first tail page's private keeps where it starts); a freed block is
 * poisoned and held in the quarantine (head->index UKMEM_KMALLOC_LARGE_FREED, linked through
 * head->lru), its poison checked when it leaves.
 */
void ukmem__kasan_kmalloc_large(struct page *head, size_t size);
bool ukmem__kasan_kfree_large(struct page *head, unsigned long caller);	/* true: held */
void ukmem__kasan_large_resize(struct page *head, size_t size);		/* 0: the whole block */
size_t ukmem__kasan_large_slack(struct page *head);
/* "double-free" / "invalid-free" (kfree) or "use-after-free" (ksize, krealloc) of p, in a
 * block in the quarantine */
void ukmem__kasan_report_large(const char *bug, const void *p, unsigned long caller);

/* ---- shared with the report code (slub_debug.c) ---- */
struct ukmem__track *ukmem__debug_track(struct kmem_cache *s, void *obj, int which);
u32 *ukmem__debug_state(struct kmem_cache *s, void *obj);
bool ukmem__debug_check_poison(struct kmem_cache *s, void *obj, bool report);
void ukmem__debug_print_track(const char *what, struct ukmem__track *t);
void ukmem__debug_print_tracking(struct kmem_cache *s, const void *p);
void ukmem__debug_release(struct kmem_cache *s, void *obj);	/* debug free or quarantine -> slab */

/* ---- KFENCE (kfence.c) ---- */
extern struct ukmem__kfence_state {
	unsigned long interval;		/* kfence.sample_interval, 0: off */
	char *pool;			/* the pool's first byte (direct map), NULL: off */
	char *pool_end;
} ukmem__kfence;
/* the sampled allocation (slub.c counts): the object, or NULL when the pool cannot serve it */
void *ukmem__kfence_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig);
/* false: not a KFENCE address; s: kmem_cache_free's cache, NULL for kfree */
bool ukmem__kfence_free(struct kmem_cache *s, const void *p, unsigned long caller);
bool ukmem__kfence_check_byte(const void *p, unsigned long caller);	/* false: reported */
size_t ukmem__kfence_ksize(const void *p);	/* a live object's size, else 0 */
unsigned long ukmem__kfence_cache_live(struct kmem_cache *s, bool print);
void ukmem__kfence_cache_gone(struct kmem_cache *s);
void ukmem__kfence_ranges(void (*fn)(void *arg, const void *start, size_t len), void *arg);
void *ukmem__kfence_object_start(const void *p);
struct kmem_cache *ukmem__kfence_cache_of(const void *p);	/* a live object's */
bool ukmem__kfence_dump_obj(const void *p);
static inline bool ukmem__is_kfence_address(const void *p)
{
	return unlikely((const char *)p >= ukmem__kfence.pool && (const char *)p < ukmem__kfence.pool_end);
}

#pragma GCC visibility pop
#endif
