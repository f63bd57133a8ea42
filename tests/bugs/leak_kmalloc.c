/* SPDX-License-Identifier: MIT */
/* Bug class: a kmalloc that is never freed.  kmemleak reports it at ukmem_exit. */
#include <linux/slab.h>
#include "bug_run.h"

struct priv {
	int id;
	char name[52];
};

BUG_CHILD(buggy, "")
{
	struct priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	p->id = 1;
}

BUG_CHILD(fixed, "")
{
	struct priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	p->id = 1;
	kfree(p);
}

int main(void)
{
	bug_expect(buggy, fixed, "unreferenced object 0x", " (size 64):", 1);
	return 0;
}
