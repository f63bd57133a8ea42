/* SPDX-License-Identifier: MIT */
/* A read of vmalloc memory after vfree: the area is unmapped, the access faults and is
 * reported as the kernel's oops, naming the freed area and who freed it. */
#define BUG_FIRST_LINE	"BUG: unable to handle page fault for address"
#define BUG_SIGNAL	SIGSEGV
#include "bug.h"

static volatile char sink;

static BUG_FN void use(bool late)
{
	char *v = vmalloc(2 * PAGE_SIZE);

	KEEP(v);
	v[100] = 1;
	if (!late)
		sink = v[100];
	vfree(v);
	if (late)
		sink = v[100];
	NO_TAIL();
}

static void buggy(void) { use(true); }
static void fixed(void) { use(false); }
