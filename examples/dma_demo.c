/* SPDX-License-Identifier: MIT */
/*
 * dma_demo: the ukdma DMA engine (ukdma.h: emulated in ukdma_hw.c, driven by the kernel-style
 * platform driver in ukdma_drv.c) run against ukmem.
 *
 * The run: register the engine and its platform device, load the driver (probe: masks, a
 * descriptor ring in coherent memory, the interrupt), queue requests while the engine is held
 * and show the live mappings (ukmem_show("dma-api")), let it run (completions by interrupt),
 * push a round trip of several sizes through it (encrypt, decrypt) and check every byte,
 * show iomem, unbind, unload, and end with ukmem_exit's leak check.
 * Usage: dma_demo [32]   (32: the engine drives only 32 address lines; with mem=6G the
 * buffers lie above 4 GiB and every transfer bounces through swiotlb).
 * With UKMEM_CMDLINE=ukdma.bug=1 the driver never unmaps its source buffers, which DMA-API
 * debugging reports when the driver unbinds; with ukdma.bug=2 it never checks its destination
 * mappings with dma_mapping_error(), which is reported at each unmap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ukdma.h"

#define UKDMA_BASE	0xfe002000ULL	/* in the device hole */
#define UKDMA_IRQNO	34
#define KEY		0x5a		/* what the driver programs */

struct xfer {
	u8 *src, *dst;
	size_t len;
	bool done;
	int err;
};

/* A request's completion: called by the driver from its interrupt handler. */
static void xfer_done(void *arg, int err)
{
	struct xfer *x = arg;

	x->err = err;
	WRITE_ONCE(x->done, true);
}

static void excerpt(const char *report, const char *const *keep, unsigned int max)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	unsigned int shown = 0;
	FILE *f = open_memstream(&buf, &len);

	ukmem_show(report, f);
	fclose(f);
	printf("---- %s (excerpt) ----\n", report);
	for (line = strtok_r(buf, "\n", &save); line && max; line = strtok_r(NULL, "\n", &save))
		for (const char *const *k = keep; *k; k++)
			if (strstr(line, *k)) {
				printf("%s\n", line);
				max--;
				shown++;
				break;
			}
	if (!shown)
		printf("(no entries for ukdma)\n");
	free(buf);
}

static int xfer_init(struct xfer *x, size_t len, unsigned int seed)
{
	x->len = len;
	x->done = false;
	x->err = 0;
	x->src = kmalloc(len, GFP_KERNEL);
	x->dst = kmalloc(len, GFP_KERNEL);
	if (!x->src || !x->dst)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++)
		x->src[i] = (u8)(seed * 131 + i * 7);
	memset(x->dst, 0, len);
	return 0;
}

static void xfer_free(struct xfer *x)
{
	kfree(x->src);
	kfree(x->dst);
}

/* Every byte of dst must be src transformed by the engine; 0 when so. */
static int xfer_check(const struct xfer *x, const char *what)
{
	if (!x->done || x->err) {
		printf("dma_demo: %s of %zu bytes: %s\n", what, x->len,
		       x->done ? "failed" : "never completed");
		return 1;
	}
	for (size_t i = 0; i < x->len; i++)
		if (x->dst[i] != (u8)(x->src[i] ^ KEY)) {
			printf("dma_demo: %s of %zu bytes: byte %zu is 0x%02x, not 0x%02x\n", what,
			       x->len, i, x->dst[i], (u8)(x->src[i] ^ KEY));
			return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const dma_keep[] = { "ukdma", NULL };
	static const char *const iomem_keep[] = { "System RAM", "ukdma", NULL };
	static const size_t sizes[] = { 64, 1500, 9, 4096, 512, 1 };
	struct resource res[] = { DEFINE_RES_MEM(UKDMA_BASE, UKDMA_REG_SIZE),
				  DEFINE_RES_IRQ(UKDMA_IRQNO) };
	static struct ukdma_hw hw;
	struct xfer q[4], enc[ARRAY_SIZE(sizes)], dec[ARRAY_SIZE(sizes)];
	struct platform_device *pdev;
	struct ukdma *d;
	unsigned int bad = 0, n = 0;
	int problems;

	setvbuf(stdout, NULL, _IONBF, 0);	/* keep order with the console (stderr) */
	hw.addr_bits = argc > 1 && !strcmp(argv[1], "32") ? 32 : 64;
	hw.irq = UKDMA_IRQNO;
	/* the board: the engine and its platform device, the bus master of its DMA */
	if (ukmem_mmio_add("ukdma-hw", UKDMA_BASE, UKDMA_REG_SIZE, &ukdma_hw_ops, &hw))
		return 1;
	pdev = platform_device_register_simple("ukdma", 0, res, ARRAY_SIZE(res));
	if (IS_ERR(pdev))
		return 1;
	hw.dev = &pdev->dev;

	/* load: module_init registers the driver, which probes the engine */
	if (ukmem_modules_init())
		return 1;
	d = platform_get_drvdata(pdev);
	if (!d)
		return 1;

	/* queue while the engine is busy elsewhere: the mappings are live */
	hw.hold = true;
	for (unsigned int i = 0; i < ARRAY_SIZE(q); i++) {
		if (xfer_init(&q[i], 256 << i, i) || ukdma_submit(d, q[i].src, q[i].dst, q[i].len,
								 xfer_done, &q[i]))
			return 1;
	}
	printf("dma_demo: %zu requests queued, buffers at physical 0x%llx...%s\n", ARRAY_SIZE(q),
	       (unsigned long long)virt_to_phys(q[0].src),
	       virt_to_phys(q[0].src) >= SZ_4G && hw.addr_bits == 32 ?
	       " (above 4 GiB: the 32-bit engine gets swiotlb bounce buffers)" : "");
	excerpt("dma-api", dma_keep, 5);
	hw.hold = false;
	ukdma_hw_run(&hw);			/* the engine catches up and interrupts */
	synchronize_irq(ukdma_irq(d));
	for (unsigned int i = 0; i < ARRAY_SIZE(q); i++) {
		bad += xfer_check(&q[i], "queued transfer");
		n++;
	}

	/* a round trip: encrypt, then decrypt the result, of sizes up to the engine's maximum */
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (xfer_init(&enc[i], sizes[i], 10 + i) ||
		    ukdma_submit(d, enc[i].src, enc[i].dst, enc[i].len, xfer_done, &enc[i]))
			return 1;
		synchronize_irq(ukdma_irq(d));
		bad += xfer_check(&enc[i], "encryption");
		dec[i] = (struct xfer){ .src = enc[i].dst, .dst = kzalloc(sizes[i], GFP_KERNEL),
					.len = sizes[i] };
		if (!dec[i].dst || ukdma_submit(d, dec[i].src, dec[i].dst, dec[i].len, xfer_done,
						&dec[i]))
			return 1;
		synchronize_irq(ukdma_irq(d));
		bad += xfer_check(&dec[i], "decryption");
		bad += memcmp(dec[i].dst, enc[i].src, sizes[i]) != 0;
		n += 2;
	}
	printf("dma_demo: %u transfers through the engine (%lu completed by the device), %s\n",
	       n, hw.done, bad ? "DATA MISMATCH" : "every byte checked");
	excerpt("iomem", iomem_keep, 8);

	/* unbind, unload, unplug */
	device_release_driver(&pdev->dev);
	for (unsigned int i = 0; i < ARRAY_SIZE(q); i++)
		xfer_free(&q[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		xfer_free(&enc[i]);
		kfree(dec[i].dst);
	}
	excerpt("dma-api", dma_keep, 5);
	ukmem_modules_exit();
	platform_device_unregister(pdev);
	ukmem_mmio_remove(UKDMA_BASE);

	problems = ukmem_exit();
	printf("dma_demo: ukmem_exit found %d problem%s\n", problems, problems == 1 ? "" : "s");
	return bad ? 3 : problems ? 2 : 0;
}
