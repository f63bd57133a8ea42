/* SPDX-License-Identifier: MIT */
/* ukmem.mmio_trace=1 prints every access, memory-backed devices included. */
#include "iotest.h"

static struct regdev dev;

int main(void)
{
	void __iomem *r, *m, *u;
	char *out;

	KT_EQ(ukmem_mmio_add("uart0", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	KT_EQ(ukmem_mmio_add("sram", DEV_BASE + 0x10000, PAGE_SIZE, NULL, NULL), 0);
	r = ioremap(DEV_BASE, 0x100);
	m = ioremap(DEV_BASE + 0x10000, PAGE_SIZE);
	u = ioremap(DEV_BASE + 0x20000, 16);
	KT_ASSERT(__ukmem_mmio_slow(m));	/* traced: through the slow path */
	kt_capture_begin();
	writel(1, r + 0x10);
	KT_EQ(readl(r + 0x10), 1);
	writeb(0xab, m + 3);
	KT_EQ(readb(m + 3), 0xab);
	readw(u + 2);
	out = kt_capture_end();
	KT_CONTAINS(out, "mmio: uart0 write32 +0x10 <- 0x1\n");
	KT_CONTAINS(out, "mmio: uart0 read32 +0x10 -> 0x1\n");
	KT_CONTAINS(out, "mmio: sram write8 +0x3 <- 0xab\n");
	KT_CONTAINS(out, "mmio: sram read8 +0x3 -> 0xab\n");
	KT_CONTAINS(out, "mmio: unclaimed read16 0x00000000c0020002 -> 0xffff\n");
	free(out);
	/* removed: the traced memory mapping reports accesses instead of touching memory */
	ukmem_mmio_remove(DEV_BASE + 0x10000);
	kt_capture_begin();
	KT_EQ(readb(m + 3), 0xff);
	out = kt_capture_end();
	KT_CONTAINS(out, "BUG: ioremap: read8 access to removed device sram at +0x3");
	free(out);
	iounmap(r);
	iounmap(m);
	iounmap(u);
	KT_EQ(ukmem_exit(), 1);
	return 0;
}
