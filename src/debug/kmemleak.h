/* SPDX-License-Identifier: MIT */
/*
 * kmemleak's tracking API: how every subsystem tells the leak detector what it handed out.
 *
 * Call ukmem__leak_track() when an object is handed to a driver and ukmem__leak_untrack()
 * when the driver gives it back:
 *
 *	res = ...;
 *	if (ukmem__cfg.kmemleak)
 *		ukmem__leak_track(res, size, UKMEM_LEAK_RESOURCE, _RET_IP_);
 *	...
 *	ukmem__leak_untrack(res, UKMEM_LEAK_RESOURCE);	(no-op for an unknown pointer)
 *
 * A tracked object is a record: (ptr, kind) is its key, with its size, the allocating task
 * (comm, pid), the time (jiffies) and the whole stack (captured here: about 0.1-0.3 us).
 * What is still tracked at ukmem_exit() is reported in kmemleak's format, and so is what a
 * ukmem_fail_sweep() run acquired and did not return.  @ptr is a key and a label: it is
 * read (hex dump, scanning for references) only for the kinds that are memory the CPU may
 * read (slab, pages, vmalloc, devres data, per-CPU, DMA coherent buffers, kmemleak_alloc);
 * ioremap mappings, resources and DMA mappings are reported but never read.
 *
 * Slab objects and pages need no call in their fast paths: live slab objects are found in
 * the slabs themselves when a report is made (ukmem__slab_walk_live), and a driver's page
 * carries its caller in struct page.  Their full stacks are recorded only where it is cheap
 * (allocations that already take the slow path) or asked for (kmemleak.stacks=on, fault
 * injection, fail sweeps).  A subsystem that takes a page from alloc_pages for its own
 * object calls ukmem__leak_pages_taken() so that the page is not reported twice.
 *
 * Locking: one leaf mutex (leak.lock) guards the records; only the console lock may be
 * taken under it.  Callers may hold their own locks.  Safe from any thread and from
 * emulated interrupt context.
 */
#ifndef UKMEM_DEBUG_KMEMLEAK_H
#define UKMEM_DEBUG_KMEMLEAK_H
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#pragma GCC visibility push(hidden)

struct page;

enum ukmem__leak_kind {
	UKMEM_LEAK_SLAB,		/* kmalloc, kmem_cache_alloc (readable) */
	UKMEM_LEAK_PAGES,		/* alloc_pages (readable) */
	UKMEM_LEAK_VMALLOC,		/* vmalloc (readable) */
	UKMEM_LEAK_DEVRES,		/* devres data (readable) */
	UKMEM_LEAK_PERCPU,		/* alloc_percpu (readable) */
	UKMEM_LEAK_DMA_COHERENT,	/* dma_alloc_coherent's CPU address (readable) */
	UKMEM_LEAK_OTHER,		/* kmemleak_alloc() (readable) */
	UKMEM_LEAK_IOREMAP,		/* ioremap mappings (never read: MMIO) */
	UKMEM_LEAK_RESOURCE,		/* request_mem_region and friends (a key, not memory) */
	UKMEM_LEAK_DMA_MAPPING,		/* dma_map_* (the bus address is the key) */
	UKMEM_LEAK_IRQ,			/* request_irq's handler (host memory: never read) */
	UKMEM_LEAK_CACHE,		/* a fail sweep run's kmem_cache_create (never read) */
	UKMEM_LEAK_NR_KINDS,
};

/**
 * ukmem__leak_track - record that @ptr (@size bytes) was handed to a driver
 * @caller: the driver's call site (_RET_IP_ of the entry point), shown when no stack is
 *          available
 *
 * A record with the same key replaces the old one.  Does nothing with kmemleak=off.
 */
void ukmem__leak_track(const void *ptr, size_t size, enum ukmem__leak_kind kind,
		       unsigned long caller);

/**
 * ukmem__leak_track_caller - ukmem__leak_track() without the stack, for hot paths (vmalloc)
 *
 * The record names @caller only, unless this thread is hooked (kmemleak.stacks=on, fault
 * injection, a fail sweep): then the whole stack is recorded, as ukmem__leak_track() does.
 * Capturing a stack costs about 0.5 us right after system calls (the unwinder's tables and
 * the record table are cold by then), a quarter of a vmalloc+vfree pair.
 */
void ukmem__leak_track_caller(const void *ptr, size_t size, enum ukmem__leak_kind kind,
			      unsigned long caller);

/* ukmem__leak_untrack - @ptr of @kind was given back (nothing happens if it is unknown).
 * While a scan runs it also notes that @ptr was freed (so that a new object the scan finds
 * at that address is not taken for the one it listed): call it before the memory can be
 * handed out again. */
void ukmem__leak_untrack(const void *ptr, enum ukmem__leak_kind kind);

/* Nonzero while a kmemleak scan (ukmem_show("kmemleak")) runs.  The slab allocator keeps
 * every cache's free gate closed meanwhile (free_bound 0: each free reaches
 * ukmem__slab_free_tracked, and so ukmem__leak_untrack), and the page allocator's checked
 * free path untracks every block, so that the scan hears of each object freed under it. */
extern int ukmem__leak_scanning;

static inline bool ukmem__leak_scan_running(void)
{
	return __atomic_load_n(&ukmem__leak_scanning, __ATOMIC_ACQUIRE) != 0;
}

/* Another check has reported @ptr of @kind as left behind (DMA debugging at unbind, the
 * irq check at exit): the exit report does not count it again.  Returns true when it had
 * been reported already (by a fail sweep's run, or an earlier call), so that the other
 * check can leave it out too. */
bool ukmem__leak_reported(const void *ptr, enum ukmem__leak_kind kind);

/* A page from alloc_pages now belongs to a subsystem's own object: do not report it too. */
void ukmem__leak_pages_taken(struct page *page);

/* @slab goes back to the page allocator: its array of records (kept in the slab while its
 * objects have records) goes too.  Takes every lock of the record table. */
struct slab;
void ukmem__leak_slab_gone(struct slab *slab);

/* The slab cache @s is being freed: records that still count against it are dropped. */
struct kmem_cache;
void ukmem__leak_forget_cache(struct kmem_cache *s);

/* ---- for fail sweeps (fault.c) ---- */
/* Start a run on this thread: what it allocates from now on is tagged with a new run id. */
unsigned long ukmem__leak_run_begin(void);
/* @ptr (a slab object's or page block's address) now belongs to something that outlives
 * the run that allocated it, a mempool's reserve: no run reports it as its own. */
void ukmem__leak_disown(const void *ptr);
/* End it: report (kmemleak's format, under @title) what the run acquired and still holds.
 * Returns how many objects leaked. */
int ukmem__leak_run_end(unsigned long run, const char *title);
/* A subsystem that keeps objects on behalf of something that outlives a run (the device
 * model: devres on a device's list) says so in the run's report: @holder writes, for the
 * object at @ptr, who holds it into @buf and returns true, or returns false.  Called with no
 * lock of kmemleak's held; one holder at most. */
void ukmem__leak_holder_register(bool (*holder)(const void *ptr, char *buf, size_t len));

#pragma GCC visibility pop
#endif
