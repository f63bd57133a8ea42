/* SPDX-License-Identifier: MIT */
/* <linux/hardirq.h>: interrupt-context predicates (see <linux/preempt.h>), and the raw
 * entry/exit of hard-irq context (the hardirq count only, as the kernel's
 * __irq_enter_raw/__irq_exit_raw): what runs in between is in_hardirq(). */
#ifndef _UKMEM_LINUX_HARDIRQ_H
#define _UKMEM_LINUX_HARDIRQ_H
#include <linux/preempt.h>
#include <linux/irqflags.h>

#define __irq_enter_raw()	preempt_count_add(HARDIRQ_OFFSET)
#define __irq_exit_raw()	preempt_count_sub(HARDIRQ_OFFSET)
#endif
