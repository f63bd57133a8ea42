/* SPDX-License-Identifier: MIT */
/*
 * The iomem resource tree: /proc/iomem shows RAM, the reserved first MiB, each emulated
 * device and the regions drivers claim nested under it with the driver's name; busy regions
 * refuse a second claim; nested resources nest; insert_resource adopts, remove_resource
 * gives children back; region_intersects answers as the kernel; ioport regions.
 */
#include <linux/ioport.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include "iotest.h"

static struct regdev dev;

/* An emulated device below a resource that is released stays in the tree: it moves up to
 * the released one's parent.  (It left the tree with its parent, naming it as parent after it
 * was freed: the device vanished from iomem and ukmem_mmio_remove read freed memory.) */
static noinline void released_parents(void)
{
	struct resource res[] = { DEFINE_RES_MEM(DEV_BASE, 0x100) };
	struct platform_device *pdev;
	char *out;

	/* below a platform device's resource, which platform_device_unregister releases */
	pdev = platform_device_register_simple("plat", 0, res, 1);
	KT_ASSERT(!IS_ERR(pdev));
	KT_EQ(ukmem_mmio_add("hw", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	out = kt_show("iomem");
	KT_CONTAINS(out, "\nc0000000-c00000ff : plat.0\n  c0000000-c00000ff : hw\n");
	free(out);
	platform_device_unregister(pdev);
	out = kt_show("iomem");
	KT_CONTAINS(out, "\nc0000000-c00000ff : hw\n");
	free(out);
	ukmem_mmio_remove(DEV_BASE);

	/* below a driver's claim (inside it, or with its very range: a resource inserted with
	 * the range of one in the tree nests below it) */
	for (int i = 0; i < 2; i++) {
		KT_ASSERT(request_mem_region(DEV_BASE, 0x100, "drv"));
		KT_EQ(ukmem_mmio_add("hw", DEV_BASE, i ? 0x100 : 0x80, &regdev_ops, &dev), 0);
		release_mem_region(DEV_BASE, 0x100);
		out = kt_show("iomem");
		KT_CONTAINS(out, i ? "\nc0000000-c00000ff : hw\n" : "\nc0000000-c000007f : hw\n");
		KT_NOT_CONTAINS(out, "drv");
		free(out);
		ukmem_mmio_remove(DEV_BASE);
		out = kt_show("iomem");
		KT_NOT_CONTAINS(out, " : hw\n");
		free(out);
	}
}

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
	/* below a top-level resource of another kind, matching descendants of any depth count
	 * (as 6.1): a range they cover in part is mixed (it was disjoint), one a grandchild
	 * covers intersects (only children were looked at) */
	{
		struct resource w = DEFINE_RES_MEM_NAMED(DEV_BASE + 0x200000, 0x10000, "w");
		struct resource x = DEFINE_RES_MEM_NAMED(DEV_BASE + 0x200000, 0x8000, "x");
		struct resource r = DEFINE_RES_MEM_NAMED(DEV_BASE + 0x201000, 0x1000, "r");

		r.desc = IORES_DESC_RESERVED;
		KT_EQ(request_resource(&iomem_resource, &w), 0);
		KT_EQ(request_resource(&w, &x), 0);
		KT_EQ(request_resource(&x, &r), 0);
		KT_EQ(region_intersects(DEV_BASE + 0x201000, 0x1000, IORESOURCE_MEM,
					IORES_DESC_RESERVED), REGION_INTERSECTS);
		KT_EQ(region_intersects(DEV_BASE + 0x201000, 0x2000, IORESOURCE_MEM,
					IORES_DESC_RESERVED), REGION_MIXED);
		KT_EQ(region_intersects(DEV_BASE + 0x203000, 0x1000, IORESOURCE_MEM,
					IORES_DESC_RESERVED), REGION_DISJOINT);
		KT_EQ(release_resource(&r), 0);
		KT_EQ(release_resource(&x), 0);
		KT_EQ(release_resource(&w), 0);
	}

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

	/* a second insert_resource of a resource in the tree: 6.1's WARN_ON, -EBUSY, the tree
	 * unchanged (it made the resource its own child: every walk of the tree looped) */
	KT_EQ(insert_resource(&iomem_resource, &win), 0);
	kt_capture_begin();
	KT_EQ(insert_resource(&iomem_resource, &win), -EBUSY);
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING: CPU: 0 PID:");
	free(out);
	out = kt_show("iomem");
	KT_CONTAINS(out, "\nc0000000-c00fffff : bridge window\n");
	KT_NOT_CONTAINS(out, "  c0000000-c00fffff");
	free(out);
	KT_EQ(remove_resource(&win), 0);
	KT_EQ(ukmem_report_count(), 1);

	released_parents();
	KT_EQ(ukmem_report_count(), 1);

	/* a claim may sleep (6.1 allocates its resource with GFP_KERNEL): under a spinlock
	 * it is reported, and made (it was made silently) */
	{
		static DEFINE_SPINLOCK(lock);

		kt_capture_begin();
		spin_lock(&lock);
		a = request_mem_region(DEV_BASE + 0x3000, 0x10, "atomic");
		spin_unlock(&lock);
		out = kt_capture_end();
		KT_ASSERT(a);
		KT_CONTAINS(out, "BUG: sleeping function called from invalid context at "
			    "src/mm/resource.c");
		free(out);
		KT_EQ(ukmem_report_count(), 2);
		release_mem_region(DEV_BASE + 0x3000, 0x10);
	}

	/* port regions */
	a = request_region(0x3f8, 8, "serial");
	KT_ASSERT(a);
	KT_ASSERT(!request_region(0x3fc, 2, "serial2"));
	release_region(0x3f8, 8);
	KT_EQ(ukmem_exit(), 2);		/* the duplicated insertion's WARN_ON, the atomic claim */
	return 0;
}
