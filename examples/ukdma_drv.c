/* SPDX-License-Identifier: MIT */
/*
 * ukdma_drv: the platform driver for the ukdma engine (ukdma.h), written exactly as a Linux
 * crypto or network driver: devm_kzalloc, devm_platform_ioremap_resource, platform_get_irq,
 * devm_request_irq, dma_set_mask_and_coherent from the engine's capability register, the
 * descriptor ring in dmam_alloc_coherent memory, and per request dma_map_single of the
 * source (DMA_TO_DEVICE) and destination (DMA_FROM_DEVICE) with dma_mapping_error, unmapped in
 * the completion interrupt before the request's callback runs.
 * Module parameter ukdma.bug=1: the completion forgets to unmap the source buffer, a leak
 * that DMA-API debugging reports when the driver unbinds; ukdma.bug=2: submit never passes
 * the destination's address to dma_mapping_error(), reported at each unmap.
 * Invariants: descriptors [clean, next) belong to the device or wait for their completion;
 * req[i] is valid exactly for those; one slot stays empty so a full ring is next + 1 == clean.
 * Locking: d->lock (irqsave) covers the ring indices and descriptors against the interrupt
 * handler; callbacks run from the handler without the lock.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "ukdma.h"

static int bug;
module_param(bug, int, 0444);
MODULE_PARM_DESC(bug, "a bug: 1 never unmaps sources, 2 never checks destinations' mappings");

#define UKDMA_RING_ENTRIES	16

struct ukdma_req {
	dma_addr_t src, dst;
	size_t len;
	ukdma_done_fn done;
	void *arg;
};

struct ukdma {
	struct device *dev;
	void __iomem *regs;
	int irq;
	spinlock_t lock;		/* next, clean, ring, req */
	struct ukdma_desc *ring;	/* coherent */
	dma_addr_t ring_dma;
	unsigned int next, clean;
	struct ukdma_req req[UKDMA_RING_ENTRIES];
};

static void ukdma_unmap(struct ukdma *d, const struct ukdma_req *r)
{
	if (bug != 1)
		dma_unmap_single(d->dev, r->src, r->len, DMA_TO_DEVICE);
	dma_unmap_single(d->dev, r->dst, r->len, DMA_FROM_DEVICE);
}

/**
 * ukdma_submit - queue one transform on the engine
 * @d: the engine (platform_get_drvdata of its device)
 * @src: source bytes, in memory the DMA API maps
 * @dst: where the result goes
 * @len: bytes, 1 to UKDMA_MAX_LEN
 * @done: called from the interrupt handler with 0 or -EIO when the request completes
 * @arg: passed to @done
 *
 * Return: 0, -EINVAL, -EBUSY (ring full) or -ENOMEM (mapping failed).
 */
int ukdma_submit(struct ukdma *d, const void *src, void *dst, size_t len,
		 ukdma_done_fn done, void *arg)
{
	struct ukdma_req r = { .len = len, .done = done, .arg = arg };
	struct ukdma_desc *desc;
	unsigned long flags;

	if (!len || len > UKDMA_MAX_LEN || !done)
		return -EINVAL;
	r.src = dma_map_single(d->dev, (void *)src, len, DMA_TO_DEVICE);
	if (dma_mapping_error(d->dev, r.src))
		return -ENOMEM;
	r.dst = dma_map_single(d->dev, dst, len, DMA_FROM_DEVICE);
	if (bug == 2 ? r.dst == DMA_MAPPING_ERROR : dma_mapping_error(d->dev, r.dst)) {
		dma_unmap_single(d->dev, r.src, len, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	spin_lock_irqsave(&d->lock, flags);
	if ((d->next + 1) % UKDMA_RING_ENTRIES == d->clean) {
		spin_unlock_irqrestore(&d->lock, flags);
		ukdma_unmap(d, &r);
		return -EBUSY;
	}
	d->req[d->next] = r;
	desc = &d->ring[d->next];
	desc->src = r.src;
	desc->dst = r.dst;
	desc->len = (u32)len;
	desc->status = 0;
	wmb();			/* the descriptor before its ownership */
	WRITE_ONCE(desc->ctrl, UKDMA_DESC_OWN);
	d->next = (d->next + 1) % UKDMA_RING_ENTRIES;
	writel(d->next, d->regs + UKDMA_HEAD);	/* writel orders the ring before the doorbell */
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

/**
 * ukdma_irq - the engine's interrupt line
 * @d: the engine
 *
 * Return: the Linux IRQ number the driver requested.
 */
int ukdma_irq(struct ukdma *d)
{
	return d->irq;
}

/* Completion: every descriptor the device handed back is unmapped and its request finished. */
static irqreturn_t ukdma_interrupt(int irq, void *data)
{
	struct ukdma *d = data;
	struct ukdma_req done[UKDMA_RING_ENTRIES];
	int status[UKDMA_RING_ENTRIES];
	unsigned int n = 0;

	if (!(readl(d->regs + UKDMA_IRQ_STAT) & 1))
		return IRQ_NONE;
	writel(1, d->regs + UKDMA_IRQ_ACK);
	spin_lock(&d->lock);
	while (d->clean != d->next) {
		struct ukdma_desc *desc = &d->ring[d->clean];

		if (READ_ONCE(desc->ctrl) & UKDMA_DESC_OWN)
			break;
		rmb();		/* ownership before the status */
		status[n] = desc->status == UKDMA_ST_OK ? 0 : -EIO;
		done[n++] = d->req[d->clean];
		d->clean = (d->clean + 1) % UKDMA_RING_ENTRIES;
	}
	spin_unlock(&d->lock);
	for (unsigned int i = 0; i < n; i++) {
		ukdma_unmap(d, &done[i]);
		if (status[i])
			dev_err(d->dev, "transfer of %zu bytes failed\n", done[i].len);
		done[i].done(done[i].arg, status[i]);
	}
	return IRQ_HANDLED;
}

static int ukdma_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct ukdma *d;
	unsigned int bits;
	int err;

	d = devm_kzalloc(dev, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->dev = dev;
	spin_lock_init(&d->lock);
	d->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(d->regs))
		return PTR_ERR(d->regs);
	if (readl(d->regs + UKDMA_ID) != UKDMA_ID_VALUE)
		return dev_err_probe(dev, -ENODEV, "no ukdma engine at this address\n");
	bits = readl(d->regs + UKDMA_CAP) & 0xff;
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(bits >= 64 ? 64 : 32));
	if (err)
		return dev_err_probe(dev, err, "no usable DMA configuration\n");
	d->ring = dmam_alloc_coherent(dev, UKDMA_RING_ENTRIES * sizeof(*d->ring), &d->ring_dma,
				      GFP_KERNEL);
	if (!d->ring)
		return -ENOMEM;
	d->irq = platform_get_irq(pdev, 0);
	if (d->irq < 0)
		return d->irq;
	err = devm_request_irq(dev, d->irq, ukdma_interrupt, 0, dev_name(dev), d);
	if (err)
		return err;
	platform_set_drvdata(pdev, d);
	writel(lower_32_bits(d->ring_dma), d->regs + UKDMA_RING_LO);
	writel(upper_32_bits(d->ring_dma), d->regs + UKDMA_RING_HI);
	writel(UKDMA_RING_ENTRIES, d->regs + UKDMA_RING_SIZE);
	writel(0x5a, d->regs + UKDMA_KEY);
	writel(UKDMA_CTRL_ENABLE | UKDMA_CTRL_IRQ_EN, d->regs + UKDMA_CTRL);
	dev_info(dev, "ukdma at %pR, irq %d, %u-bit DMA, %u descriptors at bus address %pad\n",
		 platform_get_resource(pdev, IORESOURCE_MEM, 0), d->irq, bits,
		 UKDMA_RING_ENTRIES, &d->ring_dma);
	return 0;
}

static int ukdma_remove(struct platform_device *pdev)
{
	struct ukdma *d = platform_get_drvdata(pdev);
	unsigned long flags;

	writel(0, d->regs + UKDMA_CTRL);
	synchronize_irq(d->irq);
	/* requests the engine never finished: take them back and fail them */
	spin_lock_irqsave(&d->lock, flags);
	while (d->clean != d->next) {
		struct ukdma_req r = d->req[d->clean];

		d->clean = (d->clean + 1) % UKDMA_RING_ENTRIES;
		spin_unlock_irqrestore(&d->lock, flags);
		ukdma_unmap(d, &r);
		r.done(r.arg, -ECANCELED);
		spin_lock_irqsave(&d->lock, flags);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	dev_info(&pdev->dev, "removed\n");
	return 0;	/* devres frees the ring and the interrupt, unmaps the registers */
}

struct platform_driver ukdma_driver = {
	.probe = ukdma_probe,
	.remove = ukdma_remove,
	.driver = { .name = "ukdma" },
};
module_platform_driver(ukdma_driver);
MODULE_LICENSE("GPL");
