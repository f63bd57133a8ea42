/* SPDX-License-Identifier: MIT */
/* iounmap twice: the second is the kernel's "iounmap: bad address" WARN and does nothing. */
#define BUG_FIRST_LINE	"iounmap: bad address"
#define BUG_SIGNAL	0
#include <linux/io.h>
#include "bug.h"

#define BASE	0xc0000000ULL

static BUG_FN void use(bool twice)
{
	void __iomem *regs;

	KT_EQ(ukmem_mmio_add("bugdev", BASE, PAGE_SIZE, NULL, NULL), 0);
	regs = ioremap(BASE, PAGE_SIZE);
	KT_ASSERT(regs);
	writel(1, regs);
	iounmap(regs);
	if (twice)
		iounmap(regs);
	ukmem_mmio_remove(BASE);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
