/* SPDX-License-Identifier: MIT */
/* Bug class: a vmalloc that is never vfree()d.  kmemleak reports it with its stack. */
#include <linux/vmalloc.h>
#include "bug_run.h"

BUG_CHILD(buggy, "")
{
	char *ring = vzalloc(5000);

	ring[0] = 1;
}

BUG_CHILD(fixed, "")
{
	char *ring = vzalloc(5000);

	ring[0] = 1;
	vfree(ring);
}

int main(void)
{
	bug_expect(buggy, fixed, "unreferenced object 0x", " (size 8192):", 1);
	return 0;
}
