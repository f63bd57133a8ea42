/* SPDX-License-Identifier: MIT */
/* Bug class: an allocation failure that is not checked.  With fail-nth the second
 * allocation of the probe fails: the buggy probe dereferences NULL and dies of SIGSEGV (the
 * kernel would oops), after the injection report; the fixed probe unwinds and returns
 * -ENOMEM, and nothing is counted as a problem (injected faults are not problems). */
#include <signal.h>
#include <linux/slab.h>
#include "bug_run.h"

struct dev_priv {
	int *regs;
	char name[16];
};

static int probe(bool check)
{
	struct dev_priv *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->regs = kcalloc(16, sizeof(int), GFP_KERNEL);
	if (check && !p->regs) {
		kfree(p);
		return -ENOMEM;
	}
	p->regs[0] = 1;
	kfree(p->regs);
	kfree(p);
	return 0;
}

BUG_CHILD(buggy, "")
{
	ukmem_set_fail_nth(2);
	probe(false);
}

BUG_CHILD(fixed, "")
{
	ukmem_set_fail_nth(2);
	KT_EQ(probe(true), -ENOMEM);
	KT_EQ(ukmem_get_fail_nth(), 0);
	KT_EQ(probe(true), 0);
}

int main(void)
{
	int status;
	char *out = bug_run(buggy, NULL, &status);

	KT_EQ(strcmp(bug_first_line(out), "FAULT_INJECTION: forcing a failure."), 0);
	/* The NULL dereference kills it: SIGSEGV, or a sanitizer's report and exit status. */
	KT_ASSERT((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) ||
		  (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
		   (strstr(out, "SEGV") || strstr(out, "runtime error: "))));
	free(out);
	out = bug_run(fixed, NULL, &status);
	KT_ASSERT(WIFEXITED(status));
	KT_EQ(WEXITSTATUS(status), 0);
	KT_NOT_CONTAINS(out, "BUG");
	KT_NOT_CONTAINS(out, "unreferenced object");
	free(out);
	return 0;
}
