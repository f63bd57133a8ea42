/* SPDX-License-Identifier: MIT */
/* free_pages of slab memory: the page allocator's "Bad page state" report; the page is kept. */
#define BUG_FIRST_LINE	"BUG: Bad page state in process"
#define BUG_SIGNAL	0
#include "bug.h"
#include <linux/mm.h>

static BUG_FN void use(bool wrong)
{
	void *p = kmalloc(4096, GFP_KERNEL);

	if (wrong)
		free_pages((unsigned long)p, 0);
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
