/* SPDX-License-Identifier: MIT */
/* <linux/irqreturn.h>: what an interrupt handler returns (the kernel's values). */
#ifndef _UKMEM_LINUX_IRQRETURN_H
#define _UKMEM_LINUX_IRQRETURN_H

enum irqreturn {
	IRQ_NONE		= (0 << 0),	/* not from this device */
	IRQ_HANDLED		= (1 << 0),	/* handled */
	IRQ_WAKE_THREAD		= (1 << 1),	/* wake the handler thread */
};
typedef enum irqreturn irqreturn_t;
#define IRQ_RETVAL(x)	((x) ? IRQ_HANDLED : IRQ_NONE)
#endif
