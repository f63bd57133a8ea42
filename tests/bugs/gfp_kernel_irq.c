/* SPDX-License-Identifier: MIT */
/* Bug class: GFP_KERNEL in a hard-irq handler.  The handler runs in hard-irq context
 * (interrupts off, the hardirq count raised), as ukmem_irq_raise runs handlers. */
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/slab.h>
#include "bug_run.h"

static void handler(gfp_t gfp)
{
	unsigned long flags;
	void *p;

	local_irq_save(flags);
	__irq_enter_raw();
	KT_ASSERT(in_hardirq() && in_interrupt() && !in_task());
	p = kmalloc(128, gfp);
	__irq_exit_raw();
	local_irq_restore(flags);
	kfree(p);
}

BUG_CHILD(buggy, "")
{
	handler(GFP_KERNEL);
}

BUG_CHILD(fixed, "")
{
	handler(GFP_ATOMIC);
}

int main(void)
{
	int status;
	char *out = bug_run(buggy, NULL, &status);

	KT_CONTAINS(out, "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: ");
	KT_CONTAINS(out, "preempt_count: 10000, expected: 0\n");
	free(out);
	bug_expect(buggy, fixed,
		   "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
		   "", 1);
	return 0;
}
