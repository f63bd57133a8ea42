/* SPDX-License-Identifier: MIT */
/* Bug class: GFP_KERNEL (may sleep) under a spinlock.  The fix: GFP_ATOMIC, or allocate
 * before taking the lock. */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "bug_run.h"

static DEFINE_SPINLOCK(lock);

BUG_CHILD(buggy, "")
{
	void *p;

	spin_lock(&lock);
	p = kmalloc(32, GFP_KERNEL);
	spin_unlock(&lock);
	kfree(p);
}

BUG_CHILD(fixed, "")
{
	void *p;

	spin_lock(&lock);
	p = kmalloc(32, GFP_ATOMIC);
	spin_unlock(&lock);
	kfree(p);
}

int main(void)
{
	bug_expect(buggy, fixed,
		   "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
		   "", 1);
	return 0;
}
