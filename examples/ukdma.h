/* SPDX-License-Identifier: MIT */
/*
 * ukdma: a small DMA "crypto" engine, shared by its emulated hardware (ukdma_hw.c), its
 * kernel-style platform driver (ukdma_drv.c) and the programs that run them (dma_demo.c).
 *
 * The engine transforms bytes (XOR with a key) from a source buffer into a destination
 * buffer.  Work is described by a ring of descriptors in coherent memory: the driver fills
 * descriptors, hands them to the device (UKDMA_DESC_OWN) and writes the index after the last
 * one to the HEAD doorbell; the device walks the ring from its TAIL, reads each source by
 * DMA, writes the result to the destination by DMA, writes the status back into the
 * descriptor, clears OWN, and raises its interrupt.  Little-endian, as the host.
 */
#ifndef UKDMA_H
#define UKDMA_H
#include <linux/types.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <ukmem.h>

/* ---- registers (32-bit) ---- */
#define UKDMA_ID		0x00
#define  UKDMA_ID_VALUE		 0x55444d41	/* "UDMA" */
#define UKDMA_CAP		0x04	/* bits 7:0: address bits the engine drives (32 or 64) */
#define UKDMA_CTRL		0x08
#define  UKDMA_CTRL_ENABLE	 0x1
#define  UKDMA_CTRL_IRQ_EN	 0x2
#define UKDMA_KEY		0x0c	/* bits 7:0: the XOR key */
#define UKDMA_RING_LO		0x10	/* bus address of descriptor 0 */
#define UKDMA_RING_HI		0x14
#define UKDMA_RING_SIZE		0x18	/* number of descriptors */
#define UKDMA_HEAD		0x1c	/* doorbell: index after the last descriptor posted */
#define UKDMA_TAIL		0x20	/* read only: next descriptor the device will process */
#define UKDMA_IRQ_STAT		0x24	/* bit 0: descriptors completed */
#define UKDMA_IRQ_ACK		0x28	/* write 1 to clear IRQ_STAT bit 0 */
#define UKDMA_REG_SIZE		0x100

/* ---- descriptor, in coherent memory ---- */
struct ukdma_desc {
	u64 src;		/* bus address the device reads */
	u64 dst;		/* bus address the device writes */
	u32 len;		/* bytes, at most UKDMA_MAX_LEN */
	u32 ctrl;		/* UKDMA_DESC_OWN: the device owns the descriptor */
	u32 status;		/* written by the device: UKDMA_ST_* */
	u32 rsvd;
};
#define UKDMA_DESC_OWN		0x1
#define UKDMA_ST_OK		0x1
#define UKDMA_ST_DMA_ERR	0x2	/* a DMA read or write failed */
#define UKDMA_ST_BAD_LEN	0x4
#define UKDMA_MAX_LEN		4096

/* ---- the emulated hardware (ukdma_hw.c) ---- */
struct ukdma_hw {
	struct device *dev;	/* the bus master its DMA goes out as; set before use */
	unsigned int addr_bits;	/* 32 or 64, shown in CAP */
	bool hold;		/* the engine is busy elsewhere: doorbells queue up */
	u32 ctrl, key, ring_lo, ring_hi, ring_size, head, tail, irq_stat;
	unsigned int irq;
	unsigned long done, errors;
	u8 data[UKDMA_MAX_LEN];	/* the engine's internal buffer */
};
extern const struct ukmem_mmio_ops ukdma_hw_ops;
/* Process what the doorbell has posted (also done by each doorbell write unless held). */
void ukdma_hw_run(struct ukdma_hw *hw);

/* ---- the driver's interface to its users (ukdma_drv.c) ---- */
struct ukdma;
typedef void (*ukdma_done_fn)(void *arg, int err);
/* Transform len bytes from src to dst (kmalloc'd, or any memory dma_map_single takes);
 * done(arg, err) runs from the interrupt handler.  0, -EINVAL, -EBUSY (ring full), -ENOMEM
 * (mapping failed). */
int ukdma_submit(struct ukdma *d, const void *src, void *dst, size_t len,
		 ukdma_done_fn done, void *arg);
int ukdma_irq(struct ukdma *d);
extern struct platform_driver ukdma_driver;
#endif
