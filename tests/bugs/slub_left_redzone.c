/* SPDX-License-Identifier: MIT */
/* slub_debug=FZPU: a write just before a kmalloc-64 object lands in its left red zone. */
#define BUG_FIRST_LINE	"BUG kmalloc-64 (Not tainted): Left Redzone overwritten"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int start)
{
	char *p = kmalloc(64, GFP_KERNEL);
	KEEP(p);
	for (int i = start; i < 64; i++)
		p[i] = 1;
	KEEP(p);
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(-1); }
static void fixed(void) { use(0); }
