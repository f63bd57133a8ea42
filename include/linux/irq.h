/* SPDX-License-Identifier: MIT */
/* <linux/irq.h>: interrupt line types and descriptors' public helpers. */
#ifndef _UKMEM_LINUX_IRQ_H
#define _UKMEM_LINUX_IRQ_H
#include <linux/interrupt.h>

enum {
	IRQ_TYPE_NONE		= 0x00000000,
	IRQ_TYPE_EDGE_RISING	= 0x00000001,
	IRQ_TYPE_EDGE_FALLING	= 0x00000002,
	IRQ_TYPE_EDGE_BOTH	= (IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING),
	IRQ_TYPE_LEVEL_HIGH	= 0x00000004,
	IRQ_TYPE_LEVEL_LOW	= 0x00000008,
	IRQ_TYPE_LEVEL_MASK	= (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH),
	IRQ_TYPE_SENSE_MASK	= 0x0000000f,
	IRQ_TYPE_DEFAULT	= IRQ_TYPE_SENSE_MASK,
};

/* Interrupts handled on line irq so far (what /proc/interrupts shows). */
unsigned int kstat_irqs_usr(unsigned int irq);
#endif
