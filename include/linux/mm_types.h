/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm_types.h>: struct page, one per physical frame, kept out of band (never inside the
 * simulated RAM).  64 bytes, as in the kernel.  The union is owned by whoever owns the page:
 * the buddy allocator (lru, private = order), a compound page's tail (compound_head with
 * bit 0 set, overlaying lru.next), the slab allocator (its struct slab overlays the page), or
 * the page's user (lru, mapping, index, private are free for a driver, as in the kernel).
 * A struct page that was never used is all zeroes.
 */
#ifndef _UKMEM_LINUX_MM_TYPES_H
#define _UKMEM_LINUX_MM_TYPES_H
#include <linux/types.h>
#include <linux/build_bug.h>

struct address_space;

struct page {
	unsigned long flags;		/* PG_* bits (the top byte is the allocator's) */
	union {
		struct {
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
		};
		struct {			/* tail pages of a compound page */
			unsigned long compound_head;	/* head page address | 1 */
			unsigned char compound_dtor;
			unsigned char compound_order;	/* in the first tail page */
			atomic_t compound_mapcount;
			atomic_t compound_pincount;
		};
		unsigned long ukmem_owner_area[5];	/* a subsystem's overlay (struct slab) */
	};
	union {
		atomic_t _mapcount;
		unsigned int page_type;
	};
	atomic_t _refcount;
	unsigned long ukmem_reserved;	/* ukmem's: the caller of a driver's alloc_pages (kmemleak) */
};
_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes");

enum pageflags {
	PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_active, PG_workingset,
	PG_waiters, PG_error, PG_slab, PG_owner_priv_1, PG_arch_1, PG_reserved, PG_private,
	PG_private_2, PG_writeback, PG_head, PG_mappedtodisk, PG_reclaim, PG_swapbacked,
	PG_unevictable, PG_mlocked, PG_uncached, PG_hwpoison, PG_young, PG_idle, PG_arch_2,
	__NR_PAGEFLAGS,
};
/* Page protections (x86-64 bits): present, writable and NX are honoured (PAGE_KERNEL_RO
 * faults on write, PAGE_KERNEL_EXEC is executable); the cache modes are accepted. */
#ifndef _UKMEM_PGPROT_T
#define _UKMEM_PGPROT_T
typedef struct { unsigned long pgprot; } pgprot_t;
#define __pgprot(x)		((pgprot_t){ (x) })
#define pgprot_val(x)		((x).pgprot)
#define _PAGE_PRESENT		0x001UL
#define _PAGE_RW		0x002UL
#define _PAGE_USER		0x004UL
#define _PAGE_PWT		0x008UL
#define _PAGE_PCD		0x010UL
#define _PAGE_ACCESSED		0x020UL
#define _PAGE_DIRTY		0x040UL
#define _PAGE_GLOBAL		0x100UL
#define _PAGE_NX		(1UL << 63)
#define PAGE_NONE		__pgprot(_PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL		__pgprot(0x8000000000000063UL)
#define PAGE_KERNEL_RO		__pgprot(0x8000000000000061UL)
#define PAGE_KERNEL_EXEC	__pgprot(0x0000000000000063UL)
#define PAGE_KERNEL_ROX		__pgprot(0x0000000000000061UL)
#define pgprot_noncached(p)	__pgprot(pgprot_val(p) | _PAGE_PCD)
#define pgprot_writecombine(p)	__pgprot(pgprot_val(p) | _PAGE_PWT)
#endif

/* A user mapping, as remap_vmalloc_range() and mmap handlers see it: here a range of the
 * process's own address space that the caller owns (vm_start..vm_end). */
#ifndef _UKMEM_VM_AREA_STRUCT
#define _UKMEM_VM_AREA_STRUCT
struct mm_struct;
struct file;
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_DONTDUMP	0x04000000UL
struct vm_area_struct {
	unsigned long vm_start, vm_end;
	struct vm_area_struct *vm_next, *vm_prev;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
	const void *vm_ops;
	void *vm_private_data;
};
#endif
#endif
