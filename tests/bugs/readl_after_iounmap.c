/* SPDX-License-Identifier: MIT */
/* readl through a mapping already iounmap()ed: the address is unmapped, the access faults and
 * is reported as the kernel's oops of a vmalloc-space address. */
#define BUG_FIRST_LINE	"BUG: unable to handle page fault for address"
#define BUG_SIGNAL	SIGSEGV
#include <linux/io.h>
#include "bug.h"

#define BASE	0xc0000000ULL

static volatile u32 sink;

static BUG_FN void use(bool late)
{
	void __iomem *regs;

	KT_EQ(ukmem_mmio_add("bugdev", BASE, PAGE_SIZE, NULL, NULL), 0);
	regs = ioremap(BASE, PAGE_SIZE);
	KT_ASSERT(regs);
	writel(7, regs);
	if (!late)
		sink = readl(regs);
	iounmap(regs);
	if (late)
		sink = readl(regs);
	ukmem_mmio_remove(BASE);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
