/* SPDX-License-Identifier: MIT */
/* kfence.sample_interval=1: a read of a freed KFENCE object faults at once (its page is
 * protected when freed); KFENCE reports it and the program goes on. */
#define BUG_FIRST_LINE	"BUG: KFENCE: use-after-free read in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN int use(bool late)
{
	char *p = kmalloc(64, GFP_KERNEL);
	int v = 0;

	KEEP(p);
	p[3] = 5;
	if (!late)
		v = ((volatile char *)p)[3];
	kfree(p);
	if (late)
		v = ((volatile char *)p)[3];
	NO_TAIL();
	return v;
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
