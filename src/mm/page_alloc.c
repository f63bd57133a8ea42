/* SPDX-License-Identifier: MIT */
/*
 * The page allocator: a binary buddy allocator per zone with the kernel's watermarks and
 * zone fallback, plus per-thread ("per-CPU") lists of blocks of orders 0..3.  Order-0
 * allocation and free have inline fast paths (alloc_fast, free_fast) that fall through to
 * the checked paths for anything unusual.
 *
 * Invariants:
 *  - A free block is on exactly one list: its head has page_type PT_BUDDY and private ==
 *    order and sits in zone->free_area[order]; or (orders 0..PCP_MAX_ORDER, as the kernel's
 *    pcp lists) it is on one thread's pcp list with page_type PT_PCP and private == order.
 *    Pages inside a free block carry no marks.
 *  - A handed-out block's head has PGA_ALLOCATED set and its order in PGA_ORDER; its
 *    refcount is >= 1.  Frees are checked against these marks: a pointer that is not the head
 *    of a live block, a wrong order or a double free is reported ("BUG: Bad page state") and
 *    the page is left alone, so a bad free never corrupts the free lists.  A last reference
 *    dropped on a block in a state 6.1 refuses to free (PAGE_FLAGS_CHECK_AT_FREE flags, a
 *    mapping) is reported and the reference restored: the block stays allocated.
 *  - zone->free_pages counts pages on the zone's free lists, not on pcp lists.
 *  - Every frame that was ever in a handed-out block has its bit in mm.memmap_seen (set
 *    by prep_new_page): walks for live blocks skip the memory-map pages without one.
 *  - A handed-out block whose head has PGA_MANAGED is a device's (devm_get_free_pages): only
 *    ukmem__free_pages_managed() (its devres release) frees it; __free_pages and a last
 *    put_page report and refuse it (put_page's reference is given back).  The bit is one
 *    of PGA_BITS, so allocation and the order-0 fast path's test clear and see it.
 *  - A block whose head has PGA_DMA is a DMA allocation's (dma_alloc_coherent,
 *    dma_alloc_pages): refused as PGA_MANAGED is, and freed by its DMA free call, which
 *    takes the mark off first (ukmem__pages_set_owner).
 *  - An order-0 page whose flags have PGA_VMALLOC is mapped by a vmalloc area, which holds
 *    one reference: a drop of the last reference by anyone but vmalloc (which takes the
 *    mark off first) is reported and refused, as for PGA_MANAGED, since the area would go
 *    on mapping a page that the next allocation is given.  Extra references (get_page on
 *    vmalloc_to_page) come and go freely.  All three marks are in PGA_OWNED, part of
 *    PGA_BITS.
 *  - A handed-out block whose head has PGA_LEAK_RECORD is one kmemleak holds a record of
 *    (a flag, a stack): its frees skip the order-0 fast path, and the record goes when the
 *    last reference does, so that the next owner of the page starts with none.
 *  - When a free block coalesces to PUNCH_ORDER, its frames go back to the host, except
 *    for the first PUNCH_SLACK such blocks of a zone: those stay populated (their head's
 *    index is 1, zone->nr_unpunched counts them) and sit at the head of the list, so they
 *    are reused first and a block that goes back and forth is not punched and faulted in
 *    again every time.
 *
 * Locking: zone->lock guards free_area and free_pages.  pcp lists are thread-local and
 * unlocked; a thread gives its pages back when it exits.  No zone lock is held while
 * reporting a failed allocation.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/swap.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"

/* Allocator-private bits at the top of page->flags (55..63). */
#define PGA_ALLOCATED	(1UL << 56)
#define PGA_ORDER_SHIFT	57
#define PGA_ORDER_MASK	(0xfUL << PGA_ORDER_SHIFT)
#define PGA_LEAK_RECORD	(1UL << 61)	/* kmemleak holds a record of the block */
#define PGA_MANAGED	(1UL << 62)	/* a device's: devm_get_free_pages */
#define PGA_VMALLOC	(1UL << 63)	/* a page of a vmalloc area: vfree's to free */
#define PGA_DMA		(1UL << 55)	/* dma_alloc_coherent's or dma_alloc_pages' */
#define PGA_OWNED	(PGA_MANAGED | PGA_VMALLOC | PGA_DMA)
#define PGA_BITS	(PGA_ALLOCATED | PGA_ORDER_MASK | PGA_OWNED)

/* Flags a page being freed may not carry (6.1's PAGE_FLAGS_CHECK_AT_FREE). */
#define FLAGS_CHECK_AT_FREE	(1UL << PG_lru | 1UL << PG_locked | 1UL << PG_private | \
				 1UL << PG_private_2 | 1UL << PG_writeback | 1UL << PG_reserved | \
				 1UL << PG_slab | 1UL << PG_active | 1UL << PG_unevictable | \
				 1UL << PG_mlocked)

#define PT_BUDDY	0xf0000080u	/* head of a free block in a zone list */
#define PT_PCP		0xf0000100u	/* head of a free block on a thread's list */

#define PUNCH_ORDER	(MAX_ORDER - 1)
#define PUNCH_SLACK	4		/* unpunched free top-order blocks per zone (16 MiB) */
#define PCP_BATCH	31		/* pages moved to or from a zone at once */
#define PCP_HIGH	(6 * PCP_BATCH)	/* pages a thread may cache per zone */
#define PCP_MAX_ORDER	PAGE_ALLOC_COSTLY_ORDER	/* orders 0..3 are cached, as 6.1 */

/* alloc_flags, as the kernel's (mm/internal.h). */
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_NON_BLOCK		0x10
#define ALLOC_MIN_RESERVE	0x20

struct pcp {
	struct list_head lists[UKMEM_NR_ZONES][PCP_MAX_ORDER + 1];
	int count[UKMEM_NR_ZONES];	/* pages (not blocks) on the zone's lists */
	long published;		/* the part of UKMEM_STAT_PCP_PAGES that is this thread's */
	bool ready;
};
static __thread struct pcp pcp_tls __attribute__((tls_model("initial-exec")));

/*
 * page_type (PT_BUDDY, PT_PCP) is read under a zone lock by a thread merging a buddy while
 * the page may belong to another thread that writes it without that lock: only the zone
 * lock holder ever writes PT_BUDDY, so the race is harmless, and atomic accesses say so.
 */
static inline unsigned int get_page_type(const struct page *page)
{
	return __atomic_load_n(&page->page_type, __ATOMIC_RELAXED);
}

static inline void set_page_type(struct page *page, unsigned int type)
{
	__atomic_store_n(&page->page_type, type, __ATOMIC_RELAXED);
}

static inline struct ukmem__zone *pfn_zone(unsigned long pfn)
{
	return &ukmem__mm.zones[page_zonenum(pfn_to_page(pfn))];
}

static inline unsigned int alloc_order(const struct page *page)
{
	return (page->flags & PGA_ORDER_MASK) >> PGA_ORDER_SHIFT;
}

static inline void set_allocated(struct page *page, unsigned int order)
{
	page->flags = (page->flags & ~PGA_BITS) | PGA_ALLOCATED |
		      ((unsigned long)order << PGA_ORDER_SHIFT);
}

/* ---- reports ---- */
static noinline void bad_page(struct page *page, const char *reason)
{
	struct ukmem__cpu *c = ukmem__cpu();

	ukmem__report_begin();
	printk(KERN_ALERT "BUG: Bad page state in process %s  pfn:%05lx\n", c->task.comm,
	       page_to_pfn(page));
	printk(KERN_WARNING "page:%px refcount:%d mapcount:%d mapping:%px index:%#lx pfn:%#lx\n",
	       page, page_ref_count(page), atomic_read(&page->_mapcount), page->mapping,
	       page->index, page_to_pfn(page));
	printk(KERN_WARNING "flags: %pGp\n", &page->flags);
	printk(KERN_ALERT "page dumped because: %s\n", reason);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__add_taint(TAINT_BAD_PAGE, true);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static noinline void bad_address(const void *addr, const char *what)
{
	ukmem__report_begin();
	printk(KERN_ALERT "BUG: Bad page state in process %s  addr:%px\n", ukmem__cpu()->task.comm,
	       addr);
	printk(KERN_ALERT "page dumped because: %s\n", what);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	ukmem__add_taint(TAINT_BAD_PAGE, true);
	ukmem__report_end(UKMEM_REPORT_BUG);
}

static void show_free_areas(void)
{
	for (int z = 0; z < UKMEM_NR_ZONES; z++) {
		struct ukmem__zone *zone = &ukmem__mm.zones[z];
		unsigned long total = 0;
		char line[512];
		int n = 0;

		if (!zone->managed_pages)
			continue;
		printk(KERN_WARNING "Node 0 %s free:%lukB min:%lukB low:%lukB high:%lukB present:%lukB managed:%lukB\n",
		       zone->name, __atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED) * 4,
		       zone->watermark[WMARK_MIN] * 4,
		       zone->watermark[WMARK_LOW] * 4, zone->watermark[WMARK_HIGH] * 4,
		       (zone->end_pfn - zone->start_pfn) * 4, zone->managed_pages * 4);
		for (int o = 0; o < MAX_ORDER; o++) {
			unsigned long nr = __atomic_load_n(&zone->free_area[o].nr_free, __ATOMIC_RELAXED);

			n += snprintf(line + n, sizeof(line) - n, "%lu*%lukB ", nr, 4UL << o);
			total += nr << o;
		}
		printk(KERN_WARNING "Node 0 %s: %s= %lukB\n", zone->name, line, total * 4);
	}
}

static noinline void warn_alloc(gfp_t gfp, unsigned int order)
{
	if (gfp & __GFP_NOWARN)
		return;
	ukmem__console_lock();
	printk(KERN_WARNING "%s: page allocation failure: order:%u, mode:%#x(%pGg), nodemask=(null)\n",
	       ukmem__cpu()->task.comm, order, gfp, &gfp);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	printk(KERN_WARNING "Mem-Info:\n");
	show_free_areas();
	ukmem__console_unlock();
}

/* ---- the buddy core (zone->lock held) ---- */
/* Counters that lock-free readers (watermark checks, reports) load atomically: written
 * under zone->lock with atomic stores, so that every concurrent access is atomic. */
static inline void counter_add(unsigned long *counter, long delta)
{
	__atomic_store_n(counter, *counter + delta, __ATOMIC_RELAXED);
}

static void add_free_block(struct ukmem__zone *zone, struct page *page, unsigned int order)
{
	set_page_type(page, PT_BUDDY);
	page->private = order;
	list_add(&page->lru, &zone->free_area[order].list);
	counter_add(&zone->free_area[order].nr_free, 1);
}

static void del_free_block(struct ukmem__zone *zone, struct page *page, unsigned int order)
{
	list_del(&page->lru);
	counter_add(&zone->free_area[order].nr_free, -1);
	set_page_type(page, 0);
	page->private = 0;
	if (page->index) {		/* an unpunched top-order block */
		page->index = 0;
		zone->nr_unpunched--;
	}
}

/* A block just coalesced to PUNCH_ORDER: keep it populated while the zone has few such
 * blocks, else give its frames back to the host and queue it behind the populated ones. */
static void punch_or_keep(struct ukmem__zone *zone, struct page *page)
{
	if (zone->nr_unpunched < PUNCH_SLACK) {
		page->index = 1;
		zone->nr_unpunched++;
		return;
	}
	ukmem__os_punch(ukmem__mm.fd, (off_t)page_to_phys(page), PAGE_SIZE << PUNCH_ORDER);
	list_move_tail(&page->lru, &zone->free_area[PUNCH_ORDER].list);
}

static void free_block_locked(struct ukmem__zone *zone, unsigned long pfn, unsigned int order)
{
	counter_add(&zone->free_pages, 1L << order);
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (buddy_pfn < zone->start_pfn || buddy_pfn >= zone->end_pfn)
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (get_page_type(buddy) != PT_BUDDY || buddy->private != order)
			break;
		del_free_block(zone, buddy, order);
		pfn &= buddy_pfn;
		order++;
	}
	add_free_block(zone, pfn_to_page(pfn), order);
	if (order == PUNCH_ORDER)
		punch_or_keep(zone, pfn_to_page(pfn));
}

static struct page *rmqueue_locked(struct ukmem__zone *zone, unsigned int order)
{
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct ukmem__free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->list))
			continue;
		page = list_first_entry(&area->list, struct page, lru);
		del_free_block(zone, page, o);
		while (o > order) {		/* give back the upper halves */
			o--;
			add_free_block(zone, page + (1UL << o), o);
		}
		counter_add(&zone->free_pages, -(1L << order));
		return page;
	}
	return NULL;
}

/* ---- watermarks ---- */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int flags = 0;

	if (gfp & __GFP_HIGH)
		flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC))
		flags |= ALLOC_NON_BLOCK;
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC))
		flags |= ALLOC_NO_WATERMARKS;
	return flags;
}

static bool watermark_ok(struct ukmem__zone *zone, unsigned int order, int highest_zone,
			 unsigned int alloc_flags)
{
	long min = (long)zone->watermark[WMARK_MIN];
	long free = (long)__atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED) - ((1L << order) - 1);

	if (alloc_flags & ALLOC_NO_WATERMARKS)
		return true;
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (free <= min + (long)zone->lowmem_reserve[highest_zone])
		return false;
	for (unsigned int o = order; o < MAX_ORDER && order; o++)
		if (__atomic_load_n(&zone->free_area[o].nr_free, __ATOMIC_RELAXED))
			return true;
	return order == 0;
}

static int gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

/* ---- per-thread lists ---- */
static struct pcp *this_pcp(void)
{
	struct pcp *pcp = &pcp_tls;

	if (unlikely(!pcp->ready)) {
		for (int z = 0; z < UKMEM_NR_ZONES; z++)
			for (int o = 0; o <= PCP_MAX_ORDER; o++)
				INIT_LIST_HEAD(&pcp->lists[z][o]);
		pcp->ready = true;
		ukmem__cpu();		/* arms the thread-exit drain */
	}
	return pcp;
}

/*
 * Publish this thread's cached page count to the shared statistic.  Done at the batch
 * operations only, so the fast paths write nothing another thread reads: like the kernel's
 * per-CPU vmstat deltas, the total may lag by up to PCP_HIGH pages per zone and thread.
 */
static void pcp_publish(struct pcp *pcp)
{
	long total = 0;

	for (int z = 0; z < UKMEM_NR_ZONES; z++)
		total += pcp->count[z];
	if (total != pcp->published)
		ukmem__stat_add(UKMEM_STAT_PCP_PAGES, total - pcp->published);
	pcp->published = total;
}

/* Give back at least @pages pages of zone @z (the oldest blocks, highest orders first). */
static void pcp_give_back(struct pcp *pcp, int z, int pages)
{
	struct ukmem__zone *zone = &ukmem__mm.zones[z];

	pthread_mutex_lock(&zone->lock);
	for (int o = PCP_MAX_ORDER; o >= 0 && pages > 0; o--) {
		struct list_head *list = &pcp->lists[z][o];

		while (pages > 0 && !list_empty(list)) {
			struct page *page = list_last_entry(list, struct page, lru);

			list_del(&page->lru);
			set_page_type(page, 0);
			page->private = 0;
			pcp->count[z] -= 1 << o;
			pages -= 1 << o;
			free_block_locked(zone, page_to_pfn(page), o);
		}
	}
	pthread_mutex_unlock(&zone->lock);
	pcp_publish(pcp);
}

/* Move a batch of blocks of @order from the zone to this thread's list (the kernel takes
 * batch >> order blocks, at least 2). */
static bool pcp_refill(struct pcp *pcp, int z, unsigned int order)
{
	struct ukmem__zone *zone = &ukmem__mm.zones[z];
	int n = 0, want = max(PCP_BATCH >> order, 2);

	pthread_mutex_lock(&zone->lock);
	for (; n < want; n++) {
		struct page *page = rmqueue_locked(zone, order);

		if (!page)
			break;
		set_page_type(page, PT_PCP);
		page->private = order;
		list_add_tail(&page->lru, &pcp->lists[z][order]);
	}
	pthread_mutex_unlock(&zone->lock);
	pcp->count[z] += n << order;
	pcp_publish(pcp);
	return n > 0;
}

static struct page *pcp_alloc(int z, unsigned int order)
{
	struct pcp *pcp = this_pcp();
	struct list_head *list = &pcp->lists[z][order];
	struct page *page;

	if (unlikely(list_empty(list)) && !pcp_refill(pcp, z, order))
		return NULL;
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	set_page_type(page, 0);
	page->private = 0;
	pcp->count[z] -= 1 << order;
	return page;
}

static void pcp_free(struct page *page, unsigned int order)
{
	struct pcp *pcp = this_pcp();
	int z = page_zonenum(page);

	set_page_type(page, PT_PCP);
	page->private = order;
	list_add(&page->lru, &pcp->lists[z][order]);
	pcp->count[z] += 1 << order;
	if (unlikely(pcp->count[z] > PCP_HIGH))
		pcp_give_back(pcp, z, PCP_BATCH);
}

void ukmem__drain_local_pages(void)
{
	struct pcp *pcp = &pcp_tls;

	if (!pcp->ready)
		return;
	for (int z = 0; z < UKMEM_NR_ZONES; z++)
		pcp_give_back(pcp, z, pcp->count[z]);
}

/**
 * drain_local_pages - give this CPU's (thread's) cached order-0 pages back to the buddy
 * @zone: the zone to drain, or NULL for all.  struct zone is not public in ukmem, so every
 *	  zone is drained whatever is passed: draining more than asked is harmless.
 */
void drain_local_pages(struct zone *zone)
{
	ukmem__drain_local_pages();
}

/* ---- allocation ---- */
static struct page *get_page_from_freelist(unsigned int order, int highest, unsigned int flags)
{
	for (int z = highest; z >= ZONE_DMA; z--) {
		struct ukmem__zone *zone = &ukmem__mm.zones[z];
		struct page *page;

		if (!zone->managed_pages || !watermark_ok(zone, order, highest, flags))
			continue;
		if (order <= PCP_MAX_ORDER) {
			page = pcp_alloc(z, order);
		} else {
			pthread_mutex_lock(&zone->lock);
			page = rmqueue_locked(zone, order);
			pthread_mutex_unlock(&zone->lock);
		}
		if (page)
			return page;
	}
	return NULL;
}

static void prep_compound(struct page *page, unsigned int order)
{
	__SetPageHead(page);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		page[i].compound_head = (unsigned long)page | 1;
		page[i].flags &= ~PGA_BITS;
	}
	page[1].compound_order = order;
}

/* Frames [pfn, pfn + n) are being handed out: their memory-map pages count as seen (mm.h). */
static void memmap_mark_seen(unsigned long pfn, unsigned long n)
{
	unsigned long *map = ukmem__mm.memmap_seen;

	if (unlikely(!map))
		return;
	for (unsigned long i = pfn / UKMEM_MEMMAP_FRAMES; i <= (pfn + n - 1) / UKMEM_MEMMAP_FRAMES; i++) {
		unsigned long bit = 1UL << (i % BITS_PER_LONG);

		if (unlikely(!(__atomic_load_n(&map[i / BITS_PER_LONG], __ATOMIC_RELAXED) & bit)))
			__atomic_fetch_or(&map[i / BITS_PER_LONG], bit, __ATOMIC_RELAXED);
	}
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	memmap_mark_seen(page_to_pfn(page), 1UL << order);
	page->flags = 0;
	set_allocated(page, order);
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	page->ukmem_reserved = 0;		/* not a driver's allocation (yet) */
	page->lru.next = page->lru.prev = NULL;
	atomic_set(&page->_mapcount, 0);	/* also clears page_type (PT_PCP/PT_BUDDY) */
	set_page_count(page, 1);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		page[i].flags = 0;
		page[i].compound_head = 0;
		page[i].mapping = NULL;
		page[i].private = 0;
		set_page_count(&page[i], 0);
	}
	if ((gfp & __GFP_COMP) && order)
		prep_compound(page, order);
	if ((gfp & __GFP_ZERO) || ukmem__cfg.init_on_alloc)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

void ukmem__mm_add_shrinker(bool (*shrink)(void))
{
	if (NEVER(ukmem__mm.nr_shrinkers >= UKMEM_MAX_SHRINKERS)) {
		fprintf(stderr, "ukmem: more than %d shrinkers: raise UKMEM_MAX_SHRINKERS\n",
			UKMEM_MAX_SHRINKERS);
		abort();
	}
	ukmem__mm.shrinkers[ukmem__mm.nr_shrinkers++] = shrink;
}

/*
 * Direct reclaim, the part that exists here: this thread's cached pages and every shrinker's
 * free memory go back, then the caller retries.  Only for allocations that may sleep, and
 * not for higher orders asked with __GFP_NORETRY: those are opportunistic tries (vmalloc's
 * big blocks) with a fallback, and emptying every cache for them would cost more than the
 * fallback does.
 */
static bool direct_reclaim(gfp_t gfp, unsigned int order)
{
	if (!gfpflags_allow_blocking(gfp) || (order && (gfp & __GFP_NORETRY)))
		return false;
	ukmem__drain_local_pages();
	for (int i = 0; i < ukmem__mm.nr_shrinkers; i++)
		ukmem__mm.shrinkers[i]();
	return true;		/* retry: the drain alone may have refilled the zone */
}

#define NOFAIL_WAIT_SECONDS	10	/* then nobody is coming: the OOM panic */

/* A __GFP_NOFAIL allocation that waited NOFAIL_WAIT_SECONDS with nothing freed: the kernel's
 * out_of_memory() with no process to kill panics; the process dies (SIGABRT). */
static noinline __noreturn void nofail_deadlock(gfp_t gfp, unsigned int order)
{
	ukmem__report_begin();
	printk(KERN_WARNING "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%u, oom_score_adj=0\n",
	       ukmem__cpu()->task.comm, gfp, &gfp, order);
	ukmem__print_task_line();
	ukmem__stack_dump(1);
	printk(KERN_WARNING "Mem-Info:\n");
	show_free_areas();
	printk(KERN_WARNING "Out of memory and no killable processes...\n");
	printk(KERN_EMERG "Kernel panic - not syncing: System is deadlocked on memory\n");
	ukmem__report_end(UKMEM_REPORT_BUG);
	abort();
}

/*
 * No OOM killer here: only __GFP_NOFAIL waits, for another thread to free.  One that may
 * not sleep cannot wait: 6.1 warns and fails it like any other.  One that may sleep and
 * finds nothing freed for NOFAIL_WAIT_SECONDS ends in the kernel's OOM panic, not a hang.
 */
static struct page *alloc_nofail(gfp_t gfp, unsigned int order, int highest)
{
	struct timespec start, now;
	struct page *page;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned int tries = 0;
	     !(page = get_page_from_freelist(order, highest, ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK));
	     tries++) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= NOFAIL_WAIT_SECONDS)
			nofail_deadlock(gfp, order);
		if (tries < 1000)
			sched_yield();
		else		/* a long wait: sleep, as the kernel's retry does */
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	return page;
}

static struct page *alloc_slowpath(gfp_t gfp, unsigned int order, int highest)
{
	struct page *page = NULL;

	if (direct_reclaim(gfp, order)) {
		page = get_page_from_freelist(order, highest, gfp_to_alloc_flags(gfp));
		if (page)
			return page;
	}
	if ((gfp & __GFP_NOFAIL) && !WARN_ON_ONCE(!gfpflags_allow_blocking(gfp)))
		return alloc_nofail(gfp, order, highest);
	warn_alloc(gfp, order);
	return NULL;
}

struct page *ukmem__alloc_pages(gfp_t gfp, unsigned int order)
{
	int highest = gfp_zone(gfp);
	struct page *page;

	if (unlikely(order >= MAX_ORDER)) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	page = get_page_from_freelist(order, highest, gfp_to_alloc_flags(gfp));
	if (unlikely(!page))
		page = alloc_slowpath(gfp, order, highest);
	if (page)
		prep_new_page(page, order, gfp);
	return page;
}

/*
 * The order-0 fast path: the head of this thread's list for the highest populated zone that
 * @gfp allows, when that zone is above its min watermark plus the lowmem reserve (the
 * check every allocation makes; reserves only lower it).  NULL sends the caller to the full
 * path: an empty list, a zone at its watermark, fallback to lower zones, or ukmem not
 * started yet (every list is empty and every zone unpopulated then).
 */
static inline struct page *alloc_fast(gfp_t gfp)
{
	struct pcp *pcp = &pcp_tls;
	int highest = gfp_zone(gfp), z = highest;
	struct ukmem__zone *zone;
	struct page *page;

	/* A thread whose lists were never set up (none before start-up, when another thread
	 * may be writing the zones) takes the full path, which starts ukmem first. */
	if (unlikely(!pcp->ready))
		return NULL;
	while (z > ZONE_DMA && !ukmem__mm.zones[z].managed_pages)
		z--;
	zone = &ukmem__mm.zones[z];
	if (unlikely(!pcp->count[z] || __atomic_load_n(&zone->free_pages, __ATOMIC_RELAXED) <=
		     zone->watermark[WMARK_MIN] + zone->lowmem_reserve[highest]))
		return NULL;
	page = list_first_entry(&pcp->lists[z][0], struct page, lru);
	if (unlikely(&page->lru == &pcp->lists[z][0]))
		return NULL;		/* this zone's pages are all of higher orders */
	list_del(&page->lru);
	page->private = 0;
	pcp->count[z]--;
	prep_new_page(page, 0, gfp);
	return page;
}

/* kmemleak takes (true) or drops (false) a record of the block headed by @page. */
void ukmem__page_leak_mark(struct page *page, bool held)
{
	if (held)
		__atomic_fetch_or(&page->flags, PGA_LEAK_RECORD, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&page->flags, ~PGA_LEAK_RECORD, __ATOMIC_RELAXED);
}

static noinline void nofail_order_warn(void)
{
	WARN_ON_ONCE(1);
}

/* 6.1's rmqueue() warns, once, of every __GFP_NOFAIL request above order 1 it serves, not
 * only of those that run short. */
static inline void check_nofail_order(gfp_t gfp, unsigned int order)
{
	if (unlikely((gfp & __GFP_NOFAIL) && order > 1 && order < MAX_ORDER))
		nofail_order_warn();
}

/*
 * A driver's allocation under the debug hooks (fault injection, kmemleak stacks): may be
 * failed on purpose, and is recorded with its whole stack (the owner word gets bit 0).
 */
static noinline struct page *alloc_pages_hooked(gfp_t gfp, unsigned int order, unsigned long caller)
{
	struct page *page;

	ukmem__ensure_started();
	check_nofail_order(gfp, order);
	/* an impossible order fails before the injection point, as 6.1's __alloc_pages */
	if (order < MAX_ORDER && ukmem__should_fail_pages(gfp, order))
		return NULL;		/* as the kernel: the injection report, no warn_alloc */
	page = ukmem__alloc_pages(gfp, order);
	if (page && ukmem__cfg.kmemleak) {
		page->ukmem_reserved = caller | 1;
		ukmem__leak_track(page_address(page), PAGE_SIZE << order, UKMEM_LEAK_PAGES, caller);
	}
	return page;
}

/* alloc_pages for @caller: the owner word kmemleak reports for a driver's page. */
static __always_inline struct page *alloc_pages_for(gfp_t gfp, unsigned int order,
						    unsigned long caller)
{
	struct ukmem__cpu *c = &ukmem__this_cpu;	/* read only: attaching is might_sleep's job */
	struct page *page;

	if (gfpflags_allow_blocking(gfp) && unlikely(c->atomic_ctx))
		might_sleep();
	if (ukmem__debug_hooked())
		return alloc_pages_hooked(gfp, order, caller);
	if (likely(order == 0) && (page = alloc_fast(gfp)) != NULL)
		goto out;
	ukmem__ensure_started();
	if (unlikely(ukmem__debug_hooked()))	/* the first call: start-up just set the hooks */
		return alloc_pages_hooked(gfp, order, caller);
	check_nofail_order(gfp, order);
	page = ukmem__alloc_pages(gfp, order);
	if (!page)
		return NULL;
out:
	page->ukmem_reserved = caller;	/* kmemleak: a driver's page and who asked */
	return page;
}

/**
 * alloc_pages - allocate 2^order physically contiguous pages
 * @gfp: GFP flags; zone modifiers pick the highest zone, __GFP_ZERO zeroes
 * @order: 0 .. MAX_ORDER-1
 *
 * Return: the first page, or NULL (with a "page allocation failure" warning unless
 * __GFP_NOWARN).  May sleep if @gfp allows blocking.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_for(gfp, order, _RET_IP_);
}

/* alloc_pages on behalf of an upper layer's entry point, whose caller kmemleak names. */
struct page *ukmem__alloc_pages_caller(gfp_t gfp, unsigned int order, unsigned long caller)
{
	return alloc_pages_for(gfp, order, caller);
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, void *nodemask)
{
	return alloc_pages_for(gfp, order, _RET_IP_);
}

static __always_inline unsigned long get_free_pages_for(gfp_t gfp, unsigned int order,
							unsigned long caller)
{
	struct page *page = alloc_pages_for(gfp & ~__GFP_HIGHMEM, order, caller);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	return get_free_pages_for(gfp, order, _RET_IP_);
}

/* __get_free_pages on behalf of an upper layer's entry point (devm_get_free_pages). */
unsigned long ukmem__get_free_pages_caller(gfp_t gfp, unsigned int order, unsigned long caller)
{
	return get_free_pages_for(gfp, order, caller);
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return get_free_pages_for(gfp | __GFP_ZERO, 0, _RET_IP_);
}

/* ---- freeing ---- */
static bool page_in_ram(const struct page *page)
{
	unsigned long pfn = (unsigned long)(page - mem_map);

	return ukmem__mm.direct_base && page >= mem_map && pfn < max_pfn &&
	       ((unsigned long)page - (unsigned long)mem_map) % sizeof(*page) == 0 &&
	       ukmem__pfn_is_ram(pfn);
}

/*
 * Is @page free: on a pcp list, or anywhere inside a free buddy block (a freed block may
 * have merged into a bigger one whose head is another page)?  Reports only: takes the lock.
 */
static bool page_is_free(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct ukmem__zone *zone = pfn_zone(pfn);
	bool found = false;

	pthread_mutex_lock(&zone->lock);
	for (unsigned int o = 0; o < MAX_ORDER && !found; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *h = pfn_to_page(head);

		found = head >= zone->start_pfn &&
			(get_page_type(h) == PT_BUDDY || get_page_type(h) == PT_PCP) &&
			__atomic_load_n(&h->private, __ATOMIC_RELAXED) >= o;
	}
	pthread_mutex_unlock(&zone->lock);
	return found;
}

/* Is @page the head of a live block of @order?  NULL if so, else what is wrong. */
static const char *block_check(const struct page *page, unsigned int order)
{
	if (unlikely(!(page->flags & PGA_ALLOCATED) || get_page_type(page) == PT_BUDDY ||
		     get_page_type(page) == PT_PCP) && page_is_free(page))
		return "page already free";
	if (!(page->flags & PGA_ALLOCATED))
		return "not the first page of a page allocation";
	if (alloc_order(page) != order)
		return "freed with a different order than it was allocated with";
	return NULL;
}

/*
 * The checks 6.1's free_pages_prepare() makes on every page of a block going back: the flags
 * of PAGE_FLAGS_CHECK_AT_FREE on any page (a driver's SetPageReserved without
 * ClearPageReserved, a slab page), a mapping on the first (tail pages keep compound data
 * there).  As 6.1's page_bad_reason(), the flags win over the mapping.  NULL if the block may
 * go, else the reason, with *@culprit the page it is about.
 */
static const char *state_check(struct page *page, unsigned int order, struct page **culprit)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		*culprit = page + i;
		if (page[i].flags & FLAGS_CHECK_AT_FREE)
			return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
		if (!i && page->mapping)
			return "non-NULL mapping";
	}
	return NULL;
}

/* A free of a block that another subsystem owns (PGA_OWNED), other than that subsystem's
 * own free: refused, with what frees it. */
static noinline void owned_free_refused(struct page *page)
{
	unsigned long flags = READ_ONCE(page->flags);

	if (flags & PGA_MANAGED)
		WARN(1, "free_pages: %px is device-managed (devm_get_free_pages): devm_free_pages() frees it, or the device when its driver goes; left allocated\n",
		     page_address(page));
	else if (flags & PGA_DMA)
		WARN(1, "free_pages: %px is DMA memory (dma_alloc_coherent or dma_alloc_pages): dma_free_coherent() or dma_free_pages() frees it; left allocated\n",
		     page_address(page));
	else
		WARN(1, "free_pages: page %px (pfn %#lx) is mapped by a vmalloc area: vfree() of the area frees it; left allocated\n",
		     page, page_to_pfn(page));
}

/*
 * The last reference to a block is gone: back to the free lists.  A block the kernel would
 * find in a bad state is reported and refused: it gets back the reference just dropped, so
 * it is still its owner's (a slab's page stays the slab's, and frees normally later).
 */
static void free_the_block(struct page *page, unsigned int order)
{
	const char *bad = block_check(page, order);
	unsigned long pfn = page_to_pfn(page);
	struct ukmem__zone *zone;
	struct page *culprit = page;

	if (bad) {
		bad_page(page, bad);
		return;
	}
	bad = state_check(page, order, &culprit);
	if (bad) {
		bad_page(culprit, bad);		/* refcount:0, as the kernel's report */
		set_page_count(page, 1);	/* refused: still its owner's */
		return;
	}
	if (unlikely(page->flags & PGA_OWNED)) {	/* put_page's last reference */
		owned_free_refused(page);
		set_page_count(page, 1);	/* still its owner's */
		return;
	}
	if (PageHead(page))
		for (unsigned long i = 1; i < (1UL << order); i++)
			page[i].compound_head = 0;
	/* before the page can be anyone else's; during a kmemleak scan every block, so that
	 * the scan hears of the free (the order-0 fast path does not tell it) */
	if ((page->flags & PGA_LEAK_RECORD) || ukmem__leak_scan_running())
		ukmem__leak_untrack(page_address(page), UKMEM_LEAK_PAGES);
	if (ukmem__cfg.init_on_free)
		memset(page_address(page), 0, PAGE_SIZE << order);
	page->flags = 0;
	page->lru.next = page->lru.prev = NULL;
	if (order <= PCP_MAX_ORDER) {
		pcp_free(page, order);
		return;
	}
	zone = pfn_zone(pfn);
	pthread_mutex_lock(&zone->lock);
	free_block_locked(zone, pfn, order);
	pthread_mutex_unlock(&zone->lock);
}

/* Drop one reference; true when it was the last.  A page without one is reported, never
 * touched: a free page, or one inside a live block (put_page of a page after the first of a
 * block that is not compound), which block_check() tells apart. */
static bool put_testzero(struct page *page)
{
	if (unlikely(page_ref_count(page) <= 0 || get_page_type(page) == PT_BUDDY ||
		     get_page_type(page) == PT_PCP)) {
		const char *why = block_check(page, alloc_order(page));

		bad_page(page, why ? why : "page already free");
		return false;
	}
	return page_ref_dec_and_test(page);
}

/*
 * The order-0 fast path: a plain allocated page (a struct page of the array, allocated with
 * order 0, not compound, no flag of FLAGS_CHECK_AT_FREE, no mapping, referenced) loses a
 * reference and, at the last, goes on this thread's list.  False sends anything else, bad
 * frees included, to the checked path, which reports them.
 */
static inline bool free_fast(struct page *page)
{
	uintptr_t off = (uintptr_t)page - (uintptr_t)mem_map;
	const unsigned long odd = PGA_BITS | PGA_LEAK_RECORD | 1UL << PG_head | FLAGS_CHECK_AT_FREE;

	if (unlikely(off >= max_pfn * sizeof(*page) || off % sizeof(*page) ||
		     (page->flags & odd) != PGA_ALLOCATED || page->mapping ||
		     page_ref_count(page) <= 0))
		return false;
	if (!page_ref_dec_and_test(page))
		return true;
	if (unlikely(ukmem__cfg.init_on_free))
		memset(page_address(page), 0, PAGE_SIZE);
	page->flags = 0;
	pcp_free(page, 0);
	return true;
}

/**
 * __free_pages - drop a reference to a block from alloc_pages, freeing it at the last
 * @page: the first page of the block
 * @order: the order it was allocated with
 */
void __free_pages(struct page *page, unsigned int order)
{
	const char *bad;
	bool head;

	if (likely(order == 0) && free_fast(page))
		return;
	if (!page_in_ram(page)) {
		bad_address(page, "__free_pages() of a pointer that is not a struct page of RAM");
		return;
	}
	/*
	 * Check the block before dropping the reference: a wrong order or a page that is not
	 * the head of an allocation must leave the block exactly as it was (still allocated,
	 * its reference intact), so that the correct free that follows still works.
	 */
	bad = block_check(page, order);
	if (unlikely(bad)) {
		bad_page(page, bad);
		return;
	}
	if (unlikely(READ_ONCE(page->flags) & (PGA_MANAGED | PGA_DMA))) {
		owned_free_refused(page);	/* before its reference goes */
		return;
	}
	head = PageHead(page);
	if (put_testzero(page)) {
		free_the_block(page, order);
	} else if (!head && order && (page->flags & PGA_ALLOCATED) && alloc_order(page) == order) {
		/* Someone holds the first page: free the rest, as the kernel does.  The pieces
		 * keep the reference count of pages inside a block, 0, as free pages have. */
		set_allocated(page, 0);
		while (order-- > 0) {
			set_allocated(page + (1UL << order), order);
			free_the_block(page + (1UL << order), order);
		}
	}
}

/**
 * ukmem__pages_set_managed - mark a block from __get_free_pages as a device's
 * @addr: its direct-map address
 *
 * From then on __free_pages() refuses it (a warning); ukmem__free_pages_managed() frees it.
 */
void ukmem__pages_set_managed(unsigned long addr)
{
	__atomic_fetch_or(&virt_to_page((void *)addr)->flags, PGA_MANAGED, __ATOMIC_RELAXED);
}

/**
 * ukmem__free_pages_managed - free_pages() for the devres release of a managed block
 * @addr: its direct-map address
 * @order: its order
 */
void ukmem__free_pages_managed(unsigned long addr, unsigned int order)
{
	if (virt_addr_valid((void *)addr))
		__atomic_fetch_and(&virt_to_page((void *)addr)->flags, ~PGA_MANAGED,
				   __ATOMIC_RELAXED);
	free_pages(addr, order);
}

/**
 * ukmem__pages_set_owner - mark a block as another subsystem's, or take the mark off
 * @page: the first page of a block from alloc_pages (a vmalloc area's: one order-0 page)
 * @owner: UKMEM_PAGES_VMALLOC (a page an area maps and holds one reference to) or
 *	   UKMEM_PAGES_DMA (dma_alloc_coherent's or dma_alloc_pages' block)
 * @on: true when the owner takes the block; false just before its own free drops the
 *	owner's reference
 *
 * While a DMA block is marked, __free_pages and free_pages refuse it; while either is
 * marked, a last reference dropped by anyone refuses it (a warning each time).
 */
void ukmem__pages_set_owner(struct page *page, enum ukmem__pages_owner owner, bool on)
{
	unsigned long bit = owner == UKMEM_PAGES_DMA ? PGA_DMA : PGA_VMALLOC;

	if (on)
		__atomic_fetch_or(&page->flags, bit, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&page->flags, ~bit, __ATOMIC_RELAXED);
}

/**
 * free_pages - free a block by its direct-map address (0 is ignored)
 */
void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (!virt_addr_valid((void *)addr)) {
		bad_address((void *)addr, "free_pages() of an address outside the direct map of RAM");
		return;
	}
	__free_pages(virt_to_page((void *)addr), order);
}

void get_page(struct page *page)
{
	page = compound_head(page);
	if (WARN(page_ref_count(page) <= 0, "get_page() on a page that is not in use\n"))
		return;
	page_ref_inc(page);
}

bool get_page_unless_zero(struct page *page)
{
	return page_ref_add_unless(compound_head(page), 1, 0);
}

/*
 * The last reference to the first page of a block that is not compound, dropped by put_page:
 * 6.1's put_page sees a one-page folio and frees that page alone, as order 0; the other
 * pages of the block are never freed (drivers must use __free_pages or __GFP_COMP).  The
 * same here, and visibly: the rest stays allocated to the block's owner, as the blocks of
 * the orders below (1, 2, 4 ... pages), so that kmemleak's exit report lists them under the
 * caller of alloc_pages, and a one-time warning says what happened (6.1 says nothing).
 */
static noinline void put_page_first_only(struct page *page)
{
	unsigned int order = alloc_order(page);
	unsigned long owner = page->ukmem_reserved & ~1UL;	/* its kmemleak record goes */

	WARN_ONCE(1, "put_page: %px is the first page of an order-%u block that is not "
		  "compound: only this page is freed, as in 6.1, and the other %lu pages stay "
		  "allocated for ever (free the block with __free_pages(page, %u), or allocate "
		  "it with __GFP_COMP)\n", page, order, (1UL << order) - 1, order);
	set_allocated(page, 0);
	while (order-- > 0) {
		struct page *rest = page + (1UL << order);

		set_allocated(rest, order);
		set_page_count(rest, 1);
		rest->ukmem_reserved = owner;
	}
	free_the_block(page, 0);
}

void put_page(struct page *page)
{
	struct page *head = compound_head(page);

	if (!page_in_ram(head)) {
		bad_address(page, "put_page() of a pointer that is not a struct page of RAM");
		return;
	}
	if (!put_testzero(head))
		return;
	if (unlikely(!PageHead(head) && alloc_order(head) && (head->flags & PGA_ALLOCATED)))
		put_page_first_only(head);
	else
		free_the_block(head, alloc_order(head));
}

void split_page(struct page *page, unsigned int order)
{
	if (WARN_ON(PageCompound(page) || !(page->flags & PGA_ALLOCATED) || alloc_order(page) != order))
		return;
	set_allocated(page, 0);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		set_allocated(&page[i], 0);
		set_page_count(&page[i], 1);
		page[i].ukmem_reserved = page->ukmem_reserved & ~1UL;
	}
}

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	unsigned long addr, nr = DIV_ROUND_UP(size, PAGE_SIZE);

	if (WARN_ON_ONCE(gfp & (__GFP_COMP | __GFP_HIGHMEM)))
		gfp &= ~(__GFP_COMP | __GFP_HIGHMEM);
	addr = get_free_pages_for(gfp, order, _RET_IP_);
	if (!addr)
		return NULL;
	split_page(virt_to_page((void *)addr), order);
	for (unsigned long i = nr; i < (1UL << order); i++)
		free_page(addr + i * PAGE_SIZE);
	return (void *)addr;
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt, end = addr + PAGE_ALIGN(size);

	for (; addr < end; addr += PAGE_SIZE)
		free_page(addr);
}

/* ---- kmemleak support ---- */
/*
 * A page's owner fields as they are.  The walk reads the page array while other threads
 * allocate and free, and those write the same fields plainly (prep_new_page, the frees), so
 * what it sees of a block in transition is a guess: a block allocated or freed meanwhile may
 * be missed or seen (kmemleak's scan gathers again and drops what was freed).  The race is
 * the design's; the read is kept out of ThreadSanitizer's view.  Returns the owner word when
 * @page starts a live block a driver allocated (its order in @order), else 0.
 */
static noinline __attribute__((no_sanitize("thread"))) unsigned long
peek_user(const struct page *page, unsigned int *order)
{
	const volatile struct page *p = page;
	unsigned long owner = p->ukmem_reserved, flags = p->flags;

	if (!owner || !(flags & PGA_ALLOCATED) || ((flags >> PG_slab) & 1) ||
	    p->_refcount.counter <= 0)
		return 0;
	*order = (flags & PGA_ORDER_MASK) >> PGA_ORDER_SHIFT;
	return owner;
}

/**
 * ukmem__pages_walk_user - visit every live block a driver allocated with alloc_pages
 * @fn: called with the block's first page, its order and the owner word (the caller's
 *      address; bit 0 set when a full kmemleak record exists); no lock is held
 *
 * Reads the page array without locks: blocks allocated or freed meanwhile may be missed.
 */
void ukmem__pages_walk_user(void (*fn)(void *arg, struct page *page, unsigned int order,
				       unsigned long owner), void *arg)
{
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = mem_map + pfn;
		unsigned int order;
		unsigned long owner;

		if (!ukmem__memmap_seen(pfn))	/* never allocated: skip its page of the map */
			pfn |= UKMEM_MEMMAP_FRAMES - 1;
		else if ((owner = peek_user(page, &order)))
			fn(arg, page, order, owner);
	}
}

/* Is @page the first page of a live block a driver allocated with alloc_pages?  Lockless. */
bool ukmem__page_user_live(const struct page *page)
{
	unsigned int order;

	return peek_user(page, &order);
}

/* ---- totals ---- */
unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;

	ukmem__ensure_started();
	for (int z = 0; z < UKMEM_NR_ZONES; z++)
		sum += __atomic_load_n(&ukmem__mm.zones[z].free_pages, __ATOMIC_RELAXED);
	return sum;
}

void si_meminfo(struct sysinfo *val)
{
	memset(val, 0, sizeof(*val));
	val->totalram = totalram_pages();
	val->freeram = nr_free_pages();
	val->mem_unit = PAGE_SIZE;
}

/* ---- start-up ---- */
static void zone_spans(void)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal" };
	const unsigned long limits[] = { SZ_16M >> PAGE_SHIFT, SZ_4G >> PAGE_SHIFT, max_pfn };
	unsigned long start = 0;

	for (int z = 0; z < UKMEM_NR_ZONES; z++) {
		struct ukmem__zone *zone = &ukmem__mm.zones[z];
		unsigned long end = min(limits[z], max_pfn);

		zone->name = names[z];
		zone->start_pfn = min(start, end);
		zone->end_pfn = end;
		pthread_mutex_init(&zone->lock, NULL);
		for (int o = 0; o < MAX_ORDER; o++)
			INIT_LIST_HEAD(&zone->free_area[o].list);
		start = end;
	}
}

/* Hand [start, end) to the buddy in the largest aligned blocks. */
static void free_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		struct ukmem__zone *zone = pfn_zone(start);
		unsigned int order = min(start ? (unsigned int)__builtin_ctzl(start) : MAX_ORDER - 1,
					 (unsigned int)(MAX_ORDER - 1));

		while (start + (1UL << order) > end || start + (1UL << order) > zone->end_pfn)
			order--;
		add_free_block(zone, pfn_to_page(start), order);
		counter_add(&zone->free_pages, 1L << order);
		/* atomic: alloc_fast() on a thread racing the start-up reads it */
		__atomic_store_n(&zone->managed_pages, zone->managed_pages + (1UL << order),
				 __ATOMIC_RELAXED);
		start += 1UL << order;
	}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* The kernel's formulas: min_free_kbytes = sqrt(16 * lowmem kB), split by zone size;
 * low/high add max(min/4, 0.1% of the zone); lowmem_reserve ratios 256/256/32. */
static void setup_watermarks(void)
{
	static const unsigned long ratio[UKMEM_NR_ZONES] = { 256, 256, 32 };
	unsigned long total = 0, min_kb, pages_min;

	for (int z = 0; z < UKMEM_NR_ZONES; z++)
		total += ukmem__mm.zones[z].managed_pages;
	min_kb = clamp(int_sqrt(total * 4 * 16), 128UL, 262144UL);
	pages_min = min_kb >> (PAGE_SHIFT - 10);
	for (int z = 0; z < UKMEM_NR_ZONES; z++) {
		struct ukmem__zone *zone = &ukmem__mm.zones[z];
		unsigned long min = total ? pages_min * zone->managed_pages / total : 0;
		unsigned long step = max(min / 4, zone->managed_pages * 10 / 10000);
		unsigned long above = 0;

		zone->watermark[WMARK_MIN] = min;
		zone->watermark[WMARK_LOW] = min + step;
		zone->watermark[WMARK_HIGH] = min + 2 * step;
		for (int j = z + 1; j < UKMEM_NR_ZONES; j++) {
			above += ukmem__mm.zones[j].managed_pages;
			zone->lowmem_reserve[j] = above / ratio[z];
		}
	}
}

static void pcp_thread_exit(void)
{
	ukmem__drain_local_pages();
}

void ukmem__buddy_fork_lock(void)
{
	for (int z = 0; z < UKMEM_NR_ZONES; z++)
		pthread_mutex_lock(&ukmem__mm.zones[z].lock);
}

void ukmem__buddy_fork_unlock(void)
{
	for (int z = UKMEM_NR_ZONES - 1; z >= 0; z--)
		pthread_mutex_unlock(&ukmem__mm.zones[z].lock);
}

int ukmem__buddy_init(void)
{
	zone_spans();
	for (int i = 0; i < ukmem__mm.nr_ram; i++) {
		unsigned long start = PHYS_PFN(max(ukmem__mm.ram[i].start, (phys_addr_t)UKMEM_RESERVED_LOW));
		unsigned long end = PHYS_PFN(ukmem__mm.ram[i].end);

		if (start < end)
			free_range(start, end);
	}
	setup_watermarks();
	ukmem__os_on_thread_exit(pcp_thread_exit);
	return 0;
}

/**
 * ukmem__pfn_classify - what a frame is now, for pictures of memory (a racy snapshot)
 * @order: for the head of a free or allocated block, the block's order (else 0)
 *
 * Return: UKMEM_PFN_HOLE (not RAM), _RESERVED, _FREE (in a zone's or a thread's free
 * lists), _ALLOCATED (a block's head), or _TAIL (inside a block: look at its head).
 */
enum ukmem__pfn_kind ukmem__pfn_classify(unsigned long pfn, unsigned int *order)
{
	struct page *page;
	unsigned int type;
	unsigned long flags;

	*order = 0;
	if (!ukmem__pfn_is_ram(pfn))
		return UKMEM_PFN_HOLE;
	page = pfn_to_page(pfn);
	if (PageReserved(page))
		return UKMEM_PFN_RESERVED;
	type = get_page_type(page);
	if (type == PT_BUDDY || type == PT_PCP) {
		*order = (unsigned int)min(__atomic_load_n(&page->private, __ATOMIC_RELAXED),
					   (unsigned long)MAX_ORDER - 1);
		return UKMEM_PFN_FREE;
	}
	flags = __atomic_load_n(&page->flags, __ATOMIC_RELAXED);
	if (flags & PGA_ALLOCATED) {
		*order = (unsigned int)((flags & PGA_ORDER_MASK) >> PGA_ORDER_SHIFT);
		return UKMEM_PFN_ALLOCATED;
	}
	return UKMEM_PFN_TAIL;
}
