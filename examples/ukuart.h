/* SPDX-License-Identifier: MIT */
/*
 * ukuart: a small emulated UART (ukuart_hw.c, the device side a test or board file provides)
 * and its kernel-style platform driver (ukuart_drv.c).  uart_demo.c runs them; the
 * fault-injection test (tests/drivers) binds the driver under ukmem_fail_sweep.
 */
#ifndef UKUART_H
#define UKUART_H
#include <linux/io.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem.h>

/* ---- registers ---- */
#define UART_DATA	0x00	/* write: transmit a byte; read: next received byte */
#define UART_STATUS	0x04
#define  UART_RX_READY	 0x1
#define  UART_TX_EMPTY	 0x2
#define UART_IRQ_EN	0x08	/* bit 0: interrupt when a byte arrives */
#define UART_IRQ_STAT	0x0c	/* bit 0: receive interrupt pending; write 1 to clear */
#define UART_ID		0x10
#define  UART_ID_VALUE	 0x55415254	/* "UART" */

#define UART_BASE	0xfe001000ULL	/* in the device hole */
#define UART_SIZE	0x100
#define UART_IRQ	33

#define RXBUF_SIZE	(64 * 1024)

/* ---- the device side (ukuart_hw.c) ---- */
struct ukuart_hw {
	char rx[64];
	unsigned int rx_head, rx_tail;
	char tx[128];
	unsigned int tx_len;
	u32 irq_en, irq_stat;
};

extern const struct ukmem_mmio_ops ukuart_hw_ops;	/* ukmem_mmio_add(..., &hw) */
/* Bytes arrive on the wire: into the FIFO, then the interrupt if enabled. */
void ukuart_hw_receive(struct ukuart_hw *hw, const char *s);

/* ---- the driver (ukuart_drv.c) ---- */
struct ukuart {
	struct device *dev;
	void __iomem *regs;
	int irq;
	spinlock_t lock;		/* rxbuf, rx_len */
	char *rxbuf;			/* vmalloc'd */
	unsigned int rx_len;
	struct kmem_cache *msg_cache;
	struct list_head msgs;		/* complete lines, under lock */
};

extern int ukuart_bug;		/* the module parameter ukuart.bug */
/* Transmit a string (polls the transmitter, as a console write does). */
int ukuart_tx(struct ukuart *u, const char *s);
#endif
