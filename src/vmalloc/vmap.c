/* SPDX-License-Identifier: MIT */
/*
 * Mapping pages the caller owns (vmap, vm_map_ram), areas without pages for other
 * subsystems (get_vm_area, used by ioremap), and lookups (find_vm_area, vmalloc_to_page,
 * is_vmalloc_addr).
 *
 * Invariants: a vmap()/vm_map_ram() area keeps its own copy of the page pointers (va->pages)
 * so that fork can map them again and vmalloc_to_page can answer; vm.pages is set only for
 * VM_MAP_PUT_PAGES, as in the kernel.  Lookups answer only for LIVE areas.
 * Locking: see vmalloc.h; lookups hold the lock for the tree walk only.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "vmalloc/vmalloc.h"
#include "debug/annotate.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"

#define V ukmem__vmalloc
#define IOREMAP_MAX_ORDER	30	/* x86-64: PUD_SHIFT */

/**
 * is_vmalloc_addr - is x inside the vmalloc window?
 */
bool is_vmalloc_addr(const void *x)
{
	unsigned long addr = (unsigned long)x;

	return addr - __ukmem_vmalloc_start < __ukmem_vmalloc_end - __ukmem_vmalloc_start;
}

/**
 * is_vmalloc_or_module_addr - the vmalloc window (modules live in ordinary memory here)
 */
bool is_vmalloc_or_module_addr(const void *x)
{
	return is_vmalloc_addr(x);
}

/**
 * vmalloc_nr_pages - pages in live vmalloc areas (/proc/meminfo's VmallocUsed)
 */
unsigned long vmalloc_nr_pages(void)
{
	long n = ukmem__stat(UKMEM_STAT_VMALLOC_PAGES);

	return n > 0 ? (unsigned long)n : 0;
}

static struct ukmem__vmap_area *live_area_locked(const void *addr)
{
	struct ukmem__vmap_area *va = ukmem__va_find_locked((unsigned long)addr);

	return va && va->state == UKMEM_VA_LIVE ? va : NULL;
}

/**
 * vmalloc_to_page - the page mapped at a vmalloc address
 * @addr: any address inside a live vmalloc/vmap area
 *
 * Return: the struct page, or NULL when nothing from RAM is mapped there (a guard page, a
 * freed area, an ioremap area, an address outside the window).
 */
struct page *vmalloc_to_page(const void *addr)
{
	struct ukmem__vmap_area *va;
	struct page *page = NULL;
	unsigned long idx;

	if (!is_vmalloc_addr(addr))
		return NULL;
	ukmem__va_lock();
	va = live_area_locked(addr);
	if (va && va->pages) {
		idx = ((unsigned long)addr - va->node.start) >> PAGE_SHIFT;
		if (idx < va->nr_pages && !ukmem__va_hole(va, idx))
			page = va->pages[idx];
	}
	ukmem__va_unlock();
	return page;
}

/**
 * vmalloc_to_pfn - the frame number mapped at a vmalloc address (0 if none)
 *
 * For an ioremap area, the device frame behind the address (which has no struct page), as
 * the kernel's page-table walk finds it.
 */
unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);
	struct vm_struct *vm;
	unsigned long off;

	if (page)
		return page_to_pfn(page);
	vm = find_vm_area(addr);
	if (!vm || !(vm->flags & VM_IOREMAP) || !vm->phys_addr)
		return 0;
	off = (unsigned long)addr - (unsigned long)vm->addr;
	return off < get_vm_area_size(vm) ? (vm->phys_addr + off) >> PAGE_SHIFT : 0;
}

/**
 * find_vm_area - the area containing addr
 *
 * Return: its vm_struct, or NULL (no live area there, or a vm_map_ram() area).
 */
struct vm_struct *find_vm_area(const void *addr)
{
	struct ukmem__vmap_area *va;

	if (!is_vmalloc_addr(addr))
		return NULL;
	ukmem__va_lock();
	va = live_area_locked(addr);
	ukmem__va_unlock();
	return va && va->kind != UKMEM_VA_MAP_RAM ? va->vm : NULL;
}

/* ---- areas without pages ---- */

/* @point: the area is a fault-injection point of its own (6.1's kzalloc_node of the
 * vm_struct: failslab, the area's size as vmalloc's point); an ioremap's stands for it. */
static struct ukmem__vmap_area *get_area(unsigned int kind, unsigned long size,
					 unsigned long align, unsigned long flags,
					 const void *caller, unsigned int state, unsigned long lo,
					 unsigned long hi, bool point)
{
	unsigned long guard = (flags & VM_NO_GUARD) ? 0 : PAGE_SIZE, asked = size;
	struct ukmem__vmap_area *va;

	BUG_ON(in_interrupt());		/* 6.1's __get_vm_area_node */
	ukmem__ensure_started();
	size = PAGE_ALIGN(size);
	if (!size || size + guard < size || (align & (align - 1)))
		return NULL;
	if (point && ukmem__debug_hooked() &&
	    ukmem__should_fail(UKMEM_FAULT_VMALLOC, GFP_KERNEL, size))
		return NULL;
	align = max(align, PAGE_SIZE);
	va = ukmem__va_new(kind, flags, caller, GFP_KERNEL);
	if (!va)
		return NULL;
	va->state = state;
	if (!hi) {		/* anywhere in the window */
		lo = 0;
		hi = ULONG_MAX;
	}
	/* 6.1's __get_vm_area_node asks with GFP_KERNEL: the failure line is printed */
	if (ukmem__vmalloc_reserve(va, size + guard, align, lo, hi, GFP_KERNEL)) {
		ukmem__va_destroy(va);
		return NULL;
	}
	/* KASAN unpoisons the size asked for: whole pages for vmap and vm_map_ram, what the
	 * caller gave for get_vm_area (ioremap gives whole pages) */
	if (unlikely(ukmem__annotate_active()))
		ukmem__vmalloc_annotate(va->vm->addr, asked, size, true);
	return va;
}

/* An area a fail sweep's run mapped (vmap, vm_map_ram) or reserved (get_vm_area) and kept
 * is the run's leak: kmemleak gets a record, which teardown drops.  Only there: 6.1's
 * kmemleak never reports these areas (their vmap_area holds the vm_struct), nor does the
 * exit report. */
static void sweep_track(struct ukmem__vmap_area *va, unsigned long size)
{
	if (likely(!ukmem__debug_tls.sweeping))
		return;
	va->sweep_tracked = true;
	ukmem__leak_track(va->vm->addr, size, UKMEM_LEAK_VMALLOC, (unsigned long)va->vm->caller);
}

/**
 * ukmem__get_vm_area - reserve a span of the window for the caller to map
 * @size: bytes (rounded up to pages); a guard page follows unless VM_NO_GUARD
 * @align: alignment of the start (a power of two; less than a page means a page)
 */
struct vm_struct *ukmem__get_vm_area(unsigned long size, unsigned long align,
				     unsigned long flags, const void *caller)
{
	struct ukmem__vmap_area *va;

	va = get_area(UKMEM_VA_OTHER, size, align, flags, caller, UKMEM_VA_LIVE, 0, 0, true);
	if (!va)
		return NULL;
	sweep_track(va, PAGE_ALIGN(size));
	return va->vm;
}

/**
 * ukmem__get_vm_area_range - ukmem__get_vm_area() with the span inside [start, end)
 */
struct vm_struct *ukmem__get_vm_area_range(unsigned long size, unsigned long align,
					   unsigned long flags, unsigned long start,
					   unsigned long end, const void *caller)
{
	struct ukmem__vmap_area *va;

	ukmem__ensure_started();
	start = max(start, V.start);
	end = min(end, V.end);
	if (start >= end)
		return NULL;
	va = get_area(UKMEM_VA_OTHER, size, align, flags, caller, UKMEM_VA_LIVE, start, end,
		      true);
	if (!va)
		return NULL;
	sweep_track(va, PAGE_ALIGN(size));
	return va->vm;
}

static unsigned long get_vm_area_align(unsigned long size, unsigned long flags)
{
	if (flags & VM_IOREMAP) {
		int order = size > 1 ? ilog2(size - 1) + 1 : 0;

		return 1UL << clamp(order, PAGE_SHIFT, IOREMAP_MAX_ORDER);
	}
	return PAGE_SIZE;
}

/**
 * ukmem__get_vm_area_owned - an area of [start, end) (0, 0: anywhere) that only its owner
 *                            releases, with ukmem__free_vm_area_owned()
 * @release: the owner's release call, named by the warning a vfree() of the area gets
 *
 * It is set up before anyone can claim it: no free can come between.
 */
struct vm_struct *ukmem__get_vm_area_owned(unsigned long size, unsigned long flags,
					   unsigned long start, unsigned long end,
					   const char *release, const void *caller)
{
	struct ukmem__vmap_area *va;

	might_sleep();
	ukmem__ensure_started();
	if (!end) {
		start = V.start;
		end = V.end;
	}
	start = max(start, V.start);
	end = min(end, V.end);
	if (start >= end)
		return NULL;
	va = get_area(UKMEM_VA_OTHER, size, get_vm_area_align(size, flags), flags, caller,
		      UKMEM_VA_SETUP, start, end, false);
	if (!va)
		return NULL;
	ukmem__va_lock();
	va->owner_release = release;
	va->state = UKMEM_VA_LIVE;
	ukmem__va_unlock();
	return va->vm;
}

/**
 * get_vm_area_caller - reserve a span of the vmalloc window, nothing mapped
 * @size: bytes (rounded up to pages)
 * @flags: VM_* flags (VM_IOREMAP aligns to the size, up to 1 GiB, as on x86-64)
 * @caller: recorded for /proc/vmallocinfo
 *
 * Release with free_vm_area() or vunmap().
 */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller)
{
	might_sleep();
	return ukmem__get_vm_area(size, get_vm_area_align(size, flags), flags, caller);
}

/**
 * get_vm_area - get_vm_area_caller() recording the caller
 */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags)
{
	might_sleep();
	return ukmem__get_vm_area(size, get_vm_area_align(size, flags), flags,
				  __builtin_return_address(0));
}

/**
 * __get_vm_area_caller - get_vm_area_caller() with the area inside [start, end)
 * @start: lowest address of the area (clamped to the window)
 * @end: the area ends at or below it (clamped to the window)
 */
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       const void *caller)
{
	might_sleep();
	return ukmem__get_vm_area_range(size, get_vm_area_align(size, flags), flags, start, end,
					caller);
}

/* ---- vmap ---- */

/* Every page must be a struct page of RAM: a bad array is reported, never mapped. */
static bool pages_valid(struct page **pages, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		struct page *p = pages[i];
		unsigned long pfn = (unsigned long)(p - mem_map);

		if (!p || p < mem_map || pfn >= max_pfn ||
		    ((unsigned long)p - (unsigned long)mem_map) % sizeof(*p) ||
		    !ukmem__pfn_is_ram(pfn)) {
			WARN(1, "vmap: pages[%u] = %px is not a page of RAM\n", i, p);
			return false;
		}
	}
	return true;
}

static void *map_caller_pages(struct page **pages, unsigned int count, unsigned long flags,
			      unsigned int kind, unsigned char prot, const void *caller)
{
	unsigned long size = (unsigned long)count << PAGE_SHIFT;
	struct ukmem__vmap_area *va;
	struct page **copy;
	unsigned int done;
	int err;

	if (!count || count > totalram_pages() || !pages_valid(pages, count))
		return NULL;
	copy = malloc(count * sizeof(*pages));
	va = copy ? get_area(kind, size, PAGE_SIZE, flags, caller, UKMEM_VA_SETUP, 0, 0, true) :
		    NULL;
	if (!va) {
		free(copy);
		return NULL;
	}
	memcpy(copy, pages, count * sizeof(*pages));
	va->prot = prot;
	va->pages = copy;
	va->nr_pages = count;
	err = ukmem__vmalloc_map_area(va, pages, count, ukmem__mm.fd, &done);
	if (err) {
		pr_warn("vmap: cannot map %u pages (error %d)%s\n", count, err,
			err == -ENOMEM ? ": the host's vm.max_map_count was reached" : "");
		va->nr_pages = done;		/* unmap exactly what was mapped */
		va->guard_mapped = false;
		ukmem__vmalloc_teardown(va, false);
		return NULL;
	}
	sweep_track(va, size);
	ukmem__va_lock();
	if (flags & VM_MAP_PUT_PAGES) {
		va->vm->pages = pages;
		va->vm->nr_pages = count;
	}
	va->state = UKMEM_VA_LIVE;
	ukmem__va_unlock();
	ukmem__os_fault_thread();
	return va->vm->addr;
}

/**
 * vmap - map an array of pages into virtually contiguous space
 * @pages: the pages (each must be a page of RAM)
 * @count: how many
 * @flags: VM_* flags for the area (VM_MAP; VM_MAP_PUT_PAGES hands the pages and the array,
 *	   which must be kvmalloc memory, to vfree())
 * @prot: the protection: PAGE_KERNEL_RO mappings fault on write (reported like any bad
 *	  access), PAGE_KERNEL_EXEC ones are executable
 *
 * Return: the address of the area, or NULL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	might_sleep();
	ukmem__ensure_started();
	if (WARN_ON_ONCE(flags & VM_FLUSH_RESET_PERMS) || WARN_ON_ONCE(flags & VM_NO_GUARD))
		return NULL;
	return map_caller_pages(pages, count, flags, UKMEM_VA_VMAP, ukmem__vmalloc_prot(prot),
				__builtin_return_address(0));
}

/**
 * vm_map_ram - map pages for a short time (no guard page; vmallocinfo shows "vm_map_ram")
 * @pages: the pages
 * @count: how many (0 warns and fails, as 6.1)
 * @node: ignored
 *
 * Release with vm_unmap_ram(addr, count).
 */
void *vm_map_ram(struct page **pages, unsigned int count, int node)
{
	ukmem__ensure_started();
	if (WARN_ON(!count))		/* 6.1's vb_alloc() of size 0 */
		return NULL;
	return map_caller_pages(pages, count, VM_NO_GUARD, UKMEM_VA_MAP_RAM,
				UKMEM_OS_READ | UKMEM_OS_WRITE, __builtin_return_address(0));
}

/**
 * vm_unmap_ram - unmap what vm_map_ram() mapped
 * @mem: its address
 * @count: the page count given to vm_map_ram()
 *
 * A mismatch is reported and the call ignored.
 */
void vm_unmap_ram(const void *mem, unsigned int count)
{
	struct ukmem__vmap_area *va;
	bool ok;

	ukmem__ensure_started();
	might_sleep();
	ukmem__va_lock();
	va = live_area_locked(mem);
	ok = va && va->kind == UKMEM_VA_MAP_RAM && va->node.start == (unsigned long)mem &&
	     va->nr_pages == count;
	if (ok)
		va->state = UKMEM_VA_FREEING;
	ukmem__va_unlock();
	if (WARN(!ok, "vm_unmap_ram: no vm_map_ram() area of %u pages at %px\n", count, mem))
		return;
	ukmem__vmalloc_teardown(va, false);
}
