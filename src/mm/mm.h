/* SPDX-License-Identifier: MIT */
/*
 * Physical memory internals: the simulated RAM, its direct map, zones, the buddy allocator's
 * state, and the hooks other subsystems use (fork remapping, memory statistics).
 *
 * Layout (physical): RAM from 0 up to mem=, except the hole [3 GiB, 4 GiB) where RAM never
 * lies (devices go there); above 3 GiB of RAM it continues at 4 GiB.  The first 1 MiB is
 * reserved.  Zones: DMA [0, 16 MiB), DMA32 [16 MiB, 4 GiB), NORMAL [4 GiB, ...).
 *
 * Layout (virtual): one reservation, aligned to 1 GiB: the direct map of [0, phys_end),
 * then a 1 GiB gap, then the vmalloc window (vmalloc, vmap and ioremap map pages there).
 * RAM is one memfd; physical address == file offset, so every mapping of a frame aliases.
 *
 * Locking: each zone has a lock that guards its free lists and counters; per-thread page
 * lists (pcp) belong to their thread and take no lock.  Lock order: zone locks in zone
 * index order, then the console lock (reports).  The resource tree has its own lock.
 */
#ifndef UKMEM_MM_H
#define UKMEM_MM_H
#include <pthread.h>
#include <linux/mm.h>
#include <linux/ioport.h>
#include <linux/list.h>

#pragma GCC visibility push(hidden)

/* Inside the library a frame number always comes from a struct page or from start-up, which
 * sets the map before any: the public pfn_to_page()'s start-up check (asm/page.h) is not
 * needed here, and the buddy allocator's merge loop does without it. */
#undef pfn_to_page
#define pfn_to_page(pfn)	(__ukmem_memmap.pages + (pfn))

#define UKMEM_HOLE_START	(3ULL << 30)
#define UKMEM_HOLE_END		(4ULL << 30)
#define UKMEM_RESERVED_LOW	(1ULL << 20)
#define UKMEM_VMALLOC_SIZE	(64ULL << 30)	/* preferred; smaller if the host refuses */
#define UKMEM_NR_ZONES		3	/* DMA, DMA32, NORMAL */

/* Watermark indexes, as the kernel's. */
enum { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct ukmem__free_area {
	struct list_head list;
	unsigned long nr_free;
};

struct ukmem__zone {
	const char *name;
	unsigned long start_pfn, end_pfn;	/* span; may include the hole */
	unsigned long managed_pages;		/* pages handed to the buddy at start-up */
	unsigned long watermark[NR_WMARK];
	unsigned long lowmem_reserve[UKMEM_NR_ZONES];
	pthread_mutex_t lock;
	unsigned long free_pages;		/* in the free lists (not pcp); under lock */
	unsigned long nr_unpunched;		/* free top-order blocks still in host memory */
	struct ukmem__free_area free_area[MAX_ORDER];
};

/* Memory statistics other subsystems feed (bytes or pages, as named). */
enum ukmem__stat {
	UKMEM_STAT_SLAB_RECLAIMABLE_B,
	UKMEM_STAT_SLAB_UNRECLAIMABLE_B,
	UKMEM_STAT_VMALLOC_PAGES,
	UKMEM_STAT_PCP_PAGES,
	UKMEM_STAT_PERCPU_PAGES,		/* per-CPU chunks and static copies */
	UKMEM_NR_STATS,
};

#define UKMEM_MAX_FORK_HOOKS	32
#define UKMEM_MAX_SHRINKERS	16
struct ukmem__mm {
	int fd;					/* the RAM memfd */
	struct { phys_addr_t start, end; } ram[2];	/* end exclusive */
	int nr_ram;
	phys_addr_t phys_end;
	char *direct_base;
	char *vmalloc_start, *vmalloc_end;
	size_t reserve_size;
	unsigned long totalram_pages;		/* RAM minus the reserved first MiB */
	struct ukmem__zone zones[UKMEM_NR_ZONES];
	long stats[UKMEM_NR_STATS];		/* atomic */
	void (*fork_remap[UKMEM_MAX_FORK_HOOKS])(int new_fd);
	void (*fork_lock[UKMEM_MAX_FORK_HOOKS])(void);
	void (*fork_unlock[UKMEM_MAX_FORK_HOOKS])(void);
	int nr_fork_hooks;
	int fork_gate_err;		/* the fork gate's arming, read by the parent's hook */
	bool (*shrinkers[UKMEM_MAX_SHRINKERS])(void);
	int nr_shrinkers;
	/* One bit per page of the memory map (UKMEM_MEMMAP_FRAMES frames) whose struct pages
	 * ever described an allocated block, set by the allocator (only ever set, atomically).
	 * Walks over every frame skip the rest: their struct pages were never written, and
	 * reading them would fault the whole map in.  NULL: every page counts as seen. */
	unsigned long *memmap_seen;
	/* The library's own copy of __ukmem_memmap's page_offset, pages and nr_pfns, set with
	 * it at start-up and read-only afterwards.  The exported variable is reached through
	 * the GOT in the shared library (a program may hold a copy-relocated instance of it,
	 * which the library must write): the fast paths (slab.h) read this hidden copy with one
	 * PC-relative load instead. */
	struct ukmem_memmap map;
};
extern struct ukmem__mm ukmem__mm;
#define ukmem__memmap_local	(ukmem__mm.map)

#define UKMEM_MEMMAP_FRAMES	(PAGE_SIZE / sizeof(struct page))

/* Whether frame @pfn's page of the memory map ever described an allocated block: if not,
 * none of its UKMEM_MEMMAP_FRAMES frames is allocated, nor was. */
static inline bool ukmem__memmap_seen(unsigned long pfn)
{
	const unsigned long *map = ukmem__mm.memmap_seen;
	unsigned long i = pfn / UKMEM_MEMMAP_FRAMES;

	return !map || (__atomic_load_n(&map[i / BITS_PER_LONG], __ATOMIC_RELAXED) &
			(1UL << (i % BITS_PER_LONG)));
}

/* True when [addr, addr+len) lies in the direct map of RAM. */
static inline bool ukmem__in_direct_map(const void *addr)
{
	return (unsigned long)addr - (unsigned long)ukmem__mm.direct_base < ukmem__mm.phys_end;
}
bool ukmem__pfn_is_ram(unsigned long pfn);

static inline void ukmem__stat_add(enum ukmem__stat item, long delta)
{
	__atomic_fetch_add(&ukmem__mm.stats[item], delta, __ATOMIC_RELAXED);
}
static inline long ukmem__stat(enum ukmem__stat item)
{
	return __atomic_load_n(&ukmem__mm.stats[item], __ATOMIC_RELAXED);
}

/* fork(): a subsystem that maps RAM elsewhere remaps onto new_fd in the child; lock/unlock
 * bracket the fork so its state is consistent.  Any of the three may be NULL. */
void ukmem__mm_on_fork(void (*lock)(void), void (*unlock)(void), void (*remap)(int new_fd));
/* The page allocator's own fork locks: taken after every registered hook's, since subsystems
 * may call the page allocator while holding their locks and it never calls up into them. */
void ukmem__buddy_fork_lock(void);
void ukmem__buddy_fork_unlock(void);

/*
 * Shrinkers: caches that hold free memory (empty slabs, lazily freed vmalloc areas) give it
 * back when an allocation that may sleep would otherwise fail, as the kernel's direct reclaim
 * runs its shrinkers.  A shrinker returns true when it gave anything back.  It runs in the
 * allocating thread with whatever locks that thread holds, so its subsystem must never
 * allocate pages while holding a lock the shrinker takes.
 */
void ukmem__mm_add_shrinker(bool (*shrink)(void));

/* Page allocator internals. */
int ukmem__buddy_init(void);
void ukmem__drain_local_pages(void);	/* give this thread's cached pages back */
void ukmem__page_leak_mark(struct page *page, bool held);	/* kmemleak's record (page_alloc.c) */
struct page *ukmem__alloc_pages(gfp_t gfp, unsigned int order);	/* no might_sleep */
/* alloc_pages and __get_free_pages for an upper layer's entry point: kmemleak names @caller
 * (its caller) as the owner, not the entry point itself. */
struct page *ukmem__alloc_pages_caller(gfp_t gfp, unsigned int order, unsigned long caller);
unsigned long ukmem__get_free_pages_caller(gfp_t gfp, unsigned int order, unsigned long caller);
int ukmem__show_buddyinfo(FILE *out, const char *arg);
int ukmem__show_meminfo(FILE *out, const char *arg);
int ukmem__show_iomem(FILE *out, const char *arg);
int ukmem__show_ioports(FILE *out, const char *arg);	/* registered by io */
enum ukmem__pfn_kind { UKMEM_PFN_HOLE, UKMEM_PFN_RESERVED, UKMEM_PFN_FREE, UKMEM_PFN_ALLOCATED,
		       UKMEM_PFN_TAIL };
enum ukmem__pfn_kind ukmem__pfn_classify(unsigned long pfn, unsigned int *order);
int ukmem__resource_init(void);
struct resource;
void ukmem__resource_for_each(struct resource *root,
			      void (*fn)(const struct resource *r, int depth, void *arg),
			      void *arg);
void ukmem__pages_walk_user(void (*fn)(void *arg, struct page *page, unsigned int order,
				       unsigned long owner), void *arg);	/* kmemleak */
bool ukmem__page_user_live(const struct page *page);			/* kmemleak */
void ukmem__percpu_set_managed(void __percpu *ptr);	/* devm_alloc_percpu's (devres) */
void ukmem__pages_set_managed(unsigned long addr);	/* devm_get_free_pages's (devres) */
void ukmem__free_pages_managed(unsigned long addr, unsigned int order);	/* its release */
void ukmem__free_percpu_managed(void __percpu *ptr);	/* its release */
/* Blocks other subsystems own: the page allocator's frees refuse them (page_alloc.c). */
enum ukmem__pages_owner { UKMEM_PAGES_VMALLOC, UKMEM_PAGES_DMA };
void ukmem__pages_set_owner(struct page *page, enum ukmem__pages_owner owner, bool on);

#pragma GCC visibility pop
#endif
