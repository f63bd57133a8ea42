/* SPDX-License-Identifier: MIT */
/* kfence.sample_interval=1: KFENCE objects alternate between the end and the start of their
 * page; a write just before an object at the start of its page faults on the guard page
 * before it. */
#define BUG_FIRST_LINE	"BUG: KFENCE: out-of-bounds write in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int start)
{
	char *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);

	KEEP(a);
	KEEP(b);
	for (int i = start; i < 64; i++) {	/* one of the two starts its page */
		((volatile char *)a)[i] = 1;
		((volatile char *)b)[i] = 1;
	}
	kfree(a);
	kfree(b);
	NO_TAIL();
}

static void buggy(void) { use(-1); }
static void fixed(void) { use(0); }
