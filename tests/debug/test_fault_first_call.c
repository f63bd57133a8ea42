/* SPDX-License-Identifier: MIT */
/*
 * fail_page_alloc= from UKMEM_CMDLINE (run with fail_page_alloc=1,100,0,-1), alloc_pages as
 * the program's first call: the start-up it triggers sets the injection up, and the very
 * first allocation is failed (it went through unhooked).  And an impossible order fails
 * before the injection point, so it leaves fail-nth alone, as 6.1's __alloc_pages.
 */
#include <linux/gfp.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

int main(void)
{
	KT_ASSERT(alloc_pages(GFP_ATOMIC, 1) == NULL);		/* the first call */
	KT_ASSERT(alloc_pages(GFP_ATOMIC, 1) == NULL);
	ukmem_set_fail_nth(1);
	KT_ASSERT(!kmalloc(1UL << 40, GFP_KERNEL | __GFP_NOWARN));
	KT_EQ(ukmem_get_fail_nth(), 1);				/* not consumed */
	ukmem_set_fail_nth(0);
	KT_EQ(ukmem_exit(), 0);
	return 0;
}
