/* SPDX-License-Identifier: MIT */
/*
 * Fault injection: the one hook every allocation point calls, and the per-thread debug state
 * that sends allocations to the hooked (slow) paths.
 *
 * How an allocation point uses it (slab, pages, vmalloc, devres, ioremap, DMA, per-CPU ...):
 *
 *	if (ukmem__debug_hooked() && ukmem__should_fail(UKMEM_FAULT_DMA, gfp, size))
 *		return NULL;		(or the error the real function returns on ENOMEM)
 *
 * ukmem__debug_hooked() is one thread-local load and one global load: it is true while fault
 * injection is possible for this thread (failslab=/fail_page_alloc= given, a fail-nth armed,
 * a ukmem_fail_sweep running) or while every allocation's stack is recorded
 * (kmemleak.stacks=on).  Only then is ukmem__should_fail() called; it decides with the
 * kernel's semantics (lib/fault-inject.c): fail-nth first (counting every allocation that
 * may fail, whatever ignore-gfp-wait says), then the attribute of the kind (failslab for
 * UKMEM_FAULT_SLAB, _DEVRES, _IOREMAP, _PERCPU, _VMALLOC, _OTHER; fail_page_alloc for
 * UKMEM_FAULT_PAGES and _DMA): probability, interval, times, space, the gfp filters and the
 * caller filter.  __GFP_NOFAIL is never failed.  An injected failure prints
 * "FAULT_INJECTION: forcing a failure." with the stack (verbose=2, the kernel's default)
 * and is not a "problem" for ukmem_exit.
 *
 * While hooked, the slab allocator bypasses its per-thread arrays on this thread (every
 * kmalloc reaches the slow path, where the hook is), so the kmalloc fast path itself never
 * tests anything.
 *
 * Locking: per-thread state needs none; the attributes' counters are atomics.
 */
#ifndef UKMEM_DEBUG_FAULT_H
#define UKMEM_DEBUG_FAULT_H
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/compiler.h>

#pragma GCC visibility push(hidden)

enum ukmem__fault_kind {
	UKMEM_FAULT_SLAB,	/* kmalloc, kmem_cache_alloc (failslab) */
	UKMEM_FAULT_PAGES,	/* alloc_pages and friends (fail_page_alloc) */
	UKMEM_FAULT_VMALLOC,	/* the vm area of a vmalloc (failslab, as the kernel's vm_struct) */
	UKMEM_FAULT_DEVRES,	/* devres_alloc, devm_kmalloc (failslab) */
	UKMEM_FAULT_IOREMAP,	/* ioremap's vm area (failslab) */
	UKMEM_FAULT_DMA,	/* dma_alloc_coherent, dma_pool_alloc, swiotlb slots (fail_page_alloc) */
	UKMEM_FAULT_PERCPU,	/* alloc_percpu (failslab) */
	UKMEM_FAULT_OTHER,	/* anything else that returns ENOMEM (failslab) */
};

/* Per-thread state (fault.c). */
struct ukmem__debug_tls {
	unsigned int fail_nth;		/* as current->fail_nth: 0 off, else counts down */
	bool sweeping;			/* inside ukmem_fail_sweep */
	bool hooked;			/* fail_nth || sweeping */
	bool in_hook;			/* the hook is running (its own allocations are not hooked) */
	bool covered;			/* an allocation another point stands for (never failed) */
};
extern __thread struct ukmem__debug_tls ukmem__debug_tls __attribute__((tls_model("initial-exec")));
extern int ukmem__debug_global;		/* nonzero: every thread is hooked (set at start-up) */

static __always_inline bool ukmem__debug_hooked(void)
{
	return unlikely(ukmem__debug_global | ukmem__debug_tls.hooked) && !ukmem__debug_tls.in_hook;
}

/* An allocation that an earlier point already stands for (vmalloc's descriptor: the area's
 * UKMEM_FAULT_VMALLOC point, as 6.1's failslab point is that descriptor's kmalloc) is
 * "covered": never failed and not counted by fail-nth, though it still takes the hooked
 * paths (the slab allocator keeps this thread's arrays parked).
 *	was = ukmem__debug_cover_begin(); p = kmalloc(...); ukmem__debug_cover_end(was); */
static __always_inline bool ukmem__debug_cover_begin(void)
{
	bool was = ukmem__debug_tls.covered;

	ukmem__debug_tls.covered = true;
	return was;
}

static __always_inline void ukmem__debug_cover_end(bool was)
{
	ukmem__debug_tls.covered = was;
}

/**
 * ukmem__should_fail - should this allocation fail?  (call only when ukmem__debug_hooked())
 * @kind: the allocation point's kind
 * @gfp: its GFP flags (__GFP_NOFAIL: never; __GFP_DIRECT_RECLAIM: see ignore-gfp-wait)
 * @size: bytes asked for (failslab's "space" attribute counts them; fail_page_alloc's counts
 *	the pages of the order they round up to, as 6.1)
 *
 * Prints the FAULT_INJECTION report when it says yes.  noinline: the caller filter and the
 * report count its frames.
 */
bool ukmem__should_fail(enum ukmem__fault_kind kind, gfp_t gfp, size_t size);

/* A slab allocation from cache @s: as ukmem__should_fail(UKMEM_FAULT_SLAB, gfp,
 * s->object_size), and failslab.cache-filter=1 leaves caches without SLAB_FAILSLAB alone. */
struct kmem_cache;
bool ukmem__should_failslab(const struct kmem_cache *s, gfp_t gfp);

/* Page allocations pass their order: fail_page_alloc's min-order filter needs it, and its
 * space counts 1 << order pages, as 6.1's should_fail_alloc_page. */
bool ukmem__should_fail_pages(gfp_t gfp, unsigned int order);

/* The four numbers of "<interval>,<probability>,<space>,<times>", scanned as 6.1's
 * setup_fault_attr does (its sscanf): the number of fields converted, 4 for all of them;
 * *end is where the scan stopped (the command line refuses anything after the fourth). */
struct ukmem__fault_spec {
	unsigned long interval, probability;
	int space, times;
};
int ukmem__fault_attr_scan(const char *str, struct ukmem__fault_spec *spec, const char **end);

/* Sets the hooked flag from fail_nth/sweeping (fault.c, kmemleak.c). */
void ukmem__debug_tls_update(void);

#pragma GCC visibility pop
#endif
