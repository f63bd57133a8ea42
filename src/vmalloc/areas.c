/* SPDX-License-Identifier: MIT */
/*
 * The rest of <linux/vmalloc.h>: taking an area apart (remove_vm_area, vunmap_range),
 * reading the window (vread), describing an object (vmalloc_dump_obj), mapping an area to
 * "user space" (remap_vmalloc_range*: here a range of the process that the caller owns),
 * vmap_pfn, and the vmap purge notifiers.
 *
 * Invariants: only LIVE areas are read or remapped; vread copies through the direct map, so
 * it never faults, whatever the area's protection.  remove_vm_area() hands the caller the
 * area's own kmalloc'd descriptor (callers kfree it, as in 6.1); the area, on its way out,
 * keeps a copy.
 * Locking: vmap.lock for lookups and copies (see vmalloc.h); the notifier list has its own
 * rwlock, held for reading while the notifiers run (they may sleep and free areas).
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "core/core.h"
#include "debug/fault.h"
#include "debug/kmemleak.h"
#include "mm/mm.h"
#include "platform/platform.h"
#include "vmalloc/vmalloc.h"

#define V ukmem__vmalloc

/* The descriptor of a claimed area becomes the caller's: the area keeps a copy for its
 * own teardown, which unmaps it and gives its span back, leaving its pages allocated.  With
 * @page_array (remove_vm_area of a vmalloc area), vm->pages is a kvmalloc'd copy of the
 * page array, the caller's with the pages, as 6.1's is. */
static struct vm_struct *hand_over(struct ukmem__vmap_area *va, bool page_array)
{
	struct vm_struct *vm = va->vm;
	struct page **pages = NULL;
	bool own = va->kind == UKMEM_VA_VMALLOC, covered;

	if (own && page_array)		/* its pages are the caller's now, not a vmalloc */
		ukmem__leak_untrack(vm->addr, UKMEM_LEAK_VMALLOC);
	if (own && page_array && va->nr_pages) {
		/* 6.1 hands over the array it made with the area: nothing to fail here */
		covered = ukmem__debug_cover_begin();
		pages = ukmem__vmalloc_kvzalloc_quiet(array_size(va->nr_pages, sizeof(*pages)),
						      GFP_KERNEL);
		ukmem__debug_cover_end(covered);
		if (pages)
			memcpy(pages, va->pages, va->nr_pages * sizeof(*pages));
		else	/* nobody could free them: keep them reachable by freeing here */
			pr_warn("remove_vm_area: no memory for the page array of %px: its pages "
				"are freed\n", vm->addr);
	}
	va->vm_kept = *vm;
	va->vm = &va->vm_kept;
	ukmem__vmalloc_teardown(va, own && page_array && !pages);	/* va is gone after this */
	for (unsigned int i = 0; pages && i < vm->nr_pages; i++)	/* no area maps them now */
		ukmem__pages_set_owner(pages[i], UKMEM_PAGES_VMALLOC, false);
	if (own)
		vm->pages = pages;
	vm->next = NULL;
	return vm;
}

/**
 * remove_vm_area - unmap an area and forget it, leaving its pages to the caller
 * @addr: an address inside the area (its start, as a rule; any address of its span, guard
 *	  page included, finds it, as 6.1's lookup does)
 *
 * Return: its vm_struct, the one get_vm_area() and find_vm_area() return (kmalloc'd: the
 * caller kfree()s it, as in 6.1; for a vmalloc area, vm->pages is a kvmalloc'd array of its
 * pages, which the caller kvfree()s with the pages), or NULL when no live area contains
 * @addr.
 */
struct vm_struct *remove_vm_area(const void *addr)
{
	struct ukmem__vmap_area *va;

	might_sleep();
	ukmem__ensure_started();
	va = ukmem__vmalloc_claim(addr, NULL, __builtin_return_address(0));
	return va ? hand_over(va, true) : NULL;
}

/**
 * free_vm_area - release an area from get_vm_area(): remove_vm_area() and kfree()
 * @area: its vm_struct (NULL does nothing)
 *
 * Whatever is mapped there is unmapped; pages are not freed (6.1's: a vmalloc area's pages
 * are lost, use vfree()).  A @area that is not the descriptor of a live area is warned about
 * and left alone (6.1 BUGs).
 */
void free_vm_area(struct vm_struct *area)
{
	struct ukmem__vmap_area *va;

	if (!area)
		return;
	might_sleep();
	ukmem__ensure_started();
	va = ukmem__vmalloc_claim(area->addr, area, __builtin_return_address(0));
	if (va)
		kfree(hand_over(va, false));
}

/**
 * vunmap_range - unmap the pages of [addr, end), keeping the area
 * @addr: @end: page-aligned, inside one live area's mapped part
 *
 * Accesses fault afterwards; the area itself stays until it is freed.  A range outside a
 * live area is reported and ignored.
 */
void vunmap_range(unsigned long addr, unsigned long end)
{
	struct ukmem__vmap_area *va;
	unsigned long first, last;
	bool ok;

	ukmem__ensure_started();
	ukmem__va_lock();
	va = ukmem__va_find_locked(addr);
	ok = va && va->state == UKMEM_VA_LIVE && PAGE_ALIGNED(addr) && PAGE_ALIGNED(end) &&
	     addr < end && end <= va->node.start + get_vm_area_size(va->vm);
	if (ok && va->pages) {		/* remembered, so that fork and lookups see the hole */
		if (!va->holes)
			va->holes = calloc(va->nr_pages / UKMEM_BPL + 1, sizeof(long));
		first = (addr - va->node.start) >> PAGE_SHIFT;
		last = min((end - va->node.start) >> PAGE_SHIFT, (unsigned long)va->nr_pages);
		if (va->holes && first < last)
			ukmem__bits_assign(va->holes, first, last - first, true);
	}
	ukmem__va_unlock();
	if (WARN(!ok, "vunmap_range: [%lx, %lx) is not inside a live vmalloc area\n", addr, end))
		return;
	if (ukmem__os_revoke((void *)addr, end - addr))
		pr_warn("vunmap_range: the host refused to unmap [%lx, %lx)\n", addr, end);
}

/**
 * vmap_pfn - map raw frame numbers (memory without struct page) into the window
 * @pfns: @count: the frames
 * @prot: the protection
 *
 * As in the kernel, a frame that has a struct page is refused with a warning (use vmap()).
 * Memory without struct page is device memory here, which only ioremap() can map (its
 * accesses go to the emulated device): such frames are refused with a message.
 *
 * Return: the address, or NULL.
 */
void *vmap_pfn(unsigned long *pfns, unsigned int count, pgprot_t prot)
{
	ukmem__ensure_started();
	for (unsigned int i = 0; i < count; i++)
		if (WARN_ON_ONCE(pfn_valid(pfns[i])))
			return NULL;
	if (count)
		pr_warn("vmap_pfn: frame %#lx is not memory: map device memory with ioremap()\n",
			pfns[0]);
	return NULL;
}

struct vread_ctx {
	char *buf;
	unsigned long addr, end;
	unsigned long filled;		/* buf holds [addr, filled) */
};

/* Zeroes buf's bytes for [c->filled, upto): a hole (guard pages, free space, ioremap). */
static void vread_zero(struct vread_ctx *c, unsigned long upto)
{
	if (upto > c->filled) {
		memset(c->buf + (c->filled - c->addr), 0, upto - c->filled);
		c->filled = upto;
	}
}

/* Areas come in address order: the bytes before this one are a hole. */
static void vread_one(struct ukmem__vmap_area *va, void *arg)
{
	struct vread_ctx *c = arg;
	unsigned long from, to;

	if (va->state != UKMEM_VA_LIVE || va->kind == UKMEM_VA_MAP_RAM ||
	    (va->vm->flags & VM_UNINITIALIZED))
		return;
	from = max(c->addr, va->node.start);
	to = min(c->end, va->node.start + get_vm_area_size(va->vm));
	if (from >= to)
		return;
	vread_zero(c, from);
	if (!va->pages || (va->vm->flags & VM_IOREMAP)) {
		vread_zero(c, to);	/* ioremap: a hole, as in the kernel */
		return;
	}
	while (from < to) {
		unsigned long idx = (from - va->node.start) >> PAGE_SHIFT;
		unsigned long off = offset_in_page(from);
		unsigned long n = min(to - from, PAGE_SIZE - off);

		if (idx < va->nr_pages && !ukmem__va_hole(va, idx))
			memcpy(c->buf + (from - c->addr),
			       (char *)page_address(va->pages[idx]) + off, n);
		else
			memset(c->buf + (from - c->addr), 0, n);
		from += n;
	}
	c->filled = to;
}

/**
 * vread - read the vmalloc window into a buffer
 * @buf: destination
 * @addr: where to read from
 * @count: bytes
 *
 * Bytes of live vmalloc and vmap areas are copied (through the direct map: a read-only or
 * freed-meanwhile mapping never faults); everything else (guard pages, free space, ioremap
 * areas) reads as zero.
 *
 * Return: @count (clamped so that @addr + @count does not wrap) when the range touches an
 * area, 0 when it touches none (and @buf is not written).
 */
long vread(char *buf, char *addr, unsigned long count)
{
	struct vread_ctx c = { .buf = buf, .addr = (unsigned long)addr };

	ukmem__ensure_started();
	if (c.addr + count < count)
		count = -c.addr;
	c.end = c.addr + count;
	c.filled = c.addr;
	ukmem__va_lock();
	ukmem__va_for_each_locked(vread_one, &c);
	ukmem__va_unlock();
	if (c.filled == c.addr)
		return 0;		/* no area: the buffer is left alone, as 6.1 leaves it */
	vread_zero(&c, c.end);
	return count;
}

/**
 * vmalloc_dump_obj - describe the vmalloc area an object is in (mem_dump_obj())
 * @object: an address
 *
 * Prints " N-page vmalloc region starting at 0x... allocated at CALLER" as a continuation
 * line.  As in the kernel, the address is first rounded up to a page.
 *
 * Return: true if it was in a live area.
 */
bool vmalloc_dump_obj(void *object)
{
	void *objp = (void *)PAGE_ALIGN((unsigned long)object);
	struct vm_struct *vm = find_vm_area(objp);

	if (!vm)
		return false;
	pr_cont(" %u-page vmalloc region starting at %#lx allocated at %pS\n", vm->nr_pages,
		(unsigned long)vm->addr, vm->caller);
	return true;
}

/**
 * remap_vmalloc_range_partial - map part of a VM_USERMAP (or VM_DMA_COHERENT, as 6.1)
 *				 area at a "user" address
 * @vma: the user mapping (vm_start..vm_end: a range of this process the caller owns, e.g.
 *	 from mmap(); its contents are replaced)
 * @uaddr: where in @vma
 * @kaddr: where in the area (page-aligned)
 * @pgoff: pages into the area after @kaddr
 * @size: bytes (rounded up to pages)
 *
 * The pages are then shared: a write through either address is seen through the other.
 * The mapping follows vm_page_prot (read-only without _PAGE_RW).
 *
 * Return: 0; -EINVAL when the area is neither VM_USERMAP nor VM_DMA_COHERENT, or the range is not inside the area
 * or the vma; or the host's error.
 */
int remap_vmalloc_range_partial(struct vm_area_struct *vma, unsigned long uaddr,
				void *kaddr, unsigned long pgoff, unsigned long size)
{
	struct ukmem__vmap_area *va;
	unsigned long start, end, off;
	unsigned char prot;
	unsigned int n, first, mapped;
	struct page **pages = NULL;
	int err;

	ukmem__ensure_started();
	size = PAGE_ALIGN(size);
	if (!PAGE_ALIGNED(uaddr) || !PAGE_ALIGNED(kaddr) ||
	    pgoff > (ULONG_MAX >> PAGE_SHIFT) || (off = pgoff << PAGE_SHIFT, false) ||
	    check_add_overflow((unsigned long)kaddr, off, &start) ||
	    check_add_overflow(start, size, &end) || uaddr < vma->vm_start ||
	    uaddr + size > vma->vm_end || uaddr + size < uaddr || !size)
		return -EINVAL;
	prot = ukmem__vmalloc_prot(vma->vm_page_prot);
	n = size >> PAGE_SHIFT;
	ukmem__va_lock();
	va = ukmem__va_find_locked(start);
	err = -EINVAL;
	if (va && va->state == UKMEM_VA_LIVE && (va->vm->flags & (VM_USERMAP | VM_DMA_COHERENT)) &&
	    va->pages &&
	    end <= va->node.start + ((unsigned long)va->nr_pages << PAGE_SHIFT)) {
		first = (start - va->node.start) >> PAGE_SHIFT;
		pages = malloc(n * sizeof(*pages));
		if (pages)
			memcpy(pages, va->pages + first, n * sizeof(*pages));
		err = pages ? 0 : -ENOMEM;
		if (pages && va->kind == UKMEM_VA_VMALLOC)
			va->user_mapped = true;	/* its pages outlive it (teardown) */
	}
	ukmem__va_unlock();
	if (err)
		return err;
	err = ukmem__vmalloc_map_pages(uaddr, pages, n, prot, &mapped);
	free(pages);
	if (!err)
		vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	return err;
}

/**
 * remap_vmalloc_range - map a whole VM_USERMAP area (from @pgoff pages in) at vma->vm_start
 */
int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff)
{
	return remap_vmalloc_range_partial(vma, vma->vm_start, addr, pgoff,
					   vma->vm_end - vma->vm_start);
}

/* ---- purge notifiers ---- */

/**
 * register_vmap_purge_notifier - be asked to free vmap areas when the window is full
 * @nb: its notifier_call(nb, 0, unsigned long *freed) adds what it freed to *freed
 *
 * Return: 0, or -EEXIST (with a warning) when @nb is registered already.
 */
int register_vmap_purge_notifier(struct notifier_block *nb)
{
	struct notifier_block **p;
	bool twice = false;

	ukmem__ensure_started();
	pthread_rwlock_wrlock(&V.purge_nb_lock);
	for (struct notifier_block *n = V.purge_nb; n; n = n->next)
		twice |= n == nb;
	for (p = &V.purge_nb; !twice && *p && (*p)->priority >= nb->priority; p = &(*p)->next)
		;
	if (!twice) {
		nb->next = *p;
		*p = nb;
	}
	pthread_rwlock_unlock(&V.purge_nb_lock);
	/* 6.1's notifier_chain_register: the list is left as it was (linking the block in
	 * again made it a cycle, and the next purge never returned) */
	if (WARN(twice, "notifier callback %ps already registered", nb->notifier_call))
		return -EEXIST;
	return 0;
}

/**
 * unregister_vmap_purge_notifier - undo register_vmap_purge_notifier()
 *
 * Return: 0, or -ENOENT when @nb is not registered.
 */
int unregister_vmap_purge_notifier(struct notifier_block *nb)
{
	struct notifier_block **p;
	int err = -ENOENT;

	pthread_rwlock_wrlock(&V.purge_nb_lock);
	for (p = &V.purge_nb; *p; p = &(*p)->next) {
		if (*p == nb) {
			*p = nb->next;
			err = 0;
			break;
		}
	}
	pthread_rwlock_unlock(&V.purge_nb_lock);
	return err;
}

/**
 * ukmem__vmalloc_purge_notify - run the purge notifiers (the window had no room)
 */
bool ukmem__vmalloc_purge_notify(void)
{
	unsigned long freed = 0;

	if (!__atomic_load_n(&V.purge_nb, __ATOMIC_RELAXED))
		return false;
	pthread_rwlock_rdlock(&V.purge_nb_lock);
	for (struct notifier_block *nb = V.purge_nb; nb; nb = nb->next)
		if (nb->notifier_call(nb, 0, &freed) & NOTIFY_STOP_MASK)
			break;
	pthread_rwlock_unlock(&V.purge_nb_lock);
	return freed > 0;
}
