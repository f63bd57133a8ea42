/* SPDX-License-Identifier: MIT */
/* kfree of vmalloc memory: an invalid free (the address is not in the direct map). */
#define BUG_FIRST_LINE	"BUG: KASAN: invalid-free in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool wrong)
{
	void *p = vmalloc(1000);

	if (wrong)
		kfree(p);
	vfree(p);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
