/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched/mm.h>, the part allocation code uses: might_alloc(gfp) is the check an
 * allocation makes on entry, so code that may allocate can make it without allocating: with
 * a gfp that may block (__GFP_DIRECT_RECLAIM) it is might_sleep(), reported in atomic context
 * as any sleep there is.  (ukmem has no reclaim, so there is no fs_reclaim lock to annotate.)
 */
#ifndef _UKMEM_LINUX_SCHED_MM_H
#define _UKMEM_LINUX_SCHED_MM_H
#include <linux/sched.h>
#include <linux/gfp.h>

static inline void might_alloc(gfp_t gfp_mask)
{
	might_sleep_if(gfpflags_allow_blocking(gfp_mask));
}
#endif
