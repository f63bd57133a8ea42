/* SPDX-License-Identifier: MIT */
/* slub_debug=FZPU: kfree(a); kfree(b); kfree(a) - SLUB's "Object already free", and the
 * object is not handed out twice. */
#define BUG_FIRST_LINE	"BUG kmalloc-64 (Not tainted): Object already free"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool twice)
{
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL), *x, *y, *z;

	kfree(a);
	kfree(b);
	if (twice)
		kfree(a);
	x = kmalloc(64, GFP_KERNEL);
	y = kmalloc(64, GFP_KERNEL);
	z = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(x != y && y != z && x != z);
	kfree(x);
	kfree(y);
	kfree(z);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
