/* SPDX-License-Identifier: MIT */
/* slub_debug=FZPU: a write to a kmalloc object after kfree breaks its poison; the next
 * allocation that takes the object finds it, restores the poison and keeps the object out of
 * use (the allocation gets another one). */
#define BUG_FIRST_LINE	"BUG kmalloc-64 (Not tainted): Poison overwritten"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool late_write)
{
	char *p = kmalloc(64, GFP_KERNEL), *q;

	KEEP(p);
	kfree(p);
	if (late_write)
		p[8] = 0x11;
	q = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(!late_write || q != p);
	kfree(q);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
