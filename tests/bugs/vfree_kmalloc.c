/* SPDX-License-Identifier: MIT */
/* vfree of kmalloc memory: the kernel's "Trying to vfree() bad address" warning, ignored. */
#define BUG_FIRST_LINE	"Trying to vfree() bad address"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(bool wrong)
{
	void *p = kmalloc(100, GFP_KERNEL);

	if (wrong)
		vfree(p);
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
