/* SPDX-License-Identifier: MIT */
/* kfence.sample_interval=1: a KFENCE object freed twice: KFENCE's invalid free, ignored. */
#define BUG_FIRST_LINE	"BUG: KFENCE: invalid free in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool twice)
{
	char *a = kmalloc(64, GFP_KERNEL);

	kfree(a);
	if (twice)
		kfree(a);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
