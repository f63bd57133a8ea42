/* SPDX-License-Identifier: MIT */
/* kfence.sample_interval=1: a KFENCE object has the size kmalloc asked for, as 6.1's
 * kfence_alloc(s, orig_size).  kmalloc(100) is in kmalloc-128, whose objects are aligned to
 * 128 (a power-of-two kmalloc size is naturally aligned), so even against the page's end the
 * object's bytes 100..127 are the canary, not the guard page: a write there is found when the
 * object is freed, as memory corruption. */
#define BUG_FIRST_LINE	"BUG: KFENCE: memory corruption in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int n)
{
	char *p = kmalloc(100, GFP_KERNEL);

	KEEP(p);
	for (int i = 0; i < n; i++)
		((volatile char *)p)[i] = 1;
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(101); }
static void fixed(void) { use(100); }
