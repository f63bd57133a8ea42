/* SPDX-License-Identifier: MIT */
/* Bug class: an error path that forgets to free.  ukmem_fail_sweep fails each allocation
 * of the probe in turn; the run where the third allocation fails leaks the vmalloc'ed ring,
 * and the sweep names the run and the ring's allocation stack.  The fixed probe unwinds
 * everything: no run leaks. */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "bug_run.h"

static int probe(void *arg)
{
	bool fixed = arg != NULL;
	void *priv, *ring;
	struct page *dma;

	priv = kzalloc(100, GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	ring = vmalloc(2 * PAGE_SIZE);
	if (!ring) {
		kfree(priv);
		return -ENOMEM;
	}
	dma = alloc_pages(GFP_KERNEL, 0);
	if (!dma) {
		if (fixed)
			vfree(ring);
		kfree(priv);
		return -ENOMEM;
	}
	__free_pages(dma, 0);
	vfree(ring);
	kfree(priv);
	return 0;
}

BUG_CHILD(buggy, "failslab.verbose=0 fail_page_alloc.verbose=0")
{
	KT_EQ(ukmem_fail_sweep(probe, NULL), 1);
}

BUG_CHILD(fixed, "failslab.verbose=0 fail_page_alloc.verbose=0")
{
	KT_EQ(ukmem_fail_sweep(probe, (void *)1), 0);
}

static void run(void (*fn)(void *), void *arg, char **out, int *status)
{
	*status = kt_run_child(fn, arg, out);
}

static void buggy_runner(void *arg) { buggy(); }
static void fixed_runner(void *arg) { fixed(); }

int main(void)
{
	int status;
	char *out;

	run(buggy_runner, NULL, &out, &status);
	/* The first report (the vmalloc failure warnings before it are the injections'). */
	KT_ASSERT(strstr(out, "\nukmem_fail_sweep: run "));
	KT_EQ(strcmp(bug_first_line(strstr(out, "\nukmem_fail_sweep: run ")),
		     "ukmem_fail_sweep: run 3 (fail-nth=3, fault injected, returned -12): 1 object(s) acquired in this run were not returned:"), 0);
	KT_CONTAINS(out, "not returned:\nunreferenced object 0x");
	KT_CONTAINS(out, " (size 8192):\n");
	KT_CONTAINS(out, "] probe+");
	KT_CONTAINS(out, "fail_sweep.c:");
	KT_CONTAINS(out, "ukmem_fail_sweep: 4 runs, 1 leaked\n");
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 1);		/* the leak, counted once (not again at exit) */
	free(out);
	run(fixed_runner, NULL, &out, &status);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_NOT_CONTAINS(out, "unreferenced object");
	KT_CONTAINS(out, "ukmem_fail_sweep: 4 runs, 0 leaked\n");
	free(out);
	return 0;
}
