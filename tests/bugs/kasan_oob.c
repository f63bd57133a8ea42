/* SPDX-License-Identifier: MIT */
/* kasan=on: a write past the end of an object lands in its red zone, found at kfree. */
#define BUG_FIRST_LINE	"BUG: KASAN: slab-out-of-bounds in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int n)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KEEP(p);
	memset(p, 7, n);
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(66); }
static void fixed(void) { use(64); }
