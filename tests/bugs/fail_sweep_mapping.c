/* SPDX-License-Identifier: MIT */
/* Bug class: an error path that forgets a mapping.  ukmem_fail_sweep fails each allocation
 * point of the probe in turn (the region, the mapping, the private data); the run where the
 * third fails returns with the mapping still mapped, and the sweep names the run and the
 * mapping's allocation stack.  The fixed probe unmaps it: no run leaks. */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/slab.h>
#include "bug_run.h"

#define BASE	0xc0000000ULL

static int probe(void *arg)
{
	bool fixed = arg != NULL;
	void __iomem *regs;
	void *priv;

	if (!request_mem_region(BASE, PAGE_SIZE, "sweepdev"))
		return -EBUSY;
	regs = ioremap(BASE, PAGE_SIZE);
	if (!regs) {
		release_mem_region(BASE, PAGE_SIZE);
		return -ENOMEM;
	}
	priv = kzalloc(64, GFP_KERNEL);
	if (!priv) {
		if (fixed)
			iounmap(regs);
		release_mem_region(BASE, PAGE_SIZE);
		return -ENOMEM;
	}
	writel(1, regs);
	kfree(priv);
	iounmap(regs);
	release_mem_region(BASE, PAGE_SIZE);
	return 0;
}

BUG_CHILD(buggy, "failslab.verbose=0 fail_page_alloc.verbose=0")
{
	KT_EQ(ukmem_mmio_add("sweepdev", BASE, PAGE_SIZE, NULL, NULL), 0);
	KT_EQ(ukmem_fail_sweep(probe, NULL), 1);
}

BUG_CHILD(fixed, "failslab.verbose=0 fail_page_alloc.verbose=0")
{
	KT_EQ(ukmem_mmio_add("sweepdev", BASE, PAGE_SIZE, NULL, NULL), 0);
	KT_EQ(ukmem_fail_sweep(probe, (void *)1), 0);
	ukmem_mmio_remove(BASE);
}

static void buggy_runner(void *arg) { buggy(); }
static void fixed_runner(void *arg) { fixed(); }

int main(void)
{
	int status;
	char *out;

	status = kt_run_child(buggy_runner, NULL, &out);
	KT_ASSERT(strstr(out, "ukmem_fail_sweep: run "));
	KT_EQ(strcmp(bug_first_line(strstr(out, "ukmem_fail_sweep: run ")),
		     "ukmem_fail_sweep: run 3 (fail-nth=3, fault injected, returned -12): 1 object(s) acquired in this run were not returned:"), 0);
	KT_CONTAINS(out, " (size 4096):\n");
	KT_CONTAINS(out, "] probe+");
	KT_CONTAINS(out, "  (a ioremap object)\n");
	KT_CONTAINS(out, "ukmem_fail_sweep: 4 runs, 1 leaked\n");
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 1);		/* the leak, counted once (not again at exit) */
	free(out);
	status = kt_run_child(fixed_runner, NULL, &out);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_NOT_CONTAINS(out, "unreferenced object");
	KT_CONTAINS(out, "ukmem_fail_sweep: 4 runs, 0 leaked\n");
	free(out);
	return 0;
}
