/* SPDX-License-Identifier: MIT */
/*
 * slub_debug=FZPU: kfree_sensitive() twice.  The second is SLUB's "Object already free"
 * and nothing more: the freed object is not cleared first, so its poison is intact, no
 * later allocation reports it overwritten, and the object is handed out again.  (Cleared
 * first, as 6.1 does, it cost a second report at an innocent allocation and the object,
 * kept out of use; under AddressSanitizer the clearing stopped the process.)
 */
#define BUG_FIRST_LINE	"BUG kmalloc-128 (Not tainted): Object already free"
#define BUG_SIGNAL	0
#define BUG_PROBLEMS	"1"
#include "bug.h"

#define NR	64

static BUG_FN void use(bool twice)
{
	char *a = kmalloc(100, GFP_KERNEL), *objs[NR];
	bool again = false;

	KEEP(a);
	memset(a, 0x5a, 100);
	kfree_sensitive(a);
	if (twice)
		kfree_sensitive(a);
	for (int i = 0; i < NR; i++) {
		objs[i] = kmalloc(100, GFP_KERNEL);
		KT_ASSERT(objs[i]);
		again |= objs[i] == a;
	}
	/* the object was not lost (a tool watching holds it in a quarantine for longer) */
	KT_ASSERT(again || KT_UNDER_ASAN);
	for (int i = 0; i < NR; i++)
		kfree(objs[i]);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
