/* SPDX-License-Identifier: MIT */
/* A test module whose init returns 1: 6.1 warns that it "suspiciously returned 1" and loads
 * it all the same, so its exit runs.  KBUILD_MODNAME "mod_d". */
#include <stdio.h>
#include <string.h>
#include <linux/module.h>
#include "modtrace.h"

static int __init mod_d_init(void)
{
	modtrace_add("d-init");
	return 1;
}

static void __exit mod_d_exit(void)
{
	modtrace_add("d-exit");
}

module_init(mod_d_init);
module_exit(mod_d_exit);
MODULE_LICENSE("GPL");
