/* SPDX-License-Identifier: MIT */
/* kfree of a pointer inside a kmalloc object is an invalid free: the cheap check in the default
 * mode, and kasan=on (tests.cmake runs this program both ways). */
#define BUG_FIRST_LINE	"BUG: KASAN: invalid-free in use+"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(int off)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KEEP(p);
	kfree(p + off);
	if (off)
		kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(16); }
static void fixed(void) { use(0); }
