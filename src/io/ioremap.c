/* SPDX-License-Identifier: MIT */
/*
 * The ioremap family (arch/x86/mm/ioremap.c, kernel/iomem.c): map a physical range of an
 * emulated device into the vmalloc window, unmap it, and describe faults in such mappings.
 *
 * Invariants: every mapping is an area of the vmalloc window with VM_IOREMAP, phys_addr and
 * the caller (so vmallocinfo lists it) and one struct ukmem__iomap in io.maps.  The area is
 * owned (ukmem__get_vm_area_owned): a vfree(), vunmap() or free_vm_area() of it is refused
 * with a warning, so only iounmap() takes it down and io.maps never names a freed area.
 * A device-managed mapping (devm_ioremap, devm_memremap) names its device: only that
 * device's devres entry takes it down, and a plain iounmap() of it is refused with a
 * warning (else the entry would later unmap whatever mapping took the address meanwhile).
 * A mapping is fast (memory mapped, outside the slow part) only when it lies wholly inside
 * the pages of one memory-backed device, no other device shares those pages, and neither a
 * trace nor a hook asks to see the accesses.  RAM in use is never mapped by ioremap; RAM
 * that is not (the reserved first MiB, PageReserved pages: 6.1's __ioremap_check_ram lets
 * them through) is mapped from the RAM file, fast, when the mapping's pages are all RAM.
 * Locking: see io.h; ioremap and iounmap hold io.lock for writing.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "vmalloc/vmalloc.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"
#include "io/io.h"

#define IO ukmem__io

/**
 * ukmem__iomap_find_locked - the mapping whose span contains addr, or NULL
 */
struct ukmem__iomap *ukmem__iomap_find_locked(unsigned long addr)
{
	struct ukmem__iomap *m;

	list_for_each_entry(m, &IO.maps, node)
		if (addr - m->addr < m->len)
			return m;
	return NULL;
}

/* May [first, first + len) be the memory of r, mapped directly? */
static bool mem_mappable_locked(struct ukmem__mmio_region *r, phys_addr_t first,
				unsigned long len)
{
	struct ukmem__mmio_region *o;

	if (!r || r->has_ops || first < (r->base & PAGE_MASK) ||
	    first + len > PAGE_ALIGN(r->base + r->size))
		return false;
	list_for_each_entry(o, &IO.regions, node)
		if (o != r && o->base <= first + len - 1 && o->base + o->size - 1 >= first)
			return false;
	return true;
}

/* Are the pages [first, first + len) all RAM (the RAM file holds them)? */
static bool all_ram(phys_addr_t first, unsigned long len)
{
	bool mixed;

	return ukmem__phys_is_ram(first, first + len - 1, &mixed) && !mixed;
}

/* Map [first, first + len) of file fd at offset off over m's area; on failure the area goes
 * and the error is printed. */
static int map_file(struct ukmem__iomap *m, int fd, off_t off, const char *what)
{
	if (!ukmem__os_map_shared(m->vm->addr, m->len, fd, off))
		return 0;
	pr_err("ioremap: cannot map the memory of %s (the host refused a mapping)\n", what);
	ukmem__free_vm_area_owned(m->vm);
	return -ENOMEM;
}

static struct ukmem__iomap *map_locked(phys_addr_t phys, phys_addr_t last, const void *caller)
{
	phys_addr_t first = phys & PAGE_MASK;
	unsigned long len = PAGE_ALIGN(last + 1) - first;
	struct ukmem__mmio_region *r = ukmem__mmio_find_locked(phys, last);
	bool mem = mem_mappable_locked(r, first, len);
	bool ram = !r && all_ram(first, len);
	bool fast = ram || (mem && !r->hook && !ukmem__cfg.mmio_trace);
	struct ukmem__iomap *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (fast)
		m->vm = ukmem__get_vm_area_owned(len, VM_IOREMAP, 0, 0, "iounmap", caller);
	else
		m->vm = ukmem__get_vm_area_owned(len, VM_IOREMAP, __ukmem_mmio_window.start,
						 __ukmem_mmio_window.start +
						 __ukmem_mmio_window.size, "iounmap", caller);
	if (!m->vm)
		goto fail;
	m->vm->phys_addr = first;
	m->addr = (unsigned long)m->vm->addr;
	m->len = len;
	m->phys = first;
	m->caller = caller;
	if (mem && map_file(m, r->fd, (off_t)(first - (r->base & PAGE_MASK)), r->name))
		goto fail;
	if (ram && map_file(m, ukmem__mm.fd, (off_t)first, "RAM"))
		goto fail;
	m->mem = mem;
	m->ram = ram;
	if (r) {
		m->region = r;
		r->refs++;
	}
	list_add_tail(&m->node, &IO.maps);
	return m;
fail:
	free(m);
	return NULL;
}

/* 6.1's __ioremap_check_ram, over the busy System RAM resources walk_mem_res() finds:
 * does one hold a whole page of [c->phys, c->last] that is not PageReserved? */
struct ram_check {
	phys_addr_t phys, last;
	bool in_use;
};

static void check_ram_one(const struct resource *r, int depth, void *arg)
{
	const unsigned long want = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	struct ram_check *c = arg;
	unsigned long pfn, end;

	(void)depth;
	if (c->in_use || (r->flags & want) != want || r->start > c->last || r->end < c->phys)
		return;
	pfn = PFN_UP(max(r->start, c->phys));
	end = PFN_DOWN(min(r->end, c->last) + 1);
	for (; pfn < end && !c->in_use; pfn++)
		c->in_use = pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn));
}

static bool ram_in_use(phys_addr_t phys, phys_addr_t last)
{
	struct ram_check c = { .phys = phys, .last = last };

	ukmem__resource_for_each(&iomem_resource, check_ram_one, &c);
	return c.in_use;
}

static void __iomem *ioremap_caller(resource_size_t phys, unsigned long size,
				    const void *caller)
{
	phys_addr_t last = phys + size - 1;
	struct ukmem__iomap *m;

	if (!size || last < phys)
		return NULL;
	if (phys >> UKMEM_PHYS_ADDR_BITS) {	/* the kernel's phys_addr_valid() */
		printk(KERN_WARNING "ioremap: invalid physical address %llx\n",
		       (unsigned long long)phys);
		WARN_ON_ONCE(1);
		return NULL;
	}
	ukmem__ensure_started();
	if (ram_in_use(phys, last)) {
		WARN_ONCE(1, "ioremap on RAM at %pa - %pa\n", &phys, &last);
		return NULL;
	}
	if (ukmem__io_refused("ioremap", true))
		return NULL;
	/* The kernel's ioremap fails where its vm area (a kmalloc) fails: failslab. */
	if (ukmem__debug_hooked() && ukmem__should_fail(UKMEM_FAULT_IOREMAP, GFP_KERNEL, size))
		return NULL;
	pthread_rwlock_wrlock(&IO.lock);
	m = map_locked(phys, last, caller);
	pthread_rwlock_unlock(&IO.lock);
	if (!m)
		return NULL;
	ukmem__leak_track((void *)m->addr, m->len, UKMEM_LEAK_IOREMAP, (unsigned long)caller);
	if (iomem_map_sanity_check(phys, size))
		pr_warn("caller %pS mapping multiple BARs\n", caller);
	return (void __iomem *)(m->addr + (phys & ~PAGE_MASK));
}

/**
 * ioremap - map a device's physical range for register access
 * @offset: physical address (need not be page aligned: the offset is kept)
 * @size: bytes
 *
 * Return: an __iomem address in the vmalloc window, or NULL: size 0, a range that wraps,
 * an address beyond the 46-bit physical address space ("ioremap: invalid physical
 * address" and a warning), RAM in use (a whole page of System RAM that is not
 * PageReserved, with the kernel's "ioremap on RAM" warning), or no address space left.  A
 * range with no device behind it maps; it reads all ones and drops writes.  RAM the kernel
 * does not use (the reserved first MiB, PageReserved pages) maps its memory, as 6.1's.
 */
void __iomem *ioremap(resource_size_t offset, unsigned long size)
{
	return ioremap_caller(offset, size, __builtin_return_address(0));
}

/** ioremap_uc - ioremap() uncached (emulated registers have no cache) */
void __iomem *ioremap_uc(resource_size_t offset, unsigned long size)
{
	return ioremap_caller(offset, size, __builtin_return_address(0));
}

/** ioremap_wc - ioremap() write-combining */
void __iomem *ioremap_wc(resource_size_t offset, unsigned long size)
{
	return ioremap_caller(offset, size, __builtin_return_address(0));
}

/** ioremap_wt - ioremap() write-through */
void __iomem *ioremap_wt(resource_size_t offset, unsigned long size)
{
	return ioremap_caller(offset, size, __builtin_return_address(0));
}

/** ioremap_cache - ioremap() write-back */
void __iomem *ioremap_cache(resource_size_t offset, unsigned long size)
{
	return ioremap_caller(offset, size, __builtin_return_address(0));
}

/** ioremap_encrypted - ioremap() with memory encryption (there is none here) */
void __iomem *ioremap_encrypted(resource_size_t phys_addr, unsigned long size)
{
	return ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/** ioremap_prot - ioremap() with explicit page protection bits (accepted, not used) */
void __iomem *ioremap_prot(resource_size_t offset, unsigned long size, unsigned long prot_val)
{
	(void)prot_val;
	return ioremap_caller(offset, size, __builtin_return_address(0));
}

/* The iounmap of @addr by @dev's devres entry (NULL: by no device).  A device-managed
 * mapping is left to its device (warned); anything but a mapping warns "bad address". */
static void iounmap_by(volatile void __iomem *addr, const struct device *dev)
{
	unsigned long a = (unsigned long)addr & PAGE_MASK;
	struct ukmem__iomap *m;
	char owner[64];
	bool managed = false;

	if (!addr || ukmem__io_refused("iounmap", true))
		return;
	pthread_rwlock_wrlock(&IO.lock);
	m = ukmem__iomap_find_locked(a);
	if (m && m->owner && m->owner != dev) {
		/* named under the lock: the device lives while its entry holds the mapping */
		snprintf(owner, sizeof(owner), "%s", dev_name(m->owner) ?: "(unnamed)");
		managed = true;
		m = NULL;
	} else if (m) {
		list_del(&m->node);
		if (m->region)
			ukmem__mmio_put_locked(m->region);
	}
	pthread_rwlock_unlock(&IO.lock);
	if (managed) {
		WARN(1, "iounmap: %p is a device-managed mapping of %s: only devm_iounmap(), "
		     "devm_memunmap() or the release of the device's resources unmaps it; "
		     "left mapped\n", (void *)addr, owner);
		return;
	}
	if (!m) {
		WARN(1, "iounmap: bad address %p\n", (void *)addr);
		return;
	}
	might_sleep();		/* 6.1's remove_vm_area() of the area found */
	ukmem__leak_untrack((void *)m->addr, UKMEM_LEAK_IOREMAP);
	ukmem__free_vm_area_owned(m->vm);
	free(m);
}

/**
 * iounmap - undo ioremap()
 * @addr: an address inside a mapping of the ioremap family (the kernel finds the area that
 *        contains it); NULL does nothing; anything else warns "iounmap: bad address"
 *
 * May sleep: taking a mapping down in atomic context is reported (might_sleep()).  Every
 * later access through the mapping faults and is reported.  A mapping a device manages
 * (devm_ioremap, devm_memremap) is refused with a warning and left mapped: its device
 * unmaps it (6.1 unmaps it, and the device's release later unmaps the address again,
 * whatever mapping holds it by then).
 */
void iounmap(volatile void __iomem *addr)
{
	iounmap_by(addr, NULL);
}

/**
 * ukmem__iounmap_owned - iounmap() on behalf of @dev's devres entry for the mapping
 * @dev: the device (NULL: a plain iounmap)
 */
void ukmem__iounmap_owned(volatile void __iomem *addr, const struct device *dev)
{
	iounmap_by(addr, dev);
}

/**
 * ukmem__iomap_set_owner - @dev's devres entry now unmaps the mapping at @addr
 *
 * Set right after the mapping is made (nothing else knows its address yet); nothing for an
 * address that is no mapping (memremap's direct-map addresses).
 */
void ukmem__iomap_set_owner(const volatile void __iomem *addr, const struct device *dev)
{
	struct ukmem__iomap *m;

	if (!is_ioremap_addr((const void *)addr))
		return;
	pthread_rwlock_wrlock(&IO.lock);
	m = ukmem__iomap_find_locked((unsigned long)addr & PAGE_MASK);
	if (m)
		m->owner = dev;
	pthread_rwlock_unlock(&IO.lock);
}

/**
 * memremap - map memory-like device memory (or RAM) for plain CPU access
 * @offset: physical address
 * @size: bytes
 * @flags: MEMREMAP_WB, MEMREMAP_WT or MEMREMAP_WC (tried in that order)
 *
 * As 6.1's kernel/iomem.c, by what region_intersects() says of System RAM: a range that is
 * System RAM and something else (REGION_MIXED) warns "memremap attempted on mixed range"
 * and fails; System RAM (REGION_INTERSECTS: what is not RAM there may be nothing at all)
 * with MEMREMAP_WB is the direct-map address of @offset, and with other flags only warns
 * "memremap attempted on ram" and fails; anything else is ioremap()ed (the reserved first
 * MiB included: it is not System RAM).
 * Return: the address or NULL.
 */
void *memremap(resource_size_t offset, size_t size, unsigned long flags)
{
	const void *caller = __builtin_return_address(0);
	void *addr = NULL;
	int is_ram;

	if (!flags || !size || offset + size - 1 < offset)
		return NULL;
	ukmem__ensure_started();
	is_ram = region_intersects(offset, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE);
	if (is_ram == REGION_MIXED) {
		WARN_ONCE(1, "memremap attempted on mixed range %pa size: %#lx\n", &offset,
			  (unsigned long)size);
		return NULL;
	}
	if (flags & MEMREMAP_WB) {
		if (is_ram == REGION_INTERSECTS && pfn_valid(PHYS_PFN(offset)))
			return phys_to_virt(offset);	/* 6.1's try_ram_remap */
		addr = (void __force *)ioremap_caller(offset, size, caller);
	}
	if (!addr && is_ram == REGION_INTERSECTS && flags != MEMREMAP_WB) {
		WARN_ONCE(1, "memremap attempted on ram %pa size: %#lx\n", &offset,
			  (unsigned long)size);
		return NULL;
	}
	if (!addr && (flags & MEMREMAP_WT))		/* ioremap_wt */
		addr = (void __force *)ioremap_caller(offset, size, caller);
	if (!addr && (flags & MEMREMAP_WC))		/* ioremap_wc */
		addr = (void __force *)ioremap_caller(offset, size, caller);
	return addr;
}

/**
 * memunmap - undo memremap() (a direct-map address needs nothing)
 */
void memunmap(void *addr)
{
	if (is_ioremap_addr(addr))
		iounmap((volatile void __iomem *)addr);
}

/* ---- faults in ioremap mappings ---- */
static void describe_locked(const struct ukmem__iomap *m, unsigned long addr)
{
	phys_addr_t phys = m->phys + (addr - m->addr);
	struct ukmem__mmio_region *r = m->region;

	if (!r || phys < r->base || phys - r->base >= r->size)
		r = r && r->removed ? NULL : ukmem__mmio_find_locked(phys, phys);
	if (r && r->removed)
		printk(KERN_ALERT "BUG: ioremap: access to removed device %s at +0x%llx "
		       "(physical %pa)\n", r->name, (unsigned long long)(phys - r->base), &phys);
	else if (r && r->has_ops)
		printk(KERN_ALERT "The buggy address is register +0x%llx of the emulated device "
		       "%s (physical %pa): a device's registers are reached through readl(), "
		       "writel() and the other MMIO accessors, never by dereferencing the "
		       "__iomem pointer\n", (unsigned long long)(phys - r->base), r->name, &phys);
	else if (r)
		printk(KERN_ALERT "The buggy address is +0x%llx of the memory of device %s "
		       "(physical %pa)\n", (unsigned long long)(phys - r->base), r->name, &phys);
	else
		printk(KERN_ALERT "The buggy address maps physical %pa, where no device is: "
		       "use readl(), writel() and the other MMIO accessors\n", &phys);
	printk(KERN_ALERT "The buggy address belongs to the ioremap mapping at\n"
	       " [%016lx, %016lx) of physical %pa created by:\n %pS\n", m->addr,
	       m->addr + m->len, &m->phys, m->caller);
}

/**
 * ukmem__io_fault_describe - the page-fault report's description of an ioremap address
 *
 * Runs in the signal handler: only try-locks.  Returns false for addresses of no mapping.
 */
bool ukmem__io_fault_describe(const struct ukmem__fault *f)
{
	unsigned long addr = (unsigned long)f->addr;
	struct ukmem__iomap *m;

	if (!is_vmalloc_addr((void *)addr) || pthread_rwlock_tryrdlock(&IO.lock))
		return false;
	m = ukmem__iomap_find_locked(addr);
	if (m)
		describe_locked(m, addr);
	pthread_rwlock_unlock(&IO.lock);
	return m != NULL;
}
