/* SPDX-License-Identifier: MIT */
/* A module loaded with dlopen: registers on load, runs its exit on dlclose. */
#include <stdio.h>
#include <string.h>
#include <linux/module.h>
#include <linux/slab.h>

static int dlval = 1;
module_param(dlval, int, 0444);
static void *buf;
extern char dltrace[64];

static int __init mod_dl_init(void)
{
	buf = kzalloc(100, GFP_KERNEL);
	snprintf(dltrace, sizeof(dltrace), "dl-init(%d)", dlval);
	return buf ? 0 : -ENOMEM;
}

static void __exit mod_dl_exit(void)
{
	kfree(buf);
	strcat(dltrace, " dl-exit");
}

module_init(mod_dl_init);
module_exit(mod_dl_exit);
MODULE_LICENSE("GPL");
