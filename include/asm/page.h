/* SPDX-License-Identifier: MIT */
/*
 * <asm/page.h>: page size and the direct map.  Physical address 0 of the simulated RAM is
 * mapped at PAGE_OFFSET, so __pa/__va are additions, as on x86-64.  The layout values are
 * fixed when ukmem starts and never change afterwards.
 */
#ifndef _UKMEM_ASM_PAGE_H
#define _UKMEM_ASM_PAGE_H
#include <linux/types.h>
#include <linux/compiler.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
/* spelt as glibc's <sys/user.h> spells it, so that both may be included */
#define PAGE_MASK	(~(PAGE_SIZE-1))
#define PHYSICAL_PAGE_MASK	(((signed long)PAGE_MASK) & ((1ULL << 52) - 1))
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PAGE_ALIGN(addr)	(((addr) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(addr)	(((unsigned long)(addr) & (PAGE_SIZE - 1)) == 0)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

struct page;

/* Fixed at start-up: where the direct map and the page array are. Read-only afterwards. */
struct ukmem_memmap {
	unsigned long page_offset;	/* virtual address of physical address 0 */
	struct page *pages;		/* one struct page per frame, indexed by pfn */
	unsigned long nr_pfns;		/* frames [0, nr_pfns) have a struct page */
	unsigned long ready;		/* set (release) once the memory core is up */
};
extern struct ukmem_memmap __ukmem_memmap;

/* A conversion from a physical address or a frame number may be a process's first call (a
 * driver can know an address without asking ukmem), but the map is empty until start-up:
 * those conversions go through __ukmem_memmap_get(), which starts ukmem first when needed
 * (one load and a branch).  Conversions from a struct page or a direct-map address need
 * no check: having one means ukmem has started. */
const struct ukmem_memmap *__ukmem_memmap_start(void);
static inline const struct ukmem_memmap *__ukmem_memmap_get(void)
{
	return __builtin_expect(__atomic_load_n(&__ukmem_memmap.ready, __ATOMIC_ACQUIRE), 1) ?
	       &__ukmem_memmap : __ukmem_memmap_start();
}

#define PAGE_OFFSET	(__ukmem_memmap.page_offset)
#define __pa(x)		((phys_addr_t)((unsigned long)(x) - PAGE_OFFSET))
#define __va(x)		((void *)((unsigned long)(x) + __ukmem_memmap_get()->page_offset))
#define __pa_symbol(x)	__pa(x)

static inline phys_addr_t virt_to_phys(volatile void *address) { return __pa(address); }
static inline void *phys_to_virt(phys_addr_t address) { return __va(address); }

/* The order of the smallest block that holds @size bytes.  As the kernel's, a size of 0
 * gives 64 - PAGE_SHIFT (its size - 1 wraps round): an order no allocation can have, so
 * alloc_pages_exact(0, ...) warns and fails rather than handing out a page of no size. */
static inline int get_order(unsigned long size)
{
	if (!size)
		return 64 - PAGE_SHIFT;
	return size <= PAGE_SIZE ? 0 : 64 - __builtin_clzl((size - 1) >> PAGE_SHIFT);
}
#endif
