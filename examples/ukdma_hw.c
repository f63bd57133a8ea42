/* SPDX-License-Identifier: MIT */
/*
 * ukdma_hw: the device side of the ukdma engine (see ukdma.h), what a board file or a test
 * provides.  A register file behind ukmem_mmio_add(); a doorbell write makes the engine walk
 * its descriptor ring with ukmem_dma_read/ukmem_dma_write, as a bus master does, and raise
 * its interrupt.
 * Invariants: tail only moves forward, to head at most; a descriptor is only processed while
 * it has UKDMA_DESC_OWN, and OWN is cleared in the same write-back as the status.
 * Locking: none of its own; the emulated-device layer serialises register accesses, and
 * ukdma_hw_run is called from a register write or by the single thread driving the board.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <ukmem.h>
#include "ukdma.h"

static u64 ukdma_hw_read(void *priv, u64 off, unsigned int size)
{
	struct ukdma_hw *hw = priv;

	switch (off) {
	case UKDMA_ID:		return UKDMA_ID_VALUE;
	case UKDMA_CAP:		return hw->addr_bits;
	case UKDMA_CTRL:	return hw->ctrl;
	case UKDMA_KEY:		return hw->key;
	case UKDMA_RING_LO:	return hw->ring_lo;
	case UKDMA_RING_HI:	return hw->ring_hi;
	case UKDMA_RING_SIZE:	return hw->ring_size;
	case UKDMA_HEAD:	return hw->head;
	case UKDMA_TAIL:	return hw->tail;
	case UKDMA_IRQ_STAT:	return hw->irq_stat;
	default:		return 0;
	}
}

static void ukdma_hw_write(void *priv, u64 off, unsigned int size, u64 val)
{
	struct ukdma_hw *hw = priv;

	switch (off) {
	case UKDMA_CTRL:	hw->ctrl = (u32)val; break;
	case UKDMA_KEY:		hw->key = (u32)val & 0xff; break;
	case UKDMA_RING_LO:	hw->ring_lo = (u32)val; break;
	case UKDMA_RING_HI:	hw->ring_hi = (u32)val; break;
	case UKDMA_RING_SIZE:	hw->ring_size = (u32)val; hw->head = hw->tail = 0; break;
	case UKDMA_IRQ_ACK:	hw->irq_stat &= ~(u32)val; break;
	case UKDMA_HEAD:
		if (hw->ring_size)
			hw->head = (u32)val % hw->ring_size;
		if (!hw->hold)
			ukdma_hw_run(hw);
		break;
	}
}

const struct ukmem_mmio_ops ukdma_hw_ops = { ukdma_hw_read, ukdma_hw_write };

/* One descriptor: source in by DMA, transform, result out by DMA.  Returns the status. */
static u32 ukdma_hw_transfer(struct ukdma_hw *hw, const struct ukdma_desc *d)
{
	u8 *data = hw->data;
	u64 limit = hw->addr_bits >= 64 ? ~0ULL : (1ULL << hw->addr_bits) - 1;

	if (!d->len || d->len > UKDMA_MAX_LEN)
		return UKDMA_ST_BAD_LEN;
	/* the engine drives only addr_bits address lines */
	if (d->src + d->len - 1 > limit || d->dst + d->len - 1 > limit)
		return UKDMA_ST_DMA_ERR;
	if (ukmem_dma_read(hw->dev, d->src, data, d->len))
		return UKDMA_ST_DMA_ERR;
	for (u32 i = 0; i < d->len; i++)
		data[i] ^= (u8)hw->key;
	if (ukmem_dma_write(hw->dev, d->dst, data, d->len))
		return UKDMA_ST_DMA_ERR;
	return UKDMA_ST_OK;
}

/**
 * ukdma_hw_run - let the engine process the descriptors posted up to HEAD
 * @hw: the engine
 *
 * Stops at a descriptor the device does not own.  Raises the interrupt once if anything
 * completed and interrupts are enabled.
 */
void ukdma_hw_run(struct ukdma_hw *hw)
{
	u64 ring = (u64)hw->ring_hi << 32 | hw->ring_lo;
	unsigned int n = 0;

	if (!(hw->ctrl & UKDMA_CTRL_ENABLE) || !hw->ring_size)
		return;
	while (hw->tail != hw->head) {
		u64 at = ring + (u64)hw->tail * sizeof(struct ukdma_desc);
		struct ukdma_desc d;

		if (ukmem_dma_read(hw->dev, at, &d, sizeof(d)) || !(d.ctrl & UKDMA_DESC_OWN))
			break;
		d.status = ukdma_hw_transfer(hw, &d);
		d.ctrl &= ~UKDMA_DESC_OWN;
		if (ukmem_dma_write(hw->dev, at, &d, sizeof(d)))
			break;
		if (d.status == UKDMA_ST_OK)
			hw->done++;
		else
			hw->errors++;
		hw->tail = (hw->tail + 1) % hw->ring_size;
		n++;
	}
	if (n) {
		hw->irq_stat |= 1;
		if (hw->ctrl & UKDMA_CTRL_IRQ_EN)
			ukmem_irq_raise(hw->irq);
	}
}
