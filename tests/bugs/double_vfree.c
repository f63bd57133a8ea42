/* SPDX-License-Identifier: MIT */
/* vfree twice: the second gets the kernel's "Trying to vfree() nonexistent vm area" WARN and
 * frees nothing. */
#define BUG_FIRST_LINE	"Trying to vfree() nonexistent vm area"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool twice)
{
	void *p = vmalloc(3 * PAGE_SIZE);

	KEEP(p);
	vfree(p);
	if (twice)
		vfree(p);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
