/* SPDX-License-Identifier: MIT */
/* ukmem_show("physmap.svg"): an SVG naming the owners of RAM and every device with its claim. */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "iotest.h"

static struct regdev dev;

int main(void)
{
	void *v = vmalloc(8 << 20);
	void *k = kmalloc(512, GFP_KERNEL);
	struct resource *claim;
	char *svg;

	KT_EQ(ukmem_mmio_add("uart0", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	KT_EQ(ukmem_mmio_add("fb<0>", DEV_BASE + 0x1000000, 1 << 20, NULL, NULL), 0);
	claim = request_mem_region(DEV_BASE, 0x100, "uart_drv");
	KT_ASSERT(claim);
	svg = kt_show("physmap.svg");
	KT_ASSERT(strncmp(svg, "<svg xmlns='http://www.w3.org/2000/svg'", 39) == 0);
	KT_CONTAINS(svg, "</svg>\n");
	KT_CONTAINS(svg, "RAM: 1024 MiB");
	KT_CONTAINS(svg, ">reserved 1024 KiB<");
	KT_CONTAINS(svg, ">vmalloc ");
	KT_CONTAINS(svg, ">slab kmalloc-512 ");
	KT_CONTAINS(svg, ">free, order 10 ");
	KT_CONTAINS(svg, "c0000000-c00000ff uart0 (registers): claimed by uart_drv<");
	KT_CONTAINS(svg, "c1000000-c10fffff fb&lt;0&gt; (memory): not claimed<");
	KT_CONTAINS(svg, "2 emulated devices");
	free(svg);
	release_mem_region(DEV_BASE, 0x100);
	ukmem_mmio_remove(DEV_BASE);
	ukmem_mmio_remove(DEV_BASE + 0x1000000);
	vfree(v);
	kfree(k);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
