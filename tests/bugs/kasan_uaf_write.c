/* SPDX-License-Identifier: MIT */
/* kasan=on: a write after kfree is found when the object leaves the quarantine (here a
 * small one, so the next frees push it out), with the allocation and free stacks. */
#define BUG_FIRST_LINE	"BUG: KASAN: slab-use-after-free in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool late)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KEEP(p);
	kfree(p);
	if (late)
		p[10] = 1;
	for (int i = 0; i < 200; i++)
		kfree(kmalloc(64, GFP_KERNEL));
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
