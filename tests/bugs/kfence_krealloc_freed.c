/* SPDX-License-Identifier: MIT */
/*
 * kfence.sample_interval=1: krealloc of a KFENCE object already freed: KFENCE's invalid
 * free (6.1's krealloc frees what it was given), and the new object is good.  (It returned
 * NULL without a word.)
 */
#define BUG_FIRST_LINE	"BUG: KFENCE: invalid free in krealloc+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool freed)
{
	char *a = kmalloc(64, GFP_KERNEL), *b;

	KT_ASSERT(a);
	if (freed)
		kfree(a);
	b = krealloc(a, 128, GFP_KERNEL);
	KT_ASSERT(b);
	b[127] = 1;
	kfree(b);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
