/* SPDX-License-Identifier: MIT */
/* slub_debug=FZPU: a write one byte past a kmalloc-64 object lands in its right red zone and
 * is found when the object is freed; the red zone is restored and the program goes on. */
#define BUG_FIRST_LINE	"BUG kmalloc-64 (Not tainted): Right Redzone overwritten"
#define BUG_SIGNAL	0
#include "bug.h"

static BUG_FN void use(size_t n)
{
	char *p = kmalloc(64, GFP_KERNEL);
	KEEP(p);
	memset(p, 0x78, n);
	KEEP(p);
	kfree(p);
	NO_TAIL();
}

static void buggy(void) { use(65); kfree(kmalloc(64, GFP_KERNEL)); }
static void fixed(void) { use(64); kfree(kmalloc(64, GFP_KERNEL)); }
