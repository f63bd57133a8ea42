/* SPDX-License-Identifier: MIT */
/* kasan=on: kmalloc(100) is a kmalloc-128 object; a write to byte 100 is past what was asked
 * for, as 6.1's KASAN reports it, found at kfree. */
#define BUG_FIRST_LINE	"BUG: KASAN: slab-out-of-bounds in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int n)
{
	char *p = kmalloc(100, GFP_KERNEL);

	KEEP(p);
	memset(p, 7, n);
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(101); }
static void fixed(void) { use(100); }
