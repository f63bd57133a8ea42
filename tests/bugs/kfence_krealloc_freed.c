/* SPDX-License-Identifier: MIT */
/*
 * kfence.sample_interval=1: krealloc of a KFENCE object already freed: KFENCE's
 * use-after-free read (what 6.1's krealloc meets reading the object), and krealloc fails:
 * the freed memory is neither copied nor handed out.  (It copied nothing without a word
 * and reported an invalid free only.)
 */
#define BUG_FIRST_LINE	"BUG: KFENCE: use-after-free read in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool freed)
{
	char *a = kmalloc(64, GFP_KERNEL), *b;

	KT_ASSERT(a);
	a[0] = 5;
	if (freed)
		kfree(a);
	b = krealloc(a, 128, GFP_KERNEL);
	if (freed) {
		KT_ASSERT(!b);
		b = kmalloc(128, GFP_KERNEL);
		KT_ASSERT(b);
	} else {
		KT_ASSERT(b && b[0] == 5);
	}
	b[127] = 1;
	kfree(b);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
