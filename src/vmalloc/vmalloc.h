/* SPDX-License-Identifier: MIT */
/*
 * vmalloc internals: the address-space allocator of the vmalloc window (also used by ioremap)
 * and the area descriptor every vmalloc/vmap/ioremap mapping has.
 *
 * The window [VMALLOC_START, VMALLOC_END) is reserved PROT_NONE.  An area is a span of it
 * [va_start, va_end): its mapping, then (unless VM_NO_GUARD) one guard page.  Where the host
 * has guard regions (guard_regions), the guard page of a vmalloc/vmap area is the page after
 * its last physically contiguous run, mapped as part of that run and made a guard region,
 * so an area costs one host mapping per run and nothing for its guard (guard_mapped);
 * otherwise the guard page is the window's PROT_NONE reservation, which the area's mapping
 * splits: one more host mapping per area.  Free spans live in a tree ordered by address
 * and augmented with the largest free span of each subtree, so the lowest fitting hole is
 * found in logarithmic time.  Busy areas live in a second tree ordered by address (lookup
 * of the area containing an address) and in a hash table by start address (vfree's
 * lookup: one or two cache lines where the tree's descent touches a dozen).
 *
 * Each area has a kmalloc'd descriptor (struct vm_struct, vm), the object get_vm_area(),
 * find_vm_area() and remove_vm_area() hand out, as 6.1's; vm_map_ram areas have none.
 *
 * Area life cycle (state):
 *   SETUP -> LIVE -> (DEFERRED ->) FREEING -> LAZY -> PURGING -> gone
 *   LIVE: mapped and owned by its user.  DEFERRED: vfree()d from interrupt context, waiting
 *   for task context.  FREEING: being taken down by one thread.  LAZY: unmapped (PROT_NONE,
 *   every access faults) but its span is not reusable yet; a LAZY vmalloc area may keep its
 *   pages so that a later vmalloc of the same size maps them again with one call.  PURGING:
 *   its span is being returned, in a batch with other lazy areas.
 *
 * Locking: vmap.lock (a mutex) guards both trees, the lazy lists, every area's state and the
 * history ring.  System calls and page allocation run outside it: an area in SETUP, FREEING
 * or PURGING belongs to the one thread working on it.  Lock order: vmap.lock, then the page
 * allocator's zone locks, then the console.  The fault handler only try-locks.
 */
#ifndef UKMEM_VMALLOC_INTERNAL_H
#define UKMEM_VMALLOC_INTERNAL_H
#include <pthread.h>
#include <stdio.h>
#include <linux/list.h>
#include <linux/vmalloc.h>
#include "core/bits.h"
#include "platform/platform.h"

#pragma GCC visibility push(hidden)

#define UKMEM_VA_FAULT_HOOKS	4
typedef bool (*ukmem__va_fault_describe_fn)(const struct ukmem__fault *fault);

/* A node of either tree: the span [start, end), and the largest span in its subtree. */
struct ukmem__va_node {
	unsigned long start, end, subtree_max;
	struct ukmem__va_node *left, *right;
	unsigned int prio;
};

enum ukmem__va_state {
	UKMEM_VA_SETUP, UKMEM_VA_LIVE, UKMEM_VA_DEFERRED, UKMEM_VA_FREEING,
	UKMEM_VA_LAZY, UKMEM_VA_PURGING,
};

enum ukmem__va_kind {
	UKMEM_VA_VMALLOC,	/* pages from the page allocator, ours to free */
	UKMEM_VA_VMAP,		/* the caller's pages (vmap) */
	UKMEM_VA_MAP_RAM,	/* vm_map_ram(): no vm_struct, as in the kernel */
	UKMEM_VA_OTHER,		/* get_vm_area(): the caller maps something else (ioremap) */
};

struct ukmem__vmap_area {
	struct ukmem__va_node node;	/* the span, guard page included */
	struct vm_struct *vm;		/* the descriptor find_vm_area() returns: kmalloc'd, as
					 * 6.1's, and kfree'd with the area; &vm_kept for a
					 * vm_map_ram area (6.1 gives those none) and once
					 * remove_vm_area() has handed the descriptor over */
	struct vm_struct vm_kept;	/* a copy the area keeps for its own teardown */
	struct page **pages;		/* mapped frames in order (NULL if none) */
	unsigned int nr_pages;
	unsigned char state, kind;
	unsigned char prot;		/* UKMEM_OS_* of its pages (from the pgprot_t) */
	bool guard_mapped;		/* the guard page is part of the mapping (guard region) */
	bool user_mapped;		/* remap_vmalloc_range mapped its pages at a user range:
					 * they outlive the area (never reused or freed) */
	bool sweep_tracked;		/* a vmap or get_vm_area area made by a fail sweep's
					 * run: kmemleak has a record, teardown drops it */
	const char *owner_release;	/* owned by a subsystem (ioremap): the only call that
					 * releases it ("iounmap"); NULL for everyone's areas */
	unsigned long *holes;		/* pages vunmap_range() took away (bitmap), or NULL */
	unsigned long top_pfn;		/* highest frame, for zone checks on reuse */
	unsigned long free_seq;		/* vfree() number at which it went lazy */
	const void *free_caller;	/* who vfree()d it */
	struct list_head lru;		/* lazy areas, oldest first */
	struct list_head bucket;	/* lazy areas with pages, by page count */
	struct ukmem__vmap_area *deferred_next;
	struct ukmem__vmap_area *hash_next;	/* busy areas by start address (by_start) */
};

/* The area's descriptor is a slab object of its own (kfree'd with the area). */
static inline bool ukmem__va_desc_owned(const struct ukmem__vmap_area *va)
{
	return va->vm != &va->vm_kept;
}

/* Page i of va was taken away by vunmap_range(). */
static inline bool ukmem__va_hole(const struct ukmem__vmap_area *va, unsigned long i)
{
	return va->holes && ukmem__bit(va->holes, i);
}

/* What the fault report can say about an address in the window. */
struct ukmem__va_info {
	unsigned long start, end;	/* the span */
	unsigned long size;		/* vm.size (guard included) */
	unsigned int nr_pages, kind, state;
	unsigned long flags;
	const void *caller, *free_caller;
	bool freed;			/* from the history of purged areas */
	unsigned char prot;		/* UKMEM_OS_* of its pages */
};


#define UKMEM_VA_HISTORY	64	/* purged areas remembered for fault reports */
#define UKMEM_VA_BUCKETS	256	/* lazy areas with pages: one list per page count */
#define UKMEM_VA_HASH		4096	/* busy areas hashed by start address (vfree's lookup) */

/* The subsystem's state: one struct, under lock unless noted. */
struct ukmem__vmalloc {
	pthread_mutex_t lock;
	unsigned long start, end;		/* the window; fixed at start-up */
	struct ukmem__va_node *free_root;	/* free spans */
	struct ukmem__va_node *busy_root;	/* areas in any state */
	struct ukmem__vmap_area *by_start[UKMEM_VA_HASH];	/* the same, by start address */
	unsigned long nr_busy;
	unsigned int seed;			/* tree priorities */
	struct ukmem__va_info history[UKMEM_VA_HISTORY];
	unsigned int history_pos;
	/* Lazily freed areas. */
	struct list_head lazy_lru;
	struct list_head lazy_bucket[UKMEM_VA_BUCKETS + 1];
	unsigned long nr_lazy, lazy_pages;	/* areas, pages they keep */
	unsigned long lazy_max_areas, lazy_max_pages;
	unsigned long vfree_seq;
	/* vfree() from interrupt context: pushed without the lock, drained in task context. */
	struct ukmem__vmap_area *deferred;	/* atomic */
	long max_map_count;			/* the host's limit, -1 unknown */
	unsigned long warn_window;		/* rate limit of vmalloc warnings */
	int warn_burst;
	unsigned long map_failures;		/* the host refused a mapping */
	bool guard_regions;			/* guard pages are host guard regions; start-up */
	/* register_vmap_purge_notifier(): by priority, under its own lock (calls may sleep). */
	pthread_rwlock_t purge_nb_lock;
	struct notifier_block *purge_nb;
	ukmem__va_fault_describe_fn fault_describe[UKMEM_VA_FAULT_HOOKS];	/* start-up only */
	int nr_fault_describe;
};
extern struct ukmem__vmalloc ukmem__vmalloc;

/* The address-space allocator (vmap_area.c); all _locked calls need vmap lock held. */
void ukmem__va_lock(void);
void ukmem__va_unlock(void);
bool ukmem__va_trylock(void);
int ukmem__va_init(unsigned long start, unsigned long end);
unsigned long ukmem__va_alloc_locked(unsigned long size, unsigned long align);	/* 0: none */
unsigned long ukmem__va_alloc_range_locked(unsigned long size, unsigned long align,
					   unsigned long lo, unsigned long hi);
void ukmem__va_free_locked(unsigned long start, unsigned long end);
void ukmem__va_insert_busy_locked(struct ukmem__vmap_area *va);
void ukmem__va_erase_busy_locked(struct ukmem__vmap_area *va);
struct ukmem__vmap_area *ukmem__va_find_locked(unsigned long addr);	/* containing addr */
struct ukmem__vmap_area *ukmem__va_find_start_locked(unsigned long addr);	/* starting there */
void ukmem__va_remember_locked(const struct ukmem__vmap_area *va);	/* purged: history */
bool ukmem__va_describe(unsigned long addr, struct ukmem__va_info *info, bool locked);
unsigned long ukmem__va_nr_busy_locked(void);
void ukmem__va_for_each_locked(void (*fn)(struct ukmem__vmap_area *va, void *arg), void *arg);

/* A new area in state SETUP with its descriptor (vm_map_ram: none, as in 6.1); its flags and
 * caller set.  The descriptor is kmalloc'd with @gfp's reclaim bits, unhooked: the fault
 * point it is in 6.1 is the caller's (UKMEM_FAULT_VMALLOC for vmalloc), counted once.
 * NULL when memory is short. */
struct ukmem__vmap_area *ukmem__va_new(unsigned int kind, unsigned long flags,
				       const void *caller, gfp_t gfp);
/* kvzalloc() for bookkeeping inside a call that checked its context already: no second
 * "sleeping function called from invalid context" report (direct reclaim only if needed). */
void *ukmem__vmalloc_kvzalloc_quiet(size_t size, gfp_t gfp);
/* Free an area that is in no tree (its descriptor too, unless it was handed over). */
void ukmem__va_destroy(struct ukmem__vmap_area *va);

/* Areas without pages for other subsystems: get_vm_area_caller()/free_vm_area() are the
 * public interface; this one also takes an alignment. */
struct vm_struct *ukmem__get_vm_area(unsigned long size, unsigned long align,
				     unsigned long flags, const void *caller);
struct vm_struct *ukmem__get_vm_area_range(unsigned long size, unsigned long align,
					   unsigned long flags, unsigned long start,
					   unsigned long end, const void *caller);

/* An area that a subsystem owns (ioremap's mappings): made as __get_vm_area_caller() makes
 * one (start = end = 0: anywhere), but vfree(), vunmap(), free_vm_area() and remove_vm_area()
 * refuse it with a warning naming @release, the owner's own release call, and leave it
 * mapped; only ukmem__free_vm_area_owned() releases it. */
struct vm_struct *ukmem__get_vm_area_owned(unsigned long size, unsigned long flags,
					   unsigned long start, unsigned long end,
					   const char *release, const void *caller);
void ukmem__free_vm_area_owned(struct vm_struct *vm);

/* A subsystem that owns areas of the window (ioremap) describes faults in them: the hook
 * prints what it knows about addr into the page-fault report and returns true, or returns
 * false to leave the address to vmalloc.  Runs in the signal handler: try-locks only.
 * Registered during start-up (at most UKMEM_VA_FAULT_HOOKS). */
void ukmem__vmalloc_fault_describe_register(ukmem__va_fault_describe_fn fn);

/* vmalloc.c: under ASan or memcheck, [addr, addr + asked) usable and the rest of the span up
 * to addr + size off limits, whatever an older area there left (a tool must be watching). */
/* @fresh: the span was free in the window (never a lazy area's); see vmalloc.c */
void ukmem__vmalloc_annotate(void *addr, unsigned long asked, unsigned long size, bool fresh);

/* vmalloc.c: map pages at addr with host protection prot (one call per physically
 * contiguous run); take an area down (unmap, free its pages if dealloc and they are ours,
 * give its span back). */
int ukmem__vmalloc_map_pages(unsigned long addr, struct page **pages, unsigned int n,
			     unsigned int prot, unsigned int *done);
/* Map pages[0..n) at the start of va with va->prot and, with guard regions and a guard page,
 * that guard page inside the last mapping (sets va->guard_mapped): one host mapping per
 * physically contiguous run, none for the guard.  *done: pages mapped, guard included. */
int ukmem__vmalloc_map_area(struct ukmem__vmap_area *va, struct page **pages, unsigned int n,
			    int fd, unsigned int *done);
/* Bytes mapped at the start of va: its pages, plus the guard page when it is mapped. */
unsigned long ukmem__vmalloc_mapped_size(const struct ukmem__vmap_area *va);
/* The host protection (UKMEM_OS_*) for a pgprot_t; every x86-64 protection has one. */
unsigned char ukmem__vmalloc_prot(pgprot_t prot);
void ukmem__vmalloc_teardown(struct ukmem__vmap_area *va, bool dealloc);
int ukmem__vmalloc_remap(struct ukmem__vmap_area *va, int fd);	/* fork: onto a new RAM file */

/* Free the page array of a VM_MAP_PUT_PAGES vmap() (kvmalloc.c: it is kv memory). */
void ukmem__vmap_put_array(struct page **pages);

/* Claim the live vmalloc/vmap/get_vm_area area containing addr for this thread (state
 * FREEING), as vfree does; NULL if there is none or it is owned by a subsystem (warned, left
 * alone).  @desc: when not NULL, the area's descriptor must be it; a miss is then warned
 * about whatever it is (free_vm_area). */
struct ukmem__vmap_area *ukmem__vmalloc_claim(const void *addr, const struct vm_struct *desc,
					      const void *caller);
/* Reserve size bytes (guard included) of [lo, hi) for va, which enters the busy tree in its
 * state; lazy areas are purged and the purge notifiers called first.  On failure: 6.1's
 * "vmap allocation for size N failed" line (unless gfp has __GFP_NOWARN) and -ENOMEM. */
int ukmem__vmalloc_reserve(struct ukmem__vmap_area *va, unsigned long size, unsigned long align,
			   unsigned long lo, unsigned long hi, gfp_t gfp);
/* areas.c: the vmap purge notifiers, called when the window has no room; true if one of them
 * freed something (worth another try). */
bool ukmem__vmalloc_purge_notify(void);

/* Give every lazily freed area back (pages and address space); vm_unmap_aliases() does it. */
void ukmem__vmalloc_purge(void);
void ukmem__vmalloc_drain_deferred(void);	/* vfree()s from interrupt context: finish them */

int ukmem__vmalloc_show(FILE *out, const char *arg);
/* Faults in ukmem's windows: reported, then the process dies of the signal. */
enum ukmem__fault_result ukmem__vmalloc_fault(const struct ukmem__fault *fault);

#pragma GCC visibility pop
#endif
