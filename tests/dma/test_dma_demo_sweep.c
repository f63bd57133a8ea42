/* SPDX-License-Identifier: MIT */
/*
 * The ukdma example driver (examples/ukdma_drv.c, with its emulated engine ukdma_hw.c) under
 * ukmem_fail_sweep: bind, one transfer through the engine, unbind, with each allocation of
 * the run failing in turn.  Every run must give back all it acquired (devres, the coherent
 * ring, mappings, the interrupt, the register mapping), the last run (no fault) must move the
 * data correctly, and nothing is left at ukmem_exit.  Then the same with a 32-bit engine and
 * buffers above 4 GiB (mem=6G): the bounce slots are returned too.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"
#include "../examples/ukdma.h"

#define BASE	0xfe003000ULL
#define IRQNO	35
#define LEN	1500

static struct ukdma_hw hw;
static struct platform_device *pdev;
static int last_ok;		/* the last run bound and checked its data */
static unsigned long bounced;	/* runs whose buffers lay above 4 GiB */

static void done(void *arg, int err)
{
	*(int *)arg = err ? err : 1;
}

static int bind_use_unbind(void *unused)
{
	struct ukdma *d;
	u8 *src, *dst;
	int st = 0, ret;

	last_ok = 0;
	ret = device_attach(&pdev->dev);
	if (ret != 1)
		return ret ? ret : -ENODEV;
	d = platform_get_drvdata(pdev);
	src = kmalloc(LEN, GFP_KERNEL);
	dst = kzalloc(LEN, GFP_KERNEL);
	ret = -ENOMEM;
	if (src && dst) {
		for (int i = 0; i < LEN; i++)
			src[i] = (u8)i;
		if (virt_to_phys(src) >= SZ_4G)
			bounced++;
		ret = ukdma_submit(d, src, dst, LEN, done, &st);
		if (!ret) {
			synchronize_irq(ukdma_irq(d));
			KT_EQ(st, 1);
			for (int i = 0; i < LEN; i++)
				KT_EQ(dst[i], (u8)(i ^ 0x5a));
			last_ok = 1;
		}
	}
	kfree(src);
	kfree(dst);
	device_release_driver(&pdev->dev);
	return ret;
}

static void sweep(const char *cmdline, unsigned int bits)
{
	struct resource res[] = { DEFINE_RES_MEM(BASE, UKDMA_REG_SIZE), DEFINE_RES_IRQ(IRQNO) };

	KT_EQ(ukmem_init(cmdline), 0);
	hw.addr_bits = bits;
	hw.irq = IRQNO;
	KT_EQ(ukmem_mmio_add("ukdma-hw", BASE, UKDMA_REG_SIZE, &ukdma_hw_ops, &hw), 0);
	pdev = platform_device_register_simple("ukdma", 0, res, ARRAY_SIZE(res));
	KT_ASSERT(!IS_ERR(pdev));
	hw.dev = &pdev->dev;
	KT_EQ(ukmem_modules_init(), 0);	/* registers the driver, which binds: unbind */
	device_release_driver(&pdev->dev);
	KT_EQ(ukmem_fail_sweep(bind_use_unbind, NULL), 0);
	KT_EQ(last_ok, 1);
	KT_ASSERT(hw.done > 0);
	ukmem_modules_exit();
	platform_device_unregister(pdev);
	ukmem_mmio_remove(BASE);
	KT_EQ(ukmem_exit(), 0);
}

int main(void)
{
	pid_t pid = fork();
	int status;

	KT_ASSERT(pid >= 0);
	if (pid == 0) {
		sweep(NULL, 64);
		exit(0);
	}
	KT_EQ(waitpid(pid, &status, 0), pid);
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sweep("mem=6G", 32);
	KT_ASSERT(bounced > 0);
	printf("test_dma_demo_sweep: ok\n");
	return 0;
}
