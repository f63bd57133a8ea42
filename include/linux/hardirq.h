/* SPDX-License-Identifier: MIT */
/* <linux/hardirq.h>: interrupt-context predicates (see <linux/preempt.h>). */
#ifndef _UKMEM_LINUX_HARDIRQ_H
#define _UKMEM_LINUX_HARDIRQ_H
#include <linux/preempt.h>
#include <linux/irqflags.h>
#endif
