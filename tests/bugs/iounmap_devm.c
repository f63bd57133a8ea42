/* SPDX-License-Identifier: MIT */
/*
 * iounmap() of a devm_ioremap() mapping, memunmap() of a devm_memremap() one: each is
 * refused with a warning naming the device, and the mapping stays the device's, unmapped
 * when the device goes.  (Taken down at once, as the kernel does, its address went back to
 * the vmalloc window: the next ioremap() got it, and the device's release then unmapped
 * that mapping, so the next access through it faulted in code that did nothing wrong.)
 */
#define BUG_FIRST_LINE	"iounmap: "
#define BUG_SIGNAL	0
#define BUG_PROBLEMS	"2"
#include <linux/device.h>
#include <linux/io.h>
#include "bug.h"

#define BASE	0xc0000000ULL
#define BASE2	0xc0010000ULL
#define BASE3	0xc0020000ULL

static BUG_FN void use(bool wrong)
{
	struct device *dev = root_device_register("bug-iounmap-devm");
	void __iomem *regs, *other;
	void *mem;

	KT_EQ(ukmem_mmio_add("bugdev", BASE, PAGE_SIZE, NULL, NULL), 0);
	KT_EQ(ukmem_mmio_add("bugdev2", BASE2, PAGE_SIZE, NULL, NULL), 0);
	KT_EQ(ukmem_mmio_add("bugdev3", BASE3, PAGE_SIZE, NULL, NULL), 0);
	regs = devm_ioremap(dev, BASE, PAGE_SIZE);
	mem = devm_memremap(dev, BASE3, PAGE_SIZE, MEMREMAP_WB);
	KT_ASSERT(regs && !IS_ERR(mem) && is_ioremap_addr(mem));
	if (wrong) {
		iounmap(regs);
		memunmap(mem);
		KT_EQ(ukmem_report_count(), 2);
	}
	writel(0x1234, regs);			/* still mapped: the device's */
	KT_EQ(readl(regs), 0x1234);
	other = ioremap(BASE2, PAGE_SIZE);
	KT_ASSERT(other && other != regs);
	root_device_unregister(dev);		/* unmaps regs and mem, nothing else */
	writel(0x5678, other);
	KT_EQ(readl(other), 0x5678);
	iounmap(other);
	ukmem_mmio_remove(BASE3);
	ukmem_mmio_remove(BASE2);
	ukmem_mmio_remove(BASE);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
