/* SPDX-License-Identifier: MIT */
/*
 * A module in a shared object: dlopen registers it, ukmem_modules_init runs its init (with
 * its parameter from the command line), dlclose runs its exit, as rmmod would.  Before the
 * object is loaded, a parameter for it names no module: ukmem_modules_init says so.  With
 * the argument "bad" (and a malformed value) the module's init must not run.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

char dltrace[64];

int main(int argc, char **argv)
{
	void *h;
	void *keep = kmalloc(8, GFP_KERNEL);	/* the program uses kmalloc: it is linked in */
	char *out;

	/* Before the object is loaded, its parameter names no module: an error. */
	KT_EQ(ukmem_modules_init(), -EINVAL);
	h = dlopen(MOD_DL_PATH, RTLD_NOW);
	if (!h)
		KT_FAIL("dlopen: %s", dlerror());
	KT_EQ(dltrace[0], 0);
	if (argc > 1 && !strcmp(argv[1], "bad")) {
		/* A bad value (mod_dl.dlval=lots): 6.1's message, the init never runs and
		 * nothing claims it returned anything. */
		kt_capture_begin();
		KT_EQ(ukmem_modules_init(), -EINVAL);
		out = kt_capture_end();
		KT_CONTAINS(out, "mod_dl: `lots' invalid for parameter `dlval'\n");
		KT_NOT_CONTAINS(out, "returned");
		free(out);
		KT_EQ(dltrace[0], 0);
		dlclose(h);
		KT_EQ(dltrace[0], 0);
		kfree(keep);
		printf("test_modules_dlopen bad: ok\n");
		return 0;
	}
	KT_EQ(ukmem_modules_init(), 0);
	KT_ASSERT(!strcmp(dltrace, "dl-init(77)"));
	dlclose(h);
	KT_ASSERT(!strcmp(dltrace, "dl-init(77) dl-exit"));
	kfree(keep);
	KT_EQ(ukmem_exit(), 0);
	printf("test_modules_dlopen: ok\n");
	return 0;
}
