/* SPDX-License-Identifier: MIT */
/*
 * <linux/vmalloc.h>: virtually contiguous memory, as Linux 6.1 declares it.  vmalloc memory
 * is made of page-allocator pages (physically scattered in general) mapped into ukmem's
 * vmalloc window; each page is also reachable through the direct map
 * (page_address(vmalloc_to_page(p)) aliases p).  Every area is followed by an inaccessible
 * guard page, and a freed area is made inaccessible at once: stray accesses fault and are
 * reported.  Page protections are honoured (read-only, executable).
 */
#ifndef _UKMEM_LINUX_VMALLOC_H
#define _UKMEM_LINUX_VMALLOC_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/overflow.h>

struct notifier_block;

/* vm_struct.flags (the kernel's values). */
#define VM_IOREMAP		0x00000001	/* ioremap() and friends */
#define VM_ALLOC		0x00000002	/* vmalloc() */
#define VM_MAP			0x00000004	/* vmap()ed pages */
#define VM_USERMAP		0x00000008	/* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT		0x00000010	/* dma_alloc_coherent */
#define VM_UNINITIALIZED	0x00000020	/* not fully set up yet */
#define VM_NO_GUARD		0x00000040	/* no guard page after the area */
#define VM_KASAN		0x00000080
#define VM_FLUSH_RESET_PERMS	0x00000100
#define VM_MAP_PUT_PAGES	0x00000200	/* vfree() puts the pages and frees the array */
#define VM_ALLOW_HUGE_VMAP	0x00000400
#define VM_DEFER_KMEMLEAK	0

/* The largest vm_map_ram() that the kernel serves from per-CPU blocks, in pages. */
#define VMAP_MAX_ALLOC		(8 * (int)sizeof(long))

/* pgprot_t, PAGE_KERNEL* and struct vm_area_struct come from <linux/mm_types.h>. */

/* One area of the vmalloc window (the kernel's layout). size includes the guard page. */
struct vm_struct {
	struct vm_struct	*next;
	void			*addr;
	unsigned long		size;
	unsigned long		flags;
	struct page		**pages;
	unsigned int		nr_pages;
	phys_addr_t		phys_addr;
	const void		*caller;
};

/* The window (fixed when ukmem starts). */
extern unsigned long __ukmem_vmalloc_start, __ukmem_vmalloc_end;
/* Set at start-up (0 before it: __vmalloc_node_range takes 0 as "the whole space"); read
 * atomically, as a first call may race with a start-up on another thread. */
#define VMALLOC_START		__atomic_load_n(&__ukmem_vmalloc_start, __ATOMIC_RELAXED)
#define VMALLOC_END		__atomic_load_n(&__ukmem_vmalloc_end, __ATOMIC_RELAXED)
#define VMALLOC_TOTAL		(VMALLOC_END - VMALLOC_START)

void *vmalloc(unsigned long size) __alloc_size(1);
void *vzalloc(unsigned long size) __alloc_size(1);
void *vmalloc_user(unsigned long size) __alloc_size(1);
void *vmalloc_node(unsigned long size, int node) __alloc_size(1);
void *vzalloc_node(unsigned long size, int node) __alloc_size(1);
void *vmalloc_32(unsigned long size) __alloc_size(1);
void *vmalloc_32_user(unsigned long size) __alloc_size(1);
void *__vmalloc(unsigned long size, gfp_t gfp_mask) __alloc_size(1);
void *__vmalloc_node_range(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp_mask, pgprot_t prot,
			   unsigned long vm_flags, int node, const void *caller) __alloc_size(1);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller) __alloc_size(1);
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask) __alloc_size(1);
void *vmalloc_array(size_t n, size_t size) __alloc_size(1, 2);
void *__vmalloc_array(size_t n, size_t size, gfp_t flags) __alloc_size(1, 2);
void *vcalloc(size_t n, size_t size) __alloc_size(1, 2);
void *__vcalloc(size_t n, size_t size, gfp_t flags) __alloc_size(1, 2);

void vfree(const void *addr);
void vfree_atomic(const void *addr);

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);
void *vm_map_ram(struct page **pages, unsigned int count, int node);
void vm_unmap_ram(const void *mem, unsigned int count);
void vm_unmap_aliases(void);

struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
bool is_vmalloc_or_module_addr(const void *x);
/* is_vmalloc_addr() is declared in <linux/mm.h>. */
unsigned long vmalloc_nr_pages(void);

/* Areas without pages, for code that maps something else there (ioremap). */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags);
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller);
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       const void *caller);
struct vm_struct *find_vm_area(const void *addr);
void free_vm_area(struct vm_struct *area);

struct vm_struct *remove_vm_area(const void *addr);
void vunmap_range(unsigned long addr, unsigned long end);
void *vmap_pfn(unsigned long *pfns, unsigned int count, pgprot_t prot);
long vread(char *buf, char *addr, unsigned long count);
bool vmalloc_dump_obj(void *object);
int remap_vmalloc_range_partial(struct vm_area_struct *vma, unsigned long uaddr,
				void *kaddr, unsigned long pgoff, unsigned long size);
int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff);
int register_vmap_purge_notifier(struct notifier_block *nb);
int unregister_vmap_purge_notifier(struct notifier_block *nb);

/* No huge vmalloc mappings here: every area is mapped with base pages. */
static inline bool is_vm_area_hugepages(const void *addr)
{
	(void)addr;
	return false;
}

/* The kernel resets the direct map's permissions of such an area's pages at vfree; here
 * the direct map keeps its own permissions, so only the flag is recorded. */
static inline void set_vm_flush_reset_perms(void *addr)
{
	struct vm_struct *vm = find_vm_area(addr);

	if (vm)
		vm->flags |= VM_FLUSH_RESET_PERMS;
}

/* The usable size of an area: its size less the guard page. */
static inline size_t get_vm_area_size(const struct vm_struct *area)
{
	return (area->flags & VM_NO_GUARD) ? area->size : area->size - PAGE_SIZE;
}
#endif
