/* SPDX-License-Identifier: MIT */
/*
 * A module in a shared object: dlopen registers it, ukmem_modules_init runs its init (with
 * its parameter from the command line), dlclose runs its exit, as rmmod would.  Before the
 * object is loaded, a parameter for it names no module: ukmem_modules_init says so.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/slab.h>
#include <ukmem.h>
#include "ktest.h"

char dltrace[64];

int main(void)
{
	void *h;
	void *keep = kmalloc(8, GFP_KERNEL);	/* the program uses kmalloc: it is linked in */

	/* Before the object is loaded, its parameter names no module: an error. */
	KT_EQ(ukmem_modules_init(), -EINVAL);
	h = dlopen(MOD_DL_PATH, RTLD_NOW);
	if (!h)
		KT_FAIL("dlopen: %s", dlerror());
	KT_EQ(dltrace[0], 0);
	KT_EQ(ukmem_modules_init(), 0);
	KT_ASSERT(!strcmp(dltrace, "dl-init(77)"));
	dlclose(h);
	KT_ASSERT(!strcmp(dltrace, "dl-init(77) dl-exit"));
	kfree(keep);
	KT_EQ(ukmem_exit(), 0);
	printf("test_modules_dlopen: ok\n");
	return 0;
}
