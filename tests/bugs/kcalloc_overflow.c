/* SPDX-License-Identifier: MIT */
/* Bug class: an element count from a device times the element size overflows (here to 16
 * bytes).  kcalloc and kmalloc_array catch it and return NULL without a report, as the
 * kernel's, so a driver that checks the result fails cleanly; the fixed version also bounds
 * the count first and gets its buffer. */
#include <linux/slab.h>
#include "bug_run.h"

struct elem {
	u64 a, b;
};

static volatile size_t count_from_device = SIZE_MAX / sizeof(struct elem) + 2;

static int probe(size_t n)
{
	struct elem *v = kcalloc(n, sizeof(*v), GFP_KERNEL);

	if (!v)
		return -ENOMEM;
	v[n - 1].a = 1;
	kfree(v);
	return 0;
}

BUG_CHILD(buggy, "")
{
	KT_EQ(count_from_device * sizeof(struct elem), 16);	/* what kmalloc(n * size) would get */
	KT_EQ(probe(count_from_device), -ENOMEM);
	KT_ASSERT(kmalloc_array(count_from_device, sizeof(struct elem), GFP_KERNEL) == NULL);
	KT_ASSERT(kcalloc(count_from_device, count_from_device, GFP_KERNEL) == NULL);
}

BUG_CHILD(fixed, "")
{
	KT_EQ(probe(count_from_device > 64 ? 64 : count_from_device), 0);
}

int main(void)
{
	int status;
	char *out = bug_run(buggy, NULL, &status);

	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);		/* handled: nothing to report */
	KT_EQ(strlen(out), 0);
	free(out);
	out = bug_run(fixed, NULL, &status);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_EQ(strlen(out), 0);
	free(out);
	return 0;
}
