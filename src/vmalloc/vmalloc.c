/* SPDX-License-Identifier: MIT */
/*
 * vmalloc and vfree: page-allocator pages mapped, in physically contiguous runs, into the
 * vmalloc window with the caller's protection, each area followed by a guard page (a host
 * guard region inside its last mapping where the host has them, else the window's PROT_NONE
 * reservation; see vmalloc.h).
 *
 * Mapping costs host system calls, so:
 *  - pages come in the highest orders the buddy has free (then split_page, so each page is
 *    freed alone as in the kernel), and every physically contiguous run is one mmap call;
 *  - vfree() takes access away at once (one mprotect; any later access faults) but keeps
 *    small areas with their pages for a while ("lazy" areas).  A later vmalloc() of the same
 *    page count gets such an area back with one mprotect (the most recently freed one that
 *    UKMEM_VA_REUSE_DELAY other frees have followed: the warmest in the caches); the
 *    oldest lazy areas are purged in batches (pages back to the page allocator, spans back
 *    to the address-space allocator, physically adjacent spans unmapped in one call) when
 *    their count or their pages pass a bound, when a vmalloc() finds no memory, and on
 *    vm_unmap_aliases().  See vmalloc.h for the states.
 *
 * Locking: see vmalloc.h.  Page allocation, page freeing and system calls run unlocked, on
 * areas that their state gives to this thread alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"
#include "vmalloc/vmalloc.h"
#include "debug/annotate.h"

#define V ukmem__vmalloc
#define VMALLOC_MAX_ORDER	9		/* largest block asked for: 2 MiB */
#define UKMEM_VA_REUSE_DELAY	16		/* frees before a lazy area is reused */

unsigned long __ukmem_vmalloc_start, __ukmem_vmalloc_end;

/* ---- messages ---- */

/* The kernel's warn_alloc() for vmalloc failures: rate-limited, silenced by __GFP_NOWARN.
 * Without the stack when the host's mapping limit was reached: symbolising it needs memory
 * that malloc may only get with a new mapping, and the symbolizer (libdw) ends the process
 * when it gets none. */
static bool vm_warn_allowed(gfp_t gfp)
{
	struct timespec now;
	bool ok;

	if (gfp & __GFP_NOWARN)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ukmem__va_lock();
	if ((unsigned long)now.tv_sec >= V.warn_window + 5) {
		V.warn_window = now.tv_sec;
		V.warn_burst = 0;
	}
	ok = V.warn_burst < 10;
	V.warn_burst += ok;
	ukmem__va_unlock();
	return ok;
}

static noinline void vm_vwarn(gfp_t gfp, bool stack, const char *fmt, va_list ap)
{
	char msg[256];

	if (!vm_warn_allowed(gfp))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	ukmem__console_lock();
	printk(KERN_WARNING "%s: %s, mode:%#x(%pGg), nodemask=(null)\n",
	       ukmem__cpu()->task.comm, msg, gfp, &gfp);
	ukmem__print_task_line();
	if (stack)
		ukmem__stack_dump(1);
	ukmem__console_unlock();
}

static noinline __printf(2, 3) void vm_warn(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_vwarn(gfp, true, fmt, ap);
	va_end(ap);
}

static noinline __printf(3, 4) void vm_warn_stack(gfp_t gfp, bool stack, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_vwarn(gfp, stack, fmt, ap);
	va_end(ap);
}

/* The host refused a mapping: say why, once per failure. */
static noinline void vm_warn_host_limit(gfp_t gfp, unsigned long size, int err)
{
	vm_warn_stack(gfp, err != -ENOMEM, "vmalloc error: size %lu, failed to map pages", size);
	if (gfp & __GFP_NOWARN)
		return;
	if (err == -ENOMEM)
		pr_warn("vmalloc: the host refused another mapping: this process has reached "
			"vm.max_map_count (%ld); free some areas or raise the limit\n",
			V.max_map_count);
	else
		pr_warn("vmalloc: mapping pages into the vmalloc window failed (error %d)\n", err);
}

/* ---- areas ---- */

/* 6.1's GFP_RECLAIM_MASK: what of a vmalloc's gfp its descriptor's kmalloc keeps. */
#define VM_DESC_GFP	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
			 __GFP_NOMEMALLOC | __GFP_NOLOCKDEP)

/**
 * ukmem__vmalloc_kvzalloc_quiet - kvzalloc() for vmalloc's own bookkeeping
 * @gfp: the caller's flags (reclaim bits)
 *
 * The public call that needs it has checked its context already (might_sleep: one report,
 * as 6.1's, whose __might_sleep reports once a second), so it first asks without direct
 * reclaim, which checks nothing, and only with @gfp when that fails.
 */
void *ukmem__vmalloc_kvzalloc_quiet(size_t size, gfp_t gfp)
{
	void *p = kvzalloc(size, (gfp & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN);

	if (!p && (gfp & __GFP_DIRECT_RECLAIM))
		p = kvzalloc(size, gfp);
	return p;
}

/**
 * ukmem__va_new - a new area (state SETUP) and its kmalloc'd descriptor
 * @kind: UKMEM_VA_*; a vm_map_ram area gets no descriptor of its own, as in 6.1
 * @gfp: the allocation's flags (only the reclaim bits reach the descriptor's kmalloc)
 */
struct ukmem__vmap_area *ukmem__va_new(unsigned int kind, unsigned long flags,
				       const void *caller, gfp_t gfp)
{
	struct ukmem__vmap_area *va = calloc(1, sizeof(*va));
	bool covered;

	if (!va)
		return NULL;
	va->vm = &va->vm_kept;
	if (kind != UKMEM_VA_MAP_RAM) {
		/* The caller's fault point stands for this allocation (6.1's kzalloc_node of
		 * the vm_struct): not failed or counted a second time.  It outlives a fail
		 * sweep's run when the area goes lazy: no run counts it as its own. */
		covered = ukmem__debug_cover_begin();
		va->vm = ukmem__vmalloc_kvzalloc_quiet(sizeof(*va->vm), gfp & VM_DESC_GFP);
		ukmem__debug_cover_end(covered);
		if (!va->vm) {
			free(va);
			return NULL;
		}
		ukmem__leak_disown(va->vm);
	}
	va->kind = kind;
	va->state = UKMEM_VA_SETUP;
	va->vm->flags = flags;
	va->vm->caller = caller;
	INIT_LIST_HEAD(&va->lru);
	INIT_LIST_HEAD(&va->bucket);
	return va;
}

/* va->pages is always ours; a vmap() caller's array (VM_MAP_PUT_PAGES) is vm->pages. */
void ukmem__va_destroy(struct ukmem__vmap_area *va)
{
	if (ukmem__va_desc_owned(va))
		kfree(va->vm);
	free(va->holes);
	free(va->pages);
	free(va);
}

/* What is mapped: the pages (from the start of the area) and the guard page when it is a
 * guard region, or for an area without pages (ioremap) all of it but the guard page. */
static unsigned long area_mapped_size(const struct ukmem__vmap_area *va)
{
	if (!va->pages)
		return get_vm_area_size(va->vm);
	return ((unsigned long)va->nr_pages + va->guard_mapped) << PAGE_SHIFT;
}

/**
 * ukmem__vmalloc_mapped_size - bytes mapped at the start of an area (guard region included)
 */
unsigned long ukmem__vmalloc_mapped_size(const struct ukmem__vmap_area *va)
{
	return area_mapped_size(va);
}

/* Reserve the span of va (size bytes, guard included); it enters the busy tree in its
 * current state. */
static int area_reserve(struct ukmem__vmap_area *va, unsigned long size, unsigned long align,
			unsigned long lo, unsigned long hi)
{
	unsigned long addr, lazy;

	bool purged = false, notified = false;

	for (;;) {
		ukmem__va_lock();
		lazy = V.nr_lazy;
		addr = ukmem__va_alloc_range_locked(size, align, lo, hi);
		if (addr) {
			va->node.start = addr;
			va->node.end = addr + size;
			va->vm->addr = (void *)addr;
			va->vm->size = size;
			ukmem__va_insert_busy_locked(va);
		}
		ukmem__va_unlock();
		if (addr)
			return 0;
		if (lazy && !purged) {
			ukmem__vmalloc_purge();		/* lazy spans may be in the way */
			purged = true;
			continue;
		}
		/* Then, once, as the kernel: the purge notifiers, and a purge again after them. */
		if (notified || !ukmem__vmalloc_purge_notify())
			return -ENOMEM;
		notified = true;
		purged = false;
	}
}

/**
 * ukmem__vmalloc_reserve - reserve the span of a new area, as 6.1's alloc_vmap_area()
 * @va: the area (not yet in any tree; its state is the one it enters the busy tree with)
 * @size: bytes, guard page included
 *
 * Lazy areas are purged and the purge notifiers called before it gives up, and a failure
 * prints the kernel's "vmap allocation for size N failed" line (rate-limited, not with
 * __GFP_NOWARN in @gfp).  Return: 0 or -ENOMEM.
 */
int ukmem__vmalloc_reserve(struct ukmem__vmap_area *va, unsigned long size, unsigned long align,
			   unsigned long lo, unsigned long hi, gfp_t gfp)
{
	if (!area_reserve(va, size, align, lo, hi))
		return 0;
	if (vm_warn_allowed(gfp))
		pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
			size);
	return -ENOMEM;
}

/*
 * ASan: clear the marks of a span going back to the window, so that a fresh area's shadow
 * holds none.  Only ASan: clearing a shadow that holds no mark would commit its memory (1/8
 * of the span), and memcheck forgets its marks itself when a range is mapped again.  ukmem's
 * own mark is the tail of the last page (ukmem__vmalloc_annotate); a span up to
 * SHADOW_SCAN_MAX is searched whole, so marks the program made itself go too, and of a
 * larger one only its last two pages, since reading the shadow of a span costs 1/8 of its
 * size (docs/debugging.md: marks a program leaves inside a larger area outlive its free).
 */
#define SHADOW_SCAN_MAX	SZ_1M

static void area_shadow_clean(unsigned long start, unsigned long end)
{
	const char *bad;

	if (likely(!ukmem__annotate_active()) || !(ukmem__annotate_mode & UKMEM_ANNOTATE_ASAN))
		return;
	if (end - start > SHADOW_SCAN_MAX)
		start = end - 2 * PAGE_SIZE;
	bad = __asan_region_is_poisoned((void *)start, end - start);
	if (bad)
		ukmem__annotate_open(bad, end - (unsigned long)bad);
}

/* Give the span of an area this thread owns back to the allocator and forget the area. */
static void area_release(struct ukmem__vmap_area *va)
{
	area_shadow_clean(va->node.start, va->node.end);
	ukmem__va_lock();
	ukmem__va_erase_busy_locked(va);
	ukmem__va_free_locked(va->node.start, va->node.end);
	ukmem__va_remember_locked(va);
	ukmem__va_unlock();
	ukmem__va_destroy(va);
}

static void area_publish(struct ukmem__vmap_area *va)
{
	ukmem__va_lock();
	va->vm->flags &= ~VM_UNINITIALIZED;
	va->state = UKMEM_VA_LIVE;
	ukmem__va_unlock();
}

/* ---- pages ---- */
static int map_pages(unsigned long addr, struct page **pages, unsigned int n, int fd,
		     unsigned int prot, bool guard, unsigned int *done);
static unsigned long gfp_pfn_limit(gfp_t gfp)
{
	if (gfp & GFP_DMA)
		return SZ_16M >> PAGE_SHIFT;
	if (gfp & GFP_DMA32)
		return SZ_4G >> PAGE_SHIFT;
	return ULONG_MAX;
}

/* vmalloc's reference to each page goes (the mark first: see ukmem__pages_set_owner); a
 * page someone else still holds (get_page on vmalloc_to_page) lives on with their reference.
 * Also a vmap() caller's VM_MAP_PUT_PAGES array, which carries no mark. */
static void free_page_array(struct page **pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		ukmem__pages_set_owner(pages[i], UKMEM_PAGES_VMALLOC, false);
		__free_pages(pages[i], 0);
	}
}

/* ukmem.vmalloc_scatter=1: no two neighbouring pages of an area are physically adjacent. */
static int cmp_pfn(const void *a, const void *b)
{
	unsigned long x = page_to_pfn(*(struct page *const *)a), y = page_to_pfn(*(struct page *const *)b);

	return x < y ? -1 : x > y;
}

static void shuffle(struct page **pages, unsigned int n, unsigned int *seed)
{
	for (unsigned int i = n; i > 1; i--) {
		*seed ^= *seed << 13;
		*seed ^= *seed >> 17;
		*seed ^= *seed << 5;
		swap(pages[i - 1], pages[*seed % i]);
	}
}

/*
 * Sorted by frame, the pages of even rank are at least two frames apart from each other, and
 * so are those of odd rank: lay out the even ranks, then the odd ones, each group shuffled.
 * Only the seam between the groups can be adjacent; a swap inside a group mends it.
 */
static void scatter_pages(struct page **pages, unsigned int n)
{
	unsigned int seed = (unsigned int)page_to_pfn(pages[0]) * 2654435761u | 1;
	unsigned int ne = (n + 1) / 2, no = n / 2;
	struct page **sorted = malloc(n * sizeof(*sorted));

	if (!sorted)
		return;		/* scattering is a test aid: an area stays correct without it */
	memcpy(sorted, pages, n * sizeof(*sorted));
	sort(sorted, n, sizeof(*sorted), cmp_pfn, NULL);
	for (unsigned int i = 0; i < n; i++)
		pages[i % 2 ? ne + i / 2 : i / 2] = sorted[i];
	free(sorted);
	shuffle(pages, ne, &seed);
	shuffle(pages + ne, no, &seed);
	if (no && page_to_pfn(pages[ne]) == page_to_pfn(pages[ne - 1]) + 1) {
		if (no > 1)
			swap(pages[ne], pages[ne + 1]);
		else if (ne > 1)
			swap(pages[ne - 1], pages[0]);
		else
			swap(pages[0], pages[1]);	/* two pages: the higher frame first */
	}
}

/* One block of 2^order for the next want pages: split, the pages beyond want freed at once,
 * so that the whole run is physically contiguous (one mapping).  0 if the buddy has none. */
static unsigned int alloc_exact_run(struct page **pages, unsigned int want, unsigned int order,
				    gfp_t gfp)
{
	/* Higher orders are an optimisation: never retried, never __GFP_NOFAIL. */
	gfp_t try = order ? (gfp | __GFP_NORETRY) & ~__GFP_NOFAIL : gfp;
	struct page *page = ukmem__alloc_pages(try, order);
	unsigned int got = min(want, 1U << order);

	if (!page)
		return 0;
	if (order)
		split_page(page, order);
	for (unsigned int j = 0; j < got; j++) {
		pages[j] = page + j;
		ukmem__pages_set_owner(page + j, UKMEM_PAGES_VMALLOC, true);
	}
	for (unsigned int j = got; j < (1U << order); j++)
		__free_pages(page + j, 0);
	return got;
}

/* Fill pages[0..n) from the buddy: one block covering each stretch of up to 2^9 pages when
 * there is one, else the highest orders that are free.  Returns how many it got. */
static unsigned int alloc_area_pages(struct page **pages, unsigned int n, gfp_t gfp)
{
	unsigned int i = 0;

	gfp = (gfp | __GFP_NOWARN) & ~__GFP_COMP;
	while (i < n) {
		unsigned int left = n - i, order, got = 0;

		if (ukmem__cfg.vmalloc_scatter) {
			got = alloc_exact_run(pages + i, 1, 0, gfp);
		} else {
			order = min(order_base_2(left), VMALLOC_MAX_ORDER);
			got = alloc_exact_run(pages + i, left, order, gfp);
			for (order = min(ilog2(left), VMALLOC_MAX_ORDER); !got; order--) {
				got = alloc_exact_run(pages + i, left, order, gfp);
				if (!order)
					break;
			}
		}
		if (!got)
			break;
		i += got;
	}
	if (ukmem__cfg.vmalloc_scatter && i == n && n > 1)
		scatter_pages(pages, n);
	return i;
}

/**
 * ukmem__vmalloc_map_pages - map pages[0..n) at addr, one host call per physical run
 * @prot: the host protection (UKMEM_OS_*)
 * @done: set to the number of pages mapped (all of them on success)
 *
 * Return: 0, or the host's -errno (-ENOMEM: vm.max_map_count reached).  On failure the
 * caller unmaps exactly [addr, addr + *done pages): a range that starts and ends on mapping
 * boundaries never needs a split, so the host cannot refuse it.
 */
int ukmem__vmalloc_map_pages(unsigned long addr, struct page **pages, unsigned int n,
			     unsigned int prot, unsigned int *done)
{
	return map_pages(addr, pages, n, ukmem__mm.fd, prot, false, done);
}

/* Does the area get its guard page as a guard region inside its last mapping? */
static bool area_wants_guard_region(const struct ukmem__vmap_area *va)
{
	return V.guard_regions && !(va->vm->flags & VM_NO_GUARD) &&
	       va->node.end - va->node.start >= ((unsigned long)va->nr_pages + 1) << PAGE_SHIFT &&
	       (va->kind == UKMEM_VA_VMALLOC || va->kind == UKMEM_VA_VMAP);
}

/**
 * ukmem__vmalloc_map_area - map an area's pages (and its guard region) with its protection
 * @va: the area (node, vm.flags, kind, prot and nr_pages set; owned by this thread)
 * @pages: @n: the pages, in order
 * @fd: the RAM file (the parent's, or the child's after fork)
 * @done: pages mapped when it returns, the guard page counted when mapped
 */
int ukmem__vmalloc_map_area(struct ukmem__vmap_area *va, struct page **pages, unsigned int n,
			    int fd, unsigned int *done)
{
	bool guard = area_wants_guard_region(va);
	int err;

	va->guard_mapped = false;
	err = map_pages(va->node.start, pages, n, fd, va->prot, guard, done);
	if (!err && guard)
		va->guard_mapped = true;
	for (unsigned int i = 0; !err && va->holes && i < n; i++)	/* fork: keep holes */
		if (ukmem__va_hole(va, i))
			err = ukmem__os_revoke((void *)(va->node.start + ((unsigned long)i << PAGE_SHIFT)),
					       PAGE_SIZE);
	return err;
}

/*
 * *done: how many pages (from the start) were mapped when it returns, the guard page
 * included.  With guard, the last run also maps the file page after it, which then becomes
 * a guard region: never accessible, so whose frame it is does not matter, and the file
 * offsets stay consecutive, so the run and its guard are one host mapping.
 */
static int map_pages(unsigned long addr, struct page **pages, unsigned int n, int fd,
		     unsigned int prot, bool guard, unsigned int *done)
{
	*done = 0;
	for (unsigned int i = 0, j; i < n; i = j) {
		unsigned long pfn = page_to_pfn(pages[i]);
		unsigned int extra;
		int err;

		for (j = i + 1; j < n && page_to_pfn(pages[j]) == pfn + (j - i); j++)
			;
		extra = guard && j == n;
		err = ukmem__os_map_shared_prot((void *)(addr + ((unsigned long)i << PAGE_SHIFT)),
						(unsigned long)(j - i + extra) << PAGE_SHIFT, fd,
						(off_t)PFN_PHYS(pfn), prot);
		if (err)
			return err;
		*done = j + extra;
	}
	if (guard)
		return ukmem__os_guard_install((void *)(addr + ((unsigned long)n << PAGE_SHIFT)),
					       PAGE_SIZE);
	return 0;
}

/**
 * ukmem__vmalloc_prot - the host protection of a pgprot_t
 *
 * x86-64 bits: present (0x1), writable (0x2), NX (bit 63); the cache-mode bits
 * (pgprot_noncached, pgprot_writecombine) are accepted and change nothing in a process.
 */
unsigned char ukmem__vmalloc_prot(pgprot_t prot)
{
	unsigned long v = pgprot_val(prot);
	unsigned char host = UKMEM_OS_READ;

	if (!(v & _PAGE_PRESENT))
		return 0;		/* PAGE_NONE: mapped, never accessible */
	if (v & _PAGE_RW)
		host |= UKMEM_OS_WRITE;
	if (!(v & _PAGE_NX))
		host |= UKMEM_OS_EXEC;
	return host;
}

/* Back to reservation; at the host's mapping limit, the hard way (see platform.h).
 * -EEXIST: unmapped, but the span is no longer ours to hand out. */
static int unmap_range(unsigned long addr, unsigned long len)
{
	int err = ukmem__os_unmap((void *)addr, len);

	return err == -ENOMEM ? ukmem__os_unmap_hard((void *)addr, len) : err;
}

static unsigned long top_pfn_of(struct page **pages, unsigned int n)
{
	unsigned long m = 0;

	for (unsigned int i = 0; i < n; i++)
		m = max(m, page_to_pfn(pages[i]));
	return m;
}

static void zero_pages(struct page **pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		memset(page_address(pages[i]), 0, PAGE_SIZE);
}

/* ---- lazy areas ---- */
static bool lazy_over_limit(unsigned long slack_num, unsigned long slack_den)
{
	return V.nr_lazy * slack_den > V.lazy_max_areas * slack_num ||
	       V.lazy_pages * slack_den > V.lazy_max_pages * slack_num;
}

static void lazy_unlink_locked(struct ukmem__vmap_area *va)
{
	list_del_init(&va->lru);
	list_del_init(&va->bucket);
	V.nr_lazy--;
	V.lazy_pages -= va->nr_pages;
}

static int cmp_area(const void *a, const void *b)
{
	const struct ukmem__vmap_area *x = *(struct ukmem__vmap_area *const *)a;
	const struct ukmem__vmap_area *y = *(struct ukmem__vmap_area *const *)b;

	return x->node.start < y->node.start ? -1 : x->node.start > y->node.start;
}

/* Unmap a run of adjacent purging areas in one call, up to the end of the last one's
 * mapping (not its guard page: ending on a mapping boundary needs no split, which the host
 * could refuse at vm.max_map_count). */
static int purge_unmap(struct ukmem__vmap_area **v, unsigned int n)
{
	unsigned long start = v[0]->node.start;
	unsigned long end = v[n - 1]->node.start + area_mapped_size(v[n - 1]);

	return unmap_range(start, end - start);
}

/*
 * Purge the areas of a batch (state PURGING, owned by this thread): sort, unmap adjacent
 * runs together, free their pages, give their spans back.  Lazy areas are already
 * inaccessible, so their pages are freed whatever the host says; a span is given back
 * unless something else now lives in it (-EEXIST from the hard way), in which case the
 * area stays in the tree, empty, so that the span is never handed out.
 */
static void purge_batch(struct ukmem__vmap_area **v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_area, NULL);
	for (unsigned int i = 0, j; i < n; i = j) {
		unsigned long start = v[i]->node.start;
		int err;

		for (j = i + 1; j < n && v[j]->node.start == v[j - 1]->node.end; j++)
			;
		err = purge_unmap(v + i, j - i);
		for (unsigned int k = i; k < j; k++) {
			free_page_array(v[k]->pages, v[k]->nr_pages);
			if (err == -EEXIST) {
				v[k]->nr_pages = 0;
				v[k] = NULL;
			}
		}
		if (err)
			pr_warn("vmalloc: unmapping freed areas at 0x%lx failed (error %d)%s\n",
				start, err,
				err == -EEXIST ? ": their address range is lost" : "");
	}
	for (unsigned int i = 0; i < n; i++)
		if (v[i])
			area_shadow_clean(v[i]->node.start, v[i]->node.end);
	ukmem__va_lock();
	for (unsigned int i = 0; i < n; i++) {
		if (!v[i])
			continue;
		ukmem__va_erase_busy_locked(v[i]);
		ukmem__va_free_locked(v[i]->node.start, v[i]->node.end);
		ukmem__va_remember_locked(v[i]);
	}
	ukmem__va_unlock();
	for (unsigned int i = 0; i < n; i++)
		if (v[i])
			ukmem__va_destroy(v[i]);
}

/* Take lazy areas off the lists, oldest first, while over the bound (all: everything).
 * The batch array comes from malloc; when that fails (at the host's mapping limit malloc
 * may need a mapping itself) the areas go in slices through a small array on the stack, so
 * that freeing always gives host mappings back. */
static void purge_lazy(bool all)
{
	struct ukmem__vmap_area *slice[64], **batch, *va;
	unsigned int n, cap;

	do {
		ukmem__va_lock();
		cap = V.nr_lazy;
		ukmem__va_unlock();
		batch = cap > ARRAY_SIZE(slice) ? malloc(cap * sizeof(*batch)) : NULL;
		if (!batch) {
			batch = slice;
			cap = ARRAY_SIZE(slice);
		}
		n = 0;
		ukmem__va_lock();
		while (n < cap && !list_empty(&V.lazy_lru) && (all || lazy_over_limit(3, 4))) {
			va = list_first_entry(&V.lazy_lru, struct ukmem__vmap_area, lru);
			lazy_unlink_locked(va);
			va->state = UKMEM_VA_PURGING;
			batch[n++] = va;
		}
		ukmem__va_unlock();
		if (n)
			purge_batch(batch, n);
		if (batch != slice)
			free(batch);
	} while (n == cap && n);
}

/**
 * ukmem__vmalloc_purge - purge every lazily freed area now
 */
void ukmem__vmalloc_purge(void)
{
	purge_lazy(true);
}

/**
 * vm_unmap_aliases - unmap outstanding lazy aliases in the vmalloc layer
 *
 * Purges every lazily freed area: its pages go back to the page allocator and its span to
 * the address-space allocator.
 */
void vm_unmap_aliases(void)
{
	ukmem__ensure_started();
	might_sleep();
	ukmem__vmalloc_purge();
}

/* An area this thread is freeing becomes lazy: unmapped, reusable later. */
static void lazy_add(struct ukmem__vmap_area *va)
{
	bool over;

	ukmem__va_lock();
	va->state = UKMEM_VA_LAZY;
	va->free_seq = ++V.vfree_seq;
	list_add_tail(&va->lru, &V.lazy_lru);
	if (va->pages)
		list_add_tail(&va->bucket, &V.lazy_bucket[va->nr_pages]);
	V.nr_lazy++;
	V.lazy_pages += va->nr_pages;
	over = lazy_over_limit(1, 1);
	ukmem__va_unlock();
	if (over)
		purge_lazy(false);
}

/*
 * A lazy area of n pages that fits the request, taken off the lists (state SETUP): the most
 * recently freed one that UKMEM_VA_REUSE_DELAY other frees have followed.  Its descriptor,
 * host mapping and page tables are the likeliest to be in the caches (the oldest, in a
 * workload that cycles through many areas, are all cold: 0.6-0.9 us more per pair); the old
 * ones are left to the purge, which takes the oldest first.  At most REUSE_DELAY areas of
 * a bucket are too young, so the scan skips at most that many, then tries 8.
 */
static struct ukmem__vmap_area *lazy_take(unsigned int n, gfp_t gfp, unsigned long align,
					  unsigned long vm_flags, unsigned char prot,
					  unsigned long lo, unsigned long hi)
{
	unsigned long limit = gfp_pfn_limit(gfp);
	struct ukmem__vmap_area *va, *found = NULL;
	int scanned = 0;

	if (n > UKMEM_VA_BUCKETS || (vm_flags & VM_NO_GUARD))
		return NULL;
	ukmem__va_lock();
	list_for_each_entry_reverse(va, &V.lazy_bucket[n], bucket) {
		if (V.vfree_seq - va->free_seq < UKMEM_VA_REUSE_DELAY)
			continue;	/* too young: a stale pointer to it must still fault */
		if (++scanned > 8)
			break;
		if (va->top_pfn < limit && IS_ALIGNED(va->node.start, align) &&
		    va->prot == prot && va->node.start >= lo && va->node.end <= hi) {
			found = va;
			lazy_unlink_locked(va);
			va->state = UKMEM_VA_SETUP;
			break;
		}
	}
	ukmem__va_unlock();
	return found;
}

/* ---- vfree ---- */

/* Whether the area alone holds its pages.  A lazy area's pages go to the next vmalloc of
 * its size, so an area with a page someone else still holds (get_page on vmalloc_to_page,
 * kept past vfree as 6.1 allows) is not kept lazily: its pages are put, and that page lives
 * on with its holder's reference only. */
static bool pages_only_ours(const struct ukmem__vmap_area *va)
{
	for (unsigned int i = 0; i < va->nr_pages; i++)
		if (page_ref_count(va->pages[i]) != 1)
			return false;
	return true;
}

/**
 * ukmem__vmalloc_teardown - take down an area this thread owns (state FREEING or SETUP)
 * @dealloc: free the pages (vfree) rather than only unmapping (vunmap)
 */
void ukmem__vmalloc_teardown(struct ukmem__vmap_area *va, bool dealloc)
{
	bool own_pages = va->kind == UKMEM_VA_VMALLOC;
	unsigned long len = area_mapped_size(va);
	int err;

	if (unlikely(va->sweep_tracked)) {	/* given back: no longer the run's */
		va->sweep_tracked = false;
		ukmem__leak_untrack(va->vm->addr, UKMEM_LEAK_VMALLOC);
	}

	/* 6.1's user mapping holds references on the pages until it is unmapped, which ukmem
	 * does not see: the pages stay allocated (never reused), so the user range never
	 * reaches memory that something else was given. */
	if (unlikely(va->user_mapped))
		dealloc = false;
	if (own_pages && dealloc && va->nr_pages <= UKMEM_VA_BUCKETS && !va->holes &&
	    ukmem__va_desc_owned(va) && pages_only_ours(va) &&
	    ukmem__os_revoke(va->vm->addr, len) == 0) {
		ukmem__stat_add(UKMEM_STAT_VMALLOC_PAGES, -(long)va->nr_pages);
		if (ukmem__cfg.init_on_free)
			zero_pages(va->pages, va->nr_pages);
		lazy_add(va);
		return;
	}
	err = len ? unmap_range((unsigned long)va->vm->addr, len) : 0;
	if (err && err != -EEXIST) {
		pr_warn("vmalloc: cannot unmap the area at %px (error %d): it stays reserved%s\n",
			va->vm->addr, err, own_pages && va->nr_pages ? " and its pages stay allocated" : "");
		return;
	}
	if (own_pages) {
		ukmem__stat_add(UKMEM_STAT_VMALLOC_PAGES, -(long)va->nr_pages);
		if (dealloc)
			free_page_array(va->pages, va->nr_pages);
	} else if (dealloc && (va->vm->flags & VM_MAP_PUT_PAGES)) {
		free_page_array(va->vm->pages, va->vm->nr_pages);
		ukmem__vmap_put_array(va->vm->pages);
	}
	if (err) {
		pr_warn("vmalloc: the range of the area at %px was taken by another mapping "
			"while it was being unmapped: it is never handed out again\n", va->vm->addr);
		va->nr_pages = 0;	/* nothing of ours is mapped there any more */
		return;
	}
	area_release(va);
}

/* Why a release call found no area to take down. */
struct claim_miss {
	const char *release;	/* a subsystem owns it: its release call (else NULL) */
	const void *mapper;	/* who mapped that area */
};

/* Warns for a release that found nothing it may take down. */
static noinline void claim_missed(const void *addr, const struct claim_miss *miss)
{
	if (miss->release)
		WARN(1, KERN_ERR "Trying to vfree() vm area %p that %pS mapped: only %s() "
		     "releases it; left mapped\n", addr, miss->mapper, miss->release);
	else
		WARN(1, KERN_ERR "Trying to vfree() nonexistent vm area (%p)\n", addr);
}

/* The live area starting at addr that this caller may release (vm_map_ram areas are
 * vm_unmap_ram's, a subsystem's areas are its own: @owner says the caller is one), or NULL
 * with *miss filled in (vmap lock held). */
static struct ukmem__vmap_area *area_releasable_locked(const void *addr, bool owner,
						       struct claim_miss *miss)
{
	struct ukmem__vmap_area *va = ukmem__va_find_start_locked((unsigned long)addr);

	*miss = (struct claim_miss){ NULL, NULL };
	if (!va || va->state != UKMEM_VA_LIVE || va->kind == UKMEM_VA_MAP_RAM)
		return NULL;
	if (va->owner_release && !owner) {
		*miss = (struct claim_miss){ va->owner_release, va->vm->caller };
		return NULL;
	}
	return va;
}

/* Look up the area starting at addr that the caller may release (area_releasable_locked)
 * and mark it FREEING; NULL, with *miss filled in, if there is none. */
static struct ukmem__vmap_area *area_claim(const void *addr, bool owner, const void *caller,
					   struct claim_miss *miss)
{
	struct ukmem__vmap_area *va;

	ukmem__va_lock();
	va = area_releasable_locked(addr, owner, miss);
	if (va) {
		va->state = UKMEM_VA_FREEING;
		va->free_caller = caller;
	}
	ukmem__va_unlock();
	return va;
}

/**
 * ukmem__vmalloc_claim - claim the live area (not vm_map_ram) that contains addr
 * @desc: when not NULL, the area's descriptor must be it (free_vm_area)
 */
struct ukmem__vmap_area *ukmem__vmalloc_claim(const void *addr, const struct vm_struct *desc,
					      const void *caller)
{
	struct ukmem__vmap_area *va;
	struct vm_struct *other = NULL;
	struct claim_miss miss;

	ukmem__va_lock();
	va = ukmem__va_find_locked((unsigned long)addr);	/* 6.1 looks up the area containing
							 * addr, its guard page included */
	if (va)
		addr = (const void *)va->node.start;
	va = area_releasable_locked(addr, false, &miss);
	if (va && desc && va->vm != desc) {
		other = va->vm;
		va = NULL;
	}
	if (va) {
		va->state = UKMEM_VA_FREEING;
		va->free_caller = caller;
	}
	ukmem__va_unlock();
	if (other)
		WARN(1, KERN_ERR "free_vm_area: %px is not the vm_struct of the vm area at %p "
		     "(%px is): left mapped\n", desc, addr, other);
	else if (!va && (miss.release || desc))
		claim_missed(addr, &miss);
	return va;
}

/**
 * ukmem__free_vm_area_owned - release an area made by ukmem__get_vm_area_owned()
 * @vm: the area (NULL does nothing)
 */
void ukmem__free_vm_area_owned(struct vm_struct *vm)
{
	struct ukmem__vmap_area *va;
	struct claim_miss miss;

	if (!vm)
		return;
	va = area_claim(vm->addr, true, __builtin_return_address(0), &miss);
	if (va)
		ukmem__vmalloc_teardown(va, false);
	else
		claim_missed(vm->addr, &miss);
}

/* vfree() from interrupt context, vfree_atomic(): finish in task context. */
static void drain_deferred_slow(void)
{
	struct ukmem__vmap_area *list, *next;

	ukmem__va_lock();
	list = V.deferred;
	__atomic_store_n(&V.deferred, NULL, __ATOMIC_RELEASE);
	for (struct ukmem__vmap_area *va = list; va; va = va->deferred_next)
		va->state = UKMEM_VA_FREEING;
	ukmem__va_unlock();
	for (; list; list = next) {
		next = list->deferred_next;
		ukmem__vmalloc_teardown(list, true);
	}
}

static inline void drain_deferred(void)
{
	if (unlikely(__atomic_load_n(&V.deferred, __ATOMIC_ACQUIRE)) && !in_interrupt())
		drain_deferred_slow();
}

/* Task work (core): right after the interrupt or the RCU batch that deferred them. */
void ukmem__vmalloc_drain_deferred(void)
{
	drain_deferred();
}

/*
 * The area's access goes at once, as vfree()'s does (a use after vfree faults and is
 * reported as one); its teardown waits for task context.  The revoke happens under the lock,
 * before the area is on the deferred list: once there, a drain may take it down and a
 * vmalloc reuse it, which a later revoke would break.
 */
static void vfree_deferred(const void *addr, const void *caller)
{
	struct ukmem__vmap_area *va;
	struct claim_miss miss;

	/* 6.1 queues the address and its worker warns; here the warning comes at once, and
	 * nothing is written into the memory (the kernel links its queue through it). */
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return;
	ukmem__va_lock();
	va = area_releasable_locked(addr, false, &miss);
	if (va && area_mapped_size(va))
		ukmem__os_revoke(va->vm->addr, area_mapped_size(va));
	if (va) {
		va->state = UKMEM_VA_DEFERRED;
		va->free_caller = caller;
		va->deferred_next = V.deferred;
		__atomic_store_n(&V.deferred, va, __ATOMIC_RELEASE);
	}
	ukmem__va_unlock();
	if (!va)
		claim_missed(addr, &miss);
}

static void vunmap_common(const void *addr, bool dealloc, const void *caller)
{
	struct ukmem__vmap_area *va;
	struct claim_miss miss;

	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return;
	drain_deferred();
	va = area_claim(addr, false, caller, &miss);
	if (likely(va))
		ukmem__vmalloc_teardown(va, dealloc);
	else
		claim_missed(addr, &miss);
}

/**
 * vfree - release memory allocated by vmalloc()
 * @addr: the start of the area, or NULL (nothing is done)
 *
 * The area is unmapped at once: any later access faults and is reported.  An address that
 * is not the start of a live area gets "Trying to vfree() nonexistent vm area" and is
 * otherwise ignored.  From interrupt context the work is deferred to task context.
 */
void vfree(const void *addr)
{
	BUG_ON(in_nmi());
	might_sleep_if(!in_interrupt());
	if (!addr)
		return;
	ukmem__ensure_started();
	ukmem__leak_untrack(addr, UKMEM_LEAK_VMALLOC);
	ukmem__leak_untrack(addr, UKMEM_LEAK_OTHER);	/* kmemleak_vmalloc's, as 6.1's kmemleak_free */
	if (unlikely(in_interrupt()))
		vfree_deferred(addr, __builtin_return_address(0));
	else
		vunmap_common(addr, true, __builtin_return_address(0));
}

/**
 * vfree_atomic - vfree() that may be called in any atomic context except NMI
 * @addr: the start of the area, or NULL
 *
 * The area is taken down later, in task context (the next vmalloc-family call).
 */
void vfree_atomic(const void *addr)
{
	BUG_ON(in_nmi());
	if (!addr)
		return;
	ukmem__ensure_started();
	ukmem__leak_untrack(addr, UKMEM_LEAK_VMALLOC);
	ukmem__leak_untrack(addr, UKMEM_LEAK_OTHER);
	vfree_deferred(addr, __builtin_return_address(0));
}

/**
 * vunmap - release a mapping made by vmap()
 * @addr: the start of the area
 *
 * The pages are not freed (unless vmap() was given VM_MAP_PUT_PAGES... which only vfree()
 * honours, as in the kernel).  Must not be called in interrupt context.
 */
void vunmap(const void *addr)
{
	BUG_ON(in_interrupt());
	might_sleep();
	if (addr) {
		ukmem__ensure_started();
		vunmap_common(addr, false, __builtin_return_address(0));
	}
}

/* ---- vmalloc ---- */

/* Map a lazy area again for a new owner. */
static void *vmalloc_reuse(struct ukmem__vmap_area *va, gfp_t gfp, unsigned long vm_flags,
			   const void *caller)
{
	if (ukmem__os_protect_prot(va->vm->addr, area_mapped_size(va), va->prot)) {
		ukmem__va_lock();
		va->state = UKMEM_VA_PURGING;
		ukmem__va_unlock();
		purge_batch(&va, 1);
		return NULL;
	}
	if ((gfp & __GFP_ZERO) || ukmem__cfg.init_on_alloc)
		zero_pages(va->pages, va->nr_pages);
	va->vm->flags = VM_ALLOC | vm_flags;
	va->vm->caller = caller;
	va->free_caller = NULL;
	ukmem__stat_add(UKMEM_STAT_VMALLOC_PAGES, va->nr_pages);
	area_publish(va);
	return va->vm->addr;
}

/*
 * Host mappings of the RAM file merge when they are address-adjacent and their file offsets
 * continue each other; taking one area of a merged mapping away then splits it, which the
 * host refuses at vm.max_map_count.  Two neighbouring areas continue each other when the
 * frame after the first one's mapping (its guard page's, with guard regions) is the
 * second's first frame: a page allocated by anyone between two one-page vmallocs does it.
 * A new vmalloc area that would continue a neighbour, at either end, takes another page
 * there instead (vmap areas map the caller's pages as they are).
 */
static unsigned long map_end_pfn(const struct ukmem__vmap_area *va)
{
	return page_to_pfn(va->pages[va->nr_pages - 1]) + 1 + va->guard_mapped;
}

/* 0: va (its pages chosen, not yet mapped) continues no neighbour; 1: its first page
 * continues the area before it; 2: the area after it continues its last page. */
static int continues_locked(const struct ukmem__vmap_area *va, bool guard)
{
	unsigned long start = va->node.start;
	unsigned long end = start + (((unsigned long)va->nr_pages + guard) << PAGE_SHIFT);
	struct ukmem__vmap_area *prev = start > V.start ? ukmem__va_find_locked(start - 1) : NULL;
	struct ukmem__vmap_area *next = ukmem__va_find_start_locked(end);

	/* (an area being set up is skipped before its fields are read: its thread writes them
	 * without the lock) */
	if (prev && prev->state != UKMEM_VA_SETUP && prev->pages && prev->nr_pages &&
	    prev->node.start + ukmem__vmalloc_mapped_size(prev) == start &&
	    map_end_pfn(prev) == page_to_pfn(va->pages[0]))
		return 1;
	if (next && next->state != UKMEM_VA_SETUP && next->pages && next->nr_pages &&
	    page_to_pfn(va->pages[va->nr_pages - 1]) + 1 + guard == page_to_pfn(next->pages[0]))
		return 2;
	return 0;
}

static void keep_apart(struct ukmem__vmap_area *va, gfp_t gfp)
{
	bool guard = area_wants_guard_region(va);
	struct page *fresh;
	unsigned int i;
	int end;

	for (int tries = 0; tries < 4; tries++) {
		ukmem__va_lock();
		end = continues_locked(va, guard);
		ukmem__va_unlock();
		if (!end || !alloc_exact_run(&fresh, 1, 0, gfp))
			return;		/* merged, at worst: correct, one mapping fewer to spare */
		i = end == 1 ? 0 : va->nr_pages - 1;
		free_page_array(&va->pages[i], 1);
		va->pages[i] = fresh;
	}
}

/* Get pages for a fresh area; purge lazy areas and retry once when memory is short. */
static int vmalloc_get_pages(struct ukmem__vmap_area *va, unsigned int n, gfp_t gfp)
{
	unsigned int got;

	va->pages = calloc(n, sizeof(*va->pages));
	if (!va->pages) {
		vm_warn(gfp, "vmalloc error: size %lu, failed to allocated page array size %lu",
			(unsigned long)n * PAGE_SIZE, (unsigned long)n * sizeof(void *));
		return -ENOMEM;
	}
	got = alloc_area_pages(va->pages, n, gfp);	/* lazy areas go back by direct reclaim */
	if (got < n) {
		free_page_array(va->pages, got);
		vm_warn(gfp, "vmalloc error: size %lu, page order %u, failed to allocate pages",
			(unsigned long)got * PAGE_SIZE, 0u);
		return -ENOMEM;
	}
	va->nr_pages = n;
	keep_apart(va, gfp);
	va->vm->pages = va->pages;
	va->vm->nr_pages = n;
	va->top_pfn = top_pfn_of(va->pages, n);
	return 0;
}

static void *vmalloc_fresh(unsigned long size, unsigned long align, gfp_t gfp,
			   unsigned long vm_flags, unsigned char prot, unsigned long lo,
			   unsigned long hi, const void *caller)
{
	unsigned long guard = (vm_flags & VM_NO_GUARD) ? 0 : PAGE_SIZE;
	unsigned int n = size >> PAGE_SHIFT;
	struct ukmem__vmap_area *va;
	unsigned int done;
	int err;

	va = ukmem__va_new(UKMEM_VA_VMALLOC, VM_ALLOC | VM_UNINITIALIZED | vm_flags, caller, gfp);
	if (va)
		va->prot = prot;
	if (!va || ukmem__vmalloc_reserve(va, size + guard, align, lo, hi, gfp)) {
		if (va)
			ukmem__va_destroy(va);
		vm_warn(gfp, "vmalloc error: size %lu, vm_struct allocation failed", size);
		return NULL;
	}
	if (vmalloc_get_pages(va, n, gfp)) {
		area_release(va);
		return NULL;
	}
	err = ukmem__vmalloc_map_area(va, va->pages, n, ukmem__mm.fd, &done);
	if (err) {
		if (err == -ENOMEM)
			__atomic_fetch_add(&V.map_failures, 1, __ATOMIC_RELAXED);
		vm_warn_host_limit(gfp, size, err);
		err = done ? unmap_range((unsigned long)va->vm->addr,
					 (unsigned long)done << PAGE_SHIFT) : 0;
		if (err && err != -EEXIST) {
			pr_warn("vmalloc: cannot unmap the failed area at %px: it stays reserved\n",
				va->vm->addr);
			return NULL;	/* still mapped: its pages must never be reused */
		}
		free_page_array(va->pages, n);
		if (err) {
			va->nr_pages = 0;	/* the span is lost: the area stays, empty */
			return NULL;
		}
		area_release(va);
		return NULL;
	}
	ukmem__stat_add(UKMEM_STAT_VMALLOC_PAGES, n);
	ukmem__os_fault_thread();
	area_publish(va);
	return va->vm->addr;
}

/*
 * Under ASan or memcheck: a new area is usable up to the size asked for and the rest of its
 * last page is off limits, as KASAN marks it (kasan_unpoison_vmalloc of the requested size):
 * vmalloc(1000) may not touch byte 1000.  A reused lazy area may carry its last life's marks
 * and is opened whole first; under ASan a fresh span carries none (area_shadow_clean), so
 * its shadow is not read: for a get_vm_area of the whole window that would be gigabytes.
 */
noinline void ukmem__vmalloc_annotate(void *addr, unsigned long asked, unsigned long size,
				      bool fresh)
{
	if (!(ukmem__annotate_mode & UKMEM_ANNOTATE_ASAN))
		ukmem__annotate_open(addr, size);
	else if (!fresh)
		area_shadow_clean((unsigned long)addr, (unsigned long)addr + size);
	if (asked < size)
		ukmem__annotate_close((char *)addr + asked, size - asked);
}

/**
 * __vmalloc_node_range - allocate virtually contiguous memory
 * @size: bytes (rounded up to pages); 0 warns once and fails
 * @align: alignment of the start, a power of two (less than a page means a page); anything
 *         else warns once and fails (the kernel BUGs)
 *
 * As in 6.1, it may sleep whatever @gfp_mask says (GFP_ATOMIC under a spinlock is the
 * "sleeping function called from invalid context" report) and interrupt context is a
 * kernel BUG (the process dies, as the kernel's __get_vm_area_node() BUG_ON).
 * @start: @end: the range the area must lie in (clamped to the vmalloc window; 0, 0: all)
 * @gfp_mask: GFP flags for the pages (__GFP_ZERO, GFP_DMA32, __GFP_NOWARN...)
 * @prot: the protection (PAGE_KERNEL, PAGE_KERNEL_RO, PAGE_KERNEL_EXEC...)
 * @vm_flags: extra VM_* flags (VM_NO_GUARD, VM_USERMAP...)
 * @node: ignored (one node)
 * @caller: recorded for /proc/vmallocinfo and reports
 *
 * Return: the start of the area, or NULL (with a rate-limited "vmalloc error" warning
 * unless __GFP_NOWARN).
 */
void *__vmalloc_node_range(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp_mask, pgprot_t prot,
			   unsigned long vm_flags, int node, const void *caller)
{
	unsigned long real_size = size;
	bool fresh = false;
	struct ukmem__vmap_area *va;
	unsigned char host_prot = ukmem__vmalloc_prot(prot);
	void *addr;

	ukmem__ensure_started();
	if (WARN_ON_ONCE(!size))
		return NULL;
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		vm_warn(gfp_mask, "vmalloc error: size %lu, exceeds total pages", real_size);
		return NULL;
	}
	/* 6.1's rules, whatever the gfp: never from interrupt context (__get_vm_area_node's
	 * BUG_ON), and it may sleep (alloc_vmap_area's might_sleep). */
	BUG_ON(in_interrupt());
	might_sleep();
	if (WARN_ON_ONCE(!align || (align & (align - 1))))	/* the kernel BUGs */
		return NULL;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (!start && !end) {		/* no range: the whole window */
		start = VMALLOC_START;
		end = VMALLOC_END;
	}
	start = max(start, VMALLOC_START);
	end = min(end, VMALLOC_END);
	if (start >= end) {
		vm_warn(gfp_mask, "vmalloc error: size %lu, vm_struct allocation failed", real_size);
		return NULL;
	}
	drain_deferred();
	size = PAGE_ALIGN(size);
	if (ukmem__debug_hooked() && ukmem__should_fail(UKMEM_FAULT_VMALLOC, gfp_mask, size)) {
		vm_warn(gfp_mask, "vmalloc error: size %lu, vm_struct allocation failed", real_size);
		return NULL;
	}
	va = lazy_take(size >> PAGE_SHIFT, gfp_mask, align, vm_flags, host_prot, start, end);
	if (!va || !(addr = vmalloc_reuse(va, gfp_mask, vm_flags, caller))) {
		addr = vmalloc_fresh(size, align, gfp_mask, vm_flags, host_prot, start, end, caller);
		fresh = true;
	}
	if (addr && unlikely(ukmem__annotate_active()))
		ukmem__vmalloc_annotate(addr, real_size, size, fresh);
	if (addr && ukmem__cfg.kmemleak)
		ukmem__leak_track_caller(addr, size, UKMEM_LEAK_VMALLOC, (unsigned long)caller);
	return addr;
}

/**
 * __vmalloc_node - allocate virtually contiguous memory with an alignment
 */
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller)
{
	return __vmalloc_node_range(size, align, VMALLOC_START, VMALLOC_END, gfp_mask,
				    PAGE_KERNEL, 0, node, caller);
}

/**
 * __vmalloc - allocate virtually contiguous memory with the given GFP flags
 */
void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc - allocate virtually contiguous memory
 * @size: bytes, rounded up to pages
 *
 * Return: the area (uninitialised), or NULL.  May sleep.
 */
void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc_huge - vmalloc() that may use huge mappings (here: the same as vmalloc)
 */
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, gfp_mask, PAGE_KERNEL,
				    VM_ALLOW_HUGE_VMAP, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

/**
 * vzalloc - allocate zeroed virtually contiguous memory
 */
void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * vmalloc_user - zeroed memory suitable for mapping to user space (VM_USERMAP)
 */
void *vmalloc_user(unsigned long size)
{
	return __vmalloc_node_range(size, PAGE_SIZE, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP,
				    NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc_node - vmalloc() on a node (one node here)
 */
void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, __builtin_return_address(0));
}

/**
 * vzalloc_node - vzalloc() on a node (one node here)
 */
void *vzalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node,
			      __builtin_return_address(0));
}

/**
 * vmalloc_32 - vmalloc() of pages below 4 GiB (ZONE_DMA32)
 */
void *vmalloc_32(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_DMA32 | GFP_KERNEL, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * vmalloc_32_user - zeroed pages below 4 GiB, suitable for mapping to user space
 */
void *vmalloc_32_user(unsigned long size)
{
	return __vmalloc_node_range(size, PAGE_SIZE, VMALLOC_START, VMALLOC_END,
				    GFP_DMA32 | GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP,
				    NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * __vmalloc_array - vmalloc() of n * size bytes; NULL if the product overflows
 */
void *__vmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, flags, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * vmalloc_array - vmalloc() of n * size bytes; NULL if the product overflows
 */
void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

/**
 * __vcalloc - zeroed vmalloc() of n * size bytes; NULL if the product overflows
 */
void *__vcalloc(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, flags | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * vcalloc - zeroed vmalloc() of n * size bytes; NULL if the product overflows
 */
void *vcalloc(size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/**
 * ukmem__vmalloc_remap - map an area's pages again, from another RAM file (fork)
 */
int ukmem__vmalloc_remap(struct ukmem__vmap_area *va, int fd)
{
	unsigned int done;

	return ukmem__vmalloc_map_area(va, va->pages, va->nr_pages, fd, &done);
}
