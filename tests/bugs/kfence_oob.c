/* SPDX-License-Identifier: MIT */
/* kfence.sample_interval=1: a write one byte past a sampled object faults at once on its guard
 * page; KFENCE reports it, makes the page accessible and the program goes on. */
#define BUG_FIRST_LINE	"BUG: KFENCE: out-of-bounds write in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int n)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KEEP(p);
	for (int i = 0; i < n; i++)
		((volatile char *)p)[i] = 1;
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(65); }
static void fixed(void) { use(64); }
