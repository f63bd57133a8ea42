/* SPDX-License-Identifier: MIT */
/* kasan=on: a double kfree with many frees between is caught at the second free (the object
 * waits in the quarantine), with the allocation and free stacks; the free is ignored. */
#define BUG_FIRST_LINE	"BUG: KASAN: double-free in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool twice)
{
	void *a = kmalloc(64, GFP_KERNEL), *others[100], *x, *y;

	for (int i = 0; i < 100; i++)
		others[i] = kmalloc(64, GFP_KERNEL);
	kfree(a);
	for (int i = 0; i < 100; i++)
		kfree(others[i]);
	if (twice)
		kfree(a);
	x = kmalloc(64, GFP_KERNEL);
	y = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(x != y);
	kfree(x);
	kfree(y);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
