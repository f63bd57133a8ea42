/* SPDX-License-Identifier: MIT */
/*
 * The iomem resource tree: /proc/iomem shows RAM, the reserved first MiB, each emulated
 * device and the regions drivers claim nested under it with the driver's name; busy regions
 * refuse a second claim; nested resources nest; insert_resource adopts, remove_resource
 * gives children back; region_intersects answers as the kernel; ioport regions.
 */
#include <linux/ioport.h>
#include "iotest.h"

static struct regdev dev;

int main(void)
{
	struct resource *a, *b, *c;
	struct resource win = DEFINE_RES_MEM_NAMED(DEV_BASE, 0x100000, "bridge window");
	char *out;

	KT_EQ(ukmem_mmio_add("uart0", DEV_BASE + 0x1000, 0x100, &regdev_ops, &dev), 0);
	a = request_mem_region(DEV_BASE + 0x1000, 0x100, "uart_drv");
	KT_ASSERT(a);
	KT_ASSERT(a->flags & IORESOURCE_BUSY);
	KT_ASSERT(!request_mem_region(DEV_BASE + 0x1080, 0x10, "other"));	/* busy */
	KT_ASSERT(!request_mem_region(DEV_BASE + 0x10f0, 0x20, "straddle"));
	out = kt_show("iomem");
	KT_CONTAINS(out, "00000000-000fffff : Reserved\n");
	KT_CONTAINS(out, "00100000-3fffffff : System RAM\n");
	KT_CONTAINS(out, "c0001000-c00010ff : uart0\n  c0001000-c00010ff : uart_drv\n");
	free(out);

	/* insert_resource adopts what lies inside; remove_resource gives it back */
	KT_EQ(insert_resource(&iomem_resource, &win), 0);
	out = kt_show("iomem");
	KT_CONTAINS(out, "c0000000-c00fffff : bridge window\n  c0001000-c00010ff : uart0\n"
		    "    c0001000-c00010ff : uart_drv\n");
	free(out);
	/* a device added inside the window nests below it */
	KT_EQ(ukmem_mmio_add("rng", DEV_BASE + 0x2000, 0x10, &regdev_ops, &dev), 0);
	b = request_mem_region_exclusive(DEV_BASE + 0x2000, 0x10, "rng_drv");
	KT_ASSERT(b && (b->flags & IORESOURCE_EXCLUSIVE));
	out = kt_show("iomem");
	KT_CONTAINS(out, "  c0002000-c000200f : rng\n    c0002000-c000200f : rng_drv\n");
	free(out);
	KT_EQ(remove_resource(&win), 0);
	KT_EQ(remove_resource(&win), -EINVAL);
	out = kt_show("iomem");
	KT_CONTAINS(out, "\nc0001000-c00010ff : uart0\n");
	KT_CONTAINS(out, "\nc0002000-c000200f : rng\n");
	free(out);

	/* region_intersects */
	KT_EQ(region_intersects(0x200000, 4096, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
	      REGION_INTERSECTS);
	KT_EQ(region_intersects(DEV_BASE, 4096, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
	      REGION_DISJOINT);
	KT_EQ(region_intersects(0x3ffff000, 0x2000, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
	      REGION_INTERSECTS);	/* RAM then nothing: nothing counts for neither */
	KT_EQ(region_intersects(0xff000, 0x2000, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
	      REGION_MIXED);		/* Reserved then RAM */
	KT_EQ(region_intersects(0, 4096, IORESOURCE_MEM, IORES_DESC_RESERVED), REGION_INTERSECTS);

	/* release and claim again */
	release_mem_region(DEV_BASE + 0x1000, 0x100);
	c = request_mem_region(DEV_BASE + 0x1000, 0x10, "again");
	KT_ASSERT(c);
	release_mem_region(DEV_BASE + 0x1000, 0x10);
	release_mem_region(DEV_BASE + 0x2000, 0x10);
	kt_capture_begin();
	release_mem_region(DEV_BASE + 0x2000, 0x10);
	out = kt_capture_end();
	KT_CONTAINS(out, "Trying to free nonexistent resource <0x00000000c0002000-0x00000000c000200f>");
	free(out);

	/* the device's own claim is separate from the device */
	KT_ASSERT(request_mem_region(0x100000, 16, "ram grab") == NULL);	/* RAM is busy */
	ukmem_mmio_remove(DEV_BASE + 0x1000);
	ukmem_mmio_remove(DEV_BASE + 0x2000);
	out = kt_show("iomem");
	KT_NOT_CONTAINS(out, "uart0");
	free(out);

	/* port regions */
	a = request_region(0x3f8, 8, "serial");
	KT_ASSERT(a);
	KT_ASSERT(!request_region(0x3fc, 2, "serial2"));
	release_region(0x3f8, 8);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
