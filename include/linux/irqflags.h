/* SPDX-License-Identifier: MIT */
/*
 * <linux/irqflags.h>: local interrupt state.  Each thread has an "interrupts disabled" flag;
 * saved flags are x86 EFLAGS images (X86_EFLAGS_IF set when interrupts were enabled).
 */
#ifndef _UKMEM_LINUX_IRQFLAGS_H
#define _UKMEM_LINUX_IRQFLAGS_H
#include <linux/types.h>

#define X86_EFLAGS_IF	0x00000200UL

unsigned long arch_local_save_flags(void);
unsigned long arch_local_irq_save(void);
void arch_local_irq_restore(unsigned long flags);
void arch_local_irq_disable(void);
void arch_local_irq_enable(void);
static inline bool arch_irqs_disabled_flags(unsigned long flags) { return !(flags & X86_EFLAGS_IF); }

#define local_irq_enable()		arch_local_irq_enable()
#define local_irq_disable()		arch_local_irq_disable()
#define local_irq_save(flags)		do { (flags) = arch_local_irq_save(); } while (0)
#define local_irq_restore(flags)	arch_local_irq_restore(flags)
#define local_save_flags(flags)		do { (flags) = arch_local_save_flags(); } while (0)
#define irqs_disabled()			arch_irqs_disabled_flags(arch_local_save_flags())
#define irqs_disabled_flags(flags)	arch_irqs_disabled_flags(flags)
#define raw_local_irq_save(flags)	local_irq_save(flags)
#define raw_local_irq_restore(flags)	local_irq_restore(flags)
#define local_bh_disable()		preempt_count_add(SOFTIRQ_DISABLE_OFFSET)
/* 6.1's: bottom halves enabled again; in hard-irq context that is its WARN_ON_ONCE. */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt);
#define local_bh_enable()		__local_bh_enable_ip(0, SOFTIRQ_DISABLE_OFFSET)
#endif
