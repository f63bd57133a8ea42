/* SPDX-License-Identifier: MIT */
/*
 * vfree() of an ioremap() cookie (and vunmap, kvfree, free_vm_area, remove_vm_area of it):
 * each is refused with a warning naming iounmap() and the mapping stays whole, so the
 * registers still answer, a vmalloc() made meanwhile gets another address, and the later
 * iounmap() takes down the mapping and nothing else.  (Released, the area's span went back
 * to vmalloc while ioremap still listed it: its iounmap then unmapped whatever vmalloc had
 * put there and read a freed descriptor.)
 */
#define BUG_FIRST_LINE	"Trying to vfree() vm area "
#define BUG_SIGNAL	0
#include <linux/io.h>
#include "bug.h"

#define BASE	0xc0000000ULL

static BUG_FN void use(bool bad)
{
	void __iomem *regs;
	char *buf;

	KT_EQ(ukmem_mmio_add("bugdev", BASE, PAGE_SIZE, NULL, NULL), 0);
	regs = ioremap(BASE, PAGE_SIZE);
	KT_ASSERT(regs);
	if (bad) {
		vfree((void *)regs);
		vunmap((void *)regs);
		kvfree((void *)regs);
		free_vm_area(find_vm_area((void *)regs));
		KT_ASSERT(remove_vm_area((void *)regs) == NULL);
		KT_EQ(ukmem_report_count(), 5);
	}
	buf = vmalloc(PAGE_SIZE);
	KT_ASSERT(buf && (void *)buf != (void *)regs);
	writel(0x1234, regs + 8);
	KT_EQ(readl(regs + 8), 0x1234);
	iounmap(regs);
	buf[0] = 1;				/* untouched by the iounmap */
	vfree(buf);
	ukmem_mmio_remove(BASE);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
