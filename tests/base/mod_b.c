/* SPDX-License-Identifier: MIT */
/* A test module whose init fails: its exit must never run.  KBUILD_MODNAME "mod_b". */
#include <stdio.h>
#include <string.h>
#include <linux/module.h>
#include <linux/errno.h>
#include "modtrace.h"

static int __init mod_b_init(void)
{
	modtrace_add("b-init");
	return -ENODEV;
}

static void __exit mod_b_exit(void)
{
	modtrace_add("b-exit");
}

module_init(mod_b_init);
module_exit(mod_b_exit);
MODULE_LICENSE("GPL");
