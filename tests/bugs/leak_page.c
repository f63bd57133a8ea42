/* SPDX-License-Identifier: MIT */
/* Bug class: pages from __get_free_pages that are never freed (freed with the wrong order
 * would be a "Bad page state" instead). */
#include <linux/gfp.h>
#include <linux/mm.h>
#include "bug_run.h"

BUG_CHILD(buggy, "")
{
	unsigned long buf = __get_free_pages(GFP_KERNEL, 2);

	memset((void *)buf, 0, 4 * PAGE_SIZE);
}

BUG_CHILD(fixed, "")
{
	unsigned long buf = __get_free_pages(GFP_KERNEL, 2);

	memset((void *)buf, 0, 4 * PAGE_SIZE);
	free_pages(buf, 2);
}

int main(void)
{
	bug_expect(buggy, fixed, "unreferenced object 0x", " (size 16384):", 1);
	return 0;
}
