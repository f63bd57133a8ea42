/* SPDX-License-Identifier: MIT */
/* kfence.sample_interval=1: a write just past an object at the start of its page stays in the
 * page (no fault) but breaks the canary around it, found when the object is freed. */
#define BUG_FIRST_LINE	"BUG: KFENCE: memory corruption in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool late)
{
	char *a = kmalloc(32, GFP_KERNEL), *b = kmalloc(32, GFP_KERNEL);
	/* the one at the start of its page: the other ends its page */
	char *left = ((unsigned long)a & 4095) == 0 ? a : b;

	KEEP(left);
	((volatile char *)left)[late ? 40 : 31] = 1;
	kfree(a);
	kfree(b);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
