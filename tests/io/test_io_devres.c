/* SPDX-License-Identifier: MIT */
/*
 * Device-managed mappings, claims and interrupts with a platform driver: probe claims and
 * maps its memory resource (devm_platform_ioremap_resource) and requests its interrupt
 * (platform_get_irq, devm_request_irq); iomem shows device > platform resource > claim;
 * unbinding releases all of it; a second claimer gets "can't request region for resource";
 * probe failure releases what probe took; the kernel's messages for bad input (a
 * non-posted memory resource cannot be mapped on x86, as 6.1's devm_ioremap_resource).
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include "iotest.h"

#define IRQ	40

static struct regdev dev;

struct priv {
	void __iomem *regs;
	int irq, irqs;
};

static irqreturn_t drv_irq(int irq, void *data)
{
	struct priv *p = data;

	p->irqs++;
	writel(0, p->regs + 8);		/* ack */
	return IRQ_HANDLED;
}

static struct priv *bound;
static int fail_after_map;

static int drv_probe(struct platform_device *pdev)
{
	struct priv *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	int err;

	if (!p)
		return -ENOMEM;
	p->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(p->regs))
		return PTR_ERR(p->regs);
	p->irq = platform_get_irq(pdev, 0);
	if (p->irq < 0)
		return p->irq;
	err = devm_request_irq(&pdev->dev, p->irq, drv_irq, 0, NULL, p);
	if (err)
		return err;
	if (fail_after_map)
		return -EIO;
	writel(0x1234, p->regs + 0x10);
	platform_set_drvdata(pdev, p);
	bound = p;
	return 0;
}

static struct platform_driver drv = {
	.probe = drv_probe,
	.driver = { .name = "regdev" },
};

static noinline void test_bind_unbind(void)
{
	struct resource res[] = { DEFINE_RES_MEM(DEV_BASE, 0x100), DEFINE_RES_IRQ(IRQ) };
	struct platform_device *pdev;
	char *out;

	KT_EQ(ukmem_mmio_add("regdev-hw", DEV_BASE, 0x100, &regdev_ops, &dev), 0);
	pdev = platform_device_register_simple("regdev", 0, res, 2);
	KT_ASSERT(!IS_ERR(pdev));
	KT_EQ(platform_driver_register(&drv), 0);
	KT_ASSERT(bound);
	KT_EQ(dev.regs[2], 0x1234);
	out = kt_show("iomem");
	KT_CONTAINS(out, "c0000000-c00000ff : regdev-hw\n  c0000000-c00000ff : regdev.0\n"
		    "    c0000000-c00000ff : regdev.0 regdev.0\n");
	free(out);
	out = kt_show("interrupts");
	KT_CONTAINS(out, "  40:          0  ukmem-irq  regdev.0");
	free(out);
	out = kt_show("physmap.svg");
	KT_CONTAINS(out, "c0000000-c00000ff regdev-hw (registers): claimed by regdev.0 regdev.0<");
	free(out);
	KT_EQ(ukmem_irq_raise(IRQ), 0);
	KT_EQ(bound->irqs, 1);
	KT_EQ(dev.last_off, 8);
	out = kt_show("vmallocinfo");
	KT_CONTAINS(out, "phys=0x00000000c0000000 ioremap");
	free(out);
	/* a second claim of the same range */
	{
		struct device *d = &pdev->dev;
		void __iomem *again;

		kt_capture_begin();
		again = devm_ioremap_resource(d, &res[0]);
		out = kt_capture_end();
		KT_EQ(PTR_ERR(again), -EBUSY);
		KT_CONTAINS(out, "regdev regdev.0: can't request region for resource "
			    "[mem 0xc0000000-0xc00000ff]");
		free(out);
		/* no memory for the claim's name (the first allocation it makes) */
		kt_capture_begin();
		ukmem_set_fail_nth(1);
		again = devm_ioremap_resource(d, &res[0]);
		out = kt_capture_end();
		KT_EQ(PTR_ERR(again), -ENOMEM);
		KT_CONTAINS(out, "regdev regdev.0: can't generate pretty name for resource "
			    "[mem 0xc0000000-0xc00000ff]");
		free(out);
		kt_capture_begin();
		again = devm_ioremap_resource(d, &res[1]);
		out = kt_capture_end();
		KT_EQ(PTR_ERR(again), -EINVAL);
		KT_CONTAINS(out, "invalid resource");
		free(out);
		/* a non-posted memory resource is mapped with ioremap_np, which x86 lacks: the
		 * claim is made and given back (it was mapped as any other) */
		{
			struct resource np = DEFINE_RES_MEM(DEV_BASE + 0x80000, 0x100);

			np.flags |= IORESOURCE_MEM_NONPOSTED;
			kt_capture_begin();
			again = devm_ioremap_resource(d, &np);
			out = kt_capture_end();
			KT_EQ(PTR_ERR(again), -ENOMEM);
			KT_CONTAINS(out, "regdev regdev.0: ioremap failed for resource "
				    "[mem 0xc0080000-0xc00800ff]");
			free(out);
			out = kt_show("iomem");
			KT_NOT_CONTAINS(out, "c0080000");
			free(out);
		}
		kt_capture_begin();
		KT_EQ(platform_get_irq(pdev, 1), -ENXIO);
		out = kt_capture_end();
		KT_CONTAINS(out, "IRQ index 1 not found");
		free(out);
	}
	/* unbind: the mapping, the claim and the interrupt go */
	platform_driver_unregister(&drv);
	out = kt_show("iomem");
	KT_CONTAINS(out, "c0000000-c00000ff : regdev-hw\n  c0000000-c00000ff : regdev.0\n");
	KT_NOT_CONTAINS(out, "    c0000000");
	free(out);
	out = kt_show("vmallocinfo");
	KT_NOT_CONTAINS(out, "phys=0x00000000c0000000 ioremap");
	free(out);
	KT_EQ(ukmem_irq_raise(IRQ), -ENOENT);
	/* probe failure releases what probe took */
	fail_after_map = 1;
	bound = NULL;
	KT_EQ(platform_driver_register(&drv), 0);
	KT_ASSERT(!bound);
	out = kt_show("iomem");
	KT_NOT_CONTAINS(out, "    c0000000");
	free(out);
	KT_EQ(ukmem_irq_raise(IRQ), -ENOENT);
	platform_driver_unregister(&drv);
	platform_device_unregister(pdev);
	ukmem_mmio_remove(DEV_BASE);
}

static noinline void test_devm_calls(void)
{
	struct platform_device *pdev = platform_device_register_simple("plain", -1, NULL, 0);
	struct device *d = &pdev->dev;
	void __iomem *a, *b;
	void *m;
	char *out;

	KT_EQ(ukmem_mmio_add("mem", DEV_BASE, PAGE_SIZE, NULL, NULL), 0);
	a = devm_ioremap(d, DEV_BASE, PAGE_SIZE);
	b = devm_ioremap_wc(d, DEV_BASE, 16);
	KT_ASSERT(a && b && devm_ioremap_uc(d, DEV_BASE, 16));
	KT_ASSERT(!devm_ioremap_np(d, DEV_BASE, 16));
	writel(5, a);
	KT_EQ(readl(b), 5);
	devm_iounmap(d, b);
	m = devm_memremap(d, DEV_BASE, PAGE_SIZE, MEMREMAP_WB);
	KT_ASSERT(!IS_ERR(m));
	KT_EQ(*(u32 *)m, 5);
	devm_memunmap(d, m);
	KT_EQ(PTR_ERR(devm_memremap(d, DEV_BASE, 0, MEMREMAP_WB)), -ENXIO);
	KT_ASSERT(devm_request_mem_region(d, DEV_BASE, 16, "claim"));
	KT_ASSERT(!devm_request_mem_region(d, DEV_BASE, 16, "claim2"));
	devm_release_mem_region(d, DEV_BASE, 16);
	KT_ASSERT(devm_request_mem_region(d, DEV_BASE, 16, "claim3"));
	KT_ASSERT(devm_request_region(d, 0x3f8, 8, "ports"));
	/* interrupts */
	KT_EQ(devm_request_irq(d, IRQ, drv_irq, 0, "devm-irq", NULL), 0);
	devm_free_irq(d, IRQ, NULL);
	KT_EQ(ukmem_irq_raise(IRQ), -ENOENT);
	KT_EQ(devm_request_any_context_irq(d, IRQ, drv_irq, 0, NULL, NULL), IRQC_IS_HARDIRQ);
	kt_capture_begin();
	devm_free_irq(d, IRQ + 1, NULL);	/* not one of its interrupts */
	out = kt_capture_end();
	KT_CONTAINS(out, "WARNING:");
	KT_CONTAINS(out, "Trying to free already-free IRQ 41");
	free(out);
	out = kt_show("devres:plain");
	KT_CONTAINS(out, "devm_irq_release");
	KT_CONTAINS(out, "devm_region_release");
	KT_CONTAINS(out, "devm_ioremap_release");
	free(out);
	/* unregistering the device releases everything */
	platform_device_unregister(pdev);
	KT_EQ(ukmem_irq_raise(IRQ), -ENOENT);
	KT_ASSERT(request_mem_region(DEV_BASE, 16, "free again"));
	release_mem_region(DEV_BASE, 16);
	ukmem_mmio_remove(DEV_BASE);
}

int main(void)
{
	test_bind_unbind();
	test_devm_calls();
	KT_EQ(ukmem_exit(), 2);		/* devm_free_irq's WARN_ON and free_irq's warning */
	return 0;
}
