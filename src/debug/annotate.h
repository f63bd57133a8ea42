/* SPDX-License-Identifier: MIT */
/*
 * Sanitizer and valgrind glue: how ukmem tells AddressSanitizer and memcheck which of its
 * bytes a driver may touch.  Both tools see ukmem's RAM as one big mapping; these calls mark
 * red zones, freed and quarantined objects and unallocated slab space as off limits, and live
 * objects as usable, so the tool reports a bad access with the exact instruction.  The line
 * is KASAN's: a freed SLAB_TYPESAFE_BY_RCU object stays usable (RCU readers may read it), a
 * vmap'd page is usable whole, a vmalloc area up to the size asked for (docs/debugging.md).
 *
 * ASan: through its public interface (__asan_poison_memory_region, declared weak, so the calls
 * reach the runtime when ukmem or the program using it is built with -fsanitize=address, and
 * are skipped otherwise).  Memcheck: client requests (no-ops outside valgrind); each cache is a
 * mempool (VALGRIND_CREATE_MEMPOOL on the cache, MEMPOOL_ALLOC/FREE per object), so memcheck
 * names the allocation and free stacks of a block it reports.
 *
 * ukmem's own code reads and writes debug metadata (red zones, tracks, the free pointer) that
 * is marked off limits: it brackets those accesses with ukmem__annotate_open (usable) and
 * ukmem__annotate_close (off limits again).
 *
 * ukmem__annotate_active() is decided once, when the first cache is created (slub_debug.c),
 * and never changes.
 */
#ifndef UKMEM_ANNOTATE_H
#define UKMEM_ANNOTATE_H
#include <stddef.h>
#include <stdbool.h>
#include <sanitizer/asan_interface.h>
#include <valgrind/memcheck.h>

#pragma GCC visibility push(hidden)

#pragma weak __asan_poison_memory_region
#pragma weak __asan_unpoison_memory_region
#pragma weak __asan_address_is_poisoned
#pragma weak __asan_region_is_poisoned

enum { UKMEM_ANNOTATE_ASAN = 1, UKMEM_ANNOTATE_VALGRIND = 2 };
extern int ukmem__annotate_mode;	/* 0: no tool watching */

static inline bool ukmem__annotate_active(void)
{
	return __builtin_expect(ukmem__annotate_mode != 0, 0);
}

/* Make [p, p + len) usable (defined) for the code that follows. */
static inline void ukmem__annotate_open(const void *p, size_t len)
{
	if (!ukmem__annotate_active())
		return;
	if (ukmem__annotate_mode & UKMEM_ANNOTATE_ASAN)
		__asan_unpoison_memory_region(p, len);
	else
		(void)VALGRIND_MAKE_MEM_DEFINED(p, len);
}

/* Make [p, p + len) off limits. */
static inline void ukmem__annotate_close(const void *p, size_t len)
{
	if (!ukmem__annotate_active())
		return;
	if (ukmem__annotate_mode & UKMEM_ANNOTATE_ASAN)
		__asan_poison_memory_region(p, len);
	else
		(void)VALGRIND_MAKE_MEM_NOACCESS(p, len);
}

/* A fresh mapping or page block leaving ukmem's hands: usable but undefined content. */
static inline void ukmem__annotate_undefined(const void *p, size_t len)
{
	if (!ukmem__annotate_active())
		return;
	if (ukmem__annotate_mode & UKMEM_ANNOTATE_ASAN)
		__asan_unpoison_memory_region(p, len);
	else
		(void)VALGRIND_MAKE_MEM_UNDEFINED(p, len);
}

#pragma GCC visibility pop
#endif
